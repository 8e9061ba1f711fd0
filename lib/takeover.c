/* systole: takeover engine core — groups, one operation at a time per group,
 * jobs, agent results, timers and queries. The protocol steps live in
 * takeover-startup.c, takeover-standby.c and takeover-node.c. */
#include "takeover-private.h"

#include <stdarg.h>

#define US_PER_MS G_GINT64_CONSTANT (1000)

/* HB3 hb_resource.c: STANDBY_INIT_TO_MS, HB_STANDBY_RSC_TO_MS, RQSTDELAY, and
 * the 1 s AutoFailbackProc retry. */
#define DEFAULT_STANDBY_REPLY_MS 10000
#define DEFAULT_STANDBY_MS (60 * 60 * 1000)
#define DEFAULT_REQUEST_DELAY_MS 10000
#define DEFAULT_FAILBACK_RETRY_MS 1000

/* ---- output helpers ---------------------------------------------------------- */

static void
tk_emit (HbTakeover *t, HbTakeoverAction *action)
{
  g_ptr_array_add (t->out, action);
}

void
tk_log (HbTakeover *t, HbTakeoverLogLevel level, const char *format, ...)
{
  HbTakeoverAction *action = g_new0 (HbTakeoverAction, 1);
  va_list args;

  va_start (args, format);
  action->type = HB_TAKEOVER_LOG;
  action->level = level;
  action->text = g_strdup_vprintf (format, args);
  va_end (args);
  tk_emit (t, action);
}

void
tk_send (HbTakeover *t, HbTakeoverMsg *msg)
{
  HbTakeoverAction *action = g_new0 (HbTakeoverAction, 1);

  action->type = HB_TAKEOVER_SEND_MESSAGE;
  action->msg = msg;
  tk_emit (t, action);
}

void
tk_emit_group (HbTakeover *t, HbTakeoverActionType type, const char *key)
{
  HbTakeoverAction *action = g_new0 (HbTakeoverAction, 1);

  action->type = type;
  action->group = g_strdup (key);
  tk_emit (t, action);
}

static void
tk_emit_fence (HbTakeover *t, const TkGroup *g)
{
  HbTakeoverAction *action = g_new0 (HbTakeoverAction, 1);

  action->type = HB_TAKEOVER_SELF_FENCE;
  action->group = g_strdup (g->key);
  action->text = g_strdup_printf ("resource group %s cannot be stopped", g->key);
  tk_emit (t, action);
}

/* ---- groups ------------------------------------------------------------------ */

TkGroup *
tk_group (HbTakeover *t, guint index)
{
  return g_ptr_array_index (t->groups, index);
}

gint
tk_group_index (const HbTakeover *t, const char *key)
{
  for (guint i = 0; key != NULL && i < t->groups->len; i++)
    {
      const TkGroup *g = g_ptr_array_index (t->groups, i);

      if (g_strcmp0 (g->key, key) == 0)
        {
          return (gint) i;
        }
    }
  return -1;
}

/* Starting counts as held, as Heartbeat sets its HB_LOCAL_RSC bit before
 * takegroup ("We MUST do this now", HB3 req_our_resources); stopping does not,
 * as go_standby clears the bits before givegroup. A group that cannot be
 * stopped stays held for ever: the peer must never start it. */
gboolean
tk_group_held (const TkGroup *g)
{
  return g->state == HB_GROUP_STARTING || g->state == HB_GROUP_RUNNING
         || g->state == HB_GROUP_UNSTOPPABLE;
}

gboolean
tk_group_busy (const TkGroup *g)
{
  return g->state == HB_GROUP_STARTING || g->state == HB_GROUP_STOPPING
         || g->state == HB_GROUP_PROBING;
}

HbRsc
tk_group_class (const TkGroup *g)
{
  return g->ours ? HB_RSC_LOCAL : HB_RSC_FOREIGN;
}

HbRsc
tk_holdings (const HbTakeover *t)
{
  guint rsc = HB_RSC_NONE;

  for (guint i = 0; i < t->groups->len; i++)
    {
      const TkGroup *g = g_ptr_array_index (t->groups, i);

      if (tk_group_held (g))
        {
          rsc |= tk_group_class (g);
        }
    }
  return (HbRsc) rsc;
}

gboolean
tk_any_busy (const HbTakeover *t)
{
  for (guint i = 0; i < t->groups->len; i++)
    {
      if (tk_group_busy (g_ptr_array_index (t->groups, i)))
        {
          return TRUE;
        }
    }
  return FALSE;
}

/* HB3 hb_rsc_isstable(): nothing in flight, no standby, initial work done. */
gboolean
tk_is_stable (const HbTakeover *t)
{
  return t->rstate == TK_R_STABLE && t->sb == TK_SB_NOT && t->jobs->len == 0
         && !tk_any_busy (t);
}

/* Every group state change goes through here (logged at debug level). */
void
tk_group_set_state (HbTakeover *t, TkGroup *g, HbGroupState state)
{
  tk_log (t, HB_TAKEOVER_LOG_DEBUG, "resource group %s: %s -> %s", g->key,
          hb_group_state_to_string (g->state), hb_group_state_to_string (state));
  g->state = state;
}

/* One operation at a time per group: a new wish waits for the running
 * operation's result, then the group is driven towards the latest wish. */
static void
tk_group_drive (HbTakeover *t, TkGroup *g)
{
  if (g->want && g->state == HB_GROUP_STOPPED)
    {
      tk_group_set_state (t, g, HB_GROUP_STARTING);
      tk_emit_group (t, HB_TAKEOVER_START_GROUP, g->key);
    }
  else if (!g->want && g->state == HB_GROUP_RUNNING)
    {
      tk_group_set_state (t, g, HB_GROUP_STOPPING);
      tk_emit_group (t, HB_TAKEOVER_STOP_GROUP, g->key);
    }
}

void
tk_group_want (HbTakeover *t, guint index, gboolean run)
{
  TkGroup *g = tk_group (t, index);

  g->want = run;
  if (run && g->state == HB_GROUP_STOPPED)
    {
      g->taken = FALSE;
      g->restart_claim = FALSE;
    }
  tk_group_drive (t, g);
}

/* ---- jobs ---------------------------------------------------------------------- */

TkJob *
tk_job_new (TkJobKind kind, HbRsc rsc, const char *arg)
{
  TkJob *job = g_new0 (TkJob, 1);

  job->kind = kind;
  job->rsc = rsc;
  job->arg = g_strdup (arg);
  job->members = g_array_new (FALSE, FALSE, sizeof (guint));
  return job;
}

static void
tk_job_free (TkJob *job)
{
  g_array_unref (job->members);
  g_free (job->arg);
  g_free (job);
}

void
tk_job_add (TkJob *job, guint index)
{
  g_array_append_val (job->members, index);
}

/* Every member with `class & mask` gets the wish `run`. */
void
tk_job_want_class (HbTakeover *t, TkJob *job, HbRsc mask, gboolean run)
{
  for (guint i = 0; i < t->groups->len; i++)
    {
      if ((tk_group_class (tk_group (t, i)) & mask) != 0)
        {
          tk_job_add (job, i);
          tk_group_want (t, i, run);
        }
    }
}

static gboolean
tk_job_finished (HbTakeover *t, const TkJob *job)
{
  for (guint i = 0; i < job->members->len; i++)
    {
      if (tk_group_busy (tk_group (t, g_array_index (job->members, guint, i))))
        {
          return FALSE;
        }
    }
  return TRUE;
}

typedef void (*TkJobDone) (HbTakeover *t, TkJob *job);

static const TkJobDone job_done[TK_JOB_N_KINDS] = {
  [TK_JOB_PROBE] = tk_job_done_probe,
  [TK_JOB_LOCAL_ACQ] = tk_job_done_local_acq,
  [TK_JOB_MACH_DOWN] = tk_job_done_mach_down,
  [TK_JOB_SB_GIVEUP] = tk_job_done_sb_giveup,
  [TK_JOB_SB_ACQUIRE] = tk_job_done_sb_acquire,
  [TK_JOB_SHUTDOWN] = tk_job_done_shutdown,
  [TK_JOB_LEGACY_GIVE] = tk_job_done_legacy_give,
  [TK_JOB_LEGACY_TAKE] = tk_job_done_legacy_take,
  [TK_JOB_HEAL] = tk_job_done_heal,
  [TK_JOB_FAILED_START] = tk_job_done_failed_start,
};

/* Runs the completion step of every job whose groups are all idle, oldest
 * first; a step may submit new jobs, so scan again after each one. */
static void
tk_jobs_check (HbTakeover *t)
{
  gboolean progress = TRUE;

  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; i < t->jobs->len; i++)
        {
          TkJob *job = g_ptr_array_index (t->jobs, i);

          if (tk_job_finished (t, job))
            {
              g_ptr_array_steal_index (t->jobs, i);
              job_done[job->kind](t, job);
              tk_job_free (job);
              progress = TRUE;
              break;
            }
        }
    }
  tk_shutdown_if_needed (t);
  tk_standby_run_deferred (t);
}

void
tk_job_submit (HbTakeover *t, TkJob *job)
{
  g_ptr_array_add (t->jobs, job);
  tk_jobs_check (t);
}

/* ---- messages we send about ourselves ------------------------------------------ */

static char *
tk_keys (const HbTakeover *t, gboolean (*pick) (const TkGroup *g))
{
  GString *keys = g_string_new (NULL);

  for (guint i = 0; i < t->groups->len; i++)
    {
      const TkGroup *g = g_ptr_array_index (t->groups, i);

      if (pick (g))
        {
          g_string_append_printf (keys, "%s%s", keys->len ? " " : "", g->key);
        }
    }
  return g_string_free (keys, keys->len == 0);
}

static gboolean
tk_group_taken_held (const TkGroup *g)
{
  return g->taken && tk_group_held (g);
}

static gboolean
tk_group_restart_held (const TkGroup *g)
{
  return g->restart_claim && tk_group_held (g);
}

/* HB3 hb_send_resources_held(): t, rsc_hold, rtype=full, isstable, [info], then
 * our extensions (see takeover.h). Only in nice_failback mode. */
void
tk_send_resources_held (HbTakeover *t, gboolean stable, const char *info)
{
  HbTakeoverMsg *msg;
  g_autofree char *held = NULL;
  g_autofree char *taken = NULL;
  g_autofree char *restart = NULL;

  if (!t->nice)
    {
      return;
    }
  msg = hb_takeover_msg_new ("resource");
  hb_takeover_msg_add (msg, "rsc_hold", hb_rsc_to_string (tk_holdings (t)));
  hb_takeover_msg_add (msg, "rtype", "full");
  hb_takeover_msg_add (msg, "isstable", stable ? "1" : "0");
  if (info != NULL)
    {
      hb_takeover_msg_add (msg, "info", info);
    }
  held = tk_keys (t, tk_group_held);
  taken = tk_keys (t, tk_group_taken_held);
  restart = tk_keys (t, tk_group_restart_held);
  if (held != NULL)
    {
      hb_takeover_msg_add (msg, "held_keys", held);
    }
  if (taken != NULL)
    {
      hb_takeover_msg_add (msg, "takeover_keys", taken);
    }
  if (restart != NULL)
    {
      hb_takeover_msg_add (msg, "restart_keys", restart);
    }
  if (t->ping_total > 0)
    {
      g_autofree char *ping = g_strdup_printf ("%u/%u", t->ping_reachable, t->ping_total);
      hb_takeover_msg_add (msg, "ping", ping);
    }
  tk_send (t, msg);
}

/* HB3 AnnounceTakeover(): once both halves of the initial work are done. */
void
tk_announce (HbTakeover *t, const char *reason)
{
  if (t->local_done && t->foreign_done && !t->announced)
    {
      t->announced = TRUE;
      tk_log (t, HB_TAKEOVER_LOG_INFO, "Initial resource acquisition complete (%s)", reason);
    }
}

/* ---- object ---------------------------------------------------------------------- */

static gint64
ms_or (guint ms, guint fallback)
{
  return (gint64) (ms ? ms : fallback) * US_PER_MS;
}

static void
tk_group_free (TkGroup *g)
{
  g_free (g->key);
  g_free (g->home);
  g_free (g);
}

static char *
tk_find_peer (const HbConfig *config)
{
  for (guint i = 0; config->nodes != NULL && i < config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (config->nodes, i);

      if (node->type == HB_NODE_NORMAL && g_ascii_strcasecmp (node->name, config->local_node) != 0)
        {
          return g_ascii_strdown (node->name, -1);
        }
    }
  return NULL;
}

HbTakeover *
hb_takeover_new (const HbConfig *config, const HbTakeoverOptions *options)
{
  static const HbTakeoverOptions defaults = { 0 };
  HbTakeover *t;

  g_return_val_if_fail (config != NULL && config->local_node != NULL, NULL);
  t = g_new0 (HbTakeover, 1);
  options = options ? options : &defaults;
  t->local = g_ascii_strdown (config->local_node, -1);
  t->peer = tk_find_peer (config);
  t->auto_failback = config->auto_failback;
  t->nice = config->auto_failback != HB_FAILBACK_LEGACY;
  t->standby_reply_us = ms_or (options->standby_reply_timeout_ms, DEFAULT_STANDBY_REPLY_MS);
  t->standby_us = ms_or (options->standby_timeout_ms, DEFAULT_STANDBY_MS);
  t->request_delay_us = ms_or (options->request_delay_ms, DEFAULT_REQUEST_DELAY_MS);
  t->failback_retry_us = ms_or (options->failback_retry_ms, DEFAULT_FAILBACK_RETRY_MS);
  t->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) tk_group_free);
  t->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) tk_job_free);
  t->peer_ping_reachable = -1;
  for (guint i = 0; config->groups != NULL && i < config->groups->len; i++)
    {
      const HbResourceGroup *rg = g_ptr_array_index (config->groups, i);
      TkGroup *g = g_new0 (TkGroup, 1);

      g->key = g_strdup (rg->key);
      g->home = g_ascii_strdown (rg->home_node, -1);
      g->ours = g_strcmp0 (g->home, t->local) == 0;
      g->state = HB_GROUP_UNKNOWN;
      g_ptr_array_add (t->groups, g);
    }
  return t;
}

void
hb_takeover_free (HbTakeover *t)
{
  if (t == NULL)
    {
      return;
    }
  g_free (t->local);
  g_free (t->peer);
  g_ptr_array_unref (t->groups);
  g_ptr_array_unref (t->jobs);
  g_free (t);
}

/* Every public entry point runs between begin and end: the engine appends to
 * the caller's array only during the call. */
void
tk_begin (HbTakeover *t, gint64 now_us, GPtrArray *actions)
{
  t->now = now_us;
  t->out = actions;
}

void
tk_end (HbTakeover *t)
{
  tk_jobs_check (t);
  t->out = NULL;
}

void
hb_takeover_start (HbTakeover *t, gint64 now_us, GPtrArray *actions)
{
  TkJob *job;

  if (t->started)
    {
      return;
    }
  t->started = TRUE;
  job = tk_job_new (TK_JOB_PROBE, HB_RSC_NONE, NULL);
  tk_begin (t, now_us, actions);
  if (t->auto_failback == HB_FAILBACK_LEGACY)
    {
      /* docs/PROTOCOL.md, "auto_failback" (legacy) */
      tk_log (t, HB_TAKEOVER_LOG_WARN, "Deprecated 'legacy' auto_failback option selected.");
      tk_log (t, HB_TAKEOVER_LOG_WARN, "Please convert to 'auto_failback on'.");
    }
  t->probing = TRUE;
  for (guint i = 0; i < t->groups->len; i++)
    {
      TkGroup *g = tk_group (t, i);

      if (g->state == HB_GROUP_UNKNOWN)
        {
          tk_group_set_state (t, g, HB_GROUP_PROBING);
          tk_emit_group (t, HB_TAKEOVER_PROBE_GROUP, g->key);
          tk_job_add (job, i);
        }
    }
  tk_job_submit (t, job);
  tk_end (t);
}

void
hb_takeover_comm_up (HbTakeover *t, gint64 now_us, HbPeerState peer, GPtrArray *actions)
{
  if (t->comm_is_up)
    {
      return; /* once per daemon life */
    }
  if (!t->started)
    {
      hb_takeover_start (t, now_us, actions);
    }
  tk_begin (t, now_us, actions);
  t->comm_is_up = TRUE;
  if (t->probing)
    {
      t->comm_up_deferred = TRUE;
      t->deferred_peer = peer;
    }
  else
    {
      tk_startup_comm_up (t, peer);
    }
  tk_end (t);
}

/* ---- peer messages ------------------------------------------------------------------ */

typedef gboolean (*TkReceive) (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);

/* Message types of docs/PROTOCOL.md, "Resource management" (HB3 T_STARTING,
 * T_RESOURCES, T_ASKRESOURCES, T_SHUTDONE, rc.d ip-request / ip-request-resp / hb_takeover). */
static const struct
{
  const char *type;
  TkReceive receive;
} receivers[] = {
  { "starting", tk_recv_starting },
  { "resource", tk_recv_resource },
  { "ask_resources", tk_recv_ask_resources },
  { "shutdone", tk_recv_shutdone },
  { "ip-request", tk_recv_ip_request },
  { "ip-request-resp", tk_recv_ip_request_resp },
  { "hb_takeover", tk_recv_hb_takeover },
};

gboolean
hb_takeover_receive (HbTakeover *t, gint64 now_us, const HbTakeoverMsg *msg, GPtrArray *actions,
                     GError **error)
{
  const char *src = hb_takeover_msg_get (msg, "src");
  gboolean ok = TRUE;

  if (src == NULL || *src == '\0')
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_BAD_MESSAGE,
                   "%s message without src field", msg->type ? msg->type : "(untyped)");
      return FALSE;
    }
  if (g_ascii_strcasecmp (src, t->local) == 0)
    {
      return TRUE; /* our own effects were applied when we sent it */
    }
  if (t->peer == NULL || g_ascii_strcasecmp (src, t->peer) != 0)
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_BAD_MESSAGE,
                   "%s message from '%s', which is not a node of this cluster",
                   msg->type ? msg->type : "(untyped)", src);
      return FALSE;
    }
  tk_begin (t, now_us, actions);
  for (guint i = 0; i < G_N_ELEMENTS (receivers); i++)
    {
      if (g_strcmp0 (msg->type, receivers[i].type) == 0)
        {
          ok = receivers[i].receive (t, msg, error);
          break;
        }
    }
  tk_end (t);
  return ok;
}

/* ---- agent results ---------------------------------------------------------------- */

static TkGroup *
tk_result_group (HbTakeover *t, const char *key, HbGroupState expected, const char *what,
                 GError **error)
{
  gint index = tk_group_index (t, key);
  TkGroup *g;

  if (index < 0)
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_UNKNOWN_GROUP,
                   "%s result for unknown resource group '%s'", what, key ? key : "(null)");
      return NULL;
    }
  g = tk_group (t, (guint) index);
  if (g->state != expected)
    {
      g_set_error (error, HB_TAKEOVER_ERROR, HB_TAKEOVER_ERROR_UNEXPECTED,
                   "%s result for resource group '%s' which is %s", what, key,
                   hb_group_state_to_string (g->state));
      return NULL;
    }
  return g;
}

/* A failed start stops the whole group (right to left) and lets the peer
 * have it (docs/PROTOCOL.md, "Group start and stop"). */
static void
tk_start_failed (HbTakeover *t, TkGroup *g, const char *failed_resource)
{
  TkJob *job = tk_job_new (TK_JOB_FAILED_START, tk_group_class (g), g->key);

  tk_log (t, HB_TAKEOVER_LOG_CRIT, "Giving up resources due to failure of %s",
          failed_resource ? failed_resource : g->key);
  g->want = FALSE;
  tk_group_set_state (t, g, HB_GROUP_STOPPING);
  tk_emit_group (t, HB_TAKEOVER_STOP_GROUP, g->key);
  tk_job_add (job, (guint) tk_group_index (t, g->key));
  g_ptr_array_add (t->jobs, job);
}

gboolean
hb_takeover_group_started (HbTakeover *t, gint64 now_us, const char *key, gboolean ok,
                           const char *failed_resource, GPtrArray *actions, GError **error)
{
  TkGroup *g = tk_result_group (t, key, HB_GROUP_STARTING, "start", error);

  if (g == NULL)
    {
      return FALSE;
    }
  tk_begin (t, now_us, actions);
  if (ok)
    {
      g->start_failures = 0;
      g->handed_back = FALSE;
      tk_group_set_state (t, g, HB_GROUP_RUNNING);
      tk_group_drive (t, g);
    }
  else
    {
      g->start_failures++;
      g->bounced = g->handed_back && g->start_failures > 1;
      g->handed_back = FALSE;
      tk_start_failed (t, g, failed_resource);
    }
  tk_end (t);
  return TRUE;
}

gboolean
hb_takeover_group_stopped (HbTakeover *t, gint64 now_us, const char *key, gboolean ok,
                           GPtrArray *actions, GError **error)
{
  TkGroup *g = tk_result_group (t, key, HB_GROUP_STOPPING, "stop", error);

  if (g == NULL)
    {
      return FALSE;
    }
  tk_begin (t, now_us, actions);
  if (ok)
    {
      tk_group_set_state (t, g, HB_GROUP_STOPPED);
      g->taken = FALSE;
      g->restart_claim = FALSE;
      tk_group_drive (t, g);
    }
  else
    {
      /* Never tell the peer it may start it; reboot (docs/PROTOCOL.md,
       * "Group start and stop"). */
      tk_group_set_state (t, g, HB_GROUP_UNSTOPPABLE);
      g->want = TRUE;
      tk_log (t, HB_TAKEOVER_LOG_CRIT, "Resource STOP failure. Reboot required!");
      tk_emit_fence (t, g);
    }
  tk_end (t);
  return TRUE;
}

gboolean
hb_takeover_group_probed (HbTakeover *t, gint64 now_us, const char *key, gboolean running,
                          GPtrArray *actions, GError **error)
{
  TkGroup *g = tk_result_group (t, key, HB_GROUP_PROBING, "status", error);

  if (g == NULL)
    {
      return FALSE;
    }
  tk_begin (t, now_us, actions);
  tk_group_set_state (t, g, running ? HB_GROUP_RUNNING : HB_GROUP_STOPPED);
  g->want = running;
  g->found_running = running;
  g->restart_claim = running;
  tk_end (t);
  return TRUE;
}

/* ---- timers -------------------------------------------------------------------------- */

typedef struct
{
  gsize offset;                    /* of the gint64 deadline in HbTakeover */
  void (*expired) (HbTakeover *t);
} TkTimer;

static const TkTimer timers[] = {
  { G_STRUCT_OFFSET (HbTakeover, rscrcvd_deadline), tk_rscrcvd_expired },
  { G_STRUCT_OFFSET (HbTakeover, sb_deadline), tk_standby_expired },
  { G_STRUCT_OFFSET (HbTakeover, failback_at), tk_perform_failback },
  { G_STRUCT_OFFSET (HbTakeover, handoff_at), tk_handoff_try },
  { G_STRUCT_OFFSET (HbTakeover, hb306_heal_at), tk_hb306_heal_expired },
  { G_STRUCT_OFFSET (HbTakeover, hb306_claim_at), tk_hb306_claim_expired },
};

void
hb_takeover_tick (HbTakeover *t, gint64 now_us, GPtrArray *actions)
{
  tk_begin (t, now_us, actions);
  for (guint i = 0; i < G_N_ELEMENTS (timers); i++)
    {
      gint64 *deadline = G_STRUCT_MEMBER_P (t, timers[i].offset);

      if (*deadline != 0 && *deadline <= now_us)
        {
          *deadline = 0;
          timers[i].expired (t);
        }
    }
  tk_end (t);
}

gint64
hb_takeover_next_deadline (const HbTakeover *t)
{
  gint64 next = G_MAXINT64;

  for (guint i = 0; i < G_N_ELEMENTS (timers); i++)
    {
      gint64 deadline = G_STRUCT_MEMBER (gint64, t, timers[i].offset);

      if (deadline != 0 && deadline < next)
        {
          next = deadline;
        }
    }
  return next;
}

/* ---- queries ------------------------------------------------------------------------- */

const char *
hb_takeover_rscstatus (const HbTakeover *t)
{
  if (t->rstate == TK_R_SHUTDOWN && !tk_any_busy (t))
    {
      return hb_rsc_to_string (tk_holdings (t));
    }
  if (!tk_is_stable (t))
    {
      return "transition";
    }
  return hb_rsc_to_string (tk_holdings (t));
}

HbHolder
hb_takeover_group_holder (const HbTakeover *t, const char *key)
{
  gint index = tk_group_index (t, key);
  const TkGroup *g;

  if (index < 0)
    {
      return HB_HOLDER_NONE;
    }
  g = g_ptr_array_index (t->groups, index);
  if (tk_group_busy (g))
    {
      return HB_HOLDER_TRANSITION;
    }
  if (tk_group_held (g))
    {
      return g->peer_holds ? HB_HOLDER_BOTH : HB_HOLDER_LOCAL;
    }
  return g->peer_holds ? HB_HOLDER_PEER : HB_HOLDER_NONE;
}

HbGroupState
hb_takeover_group_state (const HbTakeover *t, const char *key)
{
  gint index = tk_group_index (t, key);

  return index < 0 ? HB_GROUP_UNKNOWN
                   : ((const TkGroup *) g_ptr_array_index (t->groups, index))->state;
}

gboolean
hb_takeover_is_stable (const HbTakeover *t)
{
  return tk_is_stable (t);
}
