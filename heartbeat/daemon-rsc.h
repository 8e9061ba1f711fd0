/* systole: resource management inside the daemon: lib/takeover (who holds
 * which group) wired to the runner (agents), the wire (peer messages), the
 * membership events, the API (hb_standby, hb_takeover, cl_status rscstatus)
 * and one timer. Facts: docs/PROTOCOL.md, "Resource management".
 *
 *   rsc = hb_resmgr_new (daemon, &options, &error);   // probes every group
 *   hb_resmgr_member_event (rsc, ev);                  // each membership event
 *   hb_resmgr_receive (rsc, msg, src);                 // peer resource messages
 *   hb_resmgr_shutdown (rsc);                          // SIGTERM; the daemon
 *       finishes with hb_daemon_shutdown_complete once all is released
 *
 * The execution side (agent environment, fence command, gratuitous ARP
 * re-announcement) is in daemon-rsc-exec.c.
 */
#pragma once

#include "daemon.h"
#include "membership.h"
#include "runner.h"
#include "takeover.h"
#include "wire.h"

G_BEGIN_DECLS

typedef struct _HbResMgr HbResMgr;

HbResMgr *hb_resmgr_new (HbDaemon *daemon, const HbRscOptions *options, GError **error);
void hb_resmgr_free (HbResMgr *rsc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbResMgr, hb_resmgr_free)

/* TRUE for the message types that the takeover engine reads (docs/PROTOCOL.md,
 * "Resource management"). */
gboolean hb_resmgr_is_resource_message (const char *type);
/* A message of such a type from `src` (lower-cased; never the local node). */
void hb_resmgr_receive (HbResMgr *rsc, const HbMsg *msg, const char *src);
void hb_resmgr_member_event (HbResMgr *rsc, const HbMemberEvent *event);
/* SIGHUP: warns when haresources changed (applied at the next start). */
void hb_resmgr_reload (HbResMgr *rsc, const HbConfig *config);
/* SIGTERM: release everything (docs/PROTOCOL.md, "Shutdown");
 * hb_daemon_shutdown_complete follows. */
void hb_resmgr_shutdown (HbResMgr *rsc);

/* The API. `what`: all|local|foreign|failback. */
const char *hb_resmgr_status (HbResMgr *rsc);
gboolean hb_resmgr_standby (HbResMgr *rsc, const char *what, char **message_out, GError **error);
gboolean hb_resmgr_takeover (HbResMgr *rsc, const char *what, char **message_out, GError **error);

/* ---- daemon-rsc-exec.c ---------------------------------------------------------------- */

/* The environment agents run with (Heartbeat's HA_* variables plus the
 * daemon's SYSTOLE_* and OCF_* variables), NULL-terminated. */
GStrv hb_resmgr_agent_env (const HbConfig *config, const char *logfile, const char *rsctmp,
                        guint debug_level);
/* Runs `command` with /bin/sh -c in the background (after a CRIT line). */
void hb_resmgr_fence (const char *command, const char *group, const char *why);
/* Re-sends gratuitous ARP for every IPaddr/IPaddr2 address of `group` that
 * is configured here, with the send_arp helper. */
void hb_resmgr_resend_arp (const HbResourceGroup *group);

G_END_DECLS
