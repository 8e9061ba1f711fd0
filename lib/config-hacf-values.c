/* systole: ha.cf directives that set one field of HbConfig: time values,
 * booleans, numbers, strings, choices (docs/PROTOCOL.md, "ha.cf syntax",
 * "ha.cf directives"). */
#include "config-hacf.h"

#include <string.h>

void
hb_hacf_time (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);

  if (!hb_parse_time_ms (text, HB_HACF_FIELD (guint, b, d)))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad time value [%s] for %s: use seconds (1.5), milliseconds (1500ms) or "
                     "microseconds (1500000us)",
                     text, d->name);
    }
}

/* keepalive and warntime must be > 0 (HB3 heartbeat/config.c
 * set_keepalive_ms, set_warntime_ms; the latter's wording is kept). */
void
hb_hacf_time_positive (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);
  guint ms;

  if (!hb_parse_time_ms (text, &ms) || ms > 0)
    {
      hb_hacf_time (b, d, line, (char *[]){ (char *) text, NULL });
      return;
    }
  if (strcmp (d->name, "warntime") == 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_TIMING, hb_hacf_file (b), line,
                     "Warn time [%s] is invalid. (it must be greater than 0)", text);
      return;
    }
  hb_config_err (b, HB_CONFIG_ERROR_TIMING, hb_hacf_file (b), line,
                 "%s [%s] is invalid: it must be greater than 0", d->name, text);
}

/* conn_logd_time is a time value (cl_get_msec) kept in whole seconds. */
void
hb_hacf_time_seconds (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);
  guint ms;

  if (!hb_parse_time_ms (text, &ms) || ms < 1000)
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad time value [%s] for %s: expected 1 second or more", text, d->name);
      return;
    }
  *HB_HACF_FIELD (guint, b, d) = (ms + 500) / 1000;
}

void
hb_hacf_bool (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);

  if (!hb_parse_bool (text, HB_HACF_FIELD (gboolean, b, d)))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad boolean value [%s] for %s: use on/off, yes/no, true/false, y/n or 1/0",
                     text, d->name);
    }
}

/* A whole number within the directive's [min, max]. */
static gboolean
hb_hacf_range (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values, guint64 *value)
{
  const char *text = hb_hacf_single (values);

  if (hb_parse_uint (text, d->min, d->max, value))
    {
      return TRUE;
    }
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                 "bad value [%s] for %s: expected a whole number from %" G_GUINT64_FORMAT
                 " to %" G_GUINT64_FORMAT,
                 text, d->name, d->min, d->max);
  return FALSE;
}

/* guint fields (rtprio, a gint, is only ever 1-99). */
void
hb_hacf_uint (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  guint64 value;

  if (hb_hacf_range (b, d, line, values, &value))
    {
      *HB_HACF_FIELD (guint, b, d) = (guint) value;
    }
}

/* The one guint16 field. */
void
hb_hacf_port (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  guint64 value;

  if (hb_hacf_range (b, d, line, values, &value))
    {
      *HB_HACF_FIELD (guint16, b, d) = (guint16) value;
    }
}

void
hb_hacf_string (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);
  char **field = HB_HACF_FIELD (char *, b, d);

  (void) line;
  g_free (*field);
  *field = g_strdup (text);
}

void
hb_hacf_choice (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);

  if (g_strv_contains (d->choices, text))
    {
      hb_hacf_string (b, d, line, (char *[]){ (char *) text, NULL });
      return;
    }
  g_autofree char *list = g_strjoinv (", ", (char **) d->choices);
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                 "bad value [%s] for %s: expected one of %s", text, d->name, list);
}

void
hb_hacf_logfacility (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);

  g_clear_pointer (&b->config->logfacility, g_free);
  /* `none` disables syslog (docs/PROTOCOL.md, "ha.cf directives"). */
  if (g_ascii_strcasecmp (text, "none") == 0)
    {
      return;
    }
  if (g_strv_contains (d->choices, text))
    {
      hb_hacf_string (b, d, line, (char *[]){ (char *) text, NULL });
      return;
    }
  /* HB3 set_facility: "Log facility(x) not valid". */
  g_autofree char *list = g_strjoinv (", ", (char **) d->choices);
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                 "Log facility(%s) not valid: expected none or one of %s", text, list);
}
