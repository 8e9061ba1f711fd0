/* Tests for heartbeat/runner: real agent processes in a temporary directory. */
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <syslog.h>

#include "runner.h"

typedef struct
{
  char *dir;
  char *rdir;    /* resource.d */
  char *idir;    /* init.d */
  char *ocf;     /* ocf root */
  char *trace;   /* agents append "name action" lines here */
  GString *log;  /* everything the runner logged */
  HbRunner *runner;
  guint done_count;
  HbGroupResult result;
  char *failed;
} Fixture;

/* A Heartbeat-style agent that records each call and keeps its state in a file. */
static const char *const good_agent =
  "#!/bin/sh\n"
  "eval last=\\${$#}\n"
  "name=$(basename \"$0\")\n"
  "echo \"$name $*\" >> \"$TRACE\"\n"
  "state=\"$STATE_DIR/$name.on\"\n"
  "case $last in\n"
  "  start) touch \"$state\" ;;\n"
  "  stop) rm -f \"$state\" ;;\n"
  "  status) if [ -e \"$state\" ]; then echo running; else echo stopped; fi ;;\n"
  "esac\n";

static void
write_script (const char *dir, const char *name, const char *body)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, body, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static void
on_log (int priority, const char *entity, const char *message, gpointer data)
{
  Fixture *f = data;

  g_string_append_printf (f->log, "%d %s: %s\n", priority, entity, message);
}

/* The fixture's data: NULL, or a gboolean for HbRunnerOptions.agents_log. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *env_trace = NULL, *env_state = NULL;
  HbRunnerOptions opts = { 0 };
  const char *env[3];

  f->dir = g_dir_make_tmp ("systole-runner-XXXXXX", NULL);
  f->rdir = g_build_filename (f->dir, "resource.d", NULL);
  f->idir = g_build_filename (f->dir, "init.d", NULL);
  f->ocf = g_build_filename (f->dir, "ocf", NULL);
  f->trace = g_build_filename (f->dir, "trace", NULL);
  g_mkdir (f->rdir, 0755);
  g_mkdir (f->idir, 0755);
  g_mkdir_with_parents (f->ocf, 0755);
  f->log = g_string_new (NULL);
  env_trace = g_strdup_printf ("TRACE=%s", f->trace);
  env_state = g_strdup_printf ("STATE_DIR=%s", f->dir);
  env[0] = env_trace;
  env[1] = env_state;
  env[2] = NULL;
  opts.resource_dir = f->rdir;
  opts.init_dir = f->idir;
  opts.ocf_root = f->ocf;
  opts.timeout_ms = 400;
  opts.kill_grace_ms = 200;
  opts.stop_retries = 2;
  opts.stop_retry_interval_ms = 50;
  opts.env = env;
  opts.log = on_log;
  opts.log_data = f;
  opts.agents_log = data != NULL && *(const gboolean *) data;
  f->runner = hb_runner_new (&opts);
}

static void
fixture_teardown (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_pointer (&f->runner, hb_runner_free);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (f->dir);
  g_free (f->rdir);
  g_free (f->idir);
  g_free (f->ocf);
  g_free (f->trace);
  g_free (f->failed);
  g_string_free (f->log, TRUE);
}

static HbResourceGroup *
make_group (const char *key_and_specs)
{
  g_auto (GStrv) specs = g_strsplit (key_and_specs, " ", -1);
  HbResourceGroup *g = g_new0 (HbResourceGroup, 1);

  g->home_node = g_strdup ("node1");
  g->key = g_strdup (specs[0]);
  g->resources = g_ptr_array_new ();
  for (guint i = 0; specs[i] != NULL; i++)
    {
      HbResource *r = g_new0 (HbResource, 1);
      g_auto (GStrv) parts = g_strsplit (specs[i], "::", -1);

      r->spec = g_strdup (specs[i]);
      r->agent = g_strdup (parts[0]);
      r->args = g_strdupv (parts + 1);
      g_ptr_array_add (g->resources, r);
    }
  return g;
}

static void
group_free (HbResourceGroup *g)
{
  for (guint i = 0; i < g->resources->len; i++)
    {
      HbResource *r = g_ptr_array_index (g->resources, i);
      g_free (r->spec);
      g_free (r->agent);
      g_strfreev (r->args);
      g_free (r);
    }
  g_ptr_array_unref (g->resources);
  g_free (g->key);
  g_free (g->home_node);
  g_free (g);
}

static void
on_done (const char *key G_GNUC_UNUSED, HbGroupOpKind kind G_GNUC_UNUSED, HbGroupResult result,
         const char *failed, gpointer data)
{
  Fixture *f = data;

  f->done_count++;
  f->result = result;
  g_free (f->failed);
  f->failed = g_strdup (failed);
}

static gboolean
keep_awake (gpointer data G_GNUC_UNUSED)
{
  return G_SOURCE_CONTINUE;
}

static void
run_until_done (Fixture *f, guint count)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, keep_awake, NULL); /* a lost event fails, never hangs */

  while (f->done_count < count && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (f->done_count, ==, count);
}

static char *
read_trace (Fixture *f)
{
  char *text = NULL;

  if (!g_file_get_contents (f->trace, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static void
op (Fixture *f, const char *specs, HbGroupOpKind kind)
{
  HbResourceGroup *g = make_group (specs);
  guint before = f->done_count;

  hb_runner_submit (f->runner, g, kind, on_done, f);
  group_free (g); /* the runner keeps its own copy */
  g_assert_cmpuint (f->done_count, ==, before); /* never synchronous */
  run_until_done (f, before + 1);
}

static void
test_start_stop_order (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  g_autofree char *trace = NULL;

  write_script (f->rdir, "a", good_agent);
  write_script (f->rdir, "b", good_agent);
  op (f, "a::x::y b", HB_GROUP_OP_START);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_OK);
  op (f, "a::x::y b", HB_GROUP_OP_PROBE);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_ALL);
  op (f, "a::x::y b", HB_GROUP_OP_STOP);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_OK);
  trace = read_trace (f);
  g_assert_cmpstr (trace, ==,
                   "a x y status\na x y start\nb status\nb start\n" /* start: left to right */
                   "a x y status\nb status\n"                       /* probe */
                   "b stop\na x y stop\n");                         /* stop: right to left */
  g_assert_nonnull (strstr (f->log->str, "Running "));
  g_assert_nonnull (strstr (f->log->str, "/resource.d/a x y start"));
  g_assert_nonnull (strstr (f->log->str, "Acquiring resource group: node1 a::x::y b"));
  g_assert_nonnull (strstr (f->log->str, "Releasing resource group: node1 a::x::y b"));
}

static void
test_start_skips_running (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  g_autofree char *trace = NULL;
  g_autofree char *on = g_build_filename (f->dir, "a.on", NULL);

  write_script (f->rdir, "a", good_agent);
  g_assert_true (g_file_set_contents (on, "", 0, NULL));
  op (f, "a", HB_GROUP_OP_START);
  trace = read_trace (f);
  g_assert_cmpstr (trace, ==, "a status\n");
  g_assert_nonnull (strstr (f->log->str, "Resource a is already running"));
}

static void
test_start_failure_rolls_back (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  g_autofree char *trace = NULL;

  write_script (f->rdir, "a", good_agent);
  write_script (f->rdir, "bad", "#!/bin/sh\necho \"bad $*\" >> \"$TRACE\"\n"
                                 "[ \"$1\" = start ] && { echo 'cannot bind port 10101' >&2; exit 1; }\n"
                                 "[ \"$1\" = status ] && echo stopped\nexit 0\n");
  op (f, "a bad", HB_GROUP_OP_START);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_START_FAILED);
  g_assert_cmpstr (f->failed, ==, "bad");
  trace = read_trace (f);
  g_assert_cmpstr (trace, ==, "a status\na start\nbad status\nbad start\nbad stop\na stop\n");
  g_assert_nonnull (strstr (f->log->str, "Return code 1 from"));
  g_assert_nonnull (strstr (f->log->str, "bad: cannot bind port 10101"));
  g_assert_nonnull (strstr (f->log->str, "Start of bad failed: stopping the group again"));
}

static gboolean
pid_alive (const char *pidfile)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (pidfile, &text, NULL, NULL))
    return FALSE;
  return kill ((pid_t) g_ascii_strtoll (text, NULL, 10), 0) == 0;
}

static void
test_timeout_kills_process_group (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  g_autofree char *grandchild = g_build_filename (f->dir, "grandchild.pid", NULL);
  gint64 until;

  /* Starts a grandchild that ignores nothing and would outlive the agent, then hangs. */
  write_script (f->rdir, "hang", "#!/bin/sh\n[ \"$1\" = status ] && { echo stopped; exit 0; }\n"
                                  "[ \"$1\" = stop ] && exit 0\n"
                                  "sleep 30 & echo $! > \"$STATE_DIR/grandchild.pid\"\nsleep 30\n");
  op (f, "hang", HB_GROUP_OP_START);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_START_FAILED);
  g_assert_nonnull (strstr (f->log->str, "timed out after 400 ms: process group killed"));
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (pid_alive (grandchild) && g_get_monotonic_time () < until)
    g_usleep (10000);
  g_assert_false (pid_alive (grandchild));
}

static void
test_term_ignored_then_kill (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  write_script (f->rdir, "stubborn", "#!/bin/sh\n[ \"$1\" = status ] && { echo stopped; exit 0; }\n"
                                      "[ \"$1\" = stop ] && exit 0\ntrap '' TERM\n"
                                      "while :; do sleep 0.05; done\n");
  op (f, "stubborn", HB_GROUP_OP_START);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_START_FAILED);
}

static void
test_stop_retry (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  /* Fails its first stop, succeeds on the retry. */
  write_script (f->rdir, "flaky", "#!/bin/sh\nc=\"$STATE_DIR/count\"\n"
                                   "[ \"$1\" = stop ] || exit 0\n"
                                   "if [ -e \"$c\" ]; then exit 0; fi\ntouch \"$c\"; exit 1\n");
  op (f, "flaky", HB_GROUP_OP_STOP);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_OK);
  g_assert_nonnull (strstr (f->log->str, "Retrying failed stop operation [flaky]"));
}

static void
test_unstoppable (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  write_script (f->rdir, "stuck", "#!/bin/sh\n[ \"$1\" = status ] && { echo running; exit 0; }\nexit 1\n");
  op (f, "stuck", HB_GROUP_OP_STOP);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_STOP_FAILED);
  g_assert_cmpstr (f->failed, ==, "stuck");
  g_assert_nonnull (strstr (f->log->str, "could not be stopped"));
}

static void
test_missing_agent (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  op (f, "nosuch", HB_GROUP_OP_START);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_START_FAILED);
  g_assert_nonnull (strstr (f->log->str, "Cannot locate resource script nosuch"));
  op (f, "nosuch", HB_GROUP_OP_STOP);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_OK);
}

static void
test_lsb_fallback (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  /* Found in init.d only: status judged by exit code, not by text. */
  write_script (f->idir, "svc", "#!/bin/sh\n[ \"$1\" = status ] && { echo 'svc is running? no'; "
                                 "[ -e \"$STATE_DIR/svc.on\" ] && exit 0; exit 3; }\n"
                                 "[ \"$1\" = start ] && touch \"$STATE_DIR/svc.on\"\nexit 0\n");
  op (f, "svc", HB_GROUP_OP_PROBE);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_NONE);
  op (f, "svc", HB_GROUP_OP_START);
  op (f, "svc", HB_GROUP_OP_PROBE);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_ALL);
}

static void
test_ocf_agent (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  g_autofree char *pdir = g_build_filename (f->ocf, "resource.d", "test", NULL);
  g_autofree char *trace = NULL;

  g_mkdir_with_parents (pdir, 0755);
  write_script (pdir, "Dummy", "#!/bin/sh\necho \"$1 $OCF_RESKEY_ip $OCF_ROOT\" >> \"$TRACE\"\n"
                                "[ \"$1\" = monitor ] && exit 7\nexit 0\n");
  op (f, "ocf:test:Dummy::ip=192.0.2.10", HB_GROUP_OP_START);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_OK);
  trace = read_trace (f);
  g_assert_true (g_str_has_prefix (trace, "monitor 192.0.2.10 "));
  g_assert_nonnull (strstr (trace, "\nstart 192.0.2.10 "));
}

/* Two groups whose starts each wait for the other to have begun: they only
 * succeed if the runner runs different groups at the same time. */
static void
test_groups_in_parallel (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  const char *body = "#!/bin/sh\nname=$(basename \"$0\")\n"
                     "[ \"$1\" = status ] && { echo stopped; exit 0; }\n"
                     "[ \"$1\" = start ] || exit 0\ntouch \"$STATE_DIR/begun-$name\"\n"
                     "i=0; while [ ! -e \"$STATE_DIR/begun-$PEER\" ]; do i=$((i+1)); [ $i -gt 60 ] && exit 1; sleep 0.005; done\n";
  HbResourceGroup *g1, *g2;
  g_autofree char *b1 = g_strdup_printf ("#!/bin/sh\nPEER=p2\n%s", body + strlen ("#!/bin/sh\n"));
  g_autofree char *b2 = g_strdup_printf ("#!/bin/sh\nPEER=p1\n%s", body + strlen ("#!/bin/sh\n"));

  write_script (f->rdir, "p1", b1);
  write_script (f->rdir, "p2", b2);
  g1 = make_group ("p1");
  g2 = make_group ("p2");
  hb_runner_submit (f->runner, g1, HB_GROUP_OP_START, on_done, f);
  hb_runner_submit (f->runner, g2, HB_GROUP_OP_START, on_done, f);
  g_assert_cmpuint (hb_runner_busy_groups (f->runner), ==, 2);
  run_until_done (f, 2);
  g_assert_cmpint (f->result, ==, HB_GROUP_RESULT_OK);
  g_assert_cmpuint (hb_runner_busy_groups (f->runner), ==, 0);
  group_free (g1);
  group_free (g2);
}

/* Two operations on one group run one after the other, in submission order. */
static void
test_one_op_per_group (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  HbResourceGroup *g = make_group ("a");
  g_autofree char *trace = NULL;

  write_script (f->rdir, "a", good_agent);
  hb_runner_submit (f->runner, g, HB_GROUP_OP_START, on_done, f);
  hb_runner_submit (f->runner, g, HB_GROUP_OP_STOP, on_done, f);
  g_assert_true (hb_runner_group_busy (f->runner, "a"));
  run_until_done (f, 2);
  g_assert_false (hb_runner_group_busy (f->runner, "a"));
  trace = read_trace (f);
  g_assert_cmpstr (trace, ==, "a status\na start\na stop\n");
  group_free (g);
}

static void
test_clean_environment (Fixture *f, gconstpointer unused G_GNUC_UNUSED)
{
  g_autofree char *trace = NULL;

  g_setenv ("SYSTOLE_LEAK_CHECK", "leaked", TRUE);
  write_script (f->rdir, "envdump", "#!/bin/sh\n[ \"$1\" = start ] && echo \"leak=${SYSTOLE_LEAK_CHECK:-none} lang=$LANG\" >> \"$TRACE\"\n"
                                     "[ \"$1\" = status ] && echo stopped\nexit 0\n");
  op (f, "envdump", HB_GROUP_OP_START);
  trace = read_trace (f);
  g_assert_cmpstr (trace, ==, "leak=none lang=C\n");
  g_unsetenv ("SYSTOLE_LEAK_CHECK");
}

/* An agent that logs for itself (ha_log format on stderr, as our agents and
 * Heartbeat's do) is not repeated as a warning when it has a log destination;
 * without one its lines keep their own level. Other stderr text is a warning. */
static const char chatty_agent[] =
  "#!/bin/sh\n"
  "[ \"$1\" = status ] && { echo stopped; exit 3; }\n"
  "echo \"chatty[$$]: 2026/11/22_20:10:46 INFO: Using calculated nic\" >&2\n"
  "echo \"chatty[$$]: 2026/11/22_20:10:46 ERROR: it went wrong\" >&2\n"
  "echo 'ip: RTNETLINK answers: File exists' >&2\n"
  "exit 0\n";

static void
test_agent_stderr (Fixture *f, gconstpointer data)
{
  gboolean agents_log = data != NULL && *(const gboolean *) data;
  g_autofree char *raw = g_strdup_printf ("%d ResourceManager: chatty: ip: RTNETLINK", LOG_WARNING);

  write_script (f->rdir, "chatty", chatty_agent);
  op (f, "chatty", HB_GROUP_OP_START);
  g_assert_true (strstr (f->log->str, "Using calculated nic") == NULL || !agents_log);
  if (agents_log)
    {
      g_assert_null (strstr (f->log->str, "it went wrong"));
    }
  else
    {
      g_autofree char *info = g_strdup_printf ("\n%d ResourceManager: chatty: chatty[", LOG_INFO);
      g_autofree char *err = g_strdup_printf ("\n%d ResourceManager: chatty: chatty[", LOG_ERR);
      g_autofree char *all = g_strconcat ("\n", f->log->str, NULL);
      g_assert_nonnull (strstr (all, info));
      g_assert_nonnull (strstr (all, err));
    }
  g_assert_nonnull (strstr (f->log->str, raw));
}

static const gboolean agents_log_on = TRUE;

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/runner/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("start-stop-order", test_start_stop_order);
  ADD ("start-skips-running", test_start_skips_running);
  ADD ("start-failure-rolls-back", test_start_failure_rolls_back);
  ADD ("timeout-kills-process-group", test_timeout_kills_process_group);
  ADD ("term-ignored-then-kill", test_term_ignored_then_kill);
  ADD ("stop-retry", test_stop_retry);
  ADD ("unstoppable", test_unstoppable);
  ADD ("missing-agent", test_missing_agent);
  ADD ("lsb-fallback", test_lsb_fallback);
  ADD ("ocf-agent", test_ocf_agent);
  ADD ("groups-in-parallel", test_groups_in_parallel);
  ADD ("one-op-per-group", test_one_op_per_group);
  ADD ("clean-environment", test_clean_environment);
  ADD ("agent-stderr-no-destination", test_agent_stderr);
  g_test_add ("/runner/agent-stderr-agents-log", Fixture, &agents_log_on, fixture_setup, test_agent_stderr,
              fixture_teardown);
#undef ADD
  return g_test_run ();
}
