/* systole: the runner side of resource management (see daemon-rsc.h): the
 * groups as copied at start, agent runs submitted for the takeover engine's
 * group actions, their results reported back, and what the two modules'
 * contracts leave to the glue (a partly running group found at startup, the
 * stop the runner already did after a failed start). */
#include <string.h>

#include "daemon-private.h"
#include "daemon-rsc-private.h"

#define DEFAULT_STOP_RETRIES 10
#define DEFAULT_STOP_RETRY_DELAY_MS 1000

/* ---- copies of the groups ------------------------------------------------------------ */

static void
resource_free (HbResource *res)
{
  g_free (res->spec);
  g_free (res->agent);
  g_strfreev (res->args);
  g_free (res);
}

void
hb_resmgr_group_free (HbResourceGroup *group)
{
  g_free (group->home_node);
  g_free (group->key);
  g_ptr_array_unref (group->resources);
  g_free (group);
}

HbResourceGroup *
hb_resmgr_group_copy (const HbResourceGroup *src)
{
  HbResourceGroup *group = g_new0 (HbResourceGroup, 1);

  group->home_node = g_strdup (src->home_node);
  group->key = g_strdup (src->key);
  group->line = src->line;
  group->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) resource_free);
  for (guint i = 0; i < src->resources->len; i++)
    {
      const HbResource *r = g_ptr_array_index (src->resources, i);
      HbResource *copy = g_new0 (HbResource, 1);

      copy->spec = g_strdup (r->spec);
      copy->agent = g_strdup (r->agent);
      copy->args = g_strdupv (r->args);
      g_ptr_array_add (group->resources, copy);
    }
  return group;
}

const HbResourceGroup *
hb_resmgr_find_group (HbResMgr *rsc, const char *key)
{
  for (guint i = 0; i < rsc->groups->len; i++)
    {
      const HbResourceGroup *g = g_ptr_array_index (rsc->groups, i);
      if (strcmp (g->key, key) == 0)
        {
          return g;
        }
    }
  return NULL;
}

/* ---- the runner ------------------------------------------------------------------------- */

static void
runner_log (int priority, const char *entity, const char *message, gpointer user_data)
{
  (void) entity, (void) user_data;
  /* syslog priorities and HbLogPrio share their numbers. */
  hb_log ((HbLogPrio) CLAMP (priority, HB_LOG_EMERG, HB_LOG_DEBUG), "%s", message);
}

static void on_group_done (const char *key, HbGroupOpKind kind, HbGroupResult result,
                           const char *failed_resource, gpointer user_data);

static void
submit (HbResMgr *rsc, const char *key, HbGroupOpKind kind)
{
  const HbResourceGroup *group = hb_resmgr_find_group (rsc, key);

  if (group == NULL)
    {
      hb_log (HB_LOG_ERR, "Resource group %s is not in haresources", key);
      return;
    }
  hb_runner_submit (rsc->runner, group, kind, on_group_done, rsc);
}

static gboolean
report_result (HbResMgr *rsc, const char *key, HbGroupOpKind kind, HbGroupResult result,
               const char *failed_resource, GPtrArray *acts, GError **error)
{
  gint64 now = g_get_monotonic_time ();
  gboolean ok = result == HB_GROUP_RESULT_OK;

  if (kind == HB_GROUP_OP_START)
    {
      return hb_takeover_group_started (rsc->engine, now, key, ok, failed_resource, acts, error);
    }
  if (kind == HB_GROUP_OP_STOP && g_hash_table_remove (rsc->cleanup, key))
    {
      /* The partly running group found at startup is down: report it stopped
       * (or running, when it could not be stopped: the engine then decides). */
      return hb_takeover_group_probed (rsc->engine, now, key, !ok, acts, error);
    }
  if (kind == HB_GROUP_OP_STOP)
    {
      return hb_takeover_group_stopped (rsc->engine, now, key, ok, acts, error);
    }
  return hb_takeover_group_probed (rsc->engine, now, key, result == HB_GROUP_RESULT_ALL, acts, error);
}

static void
on_group_done (const char *key, HbGroupOpKind kind, HbGroupResult result,
               const char *failed_resource, gpointer user_data)
{
  HbResMgr *rsc = user_data;
  g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();
  g_autoptr (GError) error = NULL;

  if (kind == HB_GROUP_OP_PROBE && result == HB_GROUP_RESULT_SOME)
    {
      /* Restart reconciliation: a group half up is brought down in order
       * first, so that whoever gets it starts it whole. */
      hb_log (HB_LOG_WARNING, "Resource group %s is partly running at startup: stopping it first", key);
      g_hash_table_add (rsc->cleanup, g_strdup (key));
      submit (rsc, key, HB_GROUP_OP_STOP);
      return;
    }
  hb_log (HB_LOG_DEBUG, "Resource group %s: %s", key, hb_group_result_to_string (result));
  if (kind == HB_GROUP_OP_START && result == HB_GROUP_RESULT_OK)
    {
      hb_resmgr_log_takeover_time (rsc, key);
    }
  else if (kind == HB_GROUP_OP_START)
    {
      /* The runner already stopped the group right to left (lib/groupop.h);
       * the engine will ask for that stop: it gets this outcome. */
      g_hash_table_insert (rsc->rolled_back, g_strdup (key),
                           GINT_TO_POINTER ((result == HB_GROUP_RESULT_START_FAILED) + 1));
    }
  if (!report_result (rsc, key, kind, result, failed_resource, acts, &error))
    {
      hb_log (HB_LOG_ERR, "Resource group %s: %s", key, error->message);
    }
  hb_resmgr_execute (rsc, acts);
}

static gboolean
on_answers (gpointer user_data)
{
  HbResMgr *rsc = user_data;
  g_autoptr (GHashTable) answers = g_steal_pointer (&rsc->answers);
  GHashTableIter iter;
  gpointer key, value;

  rsc->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_clear_pointer (&rsc->answer_source, g_source_unref);
  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();
      g_autoptr (GError) error = NULL;

      if (!hb_takeover_group_stopped (rsc->engine, g_get_monotonic_time (), key,
                                      GPOINTER_TO_INT (value) - 1, acts, &error))
        {
          hb_log (HB_LOG_ERR, "Resource group %s: %s", (const char *) key, error->message);
        }
      hb_resmgr_execute (rsc, acts);
    }
  return G_SOURCE_REMOVE;
}

/* A stop the runner just did while rolling back a failed start is not run
 * twice (the retries of an unstoppable resource would double); its outcome
 * is reported from the main loop, as a runner result would be. */
static gboolean
answer_known_stop (HbResMgr *rsc, const char *key)
{
  gpointer stolen_key, value;

  if (!g_hash_table_steal_extended (rsc->rolled_back, key, &stolen_key, &value))
    {
      return FALSE;
    }
  g_hash_table_insert (rsc->answers, stolen_key, value);
  if (rsc->answer_source == NULL)
    {
      rsc->answer_source = g_idle_source_new ();
      g_source_set_callback (rsc->answer_source, on_answers, rsc, NULL);
      g_source_attach (rsc->answer_source, NULL);
    }
  return TRUE;
}

void
hb_resmgr_act_group (HbResMgr *rsc, const HbTakeoverAction *a)
{
  static const HbGroupOpKind kinds[] = {
    [HB_TAKEOVER_START_GROUP] = HB_GROUP_OP_START,
    [HB_TAKEOVER_STOP_GROUP] = HB_GROUP_OP_STOP,
    [HB_TAKEOVER_PROBE_GROUP] = HB_GROUP_OP_PROBE,
  };

  if (a->type == HB_TAKEOVER_STOP_GROUP && answer_known_stop (rsc, a->group))
    {
      return;
    }
  g_hash_table_remove (rsc->rolled_back, a->group);
  submit (rsc, a->group, kinds[a->type]);
}

/* ---- reload ------------------------------------------------------------------------------ */

static char *
groups_signature (GPtrArray *groups)
{
  g_autoptr (GString) sig = g_string_new (NULL);

  for (guint i = 0; i < groups->len; i++)
    {
      const HbResourceGroup *g = g_ptr_array_index (groups, i);
      g_string_append_printf (sig, "%s:", g->home_node);
      for (guint j = 0; j < g->resources->len; j++)
        {
          g_string_append_printf (sig, " %s", ((const HbResource *) g_ptr_array_index (g->resources, j))->spec);
        }
      g_string_append_c (sig, '\n');
    }
  return g_string_free (g_steal_pointer (&sig), FALSE);
}

/* The engine and the runner keep the groups they started with: moving groups
 * under a running cluster is a restart (as in Heartbeat, whose
 * ResourceManager reads haresources once per operation but whose daemon
 * keeps its group list). Say so instead of half-applying it. */
void
hb_resmgr_reload (HbResMgr *rsc, const HbConfig *config)
{
  g_autofree char *old_sig = groups_signature (rsc->groups);
  g_autofree char *new_sig = groups_signature (config->groups);

  if (strcmp (old_sig, new_sig) != 0)
    {
      hb_log (HB_LOG_WARNING, "haresources changed: the new resource groups take effect when "
              "heartbeat restarts");
    }
}

/* ---- the runner's options -------------------------------------------------------------- */

/* Agents in CONFDIR/resource.d, then the init dir (docs/PROTOCOL.md,
 * "haresources"), Heartbeat's stop retries unless overridden, the HA_*
 * environment. */
HbRunner *
hb_resmgr_runner_new (HbResMgr *rsc, const HbRscOptions *o, const char *rsctmp)
{
  HbDaemon *daemon = rsc->daemon;
  g_autofree char *resource_dir = g_build_filename (daemon->config->confdir, "resource.d", NULL);
  const char *logfile = daemon->logfile != NULL ? daemon->logfile : daemon->config->logfile;
  g_auto (GStrv) env = hb_resmgr_agent_env (daemon->config, logfile, rsctmp,
                                         hb_logger_get_debug (daemon->options.logger));
  HbRunnerOptions ro = {
    .resource_dir = resource_dir,
    .init_dir = o->init_dir != NULL ? o->init_dir : HB_INITDIR,
    .ocf_root = o->ocf_root != NULL ? o->ocf_root : HB_OCFDIR,
    .timeout_ms = o->agent_timeout_ms,
    .stop_retries = o->stop_retries >= 0 ? (guint) o->stop_retries : DEFAULT_STOP_RETRIES,
    .stop_retry_interval_ms = o->stop_retry_delay_ms > 0 ? o->stop_retry_delay_ms
                                                          : DEFAULT_STOP_RETRY_DELAY_MS,
    .env = (const char *const *) env,
    .agents_log = logfile != NULL || daemon->config->logfacility != NULL,
    .log = runner_log,
  };

  return hb_runner_new (&ro);
}

