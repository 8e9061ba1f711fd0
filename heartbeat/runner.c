/* systole: resource group operations on the main loop (see runner.h). */
#include "runner.h"

#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "agent-child.h"
#include "agent.h"

#define LOG_ENTITY "ResourceManager"

/* A private copy of one resource: the configuration may be swapped meanwhile. */
typedef struct
{
  HbResource res;
  char *path;        /* NULL when the agent cannot be found */
  HbAgentKind kind;
} Item;

typedef struct
{
  HbRunner *runner;
  char *key;
  char *home_node;
  HbGroupOpKind kind;
  GPtrArray *items; /* of Item* */
  HbGroupOp *op;
  HbGroupStep step;
  HbAgentChild *child;
  guint wait_id;
  HbRunnerDoneFunc done;
  gpointer user_data;
} Job;

struct _HbRunner
{
  HbRunnerOptions opts;
  GStrv env;            /* owned copy of opts.env */
  char *resource_dir;
  char *init_dir;
  char *ocf_root;
  GHashTable *queues;   /* group key → GQueue of Job*; head is the running one */
};

static void job_advance (Job *job);

static void
logf_ (HbRunner *runner, int priority, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
logf_ (HbRunner *runner, int priority, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  if (runner->opts.log == NULL)
    return;
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  runner->opts.log (priority, LOG_ENTITY, msg, runner->opts.log_data);
}

static void
item_free (Item *item)
{
  g_free (item->res.spec);
  g_free (item->res.agent);
  g_strfreev (item->res.args);
  g_free (item->path);
  g_free (item);
}

static gboolean
is_executable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && access (path, X_OK) == 0;
}

/* Lookup order of ResourceManager: resource.d, then init.d; ocf:P:T by name. */
static void
item_locate (HbRunner *runner, Item *item)
{
  g_autofree char *provider = NULL, *type = NULL;
  g_autofree char *path = NULL;

  if (hb_agent_parse_ocf_name (item->res.agent, &provider, &type))
    {
      path = g_build_filename (runner->ocf_root, "resource.d", provider, type, NULL);
      item->kind = HB_AGENT_OCF;
    }
  else if (strchr (item->res.agent, '/') == NULL)
    {
      path = g_build_filename (runner->resource_dir, item->res.agent, NULL);
      item->kind = HB_AGENT_HEARTBEAT;
      if (!is_executable (path) && runner->init_dir != NULL)
        {
          g_free (path);
          path = g_build_filename (runner->init_dir, item->res.agent, NULL);
          item->kind = HB_AGENT_LSB;
        }
    }
  if (path != NULL && is_executable (path))
    item->path = g_steal_pointer (&path);
}

static Item *
item_new (HbRunner *runner, const HbResource *res)
{
  Item *item = g_new0 (Item, 1);

  item->res.spec = g_strdup (res->spec);
  item->res.agent = g_strdup (res->agent);
  item->res.args = g_strdupv (res->args);
  item_locate (runner, item);
  return item;
}

static void
job_free (Job *job)
{
  g_clear_handle_id (&job->wait_id, g_source_remove);
  g_clear_pointer (&job->child, hb_agent_child_free);
  g_clear_pointer (&job->op, hb_group_op_free);
  g_ptr_array_unref (job->items);
  g_free (job->key);
  g_free (job->home_node);
  g_free (job);
}

static char *
group_text (const Job *job)
{
  GString *text = g_string_new (job->home_node);

  for (guint i = 0; i < job->items->len; i++)
    {
      const Item *item = g_ptr_array_index (job->items, i);
      g_string_append_printf (text, " %s", item->res.spec);
    }
  return g_string_free (text, FALSE);
}

static GStrv
build_env (HbRunner *runner, const Item *item)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) own = hb_agent_build_env (item->kind, &item->res, runner->ocf_root);

  /* A clean environment: agents see PATH and what the daemon decides, nothing
   * inherited by accident. */
  g_strv_builder_add (builder, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  g_strv_builder_add (builder, "LANG=C");
  g_strv_builder_add (builder, "LC_ALL=C");
  if (runner->env != NULL)
    g_strv_builder_addv (builder, (const char **) runner->env);
  g_strv_builder_addv (builder, (const char **) own);
  return g_strv_builder_end (builder);
}

static void
log_notes (Job *job, GArray *notes)
{
  for (guint i = 0; i < notes->len; i++)
    {
      const HbGroupNote *n = &g_array_index (notes, HbGroupNote, i);
      const char *spec = ((Item *) g_ptr_array_index (job->items, n->index))->res.spec;

      switch (n->kind)
        {
        case HB_GROUP_NOTE_SKIPPED_RUNNING:
          logf_ (job->runner, LOG_INFO, "Resource %s is already running: not started again", spec);
          break;
        case HB_GROUP_NOTE_RETRYING_STOP:
          logf_ (job->runner, LOG_INFO, "Retrying failed stop operation [%s]", spec);
          break;
        case HB_GROUP_NOTE_STOP_NOT_LSB:
          logf_ (job->runner, LOG_WARNING,
                 "Resource %s failed to stop but its status says stopped: probably not "
                 "LSB-compliant",
                 spec);
          break;
        case HB_GROUP_NOTE_START_FAILED:
          /* The takeover logic logs Heartbeat's CRIT line ("Giving up
           * resources due to failure of ..."); this says what happens next. */
          logf_ (job->runner, LOG_ERR, "Start of %s failed: stopping the group again", spec);
          break;
        case HB_GROUP_NOTE_STOP_FAILED:
          logf_ (job->runner, LOG_CRIT, "Resource %s could not be stopped and is still running", spec);
          break;
        }
    }
}

static void
log_stderr (Job *job, const Item *item, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  int prio = LOG_WARNING;

  /* An agent's own log line (ha_log format) was written to the log by the
   * agent when it had a destination; repeating it as a warning would double
   * every line and mislabel it. Anything else on stderr is worth a warning. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      if (!hb_agent_stderr_is_log_line (lines[i], &prio))
        logf_ (job->runner, LOG_WARNING, "%s: %s", item->res.agent, lines[i]);
      else if (!job->runner->opts.agents_log)
        logf_ (job->runner, prio, "%s: %s", item->res.agent, lines[i]);
    }
}

static HbAgentOutcome
judge (Job *job, const Item *item, const HbAgentChildResult *r)
{
  HbAgentAction action = job->step.action;

  if (r->timed_out)
    {
      logf_ (job->runner, LOG_ERR, "%s %s timed out after %u ms: process group killed",
             item->path, hb_agent_action_to_string (action), job->runner->opts.timeout_ms);
      return HB_OUTCOME_TIMEOUT;
    }
  if (r->exit_code < 0)
    logf_ (job->runner, LOG_ERR, "%s %s killed by signal %d", item->path,
           hb_agent_action_to_string (action), r->signal);
  else if (action != HB_AGENT_STATUS && r->exit_code != 0)
    logf_ (job->runner, LOG_ERR, "Return code %d from %s", r->exit_code, item->path);
  return hb_agent_judge (item->kind, action, r->exit_code, r->out_text);
}

static void
report (Job *job, HbAgentOutcome outcome)
{
  g_autoptr (GArray) notes = g_array_new (FALSE, FALSE, sizeof (HbGroupNote));

  hb_group_op_report (job->op, g_get_monotonic_time (), outcome, notes);
  log_notes (job, notes);
}

static void
on_child_done (const HbAgentChildResult *r, gpointer data)
{
  Job *job = data;
  const Item *item = g_ptr_array_index (job->items, job->step.index);
  HbAgentOutcome outcome;

  if (r->err_text[0] != '\0')
    log_stderr (job, item, r->err_text);
  outcome = judge (job, item, r);
  g_clear_pointer (&job->child, hb_agent_child_free);
  report (job, outcome);
  job_advance (job);
}

/* An agent that cannot be found: starting it fails; it cannot be running, so
 * stop succeeds and status says stopped (never a reason to fence a node). */
static HbAgentOutcome
missing_agent_outcome (Job *job, const Item *item)
{
  logf_ (job->runner, LOG_ERR, "Cannot locate resource script %s", item->res.agent);
  switch (job->step.action)
    {
    case HB_AGENT_START:
      return HB_OUTCOME_FAILURE;
    case HB_AGENT_STOP:
      return HB_OUTCOME_SUCCESS;
    case HB_AGENT_STATUS:
      break;
    }
  return HB_OUTCOME_STOPPED;
}

static gboolean
job_spawn (Job *job)
{
  HbRunner *runner = job->runner;
  const Item *item = g_ptr_array_index (job->items, job->step.index);
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) envp = NULL;
  g_autofree char *cmdline = NULL;
  g_autoptr (GError) error = NULL;

  if (item->path == NULL)
    {
      report (job, missing_agent_outcome (job, item));
      return FALSE;
    }
  argv = hb_agent_build_argv (item->kind, item->path, &item->res, job->step.action);
  envp = build_env (runner, item);
  cmdline = g_strjoinv (" ", argv);
  logf_ (runner, job->step.action == HB_AGENT_STATUS ? LOG_DEBUG : LOG_INFO, "Running %s", cmdline);
  job->child = hb_agent_child_spawn ((const char *const *) argv, (const char *const *) envp,
                                     runner->opts.timeout_ms, runner->opts.kill_grace_ms,
                                     on_child_done, job, &error);
  if (job->child == NULL)
    {
      logf_ (runner, LOG_ERR, "Cannot run %s: %s", item->path, error->message);
      report (job, HB_OUTCOME_FAILURE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
on_wait_over (gpointer data)
{
  Job *job = data;

  job->wait_id = 0;
  job_advance (job);
  return G_SOURCE_REMOVE;
}

static void start_next (HbRunner *runner, const char *key);

static void
job_finish (Job *job)
{
  HbRunner *runner = job->runner;
  GQueue *queue = g_hash_table_lookup (runner->queues, job->key);
  HbGroupResult result = hb_group_op_result (job->op);
  gint failed = hb_group_op_failed_index (job->op);
  g_autofree char *key = g_strdup (job->key);
  g_autofree char *failed_spec = NULL;

  if (failed >= 0)
    failed_spec = g_strdup (((Item *) g_ptr_array_index (job->items, failed))->res.spec);
  /* The job stays at the head while `done` runs, so that work it submits for
   * this group queues behind it instead of starting twice. */
  if (job->done != NULL)
    job->done (key, job->kind, result, failed_spec, job->user_data);
  g_queue_pop_head (queue);
  job_free (job);
  start_next (runner, key);
}

static void
job_advance (Job *job)
{
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      hb_group_op_next (job->op, now, &job->step);
      switch (job->step.kind)
        {
        case HB_STEP_RUN:
          if (job_spawn (job))
            return;
          continue; /* reported synchronously (missing agent, spawn error) */
        case HB_STEP_WAIT:
          job->wait_id = g_timeout_add ((guint) MAX (1, (job->step.wake_us - now + 999) / 1000),
                                        on_wait_over, job);
          return;
        case HB_STEP_DONE:
          job_finish (job);
          return;
        }
    }
}

static void
job_begin (Job *job)
{
  g_autofree char *text = group_text (job);
  static const char *const verbs[] = {
    [HB_GROUP_OP_START] = "Acquiring resource group: %s",
    [HB_GROUP_OP_STOP] = "Releasing resource group: %s",
    [HB_GROUP_OP_PROBE] = "Checking status of resource group: %s",
  };

  logf_ (job->runner, job->kind == HB_GROUP_OP_PROBE ? LOG_DEBUG : LOG_INFO, verbs[job->kind], text);
  job_advance (job);
}

static gboolean
on_begin (gpointer data)
{
  Job *job = data;

  job->wait_id = 0;
  job_begin (job);
  return G_SOURCE_REMOVE;
}

/* Work always starts from the main loop, never inside hb_runner_submit() or a
 * done callback: callers can rely on `done` never running before they return. */
static void
schedule_begin (Job *job)
{
  job->wait_id = g_idle_add (on_begin, job);
}

static void
start_next (HbRunner *runner, const char *key)
{
  GQueue *queue = g_hash_table_lookup (runner->queues, key);

  if (queue == NULL)
    return;
  if (g_queue_is_empty (queue))
    {
      g_hash_table_remove (runner->queues, key);
      return;
    }
  schedule_begin (g_queue_peek_head (queue));
}

static void
queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) job_free);
}

HbRunner *
hb_runner_new (const HbRunnerOptions *options)
{
  HbRunner *runner = g_new0 (HbRunner, 1);

  runner->opts = *options;
  if (runner->opts.timeout_ms == 0)
    runner->opts.timeout_ms = HB_RUNNER_DEFAULT_TIMEOUT_MS;
  if (runner->opts.kill_grace_ms == 0)
    runner->opts.kill_grace_ms = HB_RUNNER_DEFAULT_GRACE_MS;
  runner->env = g_strdupv ((char **) options->env);
  runner->opts.env = NULL;
  runner->resource_dir = g_strdup (options->resource_dir);
  runner->init_dir = g_strdup (options->init_dir);
  runner->ocf_root = g_strdup (options->ocf_root);
  runner->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) queue_free);
  return runner;
}

void
hb_runner_free (HbRunner *runner)
{
  if (runner == NULL)
    return;
  g_hash_table_unref (runner->queues);
  g_strfreev (runner->env);
  g_free (runner->resource_dir);
  g_free (runner->init_dir);
  g_free (runner->ocf_root);
  g_free (runner);
}

void
hb_runner_submit (HbRunner *runner, const HbResourceGroup *group, HbGroupOpKind kind,
                  HbRunnerDoneFunc done, gpointer user_data)
{
  Job *job = g_new0 (Job, 1);
  GQueue *queue;
  HbGroupOpParams params = { runner->opts.stop_retries, runner->opts.stop_retry_interval_ms };

  job->runner = runner;
  job->key = g_strdup (group->key);
  job->home_node = g_strdup (group->home_node);
  job->kind = kind;
  job->done = done;
  job->user_data = user_data;
  job->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  for (guint i = 0; i < group->resources->len; i++)
    g_ptr_array_add (job->items, item_new (runner, g_ptr_array_index (group->resources, i)));
  job->op = hb_group_op_new (kind, job->items->len, &params);

  queue = g_hash_table_lookup (runner->queues, group->key);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (runner->queues, g_strdup (group->key), queue);
    }
  g_queue_push_tail (queue, job);
  if (g_queue_get_length (queue) == 1)
    schedule_begin (job);
}

gboolean
hb_runner_group_busy (HbRunner *runner, const char *group_key)
{
  return g_hash_table_contains (runner->queues, group_key);
}

guint
hb_runner_busy_groups (HbRunner *runner)
{
  return g_hash_table_size (runner->queues);
}
