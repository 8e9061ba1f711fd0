/* systole: resource agents as data — which standard an agent follows, the argv
 * it is called with, and what its answer means. Pure: no I/O.
 *
 * Facts: docs/PROTOCOL.md, "haresources" (spec forms, lookup order), "Running
 * resource scripts" (invocation, status judged by stdout text), "OCF and LSB
 * conventions" (OCF and LSB exit codes).
 */
#pragma once

#include <glib.h>

#include "config.h"

G_BEGIN_DECLS

typedef enum
{
  HB_AGENT_HEARTBEAT, /* resource.d script: `NAME args... start|stop|status`, status by stdout text */
  HB_AGENT_LSB,       /* init.d script: status by exit code 0 = running, 3 = stopped */
  HB_AGENT_OCF,       /* ocf:PROVIDER:TYPE: OCF_RESKEY_* parameters, monitor 0 = running, 7 = stopped */
} HbAgentKind;

typedef enum
{
  HB_AGENT_START,
  HB_AGENT_STOP,
  HB_AGENT_STATUS,
} HbAgentAction;

/* What one agent run meant. */
typedef enum
{
  HB_OUTCOME_SUCCESS,  /* start/stop succeeded */
  HB_OUTCOME_FAILURE,  /* start/stop failed, or status could not tell */
  HB_OUTCOME_RUNNING,  /* status: the resource is held here */
  HB_OUTCOME_STOPPED,  /* status: the resource is not held here */
  HB_OUTCOME_TIMEOUT,  /* killed after the operation timeout */
} HbAgentOutcome;

const char *hb_agent_action_to_string (HbAgentAction action);
const char *hb_agent_outcome_to_string (HbAgentOutcome outcome);
const char *hb_agent_kind_to_string (HbAgentKind kind);

/* TRUE for specs of the form ocf:PROVIDER:TYPE (then provider/type are set). */
gboolean hb_agent_parse_ocf_name (const char *agent, char **provider, char **type);

/* The argv for one run: Heartbeat and LSB agents get `path args... action`;
 * OCF agents get `path action` (their arguments travel in the environment). */
GStrv hb_agent_build_argv (HbAgentKind kind, const char *path, const HbResource *resource,
                           HbAgentAction action);

/* Environment entries ("NAME=value") specific to this resource: OCF_RESKEY_*
 * from NAME=VALUE arguments, OCF_RESOURCE_INSTANCE, OCF_ROOT. Empty for others. */
GStrv hb_agent_build_env (HbAgentKind kind, const HbResource *resource, const char *ocf_root);

/* Judges a finished run. `exit_status` is the wait status decoded into an exit
 * code, or -1 when the child died from a signal. For Heartbeat-style agents the
 * status action is judged by its stdout text, as ResourceManager does. */
HbAgentOutcome hb_agent_judge (HbAgentKind kind, HbAgentAction action, int exit_code,
                               const char *stdout_text);

/* The Heartbeat rule for status text: "running" (any case) or "OK" means held,
 * unless the text says "not ... running". */
gboolean hb_agent_status_text_says_running (const char *text);

/* TRUE when an agent's stderr line is itself a log line in Heartbeat's format,
 * "NAME[PID]: YYYY/MM/DD_HH:MM:SS LEVEL: message" (the format of ha_log, which
 * agents also append to HA_LOGFILE); `syslog_prio` gets LEVEL as a syslog
 * priority (LOG_INFO for an unknown word). Such a line was already logged by
 * the agent when it had a log destination, so the runner must not repeat it
 * as a warning. */
gboolean hb_agent_stderr_is_log_line (const char *line, int *syslog_prio);

G_END_DECLS
