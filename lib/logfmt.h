/* systole: Heartbeat log line formatting (pure; no I/O, no clock).
 *
 * Facts: docs/PROTOCOL.md, "Log format". Two file formats exist:
 *   2.x style:    "heartbeat[10414]: 2015/06/16_01:48:13 info: <msg>"
 *   syslog style: "Jun 16 01:48:13 node1 heartbeat: [10414]: info: <msg>"
 * (`syslogmsgfmt true` selects the second). To syslog the text is
 * "[pid]: <prio>: <msg>" under ident "heartbeat".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Same numbering as syslog(3) LOG_EMERG..LOG_DEBUG, so the value can be
 * passed to syslog() unchanged. */
typedef enum
{
  HB_LOG_EMERG = 0,
  HB_LOG_ALERT = 1,
  HB_LOG_CRIT = 2,
  HB_LOG_ERR = 3,
  HB_LOG_WARNING = 4,
  HB_LOG_NOTICE = 5,
  HB_LOG_INFO = 6,
  HB_LOG_DEBUG = 7,
} HbLogPrio;

/* "EMERG" "ALERT" "CRIT" "ERROR" "WARN" "notice" "info" "debug"; NULL when out of range. */
const char *hb_logfmt_prio_word (HbLogPrio prio);

/* One line for logfile/debugfile, with the trailing newline.
 * `when` is local time; `hostname` is only used in syslog style. */
char *hb_logfmt_file_line (const char *entity,
                           gint64 pid,
                           GDateTime *when,
                           HbLogPrio prio,
                           gboolean syslogmsgfmt,
                           const char *hostname,
                           const char *message);

/* The text handed to syslog(3): "[pid]: prio: message" (no newline). */
char *hb_logfmt_syslog_text (gint64 pid, HbLogPrio prio, const char *message);

/* Syslog facility by name ("local0", "daemon", ...) as the LOG_* value.
 * FALSE for an unknown name. */
gboolean hb_logfmt_facility (const char *name, int *facility_out);

G_END_DECLS
