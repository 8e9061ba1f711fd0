/* systole: blocking client of the local API socket, used by the CLI tools.
 *
 * A client holds one connection and one deadline fixed at connect time:
 * every call fails with HB_API_ERROR_TIMEOUT once the deadline has passed,
 * which gives cl_status the 5 s overall bound of Heartbeat's alarm()
 * (docs/PROTOCOL.md, "cl_status") without signals.
 */
#pragma once

#include <gio/gio.h>

#include "apiproto.h"

G_BEGIN_DECLS

#define HB_API_CLIENT_TIMEOUT_MS 5000

typedef struct _HbApiClient HbApiClient;

/* RUNDIR/api.sock, for messages and for tests. */
char *hb_api_socket_path (const char *rundir);

/* Connects to RUNDIR/api.sock. Errors: HB_API_ERROR_NOT_RUNNING (no socket
 * or nobody listening), HB_API_ERROR_PERMISSION (EACCES/EPERM: not root),
 * HB_API_ERROR_TIMEOUT, HB_API_ERROR_IO. */
HbApiClient *hb_api_client_connect (const char *rundir, guint timeout_ms, GError **error);

void hb_api_client_free (HbApiClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbApiClient, hb_api_client_free)

/* Sends one request and reads its complete response. Returns the response
 * only when the server said OK; an ERR answer becomes `error` with the
 * server's code and text; transport problems give TIMEOUT, PROTOCOL, IO, or
 * NOT_RUNNING when the server closed the connection without answering. */
HbApiResponse *hb_api_client_call (HbApiClient *client,
                                   HbApiVerb verb,
                                   const char *const *args,
                                   GError **error);

/* Convenience for requests answered by one row of one field: returns that
 * field (PROTOCOL error if the response has another shape). */
char *hb_api_client_call_value (HbApiClient *client,
                                HbApiVerb verb,
                                const char *const *args,
                                GError **error);

G_END_DECLS
