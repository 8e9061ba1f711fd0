/* systole test tool: an attacker on the LAN who captured heartbeat traffic
 * (tcpdump -w) and sends captured UDP payloads again, byte for byte.
 *
 *   pcap-replay [-m TEXT] [-s SRC] [-n COUNT] [-i MS] [-a] FILE HOST PORT
 *
 * Reads a classic pcap file (Ethernet or Linux cooked link type, IPv4/UDP),
 * picks the payloads that contain TEXT (e.g. "t=shutdone") and come from SRC,
 * and sends the last one (every one with -a) to HOST:PORT (broadcast
 * allowed), COUNT times (default 1), MS apart (default 100).
 * Exit 0 sent, 1 nothing matched or a send failed, 2 usage. */
#include <gio/gio.h>
#include <string.h>

#define PCAP_LINK_ETHERNET 1
#define PCAP_LINK_LINUX_SLL 113

typedef struct
{
  gboolean swap;
  guint32 link;
} PcapInfo;

static guint32
rd32 (const guint8 *p, gboolean swap)
{
  guint32 v;

  memcpy (&v, p, 4);
  return swap ? GUINT32_SWAP_LE_BE (v) : v;
}

static gboolean
read_header (const guint8 *data, gsize len, PcapInfo *info)
{
  guint32 magic;

  if (len < 24)
    {
      return FALSE;
    }
  memcpy (&magic, data, 4);
  if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
    {
      info->swap = FALSE;
    }
  else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
    {
      info->swap = TRUE;
    }
  else
    {
      return FALSE;
    }
  info->link = rd32 (data + 20, info->swap);
  return info->link == PCAP_LINK_ETHERNET || info->link == PCAP_LINK_LINUX_SLL;
}

/* The UDP payload of one captured frame, or NULL; *src_out is the IPv4 source. */
static const guint8 *
udp_payload (const PcapInfo *info, const guint8 *frame, gsize len, gsize *plen, guint32 *src_out)
{
  gsize l2 = info->link == PCAP_LINK_ETHERNET ? 14 : 16;
  const guint8 *ip;
  gsize ihl, total;

  if (len < l2 + 20 || frame[l2 - 2] != 0x08 || frame[l2 - 1] != 0x00)
    {
      return NULL;
    }
  ip = frame + l2;
  ihl = (gsize) (ip[0] & 0x0f) * 4;
  total = ((gsize) ip[2] << 8) | ip[3];
  if ((ip[0] >> 4) != 4 || ip[9] != 17 || ihl < 20 || total > len - l2 || total < ihl + 8)
    {
      return NULL;
    }
  memcpy (src_out, ip + 12, 4);
  *plen = total - ihl - 8;
  return ip + ihl + 8;
}

static gboolean
contains (const guint8 *data, gsize len, const char *text)
{
  gsize n = text != NULL ? strlen (text) : 0;

  if (n == 0)
    {
      return TRUE;
    }
  for (gsize i = 0; i + n <= len; i++)
    {
      if (memcmp (data + i, text, n) == 0)
        {
          return TRUE;
        }
    }
  return FALSE;
}

/* Every matching payload, in capture order (GBytes). */
static GPtrArray *
pick (const guint8 *data, gsize len, const char *match, const char *src, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint32 want = 0;
  PcapInfo info;
  gsize off = 24;

  if (!read_header (data, len, &info))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "not a pcap file of Ethernet or Linux cooked frames");
      return NULL;
    }
  if (src != NULL)
    {
      g_autoptr (GInetAddress) a = g_inet_address_new_from_string (src);

      if (a == NULL || g_inet_address_get_family (a) != G_SOCKET_FAMILY_IPV4)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad source %s", src);
          return NULL;
        }
      memcpy (&want, g_inet_address_to_bytes (a), 4);
    }
  while (off + 16 <= len)
    {
      guint32 caplen = rd32 (data + off + 8, info.swap);
      const guint8 *payload;
      gsize plen = 0;
      guint32 from = 0;

      off += 16;
      if (caplen > len - off)
        {
          break;
        }
      payload = udp_payload (&info, data + off, caplen, &plen, &from);
      if (payload != NULL && (src == NULL || from == want) && contains (payload, plen, match))
        {
          g_ptr_array_add (out, g_bytes_new (payload, plen));
        }
      off += caplen;
    }
  return g_steal_pointer (&out);
}

static gboolean
send_all (GPtrArray *payloads, const char *host, guint16 port, guint count, guint interval_ms,
          GError **error)
{
  g_autoptr (GInetAddress) addr = g_inet_address_new_from_string (host);
  g_autoptr (GSocketAddress) to = NULL;
  g_autoptr (GSocket) sock = NULL;

  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad address %s", host);
      return FALSE;
    }
  to = g_inet_socket_address_new (addr, port);
  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (sock == NULL)
    {
      return FALSE;
    }
  g_socket_set_broadcast (sock, TRUE);
  for (guint c = 0; c < count; c++)
    {
      for (guint i = 0; i < payloads->len; i++)
        {
          gsize n = 0;
          const char *d = g_bytes_get_data (g_ptr_array_index (payloads, i), &n);

          if (g_socket_send_to (sock, to, d, n, NULL, error) != (gssize) n)
            {
              return FALSE;
            }
        }
      if (c + 1 < count)
        {
          g_usleep ((gulong) interval_ms * 1000);
        }
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *match = NULL;
  g_autofree char *src = NULL;
  gint count = 1, interval = 100;
  gboolean all = FALSE;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE HOST PORT - send captured UDP payloads again");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) payloads = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  guint64 port = 0;
  GOptionEntry entries[] = {
    { "match", 'm', 0, G_OPTION_ARG_STRING, &match, "payloads containing TEXT", "TEXT" },
    { "source", 's', 0, G_OPTION_ARG_STRING, &src, "payloads sent by this IPv4 address", "SRC" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "send this many times", "COUNT" },
    { "interval", 'i', 0, G_OPTION_ARG_INT, &interval, "milliseconds between sends", "MS" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "every match, not only the last", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 4 || count < 1 || interval < 0
      || !g_ascii_string_to_unsigned (argv[3], 10, 1, 65535, &port, NULL))
    {
      g_printerr ("pcap-replay: %s\n", error != NULL ? error->message
                                                    : "usage: pcap-replay [-m TEXT] [-s SRC] [-n COUNT] [-i MS] [-a] FILE HOST PORT");
      return 2;
    }
  if (!g_file_get_contents (argv[1], &data, &len, &error)
      || (payloads = pick ((const guint8 *) data, len, match, src, &error)) == NULL)
    {
      g_printerr ("pcap-replay: %s: %s\n", argv[1], error->message);
      return 1;
    }
  if (payloads->len == 0)
    {
      g_printerr ("pcap-replay: %s: no UDP payload matches\n", argv[1]);
      return 1;
    }
  if (!all)
    {
      g_ptr_array_remove_range (payloads, 0, payloads->len - 1);
    }
  if (!send_all (payloads, argv[2], (guint16) port, (guint) count, (guint) interval, &error))
    {
      g_printerr ("pcap-replay: %s\n", error->message);
      return 1;
    }
  return 0;
}
