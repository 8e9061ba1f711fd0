/* systole: `real_server IP PORT { ... }` inside a virtual_server. */
#include "lvsconf-private.h"

/* Check settings given here override the virtual_server's for this real
 * server's TCP_CHECK; `defaults` comes first so the TCP_CHECK handlers fill it
 * (see HbLvsConfServiceCtx). */
typedef struct
{
  HbLvsCheck defaults;
  HbLvsReal *real;
} RealCtx;

G_STATIC_ASSERT (G_STRUCT_OFFSET (RealCtx, defaults) == 0);

static void
real_weight (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  hb_lvs_conf_set_uint (p, kw, args, line, HB_LVS_CONF_MAX_WEIGHT, &((RealCtx *) obj)->real->weight);
}

static void
real_inhibit (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  if (args->len != 0)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' takes no value", kw);
      return;
    }
  ((RealCtx *) obj)->real->inhibit_on_failure = TRUE;
}

static void
real_tcp_check (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
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
  { "weight", real_weight },
  { "inhibit_on_failure", real_inhibit },
  { "TCP_CHECK", real_tcp_check },
  /* Defaults for the TCP_CHECK block, set on RealCtx.defaults. */
  { "connect_timeout", hb_lvs_conf_check_timeout },
  { "retry", hb_lvs_conf_check_retry },
  { "nb_get_retry", hb_lvs_conf_check_retry },
  { "delay_before_retry", hb_lvs_conf_check_delay_before_retry },
  { "delay_loop", hb_lvs_conf_check_delay_loop },
  { NULL, NULL },
};

static const char *const real_ignored[] = {
  "smtp_alert", "virtualhost", "warmup", "log_all_failures", NULL
};

#define ONLY_TCP_CHECK "only TCP_CHECK is implemented"

static const HbLvsConfRefusal real_refused[] = {
  { "HTTP_GET", ONLY_TCP_CHECK },
  { "SSL_GET", ONLY_TCP_CHECK },
  { "MISC_CHECK", ONLY_TCP_CHECK },
  { "SMTP_CHECK", ONLY_TCP_CHECK },
  { "DNS_CHECK", ONLY_TCP_CHECK },
  { "UDP_CHECK", ONLY_TCP_CHECK },
  { "PING_CHECK", ONLY_TCP_CHECK },
  { "BFD_CHECK", ONLY_TCP_CHECK },
  { "FILE_CHECK", ONLY_TCP_CHECK },
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
  HbLvsConfServiceCtx *sctx = service_ctx;
  RealCtx ctx = { 0 };
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
  ctx.real = r;
  ctx.defaults = sctx->defaults;
  ctx.defaults.delay_loop_ms = 0; /* 0 = the service's delay_loop, resolved at its end */
  hb_lvs_conf_block (p, &real_level, &ctx, FALSE, line);
  if (!ok)
    {
      hb_lvs_conf_real_free (r);
      return;
    }
  g_ptr_array_add (sctx->svc->reals, r);
}
