/* systole: logging of the IPaddr agents. */
#include "ralog.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "logfmt.h"

void
hb_ralog_init (HbRalog *log, const char *name, gint64 pid)
{
  const char *file = g_getenv ("HA_LOGFILE");
  const char *facility = g_getenv ("HA_LOGFACILITY");

  memset (log, 0, sizeof *log);
  log->name = name;
  log->pid = pid;
  log->logfile = file != NULL && file[0] != '\0' ? file : NULL;
  /* An unknown facility is as good as none: nothing reaches syslog. */
  log->use_syslog = facility != NULL && facility[0] != '\0' && strcmp (facility, "none") != 0
                    && hb_logfmt_facility (facility, &log->facility);
  g_snprintf (log->ident, sizeof log->ident, "%s[%" G_GINT64_FORMAT "]", name, pid);
}

void
hb_ralog_default_to_syslog (HbRalog *log)
{
  if (log->logfile == NULL && !log->use_syslog)
    log->use_syslog = hb_logfmt_facility ("daemon", &log->facility);
}

/* One write(2) with O_APPEND: lines of concurrent agents do not interleave. */
static gboolean
append_line (const char *path, const char *line)
{
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  size_t len = strlen (line);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, line, len) == (ssize_t) len;
  close (fd);
  return ok;
}

static gboolean
to_syslog (HbRalog *log, HbIpaddrLogLevel level, const char *message)
{
  if (!log->use_syslog)
    return FALSE;
  if (!log->syslog_open)
    {
      openlog (log->ident, 0, log->facility);
      log->syslog_open = TRUE;
    }
  syslog (log->facility | hb_ipaddr_log_priority (level), "%s: %s", hb_ipaddr_log_word (level),
          message);
  return TRUE;
}

void
hb_ralog (HbRalog *log, HbIpaddrLogLevel level, const char *format, ...)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  gboolean told = FALSE;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  line = hb_ipaddr_log_line (log->name, log->pid, now, level, message);
  if (log->logfile != NULL)
    told = append_line (log->logfile, line);
  if (to_syslog (log, level, message))
    told = TRUE;
  if (level == HB_IPADDR_LOG_ERROR || level == HB_IPADDR_LOG_WARN || (!told && !log->quiet))
    {
      fputs (line, stderr);
      fflush (stderr);
    }
}
