/* systole: -s / -k / -r against a running daemon.
 * Facts: docs/PROTOCOL.md, "heartbeat command line". */
#include "control.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pidfile.h"
#include "systole.h"

#define LSB_STATUS_STOPPED 3
#define LSB_STATUS_DEAD_PIDFILE 1
#define STOP_POLL_US (100 * 1000)

int
hb_control_status (const char *pidfile, const char *hostname, const char *nodename, FILE *out)
{
  pid_t pid = 0;

  switch (hb_pidfile_check (pidfile, &pid))
    {
    case HB_PIDFILE_RUNNING:
      fprintf (out, "heartbeat OK [pid %d et al] is running on %s [%s]...\n", (int) pid, hostname,
               nodename);
      return HB_EXIT_OK;
    case HB_PIDFILE_STALE:
      fprintf (out, "heartbeat is stopped. No process\n");
      return LSB_STATUS_DEAD_PIDFILE;
    case HB_PIDFILE_STOPPED:
    default:
      fprintf (out, "heartbeat is stopped. No process\n");
      return LSB_STATUS_STOPPED;
    }
}

static int
signal_error (int saved, pid_t pid, const char *what, FILE *err)
{
  fprintf (err, "heartbeat: cannot send %s to pid %d: %s\n", what, (int) pid, g_strerror (saved));
  return saved == EPERM ? HB_EXIT_PERM : HB_EXIT_GENERIC;
}

/* Gone, or a zombie nobody reaped yet (the daemon's parent is init). */
static gboolean
process_gone (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    {
      return TRUE;
    }
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    {
      return FALSE;
    }
  paren = strrchr (stat, ')');
  return paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

int
hb_control_stop (const char *pidfile, guint timeout_s, FILE *out, FILE *err)
{
  pid_t pid = 0;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  if (hb_pidfile_check (pidfile, &pid) != HB_PIDFILE_RUNNING)
    {
      fprintf (out, "INFO: Heartbeat already stopped.\n");
      return HB_EXIT_OK;
    }
  if (kill (pid, SIGTERM) != 0)
    {
      return signal_error (errno, pid, "SIGTERM", err);
    }
  /* Heartbeat polls every second; 100 ms makes `-k` return as soon as the
   * daemon has sent its shutdown notice and exited. */
  while (!process_gone (pid))
    {
      if (g_get_monotonic_time () > deadline)
        {
          fprintf (err, "heartbeat: pid %d did not stop within %u s\n", (int) pid, timeout_s);
          return HB_EXIT_GENERIC;
        }
      g_usleep (STOP_POLL_US);
    }
  return HB_EXIT_OK;
}

int
hb_control_reload (const char *pidfile, FILE *err)
{
  pid_t pid = 0;

  if (hb_pidfile_check (pidfile, &pid) != HB_PIDFILE_RUNNING)
    {
      return LSB_STATUS_STOPPED;
    }
  if (kill (pid, SIGHUP) != 0)
    {
      return signal_error (errno, pid, "SIGHUP", err);
    }
  return HB_EXIT_OK;
}
