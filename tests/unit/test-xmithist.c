/* Unit tests for lib/xmithist: the 500-message transmit history and rexmit serving
 * (docs/PROTOCOL.md, "Sequence numbers", "Retransmission"). */
#include "xmithist.h"

#include <string.h>

#define MS G_TIME_SPAN_MILLISECOND

static GBytes *
msg_for (guint64 seq)
{
  char *text = g_strdup_printf (">>>\nt=x\nseq=%" G_GINT64_MODIFIER "x\n<<<\n", seq);

  return g_bytes_new_take (text, strlen (text));
}

/* A history holding seqs first..last (step apart). */
static HbXmitHist *
hist_with (guint64 first, guint64 last, guint64 step)
{
  HbXmitHist *h = hb_xmithist_new (250);

  for (guint64 s = first; s <= last; s += step)
    {
      g_autoptr (GBytes) b = msg_for (s);

      g_assert_true (hb_xmithist_add (h, s, b));
    }
  return h;
}

static GPtrArray *
replies_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) hb_xmit_reply_free);
}

static HbXmitReply *
reply (GPtrArray *r, guint i)
{
  return g_ptr_array_index (r, i);
}

static void
test_add_lookup (void)
{
  g_autoptr (HbXmitHist) h = hb_xmithist_new (250);
  g_autoptr (GBytes) b = msg_for (1);

  g_assert_cmpuint (hb_xmithist_low_seq (h), ==, 0);
  g_assert_cmpuint (hb_xmithist_high_seq (h), ==, 0);
  g_assert_null (hb_xmithist_lookup (h, 1));
  g_assert_true (hb_xmithist_add (h, 1, b));
  g_assert_true (hb_xmithist_add (h, 3, b));
  g_assert_false (hb_xmithist_add (h, 3, b)); /* not increasing */
  g_assert_false (hb_xmithist_add (h, 2, b));
  g_assert_cmpuint (hb_xmithist_length (h), ==, 2);
  g_assert_true (hb_xmithist_lookup (h, 1) == b);
  g_assert_null (hb_xmithist_lookup (h, 2));
  g_assert_cmpuint (hb_xmithist_low_seq (h), ==, 1);
  g_assert_cmpuint (hb_xmithist_high_seq (h), ==, 3);
}

static void
test_eviction (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1, 1234, 1);

  g_assert_cmpuint (hb_xmithist_length (h), ==, HB_XMITHIST_SIZE);
  g_assert_cmpuint (hb_xmithist_low_seq (h), ==, 1234 - HB_XMITHIST_SIZE + 1);
  g_assert_cmpuint (hb_xmithist_high_seq (h), ==, 1234);
  g_assert_null (hb_xmithist_lookup (h, 734));
  for (guint64 s = 735; s <= 1234; s++)
    {
      g_autoptr (GBytes) want = msg_for (s);

      g_assert_true (g_bytes_equal (hb_xmithist_lookup (h, s), want));
    }
}

static void
test_serve_resend (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1, 10, 1);
  g_autoptr (GPtrArray) r = replies_new ();

  g_assert_cmpuint (hb_xmithist_serve (h, 0, 4, 6, "node2", r), ==, 3);
  g_assert_cmpuint (r->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GBytes) want = msg_for (4 + i);

      g_assert_cmpint (reply (r, i)->kind, ==, HB_XMIT_RESEND);
      g_assert_cmpuint (reply (r, i)->seq, ==, 4 + i);
      g_assert_true (g_bytes_equal (reply (r, i)->msg, want));
      g_assert_null (reply (r, i)->message);
    }
}

/* A packet resent less than (max_rexmit_delay - 10) ms ago is not resent again. */
static void
test_serve_recent_skipped (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1, 10, 1);
  g_autoptr (GPtrArray) r = replies_new ();
  gint64 t0 = 1000 * MS;

  g_assert_cmpuint (hb_xmithist_serve (h, t0, 5, 5, "node2", r), ==, 1);
  g_assert_cmpuint (hb_xmithist_serve (h, t0 + 239 * MS, 5, 5, "node3", r), ==, 0);
  g_assert_cmpuint (hb_xmithist_serve (h, t0 + 240 * MS - 1, 4, 5, "node3", r), ==, 1);
  g_assert_cmpuint (reply (r, r->len - 1)->seq, ==, 4);
  g_assert_cmpuint (hb_xmithist_serve (h, t0 + 240 * MS, 5, 5, "node2", r), ==, 1);
  g_assert_cmpuint (r->len, ==, 3);
}

static void
test_serve_cap (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1, 400, 1);
  g_autoptr (GPtrArray) r = replies_new ();

  g_assert_cmpuint (hb_xmithist_serve (h, 0, 1, 400, "node2", r), ==, HB_XMITHIST_MAX_PER_REQUEST);
  g_assert_cmpuint (r->len, ==, HB_XMITHIST_MAX_PER_REQUEST);
  g_assert_cmpuint (reply (r, 49)->seq, ==, 50);
  /* The next request gets the next 50 (the first 50 were just resent). */
  g_ptr_array_set_size (r, 0);
  g_assert_cmpuint (hb_xmithist_serve (h, 1, 1, 400, "node2", r), ==, HB_XMITHIST_MAX_PER_REQUEST);
  g_assert_cmpuint (reply (r, 0)->seq, ==, 51);
}

static void
test_serve_too_low (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1, 600, 1); /* holds 101..600 */
  g_autoptr (GPtrArray) r = replies_new ();

  g_assert_cmpuint (hb_xmithist_serve (h, 0, 99, 101, "node2", r), ==, 1);
  g_assert_cmpuint (r->len, ==, 3);
  g_assert_cmpint (reply (r, 0)->kind, ==, HB_XMIT_NAK);
  g_assert_cmpstr (reply (r, 0)->reason, ==, "seqno too low");
  g_assert_cmpstr (reply (r, 0)->message, ==, "Cannot rexmit pkt 99 for node2: seqno too low");
  g_assert_null (reply (r, 0)->msg);
  g_assert_cmpint (reply (r, 1)->kind, ==, HB_XMIT_NAK);
  g_assert_cmpuint (reply (r, 1)->seq, ==, 100);
  g_assert_cmpint (reply (r, 2)->kind, ==, HB_XMIT_RESEND);
}

static void
test_serve_not_found (void)
{
  g_autoptr (HbXmitHist) h = hist_with (2, 20, 2); /* even seqs only */
  g_autoptr (GPtrArray) r = replies_new ();

  g_assert_cmpuint (hb_xmithist_serve (h, 0, 3, 4, "node2", r), ==, 1);
  g_assert_cmpuint (r->len, ==, 2);
  g_assert_cmpint (reply (r, 0)->kind, ==, HB_XMIT_NAK);
  g_assert_cmpstr (reply (r, 0)->reason, ==, "seqno not found");
  g_assert_cmpstr (reply (r, 0)->message, ==, "Cannot rexmit pkt 3 for node2: seqno not found");
  g_assert_cmpint (reply (r, 1)->kind, ==, HB_XMIT_RESEND);
}

static void
test_serve_above_high (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1, 10, 1);
  g_autoptr (GPtrArray) r = replies_new ();

  g_assert_cmpuint (hb_xmithist_serve (h, 0, 10, 20, "node2", r), ==, 1);
  g_assert_cmpuint (r->len, ==, 2);
  g_assert_cmpint (reply (r, 1)->kind, ==, HB_XMIT_ABOVE_HIGH);
  g_assert_cmpuint (reply (r, 1)->seq, ==, 11);
  g_assert_nonnull (reply (r, 1)->message);
  g_assert_nonnull (strstr (reply (r, 1)->message, "node2"));
}

static void
test_serve_empty_history (void)
{
  g_autoptr (HbXmitHist) h = hb_xmithist_new (250);
  g_autoptr (GPtrArray) r = replies_new ();

  g_assert_cmpuint (hb_xmithist_serve (h, 0, 1, 1, "node2", r), ==, 0);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpint (reply (r, 0)->kind, ==, HB_XMIT_ABOVE_HIGH);
}

/* Hostile ranges: reversed, huge, ending at the top of the seq space. */
static void
test_serve_bad_ranges (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1000, 1100, 1);
  g_autoptr (GPtrArray) r = replies_new ();

  g_assert_cmpuint (hb_xmithist_serve (h, 0, 20, 10, "node2", r), ==, 0);
  g_assert_cmpuint (r->len, ==, 0);
  /* 1 .. MAX: at most 50 NAKs, no endless walk. */
  g_assert_cmpuint (hb_xmithist_serve (h, 0, 1, G_MAXUINT64, "node2", r), ==, 0);
  g_assert_cmpuint (r->len, ==, HB_XMITHIST_MAX_PER_REQUEST);
  g_ptr_array_set_size (r, 0);
  g_assert_cmpuint (hb_xmithist_serve (h, 0, G_MAXUINT64, G_MAXUINT64, "node2", r), ==, 0);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpint (reply (r, 0)->kind, ==, HB_XMIT_ABOVE_HIGH);
}

static void
test_small_rexmit_delay (void)
{
  g_autoptr (HbXmitHist) h = hb_xmithist_new (5); /* 5 - 10 < 0: never skip */
  g_autoptr (GBytes) b = msg_for (1);
  g_autoptr (GPtrArray) r = replies_new ();

  hb_xmithist_add (h, 1, b);
  g_assert_cmpuint (hb_xmithist_serve (h, 0, 1, 1, "node2", r), ==, 1);
  g_assert_cmpuint (hb_xmithist_serve (h, 0, 1, 1, "node2", r), ==, 1);
}

/* now_us is the caller's: instants at both ends of the gint64 range must
 * not overflow when compared with the last resend. */
static void
test_serve_extreme_clock (void)
{
  g_autoptr (HbXmitHist) h = hist_with (1, 3, 1);
  /* Resent at the end of time; a clock that then reads earlier counts as
   * "resent just now", so nothing goes out again. */
  const gint64 nows[] = { G_MAXINT64, G_MININT64 + 1, G_MAXINT64, 0 };
  const guint resent[] = { 3, 0, 0, 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (nows); i++)
    {
      g_autoptr (GPtrArray) r = replies_new ();

      g_assert_cmpuint (hb_xmithist_serve (h, nows[i], 1, 3, "node2", r), ==, resent[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/xmithist/add-lookup", test_add_lookup);
  g_test_add_func ("/xmithist/eviction", test_eviction);
  g_test_add_func ("/xmithist/serve/resend", test_serve_resend);
  g_test_add_func ("/xmithist/serve/recent-skipped", test_serve_recent_skipped);
  g_test_add_func ("/xmithist/serve/cap-50", test_serve_cap);
  g_test_add_func ("/xmithist/serve/too-low", test_serve_too_low);
  g_test_add_func ("/xmithist/serve/not-found", test_serve_not_found);
  g_test_add_func ("/xmithist/serve/above-high", test_serve_above_high);
  g_test_add_func ("/xmithist/serve/empty-history", test_serve_empty_history);
  g_test_add_func ("/xmithist/serve/bad-ranges", test_serve_bad_ranges);
  g_test_add_func ("/xmithist/serve/small-rexmit-delay", test_small_rexmit_delay);
  g_test_add_func ("/xmithist/serve/extreme-clock", test_serve_extreme_clock);
  return g_test_run ();
}
