/* Unit tests for lib/groupop: the order of agent runs for group operations.
 *
 * Each scenario feeds outcomes in order and checks the trace of steps:
 * "S2" = status of resource 2, "A2" = start, "P2" = stop, "W" = wait. */
#include <glib.h>

#include "groupop.h"

typedef struct
{
  const char *name;
  HbGroupOpKind kind;
  guint n;
  const char *outcomes; /* r=running s=stopped k=success f=failure t=timeout */
  const char *trace;
  HbGroupResult result;
  gint failed;
  const char *notes;    /* K=skipped R=retry L=not-lsb G=start failed X=stop failed */
} Scenario;

static const Scenario scenarios[] = {
  { "start-all", HB_GROUP_OP_START, 2, "sksk", "S0 A0 S1 A1", HB_GROUP_RESULT_OK, -1, "" },
  { "start-skips-running", HB_GROUP_OP_START, 3, "rsk" "r", "S0 S1 A1 S2", HB_GROUP_RESULT_OK, -1, "KK" },
  { "start-empty-group", HB_GROUP_OP_START, 0, "", "", HB_GROUP_RESULT_OK, -1, "" },
  { "start-status-failure-still-starts", HB_GROUP_OP_START, 1, "fk", "S0 A0", HB_GROUP_RESULT_OK, -1, "" },
  { "start-fails-rolls-back-right-to-left", HB_GROUP_OP_START, 3, "sksksfkkk",
    "S0 A0 S1 A1 S2 A2 P2 P1 P0", HB_GROUP_RESULT_START_FAILED, 2, "G" },
  { "start-timeout-rolls-back", HB_GROUP_OP_START, 2, "stk", "S0 A0 P0", HB_GROUP_RESULT_START_FAILED, 0, "G" },
  { "stop-right-to-left", HB_GROUP_OP_STOP, 3, "kkk", "P2 P1 P0", HB_GROUP_RESULT_OK, -1, "" },
  { "stop-retry-then-ok", HB_GROUP_OP_STOP, 2, "kfk", "P1 P0 W P0", HB_GROUP_RESULT_OK, -1, "R" },
  { "stop-gives-up-status-stopped", HB_GROUP_OP_STOP, 1, "fffs", "P0 W P0 W P0 S0", HB_GROUP_RESULT_OK, -1, "RRL" },
  { "stop-gives-up-status-running", HB_GROUP_OP_STOP, 2, "fffr", "P1 W P1 W P1 S1",
    HB_GROUP_RESULT_STOP_FAILED, 1, "RRX" },
  { "stop-gives-up-status-unknown", HB_GROUP_OP_STOP, 1, "ffff", "P0 W P0 W P0 S0",
    HB_GROUP_RESULT_STOP_FAILED, 0, "RRX" },
  { "rollback-stop-fails", HB_GROUP_OP_START, 1, "sffffr", "S0 A0 P0 W P0 W P0 S0",
    HB_GROUP_RESULT_STOP_FAILED, 0, "GRRX" },
  { "probe-none", HB_GROUP_OP_PROBE, 2, "ss", "S0 S1", HB_GROUP_RESULT_NONE, -1, "" },
  { "probe-all", HB_GROUP_OP_PROBE, 2, "rr", "S0 S1", HB_GROUP_RESULT_ALL, -1, "" },
  { "probe-some", HB_GROUP_OP_PROBE, 3, "srs", "S0 S1 S2", HB_GROUP_RESULT_SOME, -1, "" },
  { "probe-unknown-counts-as-held", HB_GROUP_OP_PROBE, 2, "fs", "S0 S1", HB_GROUP_RESULT_SOME, -1, "" },
};

static HbAgentOutcome
outcome_of (char c)
{
  switch (c)
    {
    case 'r': return HB_OUTCOME_RUNNING;
    case 's': return HB_OUTCOME_STOPPED;
    case 'k': return HB_OUTCOME_SUCCESS;
    case 't': return HB_OUTCOME_TIMEOUT;
    default: return HB_OUTCOME_FAILURE;
    }
}

static char
note_letter (HbGroupNoteKind kind)
{
  static const char letters[] = { [HB_GROUP_NOTE_SKIPPED_RUNNING] = 'K', [HB_GROUP_NOTE_RETRYING_STOP] = 'R',
                                  [HB_GROUP_NOTE_STOP_NOT_LSB] = 'L', [HB_GROUP_NOTE_START_FAILED] = 'G',
                                  [HB_GROUP_NOTE_STOP_FAILED] = 'X' };
  return letters[kind];
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *sc = data;
  HbGroupOpParams params = { .stop_retries = 2, .stop_retry_interval_ms = 1000 };
  g_autoptr (HbGroupOp) op = hb_group_op_new (sc->kind, sc->n, &params);
  g_autoptr (GArray) notes = g_array_new (FALSE, FALSE, sizeof (HbGroupNote));
  g_autoptr (GString) trace = g_string_new (NULL);
  g_autoptr (GString) note_text = g_string_new (NULL);
  const char *feed = sc->outcomes;
  gint64 now = 1000000;
  HbGroupStep step;

  for (guint guard = 0; guard < 100; guard++)
    {
      hb_group_op_next (op, now, &step);
      if (step.kind == HB_STEP_DONE)
        break;
      if (trace->len > 0)
        g_string_append_c (trace, ' ');
      if (step.kind == HB_STEP_WAIT)
        {
          g_assert_cmpint (step.wake_us, ==, now + 1000000);
          hb_group_op_next (op, now + 999999, &step); /* too early: still waiting */
          g_assert_cmpint (step.kind, ==, HB_STEP_WAIT);
          g_string_append_c (trace, 'W');
          now = step.wake_us;
          continue;
        }
      g_string_append_printf (trace, "%c%u", "APS"[step.action], step.index);
      g_assert_cmpint (*feed, !=, '\0');
      hb_group_op_report (op, now, outcome_of (*feed++), notes);
    }
  g_assert_cmpint (step.kind, ==, HB_STEP_DONE);
  g_assert_cmpstr (trace->str, ==, sc->trace);
  g_assert_cmpstr (feed, ==, "");
  g_assert_cmpint (hb_group_op_result (op), ==, sc->result);
  g_assert_cmpint (hb_group_op_failed_index (op), ==, sc->failed);
  for (guint i = 0; i < notes->len; i++)
    g_string_append_c (note_text, note_letter (g_array_index (notes, HbGroupNote, i).kind));
  g_assert_cmpstr (note_text->str, ==, sc->notes);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/groupop/%s", scenarios[i].name);
      g_test_add_data_func (path, &scenarios[i], test_scenario);
    }
  return g_test_run ();
}
