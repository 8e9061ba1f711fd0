/* systole: takeover engine internals shared by lib/takeover*.c (not installed,
 * not for other modules). One concern per file:
 *   takeover.c          engine object, groups, one-operation-at-a-time driving,
 *                       jobs (sets of group operations with a completion step),
 *                       agent results, timers, queries
 *   takeover-startup.c  probes, comm up, `starting`/`resource`, req_our_resources,
 *                       legacy ip-request, audits
 *   takeover-standby.c  hb_standby/hb_takeover three-phase exchange, auto
 *                       failback, failed-start hand-off, ipfail rule
 *   takeover-node.c     peer death (mach_down), shutdown/shutdone, split brain
 *   takeover-msg.c      message/action values
 */
#pragma once

#include "takeover.h"

/* Heartbeat's resource state (HB3 hb_resource.c enum hb_rsc_state). */
typedef enum
{
  TK_R_INIT,
  TK_R_STARTING,
  TK_R_BOTHSTARTING,
  TK_R_RSCRCVD,
  TK_R_STABLE,
  TK_R_SHUTDOWN,
} TkRstate;

/* Standby protocol phase (HB3 enum standby: NOT, ME, OTHER, DONE). */
typedef enum
{
  TK_SB_NOT,
  TK_SB_ME,
  TK_SB_OTHER,
  TK_SB_DONE,
} TkStandby;

/* Why we asked to go standby (what to retry when the peer never answers). */
typedef enum
{
  TK_ORIGIN_COMMAND,
  TK_ORIGIN_FAILBACK,
  TK_ORIGIN_HANDOFF,
} TkOrigin;

typedef struct
{
  char *key;
  char *home;
  gboolean ours;         /* home == local node */
  HbGroupState state;
  gboolean want;         /* desired: running here */
  gboolean peer_holds;   /* from the peer's latest `resource` */
  /* Split brain facts (see tk_local_keeps): each node advertises its own
   * in every full `resource` and judges from those, never from its beliefs
   * about the other. A flag is set when a holding begins and cleared when
   * it ends or when the peer's holdings show it does not hold the group
   * (the claim is then undisputed), never while both hold it. */
  gboolean taken;        /* we started it while the peer was dead or gone (takeover_keys) */
  gboolean peer_taken;   /* the peer says so of its copy */
  gboolean restart_claim;/* the startup probe found it running (restart_keys) */
  gboolean peer_restart; /* the peer says so of its copy */
  gboolean found_running;/* the startup probe found it running */
  guint start_failures;  /* failed starts here since the last good one */
  gboolean handed_back;  /* acquired from a peer whose start of it failed (handoff=1) */
  gboolean bounced;      /* its latest start here failed, and it had come back so */
  gboolean yielded_hb306;/* stopped for a Heartbeat 3.0.6 peer that kept it (until it restarts) */
} TkGroup;

typedef enum
{
  TK_JOB_PROBE,
  TK_JOB_LOCAL_ACQ,      /* req_our_resources */
  TK_JOB_MACH_DOWN,      /* take the groups of a dead / departed peer */
  TK_JOB_SB_GIVEUP,      /* standby phase 2 on the requester */
  TK_JOB_SB_ACQUIRE,     /* standby phase 3 on the other node */
  TK_JOB_SHUTDOWN,       /* give up every group */
  TK_JOB_LEGACY_GIVE,    /* ip-request: give a group to the requester */
  TK_JOB_LEGACY_TAKE,    /* ip-request-resp: take our group */
  TK_JOB_HEAL,           /* split brain / restart: stop our duplicate copies */
  TK_JOB_FAILED_START,   /* a start failed: stop the group, hand it to the peer */
  TK_JOB_N_KINDS,
} TkJobKind;

typedef struct
{
  TkJobKind kind;
  GArray *members;       /* of guint group indices */
  HbRsc rsc;             /* standby set, mach_down class, ... */
  char *arg;             /* requester / peer name / failed resource */
} TkJob;

struct _HbTakeover
{
  char *local;
  char *peer;            /* NULL: a one-node cluster */
  HbAutoFailback auto_failback;
  gboolean nice;         /* auto_failback on|off: Heartbeat's nice_failback */
  gint64 standby_reply_us;
  gint64 standby_us;
  gint64 request_delay_us;
  gint64 failback_retry_us;

  GPtrArray *groups;     /* of TkGroup*, haresources order */
  GPtrArray *jobs;       /* of TkJob* in flight */
  GPtrArray *out;        /* the caller's action array during one call */
  gint64 now;

  TkRstate rstate;
  gboolean started;          /* start() ran */
  gboolean probing;          /* start() issued probes not all answered */
  gboolean comm_up_deferred; /* comm came up while probing */
  HbPeerState deferred_peer;
  gboolean comm_is_up;

  gboolean peer_alive;
  gboolean peer_dead;
  gboolean peer_left;        /* it sent shutdone: it holds nothing */
  gboolean peer_heard;       /* any resource message since it came up */
  gboolean other_stable;
  HbRsc peer_class;          /* its rsc_hold (its point of view) */

  gboolean local_done;
  gboolean foreign_done;
  gboolean announced;
  gint64 rscrcvd_deadline;   /* RQSTDELAY, 0 = none */

  TkStandby sb;
  HbRsc sb_rsc;
  gint64 sb_deadline;        /* 0 = none */
  TkOrigin sb_origin;
  gboolean sb_peer_handoff;  /* the peer's `me` said handoff=1: its start failed */
  HbRsc deferred_rsc;        /* a peer's `me` that came while we were busy */
  gint64 deferred_until;     /* 0 = none; the requester waits 10 s */

  gboolean needs_failback;
  gint64 failback_at;        /* 0 = none */
  HbRsc handoff_rsc;         /* failed start: class to hand to the peer */
  gint64 handoff_at;         /* 0 = none */

  gboolean needs_shutdown;
  gboolean shutting_down;
  gboolean self_restarting;  /* we found groups running at startup */
  gboolean peer_restarting;  /* it sent `starting` and is not stable yet */
  gboolean heal_pending;     /* resolve duplicates on the next peer holdings */
  gboolean peer_systole;     /* a full `resource` of its run listed groups (held_keys) */
  gint64 hb306_heal_at;      /* 0 = none: a 3.0.6 peer did not restart after a heal */
  gint64 hb306_claim_at;     /* 0 = none: a 3.0.6 peer took over groups we run */
  gboolean facts_changed;    /* a split brain flag was cleared: tell the peer */

  guint ping_reachable;
  guint ping_total;
  gint peer_ping_reachable;  /* -1 = unknown */
  guint peer_ping_total;

  guint legacy_pending;      /* ip-requests sent, not yet answered */
};

/* ---- takeover.c ---------------------------------------------------------- */
void tk_begin (HbTakeover *t, gint64 now_us, GPtrArray *actions);
void tk_end (HbTakeover *t);
void tk_log (HbTakeover *t, HbTakeoverLogLevel level, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
void tk_send (HbTakeover *t, HbTakeoverMsg *msg); /* takes ownership */
void tk_emit_group (HbTakeover *t, HbTakeoverActionType type, const char *key);
TkGroup *tk_group (HbTakeover *t, guint index);
gint tk_group_index (const HbTakeover *t, const char *key);
gboolean tk_group_held (const TkGroup *g);
gboolean tk_group_busy (const TkGroup *g);
HbRsc tk_group_class (const TkGroup *g);
HbRsc tk_holdings (const HbTakeover *t);
gboolean tk_any_busy (const HbTakeover *t);
gboolean tk_is_stable (const HbTakeover *t);
void tk_group_want (HbTakeover *t, guint index, gboolean run);
void tk_group_set_state (HbTakeover *t, TkGroup *g, HbGroupState state);
TkJob *tk_job_new (TkJobKind kind, HbRsc rsc, const char *arg);
void tk_job_add (TkJob *job, guint index);
void tk_job_submit (HbTakeover *t, TkJob *job);
void tk_job_want_class (HbTakeover *t, TkJob *job, HbRsc mask, gboolean run);
void tk_send_resources_held (HbTakeover *t, gboolean stable, const char *info);
/* How long a Heartbeat 3.0.6 peer gets, after a partition heal, to show it
 * noticed it too (it restarts itself 2 s after it notices, within a
 * keepalive of our noticing): then we stop what we took over from it. */
#define HB306_HEAL_WAIT_US (2500 * G_TIME_SPAN_MILLISECOND)
void tk_hb306_heal_expired (HbTakeover *t);
void tk_hb306_claim_expired (HbTakeover *t);
void tk_hb306_note_claim (HbTakeover *t, const HbTakeoverMsg *msg);
void tk_announce (HbTakeover *t, const char *reason);

/* ---- takeover-startup.c -------------------------------------------------- */
void tk_startup_comm_up (HbTakeover *t, HbPeerState peer);
void tk_req_our_resources (HbTakeover *t, gboolean anyway);
gboolean tk_recv_starting (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);
gboolean tk_recv_resource (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);
gboolean tk_recv_ip_request (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);
gboolean tk_recv_ip_request_resp (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);
void tk_audit (HbTakeover *t);
void tk_rscrcvd_expired (HbTakeover *t);
void tk_job_done_probe (HbTakeover *t, TkJob *job);
void tk_job_done_local_acq (HbTakeover *t, TkJob *job);
void tk_job_done_legacy_give (HbTakeover *t, TkJob *job);
void tk_job_done_legacy_take (HbTakeover *t, TkJob *job);

/* ---- takeover-standby.c -------------------------------------------------- */
gboolean tk_recv_ask_resources (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);
gboolean tk_recv_hb_takeover (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);
gboolean tk_standby_request (HbTakeover *t, HbRsc rsc, TkOrigin origin);
void tk_standby_cancel (HbTakeover *t);
void tk_standby_run_deferred (HbTakeover *t);
void tk_standby_expired (HbTakeover *t);
void tk_go_standby_other (HbTakeover *t, HbRsc rsc);
void tk_perform_failback (HbTakeover *t);
void tk_handoff_try (HbTakeover *t);
void tk_ipfail_check (HbTakeover *t);
void tk_job_done_sb_giveup (HbTakeover *t, TkJob *job);
void tk_job_done_sb_acquire (HbTakeover *t, TkJob *job);
void tk_job_done_failed_start (HbTakeover *t, TkJob *job);

/* ---- takeover-node.c ----------------------------------------------------- */
void tk_takeover_from_peer (HbTakeover *t);
void tk_peer_dead (HbTakeover *t);
void tk_peer_dead_takeover (HbTakeover *t);
void tk_partition_healed (HbTakeover *t);
gboolean tk_recv_shutdone (HbTakeover *t, const HbTakeoverMsg *msg, GError **error);
void tk_shutdown_if_needed (HbTakeover *t);
void tk_resolve_duplicates (HbTakeover *t);
void tk_log_split (HbTakeover *t, const char *key, const char *keeper, const char *loser);
void tk_job_done_mach_down (HbTakeover *t, TkJob *job);
void tk_job_done_shutdown (HbTakeover *t, TkJob *job);
void tk_job_done_heal (HbTakeover *t, TkJob *job);
