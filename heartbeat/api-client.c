/* systole: blocking API client with one overall deadline; see api-client.h. */
#include "api-client.h"

#include <string.h>

#include <gio/gunixsocketaddress.h>

#define READ_CHUNK 4096
/* A full listen backlog makes a non-blocking UNIX connect fail with EAGAIN
 * instead of waiting: retry at this pace until the deadline. */
#define CONNECT_RETRY_US 10000

struct _HbApiClient
{
  GSocket *socket;
  gint64 deadline_us; /* monotonic */
  GString *in;        /* received bytes not yet parsed */
};

char *
hb_api_socket_path (const char *rundir)
{
  return g_build_filename (rundir, HB_API_SOCKET_NAME, NULL);
}

void
hb_api_client_free (HbApiClient *client)
{
  if (client == NULL)
    {
      return;
    }
  if (client->socket != NULL)
    {
      g_socket_close (client->socket, NULL);
      g_object_unref (client->socket);
    }
  if (client->in != NULL)
    {
      g_string_free (client->in, TRUE);
    }
  g_free (client);
}

static gboolean
timeout_error (GError **error)
{
  g_set_error_literal (error, HB_API_ERROR, HB_API_ERROR_TIMEOUT,
                       "no answer from heartbeat in time");
  return FALSE;
}

/* Waits for `condition` until the deadline. */
static gboolean
wait_for (HbApiClient *client, GIOCondition condition, GError **error)
{
  gint64 left = client->deadline_us - g_get_monotonic_time ();
  g_autoptr (GError) local = NULL;

  if (left <= 0)
    {
      return timeout_error (error);
    }
  if (!g_socket_condition_timed_wait (client->socket, condition, left, NULL, &local))
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          return timeout_error (error);
        }
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

/* Maps a connect failure to what the tools tell the user. */
static void
set_connect_error (const char *path, const GError *cause, GError **error)
{
  HbApiError code = HB_API_ERROR_IO;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
      || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      code = HB_API_ERROR_NOT_RUNNING;
    }
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      code = HB_API_ERROR_PERMISSION;
    }
  g_set_error (error, HB_API_ERROR, code, "cannot connect to %s: %s", path, cause->message);
}

static gboolean
client_connect (HbApiClient *client, const char *path, GError **error)
{
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);

  for (;;)
    {
      g_autoptr (GError) local = NULL;

      if (g_socket_connect (client->socket, address, NULL, &local))
        {
          return TRUE;
        }
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_clear_error (&local);
          if (!wait_for (client, G_IO_OUT, error))
            {
              return FALSE;
            }
          if (g_socket_check_connect_result (client->socket, &local))
            {
              return TRUE;
            }
        }
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          set_connect_error (path, local, error);
          return FALSE;
        }
      if (g_get_monotonic_time () + CONNECT_RETRY_US > client->deadline_us)
        {
          return timeout_error (error);
        }
      g_usleep (CONNECT_RETRY_US);
    }
}

HbApiClient *
hb_api_client_connect (const char *rundir, guint timeout_ms, GError **error)
{
  g_autoptr (HbApiClient) client = g_new0 (HbApiClient, 1);
  g_autofree char *path = hb_api_socket_path (rundir);
  g_autoptr (GError) local = NULL;

  client->deadline_us = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  client->in = g_string_new (NULL);
  client->socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_DEFAULT, &local);
  if (client->socket == NULL)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_IO, "%s", local->message);
      return NULL;
    }
  g_socket_set_blocking (client->socket, FALSE);
  if (!client_connect (client, path, error))
    {
      return NULL;
    }
  return g_steal_pointer (&client);
}

static gboolean
send_all (HbApiClient *client, const char *data, gsize len, GError **error)
{
  while (len > 0)
    {
      g_autoptr (GError) local = NULL;
      gssize sent = g_socket_send (client->socket, data, len, NULL, &local);

      if (sent >= 0)
        {
          data += sent;
          len -= (gsize) sent;
          continue;
        }
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_set_error (error, HB_API_ERROR, HB_API_ERROR_IO, "sending the request failed: %s",
                       local->message);
          return FALSE;
        }
      if (!wait_for (client, G_IO_OUT, error))
        {
          return FALSE;
        }
    }
  return TRUE;
}

/* Reads more bytes into client->in; FALSE with an error on EOF. */
static gboolean
receive_some (HbApiClient *client, gboolean started, GError **error)
{
  char buf[READ_CHUNK];
  g_autoptr (GError) local = NULL;
  gssize got;

  if (!wait_for (client, G_IO_IN, error))
    {
      return FALSE;
    }
  got = g_socket_receive (client->socket, buf, sizeof buf, NULL, &local);
  if (got < 0 && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      return TRUE;
    }
  if (got < 0)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_IO, "reading the answer failed: %s",
                   local->message);
      return FALSE;
    }
  if (got == 0)
    {
      g_set_error_literal (error, HB_API_ERROR,
                           started ? HB_API_ERROR_PROTOCOL : HB_API_ERROR_NOT_RUNNING,
                           "heartbeat closed the connection without answering");
      return FALSE;
    }
  g_string_append_len (client->in, buf, got);
  return TRUE;
}

/* Feeds every complete buffered line to `response` until it is complete. */
static gboolean
parse_buffered (HbApiClient *client, HbApiResponse *response, GError **error)
{
  const char *nl;

  while (!response->complete && (nl = memchr (client->in->str, '\n', client->in->len)) != NULL)
    {
      gsize len = (gsize) (nl - client->in->str);

      if (!hb_api_response_feed_line (response, client->in->str, len, error))
        {
          return FALSE;
        }
      g_string_erase (client->in, 0, (gssize) len + 1);
    }
  if (!response->complete && client->in->len > HB_API_MAX_LINE + 1)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL, "response line too long");
      return FALSE;
    }
  return TRUE;
}

/* Reads until `response` is complete. */
static gboolean
read_response (HbApiClient *client, HbApiResponse *response, GError **error)
{
  for (;;)
    {
      if (!parse_buffered (client, response, error))
        {
          return FALSE;
        }
      if (response->complete)
        {
          return TRUE;
        }
      if (!receive_some (client, response->rows->len > 0 || client->in->len > 0, error))
        {
          return FALSE;
        }
    }
}

HbApiResponse *
hb_api_client_call (HbApiClient *client, HbApiVerb verb, const char *const *args, GError **error)
{
  g_autofree char *line = hb_api_request_encode (verb, args, error);
  g_autoptr (HbApiResponse) response = hb_api_response_new ();
  g_autoptr (GError) send_error = NULL;

  if (line == NULL)
    {
      return NULL;
    }
  if (!send_all (client, line, strlen (line), &send_error))
    {
      /* A server that refuses us answers and closes before reading: its
       * ERR line is still waiting in our receive queue and says why. */
      if (read_response (client, response, NULL) && !response->ok)
        {
          hb_api_response_check (response, error);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&send_error));
      return NULL;
    }
  if (!read_response (client, response, error) || !hb_api_response_check (response, error))
    {
      return NULL;
    }
  return g_steal_pointer (&response);
}

char *
hb_api_client_call_value (HbApiClient *client,
                          HbApiVerb verb,
                          const char *const *args,
                          GError **error)
{
  g_autoptr (HbApiResponse) response = hb_api_client_call (client, verb, args, error);
  char **row;

  if (response == NULL)
    {
      return NULL;
    }
  row = response->rows->len == 1 ? g_ptr_array_index (response->rows, 0) : NULL;
  if (row == NULL || g_strv_length (row) != 1)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL,
                   "unexpected answer to '%s': expected one value", hb_api_verb_to_string (verb));
      return NULL;
    }
  return g_strdup (row[0]);
}
