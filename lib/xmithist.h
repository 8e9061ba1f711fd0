/* systole: transmit history of the last 500 sequenced messages, and the
 * decisions for serving retransmission requests (pure, no I/O).
 *
 * The daemon adds every sequenced message it sends (already encoded and signed,
 * as GBytes). When a peer sends `t=NS_rexmit firstseq=A lastseq=B`, the daemon
 * calls hb_xmithist_serve() and, for each reply, resends the stored bytes
 * unchanged (RESEND) or sends `t=NS_nak_rexmit firstseq=<hex> dest=<peer>
 * info=<reason>` (NAK) and logs the reply's message.
 *
 * Facts: docs/PROTOCOL.md, "Retransmission"
 * (HB3 heartbeat.c: add2_xmit_hist, process_rexmit).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_XMITHIST_SIZE 500           /* MAXMSGHIST */
#define HB_XMITHIST_MAX_PER_REQUEST 50 /* resends per NS_rexmit request */

typedef enum
{
  HB_XMIT_RESEND,     /* send `msg` again, unchanged */
  HB_XMIT_NAK,        /* send NS_nak_rexmit with info=`reason`; log `message` (ERROR) */
  HB_XMIT_ABOVE_HIGH, /* seq was never sent yet: log `message` (WARN), send nothing */
} HbXmitReplyKind;

typedef struct
{
  HbXmitReplyKind kind;
  guint64 seq;
  GBytes *msg;        /* RESEND: the stored message (a reference); else NULL */
  const char *reason; /* NAK: "seqno too low" or "seqno not found"; else NULL */
  char *message;      /* NAK / ABOVE_HIGH: log text; RESEND: NULL */
} HbXmitReply;

void hb_xmit_reply_free (HbXmitReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbXmitReply, hb_xmit_reply_free)

typedef struct _HbXmitHist HbXmitHist;

/* `max_rexmit_delay_ms`: a seq resent less than (max_rexmit_delay_ms - 10) ms
 * ago is not resent again (several peers may ask for the same packet). */
HbXmitHist *hb_xmithist_new (guint max_rexmit_delay_ms);
void hb_xmithist_free (HbXmitHist *hist);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbXmitHist, hb_xmithist_free)

/* Stores a sent message (takes a new reference to `msg`). `seq` must be
 * greater than every seq added before; the oldest entry is evicted once 500
 * are held. Returns FALSE (and stores nothing) on a non-increasing seq. */
gboolean hb_xmithist_add (HbXmitHist *hist, guint64 seq, GBytes *msg);

/* Lowest and highest seq still held; both 0 when empty. */
guint64 hb_xmithist_low_seq (const HbXmitHist *hist);
guint64 hb_xmithist_high_seq (const HbXmitHist *hist);
guint hb_xmithist_length (const HbXmitHist *hist);
/* The stored message for `seq`, or NULL (borrowed). */
GBytes *hb_xmithist_lookup (const HbXmitHist *hist, guint64 seq);

/* Serves `NS_rexmit firstseq..lastseq` from node `requester` at `now_us`:
 * appends HbXmitReply* (owned by the array; create it with
 * g_ptr_array_new_with_free_func (hb_xmit_reply_free)) to `replies_out`, in seq
 * order. Recently resent seqs are skipped silently; after 50 resends the rest
 * of the range is ignored; the first seq above the high-water mark yields one
 * ABOVE_HIGH reply and ends the walk. Returns the number of RESEND replies. */
guint hb_xmithist_serve (HbXmitHist *hist, gint64 now_us, guint64 firstseq, guint64 lastseq,
                         const char *requester, GPtrArray *replies_out);

G_END_DECLS
