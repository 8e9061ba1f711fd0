/* systole: logging of the IPaddr agents, as Heartbeat's agents log:
 *   - every message is appended to $HA_LOGFILE when set, as
 *     `NAME[PID]: YYYY/MM/DD_HH:MM:SS LEVEL: message` (docs/PROTOCOL.md,
 *     "Log format");
 *   - to syslog, tag `NAME[PID]`, text `LEVEL: message`, when $HA_LOGFACILITY
 *     names a facility (not "none");
 *   - ERROR and WARN always also go to stderr, and every message does when
 *     neither of the above took it. */
#pragma once

#include <glib.h>

#include "ipaddr-agent.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  gint64 pid;            /* the agent's, also in lines its helpers' relay logs */
  const char *logfile;   /* NULL: none */
  gboolean use_syslog;
  int facility;
  char ident[64];        /* NAME[PID]; openlog keeps a pointer to it */
  gboolean syslog_open;
  gboolean quiet;        /* INFO and DEBUG never fall back to stderr */
} HbRalog;

/* Reads HA_LOGFILE and HA_LOGFACILITY. */
void hb_ralog_init (HbRalog *log, const char *name, gint64 pid);

/* Without a log file or facility, use syslog `daemon` (for a background
 * helper's relay, whose stderr nobody reads). */
void hb_ralog_default_to_syslog (HbRalog *log);

void hb_ralog (HbRalog *log, HbIpaddrLogLevel level, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

G_END_DECLS
