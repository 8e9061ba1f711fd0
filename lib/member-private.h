/* systole: internals shared by lib/membership.c, member-receive.c,
 * member-tick.c and member-event.c. Not part of the public API. */
#pragma once

#include "membership.h"
#include "seqtrack.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;
  gboolean up;
  gint64 last_us;           /* last packet seen on this link (valid while up) */
} MemberLink;

typedef struct
{
  char *name;
  HbMemberNodeType type;
  gboolean is_local;
  char *status;             /* current status string */
  gboolean heard;           /* any packet accepted since start (comm-up rule) */
  gboolean declared_dead;   /* we timed it out (not: it announced "dead") */
  gboolean have_status;     /* last_status_us is a real status packet of this generation */
  gint64 last_status_us;    /* liveness origin: creation time or last status packet */
  guint64 last_status_seq;
  guint64 gen;              /* last generation seen, 0 = none */
  gboolean confirmed;       /* live statuses of `gen` over a keepalive were accepted */
  gint64 first_live_us;     /* first live status of `gen` (valid if first_live_seq) */
  guint64 first_live_seq;   /* its seq, 0 = none yet */
  guint dt_ms;              /* advertised dead interval (clamped), 0 = none */
  guint dt_clamped_from;    /* last out-of-bounds dt reported, 0 = none */
  guint64 worst_ms;
  HbSeqTrack *seq;
  GPtrArray *links;         /* of MemberLink* */
} MemberNode;

struct _HbMembership
{
  MemberNode *local;
  guint64 local_gen;
  guint64 own_last_seq;     /* highest own seq seen looped back */
  GPtrArray *nodes;         /* of MemberNode*, configuration order */
  GHashTable *by_name;      /* name -> MemberNode* (borrowed) */
  gint64 keepalive_us;
  gint64 deadtime_us;
  gint64 warntime_us;
  gint64 initdead_us;
  gint64 deadping_us;
  guint max_rexmit_delay_ms;
  HbMemberRandomFunc random;
  gpointer random_data;
  GRand *own_rand;          /* used when no random func was given */
  gboolean started;         /* local status has left `init` */
  gboolean comm_up;
  gboolean local_hb_armed;
  gint64 local_hb_us;
  gint64 wall_s;            /* hb_membership_set_wall_time, 0 = unknown */
};

/* Instants are whatever the caller passes as now_us, so arithmetic on them
 * saturates instead of overflowing (UB): a deadline past the end of the
 * gint64 range is G_MAXINT64 ("never before the end of time"), and a clock
 * that stepped back measures an elapsed time of 0, not 2^64 - x. */
static inline gint64
hb_member_time_add (gint64 t, gint64 delta)
{
  return t > G_MAXINT64 - delta ? G_MAXINT64 : t + delta;
}

static inline guint64
hb_member_elapsed_us (gint64 now_us, gint64 then_us)
{
  return now_us > then_us ? (guint64) now_us - (guint64) then_us : 0;
}

static inline guint64
hb_member_elapsed_ms (gint64 now_us, gint64 then_us)
{
  return hb_member_elapsed_us (now_us, then_us) / G_TIME_SPAN_MILLISECOND;
}

/* membership.c */
MemberNode *hb_member_find (const HbMembership *m, const char *name);
MemberLink *hb_member_find_link (const MemberNode *node, const char *link);
gint64 hb_member_dead_interval_us (const HbMembership *m, const MemberNode *node);
gboolean hb_member_status_is_live (const char *status);
void hb_member_set_status (MemberNode *node, const char *status, GPtrArray *out);
void hb_member_check_comm_up (HbMembership *m, GPtrArray *out);

/* member-peer.c */
gboolean hb_member_generation_plausible (const HbMembership *m, const MemberNode *node, guint64 gen);

/* member-tick.c */
void hb_member_expire (HbMembership *m, gint64 now_us, GPtrArray *out);

/* member-event.c: every constructor appends to `out` (NULL = discard) and
 * returns the event (NULL when discarded) so callers can fill extra fields. */
HbMemberEvent *hb_member_emit (GPtrArray *out, HbMemberEventType type, HbMemberSeverity severity,
                               const MemberNode *node, const char *fmt, ...) G_GNUC_PRINTF (5, 6);

G_END_DECLS
