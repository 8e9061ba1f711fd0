/* systole: one cluster node: configuration, media, wire, authentication and
 * membership wired together on one GMainLoop.
 *
 * Every keepalive a status message (docs/PROTOCOL.md, "Status packets") is
 * signed and sent on every medium; every datagram received is decoded, verified
 * ("Authentication") and handed to lib/membership, whose events become the log
 * lines of "Liveness and dead detection" and whose next deadline arms the one
 * timer that declares nodes dead.
 */
#pragma once

#include <gio/gio.h>

#include "config.h"
#include "logger.h"
#include "membership.h"

G_BEGIN_DECLS

/* Resource management knobs (daemon options; NULL/0 = the default named). */
typedef struct
{
  const char *init_dir;         /* LSB scripts: NULL = HB_INITDIR */
  const char *ocf_root;         /* NULL = HB_OCFDIR */
  const char *fence_command;    /* sh -c; NULL = HB_RSC_DEFAULT_FENCE */
  guint agent_timeout_ms;       /* per agent run; 0 = 60 s */
  gint stop_retries;            /* < 0 = 10 (Heartbeat's HA_STOPRETRYMAX) */
  guint stop_retry_delay_ms;    /* 0 = 1 s */
  guint shutdown_timeout_ms;    /* SIGTERM to forced exit; 0 = HB_RSC_DEFAULT_SHUTDOWN_MS */
} HbRscOptions;

/* Heartbeat runs `reboot`, or failing that `init 6` (docs/PROTOCOL.md, "Group
 * start and stop"). */
#define HB_RSC_DEFAULT_FENCE "reboot || init 6"
#define HB_RSC_DEFAULT_SHUTDOWN_MS (15 * 60 * 1000)

typedef struct
{
  const char *statedir;   /* hb_generation, hb_uuid */
  const char *rundir;     /* api socket */
  const char *logfile;    /* overrides ha.cf logfile when not NULL */
  const char *hostname;   /* for syslog-style log lines */
  HbLogger *logger;       /* borrowed; reconfigured on reload */
  GMainLoop *loop;        /* quit when shutdown completes */
  const HbRscOptions *rsc;/* NULL = defaults */
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
 * the node list and media are unchanged (else it restarts for the new set,
 * knowing what the old one knew of each peer's generation and seqs).
 * Changed media are all opened before any old one is closed: if one cannot
 * be opened, nothing changes (the old configuration keeps running, its
 * media untouched), `config` is freed and FALSE returned with the reason. */
gboolean hb_daemon_reload (HbDaemon *daemon, HbConfig *config, GError **error);

/* SIGTERM: release every resource group right to left while heartbeats go
 * on, tell peers we leave (t=shutdone st=dead; docs/PROTOCOL.md,
 * "Shutdown"), log the worst
 * heartbeat intervals seen, then quit the loop. */
void hb_daemon_shutdown (HbDaemon *daemon);
/* Resources released (or the shutdown timeout passed): stop heartbeats,
 * linger so the last datagrams leave, quit the loop. */
void hb_daemon_shutdown_complete (HbDaemon *daemon);

const HbConfig *hb_daemon_config (const HbDaemon *daemon);
/* The live membership (replaced on a reload that changes nodes or timers). */
const HbMembership *hb_daemon_membership (const HbDaemon *daemon);

G_END_DECLS
