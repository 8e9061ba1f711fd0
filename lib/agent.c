/* systole: resource agent conventions (see agent.h). */
#include "agent.h"

#include <string.h>
#include <syslog.h>

static const char *const action_names[] = {
  [HB_AGENT_START] = "start",
  [HB_AGENT_STOP] = "stop",
  [HB_AGENT_STATUS] = "status",
};

static const char *const outcome_names[] = {
  [HB_OUTCOME_SUCCESS] = "success", [HB_OUTCOME_FAILURE] = "failure",
  [HB_OUTCOME_RUNNING] = "running", [HB_OUTCOME_STOPPED] = "stopped",
  [HB_OUTCOME_TIMEOUT] = "timeout",
};

static const char *const kind_names[] = {
  [HB_AGENT_HEARTBEAT] = "heartbeat",
  [HB_AGENT_LSB] = "lsb",
  [HB_AGENT_OCF] = "ocf",
};

/* OCF exit codes (OCF RA API 1.0). */
enum
{
  OCF_SUCCESS = 0,
  OCF_NOT_RUNNING = 7,
};

/* LSB status exit codes: 0 running, 1 dead with pidfile, 2 dead with lock, 3 not running. */
enum
{
  LSB_STATUS_RUNNING = 0,
  LSB_STATUS_LAST_STOPPED = 3,
};

const char *
hb_agent_action_to_string (HbAgentAction action)
{
  return action_names[action];
}

const char *
hb_agent_outcome_to_string (HbAgentOutcome outcome)
{
  return outcome_names[outcome];
}

const char *
hb_agent_kind_to_string (HbAgentKind kind)
{
  return kind_names[kind];
}

gboolean
hb_agent_parse_ocf_name (const char *agent, char **provider, char **type)
{
  g_auto (GStrv) parts = NULL;

  if (!g_str_has_prefix (agent, "ocf:"))
    return FALSE;
  parts = g_strsplit (agent, ":", -1);
  if (g_strv_length (parts) != 3 || parts[1][0] == '\0' || parts[2][0] == '\0')
    return FALSE;
  if (provider != NULL)
    *provider = g_strdup (parts[1]);
  if (type != NULL)
    *type = g_strdup (parts[2]);
  return TRUE;
}

/* OCF uses "monitor" where Heartbeat and LSB say "status". */
static const char *
action_word (HbAgentKind kind, HbAgentAction action)
{
  if (kind == HB_AGENT_OCF && action == HB_AGENT_STATUS)
    return "monitor";
  return action_names[action];
}

GStrv
hb_agent_build_argv (HbAgentKind kind, const char *path, const HbResource *resource,
                     HbAgentAction action)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, path);
  if (kind != HB_AGENT_OCF && resource->args != NULL)
    g_strv_builder_addv (builder, (const char **) resource->args);
  g_strv_builder_add (builder, action_word (kind, action));
  return g_strv_builder_end (builder);
}

/* An OCF instance name must be usable in file names: keep [A-Za-z0-9_.-]. */
static char *
ocf_instance_name (const HbResource *resource)
{
  char *name = g_strdup (resource->spec);

  g_strcanon (name, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "_.-", '_');
  return name;
}

static void
add_printf (GStrvBuilder *builder, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
add_printf (GStrvBuilder *builder, const char *fmt, ...)
{
  g_autofree char *text = NULL;
  va_list ap;

  va_start (ap, fmt);
  text = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_strv_builder_add (builder, text);
}

GStrv
hb_agent_build_env (HbAgentKind kind, const HbResource *resource, const char *ocf_root)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *instance = NULL;

  if (kind != HB_AGENT_OCF)
    return g_strv_builder_end (builder);
  instance = ocf_instance_name (resource);
  add_printf (builder, "OCF_ROOT=%s", ocf_root);
  add_printf (builder, "OCF_RESOURCE_INSTANCE=%s", instance);
  for (guint i = 0; resource->args != NULL && resource->args[i] != NULL; i++)
    {
      const char *eq = strchr (resource->args[i], '=');

      if (eq == NULL || eq == resource->args[i])
        continue; /* rejected by configuration validation; never guess a name */
      add_printf (builder, "OCF_RESKEY_%s", resource->args[i]);
    }
  return g_strv_builder_end (builder);
}

gboolean
hb_agent_status_text_says_running (const char *text)
{
  g_autofree char *lower = NULL;
  const char *not_at;

  if (text == NULL)
    return FALSE;
  lower = g_ascii_strdown (text, -1);
  /* "not running", "is not currently running": Heartbeat's `not.*running` test. */
  not_at = strstr (lower, "not");
  if (not_at != NULL && strstr (not_at, "running") != NULL)
    return FALSE;
  return strstr (lower, "running") != NULL || strstr (text, "OK") != NULL;
}

static HbAgentOutcome
judge_status (HbAgentKind kind, int exit_code, const char *stdout_text)
{
  switch (kind)
    {
    case HB_AGENT_HEARTBEAT:
      return hb_agent_status_text_says_running (stdout_text) ? HB_OUTCOME_RUNNING
                                                             : HB_OUTCOME_STOPPED;
    case HB_AGENT_LSB:
      if (exit_code == LSB_STATUS_RUNNING)
        return HB_OUTCOME_RUNNING;
      if (exit_code > LSB_STATUS_RUNNING && exit_code <= LSB_STATUS_LAST_STOPPED)
        return HB_OUTCOME_STOPPED;
      return HB_OUTCOME_FAILURE;
    case HB_AGENT_OCF:
      if (exit_code == OCF_SUCCESS)
        return HB_OUTCOME_RUNNING;
      if (exit_code == OCF_NOT_RUNNING)
        return HB_OUTCOME_STOPPED;
      return HB_OUTCOME_FAILURE;
    }
  return HB_OUTCOME_FAILURE;
}

HbAgentOutcome
hb_agent_judge (HbAgentKind kind, HbAgentAction action, int exit_code, const char *stdout_text)
{
  if (action == HB_AGENT_STATUS)
    return judge_status (kind, exit_code, stdout_text);
  return exit_code == 0 ? HB_OUTCOME_SUCCESS : HB_OUTCOME_FAILURE;
}

/* ---- agents' own log lines on stderr ------------------------------------------------ */

static const struct
{
  const char *word;
  int prio;
} log_words[] = {
  { "debug", LOG_DEBUG }, { "info", LOG_INFO },    { "notice", LOG_NOTICE }, { "WARN", LOG_WARNING },
  { "warning", LOG_WARNING }, { "ERROR", LOG_ERR }, { "err", LOG_ERR },     { "CRIT", LOG_CRIT },
  { "emerg", LOG_EMERG }, { "alert", LOG_ALERT },
};

static int
log_word_prio (const char *word, gsize len)
{
  for (guint i = 0; i < G_N_ELEMENTS (log_words); i++)
    {
      if (strlen (log_words[i].word) == len && g_ascii_strncasecmp (word, log_words[i].word, len) == 0)
        {
          return log_words[i].prio;
        }
    }
  return LOG_INFO;
}

gboolean
hb_agent_stderr_is_log_line (const char *line, int *syslog_prio)
{
  g_autoptr (GRegex) re = g_regex_new ("^[^\\s\\[]+\\[[0-9]+\\]: [0-9]{4}/[0-9]{2}/[0-9]{2}_[0-9]{2}:[0-9]{2}:[0-9]{2} "
                                       "([A-Za-z]+): ",
                                       G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  int start = 0, end = 0;

  g_return_val_if_fail (line != NULL, FALSE);
  if (!g_regex_match (re, line, 0, &match))
    {
      return FALSE;
    }
  g_match_info_fetch_pos (match, 1, &start, &end);
  if (syslog_prio != NULL)
    {
      *syslog_prio = log_word_prio (line + start, (gsize) (end - start));
    }
  return TRUE;
}
