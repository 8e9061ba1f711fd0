/* systole: one cluster node: configuration, media, wire, authentication and
 * membership wired together on one GMainLoop.
 *
 * Every keepalive a status message (HEARTBEAT-REFERENCE §1.7) is signed and
 * sent on every medium; every datagram received is decoded, verified
 * (§1.8) and handed to lib/membership, whose events become the log lines of
 * §2.2 and whose next deadline arms the one timer that declares nodes dead.
 */
#pragma once

#include <gio/gio.h>

#include "config.h"
#include "logger.h"
#include "membership.h"

G_BEGIN_DECLS

typedef struct
{
  const char *statedir;   /* hb_generation, hb_uuid */
  const char *rundir;     /* api socket */
  const char *logfile;    /* overrides ha.cf logfile when not NULL */
  const char *hostname;   /* for syslog-style log lines */
  HbLogger *logger;       /* borrowed; reconfigured on reload */
  GMainLoop *loop;        /* quit when shutdown completes */
} HbDaemonOptions;

typedef struct _HbDaemon HbDaemon;

/* Takes ownership of `config`. Reads/bumps the generation, loads the UUID,
 * opens every medium (skipping ucast lines to ourselves), starts the
 * keepalive and deadline timers and the API server, sets the local status
 * `up`. Fails if no medium could be opened or a state file is unusable. */
HbDaemon *hb_daemon_new (const HbDaemonOptions *options, HbConfig *config, GError **error);
void hb_daemon_free (HbDaemon *daemon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbDaemon, hb_daemon_free)

/* SIGHUP: swap in `config` (ownership taken) if it was loaded without error;
 * media and timers follow it, membership state of known nodes is kept when
 * the node list and media are unchanged (else it restarts for the new set). */
void hb_daemon_reload (HbDaemon *daemon, HbConfig *config);

/* SIGTERM: tell peers we leave (t=shutdone st=dead, §3.7), log the worst
 * heartbeat intervals seen, then quit the loop. */
void hb_daemon_shutdown (HbDaemon *daemon);

const HbConfig *hb_daemon_config (const HbDaemon *daemon);
/* The live membership (replaced on a reload that changes nodes or timers). */
const HbMembership *hb_daemon_membership (const HbDaemon *daemon);

G_END_DECLS
