/* systole: who holds which resource group — the pure takeover engine.
 *
 * HbTakeover decides; it never runs an agent, sends a packet or reads a clock.
 * The daemon feeds it events (membership, peer messages, local commands, agent
 * results, timer expiry) with the current monotonic time, and executes the
 * actions it appends to a GPtrArray (start/stop/probe a group, send a message,
 * log a line, re-send gratuitous ARP, self-fence, shutdown complete).
 *
 * Protocol: Heartbeat 3.0.6 haresources mode, docs/PROTOCOL.md, "Resource management", so
 * that a mixed cluster with a real 3.0.6 node hands groups over both ways.
 * Two-node clusters (the only kind haresources mode supports sensibly): the
 * peer is the first `node` of ha.cf that is not us.
 *
 * Message conventions (the daemon converts HbMsg <-> HbTakeoverMsg):
 *   - an HbTakeoverMsg is the `t` value plus the other string fields in order;
 *     outgoing messages never carry `src` (the daemon adds src, seq, hg, ...);
 *     incoming messages must carry `src`.
 *   - do NOT feed our own broadcast messages back: the engine applies the
 *     effect of what it sends itself (Heartbeat relies on loopback delivery of
 *     its own `ask_resources`/`resource`; we do the same steps in-process).
 *     A message whose src is the local node is ignored.
 *   - systole extensions, ignored by Heartbeat 3.0.6 (it only exports unknown
 *     fields as HA_* variables to rc.d scripts), appended after the standard
 *     fields of `resource`:
 *       held_keys=K1 K2      group keys this node holds (space separated;
 *                            omitted when none).  Without it (a 3.0.6 peer)
 *                            holdings come from the rsc_hold class bits.
 *       takeover_keys=K1 ... groups it took over from a dead peer since it last
 *                            saw that peer (omitted when none): split brain rule.
 *       ping=R/T             R of its T ping nodes reachable (omitted when T=0):
 *                            the ipfail-like rule.
 *   - a `dest` field (ip-request-resp) names the addressee; Heartbeat still
 *     broadcasts such messages, and so may the daemon.
 *
 * Messages (fields in wire order after t; docs/PROTOCOL.md, "Resource
 * management", and the 3.0.6 capture in tests/data/takeover):
 *   starting                                        comm up (on/off)
 *   resource rsc_hold=H rtype=full isstable=0|1 [info=I] [held_keys] [takeover_keys] [ping]
 *            I: req_our_resources() | standby | shutdown | restart (ours)
 *   resource rsc_hold=foreign info=mach_down        after a takeover (partial update)
 *   ask_resources rsc_hold=X info=me|other|done     standby phases, X from the
 *                                                   requester's point of view
 *   hb_takeover rsc_hold=all|local|foreign          we send `failback` as `local`;
 *                                                   a received `failback` = local
 *   shutdone st=dead                                all groups released
 *   ip-request ipaddr=KEY                           legacy: give me KEY
 *   ip-request-resp dest=N ipaddr=KEY weown=yes|no ok=OK
 * hb_takeover mapping on the receiving node (it runs hb_standby Y):
 *   all->all, local->foreign, foreign->local, failback->foreign
 *   (3.0.6 maps failback->all; "failback" means: the sender takes back the
 *   groups whose home it is, i.e. we give up our foreign groups).
 *
 * Usage sketch (heartbeat/ daemon):
 *
 *   g_autoptr (HbTakeover) t = hb_takeover_new (config, NULL);
 *   g_autoptr (GPtrArray) acts = hb_takeover_actions_new ();
 *   hb_takeover_start (t, now, acts);            // PROBE_GROUP each group
 *   execute (acts);                              // runner: status; later
 *   hb_takeover_group_probed (t, now, key, running, acts, &error);
 *   ... membership: comm up ...
 *   hb_takeover_comm_up (t, now, HB_PEER_ALIVE, acts);
 *   ... on every HbMsg of a takeover type from the peer ...
 *   msg = hb_takeover_msg_new (t_field); add every other string field;
 *   if (!hb_takeover_receive (t, now, msg, acts, &error)) log error->message;
 *   ... runner results: hb_takeover_group_started / _stopped ...
 *   ... membership: hb_takeover_peer_dead / _peer_restarted / _partition_healed
 *   ... API socket: hb_takeover_standby / _takeover, cl_status: _rscstatus
 *   ... SIGTERM: hb_takeover_shutdown; exit after SHUTDOWN_COMPLETE
 *   ... arm one timer at hb_takeover_next_deadline (t); on expiry _tick.
 *   execute (acts) after each call: START/STOP/PROBE -> runner, SEND_MESSAGE ->
 *   encode names/values in order after t (the daemon adds src, seq, ...),
 *   LOG -> log module, RESEND_ARP -> send_arp for the group's addresses,
 *   SELF_FENCE -> the configured fence command, SHUTDOWN_COMPLETE -> exit.
 */
#pragma once

#include <glib.h>

#include "config.h"

G_BEGIN_DECLS

#define HB_TAKEOVER_ERROR (hb_takeover_error_quark ())
GQuark hb_takeover_error_quark (void);

typedef enum
{
  HB_TAKEOVER_ERROR_UNKNOWN_GROUP,  /* a result or request names no group of haresources */
  HB_TAKEOVER_ERROR_UNEXPECTED,     /* a result for an operation that is not in flight */
  HB_TAKEOVER_ERROR_BAD_MESSAGE,    /* a peer message without a required field / bad value */
  HB_TAKEOVER_ERROR_BAD_ARGUMENT,   /* hb_standby / hb_takeover argument */
  HB_TAKEOVER_ERROR_REFUSED,        /* command not possible now (legacy, shutdown) */
} HbTakeoverError;

/* ---- resource classes (rsc_hold; docs/PROTOCOL.md, "Messages and fields") ---- */

/* Bits, as Heartbeat encodes them: local = groups whose home is the sender. */
typedef enum
{
  HB_RSC_NONE = 0,
  HB_RSC_LOCAL = 1,
  HB_RSC_FOREIGN = 2,
  HB_RSC_ALL = 3,
} HbRsc;

/* "none" / "local" / "foreign" / "all". */
const char *hb_rsc_to_string (HbRsc rsc);
/* Parses the four names; FALSE for anything else. */
gboolean hb_rsc_from_string (const char *text, HbRsc *rsc_out);

/* ---- messages ----------------------------------------------------------------- */

typedef struct
{
  char *type;          /* the `t` field */
  GPtrArray *names;    /* of char*, field names in wire order (without t) */
  GPtrArray *values;   /* of char*, same length */
} HbTakeoverMsg;

HbTakeoverMsg *hb_takeover_msg_new (const char *type);
void hb_takeover_msg_free (HbTakeoverMsg *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbTakeoverMsg, hb_takeover_msg_free)
/* Appends a field (a later field of the same name does not replace an earlier). */
void hb_takeover_msg_add (HbTakeoverMsg *msg, const char *name, const char *value);
/* First value of `name`, or NULL. */
const char *hb_takeover_msg_get (const HbTakeoverMsg *msg, const char *name);
/* "t=resource rsc_hold=none rtype=full isstable=0" (logs and tests). */
char *hb_takeover_msg_to_string (const HbTakeoverMsg *msg);

/* ---- actions ----------------------------------------------------------------- */

typedef enum
{
  HB_TAKEOVER_START_GROUP,    /* group: start its resources left to right */
  HB_TAKEOVER_STOP_GROUP,     /* group: stop right to left, retrying */
  HB_TAKEOVER_PROBE_GROUP,    /* group: status of its resources (startup) */
  HB_TAKEOVER_SEND_MESSAGE,   /* msg: broadcast (a `dest` field names one node) */
  HB_TAKEOVER_LOG,            /* level + text: one log line, exact Heartbeat text */
  HB_TAKEOVER_SELF_FENCE,     /* group + text: a resource cannot be stopped: reboot */
  HB_TAKEOVER_RESEND_ARP,     /* group: the keeper after split brain re-announces */
  HB_TAKEOVER_SHUTDOWN_COMPLETE, /* everything released and shutdone sent */
} HbTakeoverActionType;

/* Heartbeat's prefixes: "debug:", "info:", "WARN:", "ERROR:", "CRIT:". */
typedef enum
{
  HB_TAKEOVER_LOG_DEBUG,
  HB_TAKEOVER_LOG_INFO,
  HB_TAKEOVER_LOG_WARN,
  HB_TAKEOVER_LOG_ERROR,
  HB_TAKEOVER_LOG_CRIT,
} HbTakeoverLogLevel;

typedef struct
{
  HbTakeoverActionType type;
  char *group;              /* START/STOP/PROBE/SELF_FENCE/RESEND_ARP */
  HbTakeoverMsg *msg;       /* SEND_MESSAGE */
  HbTakeoverLogLevel level; /* LOG */
  char *text;               /* LOG, SELF_FENCE */
} HbTakeoverAction;

void hb_takeover_action_free (HbTakeoverAction *action);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbTakeoverAction, hb_takeover_action_free)
/* An empty array that frees its actions. */
GPtrArray *hb_takeover_actions_new (void);
const char *hb_takeover_action_type_to_string (HbTakeoverActionType type);
const char *hb_takeover_log_level_to_string (HbTakeoverLogLevel level);

/* ---- the engine --------------------------------------------------------------- */

typedef struct _HbTakeover HbTakeover;

typedef struct
{
  guint standby_reply_timeout_ms;  /* 0 = 10 s (STANDBY_INIT_TO_MS) */
  guint standby_timeout_ms;        /* 0 = 1 h (HB_STANDBY_RSC_TO_MS) */
  guint request_delay_ms;          /* 0 = 10 s (RQSTDELAY) */
  guint failback_retry_ms;         /* 0 = 1 s ("Auto failback delayed.") */
} HbTakeoverOptions;

/* What membership knows about the peer when comm comes up. */
typedef enum
{
  HB_PEER_UNKNOWN,   /* not heard yet: wait for its messages or its death */
  HB_PEER_ALIVE,
  HB_PEER_DEAD,
} HbPeerState;

/* Who holds a group, as this node believes. */
typedef enum
{
  HB_HOLDER_NONE,
  HB_HOLDER_LOCAL,
  HB_HOLDER_PEER,
  HB_HOLDER_BOTH,        /* split brain, until healed */
  HB_HOLDER_TRANSITION,  /* an operation is in flight here */
} HbHolder;

/* The local state of a group. */
typedef enum
{
  HB_GROUP_UNKNOWN,      /* not probed yet */
  HB_GROUP_PROBING,
  HB_GROUP_STOPPED,
  HB_GROUP_STARTING,
  HB_GROUP_RUNNING,
  HB_GROUP_STOPPING,
  HB_GROUP_UNSTOPPABLE,  /* final stop failure: held forever, self-fence issued */
} HbGroupState;

const char *hb_holder_to_string (HbHolder holder);
const char *hb_group_state_to_string (HbGroupState state);

/* Copies what it needs from `config` (local_node, nodes, groups, auto_failback):
 * the configuration may be freed afterwards. NULL options = defaults. */
HbTakeover *hb_takeover_new (const HbConfig *config, const HbTakeoverOptions *options);
void hb_takeover_free (HbTakeover *takeover);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbTakeover, hb_takeover_free)

/* Daemon start: PROBE_GROUP for every group (restart reconciliation) and the
 * legacy deprecation warnings. Acquisition waits for every probe result.
 * comm_up calls it if the daemon did not. Only the first call counts. */
void hb_takeover_start (HbTakeover *takeover, gint64 now_us, GPtrArray *actions);

/* Membership events. comm_up: once per daemon life (later calls are ignored).
 * peer_dead: the peer missed deadtime (or initdead) — takeover (mach_down).
 * peer_restarted: a new generation of the peer was seen (it will send
 * `starting`). partition_healed: a peer we declared dead is heard again with
 * the same generation (split brain: both sides exchange holdings, one keeps
 * each duplicated group). A `resource` from a peer believed dead counts as a
 * heal too. */
void hb_takeover_comm_up (HbTakeover *takeover, gint64 now_us, HbPeerState peer,
                          GPtrArray *actions);
void hb_takeover_peer_dead (HbTakeover *takeover, gint64 now_us, GPtrArray *actions);
void hb_takeover_peer_restarted (HbTakeover *takeover, gint64 now_us, GPtrArray *actions);
void hb_takeover_partition_healed (HbTakeover *takeover, gint64 now_us, GPtrArray *actions);

/* A message from the peer (src set). FALSE + error for malformed input (the
 * state is unchanged); unknown types are ignored (TRUE). */
gboolean hb_takeover_receive (HbTakeover *takeover, gint64 now_us, const HbTakeoverMsg *msg,
                              GPtrArray *actions, GError **error);

/* Local commands. `what` is all|local|foreign|failback (NULL = all). */
void hb_takeover_shutdown (HbTakeover *takeover, gint64 now_us, GPtrArray *actions);
gboolean hb_takeover_standby (HbTakeover *takeover, gint64 now_us, const char *what,
                              GPtrArray *actions, GError **error);
gboolean hb_takeover_takeover (HbTakeover *takeover, gint64 now_us, const char *what,
                               GPtrArray *actions, GError **error);

/* Agent results. `failed_resource` names the resource whose start failed
 * (the runner already stopped nothing: the engine asks for the group stop). */
gboolean hb_takeover_group_started (HbTakeover *takeover, gint64 now_us, const char *key,
                                    gboolean ok, const char *failed_resource,
                                    GPtrArray *actions, GError **error);
/* ok = FALSE only after the runner's retries (docs/PROTOCOL.md, "Group start
 * and stop") failed and status still says the resource runs: the group
 * becomes UNSTOPPABLE. */
gboolean hb_takeover_group_stopped (HbTakeover *takeover, gint64 now_us, const char *key,
                                    gboolean ok, GPtrArray *actions, GError **error);
gboolean hb_takeover_group_probed (HbTakeover *takeover, gint64 now_us, const char *key,
                                   gboolean running, GPtrArray *actions, GError **error);

/* Ping nodes: own reachability (total = configured ping nodes and groups). */
void hb_takeover_set_ping (HbTakeover *takeover, gint64 now_us, guint reachable, guint total,
                           GPtrArray *actions);

/* Timers: call tick when now >= next_deadline (G_MAXINT64 = none). */
void hb_takeover_tick (HbTakeover *takeover, gint64 now_us, GPtrArray *actions);
gint64 hb_takeover_next_deadline (const HbTakeover *takeover);

/* Queries. */
const char *hb_takeover_rscstatus (const HbTakeover *takeover); /* cl_status rscstatus */
HbHolder hb_takeover_group_holder (const HbTakeover *takeover, const char *key);
HbGroupState hb_takeover_group_state (const HbTakeover *takeover, const char *key);
gboolean hb_takeover_is_stable (const HbTakeover *takeover);

G_END_DECLS
