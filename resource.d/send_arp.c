/* systole: send_arp, gratuitous ARP for a service address that just moved here.
 *
 *   send_arp [-i interval_ms] [-r count] [-p pidfile] [-m request|reply|both] [-A]
 *            <dev> <src_ip> <src_mac|auto> [<bcast_ip> <netmask>]
 *
 * Command line, defaults and packet layout follow Heartbeat's send_arp
 * (docs/PROTOCOL.md, "send_arp"): each round sends an ARP request, waits
 * interval/2, sends an ARP reply and waits interval/2 (not after the last
 * round). Both packets carry the address as sender and target IP and go to
 * the Ethernet broadcast; the request's target MAC is zero, the reply's is the
 * announced MAC. The last two positional arguments are accepted and ignored.
 * Because some switches believe only requests or only replies
 * (docs/PROTOCOL.md, "send_arp"), -m picks the kind; -A is `-m reply`, as `arping -A`.
 * The pid file is written right after the first packet and removed at exit;
 * SIGTERM/SIGINT end the run with status 0.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <libnet.h>

#include "ipaddr-spec.h"

#define MAC_LEN 6

typedef enum
{
  MODE_BOTH,
  MODE_REQUEST,
  MODE_REPLY,
} ArpMode;

typedef struct
{
  GMainLoop *loop;
  libnet_t *net;
  const char *dev;
  guint8 if_mac[MAC_LEN];      /* Ethernet source: the interface's own MAC */
  guint8 sender_mac[MAC_LEN];  /* ARP sender (announced) MAC */
  guint32 ip_be;               /* the address, network byte order */
  ArpMode mode;
  guint interval_ms;
  guint total;                 /* packets to send */
  guint sent;                  /* packets sent so far */
  guint failures;
} SendArp;

static const struct
{
  const char *name;
  ArpMode mode;
} mode_table[] = {
  { "both", MODE_BOTH },
  { "request", MODE_REQUEST },
  { "reply", MODE_REPLY },
};

static gboolean
parse_mode (const char *text, ArpMode *mode)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mode_table); i++)
    {
      if (g_strcmp0 (text, mode_table[i].name) == 0)
        {
          *mode = mode_table[i].mode;
          return TRUE;
        }
    }
  return FALSE;
}

/* "auto" (use the interface's MAC), 12 hex digits, or aa:bb:cc:dd:ee:ff. */
static gboolean
parse_mac (const char *text, guint8 mac[MAC_LEN], gboolean *is_auto)
{
  g_autofree char *hex = g_strdelimit (g_strdup (text), ":", ' ');
  g_autofree char *compact = NULL;
  g_auto (GStrv) parts = g_strsplit (hex, " ", -1);

  *is_auto = g_strcmp0 (text, "auto") == 0;
  if (*is_auto)
    {
      return TRUE;
    }
  if (g_strv_length (parts) != 1 && g_strv_length (parts) != MAC_LEN)
    {
      return FALSE;
    }
  compact = g_strjoinv ("", parts);
  if (strlen (compact) != 2 * MAC_LEN)
    {
      return FALSE;
    }
  for (int i = 0; i < MAC_LEN; i++)
    {
      int hi = g_ascii_xdigit_value (compact[2 * i]);
      int lo = g_ascii_xdigit_value (compact[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          return FALSE;
        }
      mac[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

static guint16
packet_op (const SendArp *s, guint index)
{
  switch (s->mode)
    {
    case MODE_REQUEST:
      return ARPOP_REQUEST;
    case MODE_REPLY:
      return ARPOP_REPLY;
    case MODE_BOTH:
    default:
      return index % 2 == 0 ? ARPOP_REQUEST : ARPOP_REPLY;
    }
}

static gboolean
send_one (SendArp *s, guint16 op)
{
  static const guint8 zero_mac[MAC_LEN] = { 0 };
  static const guint8 bcast_mac[MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  const guint8 *ip = (const guint8 *) &s->ip_be;

  libnet_clear_packet (s->net);
  if (libnet_build_arp (ARPHRD_ETHER, ETHERTYPE_IP, MAC_LEN, 4, op, s->sender_mac, ip,
                        op == ARPOP_REQUEST ? zero_mac : s->sender_mac, ip, NULL, 0,
                        s->net, 0) == -1
      || libnet_build_ethernet (bcast_mac, s->if_mac, ETHERTYPE_ARP, NULL, 0, s->net, 0) == -1
      || libnet_write (s->net) == -1)
    {
      g_printerr ("send_arp: cannot send ARP %s on %s: %s\n",
                  op == ARPOP_REQUEST ? "request" : "reply", s->dev, libnet_geterror (s->net));
      s->failures++;
      return FALSE;
    }
  return TRUE;
}

static gboolean
on_timer (gpointer data);

/* Sends the next packet and schedules the one after it. With both kinds a
 * round is two packets interval/2 apart, else one packet per interval. */
static void
send_next (SendArp *s)
{
  guint per_round = s->mode == MODE_BOTH ? 2 : 1;

  send_one (s, packet_op (s, s->sent));
  s->sent++;
  if (s->sent >= s->total)
    {
      g_main_loop_quit (s->loop);
      return;
    }
  g_timeout_add (s->interval_ms / per_round, on_timer, s);
}

static gboolean
on_timer (gpointer data)
{
  send_next (data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer data)
{
  SendArp *s = data;

  /* Being told to stop is a normal end (docs/PROTOCOL.md, "send_arp": exit 0 on SIGTERM). */
  s->failures = 0;
  g_main_loop_quit (s->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
open_device (SendArp *s, gboolean mac_auto)
{
  char errbuf[LIBNET_ERRBUF_SIZE] = "";
  struct libnet_ether_addr *hw;

  if (if_nametoindex (s->dev) == 0)
    {
      g_printerr ("send_arp: unknown interface '%s': %s\n", s->dev, g_strerror (errno));
      return FALSE;
    }
  errno = 0;
  s->net = libnet_init (LIBNET_LINK, s->dev, errbuf);
  if (s->net == NULL)
    {
      gboolean perm = errno == EPERM || errno == EACCES || strstr (errbuf, "not permitted");

      g_printerr ("send_arp: cannot open a raw socket on %s: %s%s\n", s->dev,
                  g_strstrip (errbuf), perm ? " (needs root or CAP_NET_RAW)" : "");
      return FALSE;
    }
  hw = libnet_get_hwaddr (s->net);
  if (hw == NULL)
    {
      g_printerr ("send_arp: cannot read the MAC address of %s: %s\n", s->dev,
                  libnet_geterror (s->net));
      return FALSE;
    }
  memcpy (s->if_mac, hw->ether_addr_octet, MAC_LEN);
  if (mac_auto)
    {
      memcpy (s->sender_mac, s->if_mac, MAC_LEN);
    }
  return TRUE;
}

static gboolean
write_pidfile (const char *path)
{
  g_autofree char *text = g_strdup_printf ("%d\n", (int) getpid ());
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    {
      g_printerr ("send_arp: cannot write pid file: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint interval_ms;
  gint count;
  char *pidfile;
  char *mode;
  gboolean reply_only;
} Options;

static gboolean
parse_args (int *argc, char ***argv, Options *opts, GError **error)
{
  GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_INT, &opts->interval_ms, "Round length (default 1000)", "MS" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &opts->count, "Rounds (default 1)", "COUNT" },
    { "pidfile", 'p', 0, G_OPTION_ARG_FILENAME, &opts->pidfile, "Pid file", "FILE" },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &opts->mode, "request, reply or both (default)", "KIND" },
    { "reply-only", 'A', 0, G_OPTION_ARG_NONE, &opts->reply_only, "Same as -m reply", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx =
      g_option_context_new ("DEV SRC_IP SRC_MAC|auto [BCAST_IP NETMASK]");

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, error))
    {
      return FALSE;
    }
  if (*argc < 4 || *argc > 6 || opts->interval_ms < 0 || opts->count < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s",
                   *argc < 4 || *argc > 6 ? "expected 3 to 5 arguments"
                                          : "-i must be >= 0 and -r >= 1");
      return FALSE;
    }
  return TRUE;
}

/* Checks the arguments; on success `s` is ready except for the device. */
static gboolean
setup (SendArp *s, Options *opts, char **argv, gboolean *mac_auto)
{
  guint32 ip;

  s->dev = argv[1];
  if (!parse_mode (opts->reply_only ? "reply" : (opts->mode ? opts->mode : "both"), &s->mode))
    {
      g_printerr ("send_arp: bad -m value '%s': expected request, reply or both\n", opts->mode);
      return FALSE;
    }
  if (!hb_ipaddr_parse_ipv4 (argv[2], &ip, NULL))
    {
      g_printerr ("send_arp: bad address '%s': expected an IPv4 address a.b.c.d\n", argv[2]);
      return FALSE;
    }
  s->ip_be = g_htonl (ip);
  if (!parse_mac (argv[3], s->sender_mac, mac_auto))
    {
      g_printerr ("send_arp: bad MAC '%s': expected auto, 12 hex digits or "
                  "aa:bb:cc:dd:ee:ff\n", argv[3]);
      return FALSE;
    }
  s->interval_ms = (guint) opts->interval_ms;
  s->total = (guint) opts->count * (s->mode == MODE_BOTH ? 2 : 1);
  if (opts->pidfile == NULL)
    {
      opts->pidfile = g_strdup_printf ("%s/send_arp-%s", HB_RUNDIR, argv[2]);
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  Options opts = { .interval_ms = 1000, .count = 1 };
  SendArp s = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean mac_auto = FALSE, pid_written = FALSE, ok = FALSE;

  if (!parse_args (&argc, &argv, &opts, &error))
    {
      g_printerr ("send_arp: %s\nUsage: send_arp [-i interval_ms] [-r count] [-p pidfile] "
                  "[-m request|reply|both] [-A] <dev> <src_ip> <src_mac|auto> "
                  "[<bcast_ip> <netmask>]\n", error->message);
      g_free (opts.pidfile);
      g_free (opts.mode);
      return 2;
    }
  ok = setup (&s, &opts, argv, &mac_auto) && open_device (&s, mac_auto);
  if (ok)
    {
      s.loop = g_main_loop_new (NULL, FALSE);
      /* The first packet leaves before anything else (pid file, signal
       * sources): every millisecond here is one more of traffic to the old
       * holder's MAC. */
      send_next (&s);
      pid_written = write_pidfile (opts.pidfile);
    }
  if (pid_written)
    {
      g_unix_signal_add (SIGTERM, on_signal, &s);
      g_unix_signal_add (SIGINT, on_signal, &s);
      if (s.sent < s.total)
        {
          g_main_loop_run (s.loop);
        }
      g_unlink (opts.pidfile);
    }
  g_clear_pointer (&s.loop, g_main_loop_unref);
  g_clear_pointer (&s.net, libnet_destroy);
  g_free (opts.pidfile);
  g_free (opts.mode);
  return pid_written && s.failures == 0 ? 0 : 1;
}
