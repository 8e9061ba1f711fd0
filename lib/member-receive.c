/* systole: judging and applying one received packet. See membership.h.
 *
 * The order of checks follows HB3 heartbeat.c should_drop_message and
 * HBDoMsg_T_STATUS as summarised in docs/PROTOCOL.md, "Sequencing" and
 * "Liveness and dead detection":
 * NS_* dest filter, seq/hg presence, replay (lower hg), restart (higher hg),
 * partition heal, sequence tracking, then the status itself.
 */
#include "member-private.h"

#include <string.h>

static gboolean
addressed_elsewhere (const HbMembership *m, const HbMemberPacket *pkt)
{
  return pkt->dest != NULL && strcmp (pkt->dest, m->local->name) != 0;
}

/* Any packet, duplicates included, refreshes its link; the first packet on a
 * dead link brings it up (docs/PROTOCOL.md, "Liveness and dead detection"). */
static void
refresh_link (MemberNode *node, const char *link_name, gint64 now_us, GPtrArray *out)
{
  MemberLink *link = hb_member_find_link (node, link_name);
  HbMemberEvent *ev;

  if (link == NULL)
    {
      return;
    }
  link->last_us = now_us;
  if (link->up)
    {
      return;
    }
  link->up = TRUE;
  ev = hb_member_emit (out, HB_MEMBER_EVENT_LINK_UP, HB_MEMBER_SEVERITY_INFO, node,
                       "Link %s:%s up.", node->name, link->name);
  if (ev != NULL)
    {
      ev->link = g_strdup (link->name);
      ev->status = g_strdup (HB_LINK_STATUS_UP);
    }
}

static void
emit_replay (MemberNode *node, guint64 gen, guint64 curgen, GPtrArray *out)
{
  HbMemberEvent *ev;

  ev = hb_member_emit (out, HB_MEMBER_EVENT_REPLAY, HB_MEMBER_SEVERITY_ERROR, node,
                       "should_drop_message: attempted replay attack [%s]? "
                       "[gen = %" G_GUINT64_FORMAT ", curgen = %" G_GUINT64_FORMAT "]",
                       node->name, gen, curgen);
  if (ev != NULL)
    {
      ev->gen = gen;
      ev->old_gen = curgen;
    }
}

/* Our own packets come back on broadcast media: they say nothing about peers. */
static HbMemberVerdict
receive_own (HbMembership *m, gint64 now_us, const HbMemberPacket *pkt, GPtrArray *out)
{
  if (!pkt->is_ns && m->local_gen != 0 && pkt->has_gen && pkt->gen != m->local_gen)
    {
      emit_replay (m->local, pkt->gen, m->local_gen, out);
      return HB_MEMBER_DROP_REPLAY;
    }
  if (addressed_elsewhere (m, pkt))
    {
      return HB_MEMBER_DROP_NOT_FOR_US;
    }
  if (!pkt->is_ns && pkt->has_seq)
    {
      /* Several media loop the same packet back: only the first copy counts. */
      if (pkt->seq <= m->own_last_seq)
        {
          return HB_MEMBER_DUPLICATE;
        }
      m->own_last_seq = pkt->seq;
    }
  if (pkt->is_status)
    {
      hb_membership_local_heartbeat (m, now_us);
    }
  return HB_MEMBER_OWN;
}

/* A node heard for the first time before any status of it arrived: its
 * liveness clock starts at this packet, not at our start. Otherwise a node
 * whose first packet is not a status (an NS_ message, a resource message)
 * brings comm up, which shortens initdead to deadtime, and is declared dead
 * on the spot when we started more than a deadtime ago: a live peer taken for
 * dead, its groups taken over (docs/PROTOCOL.md, "Liveness and dead
 * detection"). */
static void
mark_heard (MemberNode *node, gint64 now_us)
{
  if (!node->heard && !node->have_status && now_us > node->last_status_us)
    {
      node->last_status_us = now_us;
    }
  node->heard = TRUE;
}

/* A ping node has no seq or hg: every echo is a sign of life (docs/PROTOCOL.md, "Ping nodes"). */
static HbMemberVerdict
receive_ping (MemberNode *node, gint64 now_us, GPtrArray *out)
{
  refresh_link (node, node->name, now_us, out);
  if (node->have_status)
    {
      guint64 iv_ms = hb_member_elapsed_ms (now_us, node->last_status_us);

      node->worst_ms = MAX (node->worst_ms, iv_ms);
    }
  node->heard = TRUE;
  node->have_status = TRUE;
  node->declared_dead = FALSE;
  node->last_status_us = now_us;
  hb_member_set_status (node, HB_NODE_STATUS_PING, out);
  return HB_MEMBER_PROCESS;
}

/* A higher generation means the peer restarted: forget its seqs (docs/PROTOCOL.md, "Generations").
 * The first generation of a node we never heard is no restart (Heartbeat
 * logs nothing), unless we declared it dead meanwhile: it started behind a
 * partition and may hold groups, so the event goes out, at debug severity
 * (Heartbeat logs nothing there either; a debug level shows it). */
static void
restart_node (MemberNode *node, const HbMemberPacket *pkt, GPtrArray *out)
{
  HbMemberEvent *ev = NULL;

  if (node->gen != 0)
    {
      ev = hb_member_emit (out, HB_MEMBER_EVENT_NODE_RESTART, HB_MEMBER_SEVERITY_INFO, node,
                           "Heartbeat restart on node %s", node->name);
    }
  else if (node->declared_dead)
    {
      ev = hb_member_emit (out, HB_MEMBER_EVENT_NODE_RESTART, HB_MEMBER_SEVERITY_DEBUG, node,
                           "First heartbeat from node %s (generation %" G_GUINT64_FORMAT
                           ") after it was declared dead: it started behind a partition",
                           node->name, pkt->gen);
    }
  if (ev != NULL)
    {
      ev->gen = pkt->gen;
      ev->old_gen = node->gen;
    }
  node->gen = pkt->gen;
  node->confirmed = FALSE; /* the new run has to show it is live */
  node->first_live_seq = 0;
  hb_seqtrack_reset (node->seq);
  node->have_status = FALSE; /* no late-heartbeat interval across a restart */
  node->last_status_seq = 0;
  /* A new generation explains the silence: whatever packet shows it first
   * (its status may have been lost), the node restarted; it does not return
   * from a partition (docs/PROTOCOL.md, "Generations"), so its next status
   * must not look like one. */
  node->declared_dead = FALSE;
}

/* A generation no Heartbeat node sends (see hb_member_generation_plausible):
 * dropped without touching the node, so it cannot become the replay floor. */
static void
emit_bad_generation (MemberNode *node, guint64 gen, GPtrArray *out)
{
  HbMemberEvent *ev;

  ev = hb_member_emit (out, HB_MEMBER_EVENT_BAD_GENERATION, HB_MEMBER_SEVERITY_ERROR, node,
                       "Dropped packet from node %s: implausible generation %" G_GUINT64_FORMAT
                       " (last known %" G_GUINT64_FORMAT ")",
                       node->name, gen, node->gen);
  if (ev != NULL)
    {
      ev->gen = gen;
      ev->old_gen = node->gen;
    }
}

static void
heal_partition (MemberNode *node, const HbMemberPacket *pkt, GPtrArray *out)
{
  HbMemberEvent *ev = hb_member_emit (out, HB_MEMBER_EVENT_PARTITION_HEALED,
                                      HB_MEMBER_SEVERITY_CRIT, node,
                                      "Cluster node %s returning after partition.", node->name);
  if (ev != NULL)
    {
      ev->gen = pkt->gen;
      ev->seq = pkt->seq;
    }
}

static void
schedule_gap (HbMembership *m, MemberNode *node, const HbSeqInfo *info, gint64 now_us)
{
  guint hi = m->max_rexmit_delay_ms;
  guint lo = hi < 100 ? 0 : 50; /* [50, max] or [0, max]: docs/PROTOCOL.md, "Retransmission" */

  for (guint64 i = 0; i < info->n_recorded; i++)
    {
      guint delay_ms = m->random != NULL ? m->random (lo, hi, m->random_data)
                                         : (guint) g_rand_int_range (m->own_rand, (gint32) lo,
                                                                     (gint32) hi + 1);

      delay_ms = CLAMP (delay_ms, lo, hi);
      hb_seqtrack_schedule (node->seq, info->first_missing + i,
                            hb_member_time_add (now_us, (gint64) delay_ms * G_TIME_SPAN_MILLISECOND));
    }
}

static void
emit_lost (MemberNode *node, guint64 seq, const HbSeqInfo *info, GPtrArray *out)
{
  HbMemberEvent *ev;

  ev = hb_member_emit (out, HB_MEMBER_EVENT_LOST_PACKETS, HB_MEMBER_SEVERITY_WARNING, node,
                       "%" G_GUINT64_FORMAT " lost packet(s) for [%s] [%" G_GUINT64_FORMAT
                       ":%" G_GUINT64_FORMAT "]",
                       info->n_lost, node->name, info->last_before, seq);
  if (ev != NULL)
    {
      ev->seq = seq;
      ev->count = info->n_lost;
    }
}

/* Runs the sequence tracker and emits what it found. FALSE: drop with *verdict. */
static gboolean
track_seq (HbMembership *m, MemberNode *node, const HbMemberPacket *pkt, gint64 now_us,
           HbSeqVerdict *sv, HbMemberVerdict *verdict, GPtrArray *out)
{
  HbSeqInfo info;
  HbMemberEvent *ev;

  *sv = hb_seqtrack_receive (node->seq, pkt->seq, &info);
  switch (*sv)
    {
    case HB_SEQ_ACCEPT:
      return TRUE;
    case HB_SEQ_ACCEPT_GAP:
      emit_lost (node, pkt->seq, &info, out);
      schedule_gap (m, node, &info, now_us);
      return TRUE;
    case HB_SEQ_ACCEPT_RESET:
      emit_lost (node, pkt->seq, &info, out);
      ev = hb_member_emit (out, HB_MEMBER_EVENT_LOST_MANY, HB_MEMBER_SEVERITY_WARNING, node,
                           "lost a lot of packets!");
      if (ev != NULL)
        {
          ev->seq = pkt->seq;
          ev->count = info.n_lost;
        }
      return TRUE;
    case HB_SEQ_ACCEPT_FILLED:
      if (info.now_complete)
        {
          ev = hb_member_emit (out, HB_MEMBER_EVENT_GAP_FILLED, HB_MEMBER_SEVERITY_INFO, node,
                               "No pkts missing from %s!", node->name);
          if (ev != NULL)
            {
              ev->seq = pkt->seq;
            }
        }
      return TRUE;
    case HB_SEQ_DUPLICATE:
      *verdict = HB_MEMBER_DUPLICATE;
      return FALSE;
    case HB_SEQ_OLD:
    default:
      *verdict = HB_MEMBER_DROP_OLD;
      return FALSE;
    }
}

/* Late heartbeat (docs/PROTOCOL.md, "Liveness and dead detection"): measured
 * between consecutive status packets. The CRIT
 * form also covers a node we already declared dead, so the two never disagree
 * when the interval equals the dead interval to the millisecond. */
static void
check_late (const HbMembership *m, MemberNode *node, guint64 iv_ms, gboolean was_dead,
            GPtrArray *out)
{
  guint64 deadtime_ms = node->dt_ms != 0 ? node->dt_ms
                                         : (guint64) (m->deadtime_us / G_TIME_SPAN_MILLISECOND);
  guint64 warntime_ms = (guint64) (m->warntime_us / G_TIME_SPAN_MILLISECOND);
  HbMemberEvent *ev = NULL;

  if (iv_ms > deadtime_ms || was_dead)
    {
      ev = hb_member_emit (out, HB_MEMBER_EVENT_NODE_LATE, HB_MEMBER_SEVERITY_CRIT, node,
                           "Late heartbeat: Node %s: interval %" G_GUINT64_FORMAT
                           " ms (> deadtime)",
                           node->name, iv_ms);
    }
  else if (warntime_ms != 0 && iv_ms > warntime_ms)
    {
      ev = hb_member_emit (out, HB_MEMBER_EVENT_NODE_LATE, HB_MEMBER_SEVERITY_WARNING, node,
                           "Late heartbeat: Node %s: interval %" G_GUINT64_FORMAT " ms",
                           node->name, iv_ms);
    }
  if (ev != NULL)
    {
      ev->interval_ms = iv_ms;
    }
}

/* A run is confirmed live by its status packets over one keepalive: the
 * first live one, then a later one at least a keepalive after it. A replay
 * of an earlier run heard first (our start, nothing known) would have to be
 * paced like the real peer, whose own next status, of a newer generation,
 * arrives within that keepalive and ends the replayed run. */
static void
confirm_run (const HbMembership *m, MemberNode *node, const HbMemberPacket *pkt, gint64 now_us)
{
  if (node->confirmed || (pkt->status != NULL && strcmp (pkt->status, HB_NODE_STATUS_DEAD) == 0))
    {
      return;
    }
  if (node->first_live_seq == 0)
    {
      node->first_live_seq = pkt->seq;
      node->first_live_us = now_us;
    }
  else if (pkt->seq > node->first_live_seq
           && hb_member_elapsed_us (now_us, node->first_live_us) >= (guint64) m->keepalive_us)
    {
      node->confirmed = TRUE;
    }
}

/* The dead interval to use for an advertised `dt` (0 = none): clamped into
 * the bounds of membership.h, saying so once per out-of-bounds value. */
static guint
bounded_dt (const HbMembership *m, MemberNode *node, guint dt_ms, GPtrArray *out)
{
  guint64 lo = (guint64) (m->deadtime_us / G_TIME_SPAN_MILLISECOND);
  guint64 hi = MAX (lo * HB_MEMBER_DT_MAX_FACTOR, lo + HB_MEMBER_DT_STARTUP_EXTRA_MS);
  guint64 used = CLAMP ((guint64) dt_ms, lo, hi);
  HbMemberEvent *ev;

  if (dt_ms == 0 || used == dt_ms)
    {
      node->dt_clamped_from = 0;
      return dt_ms;
    }
  if (node->dt_clamped_from != dt_ms)
    {
      node->dt_clamped_from = dt_ms;
      ev = hb_member_emit (out, HB_MEMBER_EVENT_DT_CLAMPED, HB_MEMBER_SEVERITY_WARNING, node,
                           "node %s advertises a dead interval of %u ms (dt); using %"
                           G_GUINT64_FORMAT " ms (bounds %" G_GUINT64_FORMAT "..%"
                           G_GUINT64_FORMAT " ms from our deadtime)",
                           node->name, dt_ms, used, lo, hi);
      if (ev != NULL)
        {
          ev->interval_ms = used;
        }
    }
  return (guint) used;
}

static void
apply_status (HbMembership *m, MemberNode *node, const HbMemberPacket *pkt, gint64 now_us,
              GPtrArray *out)
{
  const char *status = pkt->status;

  if (node->have_status)
    {
      guint64 iv_ms = hb_member_elapsed_ms (now_us, node->last_status_us);

      node->worst_ms = MAX (node->worst_ms, iv_ms);
      check_late (m, node, iv_ms, node->declared_dead, out);
    }
  node->have_status = TRUE;
  node->last_status_us = now_us;
  node->last_status_seq = pkt->seq;
  node->dt_ms = bounded_dt (m, node, pkt->dt_ms, out);
  node->declared_dead = FALSE;
  confirm_run (m, node, pkt, now_us);
  if (status == NULL)
    {
      /* No `st`: keep what we knew, but a status packet proves life. */
      status = (strcmp (node->status, HB_NODE_STATUS_INIT) == 0
                || strcmp (node->status, HB_NODE_STATUS_DEAD) == 0)
                 ? HB_NODE_STATUS_UP
                 : node->status;
    }
  hb_member_set_status (node, status, out);
}

static HbMemberVerdict
receive_peer (HbMembership *m, MemberNode *node, gint64 now_us, const HbMemberPacket *pkt,
              GPtrArray *out)
{
  HbMemberVerdict verdict = HB_MEMBER_PROCESS;
  HbSeqVerdict sv;
  gboolean returning;

  if (pkt->is_ns)
    {
      /* NS_* messages carry no seq; only the destination matters
       * (docs/PROTOCOL.md, "Sequence numbers"). */
      refresh_link (node, pkt->link, now_us, out);
      mark_heard (node, now_us);
      return addressed_elsewhere (m, pkt) ? HB_MEMBER_DROP_NOT_FOR_US : HB_MEMBER_PROCESS;
    }
  if (!pkt->has_seq || !pkt->has_gen || pkt->seq == 0)
    {
      refresh_link (node, pkt->link, now_us, out);
      hb_member_emit (out, HB_MEMBER_EVENT_BAD_SEQ, HB_MEMBER_SEVERITY_ERROR, node,
                      "should_drop_message: bad sequence number from %s", node->name);
      return HB_MEMBER_DROP_BAD_SEQ;
    }
  if (pkt->gen < node->gen)
    {
      emit_replay (node, pkt->gen, node->gen, out);
      return HB_MEMBER_DROP_REPLAY;
    }
  if (!hb_member_generation_plausible (m, node, pkt->gen))
    {
      emit_bad_generation (node, pkt->gen, out);
      return HB_MEMBER_DROP_BAD_GEN;
    }
  refresh_link (node, pkt->link, now_us, out);
  if (pkt->gen > node->gen)
    {
      /* HB3 resets only on status packets; we reset on any packet of the new
       * generation so a restarted peer's first message is not dropped as old. */
      restart_node (node, pkt, out);
    }
  /* Same generation (a restart cleared declared_dead and have_status),
   * newer than its last status: it was alive behind a partition, if this
   * status turns out to be fresh. Also after its own `st=dead` (a shutdone):
   * a live status of the same run means the notice was not true, which
   * Heartbeat treats as a return after partition too (docs/PROTOCOL.md,
   * "Generations": same generation from a node we consider dead). */
  returning = pkt->is_status && pkt->seq > node->last_status_seq
              && (node->declared_dead
                  || (node->have_status && strcmp (node->status, HB_NODE_STATUS_DEAD) == 0
                      && g_strcmp0 (pkt->status, HB_NODE_STATUS_DEAD) != 0));
  if (!track_seq (m, node, pkt, now_us, &sv, &verdict, out))
    {
      return verdict; /* an old or duplicate packet proves nothing */
    }
  if (pkt->is_status && !node->confirmed && g_strcmp0 (pkt->status, HB_NODE_STATUS_DEAD) == 0)
    {
      /* st=dead (a shutdone) from a run not confirmed live: most likely a
       * replay of an earlier run heard before the live one. It must not make
       * the node dead (and its groups ours), nor count as hearing it (comm
       * up would shorten initdead to deadtime): the node stays as it was,
       * and dies at its dead interval if it is dead. */
      return addressed_elsewhere (m, pkt) ? HB_MEMBER_DROP_NOT_FOR_US : HB_MEMBER_PROCESS;
    }
  mark_heard (node, now_us);
  if (pkt->is_status && sv != HB_SEQ_ACCEPT_FILLED)
    {
      /* A gap filler is a late copy of an old status, no sign of life now:
       * it neither heals the partition nor uses up the report of the
       * status that will. */
      if (returning)
        {
          heal_partition (node, pkt, out);
        }
      apply_status (m, node, pkt, now_us, out);
    }
  /* Messages for another node are tracked, then dropped (docs/PROTOCOL.md,
   * "Sequence numbers"). */
  return addressed_elsewhere (m, pkt) ? HB_MEMBER_DROP_NOT_FOR_US : HB_MEMBER_PROCESS;
}

HbMemberVerdict
hb_membership_receive (HbMembership *m, gint64 now_us, const HbMemberPacket *pkt,
                       GPtrArray *events_out)
{
  MemberNode *node;
  HbMemberVerdict verdict;

  g_return_val_if_fail (m != NULL && pkt != NULL, HB_MEMBER_DROP_UNKNOWN_NODE);
  hb_member_expire (m, now_us, events_out);
  node = hb_member_find (m, pkt->from_node);
  if (node == NULL)
    {
      return HB_MEMBER_DROP_UNKNOWN_NODE;
    }
  if (node->is_local)
    {
      verdict = receive_own (m, now_us, pkt, events_out);
    }
  else if (node->type == HB_MEMBER_NODE_PING)
    {
      verdict = receive_ping (node, now_us, events_out);
    }
  else
    {
      verdict = receive_peer (m, node, now_us, pkt, events_out);
    }
  /* Comm may have come up, which shortens every dead interval. */
  hb_member_expire (m, now_us, events_out);
  return verdict;
}
