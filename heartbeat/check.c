/* systole: `heartbeat -t [-v]`: load the configuration as the daemon would,
 * with the host facts (interfaces, /etc/services, DNS) the library may not
 * gather itself. */
#include "check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config-files.h"
#include "systole.h"

struct _HbHostEnv
{
  HbConfigEnv env;
  GArray *ifaces;     /* of HbConfigInterface; strings owned by `strings` */
  GArray *links;      /* of HbConfigLink; names owned by `strings` */
  GArray *files;      /* of HbConfigFileFacts; paths owned by `strings` */
  GPtrArray *strings;
};

static guint
hb_host_prefix_len (const struct sockaddr *netmask)
{
  guint32 mask = ntohl (((const struct sockaddr_in *) (const void *) netmask)->sin_addr.s_addr);
  guint n = 0;

  for (; mask & 0x80000000u; mask <<= 1)
    {
      n++;
    }
  return n;
}

static void
hb_host_add_iface (HbHostEnv *host, const struct ifaddrs *ifa)
{
  char text[INET_ADDRSTRLEN];
  const struct sockaddr_in *sin = (const struct sockaddr_in *) (const void *) ifa->ifa_addr;
  HbConfigInterface iface = { 0 };

  inet_ntop (AF_INET, &sin->sin_addr, text, sizeof text);
  iface.ifname = g_strdup (ifa->ifa_name);
  iface.address = g_strdup (text);
  iface.prefix_len = hb_host_prefix_len (ifa->ifa_netmask);
  g_ptr_array_add (host->strings, (gpointer) iface.ifname);
  g_ptr_array_add (host->strings, (gpointer) iface.address);
  g_array_append_val (host->ifaces, iface);
}

/* HB3 ucast.c resolves peer host names; so does the daemon, through this. */
static char *
hb_host_resolve_ipv4 (const char *name, gpointer user_data)
{
  struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM };
  struct addrinfo *res = NULL;
  char text[INET_ADDRSTRLEN];

  (void) user_data;
  if (getaddrinfo (name, NULL, &hints, &res) != 0 || res == NULL)
    {
      return NULL;
    }
  const struct sockaddr_in *sin = (const struct sockaddr_in *) (const void *) res->ai_addr;
  inet_ntop (AF_INET, &sin->sin_addr, text, sizeof text);
  freeaddrinfo (res);
  return g_strdup (text);
}

/* Every interface once, with or without an address: getifaddrs lists each
 * one (AF_PACKET entries) with its flags. */
static void
hb_host_add_link (HbHostEnv *host, const struct ifaddrs *ifa)
{
  HbConfigLink link = { 0 };

  for (guint i = 0; i < host->links->len; i++)
    {
      if (strcmp (g_array_index (host->links, HbConfigLink, i).ifname, ifa->ifa_name) == 0)
        {
          return;
        }
    }
  link.ifname = g_strdup (ifa->ifa_name);
  link.loopback = (ifa->ifa_flags & IFF_LOOPBACK) != 0;
  g_ptr_array_add (host->strings, (gpointer) link.ifname);
  g_array_append_val (host->links, link);
}

static void
hb_host_add_interfaces (HbHostEnv *host)
{
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    {
      return; /* no table: the interface checks are skipped */
    }
  host->ifaces = g_array_new (FALSE, TRUE, sizeof (HbConfigInterface));
  host->links = g_array_new (FALSE, TRUE, sizeof (HbConfigLink));
  for (const struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
    {
      hb_host_add_link (host, ifa);
      if (ifa->ifa_addr != NULL && ifa->ifa_addr->sa_family == AF_INET && ifa->ifa_netmask != NULL)
        {
          hb_host_add_iface (host, ifa);
        }
    }
  freeifaddrs (list);
  host->env.interfaces = (const HbConfigInterface *) (const void *) host->ifaces->data;
  host->env.n_interfaces = host->ifaces->len;
  host->env.links = (const HbConfigLink *) (const void *) host->links->data;
  host->env.n_links = host->links->len;
}

HbHostEnv *
hb_host_env_new (const HbConfigPaths *paths, gboolean host_checks)
{
  HbHostEnv *host = g_new0 (HbHostEnv, 1);
  /* ha-cluster/udp from /etc/services, else 694 (the library's default;
   * docs/PROTOCOL.md, "ha.cf directives"). */
  struct servent *se = getservbyname ("ha-cluster", "udp");

  host->env.default_udpport = se != NULL ? ntohs ((guint16) se->s_port) : 0;
  host->env.resolve_ipv4 = hb_host_resolve_ipv4;
  host->env.euid = (guint) geteuid ();
  host->strings = g_ptr_array_new_with_free_func (g_free);
  if (paths != NULL)
    {
      host->files = g_array_new (FALSE, TRUE, sizeof (HbConfigFileFacts));
      hb_config_files_gather (paths, host->files, host->strings);
      host->env.files = (const HbConfigFileFacts *) (const void *) host->files->data;
      host->env.n_files = host->files->len;
    }
  if (host_checks)
    {
      hb_host_add_interfaces (host);
    }
  return host;
}

const HbConfigEnv *
hb_host_env_get (const HbHostEnv *host)
{
  return &host->env;
}

void
hb_host_env_free (HbHostEnv *host)
{
  if (host == NULL)
    {
      return;
    }
  g_clear_pointer (&host->ifaces, g_array_unref);
  g_clear_pointer (&host->links, g_array_unref);
  g_clear_pointer (&host->files, g_array_unref);
  g_clear_pointer (&host->strings, g_ptr_array_unref);
  g_free (host);
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
hb_check_run (const char *confdir, const char *nodename, gboolean host_checks, gboolean verbose,
              FILE *out, FILE *err)
{
  g_autofree char *node = hb_check_nodename (nodename);
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  HbConfigPaths paths = { .confdir = confdir };

  if (node == NULL)
    {
      fprintf (err, "ERROR: cannot get the node name (uname): %s\n", g_strerror (errno));
      return HB_EXIT_GENERIC;
    }
  g_autoptr (HbHostEnv) host = hb_host_env_new (&paths, host_checks);
  if (host_checks && hb_host_env_get (host)->interfaces == NULL)
    {
      fprintf (err, "WARN: cannot list network interfaces: interface checks skipped\n");
    }
  g_autoptr (HbConfig) config = hb_config_load_full (&paths, node, hb_host_env_get (host), diags, &error);
  guint errors = hb_check_print (diags, err);
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
