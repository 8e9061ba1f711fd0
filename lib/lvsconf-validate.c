/* systole: lvs.conf checks that look at more than one statement: duplicates
 * within a file, and what a backend can program. */
#include "lvsconf-private.h"

#include <string.h>

void
hb_lvs_conf_validate_reals (HbLvsConfParser *p, const HbLvsService *svc)
{
  for (guint i = 0; i < svc->reals->len; i++)
    {
      const HbLvsReal *a = g_ptr_array_index (svc->reals, i);
      for (guint j = 0; j < i; j++)
        {
          const HbLvsReal *b = g_ptr_array_index (svc->reals, j);
          if (a->port == b->port && strcmp (a->addr, b->addr) == 0)
            {
              hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_DUPLICATE, a->line,
                               "real_server %s %u listed twice in this virtual_server (first on "
                               "line %u)",
                               a->addr, a->port, b->line);
            }
        }
    }
}

void
hb_lvs_conf_validate_service (HbLvsConfParser *p, const HbLvsService *svc)
{
  for (guint i = 0; i < p->config->services->len; i++)
    {
      const HbLvsService *o = g_ptr_array_index (p->config->services, i);
      if (o->port == svc->port && o->proto == svc->proto && strcmp (o->addr, svc->addr) == 0)
        {
          hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_DUPLICATE, svc->line,
                           "virtual_server %s %u (%s) defined twice (first on line %u)", svc->addr,
                           svc->port, hb_lvs_proto_to_string (svc->proto), o->line);
          return;
        }
    }
}

/* nftables DNAT forwards with NAT only, spreads with numgen (rr, wrr) or jhash
 * (sh), and has no per-client persistence (see lvs-plan-nft.c). */
static gboolean
check_nft_service (const HbLvsConfig *config, const HbLvsService *svc, GError **error)
{
  static const char *const nft_scheds[] = { "rr", "wrr", "sh", NULL };

  if (svc->kind != HB_LVS_KIND_NAT)
    {
      g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BACKEND,
                   "%s:%u: virtual_server %s %u: lb_kind %s needs the ipvs backend; "
                   "the nftables backend forwards with NAT only",
                   config->file, svc->line, svc->addr, svc->port, hb_lvs_kind_to_string (svc->kind));
      return FALSE;
    }
  if (!g_strv_contains (nft_scheds, svc->sched))
    {
      g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BACKEND,
                   "%s:%u: virtual_server %s %u: lb_algo %s is not available with the nftables "
                   "backend (use rr, wrr or sh, or the ipvs backend)",
                   config->file, svc->line, svc->addr, svc->port, svc->sched);
      return FALSE;
    }
  if (svc->persistence_s != 0)
    {
      g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BACKEND,
                   "%s:%u: virtual_server %s %u: persistence_timeout is not available with the "
                   "nftables backend (lb_algo sh keeps a client on one real server)",
                   config->file, svc->line, svc->addr, svc->port);
      return FALSE;
    }
  return TRUE;
}

gboolean
hb_lvs_config_check_backend (const HbLvsConfig *config, HbLvsBackend backend, GError **error)
{
  g_return_val_if_fail (backend != HB_LVS_BACKEND_AUTO, FALSE);
  if (backend == HB_LVS_BACKEND_IPVS)
    {
      return TRUE;
    }
  for (guint i = 0; i < config->services->len; i++)
    {
      if (!check_nft_service (config, g_ptr_array_index (config->services, i), error))
        {
          return FALSE;
        }
    }
  return TRUE;
}
