/* systole: the daemon's log sink (logfile, debugfile, syslog) in Heartbeat's
 * format (docs/PROTOCOL.md, "Log format").
 *
 * Every module logs with hb_log (or plain g_message/g_warning/g_info/g_debug);
 * the logger is installed as GLib's structured log writer, so lines from
 * anywhere in the process land in the configured places with the right
 * priority word. Level policy: ERROR affects the cluster,
 * WARN is recoverable, notice/info for state transitions, debug for detail.
 * Debug lines go to the debugfile only; everything else goes to logfile,
 * debugfile and syslog.
 */
#pragma once

#include <glib.h>

#include "config.h"
#include "logfmt.h"

G_BEGIN_DECLS

typedef struct _HbLogger HbLogger;

/* `entity` is the tag ("heartbeat"); `to_stderr` copies lines to stderr
 * (foreground runs without a logfile). */
HbLogger *hb_logger_new (const char *entity, gboolean to_stderr);
void hb_logger_free (HbLogger *logger);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbLogger, hb_logger_free)

/* Takes logfile/debugfile/logfacility/syslogmsgfmt from `config`
 * (`logfile_override`, if not NULL, replaces the logfile). Reopens the files,
 * so it also serves log rotation on SIGHUP. */
void hb_logger_configure (HbLogger *logger, const HbConfig *config,
                          const char *logfile_override, const char *hostname);

void hb_logger_set_debug (HbLogger *logger, guint level);
guint hb_logger_get_debug (const HbLogger *logger);

/* Makes `logger` GLib's log writer for the rest of the process (GLib allows
 * this once); `logger` must then live until exit. */
void hb_logger_install (HbLogger *logger);

/* Writes one message now (used by the GLib writer; also handy directly). */
void hb_logger_write (HbLogger *logger, HbLogPrio prio, const char *message);

/* Logs through GLib with the Heartbeat priority attached. */
void hb_log (HbLogPrio prio, const char *format, ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
