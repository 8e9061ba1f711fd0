/* systole: ha.cf parser (docs/PROTOCOL.md, "ha.cf syntax", "ha.cf directives").
 *
 * One table maps each directive to a handler. Unlike Heartbeat, order does
 * not matter: values that depend on others (bcast/ucast ports, derived timers)
 * are resolved after the whole file has been read (hb_config_apply_defaults). */
#include "config-hacf.h"

#include <string.h>

const char *
hb_hacf_file (HbConfigBuilder *b)
{
  return b->hacf_path;
}

/* The value of a single-valued directive: hb_hacf_apply() hands such
 * handlers one value at a time. */
const char *
hb_hacf_single (char **values)
{
  return values[g_strv_length (values) - 1];
}

/* auto_failback: on, off, legacy, or any boolean (docs/PROTOCOL.md, "ha.cf directives"). */
static gboolean
hb_hacf_parse_failback (const char *text, HbAutoFailback *out)
{
  gboolean value;

  if (g_ascii_strcasecmp (text, "legacy") == 0)
    {
      *out = HB_FAILBACK_LEGACY;
      return TRUE;
    }
  if (!hb_parse_bool (text, &value))
    {
      return FALSE;
    }
  *out = value ? HB_FAILBACK_ON : HB_FAILBACK_OFF;
  return TRUE;
}

static void
hb_hacf_auto_failback (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);
  HbAutoFailback value;

  (void) d;
  if (!hb_hacf_parse_failback (text, &value))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad value [%s] for auto_failback: expected on, off or legacy", text);
      return;
    }
  b->config->auto_failback = value;
  b->config->auto_failback_explicit = TRUE;
}

static void
hb_hacf_nice_failback (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);
  gboolean value;

  (void) d;
  if (!hb_parse_bool (text, &value))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad boolean value [%s] for nice_failback", text);
      return;
    }
  /* nice_failback on = auto_failback off, off = legacy (docs/PROTOCOL.md,
   * "auto_failback"). */
  b->nice_failback = value ? HB_FAILBACK_OFF : HB_FAILBACK_LEGACY;
  b->nice_failback_line = line;
  hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                  "nice_failback is obsolete: treated as auto_failback %s (write that instead)",
                  hb_auto_failback_to_string (b->nice_failback));
}

static void
hb_hacf_unsupported (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  (void) values;
  hb_config_warn (b, HB_CONFIG_ERROR_UNSUPPORTED, hb_hacf_file (b), line,
                  "directive [%s] is not supported by systole: ignored (%s)", d->name, d->note);
}

/* crm/pacemaker would replace haresources by a CRM: ignoring `on` would run
 * the wrong resource manager silently, so only "off" values pass. */
static void
hb_hacf_crm (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (values);
  gboolean on;

  if (hb_parse_bool (text, &on) && !on)
    {
      return;
    }
  hb_config_err (b, HB_CONFIG_ERROR_UNSUPPORTED, hb_hacf_file (b), line,
                 "%s %s is not supported: systole manages resources from haresources only "
                 "(remove the line or write %s off)",
                 d->name, text, d->name);
}

static void
hb_hacf_env (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  for (char **v = values; *v != NULL; v++)
    {
      if (strchr (*v, '=') == NULL || **v == '=')
        {
          hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                         "bad env value [%s]: expected NAME=value", *v);
          return;
        }
    }
  hb_hacf_unsupported (b, d, line, values);
}

static const char *const hb_facilities[] = {
  "auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail", "news", "syslog", "user",
  "uucp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7", NULL,
};
static const char *const hb_genmethods[] = { "file", "time", NULL };
static const char *const hb_msgfmts[] = { "classic", "netstring", NULL };
static const char *const hb_uuidfroms[] = { "file", "nodename", NULL };
static const char *const hb_autojoins[] = { "none", "other", "any", NULL };

#define OFF(f) G_STRUCT_OFFSET (HbConfig, f)
#define NOTE(name, h, args, note) { name, h, args, 0, 0, 0, NULL, note }

/* Every directive of docs/PROTOCOL.md, "ha.cf directives". */
static const HbHacfDirective hb_hacf_directives[] = {
  { "node", hb_hacf_node, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "keepalive", hb_hacf_time_positive, HB_HACF_PER_WORD, OFF (keepalive_ms), 0, 0, NULL, NULL },
  { "deadtime", hb_hacf_time, HB_HACF_PER_WORD, OFF (deadtime_ms), 0, 0, NULL, NULL },
  { "warntime", hb_hacf_time_positive, HB_HACF_PER_WORD, OFF (warntime_ms), 0, 0, NULL, NULL },
  { "initdead", hb_hacf_time, HB_HACF_PER_WORD, OFF (initdead_ms), 0, 0, NULL, NULL },
  { "deadping", hb_hacf_time, HB_HACF_PER_WORD, OFF (deadping_ms), 0, 0, NULL, NULL },
  { "udpport", hb_hacf_port, HB_HACF_PER_WORD, OFF (udpport), 1, 65535, NULL, NULL },
  { "bcast", hb_hacf_bcast, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "udp", hb_hacf_bcast, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "mcast", hb_hacf_mcast, HB_HACF_REST_OF_LINE, 0, 0, 0, NULL, NULL },
  { "ucast", hb_hacf_ucast, HB_HACF_REST_OF_LINE, 0, 0, 0, NULL, NULL },
  { "ping", hb_hacf_ping, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "ping_group", hb_hacf_ping_group, HB_HACF_REST_OF_LINE, 0, 0, 0, NULL, NULL },
  { "auto_failback", hb_hacf_auto_failback, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "nice_failback", hb_hacf_nice_failback, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "logfile", hb_hacf_string, HB_HACF_PER_WORD, OFF (logfile), 0, 0, NULL, NULL },
  { "debugfile", hb_hacf_string, HB_HACF_PER_WORD, OFF (debugfile), 0, 0, NULL, NULL },
  { "logfacility", hb_hacf_logfacility, HB_HACF_PER_WORD, OFF (logfacility), 0, 0, hb_facilities, NULL },
  { "use_logd", hb_hacf_bool, HB_HACF_PER_WORD, OFF (use_logd), 0, 0, NULL, NULL },
  { "conn_logd_time", hb_hacf_time_seconds, HB_HACF_PER_WORD, OFF (conn_logd_time_s), 0, 0, NULL, NULL },
  { "syslogmsgfmt", hb_hacf_bool, HB_HACF_PER_WORD, OFF (syslogmsgfmt), 0, 0, NULL, NULL },
  { "hopfudge", hb_hacf_uint, HB_HACF_PER_WORD, OFF (hopfudge), 0, 255, NULL, NULL },
  { "realtime", hb_hacf_bool, HB_HACF_PER_WORD, OFF (realtime), 0, 0, NULL, NULL },
  { "rtprio", hb_hacf_uint, HB_HACF_PER_WORD, OFF (rtprio), 1, 99, NULL, NULL },
  { "memreserve", hb_hacf_uint, HB_HACF_PER_WORD, OFF (memreserve_kb), 0, 1048576, NULL, NULL },
  { "debug", hb_hacf_uint, HB_HACF_PER_WORD, OFF (debug_level), 0, 255, NULL, NULL },
  { "hbgenmethod", hb_hacf_choice, HB_HACF_PER_WORD, OFF (hbgenmethod), 0, 0, hb_genmethods, NULL },
  { "msgfmt", hb_hacf_choice, HB_HACF_PER_WORD, OFF (msgfmt), 0, 0, hb_msgfmts, NULL },
  { "max_rexmit_delay", hb_hacf_uint, HB_HACF_PER_WORD, OFF (max_rexmit_delay_ms), 1, 3600000, NULL, NULL },
  { "log_badpack", hb_hacf_bool, HB_HACF_PER_WORD, OFF (log_badpack), 0, 0, NULL, NULL },
  { "coredumps", hb_hacf_bool, HB_HACF_PER_WORD, OFF (coredumps), 0, 0, NULL, NULL },
  { "coreroot", hb_hacf_string, HB_HACF_PER_WORD, OFF (coreroot), 0, 0, NULL, NULL },
  { "autojoin", hb_hacf_choice, HB_HACF_PER_WORD, OFF (autojoin), 0, 0, hb_autojoins, NULL },
  { "uuidfrom", hb_hacf_choice, HB_HACF_PER_WORD, OFF (uuidfrom), 0, 0, hb_uuidfroms, NULL },
  { "cluster", hb_hacf_string, HB_HACF_PER_WORD, OFF (cluster), 0, 0, NULL, NULL },
  { "crm", hb_hacf_crm, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "pacemaker", hb_hacf_crm, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "env", hb_hacf_env, HB_HACF_PER_WORD, 0, 0, 0, NULL, "no respawned clients to export it to" },
  NOTE ("serial", hb_hacf_unsupported, HB_HACF_PER_WORD, "no serial medium; use bcast, mcast or ucast"),
  NOTE ("mcast6", hb_hacf_unsupported, HB_HACF_REST_OF_LINE, "no IPv6 medium; use mcast or ucast"),
  NOTE ("ping6", hb_hacf_unsupported, HB_HACF_PER_WORD, "no IPv6 ping node; use ping"),
  NOTE ("hbaping", hb_hacf_unsupported, HB_HACF_PER_WORD, "no HBA ping node"),
  NOTE ("openais", hb_hacf_unsupported, HB_HACF_REST_OF_LINE, "no openais medium"),
  NOTE ("baud", hb_hacf_unsupported, HB_HACF_PER_WORD, "no serial medium"),
  NOTE ("compression", hb_hacf_unsupported, HB_HACF_PER_WORD, "messages are sent uncompressed"),
  NOTE ("compression_threshold", hb_hacf_unsupported, HB_HACF_PER_WORD, "messages are sent uncompressed"),
  NOTE ("traditional_compression", hb_hacf_unsupported, HB_HACF_PER_WORD, "messages are sent uncompressed"),
  NOTE ("respawn", hb_hacf_unsupported, HB_HACF_REST_OF_LINE, "run the client from its own service unit"),
  NOTE ("failfast", hb_hacf_unsupported, HB_HACF_REST_OF_LINE, "run the client from its own service unit"),
  NOTE ("apiauth", hb_hacf_unsupported, HB_HACF_REST_OF_LINE, "the systole API has its own access rules"),
  NOTE ("watchdog", hb_hacf_unsupported, HB_HACF_PER_WORD, "no watchdog device is tickled"),
  NOTE ("stonith", hb_hacf_unsupported, HB_HACF_REST_OF_LINE, "no STONITH: nodes are not fenced"),
  NOTE ("stonith_host", hb_hacf_unsupported, HB_HACF_REST_OF_LINE, "no STONITH: nodes are not fenced"),
  NOTE ("use_apphbd", hb_hacf_unsupported, HB_HACF_PER_WORD, "no apphbd"),
  NOTE ("quorum_server", hb_hacf_unsupported, HB_HACF_PER_WORD, "CRM only"),
  NOTE ("crm_daemon_dir", hb_hacf_unsupported, HB_HACF_PER_WORD, "CRM only"),
  NOTE ("crmd_spawns_pengine", hb_hacf_unsupported, HB_HACF_PER_WORD, "CRM only"),
  NOTE ("record_config_changes", hb_hacf_unsupported, HB_HACF_PER_WORD, "CRM only"),
  NOTE ("record_pengine_inputs", hb_hacf_unsupported, HB_HACF_PER_WORD, "CRM only"),
  NOTE ("enable_config_writes", hb_hacf_unsupported, HB_HACF_PER_WORD, "CRM only"),
};

guint
hb_config_n_directives (void)
{
  return G_N_ELEMENTS (hb_hacf_directives);
}

const char *
hb_config_directive_name (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (hb_hacf_directives), NULL);
  return hb_hacf_directives[index].name;
}

static const HbHacfDirective *
hb_hacf_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hb_hacf_directives); i++)
    {
      /* Case matters, as in Heartbeat (config.c islegaldirective: strcmp). */
      if (strcmp (hb_hacf_directives[i].name, name) == 0)
        {
          return &hb_hacf_directives[i];
        }
    }
  return NULL;
}

/* Directives that may appear many times and accumulate. */
static gboolean
hb_hacf_repeatable (const HbHacfDirective *d)
{
  static const char *const names[] = { "node", "bcast", "udp", "mcast", "ucast", "ping",
                                       "ping_group", "env", NULL };

  return g_strv_contains (names, d->name) || d->handler == hb_hacf_unsupported;
}

/* Heartbeat's blanks and value delimiters (heartbeat.h: WHITESPACE is
 * " \t\n\r\f", DELIMS ", \t\n\r\f"; a line holds no \n). \v is a word
 * character there, so it is one here. */
#define HB_HACF_BLANKS " \t\r\f"
#define HB_HACF_DELIMS ", \t\r\f"

static char **
hb_hacf_split (const char *text, const char *separators)
{
  g_auto (GStrv) parts = g_strsplit_set (text, separators, -1);
  GPtrArray *words = g_ptr_array_new ();

  for (char **p = parts; *p != NULL; p++)
    {
      if (**p != '\0')
        {
          g_ptr_array_add (words, g_strdup (*p));
        }
    }
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (words, FALSE);
}

/* Cuts TEXT at its comment and at its first CR, as Heartbeat does (a CR
 * before the LF is already gone); text dropped after a CR is warned about. */
static void
hb_hacf_cut_line (HbConfigBuilder *b, char *text, guint line)
{
  char *hash = strchr (text, '#');
  char *cr;

  if (hash != NULL)
    {
      *hash = '\0'; /* `#` anywhere starts a comment (docs/PROTOCOL.md, "ha.cf syntax") */
    }
  cr = strchr (text, '\r');
  if (cr == NULL)
    {
      return;
    }
  *cr++ = '\0';
  cr += strspn (cr, HB_HACF_BLANKS);
  if (*cr != '\0')
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                      "text after a carriage return (CR) is ignored, as Heartbeat does: [%s]", cr);
    }
}

/* The directive of a cut line, or NULL for a blank line; `rest` points
 * after the name, which ends at a blank (a comma is part of it). */
static char *
hb_hacf_directive_name (const char *text, const char **rest)
{
  gsize len;

  text += strspn (text, HB_HACF_BLANKS);
  if (*text == '\0')
    {
      return NULL;
    }
  len = strcspn (text, HB_HACF_BLANKS);
  *rest = text + len;
  return g_strndup (text, len);
}

/* Single-valued directives: Heartbeat applies each value in turn, so every
 * one must be valid and the last one wins; say so rather than silently
 * dropping the others. */
static void
hb_hacf_each_value (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  guint n = g_strv_length (values);

  if (n > 1)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                      "%s given %u values; the last one [%s] applies", d->name, n, values[n - 1]);
    }
  for (guint i = 0; i < n; i++)
    {
      d->handler (b, d, line, (char *[]){ values[i], NULL });
    }
}

static void
hb_hacf_apply (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  guint previous = hb_config_seen_line (b, d->name);
  guint errors_before = b->n_errors;

  if (previous != 0 && !hb_hacf_repeatable (d))
    {
      hb_config_warn (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                      "%s already set on line %u: this line overrides it", d->name, previous);
    }
  g_hash_table_insert (b->seen, (gpointer) d->name, GUINT_TO_POINTER (line));
  if (d->args == HB_HACF_REST_OF_LINE || hb_hacf_repeatable (d))
    {
      d->handler (b, d, line, values);
    }
  else
    {
      hb_hacf_each_value (b, d, line, values);
    }
  if (b->n_errors == errors_before)
    {
      return;
    }
  /* A rejected value did not set anything: checks that depend on it must
   * not report the same line again. */
  if (previous != 0)
    {
      g_hash_table_insert (b->seen, (gpointer) d->name, GUINT_TO_POINTER (previous));
    }
  else
    {
      g_hash_table_remove (b->seen, d->name);
    }
}

static void
hb_hacf_line (HbConfigBuilder *b, char *text, guint line)
{
  const char *rest = NULL;
  g_autofree char *name = NULL;

  hb_hacf_cut_line (b, text, line);
  name = hb_hacf_directive_name (text, &rest);
  if (name == NULL)
    {
      return;
    }
  const HbHacfDirective *d = hb_hacf_lookup (name);
  if (d == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_UNKNOWN_DIRECTIVE, hb_hacf_file (b), line,
                     "Illegal directive [%s]", name);
      return;
    }
  g_auto (GStrv) values
      = hb_hacf_split (rest, d->args == HB_HACF_PER_WORD ? HB_HACF_DELIMS : HB_HACF_BLANKS);
  if (values[0] == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "directive [%s] needs a value", d->name);
      return;
    }
  hb_hacf_apply (b, d, line, values);
}

void
hb_config_parse_hacf (HbConfigBuilder *b, const HbConfigText *text)
{
  if (text->contents == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_IO, b->hacf_path, 0, "Cannot open config file [%s]: %s",
                     b->hacf_path, text->read_error);
      return;
    }
  if (!hb_config_check_text (b, b->hacf_path, text->contents, text->len))
    {
      return;
    }
  b->hacf_read = TRUE;
  g_auto (GStrv) lines = hb_config_split_lines (text->contents, text->len);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      hb_hacf_line (b, lines[i], i + 1);
    }
}
