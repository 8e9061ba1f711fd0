/* systole: what resource management runs besides agents: the agents'
 * environment, the self-fence command and the re-announcement of addresses
 * after a split brain (see daemon-rsc.h). */
#include "daemon-rsc.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "ipaddr-spec.h"
#include "logger.h"

/* ---- agent environment -------------------------------------------------------------- */

/* Set per resource by the runner (lib/agent.c): never passed through. */
static gboolean
is_per_resource (const char *entry)
{
  return g_str_has_prefix (entry, "OCF_ROOT=") || g_str_has_prefix (entry, "OCF_RESKEY_")
         || g_str_has_prefix (entry, "OCF_RESOURCE_INSTANCE=");
}

static void
add_env (GStrvBuilder *b, const char *name, const char *value)
{
  g_autofree char *entry = NULL;

  if (value != NULL)
    {
      entry = g_strdup_printf ("%s=%s", name, value);
      g_strv_builder_add (b, entry);
    }
}

/* Heartbeat's ResourceManager exports these to every script (docs/PROTOCOL.md,
 * "Event dispatch"): where the configuration, scripts and state are, and where
 * to log. The daemon's own SYSTOLE_* (e.g. SYSTOLE_LIBEXEC: where the agents
 * find send_arp) and OCF_* variables pass through, so tests run agents from the
 * build tree. */
GStrv
hb_resmgr_agent_env (const HbConfig *config, const char *logfile, const char *rsctmp,
                  guint debug_level)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *resource_dir = g_build_filename (config->confdir, "resource.d", NULL);
  g_autofree char *debug = g_strdup_printf ("%u", debug_level);
  g_auto (GStrv) environ_copy = g_get_environ ();

  add_env (b, "HA_CURHOST", config->local_node);
  add_env (b, "HA_DIR", config->confdir);
  add_env (b, "HA_RESOURCEDIR", resource_dir);
  add_env (b, "HA_RSCTMP", rsctmp);
  add_env (b, "HA_debug", debug);
  add_env (b, "HA_LOGFILE", logfile);
  add_env (b, "HA_DEBUGLOG", config->debugfile);
  add_env (b, "HA_LOGFACILITY", config->logfacility);
  add_env (b, "HA_LOGD", config->use_logd ? "yes" : "no");
  if (config->auto_failback != HB_FAILBACK_LEGACY)
    {
      add_env (b, "HA_NICEFAILBACK", "yes");
    }
  for (guint i = 0; environ_copy[i] != NULL; i++)
    {
      const char *e = environ_copy[i];
      if (g_str_has_prefix (e, "SYSTOLE_") || (g_str_has_prefix (e, "OCF_") && !is_per_resource (e)))
        {
          g_strv_builder_add (b, e);
        }
    }
  return g_strv_builder_end (b);
}

/* ---- background helpers ---------------------------------------------------------------- */

static void
on_helper_exit (GPid pid, gint wait_status, gpointer user_data)
{
  g_autofree char *what = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_spawn_check_wait_status (wait_status, &error))
    {
      hb_log (HB_LOG_ERR, "%s: %s", what, error->message);
    }
  else
    {
      hb_log (HB_LOG_DEBUG, "%s: done", what);
    }
  g_spawn_close_pid (pid);
}

/* Runs argv without waiting; its outcome is logged when it exits. */
static void
spawn_logged (const char *const *argv, const char *what)
{
  g_autoptr (GError) error = NULL;
  GPid pid;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid,
                      &error))
    {
      hb_log (HB_LOG_ERR, "%s: cannot run %s: %s", what, argv[0], error->message);
      return;
    }
  g_child_watch_add (pid, on_helper_exit, g_strdup (what));
}

/* ---- self-fencing (docs/PROTOCOL.md, "Group start and stop") ----------------------------- */

void
hb_resmgr_fence (const char *command, const char *group, const char *why)
{
  const char *argv[] = { "/bin/sh", "-c", command, NULL };

  hb_log (HB_LOG_CRIT, "Self-fencing (%s): running '%s'",
          why != NULL ? why : group != NULL ? group : "resource stop failure", command);
  spawn_logged (argv, "fence command");
}

/* ---- gratuitous ARP re-announcement ---------------------------------------------------------- */

/* The interface that holds `ip` here (an alias label "eth0:0" names its base
 * interface). The address is up on the keeper, so the kernel's own table
 * answers; lib/findif chooses a nic for an address not configured yet. */
static char *
interface_holding (guint32 ip)
{
  struct ifaddrs *list = NULL;
  char *found = NULL;

  if (getifaddrs (&list) != 0)
    {
      return NULL;
    }
  for (struct ifaddrs *ifa = list; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
    {
      if (ifa->ifa_addr != NULL && ifa->ifa_addr->sa_family == AF_INET
          && ntohl (((struct sockaddr_in *) ifa->ifa_addr)->sin_addr.s_addr) == ip)
        {
          found = g_strndup (ifa->ifa_name, strcspn (ifa->ifa_name, ":"));
        }
    }
  freeifaddrs (list);
  return found;
}

static gboolean
is_ipaddr_agent (const HbResource *res)
{
  return (strcmp (res->agent, "IPaddr") == 0 || strcmp (res->agent, "IPaddr2") == 0)
         && res->args != NULL && res->args[0] != NULL;
}

/* Same send_arp call as the IPaddr agents' start (count 5, 200 ms apart,
 * requests and replies), so that neighbours move to our MAC at once. */
void
hb_resmgr_resend_arp (const HbResourceGroup *group)
{
  const char *libexec = g_getenv ("SYSTOLE_LIBEXEC");
  g_autofree char *send_arp = g_build_filename (libexec != NULL && libexec[0] != '\0' ? libexec
                                                                                     : HB_LIBEXECDIR,
                                                "send_arp", NULL);

  for (guint i = 0; i < group->resources->len; i++)
    {
      const HbResource *res = g_ptr_array_index (group->resources, i);
      HbIpaddrSpec spec;
      char ip[HB_IPADDR_STR_MAX];
      g_autofree char *nic = NULL;
      g_autofree char *what = NULL;

      if (!is_ipaddr_agent (res) || !hb_ipaddr_spec_parse (res->args[0], &spec, NULL))
        {
          continue;
        }
      hb_ipaddr_format (spec.ip, ip);
      nic = interface_holding (spec.ip);
      if (nic == NULL)
        {
          hb_log (HB_LOG_WARNING, "Cannot re-announce %s: the address is not configured here", ip);
          continue;
        }
      what = g_strdup_printf ("send_arp %s %s", nic, ip);
      hb_log (HB_LOG_INFO, "Re-announcing %s on %s (gratuitous ARP)", ip, nic);
      spawn_logged ((const char *const[]) { send_arp, "-i", "200", "-r", "5", "-m", "both", nic, ip,
                                            "auto", "not_used", "not_used", NULL },
                    what);
    }
}
