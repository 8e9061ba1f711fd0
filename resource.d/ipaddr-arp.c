/* systole: the IPaddr agents' background gratuitous-ARP sender. */
/* pipe2 */
#define _GNU_SOURCE
#include "ipaddr-arp.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* Logs every line read from fd 0 until EOF, then exits. Runs in its own
 * process (the grandchild of the agent), stdout/stderr on /dev/null. */
G_GNUC_NORETURN static void
relay_run (HbRalog *log)
{
  g_autoptr (GString) pending = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  hb_ralog_default_to_syslog (log);
  while ((n = read (0, buf, sizeof buf)) != 0)
    {
      char *nl;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_string_append_len (pending, buf, n);
      while ((nl = memchr (pending->str, '\n', pending->len)) != NULL)
        {
          *nl = '\0';
          hb_ralog (log, HB_IPADDR_LOG_ERROR, "send_arp: %s", pending->str);
          g_string_erase (pending, 0, nl - pending->str + 1);
        }
    }
  if (pending->len > 0)
    hb_ralog (log, HB_IPADDR_LOG_ERROR, "send_arp: %s", pending->str);
  _exit (0);
}

/* In the forked child: detach, start the relay, become send_arp. SYNC is
 * the write end of a close-on-exec pipe: the parent reads it to its end,
 * which comes when exec has made this process send_arp (or it failed). */
G_GNUC_NORETURN static void
child_run (char *const argv[], HbRalog *log, int sync)
{
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  int pipefd[2] = { -1, -1 };
  pid_t relay;

  setsid ();
  if (null < 0 || pipe2 (pipefd, O_CLOEXEC) < 0)
    _exit (127);
  relay = fork ();
  if (relay == 0)
    {
      dup2 (pipefd[0], 0);
      dup2 (null, 1);
      dup2 (null, 2);
      closefrom (3);
      relay_run (log);
    }
  dup2 (null, 0);
  dup2 (null, 1);
  dup2 (relay > 0 ? pipefd[1] : null, 2);
  if (dup2 (sync, 3) == 3)
    fcntl (3, F_SETFD, FD_CLOEXEC);
  closefrom (4);
  execv (argv[0], argv);
  dprintf (2, "cannot run %s: %s\n", argv[0], strerror (errno));
  _exit (127);
}

static void
write_pidfile (const char *path, pid_t pid)
{
  char text[32];
  int len = g_snprintf (text, sizeof text, "%d\n", (int) pid);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0)
    return;   /* send_arp writes it too, a moment later */
  if (write (fd, text, len) != len)
    {
      /* ditto */
    }
  close (fd);
}

/* Returns once the child is send_arp: a stop right after this start finds
 * it by its pid file and its name (before exec it still had ours, and the
 * stop would have left it announcing an address just removed). */
gboolean
hb_ipaddr_arp_start (char *const argv[], const char *pidfile, HbRalog *log, GError **error)
{
  int sync[2];
  pid_t pid;
  char byte;

  if (pipe2 (sync, O_CLOEXEC) < 0)
    sync[0] = sync[1] = -1;
  fflush (NULL);   /* the child must not flush our buffers a second time */
  pid = fork ();
  if (pid < 0)
    {
      int err = errno;

      if (sync[0] >= 0)
        {
          close (sync[0]);
          close (sync[1]);
        }
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "cannot start %s: %s", argv[0], g_strerror (err));
      return FALSE;
    }
  if (pid == 0)
    child_run (argv, log, sync[1]);
  if (sync[0] >= 0)
    {
      close (sync[1]);
      while (read (sync[0], &byte, 1) < 0 && errno == EINTR)
        {
        }
      close (sync[0]);
    }
  write_pidfile (pidfile, pid);
  return TRUE;
}

/* Gone, a zombie (its parent, maybe init, has not reaped it yet), or in
 * exit: it sends nothing more. */
static gboolean
process_gone (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;

  return !g_file_get_contents (path, &stat, NULL, NULL) || hb_ipaddr_proc_stat_ended (stat);
}

static gboolean
runs_program (pid_t pid, const char *comm)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/comm", (int) pid);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  g_strchomp (text);
  return strcmp (text, comm) == 0;
}

void
hb_ipaddr_pidfile_kill (const char *pidfile, const char *comm)
{
  g_autofree char *text = NULL;
  guint64 pid;

  if (g_file_get_contents (pidfile, &text, NULL, NULL)
      && g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, G_MAXINT, &pid, NULL)
      && runs_program ((pid_t) pid, comm) && kill ((pid_t) pid, SIGTERM) == 0)
    {
      /* send_arp ends at once; poll quickly, then less. */
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
      gulong nap = 200;

      /* send_arp removes its pid file as it leaves its send loop, before
       * releasing its packet socket (which can take the kernel 10-25 ms):
       * from then on it sends nothing, and nothing needs to wait for it. */
      while (g_file_test (pidfile, G_FILE_TEST_EXISTS) && !process_gone ((pid_t) pid)
             && g_get_monotonic_time () < deadline)
        {
          g_usleep (nap);
          nap = MIN (nap * 2, 20000);
        }
    }
  g_unlink (pidfile);
}
