/* systole: the daemon's log sink. Facts: docs/PROTOCOL.md, "Log format". */
#include "logger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

struct _HbLogger
{
  char *entity;
  char *hostname;
  gboolean to_stderr;
  gboolean syslogmsgfmt;
  int logfile_fd;   /* -1 when unset */
  int debugfile_fd; /* -1 when unset */
  int facility;     /* -1 when no syslog */
  guint debug_level;
};

HbLogger *
hb_logger_new (const char *entity, gboolean to_stderr)
{
  HbLogger *logger = g_new0 (HbLogger, 1);

  logger->entity = g_strdup (entity);
  logger->hostname = g_strdup ("localhost");
  logger->to_stderr = to_stderr;
  logger->logfile_fd = -1;
  logger->debugfile_fd = -1;
  logger->facility = -1;
  return logger;
}

static void
close_files (HbLogger *logger)
{
  if (logger->logfile_fd >= 0)
    {
      close (logger->logfile_fd);
      logger->logfile_fd = -1;
    }
  if (logger->debugfile_fd >= 0)
    {
      close (logger->debugfile_fd);
      logger->debugfile_fd = -1;
    }
}

void
hb_logger_free (HbLogger *logger)
{
  if (logger == NULL)
    {
      return;
    }
  close_files (logger);
  if (logger->facility >= 0)
    {
      closelog ();
    }
  g_free (logger->entity);
  g_free (logger->hostname);
  g_free (logger);
}

/* Why an opened log file is refused, or NULL. The daemon runs as root and
 * appends to these paths for its whole life: a name in a directory others
 * can write must not let them choose what it appends to. O_NOFOLLOW
 * already refused a symbolic link; a hard link to someone else's file
 * (where protected_hardlinks is off) or a file created by another user
 * is refused here. */
static char *
log_file_problem (int fd)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      return g_strdup_printf ("cannot stat it: %s", g_strerror (errno));
    }
  if (!S_ISREG (st.st_mode))
    {
      return g_strdup ("not a regular file");
    }
  if (st.st_uid != geteuid ())
    {
      return g_strdup_printf ("owned by uid %u, not by uid %u that heartbeat runs as",
                              (guint) st.st_uid, (guint) geteuid ());
    }
  if (st.st_nlink > 1)
    {
      return g_strdup_printf ("it has %u hard links: it may be another file's second name",
                              (guint) st.st_nlink);
    }
  return NULL;
}

/* "/dev/null" disables a file, as in Heartbeat (docs/PROTOCOL.md, "ha.cf
 * directives"). A file that cannot be opened or is refused gives -1 and a
 * reason in *problem_out (reported once the other sinks are set up); logging
 * goes on to the other places. */
static int
open_log (const char *path, char **problem_out)
{
  g_autofree char *why = NULL;
  int fd;

  if (path == NULL || strcmp (path, "/dev/null") == 0)
    {
      return -1;
    }
  /* O_NONBLOCK: a FIFO planted at the name must not block the open; it is
   * refused just below as not a regular file. */
  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      why = errno == ELOOP ? g_strdup ("it is a symbolic link") : g_strdup (g_strerror (errno));
    }
  else if ((why = log_file_problem (fd)) != NULL)
    {
      close (fd);
      fd = -1;
    }
  else
    {
      fcntl (fd, F_SETFL, O_APPEND); /* O_NONBLOCK was for the open only */
    }
  if (why != NULL)
    {
      *problem_out = g_strdup_printf ("Not logging to %s: %s", path, why);
    }
  return fd;
}

/* Refused files are said on stderr (a start's terminal, or the journal
 * under systemd) and through every sink still open, syslog included. */
static void
report_problem (HbLogger *logger, const char *problem)
{
  if (problem == NULL)
    {
      return;
    }
  if (!logger->to_stderr)
    {
      fprintf (stderr, "heartbeat: ERROR: %s\n", problem);
    }
  hb_logger_write (logger, HB_LOG_ERR, problem);
}

void
hb_logger_configure (HbLogger *logger, const HbConfig *config,
                     const char *logfile_override, const char *hostname)
{
  const char *logfile = logfile_override != NULL ? logfile_override : config->logfile;
  g_autofree char *log_problem = NULL;
  g_autofree char *debug_problem = NULL;
  int facility = -1;

  g_return_if_fail (logger != NULL && config != NULL);
  close_files (logger);
  logger->logfile_fd = open_log (logfile, &log_problem);
  logger->debugfile_fd = open_log (config->debugfile, &debug_problem);
  logger->syslogmsgfmt = config->syslogmsgfmt;
  if (hostname != NULL)
    {
      g_free (logger->hostname);
      logger->hostname = g_strdup (hostname);
    }
  if (logger->facility >= 0)
    {
      closelog ();
    }
  if (config->logfacility != NULL)
    {
      hb_logfmt_facility (config->logfacility, &facility);
    }
  else if (logger->logfile_fd < 0 && logger->debugfile_fd < 0
           && ((logfile == NULL && config->debugfile == NULL) || log_problem != NULL
               || debug_problem != NULL))
    {
      /* Nowhere to log: Heartbeat then uses logd, which writes to syslog
       * (docs/PROTOCOL.md, "ha.cf directives", use_logd); we go to syslog
       * directly. So do we when every file given was refused: the log must go
       * somewhere. */
      facility = LOG_DAEMON;
    }
  if (facility >= 0)
    {
      /* No LOG_PID: the text carries "[pid]" itself (docs/PROTOCOL.md, "Log format"). */
      openlog ("heartbeat", LOG_NDELAY, facility);
    }
  logger->facility = facility;
  report_problem (logger, log_problem);
  report_problem (logger, debug_problem);
}

void
hb_logger_set_debug (HbLogger *logger, guint level)
{
  logger->debug_level = MIN (level, 255);
}

guint
hb_logger_get_debug (const HbLogger *logger)
{
  return logger->debug_level;
}

static void
write_all (int fd, const char *text)
{
  gsize len = strlen (text);

  /* One write(2) per line on an O_APPEND descriptor keeps lines whole even
   * when another process appends to the same file. */
  while (len > 0)
    {
      ssize_t n = write (fd, text, len);

      if (n < 0 && errno == EINTR)
        {
          continue;
        }
      if (n <= 0)
        {
          return;
        }
      text += n;
      len -= (gsize) n;
    }
}

void
hb_logger_write (HbLogger *logger, HbLogPrio prio, const char *message)
{
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *line = NULL;
  gint64 pid = (gint64) getpid ();

  if (prio == HB_LOG_DEBUG && logger->debug_level == 0)
    {
      return;
    }
  now = g_date_time_new_now_local ();
  line = hb_logfmt_file_line (logger->entity, pid, now, prio, logger->syslogmsgfmt,
                              logger->hostname, message);
  if (logger->debugfile_fd >= 0)
    {
      write_all (logger->debugfile_fd, line);
    }
  if (prio == HB_LOG_DEBUG)
    {
      return; /* debug lines only go to the debugfile (docs/PROTOCOL.md, "Log format") */
    }
  if (logger->logfile_fd >= 0)
    {
      write_all (logger->logfile_fd, line);
    }
  if (logger->facility >= 0)
    {
      g_autofree char *text = hb_logfmt_syslog_text (pid, prio, message);
      syslog (logger->facility | (int) prio, "%s", text);
    }
  if (logger->to_stderr)
    {
      write_all (STDERR_FILENO, line);
    }
}

static HbLogPrio
prio_from_glib (GLogLevelFlags level)
{
  static const struct
  {
    GLogLevelFlags level;
    HbLogPrio prio;
  } map[] = {
    { G_LOG_LEVEL_ERROR, HB_LOG_ERR },     { G_LOG_LEVEL_CRITICAL, HB_LOG_CRIT },
    { G_LOG_LEVEL_WARNING, HB_LOG_WARNING }, { G_LOG_LEVEL_MESSAGE, HB_LOG_NOTICE },
    { G_LOG_LEVEL_INFO, HB_LOG_INFO },     { G_LOG_LEVEL_DEBUG, HB_LOG_DEBUG },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (level & map[i].level)
        {
          return map[i].prio;
        }
    }
  return HB_LOG_INFO;
}

static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  HbLogger *logger = user_data;
  HbLogPrio prio = prio_from_glib (level);
  const char *message = "";

  for (gsize i = 0; i < n_fields; i++)
    {
      if (strcmp (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        {
          message = fields[i].value;
        }
      else if (strcmp (fields[i].key, "HB_PRIO") == 0 && fields[i].length < 0)
        {
          prio = (HbLogPrio) CLAMP (atoi (fields[i].value), HB_LOG_EMERG, HB_LOG_DEBUG);
        }
    }
  hb_logger_write (logger, prio, message);
  return G_LOG_WRITER_HANDLED;
}

void
hb_logger_install (HbLogger *logger)
{
  g_log_set_writer_func (writer, logger, NULL);
}

void
hb_log (HbLogPrio prio, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;
  char prio_text[4];
  /* Never G_LOG_LEVEL_CRITICAL/WARNING: those can be made fatal with
   * G_DEBUG, and a daemon must not abort because it logged a dead node. */
  GLogLevelFlags level = prio == HB_LOG_DEBUG ? G_LOG_LEVEL_DEBUG
                         : prio == HB_LOG_INFO ? G_LOG_LEVEL_INFO
                                               : G_LOG_LEVEL_MESSAGE;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_snprintf (prio_text, sizeof prio_text, "%d", (int) prio);
  {
    const GLogField fields[] = {
      { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
      { "HB_PRIO", prio_text, -1 },
      { "MESSAGE", message, -1 },
    };
    g_log_structured_array (level, fields, G_N_ELEMENTS (fields));
  }
}
