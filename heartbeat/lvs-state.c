/* systole: LVS runtime state paths and checker liveness. See lvs-state.h. */
#include "lvs-state.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>
#include <string.h>

#include <glib/gstdio.h>

#include "lvsconf.h"

HbLvsPaths *
hb_lvs_paths_new (const char *state_dir, const char *config)
{
  HbLvsPaths *p = g_new0 (HbLvsPaths, 1);
  const char *env = g_getenv ("SYSTOLE_LVS_STATEDIR");

  p->config = g_canonicalize_filename (config, NULL);
  p->dir = g_strdup (state_dir != NULL ? state_dir : (env != NULL && *env != '\0') ? env : HB_RUNDIR "/lvs");
  p->key = hb_lvs_config_state_key (p->config);
  p->conf_copy = g_strdup_printf ("%s/%s.conf", p->dir, p->key);
  p->down = g_strdup_printf ("%s/%s.down", p->dir, p->key);
  p->pid = g_strdup_printf ("%s/%s.pid", p->dir, p->key);
  p->lock = g_strdup_printf ("%s/%s.lock", p->dir, p->key);
  return p;
}

void
hb_lvs_paths_free (HbLvsPaths *paths)
{
  if (paths == NULL)
    {
      return;
    }
  g_free (paths->config);
  g_free (paths->dir);
  g_free (paths->key);
  g_free (paths->conf_copy);
  g_free (paths->down);
  g_free (paths->pid);
  g_free (paths->lock);
  g_free (paths);
}

gboolean
hb_lvs_paths_ensure_dir (const HbLvsPaths *paths, GError **error)
{
  if (g_mkdir_with_parents (paths->dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create the state directory %s: %s", paths->dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* /proc/PID/stat's third field is the state; Z = exited but not yet reaped. */
gboolean
hb_lvs_checker_alive (pid_t pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *cmd_path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  g_autofree char *stat = NULL, *cmdline = NULL;
  gsize len = 0;
  const char *close;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL)
      || !g_file_get_contents (cmd_path, &cmdline, &len, NULL))
    {
      return FALSE;
    }
  close = strrchr (stat, ')');
  if (close == NULL || close[1] == '\0' || close[2] == 'Z')
    {
      return FALSE;
    }
  /* argv[0] is the first NUL-terminated string of cmdline. */
  return len > 0 && strstr (cmdline, "lvs-checker") != NULL;
}

pid_t
hb_lvs_checker_pid (const HbLvsPaths *paths)
{
  g_autofree char *text = NULL;
  guint64 pid;

  if (!g_file_get_contents (paths->pid, &text, NULL, NULL))
    {
      return 0;
    }
  pid = g_ascii_strtoull (g_strstrip (text), NULL, 10);
  if (pid == 0 || pid > G_MAXINT || !hb_lvs_checker_alive ((pid_t) pid))
    {
      return 0;
    }
  return (pid_t) pid;
}

#define LOCK_WAIT_US (5 * G_USEC_PER_SEC)

int
hb_lvs_state_lock (const HbLvsPaths *paths, gboolean exclusive)
{
  gint64 deadline = g_get_monotonic_time () + LOCK_WAIT_US;
  int fd;

  if (!hb_lvs_paths_ensure_dir (paths, NULL))
    {
      return -1;
    }
  fd = open (paths->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      return -1;
    }
  while (flock (fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK || g_get_monotonic_time () > deadline)
        {
          close (fd);
          return -1;
        }
      g_usleep (10000);
    }
  return fd;
}

void
hb_lvs_state_unlock (int fd)
{
  if (fd >= 0)
    {
      close (fd); /* closing drops the flock */
    }
}
