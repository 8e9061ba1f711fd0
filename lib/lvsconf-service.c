/* systole: `virtual_server IP PORT { ... }`, one LVS service. */
#include "lvsconf-private.h"

G_STATIC_ASSERT (G_STRUCT_OFFSET (HbLvsConfServiceCtx, defaults) == 0);

static HbLvsService *
svc_of (gpointer obj)
{
  return ((HbLvsConfServiceCtx *) obj)->svc;
}

static void
service_delay_loop (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_seconds (p, kw, args, line, &svc_of (obj)->delay_loop_ms, FALSE);
}

static void
service_lb_algo (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
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
  g_free (svc_of (obj)->sched);
  svc_of (obj)->sched = g_strdup (v);
}

/* A value from NAMES (case-insensitive) into *OUT; FALSE when V is none of them. */
static gboolean
pick_enum (const char *v, const char *const *names, guint n_names, guint *out)
{
  for (guint i = 0; i < n_names; i++)
    {
      if (g_ascii_strcasecmp (v, names[i]) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
service_lb_kind (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  /* In HbLvsKind order. */
  static const char *const kinds[] = { "NAT", "DR", "TUN" };
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);
  guint kind;

  if (v == NULL)
    {
      return;
    }
  if (!pick_enum (v, kinds, G_N_ELEMENTS (kinds), &kind))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected NAT, DR or TUN", kw,
                       v);
      return;
    }
  svc_of (obj)->kind = (HbLvsKind) kind;
}

static void
service_protocol (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  /* In HbLvsProto order. */
  static const char *const protos[] = { "TCP", "UDP" };
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);
  guint proto;

  if (v == NULL)
    {
      return;
    }
  if (!pick_enum (v, protos, G_N_ELEMENTS (protos), &proto))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected TCP or UDP", kw, v);
      return;
    }
  svc_of (obj)->proto = (HbLvsProto) proto;
}

static void
service_persistence (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_uint (p, kw, args, line, HB_LVS_CONF_MAX_PERSISTENCE_S,
                        &svc_of (obj)->persistence_s);
}

static const HbLvsConfKeyword service_keywords[] = {
  { "delay_loop", service_delay_loop },
  { "lb_algo", service_lb_algo },
  { "lvs_sched", service_lb_algo },
  { "lb_kind", service_lb_kind },
  { "lvs_method", service_lb_kind },
  { "persistence_timeout", service_persistence },
  { "protocol", service_protocol },
  { "real_server", hb_lvs_conf_real_server },
  /* Defaults for the TCP_CHECK blocks, set on HbLvsConfServiceCtx.defaults. */
  { "connect_timeout", hb_lvs_conf_check_timeout },
  { "retry", hb_lvs_conf_check_retry },
  { "nb_get_retry", hb_lvs_conf_check_retry },
  { "delay_before_retry", hb_lvs_conf_check_delay_before_retry },
  { NULL, NULL },
};

static const char *const service_ignored[] = {
  "ha_suspend", "virtualhost", "smtp_alert", "hysteresis", "warmup", "log_all_failures", NULL
};

#define NO_QUORUM "quorum-driven actions are not implemented"
#define NO_SCHED_FLAGS "scheduler flags are not programmed"
#define NO_OPS "one-packet scheduling is not programmed"

static const HbLvsConfRefusal service_refused[] = {
  { "sorry_server", "no fallback server is programmed when all real servers fail" },
  { "sorry_server_inhibit", "no fallback server is programmed" },
  { "quorum", NO_QUORUM },
  { "quorum_up", NO_QUORUM },
  { "quorum_down", NO_QUORUM },
  { "alpha", "real servers start as up, as without 'alpha'" },
  { "omega", NO_QUORUM },
  { "persistence_granularity", "persistence is per client address (/32)" },
  { "ops", NO_OPS },
  { "one_packet_scheduling", NO_OPS },
  { "lb_algo_flags", NO_SCHED_FLAGS },
  { "sh-port", NO_SCHED_FLAGS },
  { "sh-fallback", NO_SCHED_FLAGS },
  { "mh-port", NO_SCHED_FLAGS },
  { "mh-fallback", NO_SCHED_FLAGS },
  { "fwmark", "firewall-mark services are not supported" },
  { NULL, NULL },
};

static const HbLvsConfLevel service_level = {
  "virtual_server", service_keywords, service_ignored, service_refused,
};

static HbLvsService *
service_new (const char *addr, guint16 port, guint line)
{
  HbLvsService *svc = g_new0 (HbLvsService, 1);

  svc->addr = g_strdup (addr);
  svc->port = port;
  svc->sched = g_strdup (HB_LVS_CONF_DEFAULT_SCHED);
  svc->delay_loop_ms = HB_LVS_CONF_DEFAULT_DELAY_LOOP_MS;
  svc->reals = g_ptr_array_new_with_free_func (hb_lvs_conf_real_free);
  svc->line = line;
  return svc;
}

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

  (void) unused;
  if (!hb_lvs_conf_expect_open (p, kw, line))
    {
      return;
    }
  ctx.svc = service_new (ok ? g_ptr_array_index (args, 0) : NULL, port, line);
  ctx.defaults.connect_timeout_ms = HB_LVS_CONF_DEFAULT_CONNECT_TIMEOUT_MS;
  ctx.defaults.retry = HB_LVS_CONF_DEFAULT_RETRY;
  ctx.defaults.delay_before_retry_ms = HB_LVS_CONF_DEFAULT_DELAY_BEFORE_RETRY_MS;
  hb_lvs_conf_block (p, &service_level, &ctx, FALSE, line);
  if (!ok)
    {
      hb_lvs_conf_service_free (ctx.svc);
      return;
    }
  resolve_checks (ctx.svc);
  hb_lvs_conf_validate_reals (p, ctx.svc);
  hb_lvs_conf_validate_service (p, ctx.svc);
  g_ptr_array_add (p->config->services, ctx.svc);
}
