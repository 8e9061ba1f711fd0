/* systole: the IPaddr and IPaddr2 resource agents (one body, built twice
 * with IPADDR_AGENT_NAME set). IPaddr puts the address on a labelled alias
 * (eth0:0, the first free label; docs/PROTOCOL.md, "IPaddr"), IPaddr2 as a
 * plain secondary address ("IPaddr2"). Both talk rtnetlink themselves and
 * announce the move with send_arp in the background.
 *
 * Two calling conventions:
 *   Heartbeat (haresources `NAME::ip[/cidr[/nic[/bcast]]]`):
 *       NAME ip[/cidr[/nic[/bcast]]] start|stop|status|monitor
 *     status prints `running` (exit 0), `stopped` (exit 3) or `unknown`
 *     (exit 4); the other actions exit with OCF codes (docs/PROTOCOL.md,
 *     "Running resource scripts", "IPaddr").
 *   OCF (ocf:systole:NAME): NAME start|stop|monitor|meta-data|validate-all
 *     with OCF_RESKEY_ip, cidr_netmask, nic, broadcast, arp_count,
 *     arp_interval, arp_mode (docs/PROTOCOL.md, "OCF and LSB conventions").
 *
 * Environment:
 *   SYSTOLE_LIBEXEC     directory holding send_arp [HB_LIBEXECDIR]
 *   HA_RSCTMP           state: send_arp pid files, alias reservations [HB_RUNDIR/rsctmp]
 *   HA_LOGFILE, HA_LOGFACILITY   logging (resource.d/ralog.h)
 *   OCF_RESKEY_arp_*    gratuitous ARP tuning, honoured in both conventions
 *   SYSTOLE_ROUTE_FILE  route table to read [/proc/net/route] (tests)
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "findif.h"
#include "ipaddr-agent.h"
#include "ipaddr-arp.h"
#include "ipaddr-spec.h"
#include "ralog.h"
#include "rtnl-sock.h"

#ifndef IPADDR_AGENT_NAME
#error "IPADDR_AGENT_NAME must name the agent (IPaddr or IPaddr2)"
#endif

/* An address equal to ours, wherever it is. */
typedef struct
{
  guint ifindex;
  char dev[IF_NAMESIZE];
  guint prefixlen;
  char label[HB_IPADDR_NIC_MAX];
} Found;

typedef struct
{
  const char *name;
  gboolean use_label;
  HbRalog log;
  const char *rsctmp;
  const char *route_file;
  char *send_arp;
  const char *arp_count, *arp_interval, *arp_mode;
  /* Parameters as given. */
  const char *p_spec, *p_cidr, *p_nic, *p_bcast;
  /* Resolved by resolve(). */
  HbIpaddrSpec spec;
  char ip[HB_IPADDR_STR_MAX];
  HbFindifResult res;
  char bcast[HB_IPADDR_STR_MAX];
  HbRtnlSock rtnl;
} Agent;

static const char *
env_or (const char *var, const char *fallback)
{
  const char *v = g_getenv (var);

  return v != NULL && v[0] != '\0' ? v : fallback;
}

/* Logs MESSAGE at ERROR and returns CODE. */
G_GNUC_PRINTF (3, 4) static HbOcfCode
fail (Agent *a, HbOcfCode code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  hb_ralog (&a->log, HB_IPADDR_LOG_ERROR, "%s", message);
  return code;
}

static void
usage (const char *name, FILE *to)
{
  fprintf (to,
           "usage: %s ip[/cidr[/nic[/broadcast]]] {start|stop|status|monitor}\n"
           "       %s {start|stop|monitor|meta-data|validate-all|usage}   (OCF: OCF_RESKEY_ip=...)\n",
           name, name);
}

static void
meta_data (const Agent *a)
{
  printf ("<?xml version=\"1.0\"?>\n"
          "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
          "<resource-agent name=\"%s\" version=\"%s\">\n"
          "<version>1.0</version>\n"
          "<longdesc lang=\"en\">\n"
          "Manages an IPv4 service address (virtual IP) over rtnetlink: start adds it\n"
          "%s on the interface the routing table chooses (or the one given), then\n"
          "announces it with gratuitous ARP (send_arp) so that neighbours learn the new\n"
          "MAC at once; stop removes only that address and its ARP sender.\n"
          "</longdesc>\n",
          a->name, HB_VERSION,
          a->use_label ? "as a labelled alias (for example eth0:0, the first free label)"
                       : "as a secondary address without a label");
  fputs ("<shortdesc lang=\"en\">IPv4 service address with gratuitous ARP</shortdesc>\n"
         "<parameters>\n"
         "<parameter name=\"ip\" unique=\"1\" required=\"1\">\n"
         "<longdesc lang=\"en\">The IPv4 address, dotted quad (for example 192.0.2.10).</longdesc>\n"
         "<shortdesc lang=\"en\">IPv4 address</shortdesc>\n"
         "<content type=\"string\" default=\"\"/>\n"
         "</parameter>\n"
         "<parameter name=\"cidr_netmask\">\n"
         "<longdesc lang=\"en\">Prefix length (24) or dotted netmask. Default: the netmask of the route that reaches ip.</longdesc>\n"
         "<shortdesc lang=\"en\">Netmask</shortdesc>\n"
         "<content type=\"string\" default=\"\"/>\n"
         "</parameter>\n"
         "<parameter name=\"nic\">\n"
         "<longdesc lang=\"en\">Interface to put the address on. Default: the interface of the best route to ip. A value that the routing table contradicts is a configuration error.</longdesc>\n"
         "<shortdesc lang=\"en\">Network interface</shortdesc>\n"
         "<content type=\"string\" default=\"\"/>\n"
         "</parameter>\n"
         "<parameter name=\"broadcast\">\n"
         "<longdesc lang=\"en\">Broadcast address. Default: ip with all host bits set.</longdesc>\n"
         "<shortdesc lang=\"en\">Broadcast address</shortdesc>\n"
         "<content type=\"string\" default=\"\"/>\n"
         "</parameter>\n"
         "<parameter name=\"arp_count\">\n"
         "<longdesc lang=\"en\">Rounds of gratuitous ARP sent after start.</longdesc>\n"
         "<shortdesc lang=\"en\">ARP rounds</shortdesc>\n"
         "<content type=\"integer\" default=\"5\"/>\n"
         "</parameter>\n"
         "<parameter name=\"arp_interval\">\n"
         "<longdesc lang=\"en\">Milliseconds between rounds.</longdesc>\n"
         "<shortdesc lang=\"en\">ARP interval (ms)</shortdesc>\n"
         "<content type=\"integer\" default=\"200\"/>\n"
         "</parameter>\n"
         "<parameter name=\"arp_mode\">\n"
         "<longdesc lang=\"en\">Which ARP packets each round sends: both (a request, then a reply half an interval later), request, or reply (for switches that believe only one kind).</longdesc>\n"
         "<shortdesc lang=\"en\">ARP packet kind</shortdesc>\n"
         "<content type=\"string\" default=\"both\"/>\n"
         "</parameter>\n"
         "</parameters>\n"
         "<actions>\n"
         "<action name=\"start\" timeout=\"20s\"/>\n"
         "<action name=\"stop\" timeout=\"20s\"/>\n"
         "<action name=\"monitor\" timeout=\"20s\" interval=\"10s\" depth=\"0\"/>\n"
         "<action name=\"status\" timeout=\"20s\"/>\n"
         "<action name=\"meta-data\" timeout=\"5s\"/>\n"
         "<action name=\"validate-all\" timeout=\"20s\"/>\n"
         "<action name=\"usage\" timeout=\"5s\"/>\n"
         "</actions>\n"
         "</resource-agent>\n",
         stdout);
}

/* Parses the parameters; unless parse_only, completes them from the routing
 * table (the old findif helper, in-process). */
static HbOcfCode
resolve (Agent *a, gboolean parse_only)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GArray) routes = NULL;

  if (!hb_ipaddr_spec_parse (a->p_spec, &a->spec, &error)
      || !hb_ipaddr_apply_overrides (&a->spec, a->p_cidr, a->p_nic, a->p_bcast, &error))
    return fail (a, HB_OCF_ERR_CONFIGURED, "%s", error->message);
  hb_ipaddr_format (a->spec.ip, a->ip);
  if (parse_only)
    return HB_OCF_SUCCESS;
  if (a->spec.nic[0] != '\0' && if_nametoindex (a->spec.nic) == 0)
    return fail (a, HB_OCF_ERR_CONFIGURED, "unknown interface '%s': %s", a->spec.nic,
                 g_strerror (errno));
  if (!g_file_get_contents (a->route_file, &text, NULL, &error))
    return fail (a, HB_OCF_ERR_GENERIC, "cannot read the route table: %s", error->message);
  routes = hb_findif_parse_routes (text, &error);
  if (routes == NULL)
    return fail (a, HB_OCF_ERR_GENERIC, "%s: %s", a->route_file, error->message);
  if (!hb_findif_resolve (routes, &a->spec, &a->res, &error))
    return fail (a, HB_OCF_ERR_CONFIGURED, "%s", error->message);
  hb_ipaddr_format (a->res.broadcast, a->bcast);
  return HB_OCF_SUCCESS;
}

/* validate-all: every parameter checked, interface and netmask resolved. */
static HbOcfCode
validate (Agent *a)
{
  g_autoptr (GError) error = NULL;
  HbOcfCode rc;

  if (access (a->send_arp, X_OK) != 0)
    return fail (a, HB_OCF_ERR_INSTALLED,
                 "helper %s not found or not executable (set SYSTOLE_LIBEXEC)", a->send_arp);
  if (!hb_ipaddr_check_arp (a->arp_count, a->arp_interval, a->arp_mode, &error))
    return fail (a, HB_OCF_ERR_CONFIGURED, "%s", error->message);
  rc = resolve (a, FALSE);
  if (rc != HB_OCF_SUCCESS)
    return rc;
  if (a->res.nic_calculated)
    hb_ralog (&a->log, HB_IPADDR_LOG_INFO, "Using calculated nic for %s: %s", a->ip, a->res.nic);
  if (a->res.cidr_calculated)
    hb_ralog (&a->log, HB_IPADDR_LOG_INFO, "Using calculated netmask for %s: %u", a->ip,
              a->res.cidr);
  return HB_OCF_SUCCESS;
}

/* Every IPv4 address of this host, or NULL (logged). */
static GArray *
dump_addrs (Agent *a)
{
  g_autoptr (GError) error = NULL;
  GArray *addrs;

  if (a->rtnl.fd < 0 && !hb_rtnl_sock_open (&a->rtnl, &error))
    {
      fail (a, HB_OCF_ERR_GENERIC, "cannot list addresses: %s", error->message);
      return NULL;
    }
  addrs = hb_rtnl_sock_dump_addrs (&a->rtnl, &error);
  if (addrs == NULL)
    fail (a, HB_OCF_ERR_GENERIC, "cannot list addresses: %s", error->message);
  return addrs;
}

/* The entries of `addrs` holding our address, with their device names. */
static GArray *
find_ours (const Agent *a, const GArray *addrs)
{
  GArray *found = g_array_new (FALSE, TRUE, sizeof (Found));

  for (guint i = 0; i < addrs->len; i++)
    {
      const HbRtnlAddr *x = &g_array_index (addrs, HbRtnlAddr, i);
      Found f = { .ifindex = x->ifindex, .prefixlen = x->prefixlen };

      if (x->local != a->spec.ip)
        continue;
      if (if_indextoname (x->ifindex, f.dev) == NULL)
        g_snprintf (f.dev, sizeof f.dev, "if%u", x->ifindex);
      g_strlcpy (f.label, x->label[0] != '\0' ? x->label : f.dev, sizeof f.label);
      g_array_append_val (found, f);
    }
  return found;
}

static gboolean
found_on (const GArray *found, guint ifindex)
{
  for (guint i = 0; i < found->len; i++)
    if (g_array_index (found, Found, i).ifindex == ifindex)
      return TRUE;
  return FALSE;
}

static char *
arp_pidfile (const Agent *a)
{
  return g_strdup_printf ("%s/send_arp-%s", a->rsctmp, a->ip);
}

static char *
reservation (const Agent *a, const char *label)
{
  return g_strdup_printf ("%s/%s-%s", a->rsctmp, a->name, label);
}

/* A reservation older than a minute for a label not in use was left by an
 * agent that died between reserving and adding: reclaim it. */
static void
reclaim_stale (Agent *a, const char *path, const char *label)
{
  struct stat st;

  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode) && time (NULL) - st.st_mtime > 60
      && rmdir (path) == 0)
    hb_ralog (&a->log, HB_IPADDR_LOG_WARN, "reclaimed stale alias reservation %s", label);
}

/* Picks the first free label NIC:N and reserves it with an atomic mkdir under
 * HA_RSCTMP, so two agents starting at once never collide. */
static HbOcfCode
reserve_label (Agent *a, const GArray *addrs, guint nic_index, char label[HB_IPADDR_NIC_MAX])
{
  g_autoptr (GPtrArray) used = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  guint n = 0;

  for (guint i = 0; i < addrs->len; i++)
    if (g_array_index (addrs, HbRtnlAddr, i).ifindex == nic_index)
      g_ptr_array_add (used, g_array_index (addrs, HbRtnlAddr, i).label);
  g_ptr_array_add (used, NULL);
  for (;; n++)
    {
      g_autofree char *path = NULL;

      if (!hb_ipaddr_label_pick (a->res.nic, (const char *const *) used->pdata, n, &n, label,
                                 &error))
        return fail (a,
                     error->code == HB_IPADDR_AGENT_ERROR_LABEL_LENGTH ? HB_OCF_ERR_CONFIGURED
                                                                       : HB_OCF_ERR_GENERIC,
                     "%s", error->message);
      path = reservation (a, label);
      reclaim_stale (a, path, label);
      if (mkdir (path, 0777) == 0)
        return HB_OCF_SUCCESS;
    }
}

static void
release_label (const Agent *a, const char *label)
{
  g_autofree char *path = reservation (a, label);

  rmdir (path);
}

static HbOcfCode
errno_code (int err)
{
  return err == EPERM || err == EACCES ? HB_OCF_ERR_PERM : HB_OCF_ERR_GENERIC;
}

/* RTM_NEWADDR / RTM_DELADDR; *message_out says why it failed, like `ip`. */
static int
change_addr (Agent *a, guint16 type, const HbRtnlAddrReq *req, char **message_out)
{
  g_autoptr (GError) error = NULL;
  int err = 0;

  if ((a->rtnl.fd < 0 && !hb_rtnl_sock_open (&a->rtnl, &error))
      || !hb_rtnl_sock_change_addr (&a->rtnl, type, req, &err, &error))
    {
      *message_out = g_strdup (error->message);
      return EIO;
    }
  if (err != 0)
    *message_out = g_strdup_printf ("RTNETLINK answers: %s", g_strerror (err));
  return err;
}

static void
start_arp (Agent *a)
{
  g_autofree char *pidfile = arp_pidfile (a);
  g_autoptr (GError) error = NULL;
  char *argv[] = { a->send_arp, "-i", (char *) a->arp_interval, "-r", (char *) a->arp_count,
                   "-m", (char *) a->arp_mode, "-p", pidfile, a->res.nic, a->ip, "auto",
                   "not_used", "not_used", NULL };

  if (!hb_ipaddr_arp_start (argv, pidfile, &a->log, &error))
    hb_ralog (&a->log, HB_IPADDR_LOG_ERROR, "%s", error->message);
}

/* Adds the address (the resolved parameters, `label` or none). */
static HbOcfCode
add_addr (Agent *a, guint nic_index, const char *label)
{
  g_autofree char *why = NULL;
  HbRtnlAddrReq req = { .ifindex = nic_index, .ip = a->spec.ip, .prefixlen = a->res.cidr,
                        .has_broadcast = TRUE, .broadcast = a->res.broadcast, .label = label };
  int err = change_addr (a, RTM_NEWADDR, &req, &why);

  if (err != 0)
    {
      if (label[0] != '\0')
        release_label (a, label);
      return fail (a, errno_code (err), "ip addr add %s/%u dev %s failed: %s", a->ip, a->res.cidr,
                   a->res.nic, why);
    }
  /* Nothing between adding the address and starting send_arp: the first
   * gratuitous ARP must leave at once. */
  start_arp (a);
  hb_ralog (&a->log, HB_IPADDR_LOG_INFO, "ip -f inet addr add %s/%u brd %s dev %s%s%s", a->ip,
            a->res.cidr, a->bcast, a->res.nic, label[0] != '\0' ? " label " : "", label);
  return HB_OCF_SUCCESS;
}

static HbOcfCode
do_start (Agent *a)
{
  g_autoptr (GArray) addrs = NULL;
  g_autoptr (GArray) found = NULL;
  g_autofree char *pidfile = NULL;
  char label[HB_IPADDR_NIC_MAX] = "";
  guint nic_index;
  HbOcfCode rc = validate (a);

  if (rc != HB_OCF_SUCCESS)
    return rc;
  if (g_mkdir_with_parents (a->rsctmp, 0777) != 0)
    return fail (a, HB_OCF_ERR_PERM, "cannot create state directory %s (set HA_RSCTMP)",
                 a->rsctmp);
  nic_index = if_nametoindex (a->res.nic);
  if (nic_index == 0)
    return fail (a, HB_OCF_ERR_CONFIGURED, "unknown interface '%s': %s", a->res.nic,
                 g_strerror (errno));
  if ((addrs = dump_addrs (a)) == NULL)
    return HB_OCF_ERR_GENERIC;
  found = find_ours (a, addrs);
  if (found_on (found, nic_index))
    {
      hb_ralog (&a->log, HB_IPADDR_LOG_INFO, "%s is already on %s: nothing to do", a->ip,
                a->res.nic);
      return HB_OCF_SUCCESS;
    }
  pidfile = arp_pidfile (a);
  hb_ipaddr_pidfile_kill (pidfile, "send_arp");
  if (a->use_label && (rc = reserve_label (a, addrs, nic_index, label)) != HB_OCF_SUCCESS)
    return rc;
  if ((rc = add_addr (a, nic_index, label)) != HB_OCF_SUCCESS)
    return rc;
  hb_ralog (&a->log, HB_IPADDR_LOG_INFO, "%s -i %s -r %s -m %s -p %s %s %s auto not_used not_used",
            a->send_arp, a->arp_interval, a->arp_count, a->arp_mode, pidfile, a->res.nic, a->ip);
  g_clear_pointer (&addrs, g_array_unref);
  g_clear_pointer (&found, g_array_unref);
  if ((addrs = dump_addrs (a)) == NULL)
    return HB_OCF_ERR_GENERIC;
  found = find_ours (a, addrs);
  if (!found_on (found, nic_index))
    return fail (a, HB_OCF_ERR_GENERIC, "%s not on %s after ip addr add", a->ip, a->res.nic);
  return HB_OCF_SUCCESS;
}

static HbOcfCode
remove_one (Agent *a, const Found *f)
{
  g_autofree char *why = NULL;
  HbRtnlAddrReq req = { .ifindex = f->ifindex, .ip = a->spec.ip, .prefixlen = f->prefixlen };

  if (change_addr (a, RTM_DELADDR, &req, &why) != 0)
    return fail (a, HB_OCF_ERR_GENERIC, "IP Address %s NOT released from %s: %s", a->ip, f->dev,
                 why);
  hb_ralog (&a->log, HB_IPADDR_LOG_INFO, "ip -f inet addr del %s/%u dev %s (label %s)", a->ip,
            f->prefixlen, f->dev, f->label);
  if (strchr (f->label, ':') != NULL)
    release_label (a, f->label);
  return HB_OCF_SUCCESS;
}

/* stop: needs only the address (the route may have gone meanwhile); removes
 * it wherever it is, and its ARP sender. */
static HbOcfCode
do_stop (Agent *a)
{
  g_autoptr (GArray) addrs = NULL;
  g_autoptr (GArray) found = NULL;
  g_autofree char *pidfile = NULL;
  HbOcfCode rc = resolve (a, TRUE);

  if (rc != HB_OCF_SUCCESS)
    return rc;
  pidfile = arp_pidfile (a);
  hb_ipaddr_pidfile_kill (pidfile, "send_arp");
  if ((addrs = dump_addrs (a)) == NULL)
    return HB_OCF_ERR_GENERIC;
  found = find_ours (a, addrs);
  if (found->len == 0)
    {
      hb_ralog (&a->log, HB_IPADDR_LOG_INFO, "%s is not configured here: already stopped", a->ip);
      return HB_OCF_SUCCESS;
    }
  for (guint i = 0; i < found->len; i++)
    {
      HbOcfCode one = remove_one (a, &g_array_index (found, Found, i));

      if (one != HB_OCF_SUCCESS)
        rc = one;
    }
  return rc;
}

/* monitor: 7 when the address is nowhere, 0 when it is on the expected
 * interface, an error when it is elsewhere. */
static HbOcfCode
do_monitor (Agent *a)
{
  g_autoptr (GArray) addrs = NULL;
  g_autoptr (GArray) found = NULL;
  g_autoptr (GString) where = NULL;
  HbOcfCode rc = resolve (a, TRUE);

  if (rc != HB_OCF_SUCCESS)
    return rc;
  if ((addrs = dump_addrs (a)) == NULL)
    return HB_OCF_ERR_GENERIC;
  found = find_ours (a, addrs);
  if (found->len == 0)
    return HB_OCF_NOT_RUNNING;
  /* A routine monitor tells stderr only about trouble. */
  a->log.quiet = TRUE;
  rc = validate (a);
  a->log.quiet = FALSE;
  if (rc != HB_OCF_SUCCESS)
    return rc;
  if (found_on (found, if_nametoindex (a->res.nic)))
    return HB_OCF_SUCCESS;
  where = g_string_new (NULL);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (where, "%s ", g_array_index (found, Found, i).dev);
  return fail (a, HB_OCF_ERR_GENERIC, "%s is on %sinstead of %s", a->ip, where->str, a->res.nic);
}

/* Runs ACTION, returns its OCF code. */
static HbOcfCode
dispatch (Agent *a, const char *action)
{
  if (strcmp (action, "start") == 0)
    return do_start (a);
  if (strcmp (action, "stop") == 0)
    return do_stop (a);
  if (strcmp (action, "monitor") == 0 || strcmp (action, "status") == 0)
    return do_monitor (a);
  if (strcmp (action, "validate-all") == 0)
    return validate (a);
  if (strcmp (action, "meta-data") == 0)
    {
      meta_data (a);
      return HB_OCF_SUCCESS;
    }
  if (strcmp (action, "usage") == 0 || strcmp (action, "help") == 0)
    {
      usage (a->name, stdout);
      return HB_OCF_SUCCESS;
    }
  usage (a->name, stderr);
  return HB_OCF_ERR_UNIMPLEMENTED;
}

/* Heartbeat convention: status prints running/stopped with LSB codes. */
static int
heartbeat_main (Agent *a, const char *spec, const char *action)
{
  static const char *const actions[] = { "start", "stop", "monitor", "validate-all", NULL };
  int lsb;

  a->p_spec = spec;
  if (strcmp (action, "status") == 0)
    {
      puts (hb_ipaddr_status_word (do_monitor (a), &lsb));
      return lsb;
    }
  if (g_strv_contains (actions, action))
    return dispatch (a, action);
  usage (a->name, stderr);
  return HB_OCF_ERR_ARGS;
}

static int
ocf_main (Agent *a, const char *action)
{
  static const char *const need_ip[] = { "start", "stop", "monitor", "status", "validate-all",
                                         NULL };

  if (strcmp (action, "meta-data") == 0 || strcmp (action, "usage") == 0
      || strcmp (action, "help") == 0)
    return dispatch (a, action);
  a->p_spec = env_or ("OCF_RESKEY_ip", NULL);
  a->p_cidr = env_or ("OCF_RESKEY_cidr_netmask", NULL);
  a->p_nic = env_or ("OCF_RESKEY_nic", NULL);
  a->p_bcast = env_or ("OCF_RESKEY_broadcast", NULL);
  if (a->p_spec == NULL && g_strv_contains (need_ip, action))
    return fail (a, HB_OCF_ERR_CONFIGURED, "required parameter ip is not set (OCF_RESKEY_ip)");
  return dispatch (a, action);
}

static void
agent_init (Agent *a)
{
  a->name = IPADDR_AGENT_NAME;
  /* IPaddr labels its addresses (Heartbeat's ifconfig aliases); IPaddr2 adds
   * plain secondaries (docs/PROTOCOL.md, "IPaddr", "IPaddr2"). */
  a->use_label = strcmp (a->name, "IPaddr") == 0;
  hb_ralog_init (&a->log, a->name, getpid ());
  a->rsctmp = env_or ("HA_RSCTMP", HB_RUNDIR "/rsctmp");
  a->route_file = env_or ("SYSTOLE_ROUTE_FILE", "/proc/net/route");
  a->send_arp = g_build_filename (env_or ("SYSTOLE_LIBEXEC", HB_LIBEXECDIR), "send_arp", NULL);
  /* Gratuitous ARP defaults: 5 rounds, 200 ms apart, request+reply
   * (docs/PROTOCOL.md, "IPaddr2"). */
  a->arp_count = env_or ("OCF_RESKEY_arp_count", "5");
  a->arp_interval = env_or ("OCF_RESKEY_arp_interval", "200");
  a->arp_mode = env_or ("OCF_RESKEY_arp_mode", "both");
  a->rtnl = (HbRtnlSock) HB_RTNL_SOCK_INIT;
}

/* The OCF convention is meant when a single action comes with any sign of an
 * OCF caller. */
static gboolean
called_ocf_style (const char *action)
{
  return env_or ("OCF_RESKEY_ip", NULL) != NULL || env_or ("OCF_ROOT", NULL) != NULL
         || env_or ("OCF_RESOURCE_INSTANCE", NULL) != NULL || strcmp (action, "meta-data") == 0
         || strcmp (action, "usage") == 0;
}

int
main (int argc, char **argv)
{
  Agent a = { 0 };
  int rc;

  agent_init (&a);
  if (argc == 3)
    rc = heartbeat_main (&a, argv[1], argv[2]);
  else if (argc == 2 && called_ocf_style (argv[1]))
    rc = ocf_main (&a, argv[1]);
  else
    {
      usage (a.name, stderr);
      rc = HB_OCF_ERR_ARGS;
    }
  hb_rtnl_sock_close (&a.rtnl);
  g_free (a.send_arp);
  return rc;
}
