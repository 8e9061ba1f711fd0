/* systole: logging for the LVS helper programs. See lvs-log.h. */
#include "lvs-log.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* main.c-level wiring: set once by hb_lvs_log_setup before anything logs. */
static struct
{
  char *ident;
  char *logfile;
  gboolean to_stderr;
  gboolean debug;
  char *last_error; /* the message of the last ERROR line */
} log_cfg;

static const struct
{
  const char *word;
  int priority;
} levels[] = {
  [HB_LVS_LOG_ERROR] = { "ERROR", LOG_ERR },
  [HB_LVS_LOG_WARN] = { "WARN", LOG_WARNING },
  [HB_LVS_LOG_INFO] = { "info", LOG_INFO },
  [HB_LVS_LOG_DEBUG] = { "debug", LOG_DEBUG },
};

void
hb_lvs_log_setup (const char *ident, const char *logfile, gboolean to_stderr, gboolean debug)
{
  const char *env = g_getenv ("HA_LOGFILE");

  g_free (log_cfg.ident);
  g_free (log_cfg.logfile);
  log_cfg.ident = g_strdup (ident);
  log_cfg.logfile = g_strdup (logfile != NULL ? logfile : (env != NULL && *env != '\0') ? env : NULL);
  log_cfg.to_stderr = to_stderr;
  log_cfg.debug = debug;
  if (log_cfg.logfile == NULL)
    {
      openlog (log_cfg.ident, LOG_PID, LOG_DAEMON);
    }
}

static void
append_line (const char *path, const char *line)
{
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

  if (fd < 0)
    {
      return;
    }
  /* One write per line keeps lines whole when several processes append. */
  if (write (fd, line, strlen (line)) < 0)
    {
      /* nowhere left to report it */
    }
  close (fd);
}

static void
log_line (const char *ident, HbLvsLogLevel level, const char *msg)
{
  g_autofree char *line = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y/%m/%d_%H:%M:%S");

  if (level == HB_LVS_LOG_ERROR)
    {
      g_free (log_cfg.last_error);
      log_cfg.last_error = g_strdup (msg);
    }
  line = g_strdup_printf ("%s[%d]: %s %s: %s\n", ident, (int) getpid (), stamp, levels[level].word, msg);
  if (log_cfg.to_stderr)
    {
      fputs (line, stderr);
      fflush (stderr);
    }
  if (log_cfg.logfile != NULL)
    {
      append_line (log_cfg.logfile, line);
    }
  else if (log_cfg.ident != NULL && strcmp (ident, log_cfg.ident) != 0)
    {
      /* Another name than the program's (the agent's resource name): syslog
       * takes its tag from openlog, so it is switched for this one line. */
      closelog ();
      openlog (ident, LOG_PID, LOG_DAEMON);
      syslog (levels[level].priority, "%s: %s", levels[level].word, msg);
      closelog ();
      openlog (log_cfg.ident, LOG_PID, LOG_DAEMON);
    }
  else
    {
      syslog (levels[level].priority, "%s: %s", levels[level].word, msg);
    }
}

void
hb_lvs_log (HbLvsLogLevel level, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  if (level == HB_LVS_LOG_DEBUG && !log_cfg.debug)
    {
      return;
    }
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  log_line (log_cfg.ident != NULL ? log_cfg.ident : "systole-lvs", level, msg);
}

void
hb_lvs_log_as (const char *ident, HbLvsLogLevel level, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  log_line (ident, level, msg);
}

const char *
hb_lvs_log_last_error (void)
{
  return log_cfg.last_error;
}
