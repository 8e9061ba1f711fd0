/* lvs-checker: real-server health checks for one lvs.conf while its group is held.
 *
 * keepalived's TCP_CHECK (keepalived.conf(5)): every delay_loop a TCP connect to
 * the real server (connect_port), given up after connect_timeout; after a failure
 * it retries every delay_before_retry, and after 1 + retry failures in a row the
 * real server is down: weight 0 with inhibit_on_failure, else removed. The first
 * success brings it back. Changes go to the kernel through lvs-backend, the same
 * code `systole-lvs start` uses, and the down set is kept in the state directory
 * so status can tell a failed real server from a broken table.
 *
 * One GMainLoop: a timer and a non-blocking connect per real server, signals via
 * g_unix_signal_add, kernel updates in a worker thread (never blocking the loop).
 * Started by `systole-lvs start` with --daemon: it closes stderr once ready, which
 * tells the starter it may return.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "lvs-apply-async.h"
#include "lvs-backend.h"
#include "lvs-log.h"
#include "lvs-state.h"

#define APPLY_RETRY_MS 1000

typedef struct Checker Checker;

typedef struct
{
  Checker *owner;
  const HbLvsService *svc;
  const HbLvsReal *real;
  char *key;
  HbLvsHealth health;
  guint timer_id;
  guint timeout_id;
  GCancellable *cancel;
  gboolean timed_out;
} Probe;

struct Checker
{
  GMainLoop *loop;
  HbLvsDirector *director;
  HbLvsPaths *paths;
  GSocketClient *client;
  GHashTable *down;   /* keys of failed real servers */
  GPtrArray *probes;  /* Probe* */
  gboolean applying;
  gboolean shutting_down;
  gboolean dirty;     /* the down set changed while an update was running */
  guint retry_id;
};

static void probe_schedule (Probe *p, guint delay_ms);
static void request_apply (Checker *c);

static void
probe_free (gpointer data)
{
  Probe *p = data;

  g_clear_handle_id (&p->timer_id, g_source_remove);
  g_clear_handle_id (&p->timeout_id, g_source_remove);
  if (p->cancel != NULL)
    {
      g_cancellable_cancel (p->cancel);
      g_clear_object (&p->cancel);
    }
  g_free (p->key);
  g_free (p);
}

/* ---- applying changes ------------------------------------------------------------ */

static gboolean
retry_apply (gpointer data)
{
  Checker *c = data;

  c->retry_id = 0;
  request_apply (c);
  return G_SOURCE_REMOVE;
}

static void
applied (GObject *source, GAsyncResult *result, gpointer data)
{
  Checker *c = data;
  g_autoptr (GError) error = NULL;

  (void) source;
  c->applying = FALSE;
  if (c->shutting_down)
    {
      return;
    }
  if (!hb_lvs_director_apply_finish (c->director, result, &error))
    {
      hb_lvs_log (HB_LVS_LOG_ERROR, "cannot update the kernel table (retrying in 1 s): %s", error->message);
      if (c->retry_id == 0)
        {
          c->retry_id = g_timeout_add (APPLY_RETRY_MS, retry_apply, c);
        }
      return;
    }
  if (c->dirty)
    {
      request_apply (c);
    }
}

static void
request_apply (Checker *c)
{
  if (c->applying)
    {
      c->dirty = TRUE;
      return;
    }
  c->applying = TRUE;
  c->dirty = FALSE;
  hb_lvs_director_apply_async (c->director, c->paths, c->down, applied, c);
}

/* ---- one TCP check ------------------------------------------------------------------- */

static void
report_change (Probe *p, HbLvsHealthChange change, const char *reason)
{
  Checker *c = p->owner;

  if (change == HB_LVS_HEALTH_WENT_DOWN)
    {
      g_hash_table_add (c->down, g_strdup (p->key));
      hb_lvs_log (HB_LVS_LOG_WARN, "real server %s:%u of %s %s:%u is down after %u failed TCP checks (%s): %s",
                  p->real->addr, p->real->port, hb_lvs_proto_to_string (p->svc->proto), p->svc->addr,
                  p->svc->port, p->real->check.retry + 1, reason,
                  p->real->inhibit_on_failure ? "weight 0 (inhibit_on_failure)" : "removed from the service");
    }
  else
    {
      g_hash_table_remove (c->down, p->key);
      hb_lvs_log (HB_LVS_LOG_INFO, "real server %s:%u of %s %s:%u is up again (TCP check passed): weight %u",
                  p->real->addr, p->real->port, hb_lvs_proto_to_string (p->svc->proto), p->svc->addr,
                  p->svc->port, p->real->weight);
    }
  request_apply (c);
}

static void
probe_done (Probe *p, gboolean ok, const char *reason)
{
  guint next_ms = 0;
  gboolean was_up = p->health.up;
  HbLvsHealthChange change = hb_lvs_health_record (&p->health, &p->real->check, ok, &next_ms);

  if (!ok && was_up && change == HB_LVS_HEALTH_SAME)
    {
      hb_lvs_log (HB_LVS_LOG_INFO, "TCP check of real server %s:%u failed (%s): attempt %u of %u, next in %u ms",
                  p->real->addr, p->real->port, reason, p->health.failures, p->real->check.retry + 1, next_ms);
    }
  if (change != HB_LVS_HEALTH_SAME)
    {
      report_change (p, change, reason);
    }
  probe_schedule (p, next_ms);
}

static gboolean
probe_timed_out (gpointer data)
{
  Probe *p = data;

  p->timeout_id = 0;
  p->timed_out = TRUE;
  g_cancellable_cancel (p->cancel);
  return G_SOURCE_REMOVE;
}

static void
probe_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Probe *p = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) conn = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_autofree char *reason = NULL;

  if (p->owner->shutting_down)
    {
      g_clear_object (&p->cancel); /* lets shutdown() see that this connect is over */
      return;
    }
  g_clear_handle_id (&p->timeout_id, g_source_remove);
  g_clear_object (&p->cancel);
  if (conn != NULL)
    {
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  else
    {
      reason = p->timed_out ? g_strdup_printf ("no connection within %u ms", p->real->check.connect_timeout_ms)
                            : g_strdup (error->message);
    }
  probe_done (p, conn != NULL, reason);
}

static gboolean
probe_start (gpointer data)
{
  Probe *p = data;
  guint16 port = p->real->check.connect_port != 0 ? p->real->check.connect_port : p->real->port;
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new_from_string (p->real->addr, port);

  p->timer_id = 0;
  p->timed_out = FALSE;
  p->cancel = g_cancellable_new ();
  /* Our own millisecond timer: GSocketClient's timeout has whole seconds only. */
  p->timeout_id = g_timeout_add (p->real->check.connect_timeout_ms, probe_timed_out, p);
  g_socket_client_connect_async (p->owner->client, G_SOCKET_CONNECTABLE (addr), p->cancel, probe_connected, p);
  return G_SOURCE_REMOVE;
}

static void
probe_schedule (Probe *p, guint delay_ms)
{
  p->timer_id = g_timeout_add (delay_ms, probe_start, p);
}

/* ---- setup ------------------------------------------------------------------------- */

static void
add_probes (Checker *c)
{
  const HbLvsConfig *config = c->director->config;

  for (guint i = 0; i < config->services->len; i++)
    {
      const HbLvsService *s = g_ptr_array_index (config->services, i);
      for (guint j = 0; j < s->reals->len; j++)
        {
          const HbLvsReal *r = g_ptr_array_index (s->reals, j);
          Probe *p;
          if (!r->check.enabled)
            {
              continue;
            }
          p = g_new0 (Probe, 1);
          p->owner = c;
          p->svc = s;
          p->real = r;
          p->key = hb_lvs_real_key (s, r);
          p->health.up = !g_hash_table_contains (c->down, p->key);
          g_ptr_array_add (c->probes, p);
          probe_schedule (p, 0);
        }
    }
}

static gboolean
on_signal (gpointer data)
{
  Checker *c = data;

  hb_lvs_log (HB_LVS_LOG_INFO, "health checker for %s exiting on signal", c->paths->config);
  g_main_loop_quit (c->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_pidfile (const HbLvsPaths *paths, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%d\n", (int) getpid ());

  return hb_lvs_paths_ensure_dir (paths, error) && g_file_set_contents (paths->pid, text, -1, error);
}

/* Loads the copy start saved (what is programmed), else the file itself. */
static HbLvsDirector *
open_director (const HbLvsPaths *paths, HbLvsBackend backend, GError **error)
{
  const char *source = g_file_test (paths->conf_copy, G_FILE_TEST_EXISTS) ? paths->conf_copy : paths->config;
  HbLvsConfig *config = hb_lvs_config_load_as (source, paths->config, NULL, error);

  return config != NULL ? hb_lvs_director_new (config, backend, error) : NULL;
}

/* Cancels every connect and waits for it and for a running kernel update to
 * finish, so no callback or worker thread outlives the objects it uses. */
static void
shutdown_checker (Checker *c)
{
  gboolean busy = TRUE;

  c->shutting_down = TRUE;
  for (guint i = 0; i < c->probes->len; i++)
    {
      Probe *p = g_ptr_array_index (c->probes, i);
      g_clear_handle_id (&p->timer_id, g_source_remove);
      g_clear_handle_id (&p->timeout_id, g_source_remove);
      if (p->cancel != NULL)
        {
          g_cancellable_cancel (p->cancel);
        }
    }
  while (busy)
    {
      busy = c->applying;
      for (guint i = 0; i < c->probes->len && !busy; i++)
        {
          busy = ((Probe *) g_ptr_array_index (c->probes, i))->cancel != NULL;
        }
      if (busy)
        {
          g_main_context_iteration (NULL, TRUE);
        }
    }
}

static void
detach_stderr (void)
{
  int fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);

  if (fd >= 0)
    {
      dup2 (fd, STDERR_FILENO);
      close (fd);
    }
}

static int
run (Checker *c, gboolean daemon_mode)
{
  g_autoptr (GError) error = NULL;

  if (!write_pidfile (c->paths, &error))
    {
      hb_lvs_log (HB_LVS_LOG_ERROR, "health checker: %s", error->message);
      return 1;
    }
  add_probes (c);
  g_unix_signal_add (SIGTERM, on_signal, c);
  g_unix_signal_add (SIGINT, on_signal, c);
  hb_lvs_log (HB_LVS_LOG_INFO, "health checker for %s started: %u real servers with TCP_CHECK", c->paths->config,
              c->probes->len);
  if (daemon_mode)
    {
      detach_stderr (); /* tells systole-lvs start that we are up */
    }
  g_main_loop_run (c->loop);
  shutdown_checker (c);
  g_unlink (c->paths->pid);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *state_dir = NULL, *backend_name = NULL, *log_file = NULL;
  gboolean daemon_mode = FALSE;
  GOptionEntry entries[] = {
    { "state-dir", 's', 0, G_OPTION_ARG_FILENAME, &state_dir, "State directory", "DIR" },
    { "backend", 'b', 0, G_OPTION_ARG_STRING, &backend_name, "auto, ipvs or nftables", "NAME" },
    { "log-file", 'l', 0, G_OPTION_ARG_FILENAME, &log_file, "Append log lines here", "FILE" },
    { "daemon", 0, 0, G_OPTION_ARG_NONE, &daemon_mode, "Close stderr once running (used by systole-lvs)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = g_option_context_new ("LVS.CONF");
  g_autoptr (GError) error = NULL;
  HbLvsBackend backend = HB_LVS_BACKEND_AUTO;
  Checker c = { 0 };
  int rc;

  signal (SIGPIPE, SIG_IGN); /* ipvsadm exiting before reading its input is an error, not our death */
  g_option_context_add_main_entries (octx, entries, NULL);
  if (!g_option_context_parse (octx, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "lvs-checker: %s\n", error != NULL ? error->message : "expected one configuration file");
      return 2;
    }
  if (backend_name != NULL)
    {
      backend = strcmp (backend_name, "ipvs") == 0 ? HB_LVS_BACKEND_IPVS
                : strcmp (backend_name, "nftables") == 0 ? HB_LVS_BACKEND_NFTABLES : HB_LVS_BACKEND_AUTO;
    }
  hb_lvs_log_setup ("lvs-checker", log_file, TRUE, FALSE);
  c.paths = hb_lvs_paths_new (state_dir, argv[1]);
  c.director = open_director (c.paths, backend, &error);
  if (c.director == NULL)
    {
      hb_lvs_log (HB_LVS_LOG_ERROR, "health checker: %s", error->message);
      hb_lvs_paths_free (c.paths);
      return 6;
    }
  c.loop = g_main_loop_new (NULL, FALSE);
  c.client = g_socket_client_new ();
  c.down = hb_lvs_state_read_down (c.paths->down);
  c.probes = g_ptr_array_new_with_free_func (probe_free);
  rc = run (&c, daemon_mode);
  g_ptr_array_unref (c.probes);
  g_clear_handle_id (&c.retry_id, g_source_remove);
  g_hash_table_unref (c.down);
  g_object_unref (c.client);
  g_main_loop_unref (c.loop);
  hb_lvs_director_free (c.director);
  hb_lvs_paths_free (c.paths);
  return rc;
}
