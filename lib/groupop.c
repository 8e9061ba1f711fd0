/* systole: order of agent runs for one group operation (see groupop.h). */
#include "groupop.h"

typedef enum
{
  PHASE_START_CHECK, /* status before start: skip what already runs */
  PHASE_START_DO,
  PHASE_STOP_DO,
  PHASE_STOP_WAIT,   /* between stop retries */
  PHASE_STOP_VERIFY, /* stop gave up: does status still say held? */
  PHASE_PROBE,
  PHASE_DONE,
} Phase;

struct _HbGroupOp
{
  HbGroupOpKind kind;
  HbGroupOpParams params;
  guint n;
  Phase phase;
  gint cursor;          /* resource index; stop walks down to -1 */
  guint stop_attempts;  /* failed attempts on the current resource */
  gint64 wake_us;
  guint held;           /* probe: resources reporting held (or unknown) */
  gboolean awaiting;    /* a RUN step was handed out and not reported yet */
  HbGroupResult result;
  HbGroupResult stop_result; /* what a finished stop sequence means (OK or START_FAILED) */
  gint failed_index;
};

HbGroupOp *
hb_group_op_new (HbGroupOpKind kind, guint n_resources, const HbGroupOpParams *params)
{
  HbGroupOp *op = g_new0 (HbGroupOp, 1);

  op->kind = kind;
  op->params = *params;
  op->n = n_resources;
  op->failed_index = -1;
  op->stop_result = HB_GROUP_RESULT_OK;
  switch (kind)
    {
    case HB_GROUP_OP_START:
      op->phase = PHASE_START_CHECK;
      op->cursor = 0;
      break;
    case HB_GROUP_OP_STOP:
      op->phase = PHASE_STOP_DO;
      op->cursor = (gint) n_resources - 1;
      break;
    case HB_GROUP_OP_PROBE:
      op->phase = PHASE_PROBE;
      op->cursor = 0;
      break;
    }
  return op;
}

void
hb_group_op_free (HbGroupOp *op)
{
  g_free (op);
}

HbGroupOpKind
hb_group_op_kind (const HbGroupOp *op)
{
  return op->kind;
}

static void
finish (HbGroupOp *op, HbGroupResult result)
{
  op->phase = PHASE_DONE;
  op->result = result;
}

static void
run (HbGroupOp *op, HbGroupStep *step, HbAgentAction action)
{
  step->kind = HB_STEP_RUN;
  step->index = (guint) op->cursor;
  step->action = action;
  op->awaiting = TRUE;
}

static HbGroupResult
probe_result (const HbGroupOp *op)
{
  if (op->held == 0)
    return HB_GROUP_RESULT_NONE;
  return op->held == op->n ? HB_GROUP_RESULT_ALL : HB_GROUP_RESULT_SOME;
}

void
hb_group_op_next (HbGroupOp *op, gint64 now_us, HbGroupStep *step)
{
  g_return_if_fail (!op->awaiting);

  *step = (HbGroupStep){ .kind = HB_STEP_DONE };
  if (op->phase == PHASE_STOP_WAIT)
    {
      if (now_us < op->wake_us)
        {
          step->kind = HB_STEP_WAIT;
          step->wake_us = op->wake_us;
          return;
        }
      op->phase = PHASE_STOP_DO;
    }
  switch (op->phase)
    {
    case PHASE_START_CHECK:
    case PHASE_START_DO:
      if (op->cursor >= (gint) op->n)
        {
          finish (op, HB_GROUP_RESULT_OK);
          return;
        }
      run (op, step, op->phase == PHASE_START_CHECK ? HB_AGENT_STATUS : HB_AGENT_START);
      return;
    case PHASE_STOP_DO:
      if (op->cursor < 0)
        {
          finish (op, op->stop_result);
          return;
        }
      run (op, step, HB_AGENT_STOP);
      return;
    case PHASE_STOP_VERIFY:
      run (op, step, HB_AGENT_STATUS);
      return;
    case PHASE_PROBE:
      if (op->cursor >= (gint) op->n)
        {
          finish (op, probe_result (op));
          return;
        }
      run (op, step, HB_AGENT_STATUS);
      return;
    case PHASE_STOP_WAIT:
    case PHASE_DONE:
      break;
    }
}

static void
note (GArray *notes, HbGroupNoteKind kind, gint index)
{
  HbGroupNote n = { kind, (guint) index };

  if (notes != NULL)
    g_array_append_val (notes, n);
}

/* Start failed on the current resource: stop it and everything left of it. */
static void
begin_rollback (HbGroupOp *op, GArray *notes)
{
  note (notes, HB_GROUP_NOTE_START_FAILED, op->cursor);
  op->failed_index = op->cursor;
  op->stop_result = HB_GROUP_RESULT_START_FAILED;
  op->stop_attempts = 0;
  op->phase = PHASE_STOP_DO;
}

static void
report_start (HbGroupOp *op, HbAgentOutcome outcome, GArray *notes)
{
  if (op->phase == PHASE_START_CHECK)
    {
      if (outcome == HB_OUTCOME_RUNNING)
        {
          note (notes, HB_GROUP_NOTE_SKIPPED_RUNNING, op->cursor);
          op->cursor++;
        }
      else
        op->phase = PHASE_START_DO;
      return;
    }
  if (outcome == HB_OUTCOME_SUCCESS)
    {
      op->phase = PHASE_START_CHECK;
      op->cursor++;
      return;
    }
  begin_rollback (op, notes);
}

static void
report_stop (HbGroupOp *op, gint64 now_us, HbAgentOutcome outcome, GArray *notes)
{
  if (outcome == HB_OUTCOME_SUCCESS)
    {
      op->cursor--;
      op->stop_attempts = 0;
      return;
    }
  if (op->stop_attempts < op->params.stop_retries)
    {
      op->stop_attempts++;
      note (notes, HB_GROUP_NOTE_RETRYING_STOP, op->cursor);
      op->phase = PHASE_STOP_WAIT;
      op->wake_us = now_us + (gint64) op->params.stop_retry_interval_ms * 1000;
      return;
    }
  op->phase = PHASE_STOP_VERIFY;
}

static void
report_stop_verify (HbGroupOp *op, HbAgentOutcome outcome, GArray *notes)
{
  if (outcome == HB_OUTCOME_STOPPED)
    {
      /* Heartbeat: "probably not LSB-compliant ... reboot narrowly avoided". */
      note (notes, HB_GROUP_NOTE_STOP_NOT_LSB, op->cursor);
      op->cursor--;
      op->stop_attempts = 0;
      op->phase = PHASE_STOP_DO;
      return;
    }
  note (notes, HB_GROUP_NOTE_STOP_FAILED, op->cursor);
  op->failed_index = op->cursor;
  finish (op, HB_GROUP_RESULT_STOP_FAILED);
}

void
hb_group_op_report (HbGroupOp *op, gint64 now_us, HbAgentOutcome outcome, GArray *notes)
{
  g_return_if_fail (op->awaiting);

  op->awaiting = FALSE;
  switch (op->phase)
    {
    case PHASE_START_CHECK:
    case PHASE_START_DO:
      report_start (op, outcome, notes);
      break;
    case PHASE_STOP_DO:
      report_stop (op, now_us, outcome, notes);
      break;
    case PHASE_STOP_VERIFY:
      report_stop_verify (op, outcome, notes);
      break;
    case PHASE_PROBE:
      /* A status that cannot tell counts as held: at startup it is safer to
       * stop a group that may run than to start it a second time elsewhere. */
      if (outcome != HB_OUTCOME_STOPPED)
        op->held++;
      op->cursor++;
      break;
    case PHASE_STOP_WAIT:
    case PHASE_DONE:
      break;
    }
}

HbGroupResult
hb_group_op_result (const HbGroupOp *op)
{
  return op->result;
}

gint
hb_group_op_failed_index (const HbGroupOp *op)
{
  return op->failed_index;
}

const char *
hb_group_result_to_string (HbGroupResult result)
{
  static const char *const names[] = {
    [HB_GROUP_RESULT_OK] = "ok",
    [HB_GROUP_RESULT_START_FAILED] = "start failed",
    [HB_GROUP_RESULT_STOP_FAILED] = "stop failed",
    [HB_GROUP_RESULT_NONE] = "NONE",
    [HB_GROUP_RESULT_SOME] = "SOME",
    [HB_GROUP_RESULT_ALL] = "ALL",
  };
  return names[result];
}
