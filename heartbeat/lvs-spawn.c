/* systole: GLib-only spawning for the LVS tools. See lvs-spawn.h. */
#include "lvs-spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads what FD has now into TEXT; closes it and sets *fd to -1 at EOF. */
static void
drain (int *fd, GString *text)
{
  char buf[4096];
  ssize_t n = read (*fd, buf, sizeof buf);

  if (n > 0)
    {
      g_string_append_len (text, buf, n);
    }
  else if (n == 0 || (errno != EINTR && errno != EAGAIN))
    {
      close (*fd);
      *fd = -1;
    }
}

/* Feeds INPUT to in_fd while reading out_fd and err_fd, until both reach EOF:
 * a child that fills its stdout pipe before reading all its input cannot
 * block us, nor we it. */
static void
exchange (int in_fd, const char *input, int out_fd, GString *out, int err_fd, GString *err)
{
  gsize left = input != NULL ? strlen (input) : 0;

  if (in_fd >= 0 && left == 0)
    {
      close (in_fd);
      in_fd = -1;
    }
  /* Non-blocking: poll says the pipe has room, not room for all of INPUT; a
   * blocking write of the rest could wait on a child that waits on us. */
  if (in_fd >= 0)
    fcntl (in_fd, F_SETFL, fcntl (in_fd, F_GETFL) | O_NONBLOCK);
  while (out_fd >= 0 || err_fd >= 0 || in_fd >= 0)
    {
      struct pollfd p[3] = { { .fd = in_fd, .events = POLLOUT },
                             { .fd = out_fd, .events = POLLIN },
                             { .fd = err_fd, .events = POLLIN } };
      if (poll (p, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (in_fd >= 0 && p[0].revents != 0)
        {
          ssize_t n = write (in_fd, input, left);
          if (n > 0)
            {
              input += n;
              left -= (gsize) n;
            }
          if (left == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
            {
              close (in_fd);
              in_fd = -1;
            }
        }
      if (out_fd >= 0 && p[1].revents != 0)
        drain (&out_fd, out);
      if (err_fd >= 0 && p[2].revents != 0)
        drain (&err_fd, err);
    }
}

gboolean
hb_lvs_spawn_sync (const char *const *argv, const char *input, char **out, char **err,
                   int *wait_status, GError **error)
{
  GPid pid = 0;
  int in_fd = -1, out_fd = -1, err_fd = -1;
  g_autoptr (GString) out_text = g_string_new (NULL);
  g_autoptr (GString) err_text = g_string_new (NULL);

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                 NULL, NULL, &pid, input != NULL ? &in_fd : NULL, &out_fd, &err_fd, error))
    {
      return FALSE;
    }
  exchange (in_fd, input, out_fd, out_text, err_fd, err_text);
  while (waitpid (pid, wait_status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (pid);
  if (out != NULL)
    *out = g_string_free (g_steal_pointer (&out_text), FALSE);
  if (err != NULL)
    *err = g_string_free (g_steal_pointer (&err_text), FALSE);
  return TRUE;
}

static void
new_session (gpointer unused)
{
  (void) unused;
  setsid ();
}

gboolean
hb_lvs_spawn_detached (const char *const *argv, int *stderr_fd, GError **error)
{
  /* Without G_SPAWN_DO_NOT_REAP_CHILD GLib forks twice: the program is
   * init's child at once and never our zombie. */
  return g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, new_session, NULL,
                                   NULL, NULL, NULL, stderr_fd, error);
}
