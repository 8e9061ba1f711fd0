/* systole-lvs: programs, removes and checks one lvs.conf's virtual services, and
 * starts/stops its real-server health checker. Called as LVS (resource.d/LVS is
 * this program) or `systole-lvs agent`, it is the resource agent (lvs-agent.c);
 * it can also be run by hand:
 *
 *   systole-lvs check /etc/ha.d/lvs.conf     # configuration test, -v dumps it
 *   systole-lvs show /etc/ha.d/lvs.conf      # what start would run
 *   systole-lvs start|stop|status /etc/ha.d/lvs.conf
 *
 * Exit codes are OCF's (docs/PROTOCOL.md, "OCF and LSB conventions"):
 * 0 success / running, 1 failure or degraded, 2 bad usage, 5 a needed program
 * is missing, 6 bad configuration, 7 not running.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "lvs-backend.h"
#include "lvs-log.h"
#include "lvs-spawn.h"
#include "lvs-state.h"
#include "lvs-tool.h"

enum
{
  RC_OK = 0,
  RC_GENERIC = 1,
  RC_ARGS = 2,
  RC_INSTALLED = 5,
  RC_CONFIGURED = 6,
  RC_NOT_RUNNING = 7,
};

#define CHECKER_READY_TIMEOUT_MS 10000
#define CHECKER_STOP_TIMEOUT_MS 5000

typedef HbLvsToolOptions Options;

typedef struct
{
  const Options *opt;
  HbLvsPaths *paths;
  HbLvsBackend backend;
  GString *out; /* what the command says on stdout */
} Ctx;

/* The exit code a loading error deserves. */
static int
rc_for_error (const GError *error)
{
  if (error->domain == HB_LVS_CONF_ERROR)
    {
      return error->code == HB_LVS_CONF_ERROR_IO ? RC_INSTALLED : RC_CONFIGURED;
    }
  if (error->domain == HB_LVS_DIRECTOR_ERROR && error->code == HB_LVS_DIRECTOR_ERROR_NOT_INSTALLED)
    {
      return RC_INSTALLED;
    }
  return RC_GENERIC;
}

/* Logs every line of ERROR (a configuration error lists all problems of the file). */
static int
fail (const GError *error, const char *what)
{
  g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      hb_lvs_log (HB_LVS_LOG_ERROR, "%s: %s", what, lines[i]);
    }
  return rc_for_error (error);
}

/* Loads PATH (shown as the configuration's own name) and prepares its backend. */
static HbLvsDirector *
open_director (Ctx *c, const char *path, gboolean warn, GError **error)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  HbLvsConfig *config = hb_lvs_config_load_as (path, c->paths->config, warnings, error);

  if (config == NULL)
    {
      return NULL;
    }
  for (guint i = 0; warn && i < warnings->len; i++)
    {
      hb_lvs_log (HB_LVS_LOG_WARN, "%s", (const char *) g_ptr_array_index (warnings, i));
    }
  return hb_lvs_director_new (config, c->backend, error);
}

static gboolean
config_has_checks (const HbLvsConfig *config)
{
  for (guint i = 0; i < config->services->len; i++)
    {
      const HbLvsService *s = g_ptr_array_index (config->services, i);
      for (guint j = 0; j < s->reals->len; j++)
        {
          if (((const HbLvsReal *) g_ptr_array_index (s->reals, j))->check.enabled)
            {
              return TRUE;
            }
        }
    }
  return FALSE;
}

static guint
count_reals (const HbLvsConfig *config)
{
  guint n = 0;

  for (guint i = 0; i < config->services->len; i++)
    {
      n += ((const HbLvsService *) g_ptr_array_index (config->services, i))->reals->len;
    }
  return n;
}

/* ---- check / show -------------------------------------------------------------- */

static int
cmd_check (Ctx *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsDirector) d = open_director (c, c->paths->config, TRUE, &error);
  g_autofree char *dump = NULL;

  if (d == NULL)
    {
      return fail (error, "configuration test failed");
    }
  if (c->opt->verbose)
    {
      dump = hb_lvs_config_dump (d->config);
      g_string_append (c->out, dump);
    }
  g_string_append_printf (c->out, "%s: configuration OK (backend %s, %u virtual services, %u real servers)\n", c->paths->config,
          hb_lvs_backend_to_string (d->backend), d->config->services->len, count_reals (d->config));
  return RC_OK;
}

static int
cmd_show (Ctx *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsDirector) d = open_director (c, c->paths->config, TRUE, &error);
  g_autofree char *plan = NULL;

  if (d == NULL)
    {
      return fail (error, "cannot show the plan");
    }
  plan = hb_lvs_director_plan (d, NULL, &error);
  if (plan == NULL)
    {
      return fail (error, "cannot show the plan");
    }
  g_string_append (c->out, plan);
  return RC_OK;
}

/* ---- the checker process ------------------------------------------------------------ */

static char *
find_checker (const Options *opt)
{
  const char *env = g_getenv ("SYSTOLE_LVS_CHECKER");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *beside = dir != NULL ? g_build_filename (dir, "lvs-checker", NULL) : NULL;

  if (opt->checker != NULL)
    {
      return g_strdup (opt->checker);
    }
  if (env != NULL && *env != '\0')
    {
      return g_strdup (env);
    }
  /* Next to this tool first: that is the build tree in tests. */
  if (beside != NULL && g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
    {
      return g_steal_pointer (&beside);
    }
  return g_strdup (HB_LIBEXECDIR "/lvs-checker");
}

/* Reads the checker's stderr until it closes it (ready, or dead). */
static char *
read_until_ready (int fd)
{
  GString *text = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + CHECKER_READY_TIMEOUT_MS * 1000;
  char buf[1024];

  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      ssize_t n;
      if (left_ms <= 0 || poll (&pfd, 1, (int) left_ms) <= 0)
        {
          g_string_append (text, "(no answer within 10 s)");
          break;
        }
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        {
          break;
        }
      g_string_append_len (text, buf, n);
    }
  close (fd);
  return g_string_free (text, FALSE);
}

static gboolean
start_checker (Ctx *c, GError **error)
{
  g_autofree char *checker = find_checker (c->opt);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *said = NULL;
  int stderr_fd = -1;

  g_ptr_array_add (argv, checker);
  g_ptr_array_add (argv, (char *) "--daemon");
  g_ptr_array_add (argv, (char *) "--state-dir");
  g_ptr_array_add (argv, c->paths->dir);
  g_ptr_array_add (argv, (char *) "--backend");
  g_ptr_array_add (argv, (char *) hb_lvs_backend_to_string (c->backend));
  if (c->opt->log_file != NULL)
    {
      g_ptr_array_add (argv, (char *) "--log-file");
      g_ptr_array_add (argv, c->opt->log_file);
    }
  g_ptr_array_add (argv, c->paths->config);
  g_ptr_array_add (argv, NULL);
  /* Its own session: heartbeat's process-group kills of the agent spare it. */
  if (!hb_lvs_spawn_detached ((const char *const *) argv->pdata, &stderr_fd, error))
    {
      g_prefix_error (error, "cannot start the health checker %s: ", checker);
      return FALSE;
    }
  said = g_strstrip (read_until_ready (stderr_fd));
  if (hb_lvs_checker_pid (c->paths) == 0)
    {
      g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_COMMAND,
                   "the health checker %s did not start: %s", checker, *said != '\0' ? said : "(no message)");
      return FALSE;
    }
  hb_lvs_log (HB_LVS_LOG_INFO, "health checker for %s running (pid %d)", c->paths->config,
              (int) hb_lvs_checker_pid (c->paths));
  return TRUE;
}

/* Waits up to TIMEOUT_MS for the process behind PIDFD to exit: poll wakes the
 * moment it does (no sleep-and-recheck). Without a pidfd (kernel < 5.3), checks
 * /proc every millisecond. */
static gboolean
wait_gone (pid_t pid, int pidfd, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

  if (pidfd >= 0)
    {
      int n;
      do
        {
          n = poll (&pfd, 1, timeout_ms);
        }
      while (n < 0 && errno == EINTR && g_get_monotonic_time () < deadline);
      return n > 0;
    }
  while (hb_lvs_checker_alive (pid))
    {
      if (g_get_monotonic_time () >= deadline)
        {
          return FALSE;
        }
      g_usleep (1000);
    }
  return TRUE;
}

/* Ends the checker PID (from hb_lvs_checker_pid; 0: none) and waits until it is
 * gone. PIDFD: from pidfd_open before anything else, or -1. */
static gboolean
end_checker (Ctx *c, pid_t pid, int pidfd, GError **error)
{
  if (pid == 0)
    {
      return TRUE;
    }
  if (!wait_gone (pid, pidfd, CHECKER_STOP_TIMEOUT_MS))
    {
      hb_lvs_log (HB_LVS_LOG_WARN, "health checker pid %d ignored SIGTERM for 5 s: SIGKILL", (int) pid);
      kill (pid, SIGKILL);
      if (!wait_gone (pid, pidfd, 1000))
        {
          g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_COMMAND,
                       "health checker pid %d does not exit", (int) pid);
          return FALSE;
        }
    }
  hb_lvs_log (HB_LVS_LOG_INFO, "health checker for %s stopped (pid %d)", c->paths->config, (int) pid);
  return TRUE;
}

/* Signals the checker to end and takes away its pid file, which tells it not to
 * touch the kernel any more (see hb_lvs_director_apply_async). Returns its pid (0:
 * none) and a pidfd to wait on in *PIDFD (-1 if none). */
static pid_t
signal_checker (Ctx *c, int *pidfd)
{
  pid_t pid = hb_lvs_checker_pid (c->paths);
  int lock;

  *pidfd = -1;
  if (pid == 0)
    {
      g_unlink (c->paths->pid); /* a stale one, if any */
      return 0;
    }
  /* Opened before the pid is checked again: the fd then names this very
   * process, even if it exits and its pid is reused. */
  *pidfd = pidfd_open (pid, 0);
  if (hb_lvs_checker_pid (c->paths) != pid)
    {
      pid = 0;
    }
  else if (*pidfd >= 0)
    {
      pidfd_send_signal (*pidfd, SIGTERM, NULL, 0);
    }
  else
    {
      kill (pid, SIGTERM);
    }
  lock = hb_lvs_state_lock (c->paths, TRUE); /* not while the checker is applying */
  g_unlink (c->paths->pid);
  hb_lvs_state_unlock (lock);
  return pid;
}

static gboolean
stop_checker (Ctx *c, GError **error)
{
  int pidfd;
  pid_t pid = signal_checker (c, &pidfd);
  gboolean ok = end_checker (c, pid, pidfd, error);

  if (pidfd >= 0)
    {
      close (pidfd);
    }
  return ok;
}

/* NAT replies pass through the director: without forwarding nothing answers. */
static void
warn_if_not_forwarding (const HbLvsConfig *config)
{
  g_autofree char *value = NULL;
  gboolean nat = FALSE;

  for (guint i = 0; i < config->services->len; i++)
    {
      nat = nat || ((const HbLvsService *) g_ptr_array_index (config->services, i))->kind == HB_LVS_KIND_NAT;
    }
  if (nat && g_file_get_contents ("/proc/sys/net/ipv4/ip_forward", &value, NULL, NULL) && value[0] == '0')
    {
      hb_lvs_log (HB_LVS_LOG_WARN, "%s: lb_kind NAT needs net.ipv4.ip_forward=1 on the director, "
                                   "but it is 0: clients will get no answers", config->file);
    }
}

/* ---- start / stop / status ------------------------------------------------------------ */

static gboolean
save_copy (Ctx *c, GError **error)
{
  g_autofree char *text = NULL;

  return hb_lvs_paths_ensure_dir (c->paths, error)
         && g_file_get_contents (c->paths->config, &text, NULL, error)
         && g_file_set_contents (c->paths->conf_copy, text, -1, error);
}

/* start after lvs.conf was edited: drop what the old file programmed and the new
 * one does not want, and restart the checker on the new file. */
static gboolean
follow_config_change (Ctx *c, HbLvsDirector *d, gboolean *checking, GError **error)
{
  g_autofree char *saved = NULL, *now = NULL;
  g_autoptr (HbLvsDirector) old = NULL;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (c->paths->conf_copy, &saved, NULL, NULL)
      || !g_file_get_contents (c->paths->config, &now, NULL, NULL) || strcmp (saved, now) == 0)
    {
      return TRUE;
    }
  hb_lvs_log (HB_LVS_LOG_INFO, "%s changed since it was started: updating", c->paths->config);
  old = open_director (c, c->paths->conf_copy, FALSE, &local);
  if (old != NULL && !hb_lvs_director_remove_stale (d, old, error))
    {
      return FALSE;
    }
  if (*checking && !stop_checker (c, error))
    {
      return FALSE;
    }
  *checking = FALSE;
  return TRUE;
}

static int
cmd_start (Ctx *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsDirector) d = open_director (c, c->paths->config, TRUE, &error);
  g_autoptr (GHashTable) down = NULL;
  gboolean checking, ok;
  int lock;

  if (d == NULL)
    {
      return fail (error, "start failed");
    }
  checking = hb_lvs_checker_pid (c->paths) != 0;
  if (!follow_config_change (c, d, &checking, &error))
    {
      return fail (error, "start failed");
    }
  if (!checking)
    {
      g_unlink (c->paths->down); /* left over from a checker that is gone */
    }
  warn_if_not_forwarding (d->config);
  lock = hb_lvs_state_lock (c->paths, TRUE);
  down = hb_lvs_state_read_down (c->paths->down);
  ok = save_copy (c, &error) && hb_lvs_director_apply (d, down, &error);
  hb_lvs_state_unlock (lock);
  if (!ok)
    {
      return fail (error, "start failed");
    }
  hb_lvs_log (HB_LVS_LOG_INFO, "%s: %u virtual services programmed (backend %s%s%s)", c->paths->config,
              d->config->services->len, hb_lvs_backend_to_string (d->backend),
              d->backend == HB_LVS_BACKEND_NFTABLES ? ", table ip " : "",
              d->backend == HB_LVS_BACKEND_NFTABLES ? d->nft_table : "");
  if (!checking && config_has_checks (d->config) && !start_checker (c, &error))
    {
      return fail (error, "start failed");
    }
  return RC_OK;
}

/* The checker is told to end first and its pid file goes (it then leaves the
 * kernel alone), the services are deleted while it exits (that is when traffic
 * stops being forwarded), and stop returns once the checker is gone. */
static int
cmd_stop (Ctx *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsDirector) d = NULL;
  const char *source = g_file_test (c->paths->conf_copy, G_FILE_TEST_EXISTS) ? c->paths->conf_copy
                                                                             : c->paths->config;
  int pidfd, lock;
  pid_t pid = signal_checker (c, &pidfd);
  gboolean ok;

  /* Remove what start programmed: its saved copy, else the file as it is now. */
  d = open_director (c, source, FALSE, &error);
  if (d == NULL && source == c->paths->config)
    {
      ok = end_checker (c, pid, pidfd, NULL);
      /* start saves its copy before it programs anything: without a copy nothing
       * was started from this state directory, so stop has nothing to undo. */
      hb_lvs_log (HB_LVS_LOG_INFO, "%s: not started (%s): nothing to stop", c->paths->config, error->message);
      g_clear_error (&error);
    }
  else
    {
      lock = hb_lvs_state_lock (c->paths, TRUE);
      ok = d != NULL && hb_lvs_director_remove (d, &error);
      hb_lvs_state_unlock (lock);
      ok = end_checker (c, pid, pidfd, ok ? &error : NULL) && ok;
    }
  if (pidfd >= 0)
    {
      close (pidfd);
    }
  if (error != NULL)
    {
      return fail (error, "stop failed");
    }
  if (d == NULL)
    {
      return RC_OK;
    }
  g_unlink (c->paths->down);
  g_unlink (c->paths->conf_copy);
  g_unlink (c->paths->lock); /* the checker is gone: nobody else changes this state */
  hb_lvs_log (HB_LVS_LOG_INFO, "%s: virtual services removed (backend %s)", c->paths->config,
              hb_lvs_backend_to_string (d->backend));
  return RC_OK;
}

static int
cmd_status (Ctx *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsDirector) d = open_director (c, c->paths->config, FALSE, &error);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) down = NULL;
  gboolean checking = hb_lvs_checker_pid (c->paths) != 0;
  HbLvsMatch match;
  gboolean ok;
  int lock;

  if (d == NULL)
    {
      return fail (error, "status failed");
    }
  lock = hb_lvs_state_lock (c->paths, FALSE);
  down = checking ? hb_lvs_state_read_down (c->paths->down) : NULL;
  ok = hb_lvs_director_compare (d, down, &match, problems, &error);
  hb_lvs_state_unlock (lock);
  if (!ok)
    {
      return fail (error, "status failed");
    }
  if (match == HB_LVS_MATCH_NONE)
    {
      g_string_append_printf (c->out, "stopped\n");
      return RC_NOT_RUNNING;
    }
  if (match == HB_LVS_MATCH_ALL && (checking || !config_has_checks (d->config)))
    {
      g_string_append_printf (c->out, "running (backend %s, %u virtual services, %u real servers failing their checks)\n",
              hb_lvs_backend_to_string (d->backend), d->config->services->len,
              down != NULL ? g_hash_table_size (down) : 0);
      return RC_OK;
    }
  if (!checking && config_has_checks (d->config))
    {
      g_ptr_array_add (problems, g_strdup ("the real-server health checker is not running"));
    }
  g_string_append_printf (c->out, "degraded: the kernel table differs from %s\n", c->paths->config);
  for (guint i = 0; i < problems->len; i++)
    {
      g_string_append_printf (c->out, "  %s\n", (const char *) g_ptr_array_index (problems, i));
    }
  return RC_GENERIC;
}

/* ---- main --------------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  int (*fn) (Ctx *c);
} Command;

static const Command commands[] = {
  { "check", cmd_check }, { "show", cmd_show }, { "start", cmd_start },
  { "stop", cmd_stop },   { "status", cmd_status },
};

gboolean
hb_lvs_tool_parse_backend (const char *s, HbLvsBackend *out)
{
  static const HbLvsBackend all[] = { HB_LVS_BACKEND_AUTO, HB_LVS_BACKEND_IPVS, HB_LVS_BACKEND_NFTABLES };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (s == NULL || strcmp (s, hb_lvs_backend_to_string (all[i])) == 0)
        {
          *out = s == NULL ? HB_LVS_BACKEND_AUTO : all[i];
          return TRUE;
        }
    }
  return FALSE;
}

int
hb_lvs_tool_command (const HbLvsToolOptions *opt, HbLvsBackend backend, const char *command,
                     const char *config, GString *out)
{
  g_autoptr (HbLvsPaths) paths = hb_lvs_paths_new (opt->state_dir, config);
  Ctx c = { opt, paths, backend, out };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (command, commands[i].name) == 0)
        {
          return commands[i].fn (&c);
        }
    }
  fprintf (stderr, "systole-lvs: unknown command '%s' (check, show, start, stop or status)\n", command);
  return RC_ARGS;
}

/* Called as LVS (resource.d/LVS and the OCF agent are this program under that
 * name), or `systole-lvs agent ...`: the resource agent. */
static gboolean
is_agent (int argc, char **argv)
{
  g_autofree char *base = g_path_get_basename (argv[0]);

  return strcmp (base, "LVS") == 0 || (argc >= 2 && strcmp (argv[1], "agent") == 0);
}

int
main (int argc, char **argv)
{
  Options opt = { 0 };
  GOptionEntry entries[] = {
    { "state-dir", 's', 0, G_OPTION_ARG_FILENAME, &opt.state_dir, "State directory", "DIR" },
    { "backend", 'b', 0, G_OPTION_ARG_STRING, &opt.backend, "auto, ipvs or nftables (overrides lvs.conf)", "NAME" },
    { "log-file", 'l', 0, G_OPTION_ARG_FILENAME, &opt.log_file, "Append log lines here (default $HA_LOGFILE, else syslog)", "FILE" },
    { "checker", 0, 0, G_OPTION_ARG_FILENAME, &opt.checker, "The lvs-checker program", "PATH" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt.verbose, "check: print the configuration canonically", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  HbLvsBackend backend = HB_LVS_BACKEND_AUTO;
  int rc;

  signal (SIGPIPE, SIG_IGN); /* ipvsadm exiting before reading its input is an error, not our death */
  if (is_agent (argc, argv))
    {
      gboolean sub = strcmp (argv[1 < argc ? 1 : 0], "agent") == 0;
      return hb_lvs_agent_main (argc - sub, argv + sub);
    }
  octx = g_option_context_new ("check|show|start|stop|status LVS.CONF");
  g_option_context_add_main_entries (octx, entries, NULL);
  g_option_context_set_summary (octx, "Programs the LVS virtual services of one lvs.conf (IPVS or nftables).\n"
                                      "As `systole-lvs agent ARGS` (or when called LVS) it is the LVS resource agent.");
  if (!g_option_context_parse (octx, &argc, &argv, &error) || argc != 3
      || !hb_lvs_tool_parse_backend (opt.backend, &backend))
    {
      fprintf (stderr, "systole-lvs: %s\nUsage: systole-lvs [OPTION...] check|show|start|stop|status LVS.CONF\n",
               error != NULL ? error->message : argc != 3 ? "expected a command and a configuration file"
                                                         : "--backend must be auto, ipvs or nftables");
      rc = RC_ARGS;
    }
  else
    {
      hb_lvs_log_setup ("systole-lvs", opt.log_file, TRUE, FALSE);
      rc = hb_lvs_tool_command (&opt, backend, argv[1], argv[2], out);
      fputs (out->str, stdout);
    }
  g_free (opt.state_dir);
  g_free (opt.backend);
  g_free (opt.log_file);
  g_free (opt.checker);
  return rc;
}
