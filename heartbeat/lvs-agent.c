/* The LVS resource agent: systole-lvs called as LVS (resource.d/LVS and
 * ocf:systole:LVS are this program under that name) or as `systole-lvs agent`.
 * It maps the two calling conventions onto the tool's commands, run in-process:
 * a failover pays one exec, not a shell plus its helpers plus the tool.
 *
 * Heartbeat style (haresources: `node1 192.0.2.100 LVS::/etc/ha.d/lvs.conf`):
 *   LVS /etc/ha.d/lvs.conf [auto|ipvs|nftables] start|stop|status
 *   status prints "running" (exit 0) or "stopped" (exit 3), LSB-style
 *   (docs/PROTOCOL.md, "OCF and LSB conventions"); a partly programmed table is
 *   "stopped (...)", exit 1, so heartbeat's start repairs it.
 * OCF style (ocf:systole:LVS; docs/PROTOCOL.md, "OCF and LSB conventions"):
 *   OCF_RESKEY_config=/etc/ha.d/lvs.conf [OCF_RESKEY_backend=...] LVS
 *       start|stop|monitor|meta-data|validate-all
 *   failures say why on stderr as "ocf-exit-reason:...".
 * State: $SYSTOLE_LVS_STATEDIR, else RUNDIR/lvs. Log: $HA_LOGFILE, else syslog.
 */
#include <stdio.h>
#include <string.h>

#include "lvs-log.h"
#include "lvs-tool.h"

/* OCF exit codes and LSB status codes (docs/PROTOCOL.md, "OCF and LSB conventions"). */
enum
{
  OCF_SUCCESS = 0,
  OCF_ERR_GENERIC = 1,
  OCF_ERR_ARGS = 2,
  OCF_ERR_UNIMPLEMENTED = 3,
  OCF_ERR_INSTALLED = 5,
  OCF_ERR_CONFIGURED = 6,
  OCF_NOT_RUNNING = 7,
};

enum
{
  LSB_STATUS_DEAD = 1,
  LSB_STATUS_STOPPED = 3,
  LSB_STATUS_UNKNOWN = 4,
};

typedef struct
{
  const char *self;    /* argv[0], for the usage text */
  const char *name;    /* log name: the OCF resource instance, else LVS */
  const char *config;
  const char *backend; /* "" when not given */
  gboolean ocf;
} Agent;

/* One tool command's outcome, as the shell agent saw it: exit code, stdout
 * without its trailing newlines, the last ERROR message (the exit reason). */
typedef struct
{
  int rc;
  char *out;
  const char *reason; /* owned by lvs-log, may be NULL */
} Result;

static const char meta_data[] =
  "<?xml version=\"1.0\"?>\n"
  "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
  "<resource-agent name=\"LVS\" version=\"" HB_VERSION "\">\n"
  "<version>1.0</version>\n"
  "<longdesc lang=\"en\">\n"
  "Programs the Linux Virtual Server (load balancer) services of one lvs.conf file into\n"
  "the kernel, through IPVS (ipvsadm) or nftables (DNAT), and checks the real servers\n"
  "with TCP connects while the resource runs: a failed real server gets weight 0\n"
  "(inhibit_on_failure) or is removed, and comes back when its check passes. The file\n"
  "uses keepalived's virtual_server block syntax. Stop removes only this file's\n"
  "services; other IPVS services and nftables tables on the host stay.\n"
  "</longdesc>\n"
  "<shortdesc lang=\"en\">LVS director: virtual services with real-server health checks</shortdesc>\n"
  "<parameters>\n"
  "<parameter name=\"config\" unique=\"1\" required=\"1\">\n"
  "<longdesc lang=\"en\">\n"
  "Absolute path of the lvs.conf file (keepalived virtual_server syntax).\n"
  "</longdesc>\n"
  "<shortdesc lang=\"en\">lvs.conf path</shortdesc>\n"
  "<content type=\"string\" default=\"" HB_CONFDIR "/lvs.conf\"/>\n"
  "</parameter>\n"
  "<parameter name=\"backend\" unique=\"0\" required=\"0\">\n"
  "<longdesc lang=\"en\">\n"
  "auto, ipvs or nftables. Empty: the file's own \"backend\" setting, else auto\n"
  "(ipvs when /proc/net/ip_vs exists, else nftables).\n"
  "</longdesc>\n"
  "<shortdesc lang=\"en\">kernel backend</shortdesc>\n"
  "<content type=\"string\" default=\"\"/>\n"
  "</parameter>\n"
  "</parameters>\n"
  "<actions>\n"
  "<action name=\"start\" timeout=\"30s\"/>\n"
  "<action name=\"stop\" timeout=\"30s\"/>\n"
  "<action name=\"monitor\" timeout=\"20s\" interval=\"10s\" depth=\"0\"/>\n"
  "<action name=\"status\" timeout=\"20s\"/>\n"
  "<action name=\"validate-all\" timeout=\"20s\"/>\n"
  "<action name=\"meta-data\" timeout=\"5s\"/>\n"
  "</actions>\n"
  "</resource-agent>\n";

static void
usage (FILE *to, const char *self)
{
  fprintf (to,
           "usage: %s LVS.CONF [auto|ipvs|nftables] start|stop|status     (Heartbeat style)\n"
           "       OCF_RESKEY_config=LVS.CONF %s start|stop|monitor|validate-all|meta-data   (OCF)\n",
           self, self);
}

static Result
run_tool (const Agent *a, const char *command)
{
  HbLvsToolOptions opt = { 0 };
  HbLvsBackend backend = HB_LVS_BACKEND_AUTO;
  g_autoptr (GString) out = g_string_new (NULL);
  Result r;

  hb_lvs_tool_parse_backend (a->backend[0] != '\0' ? a->backend : NULL, &backend);
  r.rc = hb_lvs_tool_command (&opt, backend, command, a->config, out);
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    {
      g_string_truncate (out, out->len - 1);
    }
  r.out = g_strdup (out->str);
  r.reason = hb_lvs_log_last_error ();
  return r;
}

/* Exit codes the tool may return are OCF's; anything unexpected is generic. */
static int
ocf_rc (int rc)
{
  return (rc >= 0 && rc <= 2) || (rc >= 5 && rc <= 7) ? rc : OCF_ERR_GENERIC;
}

static const struct
{
  const char *action;
  const char *command;
} ocf_actions[] = {
  { "start", "start" },    { "stop", "stop" },     { "validate-all", "check" },
  { "monitor", "status" }, { "status", "status" },
};

static int
agent_ocf (const Agent *a, const char *action)
{
  const char *command = NULL;
  Result r;

  for (guint i = 0; i < G_N_ELEMENTS (ocf_actions) && command == NULL; i++)
    {
      command = strcmp (action, ocf_actions[i].action) == 0 ? ocf_actions[i].command : NULL;
    }
  if (command == NULL)
    {
      usage (stderr, a->self);
      return OCF_ERR_UNIMPLEMENTED;
    }
  r = run_tool (a, command);
  if (r.out[0] != '\0' && strcmp (command, "status") != 0)
    {
      printf ("%s\n", r.out);
      fflush (stdout); /* before the exit reason, as the shell agent wrote them */
    }
  if (strcmp (command, "status") == 0 && r.rc == OCF_ERR_GENERIC)
    {
      hb_lvs_log_as (a->name, HB_LVS_LOG_ERROR, "%s: %s", a->config, r.out);
    }
  if (r.rc != OCF_SUCCESS && r.rc != OCF_NOT_RUNNING && r.reason != NULL)
    {
      fprintf (stderr, "ocf-exit-reason:%s\n", r.reason);
    }
  g_free (r.out);
  return ocf_rc (r.rc);
}

/* "degraded: ...\n  problem\n  problem" -> "degraded: ...; problem; problem" */
static char *
one_line (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchug (lines[i]);
    }
  return g_strjoinv ("; ", lines);
}

static int
hb_status (const Agent *a)
{
  Result r = run_tool (a, "status");
  g_autofree char *out = r.out;
  g_autofree char *summary = NULL;
  int rc;

  switch (r.rc)
    {
    case OCF_SUCCESS:
      printf ("running\n");
      rc = OCF_SUCCESS;
      break;
    case OCF_NOT_RUNNING:
      printf ("stopped\n");
      rc = LSB_STATUS_STOPPED;
      break;
    case OCF_ERR_GENERIC: /* partly programmed: "not owned", so heartbeat's start repairs it */
      summary = one_line (out);
      printf ("stopped (%s)\n", summary);
      rc = LSB_STATUS_DEAD;
      break;
    default:
      if (r.reason != NULL && r.reason[0] != '\0')
        {
          printf ("stopped (status unknown: %s)\n", r.reason);
        }
      else
        {
          printf ("stopped (status unknown: exit %d)\n", r.rc);
        }
      rc = LSB_STATUS_UNKNOWN;
      break;
    }
  fflush (stdout); /* before any log line on stderr, as the shell agent wrote them */
  if (rc == LSB_STATUS_DEAD)
    {
      hb_lvs_log_as (a->name, HB_LVS_LOG_WARN, "%s: %s", a->config, out);
    }
  return rc;
}

static int
agent_heartbeat (const Agent *a, const char *action)
{
  Result r;

  if (strcmp (action, "status") == 0 || strcmp (action, "monitor") == 0)
    {
      return hb_status (a);
    }
  if (strcmp (action, "start") != 0 && strcmp (action, "stop") != 0)
    {
      usage (stderr, a->self);
      return OCF_ERR_ARGS;
    }
  r = run_tool (a, action);
  g_free (r.out);
  if (r.rc == OCF_SUCCESS)
    {
      return OCF_SUCCESS;
    }
  hb_lvs_log_as (a->name, HB_LVS_LOG_ERROR, "%s: %s failed (exit %d)%s%s", a->config, action, r.rc,
                 r.reason != NULL && r.reason[0] != '\0' ? ": " : "", r.reason != NULL ? r.reason : "");
  return ocf_rc (r.rc);
}

static const char *
env_or (const char *name, const char *fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? value : fallback;
}

int
hb_lvs_agent_main (int argc, char **argv)
{
  Agent a = { argv[0], "LVS", NULL, "", FALSE };
  const char *action;

  hb_lvs_log_setup ("systole-lvs", NULL, TRUE, FALSE);
  if (argc == 2 && strcmp (argv[1], "meta-data") == 0)
    {
      fputs (meta_data, stdout);
      return OCF_SUCCESS;
    }
  if (argc == 2 && (strcmp (argv[1], "usage") == 0 || strcmp (argv[1], "help") == 0))
    {
      usage (stdout, a.self);
      return OCF_SUCCESS;
    }
  if (argc == 2)
    {
      a.ocf = TRUE;
      a.name = env_or ("OCF_RESOURCE_INSTANCE", "LVS");
      a.config = env_or ("OCF_RESKEY_config", HB_CONFDIR "/lvs.conf");
      a.backend = env_or ("OCF_RESKEY_backend", "");
    }
  else if (argc == 3 || argc == 4)
    {
      a.config = argv[1];
      a.backend = argc == 4 ? argv[2] : "";
    }
  else
    {
      usage (stderr, a.self);
      return OCF_ERR_ARGS;
    }
  action = argv[argc - 1];
  if (a.backend[0] != '\0' && !hb_lvs_tool_parse_backend (a.backend, &(HbLvsBackend){ 0 }))
    {
      hb_lvs_log_as (a.name, HB_LVS_LOG_ERROR, "backend '%s' is not auto, ipvs or nftables", a.backend);
      if (a.ocf)
        {
          fprintf (stderr, "ocf-exit-reason:backend '%s' is not auto, ipvs or nftables\n", a.backend);
        }
      return OCF_ERR_CONFIGURED;
    }
  return a.ocf ? agent_ocf (&a, action) : agent_heartbeat (&a, action);
}
