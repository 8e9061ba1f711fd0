/* systole: what a node sends: status heartbeats with their control fields,
 * signed on every medium; retransmission requests, NAKs and ACKs; the ping
 * nodes' echo payload. Facts: docs/PROTOCOL.md, "Control fields", "Status
 * packets", "Authentication", "Sequencing", "Ping nodes". */
#include <string.h>
#include <time.h>

#include "daemon-private.h"

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

/* The control fields, appended in Heartbeat's order (docs/PROTOCOL.md,
 * "Control fields"). */
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

/* `msgfmt classic` (the default) or `netstring` (docs/PROTOCOL.md, "Which
 * encoding is sent"). */
static HbWireFormat
wire_format (const HbConfig *config)
{
  return config->msgfmt != NULL && strcmp (config->msgfmt, "netstring") == 0 ? HB_WIRE_NETSTRING
                                                                               : HB_WIRE_CLASSIC;
}

void
hb_daemon_send_bytes (HbDaemon *daemon, GBytes *bytes)
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
 * NS_*) get the next seq and go into the retransmission history
 * (docs/PROTOCOL.md, "Sequence numbers"). */
GBytes *
hb_daemon_send_msg (HbDaemon *daemon, HbMsg *msg)
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
  hb_daemon_send_bytes (daemon, bytes);
  return g_steal_pointer (&bytes);
}

static guint
advertised_deadtime_ms (HbDaemon *daemon)
{
  gboolean early = g_get_monotonic_time () - daemon->started_us < STARTUP_DT_PERIOD_US;

  return daemon->config->deadtime_ms + (early ? STARTUP_DT_EXTRA_MS : 0);
}

void
hb_daemon_send_status (HbDaemon *daemon)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autoptr (GBytes) bytes_sent = NULL;

  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_string (msg, "st", hb_membership_local_status (daemon->membership));
  hb_msg_add_hex (msg, "dt", advertised_deadtime_ms (daemon));
  hb_msg_add_string (msg, "protocol", "1");
  bytes_sent = hb_daemon_send_msg (daemon, msg);
  hb_membership_local_heartbeat (daemon->membership, g_get_monotonic_time ());
}

void
hb_daemon_send_rexmit_request (HbDaemon *daemon, const char *node, guint64 seq)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();

  /* firstseq/lastseq are decimal in requests (docs/PROTOCOL.md, "Retransmission"). */
  hb_msg_add_string (msg, "t", "NS_rexmit");
  hb_msg_add_string (msg, "dest", node);
  hb_msg_add_uint (msg, "firstseq", seq);
  hb_msg_add_uint (msg, "lastseq", seq);
  g_bytes_unref (hb_daemon_send_msg (daemon, msg));
}

void
hb_daemon_send_nak (HbDaemon *daemon, const char *node, guint64 seq, const char *reason)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();

  hb_msg_add_string (msg, "t", "NS_nak_rexmit");
  hb_msg_add_hex (msg, "firstseq", seq);
  hb_msg_add_string (msg, "dest", node);
  hb_msg_add_string (msg, "info", reason);
  g_bytes_unref (hb_daemon_send_msg (daemon, msg));
}

/* ACKs (docs/PROTOCOL.md, "Acknowledgements"): a peer's seq s is acked when
 * s % 10 equals a random trigger chosen per peer, which keeps a 3.0.6 sender's
 * flow control window open. */
void
hb_daemon_maybe_ack (HbDaemon *daemon, const char *node, guint64 seq)
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
      g_bytes_unref (hb_daemon_send_msg (daemon, msg));
    }
}

/* The echo payload of Heartbeat's ping plugin: a signed NS_st (docs/PROTOCOL.md,
 * "Ping nodes"). */
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

gboolean
hb_daemon_on_keepalive (gpointer user_data)
{
  HbDaemon *daemon = user_data;

  hb_daemon_send_status (daemon);
  if (daemon->pinger != NULL)
    {
      g_autoptr (GBytes) payload = ping_payload (daemon);
      hb_pinger_send (daemon->pinger, payload);
    }
  return G_SOURCE_CONTINUE;
}
