/* systole: the daemon's pid file. */
#include "pidfile.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

static gboolean
read_pid (const char *path, pid_t *pid_out)
{
  g_autofree char *text = NULL;
  char *end = NULL;
  gint64 value;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      return FALSE;
    }
  value = g_ascii_strtoll (g_strstrip (text), &end, 10);
  if (end == text || *end != '\0' || value <= 0 || value > G_MAXINT32)
    {
      *pid_out = 0;
      return TRUE; /* present but unreadable: stale */
    }
  *pid_out = (pid_t) value;
  return TRUE;
}

/* A live process whose name starts with "heartbeat" (our process title sets
 * it, and so does the binary's own name): guards against pid reuse. */
static gboolean
is_heartbeat (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/comm", (int) pid);
  g_autofree char *comm = NULL;

  if (kill (pid, 0) != 0 && errno != EPERM)
    {
      return FALSE;
    }
  if (!g_file_get_contents (path, &comm, NULL, NULL))
    {
      return TRUE; /* no /proc: trust kill(2) */
    }
  return g_str_has_prefix (comm, "heartbeat");
}

HbPidfileState
hb_pidfile_check (const char *path, pid_t *pid_out)
{
  pid_t pid = 0;

  if (pid_out != NULL)
    {
      *pid_out = 0;
    }
  if (!read_pid (path, &pid))
    {
      return HB_PIDFILE_STOPPED;
    }
  if (pid_out != NULL)
    {
      *pid_out = pid;
    }
  return pid > 0 && is_heartbeat (pid) ? HB_PIDFILE_RUNNING : HB_PIDFILE_STALE;
}

gboolean
hb_pidfile_write (const char *path, pid_t pid, GError **error)
{
  pid_t other = 0;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = g_strdup_printf ("%d\n", (int) pid);

  if (hb_pidfile_check (path, &other) == HB_PIDFILE_RUNNING && other != pid)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "heartbeat already running with pid %d (pid file %s)", (int) other, path);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot create directory %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

void
hb_pidfile_remove (const char *path, pid_t pid)
{
  pid_t owner = 0;

  if (hb_pidfile_check (path, &owner) != HB_PIDFILE_STOPPED && owner == pid)
    {
      unlink (path);
    }
}
