/* systole: the daemon's budgets for what the network can make it spend
 * (issue 9), wired to the log and a timer; the counting is lib/ratelimit.
 *
 * Log lines a sender can trigger once per packet (dropped packets, replays,
 * rexmit serving) pass a per-class budget for the whole daemon: at most
 * HB_BUDGET_LOG_BURST lines per HB_BUDGET_LOG_PERIOD_S seconds, then one
 * line "<class>: suppressed K similar messages in the last P s" when the
 * window ends (and a last one at shutdown). Resends and NAKs answering
 * NS_rexmit pass a budget per requester and one in total, per second.
 */
#pragma once

#include <glib.h>

#include "logger.h"

G_BEGIN_DECLS

#define HB_BUDGET_LOG_BURST 10
#define HB_BUDGET_LOG_PERIOD_S 60
/* A bad packet is logged at most once per source address and kind of problem
 * per period (log_badpack; docs/PROTOCOL.md, "ha.cf directives"), remembering
 * that many sources. */
#define HB_BUDGET_BADPACK_PER_SOURCE_PERIOD_S 60
#define HB_BUDGET_BADPACK_MAX_SOURCES 256
/* Retransmissions. Heartbeat resends at most 50 packets per request and none
 * resent less than max_rexmit_delay - 10 ms ago (xmithist keeps both), but a
 * captured request replayed every 250 ms still gets 50 resends (or 50 NAKs,
 * once the history moved past it) each time. A peer that lost up to 250 packets
 * (FLOWCONTROL_LIMIT; docs/PROTOCOL.md, "Sequence numbers") asks for each once,
 * then again every max_rexmit_delay until it arrives: one request's worth (50)
 * a second per requester fills that in 5 s. NAKs only tell a peer to stop
 * asking. */
#define HB_BUDGET_RESEND_PER_REQUESTER 50
#define HB_BUDGET_RESEND_TOTAL 100
#define HB_BUDGET_NAK_PER_REQUESTER 20
#define HB_BUDGET_NAK_TOTAL 50
/* Requesters are authenticated, configured nodes (at most MAXNODE;
 * docs/PROTOCOL.md, "Size limits"). */
#define HB_BUDGET_MAX_REQUESTERS 100

typedef enum
{
  HB_BUDGET_BADPACK,   /* "Dropped packet from ..." */
  HB_BUDGET_REPLAY,    /* "attempted replay attack" */
  HB_BUDGET_REXMIT,    /* serving NS_rexmit: bad requests, NAK lines, refusals */
  HB_BUDGET_N_CLASSES,
} HbBudgetClass;

typedef struct _HbBudget HbBudget;

HbBudget *hb_budget_new (void);
void hb_budget_free (HbBudget *budget);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbBudget, hb_budget_free)

/* Logs one line of `cls` if its budget allows; first reports what the
 * class suppressed in windows that have ended. */
void hb_budget_log (HbBudget *budget, HbBudgetClass cls, HbLogPrio prio, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

/* TRUE when a bad packet from `source` (address and kind of problem) may be
 * logged now: its per-source budget allows it. The global budget still
 * applies (hb_budget_log with HB_BUDGET_BADPACK). */
gboolean hb_budget_badpack_source (HbBudget *budget, const char *source);

/* TRUE when a resend / a NAK to `requester` is within the budgets (counted). */
gboolean hb_budget_resend (HbBudget *budget, const char *requester);
gboolean hb_budget_nak (HbBudget *budget, const char *requester);

/* Reports everything suppressed so far (at shutdown). */
void hb_budget_flush_all (HbBudget *budget);

G_END_DECLS
