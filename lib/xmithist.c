/* systole: transmit history and rexmit serving. See xmithist.h.
 *
 * A fixed ring of 500 entries in ascending seq order (seqs only grow), so a
 * lookup is a binary search over the logical positions.
 */
#include "xmithist.h"

typedef struct
{
  guint64 seq;
  GBytes *msg;
  gint64 last_rexmit_us; /* G_MININT64 = never resent */
} Entry;

struct _HbXmitHist
{
  Entry ring[HB_XMITHIST_SIZE];
  guint head;            /* physical index of the oldest entry */
  guint len;
  gint64 min_gap_us;     /* (max_rexmit_delay - 10) ms */
};

void
hb_xmit_reply_free (HbXmitReply *reply)
{
  if (reply == NULL)
    {
      return;
    }
  g_clear_pointer (&reply->msg, g_bytes_unref);
  g_free (reply->message);
  g_free (reply);
}

HbXmitHist *
hb_xmithist_new (guint max_rexmit_delay_ms)
{
  HbXmitHist *hist = g_new0 (HbXmitHist, 1);
  gint64 gap_ms = (gint64) max_rexmit_delay_ms - 10;

  /* A packet resent less than (max_rexmit_delay - 10) ms ago is not resent
   * again; several peers asking at once get one copy (docs/PROTOCOL.md,
   * "Retransmission"). */
  hist->min_gap_us = MAX (gap_ms, 0) * G_TIME_SPAN_MILLISECOND;
  return hist;
}

void
hb_xmithist_free (HbXmitHist *hist)
{
  if (hist == NULL)
    {
      return;
    }
  for (guint i = 0; i < hist->len; i++)
    {
      g_bytes_unref (hist->ring[(hist->head + i) % HB_XMITHIST_SIZE].msg);
    }
  g_free (hist);
}

static Entry *
entry_at (const HbXmitHist *hist, guint pos)
{
  return (Entry *) &hist->ring[(hist->head + pos) % HB_XMITHIST_SIZE];
}

gboolean
hb_xmithist_add (HbXmitHist *hist, guint64 seq, GBytes *msg)
{
  Entry *slot;

  g_return_val_if_fail (hist != NULL && msg != NULL, FALSE);
  if (hist->len > 0 && seq <= entry_at (hist, hist->len - 1)->seq)
    {
      return FALSE;
    }
  if (hist->len == HB_XMITHIST_SIZE)
    {
      /* Evict the oldest: the new entry takes its physical slot. */
      g_bytes_unref (entry_at (hist, 0)->msg);
      hist->head = (hist->head + 1) % HB_XMITHIST_SIZE;
      hist->len--;
    }
  slot = entry_at (hist, hist->len);
  *slot = (Entry) { seq, g_bytes_ref (msg), G_MININT64 };
  hist->len++;
  return TRUE;
}

guint64
hb_xmithist_low_seq (const HbXmitHist *hist)
{
  return hist->len > 0 ? entry_at (hist, 0)->seq : 0;
}

guint64
hb_xmithist_high_seq (const HbXmitHist *hist)
{
  return hist->len > 0 ? entry_at (hist, hist->len - 1)->seq : 0;
}

guint
hb_xmithist_length (const HbXmitHist *hist)
{
  return hist->len;
}

static Entry *
find_entry (const HbXmitHist *hist, guint64 seq)
{
  guint lo = 0;
  guint hi = hist->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      Entry *e = entry_at (hist, mid);

      if (e->seq == seq)
        {
          return e;
        }
      if (e->seq < seq)
        {
          lo = mid + 1;
        }
      else
        {
          hi = mid;
        }
    }
  return NULL;
}

GBytes *
hb_xmithist_lookup (const HbXmitHist *hist, guint64 seq)
{
  Entry *e = find_entry (hist, seq);

  return e != NULL ? e->msg : NULL;
}

static HbXmitReply *
reply_new (HbXmitReplyKind kind, guint64 seq)
{
  HbXmitReply *reply = g_new0 (HbXmitReply, 1);

  reply->kind = kind;
  reply->seq = seq;
  return reply;
}

static void
add_nak (GPtrArray *out, guint64 seq, const char *requester, const char *reason)
{
  HbXmitReply *reply = reply_new (HB_XMIT_NAK, seq);

  reply->reason = reason;
  /* HB3 process_rexmit wording: `Cannot rexmit pkt N for X: reason`. */
  reply->message = g_strdup_printf ("Cannot rexmit pkt %" G_GUINT64_FORMAT " for %s: %s", seq,
                                    requester, reason);
  g_ptr_array_add (out, reply);
}

static void
add_above_high (GPtrArray *out, guint64 seq, guint64 high, const char *requester)
{
  HbXmitReply *reply = reply_new (HB_XMIT_ABOVE_HIGH, seq);

  reply->message = g_strdup_printf ("Rexmit of seq %" G_GUINT64_FORMAT " requested by %s, "
                                    "but the highest seq sent is %" G_GUINT64_FORMAT,
                                    seq, requester, high);
  g_ptr_array_add (out, reply);
}

/* TRUE when `e` was resent recently enough to be skipped. */
static gboolean
resent_recently (const HbXmitHist *hist, const Entry *e, gint64 now_us)
{
  /* Unsigned difference: now_us is the caller's and may be anywhere in the
   * gint64 range; a clock that stepped back counts as "just now". */
  guint64 elapsed_us = now_us > e->last_rexmit_us
                           ? (guint64) now_us - (guint64) e->last_rexmit_us
                           : 0;

  return e->last_rexmit_us != G_MININT64 && elapsed_us < (guint64) hist->min_gap_us;
}

guint
hb_xmithist_serve (HbXmitHist *hist, gint64 now_us, guint64 firstseq, guint64 lastseq,
                   const char *requester, GPtrArray *replies_out)
{
  guint64 low = hb_xmithist_low_seq (hist);
  guint64 high = hb_xmithist_high_seq (hist);
  guint n_resent = 0;
  guint n_naks = 0;

  g_return_val_if_fail (hist != NULL && requester != NULL && replies_out != NULL, 0);
  for (guint64 seq = firstseq; seq <= lastseq; seq++)
    {
      Entry *e;
      HbXmitReply *reply;

      if (seq > high)
        {
          add_above_high (replies_out, seq, high, requester);
          break;
        }
      if (n_resent >= HB_XMITHIST_MAX_PER_REQUEST || n_naks >= HB_XMITHIST_MAX_PER_REQUEST)
        {
          break;
        }
      if (seq < low)
        {
          add_nak (replies_out, seq, requester, "seqno too low");
          n_naks++;
          continue;
        }
      e = find_entry (hist, seq);
      if (e == NULL)
        {
          add_nak (replies_out, seq, requester, "seqno not found");
          n_naks++;
        }
      else if (!resent_recently (hist, e, now_us))
        {
          e->last_rexmit_us = now_us;
          reply = reply_new (HB_XMIT_RESEND, seq);
          reply->msg = g_bytes_ref (e->msg);
          g_ptr_array_add (replies_out, reply);
          n_resent++;
        }
      if (seq == G_MAXUINT64)
        {
          break; /* the loop increment would wrap */
        }
    }
  return n_resent;
}
