/* Unit tests for lib/agent: agent conventions (argv, environment, judging). */
#include <glib.h>

#include <syslog.h>

#include "agent.h"

typedef struct
{
  const char *text;
  gboolean running;
} TextCase;

/* Heartbeat's ResourceManager: "running" (any case) or "OK" means held, unless
 * the text says "not ... running" (docs/PROTOCOL.md, "Running resource scripts"). */
static const TextCase text_cases[] = {
  { "running", TRUE },
  { "INFO:  Running OK", TRUE },
  { "mysqld (pid 42) is running...", TRUE },
  { "OK", TRUE },
  { "RUNNING", TRUE },
  { "stopped", FALSE },
  { "INFO:  Resource is stopped", FALSE },
  { "mysqld is not running", FALSE },
  { "Not currently running", FALSE },
  { "ok", FALSE }, /* only upper-case OK counts, as in ResourceManager's egrep */
  { "", FALSE },
  { "/etc/ha.d/resource.d/myop.sh start|stop", FALSE },
};

static void
test_status_text (gconstpointer data)
{
  const TextCase *c = data;

  g_assert_cmpint (hb_agent_status_text_says_running (c->text), ==, c->running);
}

typedef struct
{
  const char *name;
  HbAgentKind kind;
  HbAgentAction action;
  int exit_code;
  const char *out;
  HbAgentOutcome expected;
} JudgeCase;

static const JudgeCase judge_cases[] = {
  { "hb-start-ok", HB_AGENT_HEARTBEAT, HB_AGENT_START, 0, "", HB_OUTCOME_SUCCESS },
  { "hb-start-fail", HB_AGENT_HEARTBEAT, HB_AGENT_START, 1, "", HB_OUTCOME_FAILURE },
  { "hb-stop-signal", HB_AGENT_HEARTBEAT, HB_AGENT_STOP, -1, "", HB_OUTCOME_FAILURE },
  { "hb-status-text-wins-over-exit", HB_AGENT_HEARTBEAT, HB_AGENT_STATUS, 3, "running", HB_OUTCOME_RUNNING },
  { "hb-status-stopped-exit0", HB_AGENT_HEARTBEAT, HB_AGENT_STATUS, 0, "stopped", HB_OUTCOME_STOPPED },
  { "lsb-status-0", HB_AGENT_LSB, HB_AGENT_STATUS, 0, "", HB_OUTCOME_RUNNING },
  { "lsb-status-3", HB_AGENT_LSB, HB_AGENT_STATUS, 3, "is running?", HB_OUTCOME_STOPPED },
  { "lsb-status-1-dead-pidfile", HB_AGENT_LSB, HB_AGENT_STATUS, 1, "", HB_OUTCOME_STOPPED },
  { "lsb-status-4-unknown", HB_AGENT_LSB, HB_AGENT_STATUS, 4, "", HB_OUTCOME_FAILURE },
  { "ocf-monitor-0", HB_AGENT_OCF, HB_AGENT_STATUS, 0, "", HB_OUTCOME_RUNNING },
  { "ocf-monitor-7", HB_AGENT_OCF, HB_AGENT_STATUS, 7, "", HB_OUTCOME_STOPPED },
  { "ocf-monitor-1", HB_AGENT_OCF, HB_AGENT_STATUS, 1, "", HB_OUTCOME_FAILURE },
  { "ocf-stop-0", HB_AGENT_OCF, HB_AGENT_STOP, 0, "", HB_OUTCOME_SUCCESS },
  { "ocf-start-6", HB_AGENT_OCF, HB_AGENT_START, 6, "", HB_OUTCOME_FAILURE },
};

static void
test_judge (gconstpointer data)
{
  const JudgeCase *c = data;

  g_assert_cmpint (hb_agent_judge (c->kind, c->action, c->exit_code, c->out), ==, c->expected);
}

static void
test_argv (void)
{
  char *args[] = { "192.0.2.10/24", "eth0", NULL };
  HbResource res = { .spec = "IPaddr::192.0.2.10/24::eth0", .agent = "IPaddr", .args = args };
  HbResource bare = { .spec = "myop.sh", .agent = "myop.sh", .args = NULL };
  g_auto (GStrv) a = hb_agent_build_argv (HB_AGENT_HEARTBEAT, "/etc/ha.d/resource.d/IPaddr", &res, HB_AGENT_START);
  g_auto (GStrv) b = hb_agent_build_argv (HB_AGENT_LSB, "/etc/init.d/myop.sh", &bare, HB_AGENT_STATUS);
  g_auto (GStrv) c = hb_agent_build_argv (HB_AGENT_OCF, "/usr/lib/ocf/resource.d/systole/IPaddr2", &res, HB_AGENT_STATUS);
  const char *want_a[] = { "/etc/ha.d/resource.d/IPaddr", "192.0.2.10/24", "eth0", "start", NULL };
  const char *want_b[] = { "/etc/init.d/myop.sh", "status", NULL };
  const char *want_c[] = { "/usr/lib/ocf/resource.d/systole/IPaddr2", "monitor", NULL };

  g_assert_cmpstrv (a, want_a);
  g_assert_cmpstrv (b, want_b);
  g_assert_cmpstrv (c, want_c);
}

static void
test_ocf_env (void)
{
  char *args[] = { "ip=192.0.2.10", "cidr_netmask=24", "=bad", "noequals", NULL };
  HbResource res = { .spec = "ocf:systole:IPaddr2::ip=192.0.2.10::cidr_netmask=24", .agent = "ocf:systole:IPaddr2", .args = args };
  HbResource plain = { .spec = "myop.sh", .agent = "myop.sh", .args = NULL };
  g_auto (GStrv) env = hb_agent_build_env (HB_AGENT_OCF, &res, "/usr/lib/ocf");
  g_auto (GStrv) none = hb_agent_build_env (HB_AGENT_HEARTBEAT, &plain, "/usr/lib/ocf");
  const char *want[] = { "OCF_ROOT=/usr/lib/ocf",
                         "OCF_RESOURCE_INSTANCE=ocf_systole_IPaddr2__ip_192.0.2.10__cidr_netmask_24",
                         "OCF_RESKEY_ip=192.0.2.10", "OCF_RESKEY_cidr_netmask=24", NULL };

  g_assert_cmpstrv (env, want);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_ocf_name (void)
{
  g_autofree char *provider = NULL, *type = NULL;

  g_assert_true (hb_agent_parse_ocf_name ("ocf:systole:LVS", &provider, &type));
  g_assert_cmpstr (provider, ==, "systole");
  g_assert_cmpstr (type, ==, "LVS");
  g_assert_false (hb_agent_parse_ocf_name ("IPaddr", NULL, NULL));
  g_assert_false (hb_agent_parse_ocf_name ("ocf:systole", NULL, NULL));
  g_assert_false (hb_agent_parse_ocf_name ("ocf::LVS", NULL, NULL));
  g_assert_false (hb_agent_parse_ocf_name ("ocf:a:b:c", NULL, NULL));
}

typedef struct
{
  const char *line;
  gboolean is_log;
  int prio;
} LogLineCase;

static const LogLineCase log_line_cases[] = {
  { "IPaddr[123]: 2026/11/22_20:10:46 INFO: Using calculated nic for 192.0.2.100: eth0", TRUE, LOG_INFO },
  { "systole-lvs[9]: 2026/11/22_20:10:46 info: programmed", TRUE, LOG_INFO },
  { "LVS[77]: 2026/01/02_03:04:05 WARN: lb_kind NAT needs ip_forward", TRUE, LOG_WARNING },
  { "IPaddr2[5]: 2026/01/02_03:04:05 ERROR: ip addr add failed", TRUE, LOG_ERR },
  { "x[1]: 2026/01/02_03:04:05 CRIT: boom", TRUE, LOG_CRIT },
  { "x[1]: 2026/01/02_03:04:05 Strange: word", TRUE, LOG_INFO },
  { "ip: RTNETLINK answers: File exists", FALSE, 0 },
  { "IPaddr: 2026/01/02_03:04:05 INFO: no pid", FALSE, 0 },
  { "IPaddr[12]: 2026-01-02 03:04:05 INFO: other date", FALSE, 0 },
  { "IPaddr[12]: 2026/01/02_03:04:05 INFO no colon", FALSE, 0 },
  { "[12]: 2026/01/02_03:04:05 INFO: no name", FALSE, 0 },
  { "", FALSE, 0 },
};

static void
test_stderr_log_line (gconstpointer data)
{
  const LogLineCase *c = data;
  int prio = -1;

  g_assert_cmpint (hb_agent_stderr_is_log_line (c->line, &prio), ==, c->is_log);
  if (c->is_log)
    g_assert_cmpint (prio, ==, c->prio);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (text_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/agent/status-text/%zu", i);
      g_test_add_data_func (path, &text_cases[i], test_status_text);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (judge_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/agent/judge/%s", judge_cases[i].name);
      g_test_add_data_func (path, &judge_cases[i], test_judge);
    }
  for (guint i = 0; i < G_N_ELEMENTS (log_line_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/agent/stderr-log-line/%u", i);
      g_test_add_data_func (path, &log_line_cases[i], test_stderr_log_line);
    }
  g_test_add_func ("/agent/argv", test_argv);
  g_test_add_func ("/agent/ocf-env", test_ocf_env);
  g_test_add_func ("/agent/ocf-name", test_ocf_name);
  return g_test_run ();
}
