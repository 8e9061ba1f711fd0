/* systole: what a node receives: decode and verify every datagram
 * (docs/PROTOCOL.md, "Wire format"), hand it to membership ("Sequencing",
 * "Liveness and dead detection"), act on the messages membership lets
 * through, and log bad packets at a bounded rate. */
#include <string.h>

#include "auth.h"
#include "daemon-private.h"

/* ---- receiving ---------------------------------------------------------------------- */

/* Logs a dropped datagram at most once per source and kind of problem per
 * period (`log_badpack`; docs/PROTOCOL.md, "ha.cf directives"), naming the
 * sender's address. The key is the kind, not the text: texts carry offsets and
 * the claimed sender, so a flood of junk would otherwise get a new key, and a
 * log line, per packet. Spoofed source addresses are free, so the lines of all
 * sources together pass a global budget too (daemon-budget.h). */
static void
log_bad_packet (HbDaemon *daemon, GInetSocketAddress *from, const char *medium, const char *kind,
                const char *reason)
{
  g_autofree char *addr = NULL;
  g_autofree char *key = NULL;

  if (!daemon->config->log_badpack)
    {
      return;
    }
  addr = g_inet_address_to_string (g_inet_socket_address_get_address (from));
  key = g_strdup_printf ("%s %s", addr, kind);
  if (!hb_budget_badpack_source (daemon->budget, key))
    {
      return;
    }
  hb_budget_log (daemon->budget, HB_BUDGET_BADPACK, HB_LOG_WARNING,
                 "Dropped packet from %s:%u on %s: %s", addr,
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

/* One reply to NS_rexmit. A captured request can be replayed at will, and
 * once our history has moved on each copy asks for up to 50 NAKs: resends
 * and NAKs pass budgets per requester and in total (on top of xmithist's
 * "not resent again within max_rexmit_delay - 10 ms"; docs/PROTOCOL.md,
 * "Retransmission"), and the log
 * lines the rexmit budget. */
static void
serve_reply (HbDaemon *daemon, const HbXmitReply *reply, const char *src)
{
  switch (reply->kind)
    {
    case HB_XMIT_RESEND:
      if (hb_budget_resend (daemon->budget, src))
        {
          hb_daemon_send_bytes (daemon, reply->msg);
          return;
        }
      hb_budget_log (daemon->budget, HB_BUDGET_REXMIT, HB_LOG_WARNING,
                     "Not resending pkt %" G_GUINT64_FORMAT " to %s: over the retransmission budget",
                     reply->seq, src);
      return;
    case HB_XMIT_NAK:
      if (hb_budget_nak (daemon->budget, src))
        {
          hb_budget_log (daemon->budget, HB_BUDGET_REXMIT, HB_LOG_ERR, "%s", reply->message);
          hb_daemon_send_nak (daemon, src, reply->seq, reply->reason);
          return;
        }
      hb_budget_log (daemon->budget, HB_BUDGET_REXMIT, HB_LOG_WARNING,
                     "Not sending NS_nak_rexmit for pkt %" G_GUINT64_FORMAT
                     " to %s: over the retransmission budget", reply->seq, src);
      return;
    case HB_XMIT_ABOVE_HIGH:
    default:
      hb_budget_log (daemon->budget, HB_BUDGET_REXMIT, HB_LOG_WARNING, "%s", reply->message);
      return;
    }
}

static void
serve_rexmit (HbDaemon *daemon, const HbMsg *msg, const char *src)
{
  g_autoptr (GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_xmit_reply_free);
  guint64 first = 0, last = 0;

  if (!hb_msg_get_uint (msg, "firstseq", &first) || !hb_msg_get_uint (msg, "lastseq", &last))
    {
      hb_budget_log (daemon->budget, HB_BUDGET_REXMIT, HB_LOG_WARNING,
                     "Bad NS_rexmit request from %s", src);
      return;
    }
  hb_xmithist_serve (daemon->xmithist, g_get_monotonic_time (), first, last, src, replies);
  for (guint i = 0; i < replies->len; i++)
    {
      serve_reply (daemon, g_ptr_array_index (replies, i), src);
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
  g_bytes_unref (hb_daemon_send_msg (daemon, msg));
}

/* The peer cannot retransmit a packet we asked for (NS_nak_rexmit with a hex
 * firstseq; docs/PROTOCOL.md, "Retransmission"): stop asking for it, and say so once. */
static void
give_up_lost_packet (HbDaemon *daemon, const HbMsg *msg, const char *src)
{
  guint64 seq = 0;

  if (!hb_msg_get_hex (msg, "firstseq", &seq))
    {
      hb_log (HB_LOG_WARNING, "Bad NS_nak_rexmit from %s: no firstseq", src);
      return;
    }
  if (hb_membership_rexmit_nak (daemon->membership, src, seq))
    {
      hb_log (HB_LOG_ERR, "Irretrievably lost packet: node %s seq %" G_GUINT64_FORMAT, src, seq);
    }
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
      give_up_lost_packet (daemon, msg, src);
    }
  else if (strcmp (type, "reqnodes") == 0)
    {
      answer_reqnodes (daemon, src);
    }
  else if (hb_resmgr_is_resource_message (type) && daemon->rsc != NULL)
    {
      /* docs/PROTOCOL.md, "Resource management" (shutdone included: the
       * engine logs the notice). */
      hb_resmgr_receive (daemon->rsc, msg, src);
    }
  /* NS_ackmsg: we keep no flow control window (docs/PROTOCOL.md,
   * "Acknowledgements"): ignored. */
  if (!g_str_has_prefix (type, "NS_") && hb_msg_get_hex (msg, "seq", &seq))
    {
      hb_daemon_maybe_ack (daemon, src, seq);
    }
}

/* ---- resource messages of a run not yet seen live ------------------------------------ */

/* A resource message waits for its run to be confirmed (membership.h,
 * hb_membership_generation_confirmed): a replayed message of an earlier run
 * of the peer becomes its known generation when we know nothing newer (at
 * our start), and acting on it — a `shutdone` above all — would start the
 * peer's live groups here. The real peer confirms its run within a
 * keepalive; a replay never does. */
typedef struct
{
  HbMsg *msg;
  guint64 gen;
} HbDeferred;

static void
deferred_item_free (HbDeferred *d)
{
  hb_msg_free (d->msg);
  g_free (d);
}

void
hb_daemon_deferred_free (gpointer queue)
{
  g_queue_free_full (queue, (GDestroyNotify) deferred_item_free);
}

/* Takes `msg`. */
static void
defer (HbDaemon *daemon, HbMsg *msg, const char *src, guint64 gen)
{
  GQueue *queue = g_hash_table_lookup (daemon->deferred, src);
  HbDeferred *d;

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (daemon->deferred, g_strdup (src), queue);
    }
  if (g_queue_get_length (queue) >= DEFERRED_MAX)
    {
      deferred_item_free (g_queue_pop_head (queue));
    }
  hb_log (HB_LOG_DEBUG, "Holding t=%s from %s until its run (generation %" G_GUINT64_FORMAT
          ") shows a live status", hb_msg_get (msg, "t"), src, gen);
  d = g_new0 (HbDeferred, 1);
  d->msg = msg;
  d->gen = gen;
  g_queue_push_tail (queue, d);
}

static void dispatch (HbDaemon *daemon, const HbMsg *msg, const char *type, const char *src);

/* After each packet of `src`: its run confirmed, the held messages of that
 * run go through in order; those of any other run never will. */
static void
release_deferred (HbDaemon *daemon, const char *src)
{
  GQueue *queue = g_hash_table_lookup (daemon->deferred, src);
  guint64 gen = hb_membership_node_generation (daemon->membership, src);
  gboolean confirmed = hb_membership_generation_confirmed (daemon->membership, src);
  HbDeferred *d;

  while (queue != NULL && (d = g_queue_peek_head (queue)) != NULL && (confirmed || d->gen != gen))
    {
      g_queue_pop_head (queue);
      if (d->gen == gen)
        {
          dispatch (daemon, d->msg, hb_msg_get (d->msg, "t"), src);
        }
      else
        {
          hb_log (HB_LOG_WARNING, "Ignored t=%s from %s: its run (generation %" G_GUINT64_FORMAT
                  ") never showed a live status: a replay of an earlier run?",
                  hb_msg_get (d->msg, "t"), src, d->gen);
        }
      deferred_item_free (d);
    }
}

/* A confirmed run is remembered across our restarts (peer-generations.h). */
static void
remember_generation (HbDaemon *daemon, const char *src)
{
  guint64 gen = hb_membership_node_generation (daemon->membership, src);

  if (gen != 0 && gen <= G_MAXUINT32 && hb_membership_generation_confirmed (daemon->membership, src))
    {
      hb_peer_generations_raise (daemon->peer_gens, src, (guint32) gen);
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
  /* A shutdone carries st=dead (docs/PROTOCOL.md, "Shutdown"): it counts as the node's last status,
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
  return !pkt->is_status || (pkt->status != NULL && hb_wire_status_is_valid (pkt->status));
}

void
hb_daemon_on_datagram (HbMediaChannel *channel, const guint8 *data, gsize len, GInetSocketAddress *from,
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
  gint index;

  index = hb_wire_decode_and_verify (data, len, daemon->config->auth_keys, &msg, &error);
  if (index < 0 || !hb_auth_index_accepted (daemon->config->auth_keys, daemon->config->auth_active,
                                             (guint) index, &error))
    {
      g_autofree char *kind = g_strdup_printf ("%s:%d", g_quark_to_string (error->domain), error->code);
      log_bad_packet (daemon, from, hb_media_describe (channel), kind, error->message);
      return;
    }
  type = hb_msg_get (msg, "t");
  if (type == NULL || hb_msg_get (msg, "src") == NULL
      || !hb_wire_node_name_is_valid (hb_msg_get (msg, "src")))
    {
      log_bad_packet (daemon, from, hb_media_describe (channel), "no-source",
                      "no message type or no valid source node name");
      return;
    }
  src = g_ascii_strdown (hb_msg_get (msg, "src"), -1);
  if (!fill_packet (msg, src, hb_media_link_name (channel), &pkt))
    {
      log_bad_packet (daemon, from, hb_media_describe (channel), "bad-status", "bad status field");
      return;
    }
  hb_membership_set_wall_time (daemon->membership, g_get_real_time () / G_USEC_PER_SEC);
  verdict = hb_membership_receive (daemon->membership, g_get_monotonic_time (), &pkt, events);
  if (verdict == HB_MEMBER_DROP_UNKNOWN_NODE)
    {
      g_autofree char *why = g_strdup_printf ("node [%s] is not in our configuration", src);
      log_bad_packet (daemon, from, hb_media_describe (channel), "unknown-node", why);
    }
  else if (verdict == HB_MEMBER_PROCESS)
    {
      remember_uuid (daemon, msg, src);
      if (hb_resmgr_is_resource_message (type)
          && !hb_membership_generation_confirmed (daemon->membership, src))
        {
          defer (daemon, g_steal_pointer (&msg), src, pkt.gen);
        }
      else
        {
          dispatch (daemon, msg, type, src);
        }
    }
  hb_daemon_handle_events (daemon, events);
  if (verdict == HB_MEMBER_PROCESS)
    {
      remember_generation (daemon, src);
      release_deferred (daemon, src);
    }
  hb_daemon_rearm_deadline (daemon);
}

/* An echo reply is a status of the ping node (docs/PROTOCOL.md, "Ping nodes"): no seq,
 * no generation. */
void
hb_daemon_on_ping_reply (const char *node, gpointer user_data)
{
  HbDaemon *daemon = user_data;
  g_autoptr (GPtrArray) events = hb_member_events_new ();
  HbMemberPacket pkt = { 0 };

  pkt.from_node = node;
  pkt.link = node;
  pkt.is_status = TRUE;
  pkt.is_ns = TRUE;
  hb_membership_receive (daemon->membership, g_get_monotonic_time (), &pkt, events);
  hb_daemon_handle_events (daemon, events);
  hb_daemon_rearm_deadline (daemon);
}
