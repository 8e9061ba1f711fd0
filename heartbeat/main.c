/* systole: the `heartbeat` program: options, check mode, control of a running
 * daemon, daemonizing, signals, and the one GMainLoop of a node.
 * Facts: docs/PROTOCOL.md, "heartbeat command line" (flags, outputs, LSB exit codes). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib.h>

#include "check.h"
#include "config.h"
#include "control.h"
#include "daemon.h"
#include "logger.h"
#include "pidfile.h"
#include "proctitle.h"
#include "systole.h"

#define PROC_TITLE "heartbeat: master control process"
/* -k waits as long as the daemon may take to release its resources
 * (--shutdown-timeout, passed to -k too), plus a margin. */
#define STOP_MARGIN_S 30

typedef struct
{
  char *confdir;
  char *nodename;
  char *statedir;
  char *rundir;
  char *pidfile;
  char *logfile;
  gboolean foreground;
  gint debug;
  gboolean status;
  gboolean kill;
  gboolean reload;
  gboolean test;
  gboolean no_host_checks;
  gboolean verbose;
  gboolean version;
  /* resource management */
  char *initdir;
  char *ocfdir;
  char *fence_command;
  char *agent_timeout;
  gint stop_retries;
  char *stop_retry_delay;
  char *shutdown_timeout;
} Options;

/* main.c-level wiring: option parsing needs somewhere to count -d. */
static Options opts = { .stop_retries = G_MININT }; /* G_MININT: not given */

static gboolean
count_debug (const char *name, const char *value, gpointer data, GError **error)
{
  (void) name, (void) value, (void) data, (void) error;
  opts.debug++;
  return TRUE;
}

static const GOptionEntry entries[] = {
  { "confdir", 'c', 0, G_OPTION_ARG_FILENAME, &opts.confdir, "Configuration directory (default " HB_CONFDIR ")", "DIR" },
  { "nodename", 'n', 0, G_OPTION_ARG_STRING, &opts.nodename, "Local node name (default: uname -n, lower-cased)", "NAME" },
  { "statedir", 0, 0, G_OPTION_ARG_FILENAME, &opts.statedir, "State directory (default " HB_STATEDIR ")", "DIR" },
  { "rundir", 0, 0, G_OPTION_ARG_FILENAME, &opts.rundir, "Runtime directory (default " HB_RUNDIR ")", "DIR" },
  { "pidfile", 0, 0, G_OPTION_ARG_FILENAME, &opts.pidfile, "Pid file (default RUNDIR/heartbeat.pid)", "FILE" },
  { "logfile", 0, 0, G_OPTION_ARG_FILENAME, &opts.logfile, "Log file, overriding ha.cf's logfile", "FILE" },
  { "foreground", 'f', 0, G_OPTION_ARG_NONE, &opts.foreground, "Stay in the foreground", NULL },
  { "debug", 'd', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, (gpointer) count_debug, "Raise the debug level (repeatable)", NULL },
  { "status", 's', 0, G_OPTION_ARG_NONE, &opts.status, "Report whether heartbeat runs (LSB status codes)", NULL },
  { "kill", 'k', 0, G_OPTION_ARG_NONE, &opts.kill, "Stop the running heartbeat and wait for it", NULL },
  { "reload", 'r', 0, G_OPTION_ARG_NONE, &opts.reload, "Validate the configuration and make the running heartbeat reload it", NULL },
  { "test", 't', 0, G_OPTION_ARG_NONE, &opts.test, "Check the configuration and exit", NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opts.verbose, "With -t: print the parsed configuration", NULL },
  { "no-host-checks", 0, 0, G_OPTION_ARG_NONE, &opts.no_host_checks, "With -t: do not compare the media with this host's interfaces (a configuration meant for another host)", NULL },
  { "version", 'V', 0, G_OPTION_ARG_NONE, &opts.version, "Print the version and exit", NULL },
  { "initdir", 0, 0, G_OPTION_ARG_FILENAME, &opts.initdir, "LSB init scripts, searched after CONFDIR/resource.d (default " HB_INITDIR ")", "DIR" },
  { "ocfdir", 0, 0, G_OPTION_ARG_FILENAME, &opts.ocfdir, "OCF root for ocf:PROVIDER:TYPE resources (default " HB_OCFDIR ")", "DIR" },
  { "fence-command", 0, 0, G_OPTION_ARG_STRING, &opts.fence_command, "Shell command run when a resource cannot be stopped (default '" HB_RSC_DEFAULT_FENCE "')", "CMD" },
  { "agent-timeout", 0, 0, G_OPTION_ARG_STRING, &opts.agent_timeout, "Time limit of one agent run (default 60, in seconds)", "TIME" },
  { "stop-retries", 0, 0, G_OPTION_ARG_INT, &opts.stop_retries, "Retries of a failed stop (default 10)", "N" },
  { "stop-retry-delay", 0, 0, G_OPTION_ARG_STRING, &opts.stop_retry_delay, "Delay between stop retries (default 1, in seconds)", "TIME" },
  { "shutdown-timeout", 0, 0, G_OPTION_ARG_STRING, &opts.shutdown_timeout, "Longest wait for resources to be released on SIGTERM (default 900, in seconds)", "TIME" },
  { NULL },
};

static char *
local_hostname (void)
{
  struct utsname u;

  if (uname (&u) != 0)
    {
      return g_strdup ("localhost");
    }
  return g_ascii_strdown (u.nodename, -1);
}

static void
fill_defaults (void)
{
  if (opts.confdir == NULL)
    opts.confdir = g_strdup (HB_CONFDIR);
  if (opts.statedir == NULL)
    opts.statedir = g_strdup (HB_STATEDIR);
  if (opts.rundir == NULL)
    opts.rundir = g_strdup (HB_RUNDIR);
  if (opts.pidfile == NULL)
    opts.pidfile = g_build_filename (opts.rundir, "heartbeat.pid", NULL);
  if (opts.nodename == NULL)
    opts.nodename = local_hostname ();
  else
    {
      char *lower = g_ascii_strdown (opts.nodename, -1);
      g_free (opts.nodename);
      opts.nodename = lower;
    }
}

/* --agent-timeout and friends: ha.cf's time syntax ("500ms", "2s", "1"). */
static gboolean
parse_duration (const char *option, const char *text, guint *ms_out)
{
  if (text == NULL)
    {
      *ms_out = 0;
      return TRUE;
    }
  if (!hb_parse_time_ms (text, ms_out) || *ms_out == 0)
    {
      fprintf (stderr, "heartbeat: bad --%s value '%s' (a time such as 500ms, 2s or 10)\n", option, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rsc_options (HbRscOptions *rsc)
{
  rsc->init_dir = opts.initdir;
  rsc->ocf_root = opts.ocfdir;
  rsc->fence_command = opts.fence_command;
  rsc->stop_retries = opts.stop_retries == G_MININT ? -1 : opts.stop_retries;
  if (opts.stop_retries != G_MININT && opts.stop_retries < 0)
    {
      fprintf (stderr, "heartbeat: bad --stop-retries value %d (0 or more)\n", opts.stop_retries);
      return FALSE;
    }
  return parse_duration ("agent-timeout", opts.agent_timeout, &rsc->agent_timeout_ms)
         && parse_duration ("stop-retry-delay", opts.stop_retry_delay, &rsc->stop_retry_delay_ms)
         && parse_duration ("shutdown-timeout", opts.shutdown_timeout, &rsc->shutdown_timeout_ms);
}

/* Loads ha.cf/haresources/authkeys. Every diagnostic goes to `err` when the
 * load fails (so start and -r show what -t shows); warnings are returned for
 * the log otherwise. */
static HbConfig *
load_config (GPtrArray *diags, FILE *err)
{
  HbConfigPaths paths = { .confdir = opts.confdir };
  g_autoptr (GError) error = NULL;
  /* The checks of -t, host ones included: a node does not start where
   * Heartbeat would not (a medium's interface missing) nor on files others
   * can change. */
  g_autoptr (HbHostEnv) host = hb_host_env_new (&paths, TRUE);
  HbConfig *config = hb_config_load_full (&paths, opts.nodename, hb_host_env_get (host), diags, &error);

  if (config == NULL && err != NULL)
    {
      for (guint i = 0; i < diags->len; i++)
        {
          const HbDiag *d = g_ptr_array_index (diags, i);
          fprintf (err, "%s: %s\n", d->severity == HB_DIAG_ERROR ? "ERROR" : "WARN", d->message);
        }
      if (diags->len == 0)
        {
          fprintf (err, "ERROR: %s\n", error->message);
        }
    }
  return config;
}

/* ---- daemonizing: the parent returns only once the node runs (or failed) ---- */

static int ready_fd = -1;

static void
daemonize (void)
{
  int fds[2];
  pid_t pid;
  char byte = 0;

  if (pipe2 (fds, O_CLOEXEC) != 0 || (pid = fork ()) < 0)
    {
      fprintf (stderr, "heartbeat: cannot daemonize: %s\n", g_strerror (errno));
      exit (HB_EXIT_GENERIC);
    }
  if (pid > 0)
    {
      close (fds[1]);
      /* The grandchild writes one byte when it runs; EOF means it failed
       * (its reasons are already on our shared stderr). */
      exit (read (fds[0], &byte, 1) == 1 ? HB_EXIT_OK : HB_EXIT_GENERIC);
    }
  close (fds[0]);
  setsid ();
  if (fork () != 0)
    {
      _exit (0);
    }
  umask (022);
  if (chdir ("/") != 0)
    {
      _exit (HB_EXIT_GENERIC);
    }
  ready_fd = fds[1];
}

static void
report_ready (void)
{
  int null_fd;

  if (ready_fd < 0)
    {
      return;
    }
  null_fd = open ("/dev/null", O_RDWR);
  if (null_fd >= 0)
    {
      dup2 (null_fd, STDIN_FILENO);
      dup2 (null_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      if (null_fd > STDERR_FILENO)
        close (null_fd);
    }
  if (write (ready_fd, "R", 1) != 1)
    {
      /* the parent is gone: nothing to tell */
    }
  close (ready_fd);
  ready_fd = -1;
}

/* ---- signals ---------------------------------------------------------------- */

typedef struct
{
  HbDaemon *daemon;
  HbLogger *logger;
} Node;

static gboolean
on_sigterm (gpointer user_data)
{
  Node *node = user_data;

  hb_daemon_shutdown (node->daemon);
  return G_SOURCE_CONTINUE;
}

/* SIGHUP: reload a configuration that passes the checks; otherwise log why
 * and keep running on the old one. Heartbeats do not pause meanwhile: the
 * load is synchronous but takes milliseconds, and the keepalive timer keeps
 * its schedule. */
static gboolean
on_sighup (gpointer user_data)
{
  Node *node = user_data;
  g_autoptr (GPtrArray) diags = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_diag_free);
  g_autoptr (GError) error = NULL;
  HbConfig *config = load_config (diags, NULL);

  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      hb_log (d->severity == HB_DIAG_ERROR ? HB_LOG_ERR : HB_LOG_WARNING, "%s", d->message);
    }
  if (config == NULL)
    {
      hb_log (HB_LOG_ERR, "Config errors: Heartbeat pid %d NOT restarted; keeping the old configuration",
              (int) getpid ());
      return G_SOURCE_CONTINUE;
    }
  if (!hb_daemon_reload (node->daemon, config, &error))
    {
      hb_log (HB_LOG_ERR, "Reload refused: %s; Heartbeat pid %d keeps the old configuration",
              error->message, (int) getpid ());
      return G_SOURCE_CONTINUE;
    }
  hb_logger_set_debug (node->logger, MAX (config->debug_level, hb_logger_get_debug (node->logger)));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigusr1 (gpointer user_data)
{
  Node *node = user_data;

  hb_logger_set_debug (node->logger, hb_logger_get_debug (node->logger) + 1);
  hb_log (HB_LOG_INFO, "debug level now %u", hb_logger_get_debug (node->logger));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigusr2 (gpointer user_data)
{
  Node *node = user_data;
  guint level = hb_logger_get_debug (node->logger);

  hb_logger_set_debug (node->logger, level > 0 ? level - 1 : 0);
  hb_log (HB_LOG_INFO, "debug level now %u", hb_logger_get_debug (node->logger));
  return G_SOURCE_CONTINUE;
}

/* ---- running a node ------------------------------------------------------------- */

static int
run_node (HbConfig *config, GPtrArray *diags, const HbRscOptions *rsc)
{
  g_autofree char *hostname = local_hostname ();
  gboolean no_log = opts.logfile == NULL && config->logfile == NULL && config->debugfile == NULL
                    && config->logfacility == NULL;
  g_autoptr (HbLogger) logger = hb_logger_new ("heartbeat", opts.foreground && no_log);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbPidfile) pidfile = NULL;
  HbDaemonOptions dopts = { opts.statedir, opts.rundir, opts.logfile, hostname, logger, loop, rsc };
  Node node = { NULL, logger };

  hb_logger_configure (logger, config, opts.logfile, hostname);
  hb_logger_set_debug (logger, config->debug_level + (guint) opts.debug);
  hb_logger_install (logger);
  hb_proctitle_set (PROC_TITLE);
  hb_log (HB_LOG_INFO, "**************************");
  hb_log (HB_LOG_INFO, "Configuration validated. Starting heartbeat %s", HB_VERSION);
  for (guint i = 0; i < diags->len; i++)
    {
      hb_log (HB_LOG_WARNING, "%s", ((const HbDiag *) g_ptr_array_index (diags, i))->message);
    }
  /* Locked until we exit: -s/-k/-r and a second start see us by the lock. */
  pidfile = hb_pidfile_acquire (opts.pidfile, &error);
  if (pidfile == NULL)
    {
      hb_log (HB_LOG_ERR, "%s", error->message);
      hb_config_free (config);
      return HB_EXIT_GENERIC;
    }
  node.daemon = hb_daemon_new (&dopts, config, &error);
  if (node.daemon == NULL)
    {
      hb_log (HB_LOG_ERR, "Heartbeat not started: %s", error->message);
      return HB_EXIT_GENERIC;
    }
  g_unix_signal_add (SIGTERM, on_sigterm, &node);
  g_unix_signal_add (SIGINT, on_sigterm, &node);
  g_unix_signal_add (SIGHUP, on_sighup, &node);
  g_unix_signal_add (SIGUSR1, on_sigusr1, &node);
  g_unix_signal_add (SIGUSR2, on_sigusr2, &node);
  report_ready ();
  g_main_loop_run (loop);
  g_clear_pointer (&node.daemon, hb_daemon_free);
  return HB_EXIT_OK;
}

static int
start (gboolean reloading)
{
  g_autoptr (GPtrArray) diags = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_diag_free);
  HbConfig *config;
  HbRscOptions rsc = { 0 };
  pid_t pid = 0;

  if (!rsc_options (&rsc))
    {
      return HB_EXIT_USAGE;
    }
  config = load_config (diags, stderr);
  if (config == NULL)
    {
      if (reloading && hb_pidfile_check (opts.pidfile, &pid) == HB_PIDFILE_RUNNING)
        {
          fprintf (stderr, "Config errors: Heartbeat pid %d NOT restarted\n", (int) pid);
        }
      else
        {
          fprintf (stderr, "Heartbeat not started: configuration error.\n");
        }
      return HB_EXIT_NOT_CONFIGURED;
    }
  if (reloading)
    {
      int rc = hb_control_reload (opts.pidfile, stderr);
      if (rc != 3)
        {
          hb_config_free (config);
          return rc;
        }
    }
  if (hb_pidfile_check (opts.pidfile, &pid) == HB_PIDFILE_RUNNING)
    {
      fprintf (stderr, "heartbeat: already running [pid %d].\n", (int) pid);
      hb_config_free (config);
      return HB_EXIT_OK;
    }
  if (!opts.foreground)
    {
      daemonize ();
    }
  return run_node (config, diags, &rsc);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("- Heartbeat-compatible cluster node daemon");
  g_autoptr (GError) error = NULL;
  g_autofree char *hostname = NULL;

  hb_proctitle_init (argc, argv);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1)
    {
      fprintf (stderr, "heartbeat: %s\n", error != NULL ? error->message : "unexpected argument");
      fprintf (stderr, "Try 'heartbeat --help'.\n");
      return HB_EXIT_USAGE;
    }
  fill_defaults ();
  if (opts.version)
    {
      printf ("systole %s (heartbeat-compatible)\n", HB_VERSION);
      return HB_EXIT_OK;
    }
  if (opts.no_host_checks && !opts.test)
    {
      fprintf (stderr, "heartbeat: --no-host-checks only goes with -t: a node always checks its host\n");
      return HB_EXIT_USAGE;
    }
  if (opts.test)
    {
      return hb_check_run (opts.confdir, opts.nodename, !opts.no_host_checks, opts.verbose, stdout,
                           stderr);
    }
  if (opts.status)
    {
      hostname = local_hostname ();
      return hb_control_status (opts.pidfile, hostname, opts.nodename, stdout);
    }
  if (opts.kill)
    {
      guint limit_ms = 0;

      if (!parse_duration ("shutdown-timeout", opts.shutdown_timeout, &limit_ms))
        {
          return HB_EXIT_USAGE;
        }
      limit_ms = limit_ms > 0 ? limit_ms : HB_RSC_DEFAULT_SHUTDOWN_MS;
      return hb_control_stop (opts.pidfile, limit_ms / 1000 + STOP_MARGIN_S, stdout, stderr);
    }
  return start (opts.reload);
}
