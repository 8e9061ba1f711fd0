/* Unit tests for lib/icmp-echo: which ICMP datagrams count as a ping
 * node's echo reply (ident, recent sequence number, well-formed). */
#include "icmp-echo.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <string.h>

#define SRC "192.0.2.254"

/* An IPv4 datagram holding one ICMP message (no options unless ihl > 5). */
static gsize
packet (guint8 *buf, guint8 type, guint16 id, guint16 seq, guint ihl)
{
  struct ip iph = { 0 };
  struct icmphdr icmp = { 0 };
  gsize hlen = ihl * 4;

  iph.ip_v = 4;
  iph.ip_hl = ihl;
  iph.ip_p = IPPROTO_ICMP;
  inet_pton (AF_INET, SRC, &iph.ip_src);
  icmp.type = type;
  icmp.un.echo.id = htons (id);
  icmp.un.echo.sequence = htons (seq);
  memset (buf, 0, hlen + sizeof icmp);
  memcpy (buf, &iph, sizeof iph);
  memcpy (buf + hlen, &icmp, sizeof icmp);
  return hlen + sizeof icmp;
}

static gboolean
matches (const HbEchoTracker *t, guint8 type, guint16 id, guint16 seq)
{
  guint8 buf[128];
  gsize len = packet (buf, type, id, seq, 5);
  guint32 src = 0;
  gboolean ok = hb_echo_reply_match (t, buf, len, &src);

  if (ok)
    {
      char text[INET_ADDRSTRLEN];
      g_assert_cmpstr (inet_ntop (AF_INET, &src, text, sizeof text), ==, SRC);
    }
  return ok;
}

static void
test_recent_only (void)
{
  HbEchoTracker t;

  hb_echo_init (&t, 4242, 3);
  /* Nothing sent yet: nothing counts. */
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 0));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 1));
  g_assert_cmpuint (hb_echo_next_seq (&t), ==, 1);
  g_assert_true (matches (&t, ICMP_ECHOREPLY, 4242, 1));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 0));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 2)); /* not sent yet */
  for (int i = 0; i < 4; i++)
    {
      hb_echo_next_seq (&t); /* 2..5 */
    }
  g_assert_true (matches (&t, ICMP_ECHOREPLY, 4242, 5));
  g_assert_true (matches (&t, ICMP_ECHOREPLY, 4242, 3));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 2)); /* stale */
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 1));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 6));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 4242, 0xffff));
}

static void
test_wraps (void)
{
  HbEchoTracker t;

  hb_echo_init (&t, 1, 4);
  for (guint i = 0; i < 0xffff; i++)
    {
      hb_echo_next_seq (&t);
    }
  g_assert_cmpuint (t.last_seq, ==, 0xffff);
  g_assert_cmpuint (hb_echo_next_seq (&t), ==, 0);
  g_assert_cmpuint (hb_echo_next_seq (&t), ==, 1);
  g_assert_true (matches (&t, ICMP_ECHOREPLY, 1, 1));
  g_assert_true (matches (&t, ICMP_ECHOREPLY, 1, 0));
  g_assert_true (matches (&t, ICMP_ECHOREPLY, 1, 0xffff));
  g_assert_true (matches (&t, ICMP_ECHOREPLY, 1, 0xfffe));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 1, 0xfffd));
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 1, 2));
}

static void
test_other_packets (void)
{
  HbEchoTracker t;
  guint8 buf[128];
  guint32 src = 0;
  gsize len;

  hb_echo_init (&t, 7, 10);
  hb_echo_next_seq (&t);
  g_assert_false (matches (&t, ICMP_ECHO, 7, 1));      /* a request, not a reply */
  g_assert_false (matches (&t, ICMP_ECHOREPLY, 8, 1)); /* another process's */
  /* IP options: the ICMP header follows them. */
  len = packet (buf, ICMP_ECHOREPLY, 7, 1, 6);
  g_assert_true (hb_echo_reply_match (&t, buf, len, &src));
  /* Truncated anywhere: refused, nothing read past the end. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autofree guint8 *copy = g_memdup2 (buf, cut);
      g_assert_false (hb_echo_reply_match (&t, copy, cut, &src));
    }
  /* A header length below 20 bytes. */
  len = packet (buf, ICMP_ECHOREPLY, 7, 1, 5);
  buf[0] = (guint8) ((4 << 4) | 4);
  g_assert_false (hb_echo_reply_match (&t, buf, len, &src));
}

static void
test_window_for (void)
{
  g_assert_cmpuint (hb_echo_window_for (1000, 20000), ==, 20);
  g_assert_cmpuint (hb_echo_window_for (1000, 500), ==, 1);
  g_assert_cmpuint (hb_echo_window_for (0, 500), ==, 1);
  g_assert_cmpuint (hb_echo_window_for (1, 1000000), ==, HB_ECHO_MAX_WINDOW);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/icmp-echo/recent-only", test_recent_only);
  g_test_add_func ("/icmp-echo/wraps", test_wraps);
  g_test_add_func ("/icmp-echo/other-packets", test_other_packets);
  g_test_add_func ("/icmp-echo/window-for", test_window_for);
  return g_test_run ();
}
