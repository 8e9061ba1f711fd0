/* systole: Heartbeat log line formatting. Facts: docs/PROTOCOL.md, "Log format". */
#include "logfmt.h"

#include <string.h>
#include <syslog.h>

static const char *const prio_words[] = {
  [HB_LOG_EMERG] = "EMERG",  [HB_LOG_ALERT] = "ALERT", [HB_LOG_CRIT] = "CRIT",
  [HB_LOG_ERR] = "ERROR",    [HB_LOG_WARNING] = "WARN", [HB_LOG_NOTICE] = "notice",
  [HB_LOG_INFO] = "info",    [HB_LOG_DEBUG] = "debug",
};

/* One call is one line. Messages quote peers (node names, `st`, rexmit
 * requesters, API arguments) and agents, so a control byte in them must not
 * end the line and forge the next one, nor drive a terminal: C0 bytes and
 * DEL are written as C escapes (\n, \r, \t, \xNN). Bytes above 0x7f pass
 * (UTF-8 paths), and so does '\\': an escape shown is never a line break. */
static char *
escape_controls (const char *message)
{
  GString *out = g_string_sized_new (strlen (message));

  for (const guchar *p = (const guchar *) message; *p != '\0'; p++)
    {
      const char *named = *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : *p == '\t' ? "\\t" : NULL;

      if (named != NULL)
        {
          g_string_append (out, named);
        }
      else if (*p < 0x20 || *p == 0x7f)
        {
          g_string_append_printf (out, "\\x%02x", *p);
        }
      else
        {
          g_string_append_c (out, (char) *p);
        }
    }
  return g_string_free (out, FALSE);
}

const char *
hb_logfmt_prio_word (HbLogPrio prio)
{
  if ((guint) prio >= G_N_ELEMENTS (prio_words))
    {
      return NULL;
    }
  return prio_words[prio];
}

char *
hb_logfmt_file_line (const char *entity,
                     gint64 pid,
                     GDateTime *when,
                     HbLogPrio prio,
                     gboolean syslogmsgfmt,
                     const char *hostname,
                     const char *message)
{
  const char *word = hb_logfmt_prio_word (prio);
  g_autofree char *stamp = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (entity != NULL && when != NULL && message != NULL, NULL);
  if (word == NULL)
    {
      word = "info";
    }
  text = escape_controls (message);
  if (syslogmsgfmt)
    {
      /* "Jun 16 01:48:13 node1 heartbeat: [10414]: info: msg", as syslog
       * writes it (day of month space-padded). Month names are the C
       * locale's: syslog files are not localised. */
      static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
      return g_strdup_printf ("%s %2d %02d:%02d:%02d %s %s: [%" G_GINT64_FORMAT "]: %s: %s\n",
                              months[g_date_time_get_month (when) - 1],
                              g_date_time_get_day_of_month (when),
                              g_date_time_get_hour (when), g_date_time_get_minute (when),
                              g_date_time_get_second (when),
                              hostname != NULL ? hostname : "localhost", entity, pid, word,
                              text);
    }
  /* HA_DATEFMT "%Y/%m/%d_%T" (docs/PROTOCOL.md, "Log format"). */
  stamp = g_date_time_format (when, "%Y/%m/%d_%H:%M:%S");
  return g_strdup_printf ("%s[%" G_GINT64_FORMAT "]: %s %s: %s\n", entity, pid, stamp, word,
                          text);
}

char *
hb_logfmt_syslog_text (gint64 pid, HbLogPrio prio, const char *message)
{
  const char *word = hb_logfmt_prio_word (prio);
  g_autofree char *text = NULL;

  g_return_val_if_fail (message != NULL, NULL);
  text = escape_controls (message);
  return g_strdup_printf ("[%" G_GINT64_FORMAT "]: %s: %s", pid, word != NULL ? word : "info",
                          text);
}

typedef struct
{
  const char *name;
  int value;
} FacilityName;

static const FacilityName facilities[] = {
  { "auth", LOG_AUTH },       { "authpriv", LOG_AUTHPRIV }, { "cron", LOG_CRON },
  { "daemon", LOG_DAEMON },   { "ftp", LOG_FTP },           { "kern", LOG_KERN },
  { "lpr", LOG_LPR },         { "mail", LOG_MAIL },         { "news", LOG_NEWS },
  { "syslog", LOG_SYSLOG },   { "user", LOG_USER },         { "uucp", LOG_UUCP },
  { "local0", LOG_LOCAL0 },   { "local1", LOG_LOCAL1 },     { "local2", LOG_LOCAL2 },
  { "local3", LOG_LOCAL3 },   { "local4", LOG_LOCAL4 },     { "local5", LOG_LOCAL5 },
  { "local6", LOG_LOCAL6 },   { "local7", LOG_LOCAL7 },
};

gboolean
hb_logfmt_facility (const char *name, int *facility_out)
{
  g_return_val_if_fail (facility_out != NULL, FALSE);
  if (name == NULL)
    {
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (facilities); i++)
    {
      if (g_ascii_strcasecmp (name, facilities[i].name) == 0)
        {
          *facility_out = facilities[i].value;
          return TRUE;
        }
    }
  return FALSE;
}
