/* systole: route selection for IPaddr/IPaddr2 (see findif.h). */
#include "findif.h"

#include <string.h>

G_DEFINE_QUARK (hb-findif-error-quark, hb_findif_error)

/* linux/route.h values, spelled out to keep this file free of system headers. */
#define HB_RTF_UP 0x0001u
#define HB_RTF_REJECT 0x0200u

/* Fields of a /proc/net/route row, in kernel order. */
enum
{
  COL_IFACE, COL_DEST, COL_GATEWAY, COL_FLAGS, COL_REFCNT, COL_USE, COL_METRIC, COL_MASK,
  COL_MIN_COUNT
};

static gboolean
parse_hex32 (const char *text, guint32 *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 16, 0, G_MAXUINT32, &value, NULL))
    {
      return FALSE;
    }
  *out = (guint32) value;
  return TRUE;
}

/* The kernel prints each address as the native integer holding the address in
 * network byte order ("%08X" of a __be32), so undo that with ntohl. */
static gboolean
parse_addr (const char *text, guint32 *out)
{
  guint32 raw;

  if (!parse_hex32 (text, &raw))
    {
      return FALSE;
    }
  *out = g_ntohl (raw);
  return TRUE;
}

static gboolean
parse_row (char **cols, HbRoute *route)
{
  guint64 metric;
  guint32 flags;

  if (g_strv_length (cols) < COL_MIN_COUNT || strlen (cols[COL_IFACE]) >= HB_IPADDR_NIC_MAX)
    {
      return FALSE;
    }
  g_strlcpy (route->iface, cols[COL_IFACE], sizeof route->iface);
  if (!g_ascii_string_to_unsigned (cols[COL_METRIC], 10, 0, G_MAXUINT, &metric, NULL))
    {
      return FALSE;
    }
  route->metric = (guint) metric;
  if (!parse_hex32 (cols[COL_FLAGS], &flags))
    {
      return FALSE;
    }
  route->flags = flags;
  return parse_addr (cols[COL_DEST], &route->dest)
         && parse_addr (cols[COL_GATEWAY], &route->gateway)
         && parse_addr (cols[COL_MASK], &route->mask);
}

GArray *
hb_findif_parse_routes (const char *text, GError **error)
{
  g_auto (GStrv) lines = NULL;
  g_autoptr (GArray) routes = g_array_new (FALSE, TRUE, sizeof (HbRoute));

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL || !g_str_has_prefix (lines[0], "Iface"))
    {
      g_set_error (error, HB_FINDIF_ERROR, HB_FINDIF_ERROR_PARSE,
                   "route table line 1: expected the 'Iface Destination ...' header");
      return NULL;
    }
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cols = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_autoptr (GPtrArray) words = g_ptr_array_new_null_terminated (COL_MIN_COUNT, NULL, TRUE);
      HbRoute route = { 0 };

      for (guint c = 0; cols[c] != NULL; c++)
        {
          if (cols[c][0] != '\0')
            {
              g_ptr_array_add (words, cols[c]);
            }
        }
      if (words->len == 0)
        {
          continue;
        }
      if (!parse_row ((char **) words->pdata, &route))
        {
          g_set_error (error, HB_FINDIF_ERROR, HB_FINDIF_ERROR_PARSE,
                       "route table line %u: malformed row '%s'", i + 1, lines[i]);
          return NULL;
        }
      g_array_append_val (routes, route);
    }
  return g_steal_pointer (&routes);
}

/* Is `a` better than `b`? Lower metric first, then the longer mask (docs/PROTOCOL.md, "findif"). */
static gboolean
route_better (const HbRoute *a, const HbRoute *b)
{
  if (a->metric != b->metric)
    {
      return a->metric < b->metric;
    }
  return a->mask > b->mask;
}

const HbRoute *
hb_findif_best_route (const GArray *routes, guint32 ip, const char *nic)
{
  const HbRoute *best = NULL;

  g_return_val_if_fail (routes != NULL, NULL);

  for (guint i = 0; i < routes->len; i++)
    {
      const HbRoute *r = &g_array_index (routes, HbRoute, i);

      if ((r->flags & HB_RTF_UP) == 0 || (r->flags & HB_RTF_REJECT) != 0
          || (ip & r->mask) != (r->dest & r->mask))
        {
          continue;
        }
      if (nic != NULL && nic[0] != '\0' && strcmp (r->iface, nic) != 0)
        {
          continue;
        }
      if (best == NULL || route_better (r, best))
        {
          best = r;
        }
    }
  return best;
}

/* The route the given (or calculated) nic uses, with errors that say why. */
static const HbRoute *
choose_route (const GArray *routes, const HbIpaddrSpec *spec, GError **error)
{
  char ip[HB_IPADDR_STR_MAX];
  const HbRoute *any = hb_findif_best_route (routes, spec->ip, NULL);
  const HbRoute *on_nic = hb_findif_best_route (routes, spec->ip, spec->nic);

  hb_ipaddr_format (spec->ip, ip);
  if (any == NULL)
    {
      g_set_error (error, HB_FINDIF_ERROR, HB_FINDIF_ERROR_NO_ROUTE, "No route to %s", ip);
      return NULL;
    }
  /* A given nic that the routing table would not use is a contradiction,
   * unless it has a route of its own to the subnet (say a higher-metric
   * connected route): its default route does not count. */
  if (on_nic == NULL || (on_nic->mask == 0 && strcmp (on_nic->iface, any->iface) != 0))
    {
      g_set_error (error, HB_FINDIF_ERROR, HB_FINDIF_ERROR_NIC_MISMATCH,
                   "Invalid parameter value: nic [%s] Calculated nic: [%s] "
                   "(the routing table reaches %s through %s only)",
                   spec->nic, any->iface, ip, any->iface);
      return NULL;
    }
  return on_nic;
}

gboolean
hb_findif_resolve (const GArray *routes, const HbIpaddrSpec *spec,
                   HbFindifResult *result_out, GError **error)
{
  HbFindifResult result = { 0 };
  const HbRoute *route;
  char ip[HB_IPADDR_STR_MAX];

  g_return_val_if_fail (routes != NULL && spec != NULL && result_out != NULL, FALSE);

  route = choose_route (routes, spec, error);
  if (route == NULL)
    {
      return FALSE;
    }
  g_strlcpy (result.nic, route->iface, sizeof result.nic);
  result.nic_calculated = spec->nic[0] == '\0';
  result.cidr_calculated = spec->cidr < 0;
  if (spec->cidr >= 0)
    {
      result.cidr = (guint) spec->cidr;
    }
  else if (route->mask == 0 || hb_ipaddr_bits_from_mask (route->mask) < 0)
    {
      g_set_error (error, HB_FINDIF_ERROR, HB_FINDIF_ERROR_NO_NETMASK,
                   "Cannot calculate a netmask for %s: the matching route (via %s) is "
                   "the default route or has a non-contiguous mask; give the netmask "
                   "explicitly (ip/cidr, cidr_netmask)",
                   hb_ipaddr_format (spec->ip, ip), route->iface);
      return FALSE;
    }
  else
    {
      result.cidr = (guint) hb_ipaddr_bits_from_mask (route->mask);
    }
  result.broadcast = spec->has_broadcast
                         ? spec->broadcast
                         : spec->ip | ~hb_ipaddr_mask_from_bits (result.cidr);
  *result_out = result;
  return TRUE;
}
