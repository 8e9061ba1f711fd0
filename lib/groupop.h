/* systole: the order of agent runs for one operation on one resource group.
 * Pure: the caller runs each step and reports its outcome; time is passed in.
 *
 * Heartbeat rules (docs/PROTOCOL.md, "Group start and stop"):
 * - start is left to right; a resource whose status already says running is
 *   skipped; if one start fails, the whole group is stopped right to left and
 *   the operation ends in START_FAILED naming the resource;
 * - stop is right to left; a failed stop is retried every retry interval up to
 *   the retry limit; if it still fails and status says the resource is held,
 *   the group is unstoppable (STOP_FAILED); if status says it is not held the
 *   stop counts as done (a non-LSB-compliant script, logged as a warning);
 * - probe runs status on every resource and reports NONE / SOME / ALL.
 */
#pragma once

#include <glib.h>

#include "agent.h"

G_BEGIN_DECLS

typedef enum
{
  HB_GROUP_OP_START,
  HB_GROUP_OP_STOP,
  HB_GROUP_OP_PROBE,
} HbGroupOpKind;

typedef enum
{
  HB_STEP_RUN,  /* run `action` on resource `index` and report the outcome */
  HB_STEP_WAIT, /* call hb_group_op_next() again at `wake_us` */
  HB_STEP_DONE, /* finished: see hb_group_op_result() */
} HbStepKind;

typedef struct
{
  HbStepKind kind;
  guint index;
  HbAgentAction action;
  gint64 wake_us;
} HbGroupStep;

typedef enum
{
  HB_GROUP_RESULT_OK,           /* start: all held; stop: all released */
  HB_GROUP_RESULT_START_FAILED, /* a start failed; the group was stopped again */
  HB_GROUP_RESULT_STOP_FAILED,  /* a resource could not be stopped and is held */
  HB_GROUP_RESULT_NONE,         /* probe: no resource held */
  HB_GROUP_RESULT_SOME,         /* probe: some held */
  HB_GROUP_RESULT_ALL,          /* probe: all held */
} HbGroupResult;

/* What happened on the way, for logs (each note names the resource index). */
typedef enum
{
  HB_GROUP_NOTE_SKIPPED_RUNNING,  /* start skipped: already running */
  HB_GROUP_NOTE_RETRYING_STOP,    /* "Retrying failed stop operation [r]" */
  HB_GROUP_NOTE_STOP_NOT_LSB,     /* stop failed but status says stopped */
  HB_GROUP_NOTE_START_FAILED,     /* "Giving up resources due to failure of r" */
  HB_GROUP_NOTE_STOP_FAILED,      /* "Resource STOP failure. Reboot required!" */
} HbGroupNoteKind;

typedef struct
{
  HbGroupNoteKind kind;
  guint index;
} HbGroupNote;

typedef struct
{
  guint stop_retries;        /* extra stop attempts after the first (Heartbeat: 10) */
  guint stop_retry_interval_ms; /* Heartbeat: 1000 */
} HbGroupOpParams;

typedef struct _HbGroupOp HbGroupOp;

HbGroupOp *hb_group_op_new (HbGroupOpKind kind, guint n_resources, const HbGroupOpParams *params);
void hb_group_op_free (HbGroupOp *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbGroupOp, hb_group_op_free)

HbGroupOpKind hb_group_op_kind (const HbGroupOp *op);

/* The next step. After HB_STEP_RUN the caller must report before asking again. */
void hb_group_op_next (HbGroupOp *op, gint64 now_us, HbGroupStep *step);

/* Reports the outcome of the last HB_STEP_RUN. Notes produced by it are
 * appended to `notes` (of HbGroupNote, may be NULL). */
void hb_group_op_report (HbGroupOp *op, gint64 now_us, HbAgentOutcome outcome, GArray *notes);

/* Valid once hb_group_op_next() returned HB_STEP_DONE. */
HbGroupResult hb_group_op_result (const HbGroupOp *op);
/* The resource that failed (START_FAILED / STOP_FAILED), else -1. */
gint hb_group_op_failed_index (const HbGroupOp *op);

const char *hb_group_result_to_string (HbGroupResult result);

G_END_DECLS
