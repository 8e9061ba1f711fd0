/* systole: resource management in the daemon (see daemon-rsc.h): feeds the
 * takeover engine (membership events, peer messages, commands, timers) and
 * executes its actions; the runner side is in daemon-rsc-run.c.
 * Facts: docs/PROTOCOL.md, "Resource management"; the message map is in lib/takeover.h. */
#include "daemon-rsc.h"

#include <errno.h>
#include <string.h>

#include "daemon-private.h"
#include "daemon-rsc-private.h"

/* Destroys and drops a source (NULL-safe). */
void
hb_resmgr_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* ---- takeover timing ------------------------------------------------------------------ */

/* What users compare to deadtime: how long after the peer was lost (declared
 * dead, or its shutdown notice) each group was running here. Forgotten once
 * the engine is stable and the runner idle again. */
void
hb_resmgr_log_takeover_time (HbResMgr *rsc, const char *key)
{
  if (rsc->lost_at_us != 0)
    {
      hb_log (HB_LOG_INFO, "Resource group %s running %" G_GINT64_FORMAT " ms after %s's %s.", key,
              (g_get_monotonic_time () - rsc->lost_at_us) / 1000, rsc->peer, rsc->lost_how);
    }
}

static void
peer_lost (HbResMgr *rsc, const char *how)
{
  rsc->lost_at_us = g_get_monotonic_time ();
  rsc->lost_how = how;
}

/* ---- messages: HbMsg <-> HbTakeoverMsg ---------------------------------------------------- */

static const char *const resource_types[] = {
  "starting", "resource", "ask_resources", "shutdone", "ip-request", "ip-request-resp",
  "hb_takeover", NULL,
};

gboolean
hb_resmgr_is_resource_message (const char *type)
{
  return g_strv_contains (resource_types, type);
}

/* Every string field but t, src lower-cased as membership knows it. */
static HbTakeoverMsg *
msg_from_wire (const HbMsg *msg, const char *src)
{
  HbTakeoverMsg *tmsg = hb_takeover_msg_new (hb_msg_get (msg, "t"));

  for (guint i = 0; i < hb_msg_n_fields (msg); i++)
    {
      const HbField *f = hb_msg_nth (msg, i);

      if (f->type != HB_FIELD_STRING || strcmp (f->name, "t") == 0)
        {
          continue;
        }
      hb_takeover_msg_add (tmsg, f->name, strcmp (f->name, "src") == 0 ? src : (const char *) f->value);
    }
  return tmsg;
}

/* t first, then the engine's fields in order; the daemon adds src, seq, ...
 * A `dest` stays in the message: Heartbeat broadcasts addressed messages too,
 * and receivers drop what is not for them (docs/PROTOCOL.md, "Sequence numbers"). */
static void
send_message (HbResMgr *rsc, const HbTakeoverMsg *tmsg)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autoptr (GBytes) bytes = NULL;

  hb_msg_add_string (msg, "t", tmsg->type);
  for (guint i = 0; i < tmsg->names->len; i++)
    {
      hb_msg_add_string (msg, g_ptr_array_index (tmsg->names, i), g_ptr_array_index (tmsg->values, i));
    }
  bytes = hb_daemon_send_msg (rsc->daemon, msg);
  if (bytes != NULL && strcmp (tmsg->type, "shutdone") == 0)
    {
      /* Same bytes, same seq: one lost datagram would cost the peer deadtime. */
      hb_daemon_send_bytes (rsc->daemon, bytes);
    }
}

void
hb_resmgr_receive (HbResMgr *rsc, const HbMsg *msg, const char *src)
{
  g_autoptr (HbTakeoverMsg) tmsg = NULL;
  g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();
  g_autoptr (GError) error = NULL;

  if (strcmp (src, rsc->daemon->config->local_node) == 0)
    {
      return; /* our own broadcast, looped back: the engine applied it already */
    }
  tmsg = msg_from_wire (msg, src);
  if (strcmp (tmsg->type, "shutdone") == 0)
    {
      peer_lost (rsc, "shutdown notice");
    }
  if (!hb_takeover_receive (rsc->engine, g_get_monotonic_time (), tmsg, acts, &error))
    {
      hb_log (HB_LOG_WARNING, "Ignored %s message from %s: %s", tmsg->type, src, error->message);
    }
  hb_resmgr_execute (rsc, acts);
}

/* ---- actions ------------------------------------------------------------------------------ */

static void
act_send (HbResMgr *rsc, const HbTakeoverAction *a)
{
  send_message (rsc, a->msg);
}

static void
act_log (HbResMgr *rsc, const HbTakeoverAction *a)
{
  static const HbLogPrio prios[] = {
    [HB_TAKEOVER_LOG_DEBUG] = HB_LOG_DEBUG, [HB_TAKEOVER_LOG_INFO] = HB_LOG_INFO,
    [HB_TAKEOVER_LOG_WARN] = HB_LOG_WARNING, [HB_TAKEOVER_LOG_ERROR] = HB_LOG_ERR,
    [HB_TAKEOVER_LOG_CRIT] = HB_LOG_CRIT,
  };

  (void) rsc;
  hb_log ((guint) a->level < G_N_ELEMENTS (prios) ? prios[a->level] : HB_LOG_INFO, "%s", a->text);
}

static void
act_fence (HbResMgr *rsc, const HbTakeoverAction *a)
{
  hb_resmgr_fence (rsc->fence_command, a->group, a->text);
}

static void
act_arp (HbResMgr *rsc, const HbTakeoverAction *a)
{
  const HbResourceGroup *group = hb_resmgr_find_group (rsc, a->group);

  if (group != NULL)
    {
      hb_resmgr_resend_arp (group);
    }
}

static void
act_shutdown_complete (HbResMgr *rsc, const HbTakeoverAction *a)
{
  (void) a;
  hb_resmgr_clear_source (&rsc->shutdown_timer);
  hb_daemon_shutdown_complete (rsc->daemon);
}

typedef void (*ActFunc) (HbResMgr *rsc, const HbTakeoverAction *a);

static const ActFunc act_table[] = {
  [HB_TAKEOVER_START_GROUP] = hb_resmgr_act_group,
  [HB_TAKEOVER_STOP_GROUP] = hb_resmgr_act_group,
  [HB_TAKEOVER_PROBE_GROUP] = hb_resmgr_act_group,
  [HB_TAKEOVER_SEND_MESSAGE] = act_send,
  [HB_TAKEOVER_LOG] = act_log,
  [HB_TAKEOVER_SELF_FENCE] = act_fence,
  [HB_TAKEOVER_RESEND_ARP] = act_arp,
  [HB_TAKEOVER_SHUTDOWN_COMPLETE] = act_shutdown_complete,
};

static void
rearm_timer (HbResMgr *rsc)
{
  gint64 due = hb_takeover_next_deadline (rsc->engine);

  g_source_set_ready_time (rsc->timer, due == G_MAXINT64 ? -1 : due);
}

/* Runs the actions in order, then re-arms the engine's one timer. */
void
hb_resmgr_execute (HbResMgr *rsc, GPtrArray *actions)
{
  for (guint i = 0; i < actions->len; i++)
    {
      const HbTakeoverAction *a = g_ptr_array_index (actions, i);

      if ((guint) a->type < G_N_ELEMENTS (act_table) && act_table[a->type] != NULL)
        {
          act_table[a->type](rsc, a);
        }
    }
  g_ptr_array_set_size (actions, 0);
  if (rsc->timer != NULL)
    {
      rearm_timer (rsc);
    }
  if (rsc->runner != NULL && hb_runner_busy_groups (rsc->runner) == 0
      && hb_takeover_is_stable (rsc->engine))
    {
      rsc->lost_at_us = 0; /* the takeover is over */
    }
}

/* ---- timers ----------------------------------------------------------------------------- */

static gboolean
on_timer (gpointer user_data)
{
  HbResMgr *rsc = user_data;
  g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();

  hb_takeover_tick (rsc->engine, g_get_monotonic_time (), acts);
  hb_resmgr_execute (rsc, acts);
  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

static gboolean
on_shutdown_timeout (gpointer user_data)
{
  HbResMgr *rsc = user_data;

  g_clear_pointer (&rsc->shutdown_timer, g_source_unref);
  hb_log (HB_LOG_ERR, "Resources not released %u s after the shutdown request: exiting without "
          "shutdown notice (the peer waits for deadtime)", rsc->shutdown_timeout_ms / 1000);
  hb_daemon_shutdown_complete (rsc->daemon);
  return G_SOURCE_REMOVE;
}

void
hb_resmgr_shutdown (HbResMgr *rsc)
{
  g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();

  if (rsc->shutdown_timer == NULL)
    {
      rsc->shutdown_timer = g_timeout_source_new (rsc->shutdown_timeout_ms);
      g_source_set_callback (rsc->shutdown_timer, on_shutdown_timeout, rsc, NULL);
      g_source_attach (rsc->shutdown_timer, NULL);
    }
  hb_takeover_shutdown (rsc->engine, g_get_monotonic_time (), acts);
  hb_resmgr_execute (rsc, acts);
}

/* ---- membership events --------------------------------------------------------------------- */

/* TRUE when a packet of the peer arrived on some link: comm can come up on a
 * peer's first packet before its first status says what it is. */
static gboolean
peer_heard (HbResMgr *rsc)
{
  HbMembership *m = rsc->daemon->membership;
  g_auto (GStrv) links = hb_membership_list_links (m, rsc->peer);

  for (guint i = 0; links != NULL && links[i] != NULL; i++)
    {
      if (g_strcmp0 (hb_membership_link_status (m, rsc->peer, links[i]), "up") == 0)
        {
          return TRUE;
        }
    }
  return FALSE;
}

static HbPeerState
peer_state (HbResMgr *rsc)
{
  const char *status;

  if (rsc->peer == NULL)
    {
      return HB_PEER_DEAD;
    }
  status = hb_membership_node_status (rsc->daemon->membership, rsc->peer);
  if (status == NULL || strcmp (status, HB_NODE_STATUS_INIT) == 0)
    {
      /* Heard but no status yet: alive. Calling it unknown made a restarted
       * legacy node take its groups without asking the peer that held them. */
      return peer_heard (rsc) ? HB_PEER_ALIVE : HB_PEER_UNKNOWN;
    }
  return strcmp (status, HB_NODE_STATUS_DEAD) == 0 ? HB_PEER_DEAD : HB_PEER_ALIVE;
}

/* ipfail-like input: how many ping nodes / groups answer now. */
static void
update_ping (HbResMgr *rsc, GPtrArray *acts)
{
  const HbConfig *config = rsc->daemon->config;
  guint reachable = 0, total = 0;

  for (guint i = 0; i < config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (config->nodes, i);
      const char *status;

      if (node->type == HB_NODE_NORMAL)
        {
          continue;
        }
      total++;
      status = hb_membership_node_status (rsc->daemon->membership, node->name);
      reachable += status != NULL && strcmp (status, HB_NODE_STATUS_DEAD) != 0
                   && strcmp (status, HB_NODE_STATUS_INIT) != 0;
    }
  if (reachable != rsc->ping_reachable || total != rsc->ping_total)
    {
      rsc->ping_reachable = reachable;
      rsc->ping_total = total;
      hb_takeover_set_ping (rsc->engine, g_get_monotonic_time (), reachable, total, acts);
    }
}

static gboolean
is_peer (HbResMgr *rsc, const HbMemberEvent *ev)
{
  return rsc->peer != NULL && ev->node != NULL && strcmp (ev->node, rsc->peer) == 0;
}

void
hb_resmgr_member_event (HbResMgr *rsc, const HbMemberEvent *ev)
{
  g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();
  gint64 now = g_get_monotonic_time ();

  switch (ev->type)
    {
    case HB_MEMBER_EVENT_COMM_UP:
      update_ping (rsc, acts);
      hb_takeover_comm_up (rsc->engine, now, peer_state (rsc), acts);
      break;
    case HB_MEMBER_EVENT_NODE_DEAD:
      if (is_peer (rsc, ev))
        {
          peer_lost (rsc, "death");
          hb_takeover_peer_dead (rsc->engine, now, acts);
        }
      break;
    case HB_MEMBER_EVENT_NODE_RESTART:
      if (is_peer (rsc, ev))
        hb_takeover_peer_restarted (rsc->engine, now, acts);
      break;
    case HB_MEMBER_EVENT_PARTITION_HEALED:
      if (is_peer (rsc, ev))
        hb_takeover_partition_healed (rsc->engine, now, acts);
      break;
    case HB_MEMBER_EVENT_PING_DEAD:
    case HB_MEMBER_EVENT_NODE_STATUS:
      if (ev->node_type == HB_MEMBER_NODE_PING)
        update_ping (rsc, acts);
      break;
    default:
      break;
    }
  hb_resmgr_execute (rsc, acts);
}

/* ---- the API ----------------------------------------------------------------------------- */

const char *
hb_resmgr_status (HbResMgr *rsc)
{
  return hb_takeover_rscstatus (rsc->engine);
}

/* The user sees the engine's first log line ("Going standby [all].") or a
 * plain acknowledgement. */
static char *
first_log_text (GPtrArray *acts, const char *fallback)
{
  for (guint i = 0; i < acts->len; i++)
    {
      const HbTakeoverAction *a = g_ptr_array_index (acts, i);
      if (a->type == HB_TAKEOVER_LOG && a->level >= HB_TAKEOVER_LOG_INFO)
        {
          return g_strdup (a->text);
        }
    }
  return g_strdup (fallback);
}

typedef gboolean (*CommandFunc) (HbTakeover *t, gint64 now, const char *what, GPtrArray *acts,
                                 GError **error);

static gboolean
run_command (HbResMgr *rsc, CommandFunc func, const char *what, const char *fallback,
             char **message_out, GError **error)
{
  g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();
  gboolean ok = func (rsc->engine, g_get_monotonic_time (), what, acts, error);

  if (ok)
    {
      *message_out = first_log_text (acts, fallback);
    }
  hb_resmgr_execute (rsc, acts);
  return ok;
}

gboolean
hb_resmgr_standby (HbResMgr *rsc, const char *what, char **message_out, GError **error)
{
  g_autofree char *fallback = g_strdup_printf ("Standby request [%s] sent.", what);

  return run_command (rsc, hb_takeover_standby, what, fallback, message_out, error);
}

gboolean
hb_resmgr_takeover (HbResMgr *rsc, const char *what, char **message_out, GError **error)
{
  g_autofree char *fallback = g_strdup_printf ("Takeover request [%s] sent.", what);

  return run_command (rsc, hb_takeover_takeover, what, fallback, message_out, error);
}

/* ---- life cycle ----------------------------------------------------------------------------- */

static char *
find_peer (const HbConfig *config)
{
  for (guint i = 0; i < config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (config->nodes, i);
      if (node->type == HB_NODE_NORMAL && strcmp (node->name, config->local_node) != 0)
        {
          return g_strdup (node->name);
        }
    }
  return NULL;
}

HbResMgr *
hb_resmgr_new (HbDaemon *daemon, const HbRscOptions *options, GError **error)
{
  static const HbRscOptions defaults = { .stop_retries = -1 };
  const HbRscOptions *o = options != NULL ? options : &defaults;
  g_autoptr (HbResMgr) rsc = g_new0 (HbResMgr, 1);
  g_autofree char *rsctmp = g_build_filename (daemon->rundir, "rsctmp", NULL);
  g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();

  /* HA_RSCTMP: agents keep their state there (cleared by nobody: a restart
   * must find what ran before). */
  if (g_mkdir_with_parents (rsctmp, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot create %s: %s",
                   rsctmp, g_strerror (saved));
      return NULL;
    }
  rsc->daemon = daemon;
  rsc->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_resmgr_group_free);
  for (guint i = 0; i < daemon->config->groups->len; i++)
    {
      g_ptr_array_add (rsc->groups, hb_resmgr_group_copy (g_ptr_array_index (daemon->config->groups, i)));
    }
  rsc->cleanup = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rsc->rolled_back = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rsc->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rsc->peer = find_peer (daemon->config);
  rsc->fence_command = g_strdup (o->fence_command != NULL ? o->fence_command : HB_RSC_DEFAULT_FENCE);
  rsc->shutdown_timeout_ms = o->shutdown_timeout_ms > 0 ? o->shutdown_timeout_ms
                                                        : HB_RSC_DEFAULT_SHUTDOWN_MS;
  rsc->runner = hb_resmgr_runner_new (rsc, o, rsctmp);
  rsc->engine = hb_takeover_new (daemon->config, NULL);
  rsc->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_callback (rsc->timer, on_timer, rsc, NULL);
  g_source_attach (rsc->timer, NULL);
  hb_takeover_start (rsc->engine, g_get_monotonic_time (), acts);
  hb_resmgr_execute (rsc, acts);
  if (hb_membership_comm_is_up (daemon->membership))
    {
      /* A node alone in ha.cf is up before we were created. */
      hb_takeover_comm_up (rsc->engine, g_get_monotonic_time (), peer_state (rsc), acts);
      hb_resmgr_execute (rsc, acts);
    }
  return g_steal_pointer (&rsc);
}

void
hb_resmgr_free (HbResMgr *rsc)
{
  if (rsc == NULL)
    {
      return;
    }
  hb_resmgr_clear_source (&rsc->timer);
  hb_resmgr_clear_source (&rsc->shutdown_timer);
  hb_resmgr_clear_source (&rsc->answer_source);
  g_clear_pointer (&rsc->runner, hb_runner_free);
  g_clear_pointer (&rsc->engine, hb_takeover_free);
  g_clear_pointer (&rsc->groups, g_ptr_array_unref);
  g_clear_pointer (&rsc->cleanup, g_hash_table_unref);
  g_clear_pointer (&rsc->rolled_back, g_hash_table_unref);
  g_clear_pointer (&rsc->answers, g_hash_table_unref);
  g_free (rsc->peer);
  g_free (rsc->fence_command);
  g_free (rsc);
}
