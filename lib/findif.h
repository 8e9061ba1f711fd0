/* systole: find the interface, netmask and broadcast for a service address.
 *
 * Pure logic over the text of /proc/net/route (the caller reads the file),
 * no I/O. Facts: docs/PROTOCOL.md, "findif": the matching route with
 * the lowest metric wins, equal metrics go to the longest mask; the default
 * broadcast is ip | ~mask; "No route to <ip>" when nothing matches; a default
 * route cannot supply a netmask.
 */
#pragma once

#include <glib.h>

#include "ipaddr-spec.h"

G_BEGIN_DECLS

#define HB_FINDIF_ERROR (hb_findif_error_quark ())
GQuark hb_findif_error_quark (void);

typedef enum
{
  HB_FINDIF_ERROR_PARSE,        /* malformed route table text */
  HB_FINDIF_ERROR_NO_ROUTE,     /* no route matches the address */
  HB_FINDIF_ERROR_NIC_MISMATCH, /* the given nic has no route to the address */
  HB_FINDIF_ERROR_NO_NETMASK,   /* only a default route matches and no cidr given */
} HbFindifError;

/* One row of /proc/net/route, addresses in host byte order. */
typedef struct
{
  char iface[HB_IPADDR_NIC_MAX];
  guint32 dest;
  guint32 gateway;
  guint32 mask;
  guint flags;   /* RTF_* */
  guint metric;
} HbRoute;

/* Parses the text of /proc/net/route into a GArray of HbRoute (header line
 * required). Errors name the 1-based line. */
GArray *hb_findif_parse_routes (const char *text, GError **error);

/* The best usable (RTF_UP, not RTF_REJECT) route to `ip`, restricted to
 * interface `nic` when it is non-NULL and non-empty; NULL when none. */
const HbRoute *hb_findif_best_route (const GArray *routes, guint32 ip, const char *nic);

typedef struct
{
  char nic[HB_IPADDR_NIC_MAX];
  guint cidr;
  guint32 broadcast;          /* host byte order */
  gboolean nic_calculated;    /* spec had no nic */
  gboolean cidr_calculated;   /* spec had no cidr */
} HbFindifResult;

/* Completes `spec` from the routes: interface and prefix length from the best
 * route when not given, broadcast ip | ~mask when not given. A given nic must
 * have a route to the address (else HB_FINDIF_ERROR_NIC_MISMATCH, naming the
 * interface the routing table would choose). */
gboolean hb_findif_resolve (const GArray *routes, const HbIpaddrSpec *spec,
                            HbFindifResult *result_out, GError **error);

G_END_DECLS
