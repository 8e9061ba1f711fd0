/* systole: fixed-window budgets. See ratelimit.h. */
#include "ratelimit.h"

typedef struct
{
  gboolean open;
  gint64 start_us;
  guint count;
} Window;

struct _HbRateLimit
{
  Window w;
  guint burst;
  gint64 period_us;
  guint64 suppressed; /* refused in the open window */
  guint64 pending;    /* refused in closed windows, not reported yet */
};

struct _HbRateKeyed
{
  GHashTable *windows; /* key -> Window* */
  guint burst;
  gint64 period_us;
  guint max_keys;
};

/* Unsigned difference: the caller's clock may sit anywhere in the gint64
 * range, and one that stepped back measures 0, not a huge span. */
static gboolean
window_ended (const Window *w, gint64 now_us, gint64 period_us)
{
  guint64 elapsed = now_us > w->start_us ? (guint64) now_us - (guint64) w->start_us : 0;

  return !w->open || elapsed >= (guint64) period_us;
}

/* Counts one event in `w`, opening a new window first if the last closed. */
static gboolean
window_take (Window *w, gint64 now_us, gint64 period_us, guint burst)
{
  if (window_ended (w, now_us, period_us))
    {
      *w = (Window) { TRUE, now_us, 0 };
    }
  if (w->count >= burst)
    {
      return FALSE;
    }
  w->count++;
  return TRUE;
}

HbRateLimit *
hb_ratelimit_new (guint burst, gint64 period_us)
{
  HbRateLimit *rl;

  g_return_val_if_fail (burst >= 1 && period_us >= 1, NULL);
  rl = g_new0 (HbRateLimit, 1);
  rl->burst = burst;
  rl->period_us = period_us;
  return rl;
}

void
hb_ratelimit_free (HbRateLimit *rl)
{
  g_free (rl);
}

static void
close_if_ended (HbRateLimit *rl, gint64 now_us)
{
  if (rl->w.open && window_ended (&rl->w, now_us, rl->period_us))
    {
      rl->pending += rl->suppressed;
      rl->suppressed = 0;
      rl->w.open = FALSE;
    }
}

gboolean
hb_ratelimit_allow (HbRateLimit *rl, gint64 now_us)
{
  g_return_val_if_fail (rl != NULL, FALSE);
  close_if_ended (rl, now_us);
  if (window_take (&rl->w, now_us, rl->period_us, rl->burst))
    {
      return TRUE;
    }
  rl->suppressed++;
  return FALSE;
}

guint64
hb_ratelimit_flush (HbRateLimit *rl, gint64 now_us)
{
  guint64 n;

  g_return_val_if_fail (rl != NULL, 0);
  close_if_ended (rl, now_us);
  n = rl->pending;
  rl->pending = 0;
  return n;
}

guint64
hb_ratelimit_flush_all (HbRateLimit *rl)
{
  guint64 n;

  g_return_val_if_fail (rl != NULL, 0);
  n = rl->pending + rl->suppressed;
  rl->pending = 0;
  rl->suppressed = 0;
  return n;
}

gint64
hb_ratelimit_flush_due_us (const HbRateLimit *rl)
{
  g_return_val_if_fail (rl != NULL, G_MAXINT64);
  if (rl->pending > 0)
    {
      return G_MININT64; /* already due */
    }
  if (rl->suppressed == 0)
    {
      return G_MAXINT64;
    }
  return rl->w.start_us > G_MAXINT64 - rl->period_us ? G_MAXINT64
                                                     : rl->w.start_us + rl->period_us;
}

gint64
hb_ratelimit_period_us (const HbRateLimit *rl)
{
  return rl->period_us;
}

HbRateKeyed *
hb_ratekeyed_new (guint burst, gint64 period_us, guint max_keys)
{
  HbRateKeyed *rk;

  g_return_val_if_fail (burst >= 1 && period_us >= 1 && max_keys >= 1, NULL);
  rk = g_new0 (HbRateKeyed, 1);
  rk->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rk->burst = burst;
  rk->period_us = period_us;
  rk->max_keys = max_keys;
  return rk;
}

void
hb_ratekeyed_free (HbRateKeyed *rk)
{
  if (rk == NULL)
    {
      return;
    }
  g_hash_table_unref (rk->windows);
  g_free (rk);
}

typedef struct
{
  gint64 now_us;
  gint64 period_us;
} SweepCtx;

static gboolean
is_ended (gpointer key, gpointer value, gpointer user_data)
{
  const SweepCtx *ctx = user_data;

  (void) key;
  return window_ended (value, ctx->now_us, ctx->period_us);
}

gboolean
hb_ratekeyed_allow (HbRateKeyed *rk, const char *key, gint64 now_us)
{
  Window *w;

  g_return_val_if_fail (rk != NULL && key != NULL, FALSE);
  w = g_hash_table_lookup (rk->windows, key);
  if (w == NULL)
    {
      if (g_hash_table_size (rk->windows) >= rk->max_keys)
        {
          SweepCtx ctx = { now_us, rk->period_us };

          g_hash_table_foreach_remove (rk->windows, is_ended, &ctx);
        }
      if (g_hash_table_size (rk->windows) >= rk->max_keys)
        {
          return FALSE;
        }
      w = g_new0 (Window, 1);
      g_hash_table_insert (rk->windows, g_strdup (key), w);
    }
  return window_take (w, now_us, rk->period_us, rk->burst);
}

guint
hb_ratekeyed_size (const HbRateKeyed *rk)
{
  return g_hash_table_size (rk->windows);
}
