/* systole: `real_server IP PORT { ... }` inside a virtual_server. */
#include "lvsconf-private.h"

typedef struct
{
  HbLvsReal *real;
  HbLvsCheck defaults; /* inherited settings before the TCP_CHECK block is read */
} RealCtx;

static void
rs_weight (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_uint (p, kw, args, line, HB_LVS_CONF_MAX_WEIGHT, &((RealCtx *) obj)->real->weight);
}

static void
rs_inhibit (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  if (args->len != 0)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' takes no value", kw);
      return;
    }
  ((RealCtx *) obj)->real->inhibit_on_failure = TRUE;
}

static void
rs_default_timeout (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_check_timeout (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_default_retry (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_check_retry (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_default_delay (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_check_delay_before_retry (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_default_loop (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_check_delay_loop (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_tcp_check (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  RealCtx *ctx = obj;
  HbLvsCheck *c = &ctx->real->check;

  if (args->len != 0)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' takes no value before its '{'", kw);
    }
  if (!hb_lvs_conf_expect_open (p, kw, line))
    {
      return;
    }
  if (c->enabled)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_UNSUPPORTED, line,
                       "a second TCP_CHECK for one real server is not supported");
    }
  *c = ctx->defaults;
  c->enabled = TRUE;
  hb_lvs_conf_block (p, &hb_lvs_conf_tcp_check_level, c, FALSE, line);
}

static const HbLvsConfKeyword real_keywords[] = {
  { "weight", rs_weight, FALSE },
  { "inhibit_on_failure", rs_inhibit, FALSE },
  { "TCP_CHECK", rs_tcp_check, TRUE },
  { "connect_timeout", rs_default_timeout, FALSE },
  { "retry", rs_default_retry, FALSE },
  { "nb_get_retry", rs_default_retry, FALSE },
  { "delay_before_retry", rs_default_delay, FALSE },
  { "delay_loop", rs_default_loop, FALSE },
  { NULL, NULL, FALSE },
};

static const char *const real_ignored[] = { "smtp_alert", "virtualhost", "warmup", "log_all_failures", NULL };

static const HbLvsConfRefusal real_refused[] = {
  { "HTTP_GET", "only TCP_CHECK is implemented" },
  { "SSL_GET", "only TCP_CHECK is implemented" },
  { "MISC_CHECK", "only TCP_CHECK is implemented" },
  { "SMTP_CHECK", "only TCP_CHECK is implemented" },
  { "DNS_CHECK", "only TCP_CHECK is implemented" },
  { "UDP_CHECK", "only TCP_CHECK is implemented" },
  { "PING_CHECK", "only TCP_CHECK is implemented" },
  { "BFD_CHECK", "only TCP_CHECK is implemented" },
  { "FILE_CHECK", "only TCP_CHECK is implemented" },
  { "notify_up", "notify scripts are not run" },
  { "notify_down", "notify scripts are not run" },
  { "uthreshold", "connection thresholds are not programmed" },
  { "lthreshold", "connection thresholds are not programmed" },
  { "lvs_method", "the forwarding method is set per virtual_server (lb_kind)" },
  { "lb_kind", "the forwarding method is set per virtual_server" },
  { "alpha", "real servers start as up, as without 'alpha'" },
  { NULL, NULL },
};

static const HbLvsConfLevel real_level = { "real_server", real_keywords, real_ignored, real_refused };

void
hb_lvs_conf_real_server (HbLvsConfParser *p, gpointer service_ctx, const char *kw, GPtrArray *args,
                         guint line)
{
  HbLvsConfServiceCtx *ctx = service_ctx;
  RealCtx rctx = { 0 };
  guint16 port = 0;
  gboolean ok = hb_lvs_conf_addr_port (p, kw, args, line, &port);
  HbLvsReal *r;

  if (!hb_lvs_conf_expect_open (p, kw, line))
    {
      return;
    }
  r = g_new0 (HbLvsReal, 1);
  r->addr = ok ? g_strdup (g_ptr_array_index (args, 0)) : NULL;
  r->port = port;
  r->weight = 1;
  r->line = line;
  rctx.real = r;
  rctx.defaults.connect_timeout_ms = ctx->defaults.connect_timeout_ms;
  rctx.defaults.retry = ctx->defaults.retry;
  rctx.defaults.delay_before_retry_ms = ctx->defaults.delay_before_retry_ms;
  rctx.defaults.delay_loop_ms = 0; /* 0 = the service's delay_loop, resolved at the end */
  hb_lvs_conf_block (p, &real_level, &rctx, FALSE, line);
  if (!ok)
    {
      hb_lvs_conf_real_free (r);
      return;
    }
  g_ptr_array_add (ctx->svc->reals, r);
}
