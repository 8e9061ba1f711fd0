/* systole: startup acquisition — probes, comm up, `starting` / `resource`,
 * req_our_resources, legacy ip-request / ip-request-resp, audits.
 * docs/PROTOCOL.md, "Event dispatch", "Startup acquisition", "auto_failback"
 * (HB3 hb_resource.c process_resources, req_our_resources, AuditResources;
 * rc.d/ip-request, ip-request-resp). */
#include "takeover-private.h"

#include <string.h>

/* "resource message from node2 without rsc_hold field" */
static gboolean
bad_message (GError **error, const HbTakeoverMsg *msg, const char *problem)
{
  g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_BAD_MESSAGE, "%s message from %s %s",
               msg->type, hb_takeover_msg_get (msg, "src"), problem);
  return FALSE;
}

/* ---- probes and comm up -------------------------------------------------------- */

void
tk_job_done_probe (HbTakeover *t, TkJob *job)
{
  (void) job;
  t->probing = FALSE;
  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      if (g->found_running)
        {
          /* Restart reconciliation: resolved with the peer's holdings before
           * anything else is acquired (see tk_resolve_duplicates). */
          t->self_restarting = TRUE;
          tk_log (t, HB_TAKEOVER_LOG_WARN, "Resource group %s is already running at startup.",
                  g->key);
        }
    }
  if (t->comm_up_deferred)
    {
      t->comm_up_deferred = FALSE;
      tk_startup_comm_up (t, t->deferred_peer);
    }
}

void
tk_startup_comm_up (HbTakeover *t, HbPeerState peer)
{
  if (peer == HB_PEER_ALIVE)
    {
      t->peer_dead = FALSE; /* more recent than a death seen while probing */
    }
  t->peer_alive = peer == HB_PEER_ALIVE;
  if (t->peer == NULL)
    {
      /* One node: nobody to ask, nothing foreign. */
      t->rstate = TK_R_STABLE;
      t->foreign_done = TRUE;
      tk_req_our_resources (t, TRUE);
      return;
    }
  if (t->peer_dead)
    {
      t->self_restarting = FALSE; /* nobody to reconcile with */
    }
  if (t->self_restarting)
    {
      t->heal_pending = TRUE;
    }
  if (t->nice)
    {
      /* Step 1 of docs/PROTOCOL.md, "Startup acquisition": announce, then
       * wait for the peer's holdings. */
      tk_send (t, hb_takeover_msg_new ("starting"));
      t->rstate = TK_R_STARTING;
      if (t->self_restarting)
        {
          /* Tell the peer what we found running, so both sides see the
           * duplicates and pick the same keeper. */
          tk_send_resources_held (t, FALSE, "restart");
          if (t->peer_heard)
            {
              /* Its holdings came before our comm was up (it sends them as
               * soon as it sees our new run): judge now, it judges when it
               * gets ours. */
              tk_resolve_duplicates (t);
            }
        }
    }
  else
    {
      t->rstate = TK_R_STABLE;
      tk_req_our_resources (t, FALSE);
    }
  if (peer == HB_PEER_DEAD && !t->peer_dead)
    {
      tk_peer_dead (t);
    }
  else if (t->peer_dead)
    {
      tk_peer_dead_takeover (t); /* declared dead while we were probing */
    }
}

/* ---- req_our_resources ---------------------------------------------------------- */

static void
tk_req_legacy (HbTakeover *t, TkJob *job)
{
  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      if (!g->ours && g->found_running && t->peer_alive)
        {
          /* Restarted with the peer's group still running here: legacy means
           * the home node owns it while alive, so give it back. */
          tk_log (t, HB_TAKEOVER_LOG_WARN, "Resource group %s belongs to %s: stopping it here.",
                  g->key, t->peer);
          tk_group_want (t, i, FALSE);
          continue;
        }
      if (!g->ours || (tk_group_held (g) && !(g->found_running && t->peer_alive)))
        {
          continue; /* req_resource: a key we already own is skipped */
        }
      if (!t->peer_alive)
        {
          /* HA_DONTASK: we are alone, take it directly. */
          tk_job_add (job, i);
          tk_group_want (t, i, TRUE);
        }
      else
        {
          HbTakeoverMsg *msg = hb_takeover_msg_new ("ip-request");

          hb_takeover_msg_add (msg, "ipaddr", g->key);
          tk_send (t, msg);
          t->legacy_pending++;
        }
    }
}

void
tk_req_our_resources (HbTakeover *t, gboolean anyway)
{
  TkJob *job;

  if (t->shutting_down)
    {
      return;
    }
  if (t->nice && (t->peer_class & HB_RSC_FOREIGN) != 0 && !anyway && t->sb == TK_SB_NOT)
    {
      /* The peer holds our groups: auto_failback off keeps them there. */
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Local Resource acquisition completed. (none)");
      return;
    }
  job = tk_job_new (TK_JOB_LOCAL_ACQ, HB_RSC_LOCAL, NULL);
  if (!t->nice)
    {
      tk_req_legacy (t, job);
    }
  else
    {
      for (guint i = 0; i < t->groups->len; i++)
        {
          TkGroup *g = tk_group (t, i);

          /* Per group, never start what the peer says it holds. */
          if (g->ours && !g->peer_holds)
            {
              tk_job_add (job, i);
              tk_group_want (t, i, TRUE);
            }
        }
    }
  tk_job_submit (t, job);
}

void
tk_job_done_local_acq (HbTakeover *t, TkJob *job)
{
  guint ours = 0;

  for (guint i = 0; i < t->groups->len; i++)
    {
      ours += tk_group (t, i)->ours;
    }
  if (ours == 0)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "No local resources [ResourceManager listkeys %s] to acquire.",
              t->local);
    }
  else if (t->nice || (job->members->len > 0 && t->legacy_pending == 0))
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Local Resource acquisition completed.");
    }
  if (t->nice)
    {
      tk_send_resources_held (t, TRUE, "req_our_resources()");
      t->local_done = TRUE;
      tk_announce (t, "T_RESOURCES(us)");
    }
}

/* RQSTDELAY expired in RSCRCVD: the peer stays unstable, take ours anyway. */
void
tk_rscrcvd_expired (HbTakeover *t)
{
  if (t->rstate != TK_R_RSCRCVD)
    {
      return;
    }
  tk_log (t, HB_TAKEOVER_LOG_INFO, "local resource transition completed.");
  t->rstate = TK_R_STABLE;
  if ((tk_holdings (t) & HB_RSC_FOREIGN) == 0)
    {
      t->foreign_done = TRUE; /* no foreign group to give back */
    }
  tk_req_our_resources (t, TRUE);
  tk_send_resources_held (t, TRUE, NULL);
}

/* ---- `starting` ------------------------------------------------------------------- */

gboolean
tk_recv_starting (HbTakeover *t, const HbTakeoverMsg *msg, GError **error)
{
  (void) msg;
  (void) error;
  if (!t->nice)
    {
      return TRUE;
    }
  /* The peer (re)started: it holds nothing it will not tell us about. */
  t->peer_class = HB_RSC_NONE;
  for (guint i = 0; i < t->groups->len; i++)
    {
      tk_group (t, i)->peer_holds = FALSE;
      tk_group (t, i)->peer_taken = FALSE;
      tk_group (t, i)->peer_restart = FALSE;
    }
  t->other_stable = FALSE;
  t->peer_alive = TRUE;
  t->peer_heard = TRUE;
  t->peer_dead = FALSE;
  t->peer_left = FALSE;
  t->peer_restarting = TRUE;
  t->heal_pending = TRUE;
  if (t->rstate == TK_R_STARTING)
    {
      t->rstate = TK_R_BOTHSTARTING;
    }
  if (t->auto_failback == HB_FAILBACK_ON && (tk_holdings (t) & HB_RSC_FOREIGN) != 0)
    {
      t->needs_failback = TRUE;
    }
  tk_send_resources_held (t, t->rstate == TK_R_STABLE, NULL);
  return TRUE;
}

/* ---- `resource` ------------------------------------------------------------------- */

static gboolean
key_in_list (const char *list, const char *key)
{
  g_auto (GStrv) keys = g_strsplit (list ? list : "", " ", -1);

  return g_strv_contains ((const char *const *) keys, key);
}

/* The peer's full holdings do not include a group we hold: nobody disputes
 * our copy, so its split brain flags go (and the peer hears of it, so that
 * both judge from the same facts should they both hold it again). */
static void
tk_confirm_undisputed (HbTakeover *t, TkGroup *g)
{
  if (tk_group_held (g) && (g->taken || g->restart_claim))
    {
      g->taken = FALSE;
      g->restart_claim = FALSE;
      t->facts_changed = TRUE;
    }
}

/* Per-group view of the peer's holdings: its own list when it sends one (us),
 * else its class bits (a Heartbeat 3.0.6 peer): its "local" is the groups
 * homed on it, its "foreign" the groups homed here. */
static void
tk_update_peer_groups (HbTakeover *t, const HbTakeoverMsg *msg, HbRsc n, gboolean full)
{
  const char *held = hb_takeover_msg_get (msg, "held_keys");
  const char *taken = hb_takeover_msg_get (msg, "takeover_keys");
  const char *restart = hb_takeover_msg_get (msg, "restart_keys");

  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);
      gboolean holds = held != NULL ? key_in_list (held, g->key)
                                    : (n & (g->ours ? HB_RSC_FOREIGN : HB_RSC_LOCAL)) != 0;

      if (full && g->peer_holds && !holds && tk_group_held (g))
        {
          /* It ran our group too (a partition: it announced the addresses
           * to the segment) and gave it up: the segment learns again where
           * the group is (a Heartbeat 3.0.6 peer restarting after a heal). */
          tk_emit_group (t, HB_TAKEOVER_RESEND_ARP, g->key);
        }
      g->peer_holds = full ? holds : (g->peer_holds || holds);
      g->peer_taken = (full ? FALSE : g->peer_taken) || key_in_list (taken, g->key);
      g->peer_restart = (full ? FALSE : g->peer_restart) || key_in_list (restart, g->key);
      if (full && !holds)
        {
          tk_confirm_undisputed (t, g);
        }
    }
}

static gboolean
parse_count (const char *text, const char *end, guint *out)
{
  guint64 value = 0;

  if (text == end)
    {
      return FALSE;
    }
  for (const char *p = text; p < end; p++)
    {
      if (!g_ascii_isdigit (*p) || value > G_MAXUINT / 10)
        {
          return FALSE;
        }
      value = value * 10 + (guint64) (*p - '0');
    }
  if (value > G_MAXINT)
    {
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/* `ping=R/T` (our extension). Malformed values are ignored: the rule then
 * simply does not fire. Returns TRUE when the peer regained its ping nodes. */
static gboolean
tk_update_peer_ping (HbTakeover *t, const char *ping)
{
  const char *slash = ping ? strchr (ping, '/') : NULL;
  gint before = t->peer_ping_reachable;
  guint reachable, total;

  if (slash == NULL || !parse_count (ping, slash, &reachable)
      || !parse_count (slash + 1, slash + strlen (slash), &total) || reachable > total)
    {
      return FALSE;
    }
  t->peer_ping_reachable = (gint) reachable;
  t->peer_ping_total = total;
  return before == 0 && reachable > 0;
}

/* What the peer holds, per group and as class bits, and its ping figure. */
static void
tk_update_peer (HbTakeover *t, const HbTakeoverMsg *msg, HbRsc n, gboolean full)
{
  t->peer_class = full ? n : (HbRsc) (t->peer_class | n);
  if (full && hb_takeover_msg_get (msg, "held_keys") != NULL)
    {
      /* Only systole lists its groups; one that holds any always does, and
       * a peer of this run that we took groups from held some. */
      t->peer_systole = TRUE;
    }
  tk_update_peer_groups (t, msg, n, full);
  if (tk_update_peer_ping (t, hb_takeover_msg_get (msg, "ping"))
      && t->auto_failback == HB_FAILBACK_ON)
    {
      t->needs_failback = TRUE; /* it can serve its own groups again */
      tk_perform_failback (t);
    }
}

/* The peer said "isstable=1" (HB3 process_resources, both blocks). */
static void
tk_peer_now_stable (HbTakeover *t)
{
  if (!t->other_stable)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "remote resource transition completed.");
      t->other_stable = TRUE;
      tk_send_resources_held (t, t->rstate == TK_R_STABLE, NULL);
      tk_perform_failback (t);
    }
  if (t->rstate != TK_R_STABLE && t->rstate != TK_R_SHUTDOWN && t->rstate != TK_R_INIT)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "remote resource transition completed.");
      t->rstate = TK_R_STABLE;
      t->rscrcvd_deadline = 0;
      tk_req_our_resources (t, FALSE);
      tk_send_resources_held (t, TRUE, NULL);
      tk_perform_failback (t);
      t->foreign_done = TRUE;
      if (t->auto_failback != HB_FAILBACK_ON && (t->peer_class & HB_RSC_FOREIGN) != 0)
        {
          t->local_done = TRUE;
        }
      tk_announce (t, "T_RESOURCES(them)");
    }
}

/* isstable: absent in mach_down's message (no change), "1" or anything else. */
static void
tk_peer_stability (HbTakeover *t, const char *stable)
{
  if (stable != NULL && g_strcmp0 (stable, "1") == 0)
    {
      t->peer_restarting = FALSE;
      tk_peer_now_stable (t);
    }
  else if (stable != NULL)
    {
      t->other_stable = FALSE;
    }
  if (t->rstate == TK_R_RSCRCVD && t->rscrcvd_deadline == 0)
    {
      t->rscrcvd_deadline = t->now + t->request_delay_us; /* RQSTDELAY */
    }
}

static void
tk_resource_state_step (HbTakeover *t)
{
  if (t->rstate == TK_R_STARTING || t->rstate == TK_R_BOTHSTARTING)
    {
      t->rstate = TK_R_RSCRCVD;
      if (t->auto_failback == HB_FAILBACK_OFF)
        {
          t->foreign_done = TRUE;
          tk_announce (t, "T_RESOURCES");
        }
    }
}

gboolean
tk_recv_resource (HbTakeover *t, const HbTakeoverMsg *msg, GError **error)
{
  const char *hold = hb_takeover_msg_get (msg, "rsc_hold");
  const char *stable = hb_takeover_msg_get (msg, "isstable");
  gboolean full = g_strcmp0 (hb_takeover_msg_get (msg, "rtype"), "full") == 0;
  HbRsc n;

  if (hold == NULL)
    {
      return bad_message (error, msg, "without rsc_hold field");
    }
  if (!hb_rsc_from_string (hold, &n))
    {
      return bad_message (error, msg, "with bad rsc_hold value");
    }
  if (!t->nice)
    {
      return TRUE;
    }
  if (t->peer_dead)
    {
      /* A peer we declared dead talks again: the partition healed. */
      tk_partition_healed (t);
    }
  t->peer_alive = TRUE;
  t->peer_heard = TRUE;
  /* Talking again in the same run: whatever shutdown notice came before
   * (one the peer did not send), it did not leave, and its death later
   * is a death to take over from. */
  t->peer_left = FALSE;
  if (t->rstate == TK_R_INIT)
    {
      tk_update_peer (t, msg, n, full); /* remember; we act once comm is up */
      return TRUE;
    }
  tk_resource_state_step (t);
  tk_update_peer (t, msg, n, full);
  if (g_strcmp0 (stable, "0") == 0)
    {
      /* The peer is moving groups (shutdown, standby, start): what it holds
       * now is no reason for the "No one owns ..." audits below. */
      t->other_stable = FALSE;
    }
  tk_audit (t); /* what both sides claim, before we heal anything */
  tk_hb306_note_claim (t, msg);
  if (t->heal_pending || hb_takeover_msg_get (msg, "held_keys") != NULL)
    {
      /* A peer that lists its groups is judged on every list: whatever led
       * both of us to run a group (a partition, a restart, a notice that was
       * not true), the first exchange that shows it resolves it, and each
       * later one checks the outcome again. */
      tk_resolve_duplicates (t);
    }
  if (t->facts_changed)
    {
      t->facts_changed = FALSE;
      tk_send_resources_held (t, tk_is_stable (t), NULL);
    }
  tk_peer_stability (t, stable);
  tk_ipfail_check (t);
  return TRUE;
}

/* ---- audits (HB3 AuditResources) -------------------------------------------------- */

static gboolean
tk_has_class (const HbTakeover *t, HbRsc rsc)
{
  for (guint i = 0; i < t->groups->len; i++)
    {
      if (tk_group_class (g_ptr_array_index (t->groups, i)) == rsc)
        {
          return TRUE;
        }
    }
  return FALSE;
}

void
tk_audit (HbTakeover *t)
{
  HbRsc mine = tk_holdings (t);
  HbRsc other = t->peer_class;

  if (!t->nice)
    {
      return;
    }
  if ((mine & HB_RSC_LOCAL) && (other & HB_RSC_FOREIGN))
    {
      tk_log (t, HB_TAKEOVER_LOG_ERROR, "Both machines own our resources!");
    }
  if ((other & HB_RSC_LOCAL) && (mine & HB_RSC_FOREIGN))
    {
      tk_log (t, HB_TAKEOVER_LOG_ERROR, "Both machines own foreign resources!");
    }
  if (!tk_is_stable (t) || !t->other_stable || t->shutting_down)
    {
      return;
    }
  /* Unlike Heartbeat, a class without any group is never "orphaned". */
  if (tk_has_class (t, HB_RSC_LOCAL) && !(mine & HB_RSC_LOCAL) && !(other & HB_RSC_FOREIGN))
    {
      tk_log (t, HB_TAKEOVER_LOG_ERROR, "No one owns our local resources!");
    }
  if (tk_has_class (t, HB_RSC_FOREIGN) && !(other & HB_RSC_LOCAL) && !(mine & HB_RSC_FOREIGN))
    {
      tk_log (t, HB_TAKEOVER_LOG_ERROR, "No one owns foreign resources!");
    }
}

/* ---- legacy: ip-request / ip-request-resp (rc.d scripts, req_resource) ------------- */

static void
tk_send_ip_response (HbTakeover *t, const char *dest, const char *key, gboolean weown)
{
  HbTakeoverMsg *msg = hb_takeover_msg_new ("ip-request-resp");

  hb_takeover_msg_add (msg, "dest", dest);
  hb_takeover_msg_add (msg, "ipaddr", key);
  hb_takeover_msg_add (msg, "weown", weown ? "yes" : "no");
  hb_takeover_msg_add (msg, "ok", "OK");
  tk_send (t, msg);
}

gboolean
tk_recv_ip_request (HbTakeover *t, const HbTakeoverMsg *msg, GError **error)
{
  const char *key = hb_takeover_msg_get (msg, "ipaddr");
  const char *src = hb_takeover_msg_get (msg, "src");
  gint index = tk_group_index (t, key);
  TkJob *job;

  if (key == NULL || *key == '\0')
    {
      return bad_message (error, msg, "without ipaddr field");
    }
  if (t->peer_dead)
    {
      /* A peer we declared dead talks again: the partition healed, even if
       * its ip-request arrives before any status or resource message. */
      tk_partition_healed (t);
    }
  if (index < 0 || t->shutting_down
      || !(tk_group_held (tk_group (t, (guint) index)) || tk_group_busy (tk_group (t, (guint) index))))
    {
      tk_send_ip_response (t, src, key, FALSE);
      return TRUE;
    }
  if (t->heal_pending)
    {
      /* Legacy after a partition: the home node asked for its group back. */
      tk_log_split (t, key, src, t->local);
    }
  /* We own it (or an operation on it runs): give it up, then answer once it
   * is stopped — the requester starts it on our answer. */
  job = tk_job_new (TK_JOB_LEGACY_GIVE, HB_RSC_NONE, src);
  tk_job_add (job, (guint) index);
  tk_group_want (t, (guint) index, FALSE);
  tk_job_submit (t, job);
  return TRUE;
}

void
tk_job_done_legacy_give (HbTakeover *t, TkJob *job)
{
  TkGroup *g = tk_group (t, g_array_index (job->members, guint, 0));

  if (g->state == HB_GROUP_UNSTOPPABLE)
    {
      return; /* never let the requester start it */
    }
  tk_send_ip_response (t, job->arg, g->key, TRUE);
}

static void tk_legacy_take (HbTakeover *t, guint index);

gboolean
tk_recv_ip_request_resp (HbTakeover *t, const HbTakeoverMsg *msg, GError **error)
{
  const char *key = hb_takeover_msg_get (msg, "ipaddr");
  const char *dest = hb_takeover_msg_get (msg, "dest");
  const char *ok = hb_takeover_msg_get (msg, "ok");
  const char *weown = hb_takeover_msg_get (msg, "weown");
  gint index;

  if (key == NULL || *key == '\0')
    {
      return bad_message (error, msg, "without ipaddr field");
    }
  if (dest == NULL || g_ascii_strcasecmp (dest, t->local) != 0)
    {
      return TRUE; /* we did not request this group */
    }
  index = tk_group_index (t, key);
  if (index < 0)
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_UNKNOWN_GROUP,
                   "ip-request-resp from %s names unknown resource group '%s'",
                   hb_takeover_msg_get (msg, "src"), key);
      return FALSE;
    }
  tk_log (t, HB_TAKEOVER_LOG_INFO, "received ip-request-resp %s %s %s", key, ok ? ok : "",
          weown ? weown : "");
  if (t->legacy_pending > 0)
    {
      t->legacy_pending--;
    }
  if (g_strcmp0 (ok, "OK") != 0 || t->shutting_down)
    {
      return TRUE;
    }
  if (g_strcmp0 (weown, "yes") == 0 && tk_group_held (tk_group (t, (guint) index)))
    {
      /* It ran there while it ran here (a healed partition, a restart): we
       * keep it and re-announce the address. */
      tk_log_split (t, key, t->local, hb_takeover_msg_get (msg, "src"));
      tk_emit_group (t, HB_TAKEOVER_RESEND_ARP, key);
    }
  tk_legacy_take (t, (guint) index);
  return TRUE;
}

static void
tk_legacy_take (HbTakeover *t, guint index)
{
  TkJob *job;

  job = tk_job_new (TK_JOB_LEGACY_TAKE, HB_RSC_LOCAL, NULL);
  tk_job_add (job, index);
  tk_group_want (t, index, TRUE);
  tk_job_submit (t, job);
}

void
tk_job_done_legacy_take (HbTakeover *t, TkJob *job)
{
  (void) job;
  if (t->legacy_pending == 0 && !t->local_done)
    {
      t->local_done = TRUE;
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Local Resource acquisition completed.");
    }
}
