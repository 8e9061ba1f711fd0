/* systole: bench/chaos-replay, the replaying attacker of bench/chaos.
 *
 *   chaos-replay list PCAP
 *       One line per heartbeat datagram in PCAP (tcpdump -w, Ethernet, IPv4/UDP):
 *         INDEX TIME_US SRC_IP TYPE SRC_NODE GEN SEQ
 *       TYPE, SRC_NODE, GEN (hex as sent) and SEQ are the message's t, src, hg
 *       and seq fields, "-" when absent; classic and netstring packets both.
 *   chaos-replay send IFNAME PCAP [-r COUNT -i MS] INDEX...
 *       Sends the frames with those indexes again, byte for byte but the
 *       UDP checksum (MACs, IP addresses and signature as captured), on
 *       IFNAME through a packet socket: for the receivers they are the old
 *       packets themselves.
 *       With -r, the whole list is sent COUNT times, MS milliseconds apart
 *       (an attacker repeating an old message until it lands in a window).
 *       The UDP checksum is computed afresh: a capture on a veth shows the
 *       sender's unfinished checksum (offloaded), which receivers would
 *       reject in a frame that did not come through the veth itself.
 *
 * A truncated last record (tcpdump still writing) is ignored. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET 1

typedef struct
{
  gint64 time_us;
  const guint8 *frame;
  gsize len;
} Record;

/* The records of a pcap file held in DATA (which must outlive them). */
static GArray *
pcap_records (const guint8 *data, gsize size, GError **error)
{
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (Record));
  guint32 magic, linktype;
  gboolean ns;
  gsize off = 24;

  if (size < 24)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not a pcap file (too short)");
      return NULL;
    }
  memcpy (&magic, data, 4);
  memcpy (&linktype, data + 20, 4);
  if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not a little-endian pcap file");
      return NULL;
    }
  if (linktype != PCAP_LINKTYPE_ETHERNET)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "link type %u is not Ethernet",
                   linktype);
      return NULL;
    }
  ns = magic == PCAP_MAGIC_NS;
  while (off + 16 <= size)
    {
      guint32 sec, frac, incl, orig;
      Record r;

      memcpy (&sec, data + off, 4);
      memcpy (&frac, data + off + 4, 4);
      memcpy (&incl, data + off + 8, 4);
      memcpy (&orig, data + off + 12, 4);
      if (off + 16 + incl > size)
        break;
      r.time_us = (gint64) sec * G_USEC_PER_SEC + (ns ? frac / 1000 : frac);
      r.frame = data + off + 16;
      r.len = incl == orig ? incl : 0; /* a truncated capture cannot be replayed */
      g_array_append_val (out, r);
      off += 16 + incl;
    }
  return g_steal_pointer (&out);
}

/* The UDP payload of an Ethernet/IPv4 frame, or NULL. */
static const guint8 *
udp_payload (const Record *r, gsize *len, struct in_addr *src)
{
  const guint8 *f = r->frame;
  gsize ihl;

  if (r->len < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4 || f[23] != 17)
    return NULL;
  ihl = (gsize) (f[14] & 0x0f) * 4;
  if (r->len < 14 + ihl + 8)
    return NULL;
  memcpy (src, f + 26, 4);
  *len = r->len - 14 - ihl - 8;
  return f + 14 + ihl + 8;
}

/* The value of field NAME in a classic ("name=value\n") or netstring
 * ("L:(0)name=value,") message, or "-". */
static char *
field (const guint8 *p, gsize len, const char *name)
{
  gsize nl = strlen (name);

  for (gsize i = 0; i + nl + 1 < len; i++)
    {
      gboolean start = i == 0 || p[i - 1] == '\n' || p[i - 1] == ')';
      if (start && memcmp (p + i, name, nl) == 0 && p[i + nl] == '=')
        {
          gsize b = i + nl + 1, e = b;
          while (e < len && p[e] != '\n' && p[e] != ',' && p[e] != '\0')
            e++;
          return e > b ? g_strndup ((const char *) p + b, e - b) : g_strdup ("-");
        }
    }
  return g_strdup ("-");
}

static int
run_list (GArray *records)
{
  for (guint i = 0; i < records->len; i++)
    {
      const Record *r = &g_array_index (records, Record, i);
      struct in_addr src;
      char ip[INET_ADDRSTRLEN];
      gsize len = 0;
      const guint8 *p = udp_payload (r, &len, &src);

      if (p == NULL)
        continue;
      g_autofree char *t = field (p, len, "t");
      g_autofree char *node = field (p, len, "src");
      g_autofree char *hg = field (p, len, "hg");
      g_autofree char *seq = field (p, len, "seq");
      inet_ntop (AF_INET, &src, ip, sizeof ip);
      printf ("%u %" G_GINT64_FORMAT " %s %s %s %s %s\n", i, r->time_us, ip, t, node, hg, seq);
    }
  return 0;
}

static guint32
sum16 (const guint8 *p, gsize len, guint32 sum)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (guint32) (p[i] << 8 | p[i + 1]);
  if (len % 2)
    sum += (guint32) (p[len - 1] << 8);
  return sum;
}

/* Recompute the UDP checksum of Ethernet/IPv4 frame F in place (RFC 768). */
static void
fix_udp_checksum (guint8 *f, gsize len)
{
  gsize ihl = (gsize) (f[14] & 0x0f) * 4, udp = 14 + ihl, ulen;
  guint8 pseudo[12];
  guint32 sum;
  guint16 c;

  if (len < udp + 8 || f[12] != 0x08 || f[13] != 0x00 || f[23] != 17)
    return;
  ulen = len - udp;
  memcpy (pseudo, f + 26, 8); /* source and destination addresses */
  pseudo[8] = 0;
  pseudo[9] = 17;
  pseudo[10] = (guint8) (ulen >> 8);
  pseudo[11] = (guint8) ulen;
  f[udp + 6] = f[udp + 7] = 0;
  sum = sum16 (f + udp, ulen, sum16 (pseudo, sizeof pseudo, 0));
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  c = (guint16) ~sum;
  if (c == 0)
    c = 0xffff;
  f[udp + 6] = (guint8) (c >> 8);
  f[udp + 7] = (guint8) c;
}

static int
send_list (int fd, struct sockaddr_ll *to, GArray *records, char **indexes)
{
  int rc = 0;

  for (guint k = 0; indexes[k] != NULL; k++)
    {
      guint64 i = 0;
      if (!g_ascii_string_to_unsigned (indexes[k], 10, 0, records->len - 1, &i, NULL))
        {
          g_printerr ("chaos-replay: no record %s\n", indexes[k]);
          rc = 1;
          continue;
        }
      const Record *r = &g_array_index (records, Record, i);
      g_autofree guint8 *frame = g_memdup2 (r->frame, r->len);
      fix_udp_checksum (frame, r->len);
      memcpy (to->sll_addr, frame, ETH_ALEN);
      if (r->len == 0 || sendto (fd, frame, r->len, 0, (struct sockaddr *) to, sizeof *to) < 0)
        {
          g_printerr ("chaos-replay: record %s not sent: %s\n", indexes[k],
                      r->len == 0 ? "truncated in the capture" : g_strerror (errno));
          rc = 1;
        }
    }
  return rc;
}

static int
run_send (const char *ifname, GArray *records, char **args)
{
  struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons (ETH_P_IP),
                            .sll_halen = ETH_ALEN };
  int fd = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons (ETH_P_ALL));
  guint64 count = 1, every_ms = 0;
  int rc = 0;

  while (args[0] != NULL && args[1] != NULL
         && (strcmp (args[0], "-r") == 0 || strcmp (args[0], "-i") == 0))
    {
      guint64 *v = args[0][1] == 'r' ? &count : &every_ms;
      if (!g_ascii_string_to_unsigned (args[1], 10, args[0][1] == 'r' ? 1 : 0, 100000, v, NULL))
        {
          g_printerr ("chaos-replay: bad %s %s\n", args[0], args[1]);
          return 2;
        }
      args += 2;
    }
  to.sll_ifindex = (int) if_nametoindex (ifname);
  if (fd < 0 || to.sll_ifindex == 0)
    {
      g_printerr ("chaos-replay: cannot send on %s: %s\n", ifname, g_strerror (errno));
      return 1;
    }
  for (guint64 n = 0; n < count; n++)
    {
      if (n > 0)
        g_usleep ((gulong) every_ms * 1000);
      rc |= send_list (fd, &to, records, args);
    }
  close (fd);
  return rc;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr (GArray) records = NULL;
  gsize size = 0;
  const char *pcap;

  if (argc == 3 && strcmp (argv[1], "list") == 0)
    pcap = argv[2];
  else if (argc >= 5 && strcmp (argv[1], "send") == 0)
    pcap = argv[3];
  else
    {
      g_printerr ("usage: chaos-replay list PCAP\n"
                  "       chaos-replay send IFNAME PCAP [-r COUNT -i MS] INDEX...\n");
      return 2;
    }
  if (!g_file_get_contents (pcap, &data, &size, &error)
      || (records = pcap_records ((const guint8 *) data, size, &error)) == NULL)
    {
      g_printerr ("chaos-replay: %s: %s\n", pcap, error->message);
      return 1;
    }
  if (argv[1][0] == 'l')
    return run_list (records);
  return run_send (argv[2], records, argv + 4);
}
