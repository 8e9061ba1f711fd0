/* systole: ha.cf parser (HEARTBEAT-REFERENCE §4.1, §4.2).
 *
 * One table maps each directive to a handler. Unlike Heartbeat, order does
 * not matter: values that depend on others (bcast/ucast ports, derived timers)
 * are resolved after the whole file has been read (hb_config_apply_defaults). */
#include "config-private.h"

#include <string.h>

typedef struct HbHacfDirective HbHacfDirective;
typedef void (*HbHacfHandler) (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values);

typedef enum
{
  HB_HACF_PER_WORD,     /* values split on blanks and commas, each applied */
  HB_HACF_REST_OF_LINE, /* media/plugin lines: the rest split on blanks only */
} HbHacfArgs;

struct HbHacfDirective
{
  const char *name;
  HbHacfHandler handler;
  HbHacfArgs args;
  gsize offset;                 /* field of HbConfig for the generic handlers */
  guint64 min, max;             /* hb_hacf_uint */
  const char *const *choices;   /* hb_hacf_choice */
  const char *note;             /* why a directive is ignored */
};

#define FIELD(type, b, d) ((type *) (void *) ((char *) (b)->config + (d)->offset))

static const char *
hb_hacf_file (HbConfigBuilder *b)
{
  return b->hacf_path;
}

/* Single-valued directives: Heartbeat applies each value in turn, so the
 * last one wins; say so rather than silently dropping the others. */
static const char *
hb_hacf_single (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  guint n = g_strv_length (values);

  if (n > 1)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                      "%s given %u values; the last one [%s] applies", d->name, n, values[n - 1]);
    }
  return values[n - 1];
}

static void
hb_hacf_time (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (b, d, line, values);

  if (!hb_parse_time_ms (text, FIELD (guint, b, d)))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad time value [%s] for %s: use seconds (1.5), milliseconds (1500ms) or "
                     "microseconds (1500000us)",
                     text, d->name);
    }
}

static void
hb_hacf_bool (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (b, d, line, values);

  if (!hb_parse_bool (text, FIELD (gboolean, b, d)))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad boolean value [%s] for %s: use on/off, yes/no, true/false, y/n or 1/0",
                     text, d->name);
    }
}

static void
hb_hacf_uint (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (b, d, line, values);
  guint64 value;

  if (!hb_parse_uint (text, d->min, d->max, &value))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad value [%s] for %s: expected a whole number from %" G_GUINT64_FORMAT
                     " to %" G_GUINT64_FORMAT,
                     text, d->name, d->min, d->max);
      return;
    }
  /* udpport is a guint16, rtprio a gint, the rest guint. */
  if (d->max <= G_MAXUINT16 && strcmp (d->name, "udpport") == 0)
    {
      *FIELD (guint16, b, d) = (guint16) value;
    }
  else
    {
      *FIELD (guint, b, d) = (guint) value;
    }
}

static void
hb_hacf_string (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (b, d, line, values);
  char **field = FIELD (char *, b, d);

  g_free (*field);
  *field = g_strdup (text);
}

static void
hb_hacf_choice (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (b, d, line, values);

  if (g_strv_contains (d->choices, text))
    {
      hb_hacf_string (b, d, line, (char *[]){ (char *) text, NULL });
      return;
    }
  g_autofree char *list = g_strjoinv (", ", (char **) d->choices);
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                 "bad value [%s] for %s: expected one of %s", text, d->name, list);
}

static void
hb_hacf_logfacility (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  const char *text = hb_hacf_single (b, d, line, values);

  g_clear_pointer (&b->config->logfacility, g_free);
  /* `none` disables syslog (§4.2). */
  if (g_ascii_strcasecmp (text, "none") == 0)
    {
      return;
    }
  hb_hacf_choice (b, d, line, (char *[]){ (char *) text, NULL });
}

static void
hb_hacf_node (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  (void) d;
  for (char **v = values; *v != NULL; v++)
    {
      const HbNodeConf *old = hb_config_find_node (b->config, *v);
      if (old != NULL)
        {
          hb_config_warn (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                          "node [%s] already listed on line %u: ignored", *v, old->line);
          continue;
        }
      g_ptr_array_add (b->config->nodes, hb_node_conf_new (*v, HB_NODE_NORMAL, line));
    }
}

static gboolean
hb_hacf_check_ip (HbConfigBuilder *b, const char *what, const char *text, guint line)
{
  if (hb_parse_ipv4 (text, NULL))
    {
      return TRUE;
    }
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                 "bad %s address [%s]: expected an IPv4 address (host names are not resolved)",
                 what, text);
  return FALSE;
}

static gboolean
hb_hacf_check_dev (HbConfigBuilder *b, const char *directive, const char *text, guint line)
{
  if (hb_is_ifname (text))
    {
      return TRUE;
    }
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                 "bad interface name [%s] for %s", text, directive);
  return FALSE;
}

static void
hb_hacf_ping (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  for (char **v = values; *v != NULL; v++)
    {
      if (!hb_hacf_check_ip (b, "ping", *v, line))
        {
          continue;
        }
      if (hb_config_find_node (b->config, *v) != NULL)
        {
          hb_config_warn (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                          "%s node [%s] already listed: ignored", d->name, *v);
          continue;
        }
      HbNodeConf *node = hb_node_conf_new (*v, HB_NODE_PING, line);
      node->addrs = g_strdupv ((char *[]){ *v, NULL });
      g_ptr_array_add (b->config->nodes, node);
    }
}

static void
hb_hacf_ping_group (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  if (g_strv_length (values) < 2)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "%s needs a name and at least one address", d->name);
      return;
    }
  gboolean ok = TRUE;
  for (char **v = values + 1; *v != NULL; v++)
    {
      ok = hb_hacf_check_ip (b, "ping_group", *v, line) && ok;
    }
  if (!ok)
    {
      return;
    }
  if (hb_config_find_node (b->config, values[0]) != NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                     "ping_group name [%s] is already a node name", values[0]);
      return;
    }
  HbNodeConf *node = hb_node_conf_new (values[0], HB_NODE_PING_GROUP, line);
  node->addrs = g_strdupv (values + 1);
  g_ptr_array_add (b->config->nodes, node);
}

static void
hb_hacf_bcast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  if (strcmp (d->name, "udp") == 0)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                      "directive [udp] is deprecated: treated as bcast (write bcast instead)");
    }
  for (char **v = values; *v != NULL; v++)
    {
      if (hb_hacf_check_dev (b, d->name, *v, line))
        {
          /* The port is the config's udpport, filled in once all is read. */
          g_ptr_array_add (b->config->media, hb_medium_new (HB_MEDIUM_BCAST, *v, line));
        }
    }
}

static void
hb_hacf_ucast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  if (g_strv_length (values) != 2)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "%s needs exactly 2 values (interface, peer address), got %u",
                     d->name, g_strv_length (values));
      return;
    }
  gboolean ok = hb_hacf_check_dev (b, d->name, values[0], line);
  ok = hb_hacf_check_ip (b, "ucast peer", values[1], line) && ok;
  if (!ok)
    {
      return;
    }
  /* Every ucast line is kept, the node's own address included: one ha.cf
   * serves all nodes and the daemon skips the line naming itself (§4.2). */
  HbMedium *medium = hb_medium_new (HB_MEDIUM_UCAST, values[0], line);
  medium->peer = g_strdup (values[1]);
  g_ptr_array_add (b->config->media, medium);
}

static gboolean
hb_hacf_mcast_values (HbConfigBuilder *b, guint line, char **values, guint64 *port, guint64 *ttl, guint64 *loop)
{
  guint32 group;
  gboolean ok = hb_hacf_check_dev (b, "mcast", values[0], line);

  /* Class D is 224.0.0.0/4 (HB3 lib/plugins/HBcomm/mcast.c requires it). */
  if (!hb_parse_ipv4 (values[1], &group) || (group >> 28) != 0xe)
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad mcast group [%s]: expected a class D address (224.0.0.0-239.255.255.255)",
                     values[1]);
      ok = FALSE;
    }
  static const struct
  {
    const char *what;
    guint64 min, max;
  } nums[] = { { "port", 1, 65535 }, { "ttl", 0, 255 }, { "loop", 0, 1 } };
  guint64 *outs[] = { port, ttl, loop };
  for (guint i = 0; i < G_N_ELEMENTS (nums); i++)
    {
      if (!hb_parse_uint (values[2 + i], nums[i].min, nums[i].max, outs[i]))
        {
          hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                         "bad mcast %s [%s]: expected %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
                         nums[i].what, values[2 + i], nums[i].min, nums[i].max);
          ok = FALSE;
        }
    }
  return ok;
}

static void
hb_hacf_mcast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  guint64 port, ttl, loop;

  if (g_strv_length (values) != 5)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "%s needs exactly 5 values (interface, group, port, ttl, loop), got %u",
                     d->name, g_strv_length (values));
      return;
    }
  if (!hb_hacf_mcast_values (b, line, values, &port, &ttl, &loop))
    {
      return;
    }
  HbMedium *medium = hb_medium_new (HB_MEDIUM_MCAST, values[0], line);
  medium->group = g_strdup (values[1]);
  medium->port = (guint16) port;
  medium->ttl = (guint8) ttl;
  medium->loop = loop != 0;
  g_ptr_array_add (b->config->media, medium);
}

/* auto_failback: on, off, legacy, or any boolean (§4.2). */
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
  const char *text = hb_hacf_single (b, d, line, values);
  HbAutoFailback value;

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
  const char *text = hb_hacf_single (b, d, line, values);
  gboolean value;

  if (!hb_parse_bool (text, &value))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad boolean value [%s] for nice_failback", text);
      return;
    }
  /* §3.8: nice_failback on = auto_failback off, off = legacy. */
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
  const char *text = hb_hacf_single (b, d, line, values);
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

/* Every directive of HEARTBEAT-REFERENCE §4.2. */
static const HbHacfDirective hb_hacf_directives[] = {
  { "node", hb_hacf_node, HB_HACF_PER_WORD, 0, 0, 0, NULL, NULL },
  { "keepalive", hb_hacf_time, HB_HACF_PER_WORD, OFF (keepalive_ms), 0, 0, NULL, NULL },
  { "deadtime", hb_hacf_time, HB_HACF_PER_WORD, OFF (deadtime_ms), 0, 0, NULL, NULL },
  { "warntime", hb_hacf_time, HB_HACF_PER_WORD, OFF (warntime_ms), 0, 0, NULL, NULL },
  { "initdead", hb_hacf_time, HB_HACF_PER_WORD, OFF (initdead_ms), 0, 0, NULL, NULL },
  { "deadping", hb_hacf_time, HB_HACF_PER_WORD, OFF (deadping_ms), 0, 0, NULL, NULL },
  { "udpport", hb_hacf_uint, HB_HACF_PER_WORD, OFF (udpport), 1, 65535, NULL, NULL },
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
  { "conn_logd_time", hb_hacf_uint, HB_HACF_PER_WORD, OFF (conn_logd_time_s), 1, 86400, NULL, NULL },
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

static const HbHacfDirective *
hb_hacf_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hb_hacf_directives); i++)
    {
      if (g_ascii_strcasecmp (hb_hacf_directives[i].name, name) == 0)
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

static void
hb_hacf_line (HbConfigBuilder *b, char *text, guint line)
{
  char *hash = strchr (text, '#');

  if (hash != NULL)
    {
      *hash = '\0'; /* `#` anywhere starts a comment (§4.1) */
    }
  g_strstrip (text);
  if (*text == '\0')
    {
      return;
    }
  gsize name_len = strcspn (text, " \t,");
  g_autofree char *name = g_strndup (text, name_len);
  const HbHacfDirective *d = hb_hacf_lookup (name);
  if (d == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_UNKNOWN_DIRECTIVE, hb_hacf_file (b), line,
                     "Illegal directive [%s]", name);
      return;
    }
  g_auto (GStrv) values = hb_hacf_split (text + name_len, d->args == HB_HACF_PER_WORD ? " \t," : " \t");
  if (values[0] == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "directive [%s] needs a value", d->name);
      return;
    }
  guint previous = hb_config_seen_line (b, d->name);
  if (previous != 0 && !hb_hacf_repeatable (d))
    {
      hb_config_warn (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                      "%s already set on line %u: this line overrides it", d->name, previous);
    }
  g_hash_table_insert (b->seen, (gpointer) d->name, GUINT_TO_POINTER (line));
  d->handler (b, d, line, values);
}

void
hb_config_parse_hacf (HbConfigBuilder *b)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  guint mode;

  if (!hb_config_read_file (b->hacf_path, &contents, &mode, &error))
    {
      hb_config_err (b, HB_CONFIG_ERROR_IO, b->hacf_path, 0, "Cannot open config file [%s]: %s",
                     b->hacf_path, error->message);
      return;
    }
  b->hacf_read = TRUE;
  g_auto (GStrv) lines = hb_config_split_lines (contents);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      hb_hacf_line (b, lines[i], i + 1);
    }
}
