/* systole: node and link membership state machines (pure, no I/O, no clock reads).
 *
 * An HbMembership knows every configured node (normal and ping) and, per node,
 * its links. The daemon feeds it decoded, authenticated packets and the current
 * monotonic time; it answers with a verdict (act on the message or not) and a
 * list of events (state changes with their exact Heartbeat log text). Time only
 * moves through the `now_us` arguments: the daemon arms ONE timer at
 * hb_membership_next_deadline_us() and calls hb_membership_tick() when it fires.
 *
 *   g_autoptr (GPtrArray) ev = hb_member_events_new ();
 *   verdict = hb_membership_receive (m, g_get_monotonic_time (), &pkt, ev);
 *   ... log / dispatch ev, act on the message if verdict == HB_MEMBER_PROCESS ...
 *   rearm_timer (hb_membership_next_deadline_us (m));      (G_MAXINT64 = none)
 *   on timer: hb_membership_tick (m, g_get_monotonic_time (), ev); rearm again.
 *
 * Facts: docs/PROTOCOL.md, "Sequencing" (seq, generations, rexmit), "Node and
 * link states" and "Liveness and dead detection" (states, transitions, timers),
 * "Status packets" (`dt`).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_MEMBERSHIP_ERROR (hb_membership_error_quark ())
GQuark hb_membership_error_quark (void);

typedef enum
{
  HB_MEMBERSHIP_ERROR_INVALID, /* inconsistent parameters (no local node, duplicates, zero timers) */
} HbMembershipError;

/* Node status strings (docs/PROTOCOL.md, "Node and link states"). Remote nodes
 * may advertise any string in `st`; these are the ones membership itself
 * assigns. */
#define HB_NODE_STATUS_INIT "init"
#define HB_NODE_STATUS_UP "up"
#define HB_NODE_STATUS_ACTIVE "active"
#define HB_NODE_STATUS_DEAD "dead"
#define HB_NODE_STATUS_PING "ping"
#define HB_LINK_STATUS_UP "up"
#define HB_LINK_STATUS_DEAD "dead"

typedef enum
{
  HB_MEMBER_NODE_NORMAL,
  HB_MEMBER_NODE_PING,    /* `ping` and `ping_group` pseudo-nodes: never a takeover subject */
  HB_MEMBER_NODE_UNKNOWN, /* only returned by queries for a name we do not know */
} HbMemberNodeType;

/* "normal" / "ping" / "unknown" (cl_status nodetype). */
const char *hb_member_node_type_to_string (HbMemberNodeType type);

/* Uniform random integer in [lo_ms, hi_ms] (both inclusive). */
typedef guint (*HbMemberRandomFunc) (guint lo_ms, guint hi_ms, gpointer user_data);

typedef struct
{
  const char *name; /* lower-cased; ping nodes: the IP, ping groups: the group name */
  HbMemberNodeType type;
} HbMemberNodeParam;

typedef struct
{
  const char *local_node;          /* must be one of `nodes`, type NORMAL */
  guint64 local_generation;        /* our own hg; own packets with another hg are replays (0 = unchecked) */
  const HbMemberNodeParam *nodes;  /* every configured node, the local one included */
  guint n_nodes;
  const char *const *links;        /* NULL-terminated medium names ("eth1", ...): the links of
                                    * every normal node; repeated names are one link. A ping
                                    * node has one link named like it. */
  guint keepalive_ms;
  guint deadtime_ms;
  guint warntime_ms;
  guint initdead_ms;
  guint deadping_ms;
  guint max_rexmit_delay_ms;       /* 0 = the Heartbeat default 250 */
  HbMemberRandomFunc random;       /* NULL = an internal GRand */
  gpointer random_data;
} HbMembershipParams;

/* The verdict on one received packet. Only PROCESS and OWN messages should be
 * acted upon by the daemon (dispatch on `t`); everything else is dropped. */
typedef enum
{
  HB_MEMBER_PROCESS,            /* new, in order or a gap filler: act on it */
  HB_MEMBER_OWN,                /* our own message looped back (first copy): no
                                 * liveness effect; act on it only if the daemon needs
                                 * its own messages (e.g. its own shutdone) */
  HB_MEMBER_DUPLICATE,          /* seq equal to the last one (or an own copy seen before) */
  HB_MEMBER_DROP_OLD,           /* seq lower than last and not missing */
  HB_MEMBER_DROP_REPLAY,        /* hg lower than the last generation seen */
  HB_MEMBER_DROP_BAD_SEQ,       /* sequenced message without seq or hg */
  HB_MEMBER_DROP_NOT_FOR_US,    /* `dest` names another node */
  HB_MEMBER_DROP_UNKNOWN_NODE,  /* `src` is not a configured node */
  HB_MEMBER_DROP_BAD_GEN,       /* hg beyond 32 bits, or an implausible jump forward */
} HbMemberVerdict;

const char *hb_member_verdict_to_string (HbMemberVerdict verdict);

/* A decoded, authenticated packet, reduced to what membership needs. */
typedef struct
{
  const char *from_node;  /* `src`, lower-cased; required */
  const char *link;       /* medium it arrived on (for ping nodes: ignored); NULL = unknown */
  gboolean is_status;     /* t=status: the only packets that refresh a node's liveness
                           * (for ping nodes every packet counts; no late warnings) */
  gboolean is_ns;         /* t=NS_*: no seq/hg tracking, only the `dest` check */
  const char *status;     /* `st` of a status packet; NULL keeps the known status (`up`
                           * after init/dead). Ping nodes always become "ping". */
  const char *dest;       /* `dest`, NULL when absent */
  gboolean has_seq;
  guint64 seq;            /* `seq` (hex on the wire), > 0 */
  gboolean has_gen;
  guint64 gen;            /* `hg` */
  guint dt_ms;            /* `dt` of a status packet, 0 when absent */
} HbMemberPacket;

typedef enum
{
  HB_MEMBER_EVENT_NODE_STATUS,        /* a node's status string changed (incl. init -> first status) */
  HB_MEMBER_EVENT_NODE_DEAD,          /* a NORMAL node passed its dead interval: takeover subject */
  HB_MEMBER_EVENT_PING_DEAD,          /* a PING node passed deadping: never a takeover subject */
  HB_MEMBER_EVENT_NODE_LATE,          /* late heartbeat (warntime: WARNING, deadtime: CRIT) */
  HB_MEMBER_EVENT_LINK_UP,
  HB_MEMBER_EVENT_LINK_DEAD,
  HB_MEMBER_EVENT_NODE_RESTART,       /* status with a higher hg than the last non-zero one */
  HB_MEMBER_EVENT_PARTITION_HEALED,   /* same hg, newer seq, from a node we declared dead
                                       * (CRIT; Heartbeat adds `Deadtime value may be too
                                       * small.`). Input for split-brain healing, not a
                                       * reason to restart ourselves. */
  HB_MEMBER_EVENT_COMM_UP,            /* every node heard or dead: local status is now active */
  HB_MEMBER_EVENT_LOCAL_STATUS,       /* hb_membership_set_local_status() changed it */
  HB_MEMBER_EVENT_NO_LOCAL_HEARTBEAT, /* hb_membership_local_heartbeat() not called for deadtime */
  HB_MEMBER_EVENT_REPLAY,             /* packet with a lower hg dropped */
  HB_MEMBER_EVENT_BAD_SEQ,            /* sequenced packet without seq/hg dropped */
  HB_MEMBER_EVENT_LOST_PACKETS,       /* gap in a peer's seqs: requests follow */
  HB_MEMBER_EVENT_LOST_MANY,          /* gap > 250: tracking of that peer reset */
  HB_MEMBER_EVENT_GAP_FILLED,         /* the last missing seq of a peer arrived */
  HB_MEMBER_EVENT_REXMIT_REQUEST,     /* send t=NS_rexmit dest=`node` firstseq=lastseq=`seq` (decimal) */
  HB_MEMBER_EVENT_BAD_GENERATION,     /* packet with an hg no Heartbeat node sends, dropped */
  HB_MEMBER_EVENT_DT_CLAMPED,         /* a status advertised a dead interval out of bounds
                                       * (WARNING, once per value): `interval_ms` is the
                                       * one used (see HB_MEMBER_DT_MAX_FACTOR) */
} HbMemberEventType;

/* Log priorities (docs/PROTOCOL.md, "Log format"); CRIT is Heartbeat's for late
 * heartbeats > deadtime and for partitions. */
typedef enum
{
  HB_MEMBER_SEVERITY_CRIT,
  HB_MEMBER_SEVERITY_ERROR,
  HB_MEMBER_SEVERITY_WARNING,
  HB_MEMBER_SEVERITY_NOTICE,
  HB_MEMBER_SEVERITY_INFO,
  HB_MEMBER_SEVERITY_DEBUG,
} HbMemberSeverity;

typedef struct
{
  HbMemberEventType type;
  HbMemberSeverity severity;
  char *node;                 /* subject node; the local node for COMM_UP / LOCAL_STATUS */
  HbMemberNodeType node_type; /* of `node`: filter PING here for takeover decisions */
  char *link;                 /* LINK_UP / LINK_DEAD: the medium name, else NULL */
  char *status;               /* NODE_STATUS / *_DEAD / COMM_UP / LOCAL_STATUS: new status;
                               * LINK_*: "up"/"dead"; else NULL */
  guint64 interval_ms;        /* NODE_LATE: interval between status packets;
                               * *_DEAD: time since the last status packet */
  guint64 seq;                /* REXMIT_REQUEST: missing seq; LOST_*: the packet's seq;
                               * GAP_FILLED: the filling seq; PARTITION_HEALED: its seq */
  guint64 count;              /* LOST_*: number of missing packets */
  guint64 gen;                /* RESTART / REPLAY / PARTITION_HEALED / BAD_GENERATION: the packet's hg */
  guint64 old_gen;            /* RESTART / REPLAY / BAD_GENERATION: the generation we knew */
  char *message;              /* exact log text, without the priority word */
} HbMemberEvent;

void hb_member_event_free (HbMemberEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbMemberEvent, hb_member_event_free)
/* A GPtrArray that owns HbMemberEvent* (g_ptr_array_new_with_free_func). */
GPtrArray *hb_member_events_new (void);
const char *hb_member_event_type_to_string (HbMemberEventType type);
/* "CRIT", "ERROR", "WARN", "notice", "info", "debug" (docs/PROTOCOL.md, "Log format"). */
const char *hb_member_severity_to_string (HbMemberSeverity severity);

/* A peer's advertised dead interval (`dt`; docs/PROTOCOL.md, "Status packets")
 * is used within [our deadtime, MAX (HB_MEMBER_DT_MAX_FACTOR * our deadtime, our deadtime +
 * 2000 ms)], and clamped into it otherwise. Heartbeat uses any value as is;
 * a 3.0.6 peer sends its own deadtime (+2000 ms in its first 5 s), so with
 * the same ha.cf on both nodes (which Heartbeat requires) nothing is ever
 * clamped. A huge dt from a buggy or forged peer would otherwise never let
 * us declare it dead, and a tiny one would declare a live node dead (two
 * holders). */
#define HB_MEMBER_DT_MAX_FACTOR 10
#define HB_MEMBER_DT_STARTUP_EXTRA_MS 2000

typedef struct _HbMembership HbMembership;

/* Every node starts `init` with its initdead clock running from `now_us`,
 * every link `dead`. The local node starts `init` too until the daemon calls
 * hb_membership_set_local_status (m, now, "up", ev). */
HbMembership *hb_membership_new (const HbMembershipParams *params, gint64 now_us, GError **error);
void hb_membership_free (HbMembership *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbMembership, hb_membership_free)

/* Expires everything due at `now_us`, then judges and applies `pkt`.
 * Appends events (HbMemberEvent*) to `events_out` (may be NULL to discard). */
HbMemberVerdict hb_membership_receive (HbMembership *m, gint64 now_us, const HbMemberPacket *pkt,
                                       GPtrArray *events_out);

/* Earliest instant at which hb_membership_tick() has something to do
 * (node/link death, rexmit request, local heartbeat watchdog); G_MAXINT64 if
 * nothing is pending. Changes after every receive/tick/set call, so re-arm the
 * timer after each; it may already be in the past (arm with a zero delay).
 * Ticking at the returned instant always makes progress. */
gint64 hb_membership_next_deadline_us (const HbMembership *m);

/* Processes every deadline <= now_us: nodes dead exactly when
 * now_us >= last status + dead interval (never earlier), links likewise,
 * rexmit requests, comm-up. */
void hb_membership_tick (HbMembership *m, gint64 now_us, GPtrArray *events_out);

/* Local node status ("up" at start, "dead" at shutdown, ...). Emits
 * LOCAL_STATUS (`Local status now set to: 'up'`) and possibly COMM_UP. */
void hb_membership_set_local_status (HbMembership *m, gint64 now_us, const char *status,
                                     GPtrArray *events_out);

/* Call whenever the daemon has sent its own status packet. From the first call
 * on, a gap longer than deadtime between calls (a stalled daemon) yields
 * NO_LOCAL_HEARTBEAT `No local heartbeat. Forcing restart.` once. */
void hb_membership_local_heartbeat (HbMembership *m, gint64 now_us);

/* A peer announced that it left cleanly (its `t=shutdone`; docs/PROTOCOL.md,
 * "Shutdown"): its status becomes `dead` now, with a NODE_STATUS event (`Status
 * update for node X: status dead`) and no NODE_DEAD timeout later, since the
 * takeover logic already handles the shutdown notice. Its next status packet
 * brings it back. FALSE (nothing changes) for an unknown node, the local node
 * or a ping node. */
gboolean hb_membership_node_left (HbMembership *m, gint64 now_us, const char *node,
                                  GPtrArray *events_out);

/* `node` answered our request with `t=NS_nak_rexmit firstseq=<seq>`
 * (docs/PROTOCOL.md, "Retransmission"): stop asking for it. TRUE if it was
 * still missing (the daemon then logs Heartbeat's `Irretrievably lost
 * packet`). */
gboolean hb_membership_rexmit_nak (HbMembership *m, const char *node, guint64 seq);

/* ---- what is known of a peer beyond one HbMembership ----------------------------
 *
 * A reload rebuilds the membership and a restart rebuilds the daemon, but the
 * replay defence must survive both: a packet the peer sent before either is
 * still a replay after it. The daemon reads each peer's record before it
 * drops a membership and seeds the new one with it, and persists the
 * generations in its state directory (a node that restarts knows the
 * generation its peers had when it stopped).
 *
 * Generations are 32-bit (Heartbeat's own field and file hold no more) and
 * move forward by restarts (one per start, file method) or to a fresh
 * time(NULL) (first start, `hbgenmethod time`). A jump of more than
 * HB_MEMBER_GEN_MAX_JUMP past the known generation is refused unless it stays
 * within HB_MEMBER_GEN_CLOCK_SLACK_S of this node's wall clock (set with
 * hb_membership_set_wall_time; 0 = unknown, then only the jump bound holds).
 * Refusing it matters: an accepted generation is a floor, and a forged
 * 0xffffffff would make every genuine packet of the peer a "replay". */
#define HB_MEMBER_GEN_MAX 0xffffffffu
#define HB_MEMBER_GEN_MAX_JUMP 100000u
#define HB_MEMBER_GEN_CLOCK_SLACK_S (24 * 60 * 60)

typedef struct
{
  guint64 gen;        /* last generation seen, 0 = none */
  guint64 last_seq;   /* highest seq accepted in `gen`, 0 = unknown */
  gboolean confirmed; /* a live status packet of `gen` was accepted */
} HbMemberPeerRecord;

/* What this membership knows of normal peer `node`; FALSE for an unknown
 * node, the local node or a ping node. */
gboolean hb_membership_peer_record (const HbMembership *m, const char *node,
                                    HbMemberPeerRecord *record_out);
/* Seeds a fresh membership with a record (call before any receive). A
 * generation below the one already known is ignored, as is anything for an
 * unknown, local or ping node. last_seq 0 leaves sequence tracking empty. */
void hb_membership_seed_peer (HbMembership *m, const char *node, const HbMemberPeerRecord *record);

/* TRUE once live status packets (any `st` but dead) of the peer's current
 * generation were accepted over at least one keepalive (two of them, the
 * later a keepalive or more after the first): only then do its resource
 * messages describe the node that is running now. A replayed message of an
 * earlier run, heard first when we know nothing newer, is not acted upon:
 * the live peer's next status, of a newer run, comes within that keepalive
 * and ends the replayed run. A shutdone (st=dead) of a run not confirmed
 * does not make the node dead. */
gboolean hb_membership_generation_confirmed (const HbMembership *m, const char *node);

/* This node's wall clock in seconds since the epoch (for the generation
 * bound above); the daemon sets it before each receive. */
void hb_membership_set_wall_time (HbMembership *m, gint64 wall_s);

/* ---- queries (cl_status: listnodes, nodestatus, nodetype, listhblinks, hblinkstatus) ---- */

const char *hb_membership_local_node (const HbMembership *m);
const char *hb_membership_local_status (const HbMembership *m);
gboolean hb_membership_comm_is_up (const HbMembership *m);
/* Node names in configuration order (g_strfreev). */
char **hb_membership_list_nodes (const HbMembership *m);
/* Status string, NULL for an unknown node. */
const char *hb_membership_node_status (const HbMembership *m, const char *node);
HbMemberNodeType hb_membership_node_type (const HbMembership *m, const char *node);
/* Link names of `node` (g_strfreev), NULL for an unknown node. */
char **hb_membership_list_links (const HbMembership *m, const char *node);
/* "up" / "dead", NULL for an unknown node or link. */
const char *hb_membership_link_status (const HbMembership *m, const char *node, const char *link);
/* Largest interval seen between two consecutive status packets of `node`
 * (same generation), 0 if none yet: the log hint for tuning deadtime. */
guint64 hb_membership_worst_interval_ms (const HbMembership *m, const char *node);
/* Last generation seen from `node` (0 = none / unknown node). */
guint64 hb_membership_node_generation (const HbMembership *m, const char *node);
/* Dead interval currently applied to `node` in ms (initdead before comm up,
 * else its advertised dt, deadtime or deadping); 0 for an unknown node. */
guint hb_membership_dead_interval_ms (const HbMembership *m, const char *node);

G_END_DECLS
