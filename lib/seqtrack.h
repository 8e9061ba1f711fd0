/* systole: per-peer receive sequence tracking (pure, no I/O, no clock reads).
 *
 * One HbSeqTrack per peer node. It decides, for each sequenced message, whether
 * it is new, a duplicate, an old duplicate, or a retransmission that fills a
 * gap, and it keeps the set of missing sequence numbers together with the
 * instant at which the next retransmission request for each is due.
 *
 * Facts: docs/PROTOCOL.md, "Sequence numbers", "Retransmission" (HB3 heartbeat.c:
 * should_drop_message, hb_rexmit.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this many missing seqs are remembered per peer (HB3 MAXMISSING);
 * beyond that the oldest are forgotten. */
#define HB_SEQTRACK_MAX_MISSING 500
/* A single gap wider than this resets tracking (FLOWCONTROL_LIMIT =
 * MAXMSGHIST / 2; docs/PROTOCOL.md, "Sequence numbers"): "lost a lot of packets!". */
#define HB_SEQTRACK_RESET_LIMIT 250

typedef enum
{
  HB_SEQ_ACCEPT,        /* first packet, or exactly last + 1 */
  HB_SEQ_ACCEPT_GAP,    /* newer than last + 1: accepted, the gap is recorded */
  HB_SEQ_ACCEPT_RESET,  /* gap > HB_SEQTRACK_RESET_LIMIT: tracking restarted at seq */
  HB_SEQ_ACCEPT_FILLED, /* lower than last, but one of the recorded missing seqs */
  HB_SEQ_DUPLICATE,     /* equal to last: not processed */
  HB_SEQ_OLD,           /* lower than last and not missing: dropped */
} HbSeqVerdict;

/* What one call to hb_seqtrack_receive() found, beyond its verdict. */
typedef struct
{
  guint64 last_before;   /* highest seq seen before this packet (0 = none) */
  guint64 n_lost;        /* ACCEPT_GAP / ACCEPT_RESET: seq - last_before - 1 */
  guint64 first_missing; /* ACCEPT_GAP: first newly recorded missing seq */
  guint64 n_recorded;    /* ACCEPT_GAP: how many of the lost seqs were recorded
                          * (all of them: when the missing list is full, its
                          * oldest entries make room, as in HB3) */
  gboolean now_complete; /* ACCEPT_FILLED: the missing list became empty */
} HbSeqInfo;

typedef struct _HbSeqTrack HbSeqTrack;

HbSeqTrack *hb_seqtrack_new (void);
void hb_seqtrack_free (HbSeqTrack *track);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbSeqTrack, hb_seqtrack_free)

/* Forgets everything: the next packet is treated as the first one. */
void hb_seqtrack_reset (HbSeqTrack *track);

/* Classifies `seq` (must be > 0) and updates the tracking. `info` may be NULL.
 * Newly recorded missing seqs have no retransmission deadline yet
 * (G_MAXINT64) until hb_seqtrack_schedule() sets one. */
HbSeqVerdict hb_seqtrack_receive (HbSeqTrack *track, guint64 seq, HbSeqInfo *info);

/* Highest seq accepted so far, 0 when nothing was received yet. */
guint64 hb_seqtrack_last (const HbSeqTrack *track);
guint hb_seqtrack_n_missing (const HbSeqTrack *track);
gboolean hb_seqtrack_is_missing (const HbSeqTrack *track, guint64 seq);

/* Sets when the next retransmission request for missing `seq` is due
 * (G_MAXINT64 = never). FALSE if `seq` is not missing. */
gboolean hb_seqtrack_schedule (HbSeqTrack *track, guint64 seq, gint64 due_us);

/* Earliest due instant over all missing seqs, G_MAXINT64 if none. */
gint64 hb_seqtrack_next_due_us (const HbSeqTrack *track);

/* Appends (in ascending order) to `seqs_out` (a GArray of guint64) every
 * missing seq whose request is due at `now_us`, and reschedules each of them
 * to now_us + repeat_us. Returns how many were appended. */
guint hb_seqtrack_take_due (HbSeqTrack *track, gint64 now_us, gint64 repeat_us, GArray *seqs_out);

/* Gives up on missing `seq` (the peer answered NS_nak_rexmit): it is no longer
 * requested, and arriving later it is an old duplicate. FALSE if it was not
 * missing. */
gboolean hb_seqtrack_forget (HbSeqTrack *track, guint64 seq);

/* Stops every pending request (the peer is no longer up/active); the seqs stay
 * recorded as missing so a late retransmission is still accepted. */
void hb_seqtrack_cancel_requests (HbSeqTrack *track);

const char *hb_seq_verdict_to_string (HbSeqVerdict verdict);

G_END_DECLS
