/* systole: the daemon's answers to the local API (cl_status, docs/PROTOCOL.md,
 * "cl_status"): membership and configuration state, read-only. */
#pragma once

#include "api-server.h"
#include "daemon.h"
#include "membership.h"

G_BEGIN_DECLS

/* The handler table to pass to hb_api_server_new with the HbDaemon as user_data. */
const HbApiHandler *hb_daemon_api_handler (void);

G_END_DECLS
