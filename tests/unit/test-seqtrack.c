/* Unit tests for lib/seqtrack: per-peer receive sequence tracking
 * (docs/PROTOCOL.md, "Sequence numbers"). */
#include "seqtrack.h"

/* ---- table: a sequence of arrivals and the verdict each must get --------------- */

typedef struct
{
  const char *name;
  guint64 seqs[12];            /* 0-terminated */
  HbSeqVerdict verdicts[12];
  guint64 final_last;
  guint final_missing;
} SeqCase;

static const SeqCase seq_cases[] = {
  { "in-order", { 1, 2, 3, 4, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT, HB_SEQ_ACCEPT, HB_SEQ_ACCEPT }, 4, 0 },
  { "first-packet-any-seq", { 77, 78, 0 }, { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT }, 78, 0 },
  { "duplicate", { 5, 5, 6, 6, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_DUPLICATE, HB_SEQ_ACCEPT, HB_SEQ_DUPLICATE }, 6, 0 },
  { "old-duplicate", { 5, 6, 7, 5, 6, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT, HB_SEQ_ACCEPT, HB_SEQ_OLD, HB_SEQ_OLD }, 7, 0 },
  { "gap-then-fill", { 1, 4, 3, 2, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT_GAP, HB_SEQ_ACCEPT_FILLED, HB_SEQ_ACCEPT_FILLED }, 4, 0 },
  { "fill-twice-is-old", { 1, 3, 2, 2, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT_GAP, HB_SEQ_ACCEPT_FILLED, HB_SEQ_OLD }, 3, 0 },
  { "gap-partially-filled", { 10, 15, 12, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT_GAP, HB_SEQ_ACCEPT_FILLED }, 15, 3 },
  { "two-gaps", { 1, 3, 6, 0 }, { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT_GAP, HB_SEQ_ACCEPT_GAP }, 6, 3 },
  { "gap-of-exactly-250", { 1, 252, 0 }, { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT_GAP }, 252, 250 },
  { "gap-of-251-resets", { 1, 253, 254, 2, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT_RESET, HB_SEQ_ACCEPT, HB_SEQ_OLD }, 254, 0 },
  { "reset-drops-old-missing", { 1, 3, 300, 2, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT_GAP, HB_SEQ_ACCEPT_RESET, HB_SEQ_OLD }, 300, 0 },
  { "huge-seq", { G_MAXUINT64 - 1, G_MAXUINT64, G_MAXUINT64, 0 },
    { HB_SEQ_ACCEPT, HB_SEQ_ACCEPT, HB_SEQ_DUPLICATE }, G_MAXUINT64, 0 },
};

static void
test_seq_table (gconstpointer data)
{
  const SeqCase *c = data;
  g_autoptr (HbSeqTrack) t = hb_seqtrack_new ();

  for (guint i = 0; c->seqs[i] != 0; i++)
    {
      HbSeqVerdict v = hb_seqtrack_receive (t, c->seqs[i], NULL);

      if (v != c->verdicts[i])
        {
          g_test_message ("%s: arrival %u (seq %" G_GUINT64_FORMAT "): got %s, want %s", c->name,
                          i, c->seqs[i], hb_seq_verdict_to_string (v),
                          hb_seq_verdict_to_string (c->verdicts[i]));
        }
      g_assert_cmpint (v, ==, c->verdicts[i]);
    }
  g_assert_cmpuint (hb_seqtrack_last (t), ==, c->final_last);
  g_assert_cmpuint (hb_seqtrack_n_missing (t), ==, c->final_missing);
}

static void
test_gap_info (void)
{
  g_autoptr (HbSeqTrack) t = hb_seqtrack_new ();
  HbSeqInfo info;

  g_assert_cmpint (hb_seqtrack_receive (t, 10, &info), ==, HB_SEQ_ACCEPT);
  g_assert_cmpuint (info.last_before, ==, 0);
  g_assert_cmpint (hb_seqtrack_receive (t, 14, &info), ==, HB_SEQ_ACCEPT_GAP);
  g_assert_cmpuint (info.last_before, ==, 10);
  g_assert_cmpuint (info.n_lost, ==, 3);
  g_assert_cmpuint (info.first_missing, ==, 11);
  g_assert_cmpuint (info.n_recorded, ==, 3);
  g_assert_true (hb_seqtrack_is_missing (t, 11));
  g_assert_true (hb_seqtrack_is_missing (t, 13));
  g_assert_false (hb_seqtrack_is_missing (t, 10));
  g_assert_false (hb_seqtrack_is_missing (t, 14));
  g_assert_cmpint (hb_seqtrack_receive (t, 12, &info), ==, HB_SEQ_ACCEPT_FILLED);
  g_assert_false (info.now_complete);
  g_assert_cmpint (hb_seqtrack_receive (t, 11, &info), ==, HB_SEQ_ACCEPT_FILLED);
  g_assert_false (info.now_complete);
  g_assert_cmpint (hb_seqtrack_receive (t, 13, &info), ==, HB_SEQ_ACCEPT_FILLED);
  g_assert_true (info.now_complete);
  g_assert_cmpuint (hb_seqtrack_n_missing (t), ==, 0);
}

static void
test_reset_info (void)
{
  g_autoptr (HbSeqTrack) t = hb_seqtrack_new ();
  HbSeqInfo info;

  hb_seqtrack_receive (t, 1, NULL);
  g_assert_cmpint (hb_seqtrack_receive (t, 1000, &info), ==, HB_SEQ_ACCEPT_RESET);
  g_assert_cmpuint (info.n_lost, ==, 998);
  g_assert_cmpuint (info.last_before, ==, 1);
  g_assert_cmpuint (hb_seqtrack_last (t), ==, 1000);
  g_assert_cmpint (hb_seqtrack_receive (t, 1001, NULL), ==, HB_SEQ_ACCEPT);
}

/* Gaps accumulate up to 500 recorded seqs; beyond that the oldest missing
 * seqs make room, as HB3 should_drop_message replaces the lowest-numbered
 * one: the newest are those the sender can still retransmit (its history
 * keeps the last 500), so they must not be turned away as old duplicates. */
static void
test_missing_cap (void)
{
  g_autoptr (HbSeqTrack) t = hb_seqtrack_new ();
  HbSeqInfo info;
  guint64 seq = 1;

  hb_seqtrack_receive (t, seq, NULL);
  for (guint i = 0; i < 2; i++)
    {
      seq += 201; /* 200 missing each: 2..201, 203..402 */
      g_assert_cmpint (hb_seqtrack_receive (t, seq, &info), ==, HB_SEQ_ACCEPT_GAP);
      g_assert_cmpuint (info.n_recorded, ==, 200);
    }
  seq += 201; /* 404..603: the 100 oldest (2..101) make room */
  g_assert_cmpint (hb_seqtrack_receive (t, seq, &info), ==, HB_SEQ_ACCEPT_GAP);
  g_assert_cmpuint (info.n_lost, ==, 200);
  g_assert_cmpuint (info.first_missing, ==, 404);
  g_assert_cmpuint (info.n_recorded, ==, 200);
  g_assert_cmpuint (hb_seqtrack_n_missing (t), ==, HB_SEQTRACK_MAX_MISSING);
  g_assert_false (hb_seqtrack_is_missing (t, 101));
  g_assert_true (hb_seqtrack_is_missing (t, 102));
  g_assert_true (hb_seqtrack_is_missing (t, 603));
  seq += 2; /* 605 missing, 102 evicted */
  g_assert_cmpint (hb_seqtrack_receive (t, seq, &info), ==, HB_SEQ_ACCEPT_GAP);
  g_assert_cmpuint (info.n_recorded, ==, 1);
  g_assert_cmpuint (hb_seqtrack_n_missing (t), ==, HB_SEQTRACK_MAX_MISSING);
  /* The newest gap is still recoverable; the evicted seqs are old now. */
  g_assert_cmpint (hb_seqtrack_receive (t, seq - 1, NULL), ==, HB_SEQ_ACCEPT_FILLED);
  g_assert_cmpint (hb_seqtrack_receive (t, 2, NULL), ==, HB_SEQ_OLD);
  g_assert_cmpint (hb_seqtrack_receive (t, 102, NULL), ==, HB_SEQ_OLD);
  g_assert_cmpint (hb_seqtrack_receive (t, 103, NULL), ==, HB_SEQ_ACCEPT_FILLED);
}

static void
test_schedule_and_take (void)
{
  g_autoptr (HbSeqTrack) t = hb_seqtrack_new ();
  g_autoptr (GArray) due = g_array_new (FALSE, FALSE, sizeof (guint64));

  hb_seqtrack_receive (t, 1, NULL);
  hb_seqtrack_receive (t, 5, NULL); /* 2, 3, 4 missing */
  g_assert_cmpint (hb_seqtrack_next_due_us (t), ==, G_MAXINT64);
  g_assert_true (hb_seqtrack_schedule (t, 2, 1000));
  g_assert_true (hb_seqtrack_schedule (t, 3, 500));
  g_assert_true (hb_seqtrack_schedule (t, 4, 2000));
  g_assert_false (hb_seqtrack_schedule (t, 5, 100));
  g_assert_cmpint (hb_seqtrack_next_due_us (t), ==, 500);

  g_assert_cmpuint (hb_seqtrack_take_due (t, 499, 250, due), ==, 0);
  g_assert_cmpuint (hb_seqtrack_take_due (t, 1000, 250, due), ==, 2);
  g_assert_cmpuint (g_array_index (due, guint64, 0), ==, 2);
  g_assert_cmpuint (g_array_index (due, guint64, 1), ==, 3);
  g_assert_cmpint (hb_seqtrack_next_due_us (t), ==, 1250);

  /* A filled seq no longer has a deadline. */
  hb_seqtrack_receive (t, 2, NULL);
  hb_seqtrack_receive (t, 3, NULL);
  g_assert_cmpint (hb_seqtrack_next_due_us (t), ==, 2000);
  hb_seqtrack_cancel_requests (t);
  g_assert_cmpint (hb_seqtrack_next_due_us (t), ==, G_MAXINT64);
  g_assert_true (hb_seqtrack_is_missing (t, 4));
  hb_seqtrack_reset (t);
  g_assert_cmpuint (hb_seqtrack_n_missing (t), ==, 0);
  g_assert_cmpuint (hb_seqtrack_last (t), ==, 0);
  g_assert_cmpint (hb_seqtrack_receive (t, 3, NULL), ==, HB_SEQ_ACCEPT);
}

static void
test_forget (void)
{
  g_autoptr (HbSeqTrack) t = hb_seqtrack_new ();

  hb_seqtrack_receive (t, 1, NULL);
  hb_seqtrack_receive (t, 4, NULL);
  hb_seqtrack_schedule (t, 2, 10);
  g_assert_true (hb_seqtrack_forget (t, 2));
  g_assert_false (hb_seqtrack_forget (t, 2));
  g_assert_false (hb_seqtrack_forget (t, 4));
  g_assert_cmpint (hb_seqtrack_next_due_us (t), ==, G_MAXINT64);
  g_assert_cmpint (hb_seqtrack_receive (t, 2, NULL), ==, HB_SEQ_OLD);
  g_assert_cmpint (hb_seqtrack_receive (t, 3, NULL), ==, HB_SEQ_ACCEPT_FILLED);
}

static void
test_verdict_names (void)
{
  g_assert_cmpstr (hb_seq_verdict_to_string (HB_SEQ_DUPLICATE), ==, "duplicate");
  g_assert_cmpstr (hb_seq_verdict_to_string ((HbSeqVerdict) 99), ==, "invalid");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (seq_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/seqtrack/table/%s", seq_cases[i].name);

      g_test_add_data_func (path, &seq_cases[i], test_seq_table);
    }
  g_test_add_func ("/seqtrack/gap-info", test_gap_info);
  g_test_add_func ("/seqtrack/reset-info", test_reset_info);
  g_test_add_func ("/seqtrack/missing-cap", test_missing_cap);
  g_test_add_func ("/seqtrack/schedule-and-take", test_schedule_and_take);
  g_test_add_func ("/seqtrack/forget", test_forget);
  g_test_add_func ("/seqtrack/verdict-names", test_verdict_names);
  return g_test_run ();
}
