/* systole: the HbDaemon's state, shared by daemon.c (life cycle, timers,
 * membership events), daemon-send.c (what we send) and daemon-recv.c (what we
 * receive). Not for use outside the daemon. */
#pragma once

#include <gio/gio.h>

#include "api-server.h"
#include "daemon-budget.h"
#include "daemon.h"
#include "daemon-rsc.h"
#include "generation-file.h"
#include "media.h"
#include "membership.h"
#include "peer-generations.h"
#include "ping.h"
#include "wire.h"
#include "xmithist.h"

G_BEGIN_DECLS

/* For the first 5 s the daemon advertises deadtime + 2000 ms (docs/PROTOCOL.md,
 * "Status packets"). */
#define STARTUP_DT_EXTRA_MS 2000
#define STARTUP_DT_PERIOD_US (5 * G_USEC_PER_SEC)
/* How often the worst heartbeat intervals are written to the log. */
#define WORST_GAP_LOG_PERIOD_S 3600
/* After sending shutdone, wait this long so the datagrams leave (Heartbeat waits
 * 1 s: docs/PROTOCOL.md, "Shutdown"). */
#define SHUTDOWN_LINGER_MS 200
/* Resource messages of a peer's run not yet confirmed live are held, at
 * most this many per peer (the oldest go first). */
#define DEFERRED_MAX 32

struct _HbDaemon
{
  HbDaemonOptions options;
  char *statedir;
  char *rundir;
  char *logfile;
  char *hostname;
  HbConfig *config;
  guint32 generation;
  guint8 uuid[HB_UUID_LEN];
  guint64 next_seq;
  gint64 started_us;
  GPtrArray *media;          /* of HbMediaChannel* */
  HbPinger *pinger;          /* NULL without ping nodes */
  HbMembership *membership;
  HbXmitHist *xmithist;
  GHashTable *peer_uuids;    /* node name -> GBytes (16 bytes), learnt from srcuuid */
  GHashTable *ack_triggers;  /* node name -> GUINT_TO_POINTER (trigger + 1) */
  GHashTable *badpack_last;  /* "addr reason" -> gint64* last log time */
  HbPeerGenerations *peer_gens; /* STATEDIR/hb_peer_generations */
  GHashTable *deferred;      /* node -> GQueue of HbDeferred*: resource messages held until
                              * the run that sent them shows a live status */
  GHashTable *replay_hinted; /* nodes told about hb_peer_generations once */
  HbBudget *budget;          /* what floods and replays may make us spend (log, resends) */
  GSource *keepalive_source;
  GSource *deadline_source;
  GSource *worst_gap_source;
  GSource *linger_source;
  HbApiServer *api;
  HbResMgr *rsc;                /* resource management (daemon-rsc.c) */
  gboolean shutting_down;
};

/* daemon.c */
void hb_daemon_handle_events (HbDaemon *daemon, GPtrArray *events);
void hb_daemon_rearm_deadline (HbDaemon *daemon);

/* daemon-send.c */
void hb_daemon_send_bytes (HbDaemon *daemon, GBytes *bytes);
GBytes *hb_daemon_send_msg (HbDaemon *daemon, HbMsg *msg);
void hb_daemon_send_status (HbDaemon *daemon);
void hb_daemon_send_rexmit_request (HbDaemon *daemon, const char *node, guint64 seq);
void hb_daemon_send_nak (HbDaemon *daemon, const char *node, guint64 seq, const char *reason);
void hb_daemon_maybe_ack (HbDaemon *daemon, const char *node, guint64 seq);
gboolean hb_daemon_on_keepalive (gpointer user_data);

/* daemon-recv.c */
void hb_daemon_deferred_free (gpointer queue);
void hb_daemon_on_datagram (HbMediaChannel *channel, const guint8 *data, gsize len,
                            GInetSocketAddress *from, gpointer user_data);
void hb_daemon_on_ping_reply (const char *node, gpointer user_data);

G_END_DECLS
