/* systole: one cluster node wired together on one GMainLoop.
 * Facts: HEARTBEAT-REFERENCE §1.7 (control fields), §1.8 (auth), §1.9
 * (generations, seq, rexmit), §2.2 (transitions and their log lines), §3.7
 * (shutdown notice). */
#include "daemon.h"

#include <string.h>
#include <unistd.h>

#include "api-server.h"
#include "daemon-api.h"
#include "generation-file.h"
#include "media.h"
#include "membership.h"
#include "ping.h"
#include "wire.h"
#include "xmithist.h"

/* §1.7: for the first 5 s the daemon advertises deadtime + 2000 ms. */
#define STARTUP_DT_EXTRA_MS 2000
#define STARTUP_DT_PERIOD_US (5 * G_USEC_PER_SEC)
/* Bad-packet log lines: at most one per source and reason per this period. */
#define BADPACK_LOG_PERIOD_US (60 * G_USEC_PER_SEC)
#define BADPACK_MAX_KEYS 256
/* How often the worst heartbeat intervals are written to the log. */
#define WORST_GAP_LOG_PERIOD_S 3600
/* After sending shutdone, wait this long so the datagrams leave (§3.7: 1 s). */
#define SHUTDOWN_LINGER_MS 200

struct _HbDaemon
{
  HbDaemonOptions options;
  char *statedir;
  char *rundir;
  char *logfile;
  char *hostname;
  HbConfig *config;
  guint32 generation;
  guint8 uuid[HB_UUID_LEN];
  guint64 next_seq;
  gint64 started_us;
  GPtrArray *media;          /* of HbMediaChannel* */
  HbPinger *pinger;          /* NULL without ping nodes */
  HbMembership *membership;
  HbXmitHist *xmithist;
  GHashTable *peer_uuids;    /* node name -> GBytes (16 bytes), learnt from srcuuid */
  GHashTable *ack_triggers;  /* node name -> GUINT_TO_POINTER (trigger + 1) */
  GHashTable *badpack_last;  /* "addr reason" -> gint64* last log time */
  GSource *keepalive_source;
  GSource *deadline_source;
  GSource *worst_gap_source;
  GSource *linger_source;
  HbApiServer *api;
  gboolean shutting_down;
};

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

static void send_status (HbDaemon *daemon);
static void send_rexmit_request (HbDaemon *daemon, const char *node, guint64 seq);
static void rearm_deadline (HbDaemon *daemon);

static void
handle_events (HbDaemon *daemon, GPtrArray *events)
{
  gboolean local_changed = FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      const HbMemberEvent *ev = g_ptr_array_index (events, i);

      if (ev->message != NULL && ev->message[0] != '\0')
        {
          hb_log (prio_of (ev->severity), "%s", ev->message);
        }
      switch (ev->type)
        {
        case HB_MEMBER_EVENT_REXMIT_REQUEST:
          send_rexmit_request (daemon, ev->node, ev->seq);
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
      send_status (daemon);
    }
}

/* ---- sending ------------------------------------------------------------------------ */

static char *
read_loadavg (void)
{
  g_autofree char *text = NULL;
  char *nl;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    {
      return g_strdup ("n/a");
    }
  nl = strchr (text, '\n');
  if (nl != NULL)
    {
      *nl = '\0';
    }
  return g_steal_pointer (&text);
}

/* The control fields of §1.7, appended in Heartbeat's order. */
static void
add_control_fields (HbDaemon *daemon, HbMsg *msg, gboolean sequenced, guint64 seq)
{
  const char *dest = hb_msg_get (msg, "dest");

  hb_msg_add_string (msg, "src", daemon->config->local_node);
  hb_msg_add_binary (msg, "srcuuid", daemon->uuid, HB_UUID_LEN);
  if (sequenced)
    {
      hb_msg_add_hex (msg, "seq", seq);
    }
  hb_msg_add_hex (msg, "hg", daemon->generation);
  hb_msg_add_hex (msg, "ts", (guint64) MAX (time (NULL), 0));
  if (sequenced)
    {
      g_autofree char *ld = read_loadavg ();
      hb_msg_add_string (msg, "ld", ld);
    }
  hb_msg_add_uint (msg, "ttl", daemon->config->hopfudge + daemon->config->nodes->len);
  if (dest != NULL)
    {
      GBytes *uuid = g_hash_table_lookup (daemon->peer_uuids, dest);
      if (uuid != NULL)
        {
          gsize len = 0;
          const guint8 *data = g_bytes_get_data (uuid, &len);
          hb_msg_add_binary (msg, "destuuid", data, len);
        }
    }
}

/* `msgfmt classic` (the default, §1.4's recommendation) or `netstring`. */
static HbWireFormat
wire_format (const HbConfig *config)
{
  return config->msgfmt != NULL && strcmp (config->msgfmt, "netstring") == 0 ? HB_WIRE_NETSTRING
                                                                               : HB_WIRE_CLASSIC;
}

static void
send_bytes (HbDaemon *daemon, GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  for (guint i = 0; i < daemon->media->len; i++)
    {
      g_autoptr (GError) error = NULL;

      if (!hb_media_send (g_ptr_array_index (daemon->media, i), data, len, &error))
        {
          /* A medium whose link is down fails every keepalive: say so at
           * debug level only; peers see the link die anyway. */
          hb_log (HB_LOG_DEBUG, "send failed: %s", error->message);
        }
    }
}

/* Signs and sends `msg` on every medium; sequenced messages (every type but
 * NS_*) get the next seq and go into the retransmission history (§1.9). */
static GBytes *
send_msg (HbDaemon *daemon, HbMsg *msg)
{
  const char *type = hb_msg_get (msg, "t");
  gboolean sequenced = type == NULL || !g_str_has_prefix (type, "NS_");
  guint64 seq = sequenced ? daemon->next_seq++ : 0;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  add_control_fields (daemon, msg, sequenced, seq);
  if (!hb_wire_encode_signed (msg, daemon->config->auth_keys, daemon->config->auth_active,
                              wire_format (daemon->config), &bytes, &error))
    {
      hb_log (HB_LOG_ERR, "cannot encode %s message: %s", type, error->message);
      return NULL;
    }
  if (sequenced)
    {
      hb_xmithist_add (daemon->xmithist, seq, bytes);
    }
  send_bytes (daemon, bytes);
  return g_steal_pointer (&bytes);
}

static guint
advertised_deadtime_ms (HbDaemon *daemon)
{
  gboolean early = g_get_monotonic_time () - daemon->started_us < STARTUP_DT_PERIOD_US;

  return daemon->config->deadtime_ms + (early ? STARTUP_DT_EXTRA_MS : 0);
}

static void
send_status (HbDaemon *daemon)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autoptr (GBytes) bytes_sent = NULL;

  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_string (msg, "st", hb_membership_local_status (daemon->membership));
  hb_msg_add_hex (msg, "dt", advertised_deadtime_ms (daemon));
  hb_msg_add_string (msg, "protocol", "1");
  bytes_sent = send_msg (daemon, msg);
  hb_membership_local_heartbeat (daemon->membership, g_get_monotonic_time ());
}

static void
send_rexmit_request (HbDaemon *daemon, const char *node, guint64 seq)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();

  /* §1.9: firstseq/lastseq are decimal in requests. */
  hb_msg_add_string (msg, "t", "NS_rexmit");
  hb_msg_add_string (msg, "dest", node);
  hb_msg_add_uint (msg, "firstseq", seq);
  hb_msg_add_uint (msg, "lastseq", seq);
  g_bytes_unref (send_msg (daemon, msg));
}

static void
send_nak (HbDaemon *daemon, const char *node, guint64 seq, const char *reason)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();

  hb_msg_add_string (msg, "t", "NS_nak_rexmit");
  hb_msg_add_hex (msg, "firstseq", seq);
  hb_msg_add_string (msg, "dest", node);
  hb_msg_add_string (msg, "info", reason);
  g_bytes_unref (send_msg (daemon, msg));
}

/* §1.9 ACKs: a peer's seq s is acked when s % 10 equals a random trigger
 * chosen per peer, which keeps a 3.0.6 sender's flow control window open. */
static void
maybe_ack (HbDaemon *daemon, const char *node, guint64 seq)
{
  gpointer stored = g_hash_table_lookup (daemon->ack_triggers, node);
  guint trigger;

  if (stored == NULL)
    {
      stored = GUINT_TO_POINTER (g_random_int_range (0, 10) + 1);
      g_hash_table_insert (daemon->ack_triggers, g_strdup (node), stored);
    }
  trigger = GPOINTER_TO_UINT (stored) - 1;
  if (seq % 10 == trigger)
    {
      g_autoptr (HbMsg) msg = hb_msg_new ();
      hb_msg_add_string (msg, "t", "NS_ackmsg");
      hb_msg_add_string (msg, "dest", node);
      hb_msg_add_hex (msg, "ackseq", seq);
      g_bytes_unref (send_msg (daemon, msg));
    }
}

/* The echo payload of Heartbeat's ping plugin: a signed NS_st (§2.2). */
static GBytes *
ping_payload (HbDaemon *daemon)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  GBytes *bytes = NULL;

  hb_msg_add_string (msg, "t", "NS_st");
  hb_msg_add_string (msg, "st", "ping");
  hb_msg_add_string (msg, "info", "ping");
  hb_msg_add_string (msg, "src", daemon->config->local_node);
  hb_msg_add_hex (msg, "ts", (guint64) MAX (time (NULL), 0));
  if (!hb_wire_encode_signed (msg, daemon->config->auth_keys, daemon->config->auth_active,
                              HB_WIRE_CLASSIC, &bytes, NULL))
    {
      return NULL;
    }
  return bytes;
}

static gboolean
on_keepalive (gpointer user_data)
{
  HbDaemon *daemon = user_data;

  send_status (daemon);
  if (daemon->pinger != NULL)
    {
      g_autoptr (GBytes) payload = ping_payload (daemon);
      hb_pinger_send (daemon->pinger, payload);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- receiving ---------------------------------------------------------------------- */

/* Logs a dropped datagram at most once per source and reason per period
 * (`log_badpack`, §4.2), naming the sender's address. */
static void
log_bad_packet (HbDaemon *daemon, GInetSocketAddress *from, const char *medium, const char *reason)
{
  g_autofree char *addr = g_inet_address_to_string (g_inet_socket_address_get_address (from));
  g_autofree char *key = g_strdup_printf ("%s %s", addr, reason);
  gint64 now = g_get_monotonic_time ();
  gint64 *last = g_hash_table_lookup (daemon->badpack_last, key);

  if (!daemon->config->log_badpack || (last != NULL && now - *last < BADPACK_LOG_PERIOD_US))
    {
      return;
    }
  if (g_hash_table_size (daemon->badpack_last) >= BADPACK_MAX_KEYS)
    {
      g_hash_table_remove_all (daemon->badpack_last);
    }
  last = g_new (gint64, 1);
  *last = now;
  g_hash_table_replace (daemon->badpack_last, g_steal_pointer (&key), last);
  hb_log (HB_LOG_WARNING, "Dropped packet from %s:%u on %s: %s", addr,
          g_inet_socket_address_get_port (from), medium, reason);
}

static void
remember_uuid (HbDaemon *daemon, const HbMsg *msg, const char *src)
{
  gsize len = 0;
  const guint8 *uuid = hb_msg_get_binary (msg, "srcuuid", &len);

  if (uuid != NULL && len == HB_UUID_LEN && !g_hash_table_contains (daemon->peer_uuids, src))
    {
      g_hash_table_insert (daemon->peer_uuids, g_strdup (src), g_bytes_new (uuid, len));
    }
}

static void
serve_rexmit (HbDaemon *daemon, const HbMsg *msg, const char *src)
{
  g_autoptr (GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_xmit_reply_free);
  guint64 first = 0, last = 0;

  if (!hb_msg_get_uint (msg, "firstseq", &first) || !hb_msg_get_uint (msg, "lastseq", &last))
    {
      hb_log (HB_LOG_WARNING, "Bad NS_rexmit request from %s", src);
      return;
    }
  hb_xmithist_serve (daemon->xmithist, g_get_monotonic_time (), first, last, src, replies);
  for (guint i = 0; i < replies->len; i++)
    {
      const HbXmitReply *reply = g_ptr_array_index (replies, i);

      if (reply->kind == HB_XMIT_RESEND)
        {
          send_bytes (daemon, reply->msg);
          continue;
        }
      hb_log (reply->kind == HB_XMIT_NAK ? HB_LOG_ERR : HB_LOG_WARNING, "%s", reply->message);
      if (reply->kind == HB_XMIT_NAK)
        {
          send_nak (daemon, src, reply->seq, reply->reason);
        }
    }
}

/* A starting 3.0.6 node asks one peer for the node list (`t=reqnodes`) and
 * does not declare its communication up until `t=repnodes` answers (seen in
 * the captures of shared/vectors/heartbeat-3.0.6: dest first, then t,
 * nodelist with a trailing blank, delnodelist). */
static void
answer_reqnodes (HbDaemon *daemon, const char *src)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autoptr (GString) list = g_string_new (NULL);

  for (guint i = 0; i < daemon->config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (daemon->config->nodes, i);
      if (node->type == HB_NODE_NORMAL)
        {
          g_string_append_printf (list, "%s ", node->name);
        }
    }
  hb_msg_add_string (msg, "dest", src);
  hb_msg_add_string (msg, "t", "repnodes");
  hb_msg_add_string (msg, "nodelist", list->str);
  hb_msg_add_string (msg, "delnodelist", " ");
  g_bytes_unref (send_msg (daemon, msg));
}

/* Acts on a message membership judged new (HB_MEMBER_PROCESS). */
static void
dispatch (HbDaemon *daemon, const HbMsg *msg, const char *type, const char *src)
{
  guint64 seq = 0;

  if (strcmp (type, "NS_rexmit") == 0)
    {
      serve_rexmit (daemon, msg, src);
    }
  else if (strcmp (type, "NS_nak_rexmit") == 0)
    {
      hb_log (HB_LOG_ERR, "Irretrievably lost packet: node %s seq %s", src,
              hb_msg_get (msg, "firstseq") != NULL ? hb_msg_get (msg, "firstseq") : "?");
    }
  else if (strcmp (type, "reqnodes") == 0)
    {
      answer_reqnodes (daemon, src);
    }
  else if (strcmp (type, "shutdone") == 0)
    {
      hb_log (HB_LOG_INFO, "Received shutdown notice from '%s'.", src);
    }
  /* NS_ackmsg: we keep no flow control window (§1.9 allows it): ignored. */
  if (!g_str_has_prefix (type, "NS_") && hb_msg_get_hex (msg, "seq", &seq))
    {
      maybe_ack (daemon, src, seq);
    }
}

static gboolean
fill_packet (const HbMsg *msg, const char *src, const char *link, HbMemberPacket *pkt)
{
  const char *type = hb_msg_get (msg, "t");
  guint64 dt = 0;

  memset (pkt, 0, sizeof *pkt);
  pkt->from_node = src;
  pkt->link = link;
  /* A shutdone carries st=dead (§3.7): it counts as the node's last status,
   * so peers mark a node that leaves cleanly dead at once. */
  pkt->is_status = strcmp (type, "status") == 0 || strcmp (type, "shutdone") == 0;
  pkt->is_ns = g_str_has_prefix (type, "NS_");
  pkt->status = pkt->is_status ? hb_msg_get (msg, "st") : NULL;
  pkt->dest = hb_msg_get (msg, "dest");
  pkt->has_seq = hb_msg_get_hex (msg, "seq", &pkt->seq) && pkt->seq > 0;
  pkt->has_gen = hb_msg_get_hex (msg, "hg", &pkt->gen);
  if (pkt->is_status && hb_msg_get_hex (msg, "dt", &dt))
    {
      pkt->dt_ms = (guint) MIN (dt, G_MAXUINT);
    }
  return !pkt->is_status || (pkt->status != NULL && pkt->status[0] != '\0'
                             && strlen (pkt->status) < HB_WIRE_STATUSLENG);
}

static void
on_datagram (HbMediaChannel *channel, const guint8 *data, gsize len, GInetSocketAddress *from,
             gpointer user_data)
{
  HbDaemon *daemon = user_data;
  g_autoptr (HbMsg) msg = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = hb_member_events_new ();
  g_autofree char *src = NULL;
  const char *type;
  HbMemberPacket pkt;
  HbMemberVerdict verdict;

  if (hb_wire_decode_and_verify (data, len, daemon->config->auth_keys, &msg, &error) < 0)
    {
      log_bad_packet (daemon, from, hb_media_describe (channel), error->message);
      return;
    }
  type = hb_msg_get (msg, "t");
  if (type == NULL || hb_msg_get (msg, "src") == NULL
      || strlen (hb_msg_get (msg, "src")) >= HB_WIRE_HOSTLENG)
    {
      log_bad_packet (daemon, from, hb_media_describe (channel), "no message type or source");
      return;
    }
  src = g_ascii_strdown (hb_msg_get (msg, "src"), -1);
  if (!fill_packet (msg, src, hb_media_link_name (channel), &pkt))
    {
      log_bad_packet (daemon, from, hb_media_describe (channel), "bad status field");
      return;
    }
  verdict = hb_membership_receive (daemon->membership, g_get_monotonic_time (), &pkt, events);
  if (verdict == HB_MEMBER_DROP_UNKNOWN_NODE)
    {
      g_autofree char *why = g_strdup_printf ("node [%s] is not in our configuration", src);
      log_bad_packet (daemon, from, hb_media_describe (channel), why);
    }
  else if (verdict == HB_MEMBER_PROCESS)
    {
      remember_uuid (daemon, msg, src);
      dispatch (daemon, msg, type, src);
    }
  handle_events (daemon, events);
  rearm_deadline (daemon);
}

/* An echo reply is a status of the ping node (§2.2): no seq, no generation. */
static void
on_ping_reply (const char *node, gpointer user_data)
{
  HbDaemon *daemon = user_data;
  g_autoptr (GPtrArray) events = hb_member_events_new ();
  HbMemberPacket pkt = { 0 };

  pkt.from_node = node;
  pkt.link = node;
  pkt.is_status = TRUE;
  pkt.is_ns = TRUE;
  hb_membership_receive (daemon->membership, g_get_monotonic_time (), &pkt, events);
  handle_events (daemon, events);
  rearm_deadline (daemon);
}

static void
start_pinger (HbDaemon *daemon)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&daemon->pinger, hb_pinger_free);
  daemon->pinger = hb_pinger_new (daemon->config, on_ping_reply, daemon, &error);
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
  handle_events (daemon, events);
  rearm_deadline (daemon);
  return G_SOURCE_CONTINUE;
}

/* ONE timer, armed at membership's next deadline: a node is declared dead as
 * soon as its dead interval has passed, not at the next 250 ms poll as in
 * Heartbeat (§2.2). GLib dispatches a ready time no earlier than asked. */
static void
rearm_deadline (HbDaemon *daemon)
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

static gboolean
open_media (HbDaemon *daemon, GError **error)
{
  g_ptr_array_set_size (daemon->media, 0);
  for (guint i = 0; i < daemon->config->media->len; i++)
    {
      const HbMedium *conf = g_ptr_array_index (daemon->config->media, i);
      g_autoptr (GError) local = NULL;
      HbMediaChannel *channel = hb_media_open (conf, NULL, on_datagram, daemon, &local);

      if (channel == NULL)
        {
          if (g_error_matches (local, HB_MEDIA_ERROR, HB_MEDIA_ERROR_SELF))
            {
              hb_log (HB_LOG_DEBUG, "%s: skipped", local->message);
              continue;
            }
          hb_log (HB_LOG_ERR, "ha.cf line %u: %s", conf->line, local->message);
          continue;
        }
      hb_log (HB_LOG_INFO, "%s", hb_media_started_message (channel));
      g_ptr_array_add (daemon->media, channel);
    }
  if (daemon->media->len == 0)
    {
      g_set_error (error, HB_MEDIA_ERROR, HB_MEDIA_ERROR_SOCKET,
                   "no heartbeat medium could be started");
      return FALSE;
    }
  return TRUE;
}

/* ---- worst heartbeat interval, for tuning deadtime (§8.2) -------------------------------- */

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
                                     on_keepalive, daemon);
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

static gboolean
start_membership (HbDaemon *daemon, GError **error)
{
  g_autoptr (GPtrArray) events = hb_member_events_new ();

  g_clear_pointer (&daemon->membership, hb_membership_free);
  daemon->membership = membership_from_config (daemon, error);
  if (daemon->membership == NULL)
    {
      return FALSE;
    }
  hb_membership_set_local_status (daemon->membership, g_get_monotonic_time (), "up", events);
  handle_events (daemon, events);
  rearm_deadline (daemon);
  return TRUE;
}

HbDaemon *
hb_daemon_new (const HbDaemonOptions *options, HbConfig *config, GError **error)
{
  g_autoptr (HbDaemon) daemon = g_new0 (HbDaemon, 1);

  daemon->options = *options;
  daemon->statedir = g_strdup (options->statedir);
  daemon->rundir = g_strdup (options->rundir);
  daemon->logfile = g_strdup (options->logfile);
  daemon->hostname = g_strdup (options->hostname);
  daemon->config = config;
  daemon->next_seq = 1;
  daemon->started_us = g_get_monotonic_time ();
  daemon->media = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_media_free);
  daemon->peer_uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  daemon->ack_triggers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  daemon->badpack_last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  daemon->xmithist = hb_xmithist_new (config->max_rexmit_delay_ms);
  daemon->deadline_source = g_source_new (&deadline_funcs, sizeof (GSource));
  attach (daemon->deadline_source, on_deadline, daemon);
  if (!load_identity (daemon, error) || !open_media (daemon, error)
      || !start_membership (daemon, error))
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

void
hb_daemon_reload (HbDaemon *daemon, HbConfig *config)
{
  g_autoptr (HbConfig) old = daemon->config;
  g_autofree char *old_media = media_signature (old);
  g_autofree char *new_media = media_signature (config);
  gboolean same_media = strcmp (old_media, new_media) == 0;
  g_autoptr (GError) error = NULL;

  daemon->config = config;
  hb_logger_configure (daemon->options.logger, config, daemon->logfile, daemon->hostname);
  if (!same_media && !open_media (daemon, &error))
    {
      hb_log (HB_LOG_ERR, "Reload: %s", error->message);
    }
  if (!same_media || !membership_inputs_equal (old, config))
    {
      hb_log (HB_LOG_INFO, "Reload: nodes, media or timers changed: membership restarts");
      if (!start_membership (daemon, &error))
        {
          hb_log (HB_LOG_ERR, "Reload: %s", error->message);
        }
      start_pinger (daemon);
    }
  if (old->keepalive_ms != config->keepalive_ms)
    {
      start_keepalive (daemon);
    }
  hb_log (HB_LOG_INFO, "Configuration reloaded from %s.", config->confdir);
}

static gboolean
on_linger_done (gpointer user_data)
{
  HbDaemon *daemon = user_data;

  g_clear_pointer (&daemon->linger_source, g_source_unref);
  hb_log (HB_LOG_INFO, "%s Heartbeat shutdown complete.", daemon->config->local_node);
  g_main_loop_quit (daemon->options.loop);
  return G_SOURCE_REMOVE;
}

void
hb_daemon_shutdown (HbDaemon *daemon)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autoptr (GBytes) bytes = NULL;

  if (daemon->shutting_down)
    {
      return;
    }
  daemon->shutting_down = TRUE;
  hb_log (HB_LOG_INFO, "Heartbeat shutdown in progress. (%d)", (int) getpid ());
  log_worst_gaps (daemon);
  clear_source (&daemon->keepalive_source);
  /* §3.7: peers see t=shutdone st=dead and mark us dead without waiting
   * for deadtime. Sent twice (same bytes, same seq): one lost datagram would
   * cost them deadtime. */
  hb_msg_add_string (msg, "t", "shutdone");
  hb_msg_add_string (msg, "st", "dead");
  bytes = send_msg (daemon, msg);
  if (bytes != NULL)
    {
      send_bytes (daemon, bytes); /* same seq: a duplicate to whoever got the first */
    }
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
