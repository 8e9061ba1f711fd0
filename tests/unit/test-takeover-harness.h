/* An in-memory two-node lab for the takeover engine: a fake clock, a fake
 * agent runner per node (groups really "run" or not, so tests can ask who
 * serves a VIP), and a wire that carries each engine's SEND_MESSAGE actions to
 * the other engine (or to a scripted Heartbeat 3.0.6-shaped peer). */
#pragma once

#include "takeover.h"

typedef struct
{
  const char *home;
  const char *key;
} TkGroupSpec;

typedef struct _TkLab TkLab;

typedef struct
{
  TkLab *lab;
  char *name;
  HbTakeover *t;            /* NULL: daemon not running (or a scripted peer) */
  gboolean scripted;        /* a fake 3.0.6 peer: its messages come from the test */
  GPtrArray *trace;         /* of char*: every action, as text (see harness.c) */
  GHashTable *actual;       /* keys really running on this node */
  GHashTable *fail_start;   /* key -> resource name whose start fails */
  GHashTable *fail_stop;    /* keys whose stop fails for good */
  gboolean hold_agents;     /* leave agent operations pending */
  GQueue *ops;              /* pending agent operations: "start KEY" ... */
} TkNode;

struct _TkLab
{
  gint64 now;
  HbAutoFailback afb;
  HbConfig config[2];       /* hand-built, one per node */
  TkNode node[2];
  gboolean link_up;
  GQueue *wire;             /* of TkPacket* */
  guint steps;
};

TkLab *lab_new (HbAutoFailback afb, const TkGroupSpec *groups, guint n_groups);
void lab_free (TkLab *lab);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TkLab, lab_free)

/* Daemon lifecycle of node i (0 = node1, 1 = node2). */
void lab_boot (TkLab *lab, guint i);                 /* new + start (probes) */
void lab_comm_up (TkLab *lab, guint i, HbPeerState peer);
void lab_start_both (TkLab *lab);                    /* boot both, comm up, run */
void lab_kill (TkLab *lab, guint i);                 /* kill -9: groups keep running */
void lab_peer_dead (TkLab *lab, guint i);            /* membership of node i: peer dead */
void lab_peer_restarted (TkLab *lab, guint i);       /* membership of node i: peer's new generation */

/* Local commands and events on node i (the actions are executed; run after). */
void lab_shutdown (TkLab *lab, guint i);
gboolean lab_standby (TkLab *lab, guint i, const char *what, GError **error);
gboolean lab_takeover (TkLab *lab, guint i, const char *what, GError **error);
void lab_set_ping (TkLab *lab, guint i, guint reachable, guint total);
void lab_healed (TkLab *lab, guint i);

/* Deliver messages and complete agent operations until nothing moves. */
void lab_run (TkLab *lab);
/* Move the clock, ticking engines at their deadlines, running in between. */
void lab_advance (TkLab *lab, guint ms);

/* Feed node i a message "t=TYPE name=value ..." from its peer (src added). */
void lab_inject (TkLab *lab, guint i, const char *text);
/* Complete the oldest pending agent operation of node i (for hold_agents). */
gboolean lab_complete_op (TkLab *lab, guint i);

/* Who really runs `key`: "node1", "node2", "both" or "none". */
const char *lab_runner (TkLab *lab, const char *key);

/* Trace queries: exact line match. */
gint lab_find (TkLab *lab, guint i, const char *line);
guint lab_count (TkLab *lab, guint i, const char *line);
/* Asserts `line` is in node i's trace; with order, after index *from. */
void lab_expect (TkLab *lab, guint i, const char *line);
void lab_expect_seq (TkLab *lab, guint i, const char *const *lines);
void lab_expect_not (TkLab *lab, guint i, const char *line);
void lab_clear (TkLab *lab);
void lab_dump (TkLab *lab, guint i);
