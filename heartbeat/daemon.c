/* systole: one cluster node wired together on one GMainLoop.
 * Facts: docs/PROTOCOL.md, "Control fields", "Authentication", "Sequencing"
 * (generations, seq, rexmit), "Liveness and dead detection" (transitions and
 * their log lines), "Shutdown" (shutdown notice). */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon-api.h"
#include "daemon-private.h"

/* ---- logging of membership events -------------------------------------------------- */

static HbLogPrio
prio_of (HbMemberSeverity severity)
{
  static const HbLogPrio map[] = {
    [HB_MEMBER_SEVERITY_CRIT] = HB_LOG_CRIT,       [HB_MEMBER_SEVERITY_ERROR] = HB_LOG_ERR,
    [HB_MEMBER_SEVERITY_WARNING] = HB_LOG_WARNING, [HB_MEMBER_SEVERITY_NOTICE] = HB_LOG_NOTICE,
    [HB_MEMBER_SEVERITY_INFO] = HB_LOG_INFO,       [HB_MEMBER_SEVERITY_DEBUG] = HB_LOG_DEBUG,
  };

  return (guint) severity < G_N_ELEMENTS (map) ? map[severity] : HB_LOG_INFO;
}

/* A peer whose packets fall below the generation we persisted: said once,
 * with what to do if its state directory was reset on purpose. */
static void
hint_persisted_floor (HbDaemon *daemon, const HbMemberEvent *ev)
{
  HbMemberPeerRecord rec = { 0 };

  /* Only while nothing of the remembered run was heard in this one. */
  if (ev->node == NULL || ev->old_gen == 0
      || ev->old_gen != hb_peer_generations_get (daemon->peer_gens, ev->node)
      || !hb_membership_peer_record (daemon->membership, ev->node, &rec) || rec.last_seq != 0
      || !g_hash_table_add (daemon->replay_hinted, g_strdup (ev->node)))
    {
      return;
    }
  hb_log (HB_LOG_ERR, "Node %s sends generation %" G_GUINT64_FORMAT ", below %" G_GUINT64_FORMAT
          " seen from it before (kept in %s): its packets are dropped as replays. If its state "
          "directory was reset or restored on purpose, remove its line from that file and restart.",
          ev->node, ev->gen, ev->old_gen, hb_peer_generations_path (daemon->peer_gens));
}

/* A replayed packet (an old generation) costs its sender nothing to send
 * again: its ERROR line, one per packet in Heartbeat, passes the daemon's
 * replay budget. */
static void
log_member_event (HbDaemon *daemon, const HbMemberEvent *ev)
{
  if (ev->message == NULL || ev->message[0] == '\0')
    {
      return;
    }
  if (ev->type == HB_MEMBER_EVENT_REPLAY || ev->type == HB_MEMBER_EVENT_BAD_GENERATION)
    {
      hb_budget_log (daemon->budget, HB_BUDGET_REPLAY, prio_of (ev->severity), "%s", ev->message);
      return;
    }
  hb_log (prio_of (ev->severity), "%s", ev->message);
}

void
hb_daemon_handle_events (HbDaemon *daemon, GPtrArray *events)
{
  gboolean local_changed = FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      const HbMemberEvent *ev = g_ptr_array_index (events, i);

      log_member_event (daemon, ev);
      if (daemon->rsc != NULL)
        {
          /* NODE_RESTART goes at once even for a run not yet confirmed: the
           * engine only forgets the peer's holdings and sends its own, so
           * a restarted peer reconciles its groups without waiting; what
           * the run says is acted upon once confirmed (daemon-recv.c). */
          hb_resmgr_member_event (daemon->rsc, ev);
        }
      switch (ev->type)
        {
        case HB_MEMBER_EVENT_REXMIT_REQUEST:
          hb_daemon_send_rexmit_request (daemon, ev->node, ev->seq);
          break;
        case HB_MEMBER_EVENT_REPLAY:
          hint_persisted_floor (daemon, ev);
          break;
        case HB_MEMBER_EVENT_COMM_UP:
        case HB_MEMBER_EVENT_LOCAL_STATUS:
          local_changed = TRUE;
          break;
        case HB_MEMBER_EVENT_NODE_DEAD:
        case HB_MEMBER_EVENT_PING_DEAD:
          /* The detection latency, measured on the monotonic clock: what
           * bench/detect-latency reports and users compare to deadtime. */
          hb_log (HB_LOG_INFO, "node %s: declared dead %" G_GUINT64_FORMAT " ms after its last "
                  "heartbeat (dead interval %u ms)", ev->node, ev->interval_ms,
                  hb_membership_dead_interval_ms (daemon->membership, ev->node));
          break;
        default:
          break;
        }
    }
  g_ptr_array_set_size (events, 0);
  /* Peers learn of a local status change at once, not a keepalive later. */
  if (local_changed && !daemon->shutting_down)
    {
      hb_daemon_send_status (daemon);
    }
}

/* ---- ping nodes ---------------------------------------------------------------------- */

static void
start_pinger (HbDaemon *daemon)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&daemon->pinger, hb_pinger_free);
  daemon->pinger = hb_pinger_new (daemon->config, hb_daemon_on_ping_reply, daemon, &error);
  if (error != NULL)
    {
      hb_log (HB_LOG_ERR, "%s: ping nodes will be reported dead", error->message);
    }
  else if (daemon->pinger != NULL)
    {
      hb_log (HB_LOG_INFO, "ping heartbeat started.");
    }
}

/* ---- the deadline timer -------------------------------------------------------------- */

static gboolean
on_deadline (gpointer user_data)
{
  HbDaemon *daemon = user_data;
  g_autoptr (GPtrArray) events = hb_member_events_new ();

  hb_membership_tick (daemon->membership, g_get_monotonic_time (), events);
  hb_daemon_handle_events (daemon, events);
  hb_daemon_rearm_deadline (daemon);
  return G_SOURCE_CONTINUE;
}

/* ONE timer, armed at membership's next deadline: a node is declared dead as
 * soon as its dead interval has passed, not at the next 250 ms poll as in
 * Heartbeat (docs/PROTOCOL.md, "Liveness and dead detection"). GLib dispatches
 * a ready time no earlier than asked. */
void
hb_daemon_rearm_deadline (HbDaemon *daemon)
{
  gint64 due = hb_membership_next_deadline_us (daemon->membership);

  g_source_set_ready_time (daemon->deadline_source, due == G_MAXINT64 ? -1 : due);
}

static gboolean
deadline_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = { NULL, NULL, deadline_dispatch, NULL, NULL, NULL };

/* ---- membership from configuration ------------------------------------------------------ */

static HbMembership *
membership_from_config (HbDaemon *daemon, GError **error)
{
  const HbConfig *config = daemon->config;
  g_autofree HbMemberNodeParam *nodes = g_new0 (HbMemberNodeParam, config->nodes->len);
  g_autoptr (GPtrArray) links = g_ptr_array_new ();
  HbMembershipParams params = { 0 };

  for (guint i = 0; i < config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (config->nodes, i);
      nodes[i].name = node->name;
      nodes[i].type = node->type == HB_NODE_NORMAL ? HB_MEMBER_NODE_NORMAL : HB_MEMBER_NODE_PING;
    }
  for (guint i = 0; i < daemon->media->len; i++)
    {
      const char *name = hb_media_link_name (g_ptr_array_index (daemon->media, i));
      if (!g_ptr_array_find_with_equal_func (links, name, g_str_equal, NULL))
        {
          g_ptr_array_add (links, (gpointer) name);
        }
    }
  g_ptr_array_add (links, NULL);
  params.local_node = config->local_node;
  params.local_generation = daemon->generation;
  params.nodes = nodes;
  params.n_nodes = config->nodes->len;
  params.links = (const char *const *) links->pdata;
  params.keepalive_ms = config->keepalive_ms;
  params.deadtime_ms = config->deadtime_ms;
  params.warntime_ms = config->warntime_ms;
  params.initdead_ms = config->initdead_ms;
  params.deadping_ms = config->deadping_ms;
  params.max_rexmit_delay_ms = config->max_rexmit_delay_ms;
  return hb_membership_new (&params, g_get_monotonic_time (), error);
}

/* Opens every medium of `config`. At start (strict = FALSE) one that fails
 * is logged and skipped, as long as one works; on reload (strict) any failure
 * fails the whole set, so a typo never silences a node that holds groups.
 * NULL with `error` set on failure (nothing stays open). */
static GPtrArray *
open_media (HbDaemon *daemon, const HbConfig *config, gboolean strict, GError **error)
{
  g_autoptr (GPtrArray) media = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_media_free);

  for (guint i = 0; i < config->media->len; i++)
    {
      const HbMedium *conf = g_ptr_array_index (config->media, i);
      g_autoptr (GError) local = NULL;
      HbMediaChannel *channel = hb_media_open (conf, NULL, hb_daemon_on_datagram, daemon, &local);

      if (channel == NULL)
        {
          if (g_error_matches (local, HB_MEDIA_ERROR, HB_MEDIA_ERROR_SELF))
            {
              hb_log (HB_LOG_DEBUG, "%s: skipped", local->message);
              continue;
            }
          if (strict)
            {
              g_set_error (error, local->domain, local->code, "%s/ha.cf:%u: %s", config->confdir,
                           conf->line, local->message);
              return NULL;
            }
          hb_log (HB_LOG_ERR, "%s/ha.cf:%u: %s", config->confdir, conf->line, local->message);
          continue;
        }
      g_ptr_array_add (media, channel);
    }
  if (media->len == 0)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_SOCKET,
                   "no heartbeat medium could be started");
      return NULL;
    }
  return g_steal_pointer (&media);
}

static void
use_media (HbDaemon *daemon, GPtrArray *media)
{
  for (guint i = 0; i < media->len; i++)
    {
      hb_log (HB_LOG_INFO, "%s", hb_media_started_message (g_ptr_array_index (media, i)));
    }
  g_clear_pointer (&daemon->media, g_ptr_array_unref);
  daemon->media = media;
}

/* ---- worst heartbeat interval, for tuning deadtime (docs/PROTOCOL.md, "Known weaknesses") */

static void
log_worst_gaps (HbDaemon *daemon)
{
  for (guint i = 0; i < daemon->config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (daemon->config->nodes, i);
      guint64 worst = hb_membership_worst_interval_ms (daemon->membership, node->name);

      if (strcmp (node->name, daemon->config->local_node) != 0 && worst > 0)
        {
          hb_log (HB_LOG_INFO,
                  "Worst heartbeat interval from node %s: %" G_GUINT64_FORMAT " ms "
                  "(keepalive %u ms, warntime %u ms, deadtime %u ms)",
                  node->name, worst, daemon->config->keepalive_ms, daemon->config->warntime_ms,
                  daemon->config->deadtime_ms);
        }
    }
}

static gboolean
on_worst_gap_timer (gpointer user_data)
{
  log_worst_gaps (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- life cycle ------------------------------------------------------------------------------ */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_source_unref (*source);
      *source = NULL;
    }
}

static GSource *
attach (GSource *source, GSourceFunc func, gpointer data)
{
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, NULL);
  return source;
}

static void
start_keepalive (HbDaemon *daemon)
{
  clear_source (&daemon->keepalive_source);
  daemon->keepalive_source = attach (g_timeout_source_new (daemon->config->keepalive_ms),
                                     hb_daemon_on_keepalive, daemon);
}

static gboolean
load_identity (HbDaemon *daemon, GError **error)
{
  gboolean seeded = FALSE;

  if (!hb_uuid_file_load (daemon->statedir, daemon->uuid, error))
    {
      return FALSE;
    }
  if (daemon->config->hbgenmethod != NULL && strcmp (daemon->config->hbgenmethod, "time") == 0)
    {
      daemon->generation = (guint32) time (NULL);
    }
  else if (!hb_generation_file_bump (daemon->statedir, time (NULL), &daemon->generation, &seeded,
                                     error))
    {
      return FALSE;
    }
  if (seeded)
    {
      hb_log (HB_LOG_WARNING, "No Previous generation - starting at %u", daemon->generation);
    }
  hb_log (HB_LOG_INFO, "Heartbeat generation: %u", daemon->generation);
  return TRUE;
}

static void
load_peer_generations (HbDaemon *daemon)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  daemon->peer_gens = hb_peer_generations_load (daemon->statedir, warnings);
  for (guint i = 0; i < warnings->len; i++)
    {
      hb_log (HB_LOG_WARNING, "%s", (const char *) g_ptr_array_index (warnings, i));
    }
}

/* What the new membership must know of each peer: the generation we
 * persisted, and what the membership it replaces (a reload) had learnt —
 * generation, last seq, confirmation — so that nothing the peer sent before
 * is new again afterwards. */
static void
seed_peers (HbDaemon *daemon, HbMembership *next, const HbMembership *previous)
{
  for (guint i = 0; i < daemon->config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (daemon->config->nodes, i);
      /* A persisted generation was confirmed when it was written: if the
       * peer still runs it, it need not show it again (a replay of that
       * same run is no better or worse than one within a running daemon). */
      HbMemberPeerRecord rec = { .gen = hb_peer_generations_get (daemon->peer_gens, node->name),
                                 .confirmed = TRUE };

      hb_membership_seed_peer (next, node->name, &rec);
      if (previous != NULL && hb_membership_peer_record (previous, node->name, &rec))
        {
          hb_membership_seed_peer (next, node->name, &rec);
        }
    }
}

static gboolean
start_membership (HbDaemon *daemon, GError **error)
{
  g_autoptr (GPtrArray) events = hb_member_events_new ();
  HbMembership *next = membership_from_config (daemon, error);

  if (next == NULL)
    {
      return FALSE;
    }
  seed_peers (daemon, next, daemon->membership);
  g_clear_pointer (&daemon->membership, hb_membership_free);
  daemon->membership = next;
  hb_membership_set_local_status (daemon->membership, g_get_monotonic_time (), "up", events);
  hb_daemon_handle_events (daemon, events);
  hb_daemon_rearm_deadline (daemon);
  return TRUE;
}

HbDaemon *
hb_daemon_new (const HbDaemonOptions *options, HbConfig *config, GError **error)
{
  g_autoptr (HbDaemon) daemon = g_new0 (HbDaemon, 1);
  GPtrArray *media;

  daemon->options = *options;
  daemon->statedir = g_strdup (options->statedir);
  daemon->rundir = g_strdup (options->rundir);
  daemon->logfile = g_strdup (options->logfile);
  daemon->hostname = g_strdup (options->hostname);
  daemon->config = config;
  daemon->next_seq = 1;
  daemon->started_us = g_get_monotonic_time ();
  daemon->peer_uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  daemon->ack_triggers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  daemon->badpack_last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  daemon->deferred = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, hb_daemon_deferred_free);
  daemon->replay_hinted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  load_peer_generations (daemon);
  daemon->budget = hb_budget_new ();
  daemon->xmithist = hb_xmithist_new (config->max_rexmit_delay_ms);
  daemon->deadline_source = g_source_new (&deadline_funcs, sizeof (GSource));
  attach (daemon->deadline_source, on_deadline, daemon);
  if (!load_identity (daemon, error))
    {
      return NULL;
    }
  media = open_media (daemon, config, FALSE, error);
  if (media == NULL)
    {
      return NULL;
    }
  use_media (daemon, media);
  if (!start_membership (daemon, error))
    {
      return NULL;
    }
  start_pinger (daemon);
  start_keepalive (daemon);
  daemon->worst_gap_source = attach (g_timeout_source_new_seconds (WORST_GAP_LOG_PERIOD_S),
                                     on_worst_gap_timer, daemon);
  daemon->api = hb_api_server_new (NULL, daemon->rundir, hb_daemon_api_handler (), daemon, error);
  if (daemon->api == NULL)
    {
      return NULL;
    }
  /* After the API server, which creates RUNDIR with its mode (0750). */
  daemon->rsc = hb_resmgr_new (daemon, options->rsc, error);
  if (daemon->rsc == NULL)
    {
      return NULL;
    }
  return g_steal_pointer (&daemon);
}

void
hb_daemon_free (HbDaemon *daemon)
{
  if (daemon == NULL)
    {
      return;
    }
  g_clear_pointer (&daemon->api, hb_api_server_free);
  g_clear_pointer (&daemon->rsc, hb_resmgr_free);
  clear_source (&daemon->keepalive_source);
  clear_source (&daemon->deadline_source);
  clear_source (&daemon->worst_gap_source);
  clear_source (&daemon->linger_source);
  g_clear_pointer (&daemon->media, g_ptr_array_unref);
  g_clear_pointer (&daemon->pinger, hb_pinger_free);
  g_clear_pointer (&daemon->membership, hb_membership_free);
  g_clear_pointer (&daemon->xmithist, hb_xmithist_free);
  g_clear_pointer (&daemon->peer_uuids, g_hash_table_unref);
  g_clear_pointer (&daemon->ack_triggers, g_hash_table_unref);
  g_clear_pointer (&daemon->badpack_last, g_hash_table_unref);
  g_clear_pointer (&daemon->deferred, g_hash_table_unref);
  g_clear_pointer (&daemon->replay_hinted, g_hash_table_unref);
  g_clear_pointer (&daemon->peer_gens, hb_peer_generations_free);
  g_clear_pointer (&daemon->budget, hb_budget_free);
  g_clear_pointer (&daemon->config, hb_config_free);
  g_free (daemon->statedir);
  g_free (daemon->rundir);
  g_free (daemon->logfile);
  g_free (daemon->hostname);
  g_free (daemon);
}

/* Membership keeps its state across a reload only when what it was built
 * from is unchanged; otherwise it starts over for the new node set. */
static gboolean
membership_inputs_equal (const HbConfig *a, const HbConfig *b)
{
  if (a->keepalive_ms != b->keepalive_ms || a->deadtime_ms != b->deadtime_ms
      || a->warntime_ms != b->warntime_ms || a->initdead_ms != b->initdead_ms
      || a->deadping_ms != b->deadping_ms || a->nodes->len != b->nodes->len)
    {
      return FALSE;
    }
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const HbNodeConf *x = g_ptr_array_index (a->nodes, i), *y = g_ptr_array_index (b->nodes, i);
      if (strcmp (x->name, y->name) != 0 || x->type != y->type)
        {
          return FALSE;
        }
    }
  return TRUE;
}

static char *
media_signature (const HbConfig *config)
{
  g_autoptr (GString) sig = g_string_new (NULL);

  for (guint i = 0; i < config->media->len; i++)
    {
      const HbMedium *m = g_ptr_array_index (config->media, i);
      g_string_append_printf (sig, "%d %s %s %s %u %u %d;", m->type, m->dev,
                              m->peer ? m->peer : "-", m->group ? m->group : "-", m->port, m->ttl,
                              m->loop);
    }
  return g_string_free (g_steal_pointer (&sig), FALSE);
}

gboolean
hb_daemon_reload (HbDaemon *daemon, HbConfig *config, GError **error)
{
  g_autoptr (HbConfig) incoming = config;
  g_autoptr (HbConfig) old = NULL;
  g_autofree char *old_media = media_signature (daemon->config);
  g_autofree char *new_media = media_signature (config);
  gboolean same_media = strcmp (old_media, new_media) == 0;
  GPtrArray *media = NULL;

  /* First what can fail: the new media, opened beside the old ones. */
  if (!same_media)
    {
      media = open_media (daemon, config, TRUE, error);
      if (media == NULL)
        {
          return FALSE;
        }
    }
  old = daemon->config;
  daemon->config = g_steal_pointer (&incoming);
  hb_logger_configure (daemon->options.logger, config, daemon->logfile, daemon->hostname);
  hb_resmgr_reload (daemon->rsc, config);
  if (media != NULL)
    {
      use_media (daemon, media);
    }
  if (!same_media || !membership_inputs_equal (old, config))
    {
      g_autoptr (GError) local = NULL;

      hb_log (HB_LOG_INFO, "Reload: nodes, media or timers changed: membership restarts");
      if (!start_membership (daemon, &local))
        {
          hb_log (HB_LOG_ERR, "Reload: %s", local->message);
        }
      start_pinger (daemon);
    }
  if (old->keepalive_ms != config->keepalive_ms)
    {
      start_keepalive (daemon);
    }
  hb_log (HB_LOG_INFO, "Configuration reloaded from %s.", config->confdir);
  return TRUE;
}

static gboolean
on_linger_done (gpointer user_data)
{
  HbDaemon *daemon = user_data;

  g_clear_pointer (&daemon->linger_source, g_source_unref);
  hb_budget_flush_all (daemon->budget);
  hb_log (HB_LOG_INFO, "%s Heartbeat shutdown complete.", daemon->config->local_node);
  g_main_loop_quit (daemon->options.loop);
  return G_SOURCE_REMOVE;
}

void
hb_daemon_shutdown (HbDaemon *daemon)
{
  if (daemon->shutting_down)
    {
      hb_log (HB_LOG_INFO, "Heartbeat shutdown already underway.");
      return;
    }
  daemon->shutting_down = TRUE;
  hb_log (HB_LOG_INFO, "Heartbeat shutdown in progress. (%d)", (int) getpid ());
  log_worst_gaps (daemon);
  /* Heartbeats go on while the groups are released (else the peer
   * would declare us dead and start them while we still hold them); the
   * engine sends t=shutdone st=dead when everything is down, and then
   * hb_daemon_shutdown_complete runs (docs/PROTOCOL.md, "Shutdown"). */
  hb_resmgr_shutdown (daemon->rsc);
}

void
hb_daemon_shutdown_complete (HbDaemon *daemon)
{
  if (daemon->linger_source != NULL)
    {
      return;
    }
  clear_source (&daemon->keepalive_source);
  daemon->linger_source = attach (g_timeout_source_new (SHUTDOWN_LINGER_MS), on_linger_done, daemon);
}

const HbConfig *
hb_daemon_config (const HbDaemon *daemon)
{
  return daemon->config;
}

const HbMembership *
hb_daemon_membership (const HbDaemon *daemon)
{
  return daemon->membership;
}
