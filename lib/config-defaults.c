/* systole: defaults of ha.cf (docs/PROTOCOL.md, "ha.cf directives": the 3.0.6 values).
 *
 * Plain defaults are set before ha.cf is read; values derived from other
 * directives (warntime, initdead, deadping, media ports) after it, so the
 * order of directives in the file does not matter. */
#include "config-private.h"

#define HB_DEFAULT_UDPPORT 694 /* ha-cluster/udp (IANA) */

void
hb_config_set_defaults (HbConfigBuilder *b)
{
  HbConfig *c = b->config;

  c->keepalive_ms = 1000;
  c->deadtime_ms = 30000;
  c->hopfudge = 1;
  c->debug_level = 0;
  c->max_rexmit_delay_ms = 250;
  c->conn_logd_time_s = 60;
  c->auto_failback = HB_FAILBACK_LEGACY;
  c->syslogmsgfmt = TRUE;
  c->realtime = TRUE;
  c->log_badpack = TRUE;
  c->coredumps = TRUE;
  c->rtprio = 0;
  c->memreserve_kb = 6500;
  c->hbgenmethod = g_strdup ("file");
  c->msgfmt = g_strdup ("classic");
  c->cluster = g_strdup ("linux-ha");
  c->uuidfrom = g_strdup ("file");
  c->autojoin = g_strdup ("none");
  c->udpport = b->env->default_udpport != 0 ? b->env->default_udpport : HB_DEFAULT_UDPPORT;
}

/* initdead when not given: deadtime if > 10 s, else 12 s if deadtime < 6 s,
 * else twice deadtime (docs/PROTOCOL.md, "ha.cf directives"). */
static guint
hb_config_default_initdead (guint deadtime_ms)
{
  if (deadtime_ms > 10000)
    {
      return deadtime_ms;
    }
  if (deadtime_ms < 6000)
    {
      return 12000;
    }
  return deadtime_ms * 2;
}

static void
hb_config_apply_failback (HbConfigBuilder *b)
{
  HbConfig *c = b->config;

  if (b->nice_failback < 0)
    {
      return;
    }
  if (c->auto_failback_explicit && (gint) c->auto_failback != b->nice_failback)
    {
      hb_config_err (b, HB_CONFIG_ERROR_DUPLICATE, b->hacf_path, b->nice_failback_line,
                     "nice_failback (= auto_failback %s) contradicts auto_failback %s on line %u",
                     hb_auto_failback_to_string (b->nice_failback),
                     hb_auto_failback_to_string (c->auto_failback),
                     hb_config_seen_line (b, "auto_failback"));
      return;
    }
  c->auto_failback = b->nice_failback;
  c->auto_failback_explicit = TRUE;
}

static void
hb_config_apply_logd (HbConfigBuilder *b)
{
  HbConfig *c = b->config;
  gboolean any_log = c->logfile != NULL || c->debugfile != NULL || c->logfacility != NULL;

  if (any_log || !b->hacf_read)
    {
      return;
    }
  if (hb_config_seen_line (b, "use_logd") == 0)
    {
      /* Heartbeat's wording (docs/PROTOCOL.md, "ha.cf directives", use_logd). */
      hb_config_warn (b, HB_CONFIG_ERROR_MISSING_VALUE, b->hacf_path, 0,
                      "No log entry found in ha.cf -- use logd");
      c->use_logd = TRUE;
    }
  else if (!c->use_logd)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, b->hacf_path, hb_config_seen_line (b, "use_logd"),
                     "No log entry found in ha.cf and use_logd is set to off: set logfile, "
                     "debugfile or logfacility");
    }
}

void
hb_config_apply_defaults (HbConfigBuilder *b)
{
  HbConfig *c = b->config;

  if (hb_config_seen_line (b, "warntime") == 0)
    {
      c->warntime_ms = c->deadtime_ms / 2;
    }
  if (hb_config_seen_line (b, "initdead") == 0)
    {
      c->initdead_ms = hb_config_default_initdead (c->deadtime_ms);
    }
  if (hb_config_seen_line (b, "deadping") == 0)
    {
      c->deadping_ms = c->deadtime_ms;
    }
  /* bcast and ucast use udpport wherever it appears in the file (Heartbeat
   * needs it before the media lines; we do not). */
  for (guint i = 0; i < c->media->len; i++)
    {
      HbMedium *m = g_ptr_array_index (c->media, i);
      if (m->type != HB_MEDIUM_MCAST)
        {
          m->port = c->udpport;
        }
    }
  hb_config_apply_failback (b);
  /* HB3 init_config warns about legacy whether it was chosen or defaulted. */
  if (c->auto_failback == HB_FAILBACK_LEGACY && b->hacf_read)
    {
      guint line = hb_config_seen_line (b, "auto_failback");
      hb_config_warn (b, HB_CONFIG_ERROR_MISSING_VALUE, b->hacf_path,
                      line != 0 ? line : b->nice_failback_line,
                      "Deprecated 'legacy' auto_failback option selected%s: set auto_failback on or off",
                      c->auto_failback_explicit ? "" : " (auto_failback not set)");
    }
  hb_config_apply_logd (b);
}
