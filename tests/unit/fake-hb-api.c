/* fake-hb-api: serves the canned state of fake-hb-state.c on RUNDIR/api.sock
 * so that shell tests run the real cl_status/hb_standby/hb_takeover binaries
 * against it. Prints "ready" once listening; SIGTERM/SIGINT stop it cleanly.
 *
 *   fake-hb-api --rundir DIR [--refuse-standby] [--mute]
 *
 * --mute listens but never accepts, like a daemon stuck in a long operation:
 * clients must time out (cl_status exit 12). */
#include <stdio.h>
#include <stdlib.h>

#include <gio/gunixsocketaddress.h>
#include <glib-unix.h>

#include "fake-hb-state.h"

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* A listening socket nobody accepts on: connects succeed (backlog) and
 * requests are never answered. */
static GSocket *
listen_mute (const char *rundir, GError **error)
{
  g_autofree char *path = g_build_filename (rundir, HB_API_SOCKET_NAME, NULL);
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_DEFAULT, error);

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error)
      || !g_socket_listen (socket, error))
    {
      return NULL;
    }
  return g_steal_pointer (&socket);
}

int
main (int argc, char **argv)
{
  g_autofree char *rundir = NULL;
  gboolean refuse = FALSE;
  gboolean mute = FALSE;
  const GOptionEntry entries[] = {
    { "rundir", 0, 0, G_OPTION_ARG_FILENAME, &rundir, "runtime directory", "DIR" },
    { "refuse-standby", 0, 0, G_OPTION_ARG_NONE, &refuse, "fail standby/takeover", NULL },
    { "mute", 0, 0, G_OPTION_ARG_NONE, &mute, "never answer", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("- fake heartbeat API server");
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (HbApiServer) server = NULL;
  g_autoptr (GSocket) mute_socket = NULL;
  FakeHbState state = { .refuse_rsc_requests = refuse };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || rundir == NULL)
    {
      g_printerr ("fake-hb-api: %s\n", error != NULL ? error->message : "--rundir is required");
      return EXIT_FAILURE;
    }
  state.refuse_rsc_requests = refuse;
  if (mute)
    {
      mute_socket = listen_mute (rundir, &error);
    }
  else
    {
      server = hb_api_server_new (NULL, rundir, &fake_hb_handler, &state, &error);
    }
  if (server == NULL && mute_socket == NULL)
    {
      g_printerr ("fake-hb-api: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_print ("ready\n");
  fflush (stdout);
  g_main_loop_run (loop);
  return EXIT_SUCCESS;
}
