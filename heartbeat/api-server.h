/* systole: the daemon side of the local API socket (RUNDIR/api.sock).
 *
 * How the daemon plugs in (one call at startup, one at shutdown):
 *
 *   static const HbApiHandler handler = {
 *     .list_nodes = my_list_nodes, .node_status = my_node_status, ...
 *   };
 *   g_autoptr (GError) error = NULL;
 *   HbApiServer *api = hb_api_server_new (NULL, rundir, &handler, daemon, &error);
 *   if (api == NULL) { log error->message; exit }
 *   ... g_main_loop_run ...
 *   g_clear_pointer (&api, hb_api_server_free);   (removes the socket file)
 *
 * Every callback runs on the given GMainContext, one request at a time, and
 * must answer without blocking (it reads in-memory state). Strings returned
 * are newly allocated and freed by the server. Any callback may be NULL: the
 * request is then answered with ERR failed "not supported by this daemon".
 *
 * Security (docs/PROTOCOL.md, "Known weaknesses", asks for better than 3.0.6): the socket
 * is created with mode 0600 (umask forced during bind, chmod after), and each
 * accepted connection is checked with SO_PEERCRED: any uid other than 0 (or
 * the server's own uid, see hb_api_server_check_credentials) gets ERR
 * refused and is closed. Requests are bounded (HB_API_MAX_LINE), a client
 * that sends nothing for `idle_timeout_ms` is dropped, at most
 * HB_API_SERVER_MAX_CLIENTS connections are served at once.
 */
#pragma once

#include <sys/types.h>

#include <gio/gio.h>

#include "apiproto.h"

G_BEGIN_DECLS

#define HB_API_SERVER_MAX_CLIENTS 32
#define HB_API_SERVER_IDLE_TIMEOUT_MS 10000

/* The daemon's answers. Status vocabulary (docs/PROTOCOL.md, "Node and link states", "cl_status"):
 * node status init|up|active|dead|ping, node type normal|ping|unknown, link
 * status up|dead, resource status none|local|foreign|all|transition. The
 * server passes strings through unchanged; cl_status derives exit codes from
 * them. */
typedef struct
{
  /* Every node, normal and ping, in configuration order (NULL-terminated).
   * The server asks node_type and node_status for each. */
  GStrv (*list_nodes) (gpointer user_data);
  /* NULL if `node` is not a known node. */
  char *(*node_status) (const char *node, gpointer user_data);
  char *(*node_type) (const char *node, gpointer user_data);
  /* The heartbeat links of `node` (interface names; for ping nodes the node
   * name), NULL-terminated; NULL if the node is unknown. */
  GStrv (*list_links) (const char *node, gpointer user_data);
  /* NULL if the node or the link is unknown (the server tells which by
   * asking node_type). */
  char *(*link_status) (const char *node, const char *link, gpointer user_data);
  /* What this node holds: none|local|foreign|all|transition. */
  char *(*rsc_status) (gpointer user_data);
  /* A configuration value as written in ha.cf with defaults filled in
   * (keepalive, deadtime, udpport, auto_failback, ...); NULL if unknown.
   * "hbversion" is answered by the server itself (HB_VERSION). */
  char *(*parameter) (const char *name, gpointer user_data);
  /* hb_standby / hb_takeover (docs/PROTOCOL.md, "Standby and takeover"). standby never gets
   * HB_API_HOLD_FAILBACK (the server maps it to FOREIGN, as hb_standby
   * does); takeover gets it unchanged, for the peer to run hb_standby with
   * no argument (= all), the 3.0.6 quirk. Start the exchange
   * and return at once: TRUE with a one-line message for the user in
   * *message_out (e.g. "Going standby [all]."), or FALSE with `error` set
   * (its message is shown to the user, e.g. "Standby mode only implemented
   * when nice_failback on"). */
  gboolean (*standby) (HbApiHold hold, char **message_out, gpointer user_data, GError **error);
  gboolean (*takeover) (HbApiHold hold, char **message_out, gpointer user_data, GError **error);
} HbApiHandler;

typedef struct _HbApiServer HbApiServer;

/* Creates RUNDIR (mode 0750) if missing, removes a stale socket file left by
 * a dead daemon (refuses, with an error, if another daemon still answers on
 * it), binds and listens on RUNDIR/api.sock, and attaches its sources to
 * `context` (NULL = the global default context). `handler` must stay valid
 * until hb_api_server_free; `user_data` is passed to every callback. */
HbApiServer *hb_api_server_new (GMainContext *context,
                                const char *rundir,
                                const HbApiHandler *handler,
                                gpointer user_data,
                                GError **error);

/* Closes every connection, removes the sources and the socket file. */
void hb_api_server_free (HbApiServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbApiServer, hb_api_server_free)

/* Overrides the idle timeout (tests use a short one). Applies to connections
 * accepted afterwards. */
void hb_api_server_set_idle_timeout_ms (HbApiServer *server, guint timeout_ms);

const char *hb_api_server_get_path (HbApiServer *server);
guint hb_api_server_get_n_clients (HbApiServer *server);

/* The access rule, separate so that it is tested without a second user:
 * TRUE for credentials of uid 0 or of `own_uid` (the server's effective uid:
 * root for the daemon, so only root; a test server run by a user also
 * accepts that user, who could do anything it does anyway). Else FALSE with
 * HB_API_ERROR_REFUSED naming the uid and pid. */
gboolean hb_api_server_check_credentials (GCredentials *credentials, uid_t own_uid, GError **error);

G_END_DECLS
