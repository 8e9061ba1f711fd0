/* Unit tests for lib/membership: generations, replays, restarts, partitions,
 * duplicates, gaps and retransmission requests (docs/PROTOCOL.md, "Sequencing"). */
#include "test-membership-fixture.h"

/* ---- generations ---------------------------------------------------------------------- */

static void
test_first_generation_silent (Fx *fx, gconstpointer data)
{
  (void) data;
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, 0);
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, 5);
  /* Learning the first generation (old gen 0) is not a restart. */
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_RESTART), ==, 0);
}

static void
test_restart (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx);
  for (guint i = 0; i < 50; i++)
    {
      fx->now += 100 * MS;
      fx_status2 (fx, "eth0");
    }
  fx_clear (fx);
  fx->gen2 = 6;
  fx->seq2 = 1;
  fx->now += 100 * MS;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_RESTART);
  g_assert_cmpstr (e->message, ==, "Heartbeat restart on node node2");
  g_assert_cmpuint (e->gen, ==, 6);
  g_assert_cmpuint (e->old_gen, ==, 5);
  g_assert_cmpint (e->node_type, ==, HB_MEMBER_NODE_NORMAL);
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, 6);
  /* Sequence tracking restarted: seq 1, 2 in order, no loss, no drop. */
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_LOST_PACKETS), ==, 0);
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  /* An old-generation packet is now a replay. */
  HbMemberPacket old = fx_pkt ("node2", "eth0", TRUE, 60, 5);
  g_assert_cmpint (fx_recv (fx, &old), ==, HB_MEMBER_DROP_REPLAY);
}

/* A restarted node's first message may be a non-status one: it is not lost. */
static void
test_restart_non_status_first (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);
  for (guint i = 0; i < 20; i++)
    {
      fx_status2 (fx, "eth0");
    }
  fx_clear (fx);
  p = fx_pkt ("node2", "eth0", FALSE, 1, 6);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_RESTART);
  fx->gen2 = 6;
  fx->seq2 = 2;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_RESTART), ==, 1);
}

static void
test_replay (Fx *fx, gconstpointer data)
{
  HbMemberPacket p = fx_pkt ("node2", "eth1", TRUE, 99, 4);
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_REPLAY);
  e = fx_one (fx, HB_MEMBER_EVENT_REPLAY);
  g_assert_cmpstr (e->message, ==,
                   "should_drop_message: attempted replay attack [node2]? [gen = 4, curgen = 5]");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_ERROR);
  g_assert_cmpuint (e->gen, ==, 4);
  g_assert_cmpuint (e->old_gen, ==, 5);
  /* A replay neither refreshes the node nor brings a link up. */
  g_assert_cmpuint (fx->ev->len, ==, 1);
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth1"), ==, "dead");
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, 5);
}

/* ---- partitions ------------------------------------------------------------------------- */

static void
test_partition_healed (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx);
  fx_tick (fx, T0 + DEADTIME_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  fx_clear (fx);
  /* Same generation, newer seq: it was alive all along, behind a partition. */
  fx->seq2 += 30;
  fx->now += 30000 * MS;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_PARTITION_HEALED);
  g_assert_cmpstr (e->message, ==, "Cluster node node2 returning after partition.");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_CRIT);
  g_assert_cmpuint (e->gen, ==, 5);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
  fx_one (fx, HB_MEMBER_EVENT_NODE_STATUS);
  fx_one (fx, HB_MEMBER_EVENT_LOST_PACKETS);
  /* Only once: it is alive again. */
  fx_clear (fx);
  fx_status2 (fx, "eth0");
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
}

/* Only a fresh status packet (one that counts for liveness) shows that a
 * dead node is back: a late retransmission of an old status (a gap filler)
 * or an old packet that is dropped must not be reported as a partition heal
 * while the node stays dead, and must not use up the report of the real one. */
static void
test_partition_needs_fresh_status (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);                /* status seq 1, its last status */
  p = fx_pkt ("node2", "eth0", FALSE, 4, fx->gen2); /* seqs 2, 3 lost */
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  p = fx_pkt ("node2", "eth0", FALSE, 7, fx->gen2); /* 5, 6 lost, given up (NAK) */
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  g_assert_true (hb_membership_rexmit_nak (fx->m, "node2", 5));
  g_assert_true (hb_membership_rexmit_nak (fx->m, "node2", 6));
  fx_tick (fx, fx->now + DEADTIME_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  fx_clear (fx);

  /* A retransmitted status 2 fills a gap: no liveness, no heal. */
  p = fx_pkt ("node2", "eth0", TRUE, 2, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  /* Status 5 was given up: it is an old duplicate now, dropped. */
  p = fx_pkt ("node2", "eth0", TRUE, 5, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_OLD);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "dead");

  /* The next fresh status is the one that reports it, once. */
  fx->seq2 = 8;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  fx_one (fx, HB_MEMBER_EVENT_PARTITION_HEALED);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
}

/* A dead node that comes back with a new generation restarted: no partition. */
static void
test_dead_node_restarted (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx_tick (fx, T0 + DEADTIME_MS * MS);
  fx_clear (fx);
  fx->gen2 = 6;
  fx->seq2 = 1;
  fx->now += 1000 * MS;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_RESTART);
  fx_one (fx, HB_MEMBER_EVENT_NODE_STATUS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_LATE), ==, 0);
}

/* A dead node whose restart shows first in a non-status message (its first
 * status was lost): the new generation already says "restarted", so its
 * next status must not be taken for a node returning after a partition. The
 * same holds for a node that was dead at initdead and starts later. */
static void
test_dead_node_restarted_non_status_first (Fx *fx, gconstpointer data)
{
  const guint64 gens[] = { 6, 0 }; /* 0: node2 never heard before it died */

  (void) data;
  for (guint i = 0; i < G_N_ELEMENTS (gens); i++)
    {
      HbMemberPacket p;

      fx_teardown (fx, NULL);
      fx_setup (fx, NULL);
      if (gens[i] != 0)
        {
          fx_comm_up (fx);
          fx_tick (fx, T0 + DEADTIME_MS * MS);
        }
      else
        {
          hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
          fx_tick (fx, T0 + INITDEAD_MS * MS);
        }
      fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
      fx_clear (fx);
      fx->now += 1000 * MS;
      p = fx_pkt ("node2", "eth0", FALSE, 1, gens[i] != 0 ? gens[i] : 5);
      g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
      fx->gen2 = p.gen;
      fx->seq2 = 2;
      fx->now += 1000 * MS;
      g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
      g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
      g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_LATE), ==, 0);
      g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
    }
}

/* A node dead at initdead that starts later: first generation, no partition.
 * The takeover engine hears of the new run (NODE_RESTART: it may have taken
 * groups alone behind a partition), but nothing is logged, as in Heartbeat. */
static void
test_late_starter (Fx *fx, gconstpointer data)
{
  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  fx_tick (fx, T0 + INITDEAD_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  fx_clear (fx);
  fx->now += 5000 * MS;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
  g_assert_cmpint (fx_one (fx, HB_MEMBER_EVENT_NODE_RESTART)->severity, ==, HB_MEMBER_SEVERITY_DEBUG);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
}

/* ---- duplicates and old packets -------------------------------------------------------- */

static void
test_duplicate (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);
  p = fx_pkt ("node2", "eth0", TRUE, fx->seq2++, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  /* The same packet over the other medium: duplicate, but eth1 comes up. */
  p.link = "eth1";
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DUPLICATE);
  fx_one (fx, HB_MEMBER_EVENT_LINK_UP);
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth1"), ==, "up");
  /* Duplicates keep a link alive but are not heartbeats. */
  for (guint i = 0; i < 12; i++)
    {
      fx->now += 1000 * MS;
      fx_ping (fx);
      g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DUPLICATE);
    }
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth1"), ==, "up");
  HbMemberEvent *e = fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  g_assert_cmpuint (e->interval_ms, ==, DEADTIME_MS);
}

static void
test_old_packet (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx); /* seq 1 */
  fx_status2 (fx, "eth0");
  fx_status2 (fx, "eth0");
  fx_clear (fx);
  p = fx_pkt ("node2", "eth0", FALSE, 1, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_OLD);
  g_assert_cmpuint (fx->ev->len, ==, 0);
}

/* ---- NS_* messages, bad seqs, destinations ------------------------------------------------ */

static void
test_ns_messages (Fx *fx, gconstpointer data)
{
  HbMemberPacket ns = { .from_node = "node2", .link = "eth1", .is_ns = TRUE };

  (void) data;
  fx_comm_up (fx);
  g_assert_cmpint (fx_recv (fx, &ns), ==, HB_MEMBER_PROCESS);
  fx_one (fx, HB_MEMBER_EVENT_LINK_UP); /* any packet refreshes its link */
  ns.dest = "node1";
  g_assert_cmpint (fx_recv (fx, &ns), ==, HB_MEMBER_PROCESS);
  ns.dest = "node3";
  g_assert_cmpint (fx_recv (fx, &ns), ==, HB_MEMBER_DROP_NOT_FOR_US);
  /* NS messages bypass sequence tracking entirely. */
  ns.dest = NULL;
  ns.has_seq = TRUE;
  ns.seq = 1000;
  ns.has_gen = TRUE;
  ns.gen = 1;
  g_assert_cmpint (fx_recv (fx, &ns), ==, HB_MEMBER_PROCESS);
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_LOST_PACKETS), ==, 0);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_REPLAY), ==, 0);
}

static const struct
{
  const char *name;
  gboolean has_seq;
  guint64 seq;
  gboolean has_gen;
} bad_seq_cases[] = {
  { "no-seq", FALSE, 0, TRUE },
  { "zero-seq", TRUE, 0, TRUE },
  { "no-gen", TRUE, 5, FALSE },
};

static void
test_bad_seq (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  for (guint i = 0; i < G_N_ELEMENTS (bad_seq_cases); i++)
    {
      HbMemberPacket p = fx_pkt ("node2", "eth0", TRUE, bad_seq_cases[i].seq, fx->gen2);

      fx_clear (fx);
      p.has_seq = bad_seq_cases[i].has_seq;
      p.has_gen = bad_seq_cases[i].has_gen;
      g_test_message ("case %s", bad_seq_cases[i].name);
      g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_BAD_SEQ);
      HbMemberEvent *e = fx_one (fx, HB_MEMBER_EVENT_BAD_SEQ);
      g_assert_true (g_str_has_prefix (e->message, "should_drop_message: bad sequence number"));
      g_assert_nonnull (strstr (e->message, "node2"));
    }
}

/* Sequenced messages for another node are tracked (no false gap), then dropped. */
static void
test_dest_elsewhere (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx); /* seq 1 */
  p = fx_pkt ("node2", "eth0", FALSE, fx->seq2++, fx->gen2);
  p.dest = "node3";
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_NOT_FOR_US);
  p = fx_pkt ("node2", "eth0", FALSE, fx->seq2++, fx->gen2);
  p.dest = "node1";
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_LOST_PACKETS), ==, 0);
}

/* ---- gaps and retransmission requests ------------------------------------------------------ */

static guint
rexmit_count_for (Fx *fx, guint64 seq)
{
  guint n = 0;

  for (guint i = 0; i < fx->ev->len; i++)
    {
      HbMemberEvent *e = g_ptr_array_index (fx->ev, i);

      n += e->type == HB_MEMBER_EVENT_REXMIT_REQUEST && e->seq == seq;
    }
  return n;
}

static void
test_gap_rexmit (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx); /* seq 1 */
  fx->random_value = 100;
  fx->seq2 = 4; /* 2 and 3 lost */
  gint64 t_gap = fx->now;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_LOST_PACKETS);
  g_assert_cmpstr (e->message, ==, "2 lost packet(s) for [node2] [1:4]");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_WARNING);
  g_assert_cmpuint (e->count, ==, 2);
  g_assert_cmpuint (e->seq, ==, 4);
  /* First request delayed at random in [50, max_rexmit_delay], one draw per seq. */
  g_assert_cmpuint (fx->random_calls, ==, 2);
  g_assert_cmpuint (fx->random_lo, ==, 50);
  g_assert_cmpuint (fx->random_hi, ==, REXMIT_MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_REXMIT_REQUEST), ==, 0);
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, t_gap + 100 * MS);

  fx_clear (fx);
  fx_tick (fx, t_gap + 100 * MS - 1);
  g_assert_cmpuint (fx->ev->len, ==, 0);
  fx_tick (fx, t_gap + 100 * MS);
  g_assert_cmpuint (fx->ev->len, ==, 2);
  g_assert_cmpuint (rexmit_count_for (fx, 2), ==, 1);
  g_assert_cmpuint (rexmit_count_for (fx, 3), ==, 1);
  e = fx_find (fx, HB_MEMBER_EVENT_REXMIT_REQUEST);
  g_assert_cmpstr (e->node, ==, "node2");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_DEBUG);
  /* Repeated every max_rexmit_delay until it arrives. */
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, t_gap + (100 + REXMIT_MS) * MS);
  fx_clear (fx);
  fx_tick (fx, t_gap + (100 + REXMIT_MS) * MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_REXMIT_REQUEST), ==, 2);

  /* The retransmissions arrive: gap filled, requests stop. */
  fx_clear (fx);
  HbMemberPacket p2 = fx_pkt ("node2", "eth0", FALSE, 2, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p2), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_GAP_FILLED), ==, 0);
  HbMemberPacket p3 = fx_pkt ("node2", "eth0", TRUE, 3, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p3), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_GAP_FILLED);
  g_assert_cmpstr (e->message, ==, "No pkts missing from node2!");
  g_assert_cmpuint (e->seq, ==, 3);
  /* A second copy of a filled seq is an old duplicate. */
  g_assert_cmpint (fx_recv (fx, &p3), ==, HB_MEMBER_DROP_OLD);
  fx_clear (fx);
  fx_tick (fx, t_gap + 5000 * MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_REXMIT_REQUEST), ==, 0);
}

/* The late retransmitted status (seq 3) must not count as a fresh heartbeat. */
static void
test_retransmitted_status_not_liveness (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx); /* status seq 1 at T0 */
  fx->seq2 = 4;
  fx->now += 1000 * MS;
  fx_status2 (fx, "eth0"); /* seq 4 at T0+1s; 2, 3 missing */
  gint64 last = fx->now;
  fx->now += 5000 * MS;
  HbMemberPacket p3 = fx_pkt ("node2", "eth0", TRUE, 3, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p3), ==, HB_MEMBER_PROCESS);
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), <=, last + DEADTIME_MS * MS);
  fx_tick (fx, last + DEADTIME_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
}

static void
test_rexmit_small_delay (void)
{
  Fx fx = { 0 };
  HbMembershipParams p = fx_params (&fx);

  p.max_rexmit_delay_ms = 80;
  fx_setup_params (&fx, &p);
  fx_comm_up (&fx);
  fx.random_value = 0;
  fx.seq2 = 3;
  fx_status2 (&fx, "eth0");
  /* max < 100: the first request is drawn from [0, max]. */
  g_assert_cmpuint (fx.random_lo, ==, 0);
  g_assert_cmpuint (fx.random_hi, ==, 80);
  g_assert_cmpuint (rexmit_count_for (&fx, 2), ==, 1); /* due at once */
  g_assert_cmpint (hb_membership_next_deadline_us (fx.m), ==, fx.now + 80 * MS);
  fx_teardown (&fx, NULL);
}

/* An out-of-range random value is clamped into the documented range. */
static void
test_rexmit_random_clamped (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx->random_value = 100000;
  fx->seq2 = 3;
  fx_status2 (fx, "eth0");
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, fx->now + REXMIT_MS * MS);
}

static void
test_rexmit_internal_random (void)
{
  const HbMemberNodeParam nodes[] = { { "a", HB_MEMBER_NODE_NORMAL },
                                      { "b", HB_MEMBER_NODE_NORMAL } };
  HbMembershipParams p = { .local_node = "a", .nodes = nodes, .n_nodes = 2,
                           .deadtime_ms = 100000 };
  g_autoptr (HbMembership) m = hb_membership_new (&p, 0, NULL);
  g_autoptr (GPtrArray) ev = hb_member_events_new ();
  HbMemberPacket pkt = fx_pkt ("b", NULL, TRUE, 1, 1);

  hb_membership_set_local_status (m, 0, HB_NODE_STATUS_UP, ev);
  hb_membership_receive (m, 0, &pkt, ev);
  for (guint i = 0; i < 100; i++)
    {
      gint64 now = (gint64) i * G_TIME_SPAN_SECOND;
      gint64 next;

      pkt.seq += 2; /* one lost each time */
      hb_membership_receive (m, now, &pkt, ev);
      next = hb_membership_next_deadline_us (m);
      /* Default max_rexmit_delay is 250 ms: first request in [50, 250] ms. */
      g_assert_cmpint (next, >=, now + 50 * MS);
      g_assert_cmpint (next, <=, now + 250 * MS);
      hb_membership_tick (m, next, ev);
      pkt.seq -= 1;
      hb_membership_receive (m, next, &pkt, ev); /* the retransmission */
      pkt.seq += 1;
    }
}

/* Requests stop once the peer is no longer up/active. */
static void
test_rexmit_stops_when_dead (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx->seq2 = 5;
  fx_status2 (fx, "eth0");
  gint64 last = fx->now;
  fx_clear (fx);
  guint rounds = 0;
  while (hb_membership_next_deadline_us (fx->m) != G_MAXINT64 && rounds++ < 1000)
    {
      fx_tick (fx, hb_membership_next_deadline_us (fx->m));
      if (fx->now < last + DEADTIME_MS * MS)
        {
          g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
        }
      fx_ping (fx);
      if (fx->now >= last + DEADTIME_MS * MS + 3000 * MS)
        {
          break;
        }
    }
  guint before = fx_count (fx, HB_MEMBER_EVENT_REXMIT_REQUEST);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 1);
  /* ~40 rounds of 250 ms x 3 seqs while alive. */
  g_assert_cmpuint (before, >=, 3 * 30);
  fx_clear (fx);
  fx_tick (fx, fx->now + 60000 * MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_REXMIT_REQUEST), ==, 0);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "dead");
}

/* A peer that says it is not up/active (e.g. `init`) gets no requests until it is. */
static void
test_rexmit_waits_for_live_status (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);
  p = fx_pkt ("node2", "eth0", TRUE, fx->seq2++, fx->gen2);
  p.status = "init";
  fx_recv (fx, &p);
  p = fx_pkt ("node2", "eth0", TRUE, fx->seq2 + 2, fx->gen2); /* gap of 2 */
  p.status = "init";
  fx->seq2 += 3;
  fx_recv (fx, &p);
  fx_one (fx, HB_MEMBER_EVENT_LOST_PACKETS);
  fx_clear (fx);
  fx_tick (fx, fx->now + 1000 * MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_REXMIT_REQUEST), ==, 0);
  /* Once it says active, the overdue requests go out at once (HB3 would have
   * dropped them; asking late loses nothing). */
  fx_status2 (fx, "eth0");
  g_assert_cmpuint (rexmit_count_for (fx, 3), ==, 1);
  g_assert_cmpuint (rexmit_count_for (fx, 4), ==, 1);
}

/* The peer cannot resend (NS_nak_rexmit): stop asking. */
static void
test_rexmit_nak (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx->seq2 = 4; /* 2, 3 missing */
  fx_status2 (fx, "eth0");
  g_assert_true (hb_membership_rexmit_nak (fx->m, "node2", 2));
  g_assert_false (hb_membership_rexmit_nak (fx->m, "node2", 2));
  g_assert_false (hb_membership_rexmit_nak (fx->m, "nodeX", 3));
  g_assert_false (hb_membership_rexmit_nak (fx->m, "node1", 3));
  fx_clear (fx);
  fx_tick (fx, fx->now + 1000 * MS);
  g_assert_cmpuint (rexmit_count_for (fx, 2), ==, 0);
  g_assert_cmpuint (rexmit_count_for (fx, 3), >, 0);
  HbMemberPacket p2 = fx_pkt ("node2", "eth0", FALSE, 2, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p2), ==, HB_MEMBER_DROP_OLD);
}

static void
test_lost_many (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx); /* seq 1 */
  fx->seq2 = 1 + 251 + 1;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_LOST_PACKETS);
  g_assert_cmpuint (e->count, ==, 251);
  e = fx_one (fx, HB_MEMBER_EVENT_LOST_MANY);
  g_assert_cmpstr (e->message, ==, "lost a lot of packets!");
  g_assert_cmpstr (e->node, ==, "node2");
  g_assert_cmpuint (fx->random_calls, ==, 0);
  /* Tracking restarted at 253: nothing missing, nothing requested. */
  fx_clear (fx);
  fx_tick (fx, fx->now + 1000 * MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_REXMIT_REQUEST), ==, 0);
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  HbMemberPacket old = fx_pkt ("node2", "eth0", FALSE, 100, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &old), ==, HB_MEMBER_DROP_OLD);
}

static void
test_gap_of_250 (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx->seq2 = 1 + 250 + 1;
  fx_status2 (fx, "eth0");
  fx_one (fx, HB_MEMBER_EVENT_LOST_PACKETS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_LOST_MANY), ==, 0);
  g_assert_cmpuint (fx->random_calls, ==, 250);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  FX_TEST ("/membership/gen/first-silent", test_first_generation_silent);
  FX_TEST ("/membership/gen/restart", test_restart);
  FX_TEST ("/membership/gen/restart-non-status-first", test_restart_non_status_first);
  FX_TEST ("/membership/gen/replay", test_replay);
  FX_TEST ("/membership/partition/healed", test_partition_healed);
  FX_TEST ("/membership/partition/restart-is-not-partition", test_dead_node_restarted);
  FX_TEST ("/membership/partition/restart-non-status-first",
           test_dead_node_restarted_non_status_first);
  FX_TEST ("/membership/partition/late-starter", test_late_starter);
  FX_TEST ("/membership/partition/needs-fresh-status", test_partition_needs_fresh_status);
  FX_TEST ("/membership/seq/duplicate", test_duplicate);
  FX_TEST ("/membership/seq/old", test_old_packet);
  FX_TEST ("/membership/seq/ns-messages", test_ns_messages);
  FX_TEST ("/membership/seq/bad-seq", test_bad_seq);
  FX_TEST ("/membership/seq/dest-elsewhere", test_dest_elsewhere);
  FX_TEST ("/membership/rexmit/gap-request-fill", test_gap_rexmit);
  FX_TEST ("/membership/rexmit/retransmitted-status", test_retransmitted_status_not_liveness);
  g_test_add_func ("/membership/rexmit/small-delay", test_rexmit_small_delay);
  FX_TEST ("/membership/rexmit/random-clamped", test_rexmit_random_clamped);
  g_test_add_func ("/membership/rexmit/internal-random", test_rexmit_internal_random);
  FX_TEST ("/membership/rexmit/stops-when-dead", test_rexmit_stops_when_dead);
  FX_TEST ("/membership/rexmit/waits-for-live-status", test_rexmit_waits_for_live_status);
  FX_TEST ("/membership/rexmit/nak", test_rexmit_nak);
  FX_TEST ("/membership/seq/lost-many", test_lost_many);
  FX_TEST ("/membership/seq/gap-of-250", test_gap_of_250);
  return g_test_run ();
}
