/* systole: the daemon's budgets against floods and replays. See daemon-budget.h. */
#include "daemon-budget.h"

#include "ratelimit.h"

struct _HbBudget
{
  HbRateLimit *log[HB_BUDGET_N_CLASSES];
  HbRateKeyed *badpack_source;
  HbRateKeyed *resend_requester;
  HbRateLimit *resend_total;
  HbRateKeyed *nak_requester;
  HbRateLimit *nak_total;
  GSource *report_source; /* fires when a class has suppressions to report */
};

static const char *const class_label[HB_BUDGET_N_CLASSES] = {
  [HB_BUDGET_BADPACK] = "Dropped packets",
  [HB_BUDGET_REPLAY] = "Replay warnings",
  [HB_BUDGET_REXMIT] = "Rexmit messages",
};

HbBudget *
hb_budget_new (void)
{
  HbBudget *b = g_new0 (HbBudget, 1);
  const gint64 second = G_USEC_PER_SEC;

  for (guint i = 0; i < HB_BUDGET_N_CLASSES; i++)
    {
      b->log[i] = hb_ratelimit_new (HB_BUDGET_LOG_BURST, HB_BUDGET_LOG_PERIOD_S * second);
    }
  b->badpack_source = hb_ratekeyed_new (1, HB_BUDGET_BADPACK_PER_SOURCE_PERIOD_S * second,
                                        HB_BUDGET_BADPACK_MAX_SOURCES);
  b->resend_requester = hb_ratekeyed_new (HB_BUDGET_RESEND_PER_REQUESTER, second,
                                          HB_BUDGET_MAX_REQUESTERS);
  b->resend_total = hb_ratelimit_new (HB_BUDGET_RESEND_TOTAL, second);
  b->nak_requester = hb_ratekeyed_new (HB_BUDGET_NAK_PER_REQUESTER, second,
                                       HB_BUDGET_MAX_REQUESTERS);
  b->nak_total = hb_ratelimit_new (HB_BUDGET_NAK_TOTAL, second);
  return b;
}

static void
clear_report_source (HbBudget *b)
{
  if (b->report_source != NULL)
    {
      g_source_destroy (b->report_source);
      g_clear_pointer (&b->report_source, g_source_unref);
    }
}

void
hb_budget_free (HbBudget *b)
{
  if (b == NULL)
    {
      return;
    }
  clear_report_source (b);
  for (guint i = 0; i < HB_BUDGET_N_CLASSES; i++)
    {
      hb_ratelimit_free (b->log[i]);
    }
  hb_ratekeyed_free (b->badpack_source);
  hb_ratekeyed_free (b->resend_requester);
  hb_ratelimit_free (b->resend_total);
  hb_ratekeyed_free (b->nak_requester);
  hb_ratelimit_free (b->nak_total);
  g_free (b);
}

static void
log_summary (HbBudgetClass cls, guint64 n, gint64 period_us)
{
  hb_log (HB_LOG_WARNING, "%s: suppressed %" G_GUINT64_FORMAT " similar messages in the last %"
          G_GINT64_FORMAT " s", class_label[cls], n, period_us / G_USEC_PER_SEC);
}

static void
report_ended (HbBudget *b, gint64 now_us)
{
  for (guint i = 0; i < HB_BUDGET_N_CLASSES; i++)
    {
      guint64 n = hb_ratelimit_flush (b->log[i], now_us);

      if (n > 0)
        {
          log_summary (i, n, hb_ratelimit_period_us (b->log[i]));
        }
    }
}

static void arm_report (HbBudget *b);

static gboolean
on_report (gpointer user_data)
{
  HbBudget *b = user_data;

  g_clear_pointer (&b->report_source, g_source_unref);
  report_ended (b, g_get_monotonic_time ());
  arm_report (b);
  return G_SOURCE_REMOVE;
}

/* One timer for the earliest window that ended with suppressions, so the
 * summary comes when the flood stops too. Armed once, not per packet. */
static void
arm_report (HbBudget *b)
{
  gint64 due = G_MAXINT64;
  gint64 now = g_get_monotonic_time ();

  if (b->report_source != NULL)
    {
      return;
    }
  for (guint i = 0; i < HB_BUDGET_N_CLASSES; i++)
    {
      due = MIN (due, hb_ratelimit_flush_due_us (b->log[i]));
    }
  if (due == G_MAXINT64)
    {
      return;
    }
  b->report_source = g_timeout_source_new (due <= now ? 0 : (guint) ((due - now + 999) / 1000));
  g_source_set_callback (b->report_source, on_report, b, NULL);
  g_source_attach (b->report_source, NULL);
}

void
hb_budget_log (HbBudget *b, HbBudgetClass cls, HbLogPrio prio, const char *format, ...)
{
  gint64 now = g_get_monotonic_time ();
  guint64 n = hb_ratelimit_flush (b->log[cls], now);
  g_autofree char *text = NULL;
  va_list args;

  if (n > 0)
    {
      log_summary (cls, n, hb_ratelimit_period_us (b->log[cls]));
    }
  if (!hb_ratelimit_allow (b->log[cls], now))
    {
      arm_report (b);
      return;
    }
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  hb_log (prio, "%s", text);
}

gboolean
hb_budget_badpack_source (HbBudget *b, const char *source)
{
  return hb_ratekeyed_allow (b->badpack_source, source, g_get_monotonic_time ());
}

/* The requester's budget first: a refused requester spends none of the
 * total, so one noisy peer cannot starve another. */
static gboolean
reply_allowed (HbRateKeyed *per_requester, HbRateLimit *total, const char *requester)
{
  gint64 now = g_get_monotonic_time ();

  return hb_ratekeyed_allow (per_requester, requester, now) && hb_ratelimit_allow (total, now);
}

gboolean
hb_budget_resend (HbBudget *b, const char *requester)
{
  return reply_allowed (b->resend_requester, b->resend_total, requester);
}

gboolean
hb_budget_nak (HbBudget *b, const char *requester)
{
  return reply_allowed (b->nak_requester, b->nak_total, requester);
}

void
hb_budget_flush_all (HbBudget *b)
{
  for (guint i = 0; i < HB_BUDGET_N_CLASSES; i++)
    {
      guint64 n = hb_ratelimit_flush_all (b->log[i]);

      if (n > 0)
        {
          log_summary (i, n, hb_ratelimit_period_us (b->log[i]));
        }
    }
}
