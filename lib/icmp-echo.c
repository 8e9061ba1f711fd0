/* systole: ICMP echo reply matching. See icmp-echo.h. */
#include "icmp-echo.h"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <string.h>

void
hb_echo_init (HbEchoTracker *t, guint16 ident, guint window)
{
  *t = (HbEchoTracker) { .ident = ident, .window = (guint16) CLAMP (window, 1, HB_ECHO_MAX_WINDOW) };
}

guint16
hb_echo_next_seq (HbEchoTracker *t)
{
  t->last_seq++;
  if (t->n_sent < HB_ECHO_MAX_WINDOW)
    {
      t->n_sent++;
    }
  return t->last_seq;
}

guint
hb_echo_window_for (guint keepalive_ms, guint deadping_ms)
{
  return keepalive_ms == 0 ? 1 : CLAMP (deadping_ms / keepalive_ms, 1, HB_ECHO_MAX_WINDOW);
}

/* Sent among the last `window` requests: at most window - 1 behind the
 * last, counting modulo 2^16 like the sequence numbers themselves. */
static gboolean
seq_is_recent (const HbEchoTracker *t, guint16 seq)
{
  guint16 behind = (guint16) (t->last_seq - seq);

  return behind < MIN ((guint32) t->window, t->n_sent);
}

gboolean
hb_echo_reply_match (const HbEchoTracker *t, const guint8 *buf, gsize len, guint32 *src_out)
{
  struct ip iph;
  struct icmphdr icmp;
  gsize hlen;

  if (len < sizeof iph)
    {
      return FALSE;
    }
  memcpy (&iph, buf, sizeof iph);
  hlen = (gsize) iph.ip_hl * 4;
  if (iph.ip_v != 4 || hlen < sizeof iph || len < hlen + sizeof icmp)
    {
      return FALSE;
    }
  memcpy (&icmp, buf + hlen, sizeof icmp);
  if (icmp.type != ICMP_ECHOREPLY || ntohs (icmp.un.echo.id) != t->ident
      || !seq_is_recent (t, ntohs (icmp.un.echo.sequence)))
    {
      return FALSE;
    }
  *src_out = iph.ip_src.s_addr;
  return TRUE;
}
