/* systole: the peer comes and goes — death (mach_down), graceful shutdown on
 * both sides (shutdone), restart and partition heal (split brain).
 * docs/PROTOCOL.md, "Node death", "Shutdown", "Known weaknesses" item 1 (HB3
 * hb_rsc_recover_dead_resources, takeover_from_node, hb_giveup_resources,
 * HBDoMsg_T_SHUTDONE; mach_down.in). */
#include "takeover-private.h"

static void
tk_forget_peer_holdings (HbTakeover *t)
{
  t->peer_class = HB_RSC_NONE;
  for (guint i = 0; i < t->groups->len; i++)
    {
      tk_group (t, i)->peer_holds = FALSE;
      tk_group (t, i)->peer_taken = FALSE;
      tk_group (t, i)->peer_restart = FALSE;
    }
}

static void tk_legacy_reclaim (HbTakeover *t);
static void tk_hb306_take_back (HbTakeover *t);

/* ---- death ------------------------------------------------------------------------ */

/* mach_down: start every group whose home is the peer. */
static void
tk_mach_down (HbTakeover *t)
{
  TkJob *job = tk_job_new (TK_JOB_MACH_DOWN, HB_RSC_FOREIGN, t->peer);

  for (guint i = 0; i < t->groups->len; i++)
    {
      if (!tk_group (t, i)->ours)
        {
          tk_log (t, HB_TAKEOVER_LOG_INFO, "Taking over resource group %s", tk_group (t, i)->key);
          tk_job_add (job, i);
          tk_group_want (t, i, TRUE);
        }
    }
  tk_job_submit (t, job);
}

void
tk_takeover_from_peer (HbTakeover *t)
{
  g_autofree gboolean *had = NULL;

  if (t->shutting_down)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Resource takeover cancelled - shutdown in progress.");
      return;
    }
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Resources being acquired from %s.", t->peer);
  tk_forget_peer_holdings (t);
  t->other_stable = TRUE; /* not going anywhere */
  if (t->rstate != TK_R_SHUTDOWN && t->rstate != TK_R_INIT)
    {
      t->rstate = TK_R_STABLE; /* nobody left to wait for */
      t->rscrcvd_deadline = 0;
    }
  if (t->auto_failback == HB_FAILBACK_ON)
    {
      t->needs_failback = TRUE;
    }
  had = g_new0 (gboolean, t->groups->len + 1);
  for (guint i = 0; i < t->groups->len; i++)
    {
      had[i] = tk_group_held (tk_group (t, i));
    }
  tk_mach_down (t);
  tk_req_our_resources (t, TRUE);
  /* For the split brain rule: what we start now, the peer may still run. */
  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      g->taken = g->taken || (g->want && !had[i]);
    }
}

void
tk_job_done_mach_down (HbTakeover *t, TkJob *job)
{
  tk_log (t, HB_TAKEOVER_LOG_INFO, "mach_down takeover complete for node %s.", job->arg);
  if (!t->nice)
    {
      return;
    }
  /* Exactly what mach_down posts: no rtype (a partial update), no isstable. */
  {
    HbTakeoverMsg *msg = hb_takeover_msg_new ("resource");

    hb_takeover_msg_add (msg, "rsc_hold", "foreign");
    hb_takeover_msg_add (msg, "info", "mach_down");
    tk_send (t, msg);
  }
  tk_log (t, HB_TAKEOVER_LOG_INFO, "mach_down takeover complete.");
  t->foreign_done = TRUE;
  tk_announce (t, "mach_down");
}

/* docs/PROTOCOL.md, "Node death", for a peer that died (not one that left with
 * shutdone). */
void
tk_peer_dead_takeover (HbTakeover *t)
{
  gboolean need_stonith;

  if (t->peer_left || t->shutting_down)
    {
      return; /* it gave everything up already / we are leaving too */
    }
  /* Unless it told us it holds nothing, it may still run our groups. */
  need_stonith = !t->peer_heard || !t->nice || t->peer_class != HB_RSC_NONE;
  if (need_stonith)
    {
      tk_log (t, HB_TAKEOVER_LOG_WARN, "No STONITH device configured.");
      tk_log (t, HB_TAKEOVER_LOG_WARN, "Shared disks are not protected.");
    }
  else
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Dead node %s gave up resources.", t->peer);
    }
  tk_takeover_from_peer (t);
}

void
tk_peer_dead (HbTakeover *t)
{
  if (t->peer == NULL || t->peer_dead)
    {
      return;
    }
  t->peer_dead = TRUE;
  t->peer_alive = FALSE;
  t->peer_restarting = FALSE;
  t->heal_pending = FALSE;
  t->hb306_heal_at = 0;
  t->hb306_claim_at = 0;
  t->self_restarting = FALSE; /* what we found running is ours to keep */
  for (guint i = 0; i < t->groups->len; i++)
    {
      tk_group (t, i)->restart_claim = FALSE;
    }
  t->peer_ping_reachable = -1;
  t->deferred_until = 0;
  tk_standby_cancel (t);
  if (!t->comm_is_up || t->probing)
    {
      return; /* comm up takes over once our own state is known */
    }
  tk_peer_dead_takeover (t);
}

void
hb_takeover_peer_dead (HbTakeover *t, gint64 now_us, GPtrArray *actions)
{
  tk_begin (t, now_us, actions);
  tk_peer_dead (t);
  tk_end (t);
}

void
hb_takeover_peer_restarted (HbTakeover *t, gint64 now_us, GPtrArray *actions)
{
  tk_begin (t, now_us, actions);
  /* A new generation: it lost its state and will send `starting`. A standby
   * exchange with its previous run can never finish (Heartbeat waits for it
   * up to an hour, ignoring every other request meanwhile): it goes, as on
   * the peer's death. */
  tk_standby_cancel (t);
  t->deferred_until = 0;
  tk_forget_peer_holdings (t);
  t->peer_dead = FALSE;
  t->peer_left = FALSE;
  t->peer_alive = TRUE;
  t->peer_heard = FALSE;
  t->other_stable = FALSE;
  t->heal_pending = FALSE;
  t->hb306_heal_at = 0;
  t->hb306_claim_at = 0;
  t->peer_systole = FALSE; /* a new run: it may be another implementation */
  if (t->comm_is_up && t->rstate != TK_R_INIT && !t->shutting_down && t->nice)
    {
      tk_hb306_take_back (t);
    }
  if (t->comm_is_up && t->rstate != TK_R_INIT && !t->shutting_down)
    {
      /* Its `starting` may have been lost (it restarted behind a partition
       * and took its groups alone): our holdings show it any duplicate, and
       * its answer shows them to us; in legacy mode we ask for our own. */
      if (t->nice)
        {
          tk_send_resources_held (t, tk_is_stable (t), NULL);
        }
      else
        {
          tk_legacy_reclaim (t);
        }
    }
  tk_end (t);
}

/* ---- shutdown ------------------------------------------------------------------------ */

static gboolean
tk_can_give_up (const HbTakeover *t)
{
  return t->jobs->len == 0 && !tk_any_busy (t) && t->sb == TK_SB_NOT;
}

/* hb_giveup_resources: every group of the file, owned or not, right to left. */
static void
tk_giveup (HbTakeover *t)
{
  TkJob *job = tk_job_new (TK_JOB_SHUTDOWN, HB_RSC_ALL, NULL);

  t->shutting_down = TRUE;
  t->rstate = TK_R_SHUTDOWN;
  t->rscrcvd_deadline = t->failback_at = t->handoff_at = t->sb_deadline = 0;
  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      g->want = g->state == HB_GROUP_UNSTOPPABLE;
      if (g->state == HB_GROUP_RUNNING || g->state == HB_GROUP_STOPPED)
        {
          tk_group_set_state (t, g, HB_GROUP_STOPPING); /* STOP emitted below */
        }
    }
  tk_send_resources_held (t, FALSE, "shutdown");
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Giving up all HA resources.");
  for (guint i = t->groups->len; i-- > 0;)
    {
      TkGroup *g = tk_group (t, i);

      tk_job_add (job, i);
      if (g->state == HB_GROUP_STOPPING)
        {
          tk_emit_group (t, HB_TAKEOVER_STOP_GROUP, g->key);
        }
    }
  g_ptr_array_add (t->jobs, job);
}

void
tk_shutdown_if_needed (HbTakeover *t)
{
  if (t->needs_shutdown && tk_can_give_up (t))
    {
      t->needs_shutdown = FALSE;
      tk_giveup (t);
    }
}

void
hb_takeover_shutdown (HbTakeover *t, gint64 now_us, GPtrArray *actions)
{
  tk_begin (t, now_us, actions);
  if (t->shutting_down)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Heartbeat shutdown already underway.");
    }
  else if (!tk_can_give_up (t))
    {
      if (!t->needs_shutdown)
        {
          tk_log (t, HB_TAKEOVER_LOG_WARN,
                  "Shutdown delayed until current resource activity finishes.");
          t->needs_shutdown = TRUE;
        }
    }
  else
    {
      tk_giveup (t);
    }
  tk_end (t);
}

void
tk_job_done_shutdown (HbTakeover *t, TkJob *job)
{
  (void) job;
  for (guint i = 0; i < t->groups->len; i++)
    {
      if (tk_group (t, i)->state == HB_GROUP_UNSTOPPABLE)
        {
          return; /* no shutdone: the peer must not start it; self-fence pending */
        }
    }
  tk_log (t, HB_TAKEOVER_LOG_INFO, "All HA resources relinquished.");
  {
    HbTakeoverMsg *msg = hb_takeover_msg_new ("shutdone");

    hb_takeover_msg_add (msg, "st", "dead");
    tk_send (t, msg);
  }
  tk_emit_group (t, HB_TAKEOVER_SHUTDOWN_COMPLETE, NULL);
}

gboolean
tk_recv_shutdone (HbTakeover *t, const HbTakeoverMsg *msg, GError **error)
{
  HbRsc before = tk_holdings (t);

  (void) error;
  t->peer_left = TRUE;
  t->peer_heard = TRUE;
  tk_forget_peer_holdings (t);
  t->other_stable = TRUE;
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Received shutdown notice from '%s'.",
          hb_takeover_msg_get (msg, "src"));
  tk_standby_cancel (t);
  tk_takeover_from_peer (t);
  if (t->nice && before != HB_RSC_ALL && !t->shutting_down)
    {
      /* And acquire the complement at once (docs/PROTOCOL.md, "Shutdown"; HB3
       * go_standby(OTHER, ...)); its ask_resources `done` is what a 3.0.6 peer sends here too. */
      tk_go_standby_other (t, HB_RSC_ALL);
    }
  return TRUE;
}

/* ---- split brain ---------------------------------------------------------------------- */

/* Loud, and the same text on both nodes (keeper first). */
void
tk_log_split (HbTakeover *t, const char *key, const char *keeper, const char *loser)
{
  tk_log (t, HB_TAKEOVER_LOG_ERROR,
          "Split brain: resource group %s is running on both %s and %s: %s keeps it, %s "
          "stops it.",
          key, keeper, loser, keeper, loser);
}

/* The keeper of a group both nodes run. Each node judges from the flags it
 * advertises itself (restart_keys, takeover_keys in its full `resource`) and
 * the flags the peer advertised in its latest one — never from what it
 * believes happened to the peer — and the rule gives opposite answers for
 * swapped inputs, so two nodes with the same facts never both keep it:
 *   1. a copy found running at startup (a daemon restart) yields to one
 *      that was not;
 *   2. auto_failback on: the home node keeps it;
 *   3. otherwise the copy that was there before the partition: the node that
 *      did NOT start it while the other was dead or gone keeps it;
 *   4. a tie: the home node (a group homed on neither: the smaller name).
 * Flags change only when a holding begins or becomes undisputed, so a stale
 * view of the peer can only under-rate it; a node that keeps a duplicate
 * always sends its holdings again, and the peer judges again on them. */
static gboolean
tk_local_keeps (const HbTakeover *t, const TkGroup *g)
{
  if (g->restart_claim != g->peer_restart)
    {
      return g->peer_restart;
    }
  if (t->auto_failback != HB_FAILBACK_ON && g->taken != g->peer_taken)
    {
      return !g->taken;
    }
  if (g->ours || g_ascii_strcasecmp (g->home, t->peer) == 0)
    {
      return g->ours;
    }
  return g_ascii_strcasecmp (t->local, t->peer) < 0;
}

void
tk_resolve_duplicates (HbTakeover *t)
{
  TkJob *job = tk_job_new (TK_JOB_HEAL, HB_RSC_NONE, NULL);
  gboolean kept = FALSE;

  t->heal_pending = FALSE;
  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);
      gboolean keep;

      if (!tk_group_held (g) || !g->peer_holds || g->state == HB_GROUP_UNSTOPPABLE)
        {
          continue;
        }
      keep = tk_local_keeps (t, g);
      tk_log_split (t, g->key, keep ? t->local : t->peer, keep ? t->peer : t->local);
      if (keep)
        {
          tk_emit_group (t, HB_TAKEOVER_RESEND_ARP, g->key);
          kept = TRUE;
        }
      else
        {
          tk_job_add (job, i);
          tk_group_want (t, i, FALSE);
        }
    }
  t->self_restarting = FALSE;
  t->hb306_heal_at = 0; /* the peer's holdings are here */
  tk_job_submit (t, job);
  if (kept)
    {
      /* The peer judges again on our current facts (its view of them may
       * be older than the one we judged from). */
      t->facts_changed = FALSE;
      tk_send_resources_held (t, tk_is_stable (t), NULL);
    }
}

void
tk_job_done_heal (HbTakeover *t, TkJob *job)
{
  if (job->members->len > 0)
    {
      tk_send_resources_held (t, t->rstate == TK_R_STABLE, NULL);
    }
}

/* Legacy has no holdings exchange, and legacy means the home node owns its
 * group whenever it is up: after a heal (or the peer's restart behind a
 * partition) the home node asks for its groups again (ip-request), and the
 * other node hands back what it holds of the peer's, as it answers an
 * ip-request (stop, then ip-request-resp weown=yes: the home takes it, or
 * finds it running already). Neither needs to know what the other holds. */
static void
tk_legacy_reclaim (HbTakeover *t)
{
  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      if (!tk_group_held (g) || g->state == HB_GROUP_UNSTOPPABLE)
        {
          continue;
        }
      if (g->ours)
        {
          HbTakeoverMsg *msg = hb_takeover_msg_new ("ip-request");

          hb_takeover_msg_add (msg, "ipaddr", g->key);
          tk_send (t, msg);
        }
      else if (g_ascii_strcasecmp (g->home, t->peer) == 0)
        {
          TkJob *job = tk_job_new (TK_JOB_LEGACY_GIVE, HB_RSC_NONE, t->peer);

          tk_log (t, HB_TAKEOVER_LOG_WARN, "Resource group %s belongs to %s: giving it back.",
                  g->key, t->peer);
          tk_job_add (job, i);
          tk_group_want (t, i, FALSE);
          tk_job_submit (t, job);
        }
    }
}

/* Groups we hold that we started while the peer was dead or gone. */
static gboolean
tk_holds_taken (const HbTakeover *t)
{
  for (guint i = 0; i < t->groups->len; i++)
    {
      const TkGroup *g = g_ptr_array_index (t->groups, i);

      if (tk_group_held (g) && g->taken)
        {
          return TRUE;
        }
    }
  return FALSE;
}

void
tk_partition_healed (HbTakeover *t)
{
  t->peer_dead = FALSE;
  t->peer_left = FALSE;
  t->peer_alive = TRUE;
  t->heal_pending = TRUE;
  if (t->nice)
    {
      tk_send_resources_held (t, tk_is_stable (t), NULL);
      if (!t->peer_systole && tk_holds_taken (t))
        {
          t->hb306_heal_at = t->now > G_MAXINT64 - HB306_HEAL_WAIT_US ? G_MAXINT64
                                                                   : t->now + HB306_HEAL_WAIT_US;
        }
      return;
    }
  tk_legacy_reclaim (t);
}

/* The peer restarted after we stopped groups for it (it noticed the heal
 * after all, late): its restart gave everything up, and a restarted 3.0.6
 * node takes only its own groups, so we take back those we stopped. */
static void
tk_hb306_take_back (HbTakeover *t)
{
  TkJob *job = NULL;

  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      if (!g->yielded_hb306)
        {
          continue;
        }
      g->yielded_hb306 = FALSE;
      if (tk_group_held (g) || tk_group_busy (g) || (!g->ours && t->auto_failback == HB_FAILBACK_LEGACY))
        {
          continue;
        }
      if (job == NULL)
        {
          job = tk_job_new (TK_JOB_HEAL, HB_RSC_NONE, NULL);
        }
      tk_log (t, HB_TAKEOVER_LOG_WARN,
              "%s restarted after all: taking back resource group %s, which it gave up.",
              t->peer, g->key);
      tk_job_add (job, i);
      tk_group_want (t, i, TRUE);
    }
  if (job != NULL)
    {
      tk_job_submit (t, job);
    }
}

/* Groups we run that the peer now claims too. */
static gboolean
tk_holds_claimed (const HbTakeover *t)
{
  for (guint i = 0; i < t->groups->len; i++)
    {
      const TkGroup *g = g_ptr_array_index (t->groups, i);

      if (tk_group_held (g) && g->peer_holds)
        {
          return TRUE;
        }
    }
  return FALSE;
}

/* A Heartbeat 3.0.6 peer announced a takeover (`resource info=mach_down`)
 * of groups we run while we never lost it: it declared us dead on its own
 * (packets from us lost or late). If it also noticed our return it restarts
 * within HB306_HEAL_WAIT_US, giving everything up; if not (a late heartbeat
 * it took for a death), it keeps them for good, and its gratuitous ARPs
 * moved the clients to it. */
void
tk_hb306_note_claim (HbTakeover *t, const HbTakeoverMsg *msg)
{
  if (!t->nice || t->peer_systole || t->peer_dead || t->heal_pending || t->hb306_claim_at != 0
      || g_strcmp0 (hb_takeover_msg_get (msg, "info"), "mach_down") != 0 || !tk_holds_claimed (t))
    {
      return;
    }
  t->hb306_claim_at = t->now > G_MAXINT64 - HB306_HEAL_WAIT_US ? G_MAXINT64
                                                                 : t->now + HB306_HEAL_WAIT_US;
}

/* Stop, for a Heartbeat 3.0.6 peer that keeps them, the groups we run that
 * it claims (TAKEN: those we took over from it), marked for tk_hb306_take_back. */
static void
tk_hb306_yield (HbTakeover *t, gboolean taken)
{
  TkJob *job = tk_job_new (TK_JOB_HEAL, HB_RSC_NONE, NULL);

  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      if (!tk_group_held (g) || !(taken ? g->taken : g->peer_holds)
          || g->state == HB_GROUP_UNSTOPPABLE)
        {
          continue;
        }
      tk_log_split (t, g->key, t->peer, t->local);
      g->yielded_hb306 = TRUE;
      tk_job_add (job, i);
      tk_group_want (t, i, FALSE);
    }
  tk_job_submit (t, job);
}

void
tk_hb306_claim_expired (HbTakeover *t)
{
  if (!t->nice || t->peer_systole || t->peer_dead || t->peer_left || t->shutting_down
      || !tk_holds_claimed (t))
    {
      return;
    }
  tk_log (t, HB_TAKEOVER_LOG_WARN,
          "%s (Heartbeat 3.0.6: it lists no groups) took over groups we run and kept them: "
          "stopping ours.",
          t->peer);
  tk_hb306_yield (t, FALSE);
}

/* A Heartbeat 3.0.6 peer never lists its groups, nor answers ours: the node
 * that notices a partition heal restarts itself 2 s later (giving up every
 * group, `resource rsc_hold=none info=shutdown` first), and the node that
 * did not notice (a one-way partition: it heard us all along) keeps what it
 * ran. So when the peer sent no holdings within HB306_HEAL_WAIT_US of the
 * heal, it did not notice and still runs the groups we took over meanwhile:
 * we stop our copies, as Heartbeat would in our place (it restarts), but
 * without bouncing the groups that never moved. */
void
tk_hb306_heal_expired (HbTakeover *t)
{
  if (!t->nice || !t->heal_pending || t->peer_systole || t->peer_dead || t->peer_left
      || t->shutting_down)
    {
      return;
    }
  t->heal_pending = FALSE;
  tk_log (t, HB_TAKEOVER_LOG_WARN,
          "%s (Heartbeat 3.0.6: it lists no groups) did not restart after the partition healed, so "
          "it kept its groups: stopping the ones taken over from it meanwhile.",
          t->peer);
  tk_hb306_yield (t, TRUE);
}

void
hb_takeover_partition_healed (HbTakeover *t, gint64 now_us, GPtrArray *actions)
{
  tk_begin (t, now_us, actions);
  if (t->peer != NULL)
    {
      tk_partition_healed (t);
    }
  tk_end (t);
}
