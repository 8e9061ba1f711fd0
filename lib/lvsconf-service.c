/* systole: `virtual_server IP PORT { ... }`, one LVS service. */
#include "lvsconf-private.h"

static void
vs_delay_loop (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  HbLvsConfServiceCtx *ctx = obj;
  hb_lvs_conf_set_seconds (p, kw, args, line, &ctx->svc->delay_loop_ms, FALSE);
}

static void
vs_lb_algo (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  HbLvsConfServiceCtx *ctx = obj;
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);

  if (v == NULL)
    {
      return;
    }
  if (!hb_lvs_sched_is_known (v))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
                       "'%s %s': unknown scheduler (one of rr wrr lc wlc lblc lblcr dh sh sed nq "
                       "fo ovf mh)",
                       kw, v);
      return;
    }
  g_free (ctx->svc->sched);
  ctx->svc->sched = g_strdup (v);
}

static void
vs_lb_kind (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  static const struct { const char *name; HbLvsKind kind; } kinds[] = {
    { "NAT", HB_LVS_KIND_NAT }, { "DR", HB_LVS_KIND_DR }, { "TUN", HB_LVS_KIND_TUN },
  };
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);

  if (v == NULL)
    {
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_ascii_strcasecmp (v, kinds[i].name) == 0)
        {
          ((HbLvsConfServiceCtx *) obj)->svc->kind = kinds[i].kind;
          return;
        }
    }
  hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected NAT, DR or TUN", kw, v);
}

static void
vs_persistence (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_uint (p, kw, args, line, HB_LVS_CONF_MAX_PERSISTENCE_S,
                        &((HbLvsConfServiceCtx *) obj)->svc->persistence_s);
}

static void
vs_protocol (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);

  if (v == NULL)
    {
      return;
    }
  if (g_ascii_strcasecmp (v, "TCP") == 0)
    {
      ((HbLvsConfServiceCtx *) obj)->svc->proto = HB_LVS_PROTO_TCP;
    }
  else if (g_ascii_strcasecmp (v, "UDP") == 0)
    {
      ((HbLvsConfServiceCtx *) obj)->svc->proto = HB_LVS_PROTO_UDP;
    }
  else
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected TCP or UDP", kw, v);
    }
}

static void
vs_default_timeout (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_seconds (p, kw, args, line,
                           &((HbLvsConfServiceCtx *) obj)->defaults.connect_timeout_ms, FALSE);
}

static void
vs_default_retry (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_uint (p, kw, args, line, HB_LVS_CONF_MAX_RETRY,
                        &((HbLvsConfServiceCtx *) obj)->defaults.retry);
}

static void
vs_default_delay (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_seconds (p, kw, args, line,
                           &((HbLvsConfServiceCtx *) obj)->defaults.delay_before_retry_ms, TRUE);
}

static const HbLvsConfKeyword service_keywords[] = {
  { "delay_loop", vs_delay_loop, FALSE },
  { "lb_algo", vs_lb_algo, FALSE },
  { "lvs_sched", vs_lb_algo, FALSE },
  { "lb_kind", vs_lb_kind, FALSE },
  { "lvs_method", vs_lb_kind, FALSE },
  { "persistence_timeout", vs_persistence, FALSE },
  { "protocol", vs_protocol, FALSE },
  { "real_server", hb_lvs_conf_real_server, TRUE },
  { "connect_timeout", vs_default_timeout, FALSE },
  { "retry", vs_default_retry, FALSE },
  { "nb_get_retry", vs_default_retry, FALSE },
  { "delay_before_retry", vs_default_delay, FALSE },
  { NULL, NULL, FALSE },
};

static const char *const service_ignored[] = {
  "ha_suspend", "virtualhost", "smtp_alert", "hysteresis", "warmup", "log_all_failures", NULL
};

static const HbLvsConfRefusal service_refused[] = {
  { "sorry_server", "no fallback server is programmed when all real servers fail" },
  { "sorry_server_inhibit", "no fallback server is programmed" },
  { "quorum", "quorum-driven actions are not implemented" },
  { "quorum_up", "quorum-driven actions are not implemented" },
  { "quorum_down", "quorum-driven actions are not implemented" },
  { "alpha", "real servers start as up, as without 'alpha'" },
  { "omega", "quorum-driven actions are not implemented" },
  { "persistence_granularity", "persistence is per client address (/32)" },
  { "ops", "one-packet scheduling is not programmed" },
  { "one_packet_scheduling", "one-packet scheduling is not programmed" },
  { "lb_algo_flags", "scheduler flags are not programmed" },
  { "sh-port", "scheduler flags are not programmed" },
  { "sh-fallback", "scheduler flags are not programmed" },
  { "mh-port", "scheduler flags are not programmed" },
  { "mh-fallback", "scheduler flags are not programmed" },
  { "fwmark", "firewall-mark services are not supported" },
  { NULL, NULL },
};

static const HbLvsConfLevel service_level = {
  "virtual_server", service_keywords, service_ignored, service_refused,
};

/* The delay_loop of a check: its own, else the real server's, else the service's. */
static void
resolve_checks (HbLvsService *svc)
{
  for (guint i = 0; i < svc->reals->len; i++)
    {
      HbLvsReal *r = g_ptr_array_index (svc->reals, i);
      if (r->check.enabled && r->check.delay_loop_ms == 0)
        {
          r->check.delay_loop_ms = svc->delay_loop_ms;
        }
    }
}

void
hb_lvs_conf_virtual_server (HbLvsConfParser *p, gpointer unused, const char *kw, GPtrArray *args,
                            guint line)
{
  HbLvsConfServiceCtx ctx = { 0 };
  guint16 port = 0;
  gboolean ok = hb_lvs_conf_addr_port (p, kw, args, line, &port);
  HbLvsService *svc;

  (void) unused;
  if (!hb_lvs_conf_expect_open (p, kw, line))
    {
      return;
    }
  svc = g_new0 (HbLvsService, 1);
  svc->addr = ok ? g_strdup (g_ptr_array_index (args, 0)) : NULL;
  svc->port = port;
  svc->sched = g_strdup (HB_LVS_CONF_DEFAULT_SCHED);
  svc->delay_loop_ms = HB_LVS_CONF_DEFAULT_DELAY_LOOP_MS;
  svc->reals = g_ptr_array_new_with_free_func (hb_lvs_conf_real_free);
  svc->line = line;
  ctx.svc = svc;
  ctx.defaults.connect_timeout_ms = HB_LVS_CONF_DEFAULT_CONNECT_TIMEOUT_MS;
  ctx.defaults.retry = HB_LVS_CONF_DEFAULT_RETRY;
  ctx.defaults.delay_before_retry_ms = HB_LVS_CONF_DEFAULT_DELAY_BEFORE_RETRY_MS;
  hb_lvs_conf_block (p, &service_level, &ctx, FALSE, line);
  if (!ok)
    {
      hb_lvs_conf_service_free (svc);
      return;
    }
  resolve_checks (svc);
  hb_lvs_conf_validate_reals (p, svc);
  hb_lvs_conf_validate_service (p, svc);
  g_ptr_array_add (p->config->services, svc);
}
