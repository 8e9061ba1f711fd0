/* systole: matching ICMP echo replies to the echo requests we sent, for
 * ping nodes (docs/PROTOCOL.md, "Ping nodes"). Pure: the daemon's raw socket
 * hands each datagram here and counts a match as a sign of life.
 *
 * Heartbeat's ping plugin matches a reply on the ICMP identifier (its pid)
 * and the source address only, so a reply to a request of long ago, or one
 * forged with the pid, counts. We also require the sequence number of one
 * of the last `window` requests: the daemon sends one per keepalive and
 * sets window = deadping / keepalive, so a reply to a request older than
 * deadping says nothing about the node now and is ignored.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_ECHO_MAX_WINDOW 1024

typedef struct
{
  guint16 ident;    /* ICMP identifier of our requests */
  guint16 last_seq; /* sequence number of the last request sent */
  guint32 n_sent;   /* requests sent, saturating at HB_ECHO_MAX_WINDOW */
  guint16 window;   /* replies to the last `window` requests count */
} HbEchoTracker;

/* `window` is clamped into [1, HB_ECHO_MAX_WINDOW]. */
void hb_echo_init (HbEchoTracker *t, guint16 ident, guint window);

/* The sequence number for the next request (the first is 1; wraps). */
guint16 hb_echo_next_seq (HbEchoTracker *t);

/* The request window for a ping node sent every keepalive_ms that is dead
 * after deadping_ms: deadping / keepalive requests, at least 1. */
guint hb_echo_window_for (guint keepalive_ms, guint deadping_ms);

/* TRUE when `buf` (an IPv4 datagram, header included, as a raw ICMP socket
 * reads it) is an echo reply with our identifier and the sequence number
 * of one of the last `window` requests; *src_out is then its source
 * address (network byte order). Never reads past `len`. */
gboolean hb_echo_reply_match (const HbEchoTracker *t, const guint8 *buf, gsize len,
                              guint32 *src_out);

G_END_DECLS
