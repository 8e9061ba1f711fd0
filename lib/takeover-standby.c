/* systole: hb_standby / hb_takeover three-phase exchange, auto_failback on,
 * hand-off after a failed start, and the ipfail-like ping rule.
 * docs/PROTOCOL.md, "Standby and takeover", "auto_failback", "Group start and
 * stop" (HB3 hb_resource.c ask_for_resources, go_standby, PerformAutoFailback;
 * hb_standby.in, rc.d/hb_takeover). */
#include "takeover-private.h"

/* The protocol phase numbers Heartbeat prints ("in state %d"). */
static const char *const standby_info[] = { "not", "me", "other", "done" };

static void
tk_send_standby (HbTakeover *t, TkStandby phase, HbRsc rsc)
{
  HbTakeoverMsg *msg = hb_takeover_msg_new ("ask_resources");

  hb_takeover_msg_add (msg, "rsc_hold", hb_rsc_to_string (rsc));
  hb_takeover_msg_add (msg, "info", standby_info[phase]);
  if (phase == TK_SB_ME && t->sb_origin == TK_ORIGIN_HANDOFF)
    {
      /* systole: our start of these failed (Heartbeat 3.0.6 ignores it): the
       * peer knows a group that fails there too is bouncing. */
      hb_takeover_msg_add (msg, "handoff", "1");
    }
  tk_send (t, msg);
}

/* hb_standby arguments; `failback` means "let the peer fail back its own
 * groups", i.e. give up our foreign ones (docs/PROTOCOL.md, "Standby and takeover"). */
static gboolean
tk_parse_what (const char *what, HbRsc *rsc, GError **error)
{
  if (what == NULL || g_strcmp0 (what, "failback") == 0)
    {
      *rsc = what == NULL ? HB_RSC_ALL : HB_RSC_FOREIGN;
      return TRUE;
    }
  if (hb_rsc_from_string (what, rsc) && *rsc != HB_RSC_NONE)
    {
      return TRUE;
    }
  g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_BAD_ARGUMENT,
               "bad argument '%s': expected all, local, foreign or failback", what);
  return FALSE;
}

static gboolean
tk_refuse_legacy (HbTakeover *t, GError **error)
{
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Standby mode only implemented when nice_failback on");
  g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_REFUSED,
               "auto_failback is set to legacy. Cannot enter standby.");
  return FALSE;
}

static gboolean
tk_locally_stable (const HbTakeover *t)
{
  return t->rstate == TK_R_STABLE && t->jobs->len == 0 && !tk_any_busy (t);
}

/* The checks every `me` goes through, ours or the peer's. */
static gboolean
tk_standby_acceptable (HbTakeover *t, const char *info, const char *from)
{
  if (t->sb != TK_SB_NOT && t->sb_deadline != 0 && t->now < t->sb_deadline
      && g_strcmp0 (info, "me") == 0)
    {
      gint64 left_ms = (t->sb_deadline - t->now + 999) / 1000;

      tk_log (t, HB_TAKEOVER_LOG_WARN,
              "Standby in progress- new request from %s ignored [%" G_GINT64_FORMAT
              " seconds left]",
              from, (left_ms + 999) / 1000);
      return FALSE;
    }
  if (t->sb != TK_SB_NOT)
    {
      return TRUE;
    }
  if (!t->other_stable)
    {
      tk_log (t, HB_TAKEOVER_LOG_WARN, "standby message [%s] from %s ignored.  Other side is in flux.",
              info, from);
      return FALSE;
    }
  if (!tk_locally_stable (t))
    {
      tk_log (t, HB_TAKEOVER_LOG_WARN,
              "standby message [%s] from %s ignored.  local resources in flux.", info, from);
      return FALSE;
    }
  return TRUE;
}

/* Phase 1 on the requester. Unlike Heartbeat (which sends first and then
 * ignores its own request when in flux, leaving the peer waiting), the checks
 * run before anything is sent. */
gboolean
tk_standby_request (HbTakeover *t, HbRsc rsc, TkOrigin origin)
{
  if (!tk_standby_acceptable (t, "me", t->local))
    {
      return FALSE;
    }
  t->sb_origin = origin;
  tk_send_standby (t, TK_SB_ME, rsc);
  tk_log (t, HB_TAKEOVER_LOG_INFO, "%s wants to go standby [%s]", t->local, hb_rsc_to_string (rsc));
  t->other_stable = FALSE;
  t->sb = TK_SB_ME;
  t->sb_rsc = rsc;
  t->sb_deadline = t->now + t->standby_reply_us;
  t->sb_origin = origin;
  return TRUE;
}

gboolean
hb_takeover_standby (HbTakeover *t, gint64 now_us, const char *what, GPtrArray *actions,
                     GError **error)
{
  HbRsc rsc;
  gboolean ok = TRUE;

  if (!tk_parse_what (what, &rsc, error))
    {
      return FALSE;
    }
  tk_begin (t, now_us, actions);
  if (!t->nice)
    {
      ok = tk_refuse_legacy (t, error);
    }
  else if (t->shutting_down)
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_REFUSED, "shutdown in progress");
      ok = FALSE;
    }
  else
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Going standby [%s].", hb_rsc_to_string (rsc));
      tk_standby_request (t, rsc, TK_ORIGIN_COMMAND);
    }
  tk_end (t);
  return ok;
}

/* hb_takeover X: the peer runs hb_standby with X seen from its side
 * (rc.d/hb_takeover: all->all, local->foreign, foreign->local). We send
 * `failback` as `local`: "I take back my own groups" is exactly that, and a
 * 3.0.6 peer would map a literal `failback` to `all` (docs/PROTOCOL.md,
 * "Standby and takeover"). */
gboolean
hb_takeover_takeover (HbTakeover *t, gint64 now_us, const char *what, GPtrArray *actions,
                      GError **error)
{
  HbTakeoverMsg *msg;
  gboolean ok = TRUE;

  if (what != NULL && g_strcmp0 (what, "failback") != 0 && g_strcmp0 (what, "all") != 0
      && g_strcmp0 (what, "local") != 0 && g_strcmp0 (what, "foreign") != 0)
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_BAD_ARGUMENT,
                   "bad argument '%s': expected all, local, foreign or failback", what);
      return FALSE;
    }
  tk_begin (t, now_us, actions);
  if (!t->nice)
    {
      ok = tk_refuse_legacy (t, error);
    }
  else
    {
      msg = hb_takeover_msg_new ("hb_takeover");
      hb_takeover_msg_add (msg, "rsc_hold", g_strcmp0 (what, "failback") == 0 ? "local"
                                            : what ? what : "all");
      tk_send (t, msg);
    }
  tk_end (t);
  return ok;
}

/* rc.d/hb_takeover: the requester wants X, we give up the mirror image. A
 * literal `failback` (from a 3.0.6 hb_takeover) means its own groups; 3.0.6
 * itself maps it (and anything unknown) to `all` (docs/PROTOCOL.md,
 * "Standby and takeover"). */
static const struct
{
  const char *wanted;
  HbRsc give_up;
} takeover_map[] = {
  { "all", HB_RSC_ALL },          { "none", HB_RSC_ALL },
  { "local", HB_RSC_FOREIGN },    { "failback", HB_RSC_FOREIGN },
  { "foreign", HB_RSC_LOCAL },
};

gboolean
tk_recv_hb_takeover (HbTakeover *t, const HbTakeoverMsg *msg, GError **error)
{
  const char *what = hb_takeover_msg_get (msg, "rsc_hold");
  HbRsc rsc = HB_RSC_ALL; /* no value: hb_standby without argument */
  gboolean known = what == NULL;

  for (guint i = 0; what != NULL && i < G_N_ELEMENTS (takeover_map); i++)
    {
      if (g_strcmp0 (what, takeover_map[i].wanted) == 0)
        {
          rsc = takeover_map[i].give_up;
          known = TRUE;
        }
    }
  if (!known)
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_BAD_MESSAGE,
                   "hb_takeover message from %s with bad rsc_hold value",
                   hb_takeover_msg_get (msg, "src"));
      return FALSE;
    }
  if (!t->nice)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Standby mode only implemented when nice_failback on");
      return TRUE;
    }
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Going standby [%s].", hb_rsc_to_string (rsc));
  tk_standby_request (t, rsc, TK_ORIGIN_COMMAND);
  return TRUE;
}

/* ---- the phases ------------------------------------------------------------------ */

/* The set a node acts on: the requester gives up X, the other acquires X seen
 * from its own side (HB3 go_standby). */
static HbRsc
tk_mirror (HbRsc rsc)
{
  static const HbRsc mirror[] = { HB_RSC_NONE, HB_RSC_FOREIGN, HB_RSC_LOCAL, HB_RSC_ALL };

  return mirror[rsc & HB_RSC_ALL];
}

static void
tk_go_standby_me (HbTakeover *t, HbRsc rsc)
{
  TkJob *job = tk_job_new (TK_JOB_SB_GIVEUP, rsc, NULL);

  t->other_stable = FALSE;
  tk_log (t, HB_TAKEOVER_LOG_INFO, "give up %s HA resources (standby).", hb_rsc_to_string (rsc));
  tk_job_want_class (t, job, rsc, FALSE);
  tk_send_resources_held (t, FALSE, "standby");
  tk_job_submit (t, job);
}

void
tk_job_done_sb_giveup (HbTakeover *t, TkJob *job)
{
  for (guint i = 0; i < job->members->len; i++)
    {
      if (tk_group (t, g_array_index (job->members, guint, i))->state == HB_GROUP_UNSTOPPABLE)
        {
          /* Never tell the peer it may start it (docs/PROTOCOL.md, "Group start
           * and stop"); the standby cannot complete (the node self-fences). */
          tk_standby_cancel (t);
          return;
        }
    }
  if (t->sb != TK_SB_ME)
    {
      return; /* cancelled (peer death) meanwhile */
    }
  tk_log (t, HB_TAKEOVER_LOG_INFO, "%s HA resource release completed (standby).",
          hb_rsc_to_string (job->rsc));
  tk_send_standby (t, TK_SB_DONE, t->sb_rsc);
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Local standby process completed [%s].",
          hb_rsc_to_string (t->sb_rsc));
  t->sb = TK_SB_DONE;
  t->sb_deadline = t->now + t->standby_us;
}

void
tk_go_standby_other (HbTakeover *t, HbRsc rsc)
{
  TkJob *job = tk_job_new (TK_JOB_SB_ACQUIRE, rsc, NULL);
  HbRsc act = tk_mirror (rsc);

  t->sb = TK_SB_DONE;
  t->sb_rsc = rsc;
  t->sb_deadline = t->now + t->standby_us;
  tk_log (t, HB_TAKEOVER_LOG_INFO, "acquire %s HA resources (standby).", hb_rsc_to_string (act));
  tk_job_want_class (t, job, act, TRUE);
  for (guint i = 0; i < job->members->len; i++)
    {
      tk_group (t, g_array_index (job->members, guint, i))->handed_back = t->sb_peer_handoff;
    }
  t->sb_peer_handoff = FALSE;
  tk_job_submit (t, job);
}

void
tk_job_done_sb_acquire (HbTakeover *t, TkJob *job)
{
  tk_log (t, HB_TAKEOVER_LOG_INFO, "%s HA resource acquisition completed (standby).",
          hb_rsc_to_string (tk_mirror (job->rsc)));
  if (t->sb != TK_SB_DONE)
    {
      return; /* cancelled meanwhile (the requester died) */
    }
  tk_send_standby (t, TK_SB_DONE, job->rsc);
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Standby resource acquisition done [%s].",
          hb_rsc_to_string (job->rsc));
  if (t->auto_failback == HB_FAILBACK_ON)
    {
      t->local_done = TRUE;
      tk_announce (t, "auto_failback");
    }
  t->sb = TK_SB_NOT;
  t->sb_deadline = 0;
  tk_send_resources_held (t, TRUE, NULL);
}

/* One handler per protocol phase (HB3 ask_for_resources' switch). */
static void
tk_phase_not (HbTakeover *t, const char *from, HbRsc rsc)
{
  t->other_stable = FALSE;
  tk_log (t, HB_TAKEOVER_LOG_INFO, "%s wants to go standby [%s]", from, hb_rsc_to_string (rsc));
  t->sb = TK_SB_OTHER;
  t->sb_rsc = rsc;
  tk_send_standby (t, TK_SB_OTHER, rsc);
  t->sb_deadline = t->now + t->standby_us;
}

static void
tk_phase_me (HbTakeover *t, const char *from, HbRsc rsc)
{
  t->sb_rsc = rsc;
  t->sb_deadline = t->now + t->standby_us;
  tk_log (t, HB_TAKEOVER_LOG_INFO, "standby: %s can take our %s resources", from,
          hb_rsc_to_string (rsc));
  tk_go_standby_me (t, rsc);
}

static void
tk_phase_other (HbTakeover *t, const char *from, HbRsc rsc)
{
  tk_log (t, HB_TAKEOVER_LOG_INFO, "standby: acquire [%s] resources from %s",
          hb_rsc_to_string (rsc), from);
  tk_go_standby_other (t, rsc);
}

static void
tk_phase_done (HbTakeover *t, const char *from, HbRsc rsc)
{
  (void) from;
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Other node completed standby takeover of %s resources.",
          hb_rsc_to_string (rsc));
  t->sb = TK_SB_NOT;
  t->sb_deadline = 0;
  tk_send_resources_held (t, TRUE, NULL);
}

/* In phase P a peer message with info=EXPECTED moves the exchange on. */
static const struct
{
  const char *expected;
  void (*step) (HbTakeover *t, const char *from, HbRsc rsc);
} phases[] = {
  [TK_SB_NOT] = { "me", tk_phase_not },
  [TK_SB_ME] = { "other", tk_phase_me },
  [TK_SB_OTHER] = { "done", tk_phase_other },
  [TK_SB_DONE] = { "done", tk_phase_done },
};

static gboolean
tk_standby_step (HbTakeover *t, const char *info, const char *from, HbRsc rsc)
{
  if (g_strcmp0 (info, phases[t->sb].expected) != 0)
    {
      return FALSE;
    }
  phases[t->sb].step (t, from, rsc);
  return TRUE;
}

/* Heartbeat ignores a `me` that arrives while our own groups are moving (and
 * the requester times out after 10 s); we answer when they are done. */
static gboolean
tk_standby_defer (HbTakeover *t, const char *info, const char *from, HbRsc rsc)
{
  if (t->sb != TK_SB_NOT || g_strcmp0 (info, "me") != 0 || !t->other_stable
      || t->rstate != TK_R_STABLE || tk_locally_stable (t) || t->shutting_down)
    {
      return FALSE;
    }
  tk_log (t, HB_TAKEOVER_LOG_INFO,
          "standby message [me] from %s deferred until local resources are stable.", from);
  t->deferred_rsc = rsc;
  t->deferred_until = t->now + t->standby_reply_us;
  return TRUE;
}

gboolean
tk_recv_ask_resources (HbTakeover *t, const HbTakeoverMsg *msg, GError **error)
{
  const char *info = hb_takeover_msg_get (msg, "info");
  const char *from = hb_takeover_msg_get (msg, "src");
  const char *hold = hb_takeover_msg_get (msg, "rsc_hold");
  HbRsc rsc = HB_RSC_ALL;
  TkStandby before = t->sb;

  if (info == NULL || (hold != NULL && !hb_rsc_from_string (hold, &rsc)))
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_BAD_MESSAGE,
                   "ask_resources message from %s without info or with bad rsc_hold", from);
      return FALSE;
    }
  if (!t->nice)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Standby mode only implemented when nice_failback on");
      return TRUE;
    }
  if (t->shutting_down || t->rstate == TK_R_SHUTDOWN)
    {
      return TRUE; /* standby message ignored during shutdown */
    }
  if (g_strcmp0 (info, "me") == 0)
    {
      t->sb_peer_handoff = g_strcmp0 (hb_takeover_msg_get (msg, "handoff"), "1") == 0;
    }
  if (tk_standby_defer (t, info, from, rsc) || !tk_standby_acceptable (t, info, from))
    {
      return TRUE;
    }
  if (!tk_standby_step (t, info, from, rsc))
    {
      tk_log (t, HB_TAKEOVER_LOG_ERROR, "Ignored standby message '%s' from %s in state %d", info,
              from, (int) before);
    }
  return TRUE;
}

void
tk_standby_run_deferred (HbTakeover *t)
{
  if (t->deferred_until == 0 || !tk_locally_stable (t) || t->sb != TK_SB_NOT)
    {
      return;
    }
  if (t->now < t->deferred_until && t->peer_alive && !t->shutting_down)
    {
      tk_standby_step (t, "me", t->peer, t->deferred_rsc);
    }
  t->deferred_until = 0;
}

void
tk_standby_cancel (HbTakeover *t)
{
  if (t->sb != TK_SB_NOT)
    {
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Cancelling pending standby operation");
      t->sb = TK_SB_NOT;
      t->sb_deadline = 0;
    }
}

void
tk_standby_expired (HbTakeover *t)
{
  if (t->sb == TK_SB_NOT)
    {
      return;
    }
  tk_log (t, HB_TAKEOVER_LOG_WARN, "No reply to standby request.  Standby request cancelled.");
  t->sb = TK_SB_NOT;
  /* Automatic requests are retried (the peer may have been busy: it ignores
   * a request while its own resources are in flux). */
  if (t->sb_origin == TK_ORIGIN_FAILBACK)
    {
      t->needs_failback = TRUE;
      t->failback_at = t->now + t->failback_retry_us;
    }
  else if (t->sb_origin == TK_ORIGIN_HANDOFF)
    {
      t->handoff_rsc |= t->sb_rsc;
      t->handoff_at = t->now + t->failback_retry_us;
    }
  /* The request was only made while the peer was stable; nothing moved. */
  t->other_stable = t->peer_alive;
}

/* ---- auto_failback on (HB3 PerformAutoFailback) ------------------------------------ */

static gboolean
tk_peer_ping_worse (const HbTakeover *t)
{
  return t->peer_ping_reachable == 0 && t->peer_ping_total > 0 && t->ping_reachable > 0;
}

void
tk_perform_failback (HbTakeover *t)
{
  if (t->shutting_down || (tk_holdings (t) & HB_RSC_FOREIGN) == 0 || !t->needs_failback
      || t->auto_failback != HB_FAILBACK_ON)
    {
      t->needs_failback = FALSE;
      return;
    }
  if (!t->peer_alive || tk_peer_ping_worse (t))
    {
      return; /* keep the wish until the home node can serve again */
    }
  if (t->sb != TK_SB_NOT || !t->other_stable || !tk_locally_stable (t))
    {
      tk_log (t, HB_TAKEOVER_LOG_DEBUG, "Auto failback delayed.");
      t->failback_at = t->now + t->failback_retry_us;
      return;
    }
  t->needs_failback = FALSE;
  tk_standby_request (t, HB_RSC_FOREIGN, TK_ORIGIN_FAILBACK);
}

/* ---- failed start: let the peer have the group's class ------------------------------ */

void
tk_job_done_failed_start (HbTakeover *t, TkJob *job)
{
  const TkGroup *g = tk_group (t, (guint) tk_group_index (t, job->arg));

  if (g->state == HB_GROUP_UNSTOPPABLE)
    {
      return;
    }
  if (g->bounced)
    {
      /* It came back after failing here (the peer could not run it either):
       * stop the ping-pong, leave it stopped for an operator. */
      tk_log (t, HB_TAKEOVER_LOG_ERROR,
              "Resource group %s failed to start again; leaving it stopped.", job->arg);
      return;
    }
  if (!t->nice || !t->peer_alive)
    {
      tk_log (t, HB_TAKEOVER_LOG_ERROR,
              "Resource group %s failed to start and no other node can take it.", job->arg);
      return;
    }
  t->handoff_rsc |= job->rsc;
  tk_handoff_try (t);
}

void
tk_handoff_try (HbTakeover *t)
{
  HbRsc rsc = t->handoff_rsc;

  if (rsc == HB_RSC_NONE || t->shutting_down || !t->peer_alive)
    {
      t->handoff_rsc = HB_RSC_NONE;
      return;
    }
  if (t->sb != TK_SB_NOT || !t->other_stable || !tk_locally_stable (t))
    {
      t->handoff_at = t->now + t->failback_retry_us;
      return;
    }
  t->handoff_rsc = HB_RSC_NONE;
  tk_log (t, HB_TAKEOVER_LOG_INFO, "Going standby [%s].", hb_rsc_to_string (rsc));
  tk_standby_request (t, rsc, TK_ORIGIN_HANDOFF);
}

/* ---- ipfail-like rule ---------------------------------------------------------------- */

/* A node that reaches none of its ping nodes while the peer reaches some gives
 * everything to the peer (it cannot serve clients anyway). */
void
tk_ipfail_check (HbTakeover *t)
{
  if (!t->nice || !t->peer_alive || t->ping_total == 0 || t->ping_reachable > 0
      || t->peer_ping_reachable <= 0 || tk_holdings (t) == HB_RSC_NONE || t->sb != TK_SB_NOT
      || !t->other_stable || !tk_locally_stable (t) || t->shutting_down)
    {
      return;
    }
  tk_log (t, HB_TAKEOVER_LOG_WARN,
          "No ping node reachable (0/%u), %s reaches %d/%u: giving all resources to %s.",
          t->ping_total, t->peer, t->peer_ping_reachable, t->peer_ping_total, t->peer);
  tk_standby_request (t, HB_RSC_ALL, TK_ORIGIN_COMMAND);
}

void
hb_takeover_set_ping (HbTakeover *t, gint64 now_us, guint reachable, guint total,
                      GPtrArray *actions)
{
  gboolean changed = reachable != t->ping_reachable || total != t->ping_total;

  tk_begin (t, now_us, actions);
  t->ping_reachable = MIN (reachable, total);
  t->ping_total = total;
  if (changed && t->comm_is_up)
    {
      /* The peer decides with our figure: tell it now. */
      tk_send_resources_held (t, tk_is_stable (t), NULL);
    }
  tk_ipfail_check (t);
  tk_end (t);
}
