/* systole: one agent process (see agent-child.h). */
#include "agent-child.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  int fd;
  guint source_id;
  GString *buf;
} Stream;

struct _HbAgentChild
{
  GPid pid;
  gboolean exited;
  gboolean timed_out;
  guint child_watch_id;
  guint timeout_id;
  guint kill_id;
  guint kill_grace_ms;
  gint64 started_us;
  Stream out;
  Stream err;
  HbAgentChildDone done;
  gpointer user_data;
};

/* Runs in the child between fork and exec: its own process group (so a
 * timeout can kill everything it started), default signal dispositions and an
 * empty signal mask whatever the daemon uses. Only async-signal-safe calls. */
static void
child_setup (gpointer data G_GNUC_UNUSED)
{
  static const int reset[] = { SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD };
  struct sigaction dfl = { 0 };
  sigset_t none;

  setpgid (0, 0);
  dfl.sa_handler = SIG_DFL;
  for (gsize i = 0; i < G_N_ELEMENTS (reset); i++)
    sigaction (reset[i], &dfl, NULL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

/* Reads what is available; returns FALSE at EOF or error (then closes). */
static gboolean
stream_read (Stream *s)
{
  char chunk[4096];

  for (;;)
    {
      ssize_t n = read (s->fd, chunk, sizeof chunk);

      if (n > 0)
        {
          gsize room = HB_AGENT_CHILD_MAX_OUTPUT - MIN (s->buf->len, HB_AGENT_CHILD_MAX_OUTPUT);
          g_string_append_len (s->buf, chunk, MIN ((gsize) n, room));
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return TRUE;
      close (s->fd);
      s->fd = -1;
      return FALSE;
    }
}

static gboolean
on_readable (gint fd G_GNUC_UNUSED, GIOCondition cond G_GNUC_UNUSED, gpointer data)
{
  Stream *s = data;

  if (stream_read (s))
    return G_SOURCE_CONTINUE;
  s->source_id = 0;
  return G_SOURCE_REMOVE;
}

/* At exit: take what is left, then stop listening. Grandchildren that kept the
 * pipe open (a backgrounded send_arp, say) must not hold up the result. */
static void
stream_finish (Stream *s)
{
  g_clear_handle_id (&s->source_id, g_source_remove);
  if (s->fd >= 0)
    {
      stream_read (s);
      if (s->fd >= 0)
        close (s->fd);
      s->fd = -1;
    }
}

static void
stream_init (Stream *s, int fd)
{
  s->fd = fd;
  s->buf = g_string_new (NULL);
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  s->source_id = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, s);
}

static gboolean
on_kill_grace (gpointer data)
{
  HbAgentChild *child = data;

  child->kill_id = 0;
  kill (-child->pid, SIGKILL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer data)
{
  HbAgentChild *child = data;

  child->timeout_id = 0;
  child->timed_out = TRUE;
  kill (-child->pid, SIGTERM);
  child->kill_id = g_timeout_add (child->kill_grace_ms, on_kill_grace, child);
  return G_SOURCE_REMOVE;
}

static void
on_child_exit (GPid pid, gint wait_status, gpointer data)
{
  HbAgentChild *child = data;
  HbAgentChildResult result = { 0 };

  child->exited = TRUE;
  child->child_watch_id = 0;
  g_clear_handle_id (&child->timeout_id, g_source_remove);
  g_clear_handle_id (&child->kill_id, g_source_remove);
  stream_finish (&child->out);
  stream_finish (&child->err);
  g_spawn_close_pid (pid);

  result.exit_code = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  result.signal = WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0;
  result.timed_out = child->timed_out;
  result.out_text = child->out.buf->str;
  result.err_text = child->err.buf->str;
  result.elapsed_us = g_get_monotonic_time () - child->started_us;
  /* `done` may free the child: nothing touches it afterwards. */
  child->done (&result, child->user_data);
}

HbAgentChild *
hb_agent_child_spawn (const char *const *argv, const char *const *envp, guint timeout_ms,
                      guint kill_grace_ms, HbAgentChildDone done, gpointer user_data,
                      GError **error)
{
  HbAgentChild *child;
  GPid pid;
  int out_fd, err_fd;
  const GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL
                            | G_SPAWN_CLOEXEC_PIPES;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, (char **) envp, flags, child_setup, NULL,
                                 &pid, NULL, &out_fd, &err_fd, error))
    return NULL;
  child = g_new0 (HbAgentChild, 1);
  child->pid = pid;
  child->kill_grace_ms = kill_grace_ms;
  child->started_us = g_get_monotonic_time ();
  child->done = done;
  child->user_data = user_data;
  stream_init (&child->out, out_fd);
  stream_init (&child->err, err_fd);
  child->child_watch_id = g_child_watch_add (pid, on_child_exit, child);
  child->timeout_id = g_timeout_add (timeout_ms, on_timeout, child);
  return child;
}

static void
reap_orphan (GPid pid, gint status G_GNUC_UNUSED, gpointer data G_GNUC_UNUSED)
{
  g_spawn_close_pid (pid);
}

void
hb_agent_child_free (HbAgentChild *child)
{
  if (child == NULL)
    return;
  g_clear_handle_id (&child->timeout_id, g_source_remove);
  g_clear_handle_id (&child->kill_id, g_source_remove);
  if (!child->exited)
    {
      kill (-child->pid, SIGKILL);
      g_clear_handle_id (&child->child_watch_id, g_source_remove);
      g_child_watch_add (child->pid, reap_orphan, NULL); /* no zombie left behind */
    }
  stream_finish (&child->out);
  stream_finish (&child->err);
  g_string_free (child->out.buf, TRUE);
  g_string_free (child->err.buf, TRUE);
  g_free (child);
}

GPid
hb_agent_child_pid (const HbAgentChild *child)
{
  return child->pid;
}
