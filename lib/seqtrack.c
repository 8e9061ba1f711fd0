/* systole: per-peer receive sequence tracking. See seqtrack.h.
 *
 * The missing seqs are kept in a GArray sorted by seq: there are at most 500
 * and they are touched only on gaps, fills and rexmit deadlines, so a flat
 * array beats any cleverer structure here.
 */
#include "seqtrack.h"

typedef struct
{
  guint64 seq;
  gint64 due_us; /* next rexmit request; G_MAXINT64 = not scheduled */
} Missing;

struct _HbSeqTrack
{
  guint64 last;      /* highest accepted seq, 0 = nothing yet */
  GArray *missing;   /* of Missing, ascending seq */
};

HbSeqTrack *
hb_seqtrack_new (void)
{
  HbSeqTrack *track = g_new0 (HbSeqTrack, 1);

  track->missing = g_array_new (FALSE, FALSE, sizeof (Missing));
  return track;
}

void
hb_seqtrack_free (HbSeqTrack *track)
{
  if (track == NULL)
    {
      return;
    }
  g_array_unref (track->missing);
  g_free (track);
}

void
hb_seqtrack_reset (HbSeqTrack *track)
{
  track->last = 0;
  g_array_set_size (track->missing, 0);
}

/* Index of `seq` in the missing list, or -1. */
static gint
find_missing (const HbSeqTrack *track, guint64 seq)
{
  guint lo = 0;
  guint hi = track->missing->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint64 here = g_array_index (track->missing, Missing, mid).seq;

      if (here == seq)
        {
          return (gint) mid;
        }
      if (here < seq)
        {
          lo = mid + 1;
        }
      else
        {
          hi = mid;
        }
    }
  return -1;
}

/* Records last+1 .. seq-1 as missing. New gaps are always above every
 * recorded seq, so appending keeps the array sorted. When the list would
 * exceed MAXMISSING, the lowest missing seqs make room, as HB3
 * should_drop_message replaces the lowest-numbered one: the sender keeps only
 * its last 500 messages, so the oldest are the first it can no longer
 * resend, while turning away the newest would drop them as old duplicates
 * when their retransmission arrives. A gap is at most RESET_LIMIT (< 500)
 * wide, so all of it is always recorded. */
static void
record_gap (HbSeqTrack *track, guint64 seq, HbSeqInfo *info)
{
  guint64 n_lost = seq - track->last - 1;
  guint keep = HB_SEQTRACK_MAX_MISSING - (guint) MIN (n_lost, (guint64) HB_SEQTRACK_MAX_MISSING);

  if (track->missing->len > keep)
    {
      g_array_remove_range (track->missing, 0, track->missing->len - keep);
    }
  info->n_lost = n_lost;
  info->first_missing = track->last + 1;
  info->n_recorded = MIN (n_lost, (guint64) HB_SEQTRACK_MAX_MISSING);
  for (guint64 s = seq - info->n_recorded; s < seq; s++)
    {
      Missing m = { s, G_MAXINT64 };

      g_array_append_val (track->missing, m);
    }
}

static HbSeqVerdict
receive_lower (HbSeqTrack *track, guint64 seq, HbSeqInfo *info)
{
  gint idx = find_missing (track, seq);

  if (idx < 0)
    {
      return HB_SEQ_OLD;
    }
  g_array_remove_index (track->missing, (guint) idx);
  info->now_complete = (track->missing->len == 0);
  return HB_SEQ_ACCEPT_FILLED;
}

HbSeqVerdict
hb_seqtrack_receive (HbSeqTrack *track, guint64 seq, HbSeqInfo *info)
{
  HbSeqInfo scratch;

  g_return_val_if_fail (track != NULL && seq > 0, HB_SEQ_OLD);
  if (info == NULL)
    {
      info = &scratch;
    }
  *info = (HbSeqInfo) { .last_before = track->last };

  if (track->last == 0 || seq == track->last + 1)
    {
      track->last = seq;
      return HB_SEQ_ACCEPT;
    }
  if (seq == track->last)
    {
      return HB_SEQ_DUPLICATE;
    }
  if (seq < track->last)
    {
      return receive_lower (track, seq, info);
    }
  if (seq - track->last - 1 > HB_SEQTRACK_RESET_LIMIT)
    {
      /* Too far behind to recover by retransmission; start over
       * (docs/PROTOCOL.md, "Sequence numbers"). */
      info->n_lost = seq - track->last - 1;
      hb_seqtrack_reset (track);
      track->last = seq;
      return HB_SEQ_ACCEPT_RESET;
    }
  record_gap (track, seq, info);
  track->last = seq;
  return HB_SEQ_ACCEPT_GAP;
}

guint64
hb_seqtrack_last (const HbSeqTrack *track)
{
  return track->last;
}

guint
hb_seqtrack_n_missing (const HbSeqTrack *track)
{
  return track->missing->len;
}

gboolean
hb_seqtrack_is_missing (const HbSeqTrack *track, guint64 seq)
{
  return find_missing (track, seq) >= 0;
}

gboolean
hb_seqtrack_schedule (HbSeqTrack *track, guint64 seq, gint64 due_us)
{
  gint idx = find_missing (track, seq);

  if (idx < 0)
    {
      return FALSE;
    }
  g_array_index (track->missing, Missing, idx).due_us = due_us;
  return TRUE;
}

gint64
hb_seqtrack_next_due_us (const HbSeqTrack *track)
{
  gint64 next = G_MAXINT64;

  for (guint i = 0; i < track->missing->len; i++)
    {
      next = MIN (next, g_array_index (track->missing, Missing, i).due_us);
    }
  return next;
}

guint
hb_seqtrack_take_due (HbSeqTrack *track, gint64 now_us, gint64 repeat_us, GArray *seqs_out)
{
  guint n = 0;

  for (guint i = 0; i < track->missing->len; i++)
    {
      Missing *m = &g_array_index (track->missing, Missing, i);

      if (m->due_us <= now_us)
        {
          g_array_append_val (seqs_out, m->seq);
          /* Saturating: now_us is the caller's, anywhere in the gint64 range. */
          m->due_us = now_us > G_MAXINT64 - repeat_us ? G_MAXINT64 : now_us + repeat_us;
          n++;
        }
    }
  return n;
}

gboolean
hb_seqtrack_forget (HbSeqTrack *track, guint64 seq)
{
  gint idx = find_missing (track, seq);

  if (idx < 0)
    {
      return FALSE;
    }
  g_array_remove_index (track->missing, (guint) idx);
  return TRUE;
}

void
hb_seqtrack_cancel_requests (HbSeqTrack *track)
{
  for (guint i = 0; i < track->missing->len; i++)
    {
      g_array_index (track->missing, Missing, i).due_us = G_MAXINT64;
    }
}

const char *
hb_seq_verdict_to_string (HbSeqVerdict verdict)
{
  static const char *const names[] = {
    [HB_SEQ_ACCEPT] = "accept",
    [HB_SEQ_ACCEPT_GAP] = "accept-gap",
    [HB_SEQ_ACCEPT_RESET] = "accept-reset",
    [HB_SEQ_ACCEPT_FILLED] = "accept-filled",
    [HB_SEQ_DUPLICATE] = "duplicate",
    [HB_SEQ_OLD] = "old",
  };

  if ((guint) verdict >= G_N_ELEMENTS (names))
    {
      return "invalid";
    }
  return names[verdict];
}
