/* systole: `heartbeat -t [-v]`: load the configuration as the daemon would,
 * with the host facts (interfaces, /etc/services) the library cannot read. */
#include "check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/utsname.h>

#include "config.h"
#include "systole.h"

typedef struct
{
  GArray *ifaces;   /* of HbConfigInterface; strings in `strings` */
  GPtrArray *strings;
} HbCheckHost;

static void
hb_check_host_clear (HbCheckHost *host)
{
  g_clear_pointer (&host->ifaces, g_array_unref);
  g_clear_pointer (&host->strings, g_ptr_array_unref);
}

static guint
hb_check_prefix_len (const struct sockaddr *netmask)
{
  guint32 mask = ntohl (((const struct sockaddr_in *) (const void *) netmask)->sin_addr.s_addr);
  guint n = 0;

  for (; mask & 0x80000000u; mask <<= 1)
    {
      n++;
    }
  return n;
}

/* The IPv4 addresses of this host, for the ucast/interface checks. */
static void
hb_check_host_init (HbCheckHost *host, FILE *err)
{
  struct ifaddrs *list = NULL;

  host->ifaces = g_array_new (FALSE, TRUE, sizeof (HbConfigInterface));
  host->strings = g_ptr_array_new_with_free_func (g_free);
  if (getifaddrs (&list) != 0)
    {
      fprintf (err, "WARN: cannot list network interfaces (%s): interface checks skipped\n",
               g_strerror (errno));
      g_clear_pointer (&host->ifaces, g_array_unref);
      return;
    }
  for (const struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
    {
      char text[INET_ADDRSTRLEN];
      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET || ifa->ifa_netmask == NULL)
        {
          continue;
        }
      const struct sockaddr_in *sin = (const struct sockaddr_in *) (const void *) ifa->ifa_addr;
      inet_ntop (AF_INET, &sin->sin_addr, text, sizeof text);
      HbConfigInterface iface = { 0 };
      iface.ifname = g_strdup (ifa->ifa_name);
      iface.address = g_strdup (text);
      iface.prefix_len = hb_check_prefix_len (ifa->ifa_netmask);
      g_ptr_array_add (host->strings, (gpointer) iface.ifname);
      g_ptr_array_add (host->strings, (gpointer) iface.address);
      g_array_append_val (host->ifaces, iface);
    }
  freeifaddrs (list);
}

static guint16
hb_check_default_udpport (void)
{
  /* §4.2: ha-cluster/udp from /etc/services, else 694 (the library's default). */
  struct servent *se = getservbyname ("ha-cluster", "udp");

  return se != NULL ? ntohs ((guint16) se->s_port) : 0;
}

static char *
hb_check_nodename (const char *nodename)
{
  struct utsname uts;

  if (nodename != NULL)
    {
      return g_ascii_strdown (nodename, -1);
    }
  if (uname (&uts) != 0)
    {
      return NULL;
    }
  return g_ascii_strdown (uts.nodename, -1);
}

static guint
hb_check_print (GPtrArray *diags, FILE *err)
{
  guint errors = 0;

  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *diag = g_ptr_array_index (diags, i);
      gboolean is_error = diag->severity == HB_DIAG_ERROR;
      fprintf (err, "%s: %s\n", is_error ? "ERROR" : "WARN", diag->message);
      errors += is_error;
    }
  return errors;
}

int
hb_check_run (const char *confdir, const char *nodename, gboolean verbose, FILE *out, FILE *err)
{
  g_autofree char *node = hb_check_nodename (nodename);
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  HbCheckHost host = { 0 };
  HbConfigPaths paths = { .confdir = confdir };

  if (node == NULL)
    {
      fprintf (err, "ERROR: cannot get the node name (uname): %s\n", g_strerror (errno));
      return HB_EXIT_GENERIC;
    }
  hb_check_host_init (&host, err);
  HbConfigEnv env = {
    .interfaces = host.ifaces != NULL ? (const HbConfigInterface *) (const void *) host.ifaces->data : NULL,
    .n_interfaces = host.ifaces != NULL ? host.ifaces->len : 0,
    .default_udpport = hb_check_default_udpport (),
  };
  g_autoptr (HbConfig) config = hb_config_load_full (&paths, node, &env, diags, &error);
  guint errors = hb_check_print (diags, err);
  hb_check_host_clear (&host);
  if (config == NULL)
    {
      fprintf (err, "Configuration error, heartbeat not started: %u error%s in %s.\n", errors,
               errors == 1 ? "" : "s", confdir);
      return HB_EXIT_CONFIG;
    }
  if (verbose)
    {
      g_autofree char *dump = hb_config_dump (config);
      fputs (dump, out);
    }
  fprintf (out, "configuration OK\n");
  return HB_EXIT_OK;
}
