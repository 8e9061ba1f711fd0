/* systole: budgets for what an unauthenticated or replaying sender can make
 * us spend (log lines, retransmissions, NAKs). Pure: no I/O, and time only
 * enters through the `now_us` arguments (any monotonic clock).
 *
 * HbRateLimit is one fixed-window budget: at most `burst` events per window
 * of `period_us`; a window opens at the first event after the previous one
 * closed. Events over the budget are refused and counted; once their window
 * has closed the count is handed out once by hb_ratelimit_flush(), so the
 * caller can log one line "suppressed K similar messages in the last P s".
 * Over any span of T us, at most burst * (T / period_us + 1) events pass.
 *
 *   if ((k = hb_ratelimit_flush (rl, now)) > 0) log "suppressed k ...";
 *   if (hb_ratelimit_allow (rl, now)) log the line;
 *   arm a timer at hb_ratelimit_flush_due_us (rl) to report a quiet end.
 *
 * HbRateKeyed is the same budget per key (a peer's address, a node name)
 * with at most `max_keys` keys: a key whose window closed is forgotten when
 * room is needed, and a new key finds no room while every window is still
 * open (refused, not counted: the caller's global budget bounds the total;
 * forgetting live keys instead would let a flood of new keys reset them).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HbRateLimit HbRateLimit;

/* `burst` >= 1 and `period_us` >= 1 (programmer error otherwise). */
HbRateLimit *hb_ratelimit_new (guint burst, gint64 period_us);
void hb_ratelimit_free (HbRateLimit *rl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbRateLimit, hb_ratelimit_free)

/* TRUE: within the budget (the event is counted). FALSE: refused, and
 * counted as suppressed. A clock that steps back stays in the current
 * window. */
gboolean hb_ratelimit_allow (HbRateLimit *rl, gint64 now_us);

/* The number of events suppressed in windows that have closed by `now_us`
 * and not reported yet; resets it to 0. */
guint64 hb_ratelimit_flush (HbRateLimit *rl, gint64 now_us);

/* Everything suppressed and not reported yet, the open window included
 * (for a last report at shutdown); resets it to 0. */
guint64 hb_ratelimit_flush_all (HbRateLimit *rl);

/* When hb_ratelimit_flush() will next return non-zero: the end of the
 * window holding unreported suppressions; G_MAXINT64 when there are none. */
gint64 hb_ratelimit_flush_due_us (const HbRateLimit *rl);

gint64 hb_ratelimit_period_us (const HbRateLimit *rl);

typedef struct _HbRateKeyed HbRateKeyed;

HbRateKeyed *hb_ratekeyed_new (guint burst, gint64 period_us, guint max_keys);
void hb_ratekeyed_free (HbRateKeyed *rk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbRateKeyed, hb_ratekeyed_free)

/* TRUE: within `key`'s budget (counted). FALSE: over it, or no room for a
 * new key. `key` is copied when remembered. */
gboolean hb_ratekeyed_allow (HbRateKeyed *rk, const char *key, gint64 now_us);

/* Keys currently remembered (at most max_keys). */
guint hb_ratekeyed_size (const HbRateKeyed *rk);

G_END_DECLS
