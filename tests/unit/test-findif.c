/* Unit tests for lib/findif.c: /proc/net/route parsing and route selection. */
#include "findif.h"

#include <string.h>

#define RTF_UP 0x1
#define RTF_GATEWAY 0x2
#define RTF_REJECT 0x200

typedef struct
{
  const char *iface;
  const char *dest;
  const char *mask;
  guint metric;
  guint flags;
  const char *gateway;
} RouteRow;

#define END_ROWS { NULL, NULL, NULL, 0, 0, NULL }

/* Writes rows the way the kernel does: each address as the native integer
 * that holds it in network byte order, so the test passes on any host. */
static char *
route_text (const RouteRow *rows)
{
  GString *text = g_string_new ("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\t"
                                "Mask\t\tMTU\tWindow\tIRTT                                                       \n");

  for (const RouteRow *r = rows; r->iface != NULL; r++)
    {
      guint32 dest, mask, gw = 0;

      g_assert_true (hb_ipaddr_parse_ipv4 (r->dest, &dest, NULL));
      g_assert_true (hb_ipaddr_parse_ipv4 (r->mask, &mask, NULL));
      if (r->gateway != NULL)
        {
          g_assert_true (hb_ipaddr_parse_ipv4 (r->gateway, &gw, NULL));
        }
      g_string_append_printf (text, "%s\t%08X\t%08X\t%04X\t0\t0\t%u\t%08X\t0\t0\t0"
                              "                                                                            \n",
                              r->iface, g_htonl (dest), g_htonl (gw), r->flags, r->metric,
                              g_htonl (mask));
    }
  return g_string_free (text, FALSE);
}

static const RouteRow lan[] = {
  { "eth0", "0.0.0.0", "0.0.0.0", 0, RTF_UP | RTF_GATEWAY, "192.0.2.1" },
  { "eth0", "192.0.2.0", "255.255.255.0", 0, RTF_UP, NULL },
  { "eth1", "198.51.100.0", "255.255.255.0", 0, RTF_UP, NULL },
  { "eth2", "198.51.100.128", "255.255.255.128", 0, RTF_UP, NULL },
  { "bond0", "192.0.2.0", "255.255.255.0", 100, RTF_UP, NULL },
  END_ROWS,
};

static const RouteRow metrics[] = {
  { "eth1", "192.0.2.0", "255.255.255.0", 200, RTF_UP, NULL },
  { "eth0", "192.0.2.0", "255.255.255.0", 100, RTF_UP, NULL },
  { "eth2", "192.0.2.0", "255.255.255.128", 300, RTF_UP, NULL },
  { "eth3", "192.0.2.0", "255.255.0.0", 100, RTF_UP, NULL },
  END_ROWS,
};

static const RouteRow only_default[] = {
  { "eth0", "0.0.0.0", "0.0.0.0", 0, RTF_UP | RTF_GATEWAY, "192.0.2.1" },
  END_ROWS,
};

static const RouteRow down_and_reject[] = {
  { "eth0", "192.0.2.0", "255.255.255.0", 0, 0, NULL },
  { "eth1", "192.0.2.0", "255.255.255.0", 0, RTF_UP | RTF_REJECT, NULL },
  { "eth2", "198.51.100.0", "255.255.255.0", 0, RTF_UP, NULL },
  END_ROWS,
};

typedef struct
{
  const char *name;
  const RouteRow *rows;
  const char *spec;
  const char *nic;        /* expected; NULL when resolving must fail */
  guint cidr;
  const char *broadcast;
  gboolean nic_calculated;
  gint error_code;        /* HbFindifError when nic == NULL */
  const char *message;    /* substring of the error message */
} ResolveCase;

static const ResolveCase resolve_cases[] = {
  { "connected", lan, "192.0.2.10", "eth0", 24, "192.0.2.255", TRUE, 0, NULL },
  { "longest-mask-on-tie", lan, "198.51.100.200", "eth2", 25, "198.51.100.255", TRUE, 0, NULL },
  { "shorter-mask-other-half", lan, "198.51.100.20", "eth1", 24, "198.51.100.255", TRUE, 0, NULL },
  { "given-cidr-wins", lan, "192.0.2.10/28", "eth0", 28, "192.0.2.15", TRUE, 0, NULL },
  { "given-broadcast", lan, "192.0.2.10/24/192.0.2.127", "eth0", 24, "192.0.2.127", TRUE, 0, NULL },
  { "given-nic-agrees", lan, "192.0.2.10/24/eth0", "eth0", 24, "192.0.2.255", FALSE, 0, NULL },
  { "given-nic-alias", lan, "192.0.2.10/24/eth0:3", "eth0", 24, "192.0.2.255", FALSE, 0, NULL },
  { "given-nic-higher-metric", lan, "192.0.2.10/24/bond0", "bond0", 24, "192.0.2.255", FALSE, 0, NULL },
  { "default-route-with-cidr", only_default, "198.51.100.7/24", "eth0", 24, "198.51.100.255", TRUE, 0, NULL },
  { "lowest-metric", metrics, "192.0.2.200", "eth0", 24, "192.0.2.255", TRUE, 0, NULL },
  { "lowest-metric-beats-longer-mask", metrics, "192.0.2.5", "eth0", 24, "192.0.2.255", TRUE, 0, NULL },
  { "cidr-32", lan, "192.0.2.10/32", "eth0", 32, "192.0.2.10", TRUE, 0, NULL },
  { "skips-down-and-reject", down_and_reject, "198.51.100.9", "eth2", 24, "198.51.100.255", TRUE, 0, NULL },
  /* Failures. */
  { "no-route", metrics, "198.51.100.5", NULL, 0, NULL, FALSE, HB_FINDIF_ERROR_NO_ROUTE,
    "No route to 198.51.100.5" },
  { "no-route-empty-table", down_and_reject, "192.0.2.9", NULL, 0, NULL, FALSE,
    HB_FINDIF_ERROR_NO_ROUTE, "No route to 192.0.2.9" },
  { "default-route-needs-netmask", only_default, "198.51.100.7", NULL, 0, NULL, FALSE,
    HB_FINDIF_ERROR_NO_NETMASK, "default route" },
  { "default-route-needs-netmask-lan", lan, "203.0.113.7", NULL, 0, NULL, FALSE,
    HB_FINDIF_ERROR_NO_NETMASK, "default route" },
  { "nic-contradicts", lan, "198.51.100.20/24/eth0", NULL, 0, NULL, FALSE,
    HB_FINDIF_ERROR_NIC_MISMATCH, "nic [eth0] Calculated nic: [eth1]" },
  { "unknown-nic", lan, "192.0.2.10/24/eth9", NULL, 0, NULL, FALSE,
    HB_FINDIF_ERROR_NIC_MISMATCH, "nic [eth9]" },
};

static void
test_resolve (gconstpointer data)
{
  const ResolveCase *c = data;
  g_autofree char *text = route_text (c->rows);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) routes = hb_findif_parse_routes (text, &error);
  HbIpaddrSpec spec;
  HbFindifResult res;
  char buf[HB_IPADDR_STR_MAX];
  gboolean ok;

  g_assert_no_error (error);
  g_assert_true (hb_ipaddr_spec_parse (c->spec, &spec, NULL));
  ok = hb_findif_resolve (routes, &spec, &res, &error);
  if (c->nic == NULL)
    {
      g_assert_false (ok);
      g_assert_error (error, HB_FINDIF_ERROR, c->error_code);
      g_assert_nonnull (strstr (error->message, c->message));
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (res.nic, ==, c->nic);
  g_assert_cmpuint (res.cidr, ==, c->cidr);
  g_assert_cmpstr (hb_ipaddr_format (res.broadcast, buf), ==, c->broadcast);
  g_assert_cmpint (res.nic_calculated, ==, c->nic_calculated);
}

typedef struct
{
  const char *name;
  const char *text;
  guint n_routes;    /* G_MAXUINT when parsing must fail */
  const char *message;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "header-only", "Iface\tDestination\tGateway\n", 0, NULL },
  { "empty-lines", "Iface\tDestination\n\n   \n", 0, NULL },
  { "real-kernel-row",
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n", 1, NULL },
  { "no-header", "eth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n", G_MAXUINT, "line 1" },
  { "empty", "", G_MAXUINT, "line 1" },
  { "short-row", "Iface\neth0\t00000000\t00000000\n", G_MAXUINT, "line 2" },
  { "bad-hex", "Iface\neth0\tZZ000000\t00000000\t0001\t0\t0\t0\t00000000\n", G_MAXUINT, "line 2" },
  { "hex-overflow", "Iface\neth0\t100000000\t00000000\t0001\t0\t0\t0\t00000000\n", G_MAXUINT, "line 2" },
  { "bad-metric", "Iface\neth0\t00000000\t00000000\t0001\t0\t0\t-1\t00000000\n", G_MAXUINT, "line 2" },
  { "long-iface", "Iface\nabcdefghijklmnopq\t00000000\t00000000\t0001\t0\t0\t0\t00000000\n",
    G_MAXUINT, "line 2" },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) routes = hb_findif_parse_routes (c->text, &error);

  if (c->n_routes == G_MAXUINT)
    {
      g_assert_null (routes);
      g_assert_error (error, HB_FINDIF_ERROR, HB_FINDIF_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, c->message));
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (routes->len, ==, c->n_routes);
}

/* The kernel's own text for a real route parses to the expected values on
 * this (little- or big-endian) host only when it matches the host order; so
 * check the byte-order handling with a row built for this host. */
static void
test_row_values (void)
{
  static const RouteRow rows[] = {
    { "eth0", "192.0.2.0", "255.255.255.0", 7, RTF_UP | RTF_GATEWAY, "192.0.2.1" },
    END_ROWS,
  };
  g_autofree char *text = route_text (rows);
  g_autoptr (GArray) routes = hb_findif_parse_routes (text, NULL);
  const HbRoute *r = &g_array_index (routes, HbRoute, 0);

  g_assert_cmpuint (r->dest, ==, 0xc0000200u);
  g_assert_cmpuint (r->gateway, ==, 0xc0000201u);
  g_assert_cmpuint (r->mask, ==, 0xffffff00u);
  g_assert_cmpuint (r->metric, ==, 7);
  g_assert_cmpuint (r->flags, ==, RTF_UP | RTF_GATEWAY);
  g_assert_cmpstr (r->iface, ==, "eth0");
  g_assert_true (hb_findif_best_route (routes, 0xc0000263u, NULL) == r);
  g_assert_null (hb_findif_best_route (routes, 0xc6336405u, NULL));
  g_assert_null (hb_findif_best_route (routes, 0xc0000263u, "eth1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (resolve_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/findif/resolve/%s", resolve_cases[i].name);
      g_test_add_data_func (name, &resolve_cases[i], test_resolve);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/findif/parse/%s", parse_cases[i].name);
      g_test_add_data_func (name, &parse_cases[i], test_parse);
    }
  g_test_add_func ("/findif/row-values", test_row_values);
  return g_test_run ();
}
