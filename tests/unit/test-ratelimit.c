/* Unit tests for lib/ratelimit: fixed-window budgets with an injected clock. */
#include "ratelimit.h"

#define S G_USEC_PER_SEC

static void
test_burst_then_refuse (void)
{
  g_autoptr (HbRateLimit) rl = hb_ratelimit_new (3, 10 * S);
  gint64 t = 1000 * S;

  g_assert_cmpint (hb_ratelimit_flush_due_us (rl), ==, G_MAXINT64);
  for (int i = 0; i < 3; i++)
    {
      g_assert_true (hb_ratelimit_allow (rl, t + i));
    }
  g_assert_cmpint (hb_ratelimit_flush_due_us (rl), ==, G_MAXINT64);
  for (int i = 0; i < 5; i++)
    {
      g_assert_false (hb_ratelimit_allow (rl, t + 5 * S));
    }
  /* Nothing reported while the window is open. */
  g_assert_cmpuint (hb_ratelimit_flush (rl, t + 10 * S - 1), ==, 0);
  g_assert_cmpint (hb_ratelimit_flush_due_us (rl), ==, t + 10 * S);
  g_assert_cmpuint (hb_ratelimit_flush (rl, t + 10 * S), ==, 5);
  /* Reported once. */
  g_assert_cmpuint (hb_ratelimit_flush (rl, t + 11 * S), ==, 0);
  g_assert_cmpint (hb_ratelimit_flush_due_us (rl), ==, G_MAXINT64);
  /* A new window has a new budget. */
  g_assert_true (hb_ratelimit_allow (rl, t + 12 * S));
}

/* A flood over many windows: the number passed is bounded by the windows it
 * spans, and every refused event is reported exactly once. */
static void
test_flood_bound (void)
{
  g_autoptr (HbRateLimit) rl = hb_ratelimit_new (10, 60 * S);
  guint64 passed = 0, reported = 0;
  const guint n = 100000;

  for (guint i = 0; i < n; i++)
    {
      gint64 now = (gint64) i * 3000; /* 300 s in all */

      reported += hb_ratelimit_flush (rl, now);
      passed += hb_ratelimit_allow (rl, now);
    }
  g_assert_cmpuint (passed, ==, 50); /* windows at 0, 60, 120, 180, 240 s */
  reported += hb_ratelimit_flush_all (rl);
  g_assert_cmpuint (passed + reported, ==, n);
  g_assert_cmpuint (hb_ratelimit_flush_all (rl), ==, 0);
}

/* A refused event in a closed window is reported even when the next event
 * comes much later: allow() keeps the count for flush(). */
static void
test_pending_survives_new_window (void)
{
  g_autoptr (HbRateLimit) rl = hb_ratelimit_new (1, S);

  g_assert_true (hb_ratelimit_allow (rl, 0));
  g_assert_false (hb_ratelimit_allow (rl, 1));
  g_assert_true (hb_ratelimit_allow (rl, 5 * S));
  g_assert_cmpint (hb_ratelimit_flush_due_us (rl), ==, G_MININT64);
  g_assert_cmpuint (hb_ratelimit_flush (rl, 5 * S), ==, 1);
}

static void
test_clock_extremes (void)
{
  g_autoptr (HbRateLimit) rl = hb_ratelimit_new (1, 10 * S);

  g_assert_true (hb_ratelimit_allow (rl, G_MAXINT64 - 1));
  g_assert_false (hb_ratelimit_allow (rl, G_MAXINT64));
  g_assert_cmpint (hb_ratelimit_flush_due_us (rl), ==, G_MAXINT64);
  /* Stepping back stays in the window. */
  g_assert_false (hb_ratelimit_allow (rl, G_MININT64));
  g_assert_cmpuint (hb_ratelimit_flush_all (rl), ==, 2);
}

static void
test_keyed (void)
{
  g_autoptr (HbRateKeyed) rk = hb_ratekeyed_new (1, 60 * S, 3);

  g_assert_true (hb_ratekeyed_allow (rk, "a", 0));
  g_assert_false (hb_ratekeyed_allow (rk, "a", 1));
  g_assert_true (hb_ratekeyed_allow (rk, "b", 2));
  g_assert_true (hb_ratekeyed_allow (rk, "c", 3));
  /* Full, every window open: a new key is refused, the old ones are kept
   * (a flood of new keys must not reset them). */
  g_assert_false (hb_ratekeyed_allow (rk, "d", 4));
  g_assert_false (hb_ratekeyed_allow (rk, "a", 5));
  g_assert_cmpuint (hb_ratekeyed_size (rk), ==, 3);
  /* Once their windows closed, old keys make room. */
  g_assert_true (hb_ratekeyed_allow (rk, "d", 60 * S + 3));
  g_assert_cmpuint (hb_ratekeyed_size (rk), ==, 1);
  g_assert_true (hb_ratekeyed_allow (rk, "a", 60 * S + 4));
}

/* Many keys flooding: the table never grows past max_keys. */
static void
test_keyed_flood (void)
{
  g_autoptr (HbRateKeyed) rk = hb_ratekeyed_new (2, S, 16);
  guint passed = 0;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *key = g_strdup_printf ("198.51.100.%u", i % 250);

      passed += hb_ratekeyed_allow (rk, key, (gint64) i); /* 10 ms in all */
      g_assert_cmpuint (hb_ratekeyed_size (rk), <=, 16);
    }
  g_assert_cmpuint (passed, ==, 32);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ratelimit/burst-then-refuse", test_burst_then_refuse);
  g_test_add_func ("/ratelimit/flood-bound", test_flood_bound);
  g_test_add_func ("/ratelimit/pending-survives-new-window", test_pending_survives_new_window);
  g_test_add_func ("/ratelimit/clock-extremes", test_clock_extremes);
  g_test_add_func ("/ratelimit/keyed", test_keyed);
  g_test_add_func ("/ratelimit/keyed-flood", test_keyed_flood);
  return g_test_run ();
}
