/* systole: the daemon's pid file, locked for the daemon's life. */
#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

/* A daemon stopping unlinks its file before it drops the lock: a start that
 * opened the old file then locks a file nobody can find. It retries. */
#define ACQUIRE_TRIES 10

struct _HbPidfile
{
  char *path;
  int fd;
};

static pid_t
parse_pid (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  gint64 value = g_ascii_strtoll (copy, &end, 10);

  return end != copy && *end == '\0' && value > 0 && value <= G_MAXINT32 ? (pid_t) value : 0;
}

static pid_t
read_pid_fd (int fd)
{
  char buf[32];
  ssize_t n = pread (fd, buf, sizeof buf - 1, 0);

  if (n <= 0)
    {
      return 0;
    }
  buf[n] = '\0';
  return parse_pid (buf);
}

/* /proc/PID/exe, without the " (deleted)" the kernel adds once a package
 * upgrade replaced the binary the process runs. */
static char *
exe_of (const char *proc_entry)
{
  g_autofree char *link = g_file_read_link (proc_entry, NULL);

  if (link != NULL && g_str_has_suffix (link, " (deleted)"))
    {
      link[strlen (link) - strlen (" (deleted)")] = '\0';
    }
  return g_steal_pointer (&link);
}

/* A live process other than us running our own executable. Not its name
 * (/proc/PID/comm): any user can start a process called "heartbeat". */
static gboolean
runs_our_binary (pid_t pid)
{
  g_autofree char *entry = g_strdup_printf ("/proc/%d/exe", (int) pid);
  g_autofree char *theirs = NULL;
  g_autofree char *ours = NULL;

  if (pid <= 0 || pid == getpid () || (kill (pid, 0) != 0 && errno != EPERM))
    {
      return FALSE;
    }
  theirs = exe_of (entry);
  ours = exe_of ("/proc/self/exe");
  return theirs != NULL && ours != NULL && strcmp (theirs, ours) == 0;
}

/* The pid holding a lock on `fd`'s file, 0 if none. */
static pid_t
lock_holder (int fd)
{
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

  if (fcntl (fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
    {
      return 0;
    }
  /* l_pid is 0 for a holder in another pid namespace: still a holder. */
  return fl.l_pid > 0 ? fl.l_pid : -1;
}

HbPidfileState
hb_pidfile_check (const char *path, pid_t *pid_out)
{
  int fd = open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  pid_t written, holder;

  if (pid_out != NULL)
    {
      *pid_out = 0;
    }
  if (fd < 0)
    {
      return errno == ENOENT ? HB_PIDFILE_STOPPED : HB_PIDFILE_STALE;
    }
  written = read_pid_fd (fd);
  holder = lock_holder (fd);
  close (fd);
  if (pid_out != NULL)
    {
      *pid_out = holder > 0 ? holder : written;
    }
  if (holder != 0)
    {
      return HB_PIDFILE_RUNNING;
    }
  return runs_our_binary (written) ? HB_PIDFILE_RUNNING : HB_PIDFILE_STALE;
}

static gboolean
same_file (int fd, const char *path)
{
  struct stat by_fd, by_name;

  return fstat (fd, &by_fd) == 0 && stat (path, &by_name) == 0 && by_fd.st_dev == by_name.st_dev
         && by_fd.st_ino == by_name.st_ino;
}

static gboolean
io_error (GError **error, const char *what, const char *path)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot %s pid file %s: %s", what,
               path, g_strerror (saved));
  return FALSE;
}

static gboolean
running_error (GError **error, pid_t pid, const char *path)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               "heartbeat already running with pid %d (pid file %s)", (int) pid, path);
  return FALSE;
}

/* Opens and locks the file now at `path`; -1 with `error` set if another
 * daemon holds it or it cannot be used. */
static int
open_locked (const char *path, GError **error)
{
  for (int i = 0; i < ACQUIRE_TRIES; i++)
    {
      struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
      struct stat st;
      int fd = open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);

      if (fd < 0)
        {
          io_error (error, errno == ELOOP ? "use a symbolic link as" : "open", path);
          return -1;
        }
      if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       "cannot use pid file %s: not a regular file", path);
          close (fd);
          return -1;
        }
      if (fcntl (fd, F_SETLK, &fl) != 0)
        {
          int saved = errno;
          if (saved == EAGAIN || saved == EACCES)
            {
              pid_t holder = lock_holder (fd);
              running_error (error, holder > 0 ? holder : read_pid_fd (fd), path);
            }
          else
            {
              errno = saved;
              io_error (error, "lock", path);
            }
          close (fd);
          return -1;
        }
      if (same_file (fd, path))
        {
          return fd;
        }
      close (fd);
    }
  errno = EAGAIN;
  io_error (error, "lock", path);
  return -1;
}

HbPidfile *
hb_pidfile_acquire (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = g_strdup_printf ("%d\n", (int) getpid ());
  gsize len = strlen (text);
  pid_t legacy;
  int fd;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot create directory %s: %s", dir, g_strerror (errno));
      return NULL;
    }
  fd = open_locked (path, error);
  if (fd < 0)
    {
      return NULL;
    }
  /* Nobody holds the lock; a daemon that never takes one (an older
   * version) may still run under the pid written there. */
  legacy = read_pid_fd (fd);
  if (runs_our_binary (legacy))
    {
      running_error (error, legacy, path);
      close (fd);
      return NULL;
    }
  if (ftruncate (fd, 0) != 0 || pwrite (fd, text, len, 0) != (gssize) len)
    {
      io_error (error, "write", path);
      unlink (path);
      close (fd);
      return NULL;
    }
  HbPidfile *pidfile = g_new0 (HbPidfile, 1);
  pidfile->path = g_strdup (path);
  pidfile->fd = fd;
  return pidfile;
}

void
hb_pidfile_release (HbPidfile *pidfile)
{
  if (pidfile == NULL)
    {
      return;
    }
  /* Unlink while still holding the lock: a start that opens the name now
   * gets a fresh file, one that opened it before retries (open_locked). */
  if (same_file (pidfile->fd, pidfile->path))
    {
      unlink (pidfile->path);
    }
  close (pidfile->fd);
  g_free (pidfile->path);
  g_free (pidfile);
}
