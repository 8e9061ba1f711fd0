/* systole: `findif`, the command-line face of lib/findif.c for the IPaddr
 * agents.
 *
 *   findif [-f ROUTES] [-c CIDR] [-n NIC] [-b BCAST] [-s] [-P] IP[/CIDR[/NIC[/BCAST]]]
 *
 * Prints `<iface>\tnetmask <bits>\tbroadcast <a.b.c.d>` (docs/PROTOCOL.md,
 * "findif"), or with -s shell assignments the agents eval (every value has been
 * validated by lib/ipaddr-spec.c, so it contains no shell syntax). -P only
 * checks the syntax and prints FINDIF_IP (agents use it to stop an address
 * whose route has gone). A given nic must exist on this host.
 * Exit codes are OCF codes so that the agents can pass them through:
 * 0 success, 1 cannot read the route table, 2 bad usage, 6 bad parameter or
 * no suitable route (OCF_ERR_CONFIGURED).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>

#include "findif.h"
#include "ipaddr-spec.h"

enum
{
  EXIT_USAGE = 2,
  EXIT_CONFIGURED = 6,
};

typedef struct
{
  char *route_file;
  char *cidr;
  char *nic;
  char *broadcast;
  gboolean shell;
  gboolean parse_only;
} Options;

/* Frees the strings GOption allocated (route_file is owned by main). */
static void
options_clear (Options *opts)
{
  g_clear_pointer (&opts->cidr, g_free);
  g_clear_pointer (&opts->nic, g_free);
  g_clear_pointer (&opts->broadcast, g_free);
}

/* Options override the parts of the positional argument. */
static gboolean
apply_options (const Options *opts, HbIpaddrSpec *spec, GError **error)
{
  guint bits;

  if (opts->cidr != NULL && opts->cidr[0] != '\0')
    {
      if (!hb_ipaddr_parse_netmask (opts->cidr, &bits, error))
        {
          return FALSE;
        }
      spec->cidr = (gint) bits;
    }
  if (opts->nic != NULL && opts->nic[0] != '\0'
      && !hb_ipaddr_parse_nic (opts->nic, spec->nic, error))
    {
      return FALSE;
    }
  if (opts->broadcast != NULL && opts->broadcast[0] != '\0')
    {
      if (!hb_ipaddr_parse_ipv4 (opts->broadcast, &spec->broadcast, error))
        {
          g_prefix_error (error, "broadcast: ");
          return FALSE;
        }
      spec->has_broadcast = TRUE;
    }
  return TRUE;
}

static void
print_result (const HbIpaddrSpec *spec, const HbFindifResult *res, gboolean shell)
{
  char ip[HB_IPADDR_STR_MAX], bcast[HB_IPADDR_STR_MAX];

  hb_ipaddr_format (spec->ip, ip);
  hb_ipaddr_format (res->broadcast, bcast);
  if (!shell)
    {
      printf ("%s\tnetmask %u\tbroadcast %s\n", res->nic, res->cidr, bcast);
      return;
    }
  printf ("FINDIF_IP=%s\nFINDIF_NIC=%s\nFINDIF_CIDR=%u\nFINDIF_BROADCAST=%s\n"
          "FINDIF_NIC_CALCULATED=%d\nFINDIF_CIDR_CALCULATED=%d\n",
          ip, res->nic, res->cidr, bcast, res->nic_calculated, res->cidr_calculated);
}

static int
run (const Options *opts, const char *arg)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GArray) routes = NULL;
  HbIpaddrSpec spec;
  HbFindifResult res;

  if (!hb_ipaddr_spec_parse (arg, &spec, &error) || !apply_options (opts, &spec, &error))
    {
      g_printerr ("findif: %s\n", error->message);
      return EXIT_CONFIGURED;
    }
  if (opts->parse_only)
    {
      char ip[HB_IPADDR_STR_MAX];

      printf ("FINDIF_IP=%s\n", hb_ipaddr_format (spec.ip, ip));
      return EXIT_SUCCESS;
    }
  if (spec.nic[0] != '\0' && if_nametoindex (spec.nic) == 0)
    {
      g_printerr ("findif: unknown interface '%s': %s\n", spec.nic, g_strerror (errno));
      return EXIT_CONFIGURED;
    }
  if (!g_file_get_contents (opts->route_file, &text, NULL, &error))
    {
      g_printerr ("findif: cannot read the route table: %s\n", error->message);
      return EXIT_FAILURE;
    }
  routes = hb_findif_parse_routes (text, &error);
  if (routes == NULL)
    {
      g_printerr ("findif: %s: %s\n", opts->route_file, error->message);
      return EXIT_FAILURE;
    }
  if (!hb_findif_resolve (routes, &spec, &res, &error))
    {
      g_printerr ("findif: %s\n", error->message);
      return EXIT_CONFIGURED;
    }
  print_result (&spec, &res, opts->shell);
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  Options opts = { 0 };
  g_autofree char *route_file = NULL;
  GOptionEntry entries[] = {
    { "routes", 'f', 0, G_OPTION_ARG_FILENAME, &opts.route_file,
      "Route table to read (default /proc/net/route)", "FILE" },
    { "cidr", 'c', 0, G_OPTION_ARG_STRING, &opts.cidr, "Prefix length or dotted netmask", "CIDR" },
    { "nic", 'n', 0, G_OPTION_ARG_STRING, &opts.nic, "Interface the address must go on", "NIC" },
    { "broadcast", 'b', 0, G_OPTION_ARG_STRING, &opts.broadcast, "Broadcast address", "BCAST" },
    { "shell", 's', 0, G_OPTION_ARG_NONE, &opts.shell, "Print FINDIF_*=value lines", NULL },
    { "parse-only", 'P', 0, G_OPTION_ARG_NONE, &opts.parse_only,
      "Only check the syntax; print FINDIF_IP", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("IP[/CIDR[/NIC[/BROADCAST]]]");
  g_autoptr (GError) error = NULL;
  int rc;

  g_option_context_set_summary (ctx, "Find the interface, netmask and broadcast for an IPv4 "
                                     "service address from the routing table.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2)
    {
      options_clear (&opts);
      g_free (opts.route_file);
      g_printerr ("findif: %s\nUsage: findif [-f ROUTES] [-c CIDR] [-n NIC] [-b BCAST] [-s] [-P] "
                  "IP[/CIDR[/NIC[/BCAST]]]\n",
                  error != NULL ? error->message : "expected exactly one address argument");
      return EXIT_USAGE;
    }
  route_file = opts.route_file != NULL ? opts.route_file : g_strdup ("/proc/net/route");
  opts.route_file = route_file;
  rc = run (&opts, argv[1]);
  options_clear (&opts);
  return rc;
}
