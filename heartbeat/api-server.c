/* systole: the daemon side of the local API socket; see api-server.h. */
#include "api-server.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#define READ_CHUNK 2048
/* Room for a burst of monitoring scripts running cl_status at once. */
#define LISTEN_BACKLOG 64
/* The only thing the server says about who it is (docs/PROTOCOL.md, "cl_status": "managed by"). */
#define MANAGED_BY "haresources"

struct _HbApiServer
{
  GMainContext *context;
  char *path;
  GSocket *listener;
  GSource *listen_source;
  const HbApiHandler *handler;
  gpointer user_data;
  guint idle_timeout_ms;
  gboolean bound;   /* we created the socket file */
  GPtrArray *conns; /* of ApiConn*, owned */
};

typedef struct
{
  HbApiServer *server;
  GSocket *socket;
  GSource *in_source;
  GSource *out_source;
  GSource *idle_source;
  GString *in;       /* bytes received, not yet handled */
  GString *out;      /* response bytes not yet sent */
  gboolean closing;  /* close once `out` is flushed */
} ApiConn;

static void conn_update (ApiConn *conn);

/* ---- sources ----------------------------------------------------------------------- */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
attach_socket_source (ApiConn *conn, GIOCondition condition, GSocketSourceFunc func)
{
  GSource *source = g_socket_create_source (conn->socket, condition, NULL);

  g_source_set_callback (source, G_SOURCE_FUNC (func), conn, NULL);
  g_source_set_name (source, "hb-api-conn");
  g_source_attach (source, conn->server->context);
  return source;
}

/* ---- connections -------------------------------------------------------------------- */

static void
conn_free (ApiConn *conn)
{
  clear_source (&conn->in_source);
  clear_source (&conn->out_source);
  clear_source (&conn->idle_source);
  g_socket_close (conn->socket, NULL);
  g_object_unref (conn->socket);
  g_string_free (conn->in, TRUE);
  g_string_free (conn->out, TRUE);
  g_free (conn);
}

static void
conn_close (ApiConn *conn)
{
  /* The array's free function frees the connection. */
  g_ptr_array_remove_fast (conn->server->conns, conn);
}

static gboolean
conn_idle_timeout (gpointer data)
{
  ApiConn *conn = data;

  g_info ("API client sent no complete request in %u ms; closing it",
          conn->server->idle_timeout_ms);
  g_clear_pointer (&conn->idle_source, g_source_unref);
  conn_close (conn);
  return G_SOURCE_REMOVE;
}

static void
conn_restart_idle_timer (ApiConn *conn)
{
  clear_source (&conn->idle_source);
  conn->idle_source = g_timeout_source_new (conn->server->idle_timeout_ms);
  g_source_set_callback (conn->idle_source, conn_idle_timeout, conn, NULL);
  g_source_set_name (conn->idle_source, "hb-api-idle");
  g_source_attach (conn->idle_source, conn->server->context);
}

/* ---- request handlers: each appends rows to `rows` or fails ----------------------------- */

typedef gboolean (*RequestFunc) (HbApiServer *server,
                                 const HbApiRequest *request,
                                 GString *rows,
                                 GError **error);

static gboolean
unsupported (GError **error)
{
  g_set_error_literal (error, HB_API_ERROR, HB_API_ERROR_FAILED, "not supported by this daemon");
  return FALSE;
}

static gboolean
add_row2 (GString *rows, const char *a, const char *b, GError **error)
{
  const char *fields[] = { a, b, NULL };

  return hb_api_response_append_row (rows, fields, error);
}

static gboolean
add_value (GString *rows, const char *value, GError **error)
{
  const char *fields[] = { value, NULL };

  return hb_api_response_append_row (rows, fields, error);
}

static gboolean
do_status (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  (void) server;
  (void) request;
  return add_row2 (rows, "version", HB_VERSION, error)
         && add_row2 (rows, "managed-by", MANAGED_BY, error);
}

static gboolean
do_nodes (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  const HbApiHandler *h = server->handler;
  g_auto (GStrv) nodes = NULL;

  (void) request;
  if (h->list_nodes == NULL || h->node_type == NULL || h->node_status == NULL)
    {
      return unsupported (error);
    }
  nodes = h->list_nodes (server->user_data);
  for (guint i = 0; nodes != NULL && nodes[i] != NULL; i++)
    {
      g_autofree char *type = h->node_type (nodes[i], server->user_data);
      g_autofree char *status = h->node_status (nodes[i], server->user_data);
      const char *fields[] = { nodes[i], type != NULL ? type : "unknown",
                               status != NULL ? status : "unknown", NULL };

      if (!hb_api_response_append_row (rows, fields, error))
        {
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
unknown_node (const char *node, GError **error)
{
  g_set_error (error, HB_API_ERROR, HB_API_ERROR_UNKNOWN_NODE, "unknown node '%s'", node);
  return FALSE;
}

/* node-status and node-type share everything but the callback. */
static gboolean
do_node_query (char *(*query) (const char *, gpointer),
               HbApiServer *server,
               const char *node,
               GString *rows,
               GError **error)
{
  g_autofree char *value = NULL;

  if (query == NULL)
    {
      return unsupported (error);
    }
  value = query (node, server->user_data);
  if (value == NULL)
    {
      return unknown_node (node, error);
    }
  return add_value (rows, value, error);
}

static gboolean
do_node_status (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  return do_node_query (server->handler->node_status, server, request->args[0], rows, error);
}

static gboolean
do_node_type (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  return do_node_query (server->handler->node_type, server, request->args[0], rows, error);
}

static gboolean
do_links (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  const HbApiHandler *h = server->handler;
  const char *node = request->args[0];
  g_auto (GStrv) links = NULL;

  if (h->list_links == NULL || h->link_status == NULL)
    {
      return unsupported (error);
    }
  links = h->list_links (node, server->user_data);
  if (links == NULL)
    {
      return unknown_node (node, error);
    }
  for (guint i = 0; links[i] != NULL; i++)
    {
      g_autofree char *status = h->link_status (node, links[i], server->user_data);

      if (!add_row2 (rows, links[i], status != NULL ? status : "unknown", error))
        {
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
do_link_status (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  const HbApiHandler *h = server->handler;
  const char *node = request->args[0];
  const char *link = request->args[1];
  g_autofree char *status = NULL;
  g_autofree char *type = NULL;

  if (h->link_status == NULL || h->node_type == NULL)
    {
      return unsupported (error);
    }
  status = h->link_status (node, link, server->user_data);
  if (status != NULL)
    {
      return add_value (rows, status, error);
    }
  type = h->node_type (node, server->user_data);
  if (type == NULL)
    {
      return unknown_node (node, error);
    }
  g_set_error (error, HB_API_ERROR, HB_API_ERROR_UNKNOWN_LINK, "node '%s' has no link '%s'", node,
               link);
  return FALSE;
}

static gboolean
do_rsc_status (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  g_autofree char *status = NULL;

  (void) request;
  if (server->handler->rsc_status == NULL)
    {
      return unsupported (error);
    }
  status = server->handler->rsc_status (server->user_data);
  if (status == NULL)
    {
      g_set_error_literal (error, HB_API_ERROR, HB_API_ERROR_FAILED,
                           "resource status not available");
      return FALSE;
    }
  return add_value (rows, status, error);
}

static gboolean
do_parameter (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  const char *name = request->args[0];
  g_autofree char *value = NULL;

  /* The version is the server's own: the daemon is this very binary. */
  if (strcmp (name, "hbversion") == 0)
    {
      return add_value (rows, HB_VERSION, error);
    }
  if (server->handler->parameter == NULL)
    {
      return unsupported (error);
    }
  value = server->handler->parameter (name, server->user_data);
  if (value == NULL)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_UNKNOWN_PARAMETER, "unknown parameter '%s'",
                   name);
      return FALSE;
    }
  return add_value (rows, value, error);
}

typedef gboolean (*HoldFunc) (HbApiHold, char **, gpointer, GError **);

static gboolean
do_hold_request (HoldFunc func, HbApiServer *server, const char *arg, GString *rows, GError **error)
{
  HbApiHold hold;
  g_autofree char *message = NULL;

  if (!hb_api_hold_from_string (arg, &hold))
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST,
                   "'%s' is not one of all, local, foreign, failback", arg);
      return FALSE;
    }
  if (func == NULL)
    {
      return unsupported (error);
    }
  if (!func (hold, &message, server->user_data, error))
    {
      return FALSE;
    }
  return add_value (rows, message != NULL ? message : "", error);
}

/* hb_standby treats "failback" as "foreign" (docs/PROTOCOL.md, "Standby and takeover"), so
 * the daemon's standby callback never sees HB_API_HOLD_FAILBACK. */
static gboolean
do_standby (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  const char *arg = request->args[0];

  if (strcmp (arg, hb_api_hold_to_string (HB_API_HOLD_FAILBACK)) == 0)
    {
      arg = hb_api_hold_to_string (HB_API_HOLD_FOREIGN);
    }
  return do_hold_request (server->handler->standby, server, arg, rows, error);
}

static gboolean
do_takeover (HbApiServer *server, const HbApiRequest *request, GString *rows, GError **error)
{
  return do_hold_request (server->handler->takeover, server, request->args[0], rows, error);
}

/* Indexed by HbApiVerb. */
static const RequestFunc request_funcs[] = {
  [HB_API_REQ_STATUS] = do_status,
  [HB_API_REQ_NODES] = do_nodes,
  [HB_API_REQ_NODE_STATUS] = do_node_status,
  [HB_API_REQ_NODE_TYPE] = do_node_type,
  [HB_API_REQ_LINKS] = do_links,
  [HB_API_REQ_LINK_STATUS] = do_link_status,
  [HB_API_REQ_RSC_STATUS] = do_rsc_status,
  [HB_API_REQ_PARAMETER] = do_parameter,
  [HB_API_REQ_STANDBY] = do_standby,
  [HB_API_REQ_TAKEOVER] = do_takeover,
};

/* Appends the complete response to one request line. An error that is not
 * one of ours (the daemon's own domains) goes out as "failed" with its text. */
static void
handle_line (HbApiServer *server, const char *line, gsize len, GString *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiRequest) request = hb_api_request_parse (line, len, &error);
  g_autoptr (GString) rows = g_string_new (NULL);

  if (request != NULL && request_funcs[request->verb] (server, request, rows, &error))
    {
      g_string_append_len (out, rows->str, (gssize) rows->len);
      hb_api_response_append_ok (out);
      return;
    }
  if (error == NULL) /* a handler that failed without saying why: still answer */
    g_set_error_literal (&error, HB_API_ERROR, HB_API_ERROR_FAILED, "the daemon could not do it");
  if (error->domain != HB_API_ERROR || hb_api_error_to_token (error->code) == NULL)
    {
      hb_api_response_append_error (out, HB_API_ERROR_FAILED, error->message);
      return;
    }
  hb_api_response_append_error (out, error->code, error->message);
}

/* ---- connection I/O -------------------------------------------------------------------- */

/* Handles buffered complete lines while there is nothing left to send, so a
 * client that pipelines requests without reading gets no more than one
 * response buffered here. */
static void
conn_handle_lines (ApiConn *conn)
{
  while (conn->out->len == 0 && !conn->closing)
    {
      const char *nl = memchr (conn->in->str, '\n', conn->in->len);

      if (nl == NULL)
        {
          /* +1: a CR may precede the LF. */
          if (conn->in->len > HB_API_MAX_LINE + 1)
            {
              hb_api_response_append_error (conn->out, HB_API_ERROR_BAD_REQUEST,
                                            "request line too long");
              conn->closing = TRUE;
            }
          return;
        }
      handle_line (conn->server, conn->in->str, (gsize) (nl - conn->in->str), conn->out);
      g_string_erase (conn->in, 0, nl - conn->in->str + 1);
      conn_restart_idle_timer (conn);
    }
}

/* Sends what it can; TRUE when `out` is empty, FALSE if it would block.
 * A send error drops the rest: the peer is gone. */
static gboolean
conn_flush (ApiConn *conn)
{
  while (conn->out->len > 0)
    {
      g_autoptr (GError) error = NULL;
      gssize sent = g_socket_send (conn->socket, conn->out->str, conn->out->len, NULL, &error);

      if (sent < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          return FALSE;
        }
      if (sent < 0)
        {
          g_debug ("API client: send failed: %s", error->message);
          g_string_truncate (conn->out, 0);
          conn->closing = TRUE;
          return TRUE;
        }
      g_string_erase (conn->out, 0, sent);
    }
  return TRUE;
}

static gboolean
conn_on_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  ApiConn *conn = data;
  char buf[READ_CHUNK];
  g_autoptr (GError) error = NULL;
  gssize got;

  (void) condition;
  got = g_socket_receive (socket, buf, sizeof buf, NULL, &error);
  if (got < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      return G_SOURCE_CONTINUE;
    }
  if (got <= 0)
    {
      /* EOF or error: the client is gone, answered or not. */
      conn_close (conn);
      return G_SOURCE_REMOVE;
    }
  g_string_append_len (conn->in, buf, got);
  conn_update (conn);
  return G_SOURCE_CONTINUE;
}

static gboolean
conn_on_writable (GSocket *socket, GIOCondition condition, gpointer data)
{
  (void) socket;
  (void) condition;
  conn_update (data);
  return G_SOURCE_CONTINUE;
}

/* The connection's state machine: handle lines, flush, then wait for
 * whichever direction is needed next (never both, see conn_handle_lines). */
static void
conn_update (ApiConn *conn)
{
  do
    {
      conn_handle_lines (conn);
      if (!conn_flush (conn))
        {
          clear_source (&conn->in_source);
          if (conn->out_source == NULL)
            {
              conn->out_source = attach_socket_source (conn, G_IO_OUT, conn_on_writable);
            }
          return;
        }
      if (conn->closing)
        {
          conn_close (conn);
          return;
        }
      /* Requests that arrived while we were writing are still buffered. */
    }
  while (memchr (conn->in->str, '\n', conn->in->len) != NULL);
  clear_source (&conn->out_source);
  if (conn->in_source == NULL)
    {
      conn->in_source = attach_socket_source (conn, G_IO_IN | G_IO_HUP | G_IO_ERR, conn_on_readable);
    }
}

/* ---- accepting ------------------------------------------------------------------------ */

gboolean
hb_api_server_check_credentials (GCredentials *credentials, uid_t own_uid, GError **error)
{
  g_autoptr (GError) local = NULL;
  uid_t uid = g_credentials_get_unix_user (credentials, &local);
  pid_t pid;

  if (uid == (uid_t) -1)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_REFUSED, "peer credentials unavailable: %s",
                   local->message);
      return FALSE;
    }
  if (uid != 0 && uid != own_uid)
    {
      pid = g_credentials_get_unix_pid (credentials, NULL);
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_REFUSED,
                   "permission denied: uid %u (pid %d) is not root", (guint) uid, (int) pid);
      return FALSE;
    }
  return TRUE;
}

/* Refused and surplus connections get one error line, sent without waiting
 * (it fits in an empty socket buffer), and are closed. */
static void
reject (GSocket *socket, HbApiError code, const char *message)
{
  g_autoptr (GString) line = g_string_new (NULL);

  hb_api_response_append_error (line, code, message);
  g_socket_send (socket, line->str, line->len, NULL, NULL);
  g_socket_close (socket, NULL);
}

static gboolean
admit (HbApiServer *server, GSocket *socket)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCredentials) credentials = g_socket_get_credentials (socket, &error);

  if (credentials == NULL)
    {
      g_message ("API connection refused: %s", error->message);
      reject (socket, HB_API_ERROR_REFUSED, "peer credentials unavailable");
      return FALSE;
    }
  if (!hb_api_server_check_credentials (credentials, geteuid (), &error))
    {
      g_message ("API connection refused: %s", error->message);
      reject (socket, HB_API_ERROR_REFUSED, error->message);
      return FALSE;
    }
  if (server->conns->len >= HB_API_SERVER_MAX_CLIENTS)
    {
      g_message ("API connection refused: %u clients already connected", server->conns->len);
      reject (socket, HB_API_ERROR_BUSY, "too many clients");
      return FALSE;
    }
  return TRUE;
}

static gboolean
server_on_incoming (GSocket *listener, GIOCondition condition, gpointer data)
{
  HbApiServer *server = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_accept (listener, NULL, &error);
  ApiConn *conn;

  (void) condition;
  if (socket == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_message ("API socket: accept failed: %s", error->message);
        }
      return G_SOURCE_CONTINUE;
    }
  g_socket_set_blocking (socket, FALSE);
  if (!admit (server, socket))
    {
      return G_SOURCE_CONTINUE;
    }
  conn = g_new0 (ApiConn, 1);
  conn->server = server;
  conn->socket = g_steal_pointer (&socket);
  conn->in = g_string_new (NULL);
  conn->out = g_string_new (NULL);
  g_ptr_array_add (server->conns, conn);
  conn_restart_idle_timer (conn);
  conn_update (conn);
  return G_SOURCE_CONTINUE;
}

/* ---- setup ------------------------------------------------------------------------- */

static gboolean
set_errno_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s %s: %s", what, path,
               g_strerror (saved_errno));
  return FALSE;
}

/* A socket file left by a dead daemon is removed; one that still answers
 * belongs to a running daemon, and anything that is not a socket is left
 * alone (we never delete a file we did not create). */
static gboolean
remove_stale_socket (const char *path, GError **error)
{
  GStatBuf st;
  g_autoptr (GSocket) probe = NULL;
  g_autoptr (GSocketAddress) address = NULL;

  if (g_lstat (path, &st) != 0)
    {
      return errno == ENOENT ? TRUE : set_errno_error (error, errno, "cannot stat", path);
    }
  if (!S_ISSOCK (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s exists and is not a socket", path);
      return FALSE;
    }
  probe = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (probe == NULL)
    {
      return FALSE;
    }
  address = g_unix_socket_address_new (path);
  if (g_socket_connect (probe, address, NULL, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   "%s is in use: another heartbeat daemon is running", path);
      return FALSE;
    }
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      return set_errno_error (error, errno, "cannot remove stale socket", path);
    }
  return TRUE;
}

/* Binds with umask 0177 so the file is 0600 from its first instant; the
 * chmod afterwards only guards against an odd umask semantics. The daemon is
 * single-threaded, so the process-wide umask switch races with nothing. */
static gboolean
bind_private (GSocket *socket, const char *path, GError **error)
{
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  mode_t old = umask (0177);
  gboolean ok = g_socket_bind (socket, address, FALSE, error);

  umask (old);
  if (ok && g_chmod (path, 0600) != 0)
    {
      int saved = errno;

      g_unlink (path);
      return set_errno_error (error, saved, "cannot chmod", path);
    }
  return ok;
}

static gboolean
server_listen (HbApiServer *server, const char *rundir, GError **error)
{
  if (g_mkdir_with_parents (rundir, 0750) != 0)
    {
      return set_errno_error (error, errno, "cannot create runtime directory", rundir);
    }
  if (!remove_stale_socket (server->path, error))
    {
      return FALSE;
    }
  server->listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_DEFAULT, error);
  if (server->listener == NULL || !bind_private (server->listener, server->path, error))
    {
      return FALSE;
    }
  server->bound = TRUE;
  g_socket_set_listen_backlog (server->listener, LISTEN_BACKLOG);
  if (!g_socket_listen (server->listener, error))
    {
      return FALSE;
    }
  g_socket_set_blocking (server->listener, FALSE);
  server->listen_source = g_socket_create_source (server->listener, G_IO_IN, NULL);
  g_source_set_callback (server->listen_source, G_SOURCE_FUNC (server_on_incoming), server, NULL);
  g_source_set_name (server->listen_source, "hb-api-listen");
  g_source_attach (server->listen_source, server->context);
  return TRUE;
}

HbApiServer *
hb_api_server_new (GMainContext *context,
                   const char *rundir,
                   const HbApiHandler *handler,
                   gpointer user_data,
                   GError **error)
{
  g_autoptr (HbApiServer) server = NULL;

  g_return_val_if_fail (rundir != NULL && handler != NULL, NULL);
  server = g_new0 (HbApiServer, 1);
  server->context = context != NULL ? g_main_context_ref (context) : NULL;
  server->path = g_build_filename (rundir, HB_API_SOCKET_NAME, NULL);
  server->handler = handler;
  server->user_data = user_data;
  server->idle_timeout_ms = HB_API_SERVER_IDLE_TIMEOUT_MS;
  server->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  if (!server_listen (server, rundir, error))
    {
      g_prefix_error (error, "API socket: ");
      return NULL;
    }
  return g_steal_pointer (&server);
}

void
hb_api_server_free (HbApiServer *server)
{
  if (server == NULL)
    {
      return;
    }
  g_ptr_array_unref (server->conns);
  clear_source (&server->listen_source);
  if (server->listener != NULL)
    {
      /* Only a socket we bound is ours to remove. */
      if (server->bound)
        {
          g_unlink (server->path);
        }
      g_socket_close (server->listener, NULL);
      g_object_unref (server->listener);
    }
  if (server->context != NULL)
    {
      g_main_context_unref (server->context);
    }
  g_free (server->path);
  g_free (server);
}

void
hb_api_server_set_idle_timeout_ms (HbApiServer *server, guint timeout_ms)
{
  g_return_if_fail (server != NULL && timeout_ms > 0);
  server->idle_timeout_ms = timeout_ms;
}

const char *
hb_api_server_get_path (HbApiServer *server)
{
  return server->path;
}

guint
hb_api_server_get_n_clients (HbApiServer *server)
{
  return server->conns->len;
}
