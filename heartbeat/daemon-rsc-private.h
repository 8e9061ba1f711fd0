/* systole: what daemon-rsc.c (engine side) and daemon-rsc-run.c (runner
 * side) share. Not for use outside resource management. */
#pragma once

#include "daemon-rsc.h"

G_BEGIN_DECLS

struct _HbResMgr
{
  HbDaemon *daemon;         /* owner */
  HbTakeover *engine;
  HbRunner *runner;
  GPtrArray *groups;        /* of HbResourceGroup*, copied at start (a reload keeps them) */
  GHashTable *cleanup;      /* keys whose startup probe found SOME: stopping before reporting */
  GHashTable *rolled_back;  /* key -> GINT (stop ok + 1): the runner stopped it after a failed start */
  GHashTable *answers;      /* key -> GINT (ok + 1): stop results to report from the idle source */
  GSource *answer_source;
  char *peer;               /* the engine's peer: first normal node that is not us */
  char *fence_command;
  guint shutdown_timeout_ms;
  guint ping_reachable, ping_total;
  gint64 lost_at_us;        /* when the peer was declared dead / sent shutdone; 0 = no */
  const char *lost_how;     /* which of the two, for the takeover timing line */
  GSource *timer;           /* at hb_takeover_next_deadline */
  GSource *shutdown_timer;
};

/* daemon-rsc.c */
void hb_resmgr_execute (HbResMgr *rsc, GPtrArray *actions);
void hb_resmgr_log_takeover_time (HbResMgr *rsc, const char *key);
void hb_resmgr_clear_source (GSource **source);

/* daemon-rsc-run.c */
HbResourceGroup *hb_resmgr_group_copy (const HbResourceGroup *src);
void hb_resmgr_group_free (HbResourceGroup *group);
const HbResourceGroup *hb_resmgr_find_group (HbResMgr *rsc, const char *key);
/* START/STOP/PROBE_GROUP actions. */
void hb_resmgr_act_group (HbResMgr *rsc, const HbTakeoverAction *action);
HbRunner *hb_resmgr_runner_new (HbResMgr *rsc, const HbRscOptions *options, const char *rsctmp);

G_END_DECLS
