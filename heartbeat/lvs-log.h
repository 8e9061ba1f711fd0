/* systole: logging for the LVS helper programs (systole-lvs, lvs-checker).
 *
 * Lines look like Heartbeat's (docs/PROTOCOL.md, "Log format"):
 *   lvs-checker[4711]: 2026/11/22_17:48:13 info: real server ... is down
 * and go to stderr (when wanted) and, appended, to the log file: --log-file, else
 * $HA_LOGFILE (what Heartbeat exports to resource scripts), else syslog (daemon).
 * Level policy: ERROR (the director is not doing what was asked), WARN
 * (recoverable, or a check failed), info (every state change), debug.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HB_LVS_LOG_ERROR,
  HB_LVS_LOG_WARN,
  HB_LVS_LOG_INFO,
  HB_LVS_LOG_DEBUG,
} HbLvsLogLevel;

/* Called once from main: IDENT names the program, LOGFILE may be NULL. */
void hb_lvs_log_setup (const char *ident, const char *logfile, gboolean to_stderr, gboolean debug);

void hb_lvs_log (HbLvsLogLevel level, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* The same, with IDENT instead of the program's name (the LVS agent logs its own
 * lines under its resource name, as the shell agent did). */
void hb_lvs_log_as (const char *ident, HbLvsLogLevel level, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* The message of the last ERROR line logged (NULL if none): the agent's
 * ocf-exit-reason. */
const char *hb_lvs_log_last_error (void);

G_END_DECLS
