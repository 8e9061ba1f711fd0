/* lib/member-peer.c and the generation rules of member-receive.c: when a
 * peer's run counts as confirmed live, the 32-bit and jump bounds on
 * generations, and records that carry the replay defence from one
 * membership to the next (reload, restart). */
#include "test-membership-fixture.h"

/* node2's shutdone: the last status of a run (st=dead). */
static HbMemberPacket
shutdone (guint64 seq, guint64 gen)
{
  HbMemberPacket p = fx_pkt ("node2", "eth0", TRUE, seq, gen);

  p.status = HB_NODE_STATUS_DEAD;
  return p;
}

/* node2's next status, a keepalive after the previous one (a live peer). */
static HbMemberVerdict
paced_status (Fx *fx)
{
  fx->now += KEEPALIVE_MS * MS;
  return fx_status2 (fx, "eth0");
}

/* A replayed shutdone of an earlier run is the first thing we hear of node2:
 * its generation becomes the known one, but the run is not confirmed, so the
 * daemon does not act on its resource messages. */
static void
test_replayed_shutdone_unconfirmed (Fx *fx, gconstpointer data)
{
  HbMemberPacket old = shutdone (40, 3);

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpint (fx_recv (fx, &old), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, 3);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  /* nor is node2 dead for it: its liveness is not known yet */
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, HB_NODE_STATUS_INIT);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_STATUS), ==, 0);
  /* the live node2 (generation 5) shows up: a restart, confirmed by its
   * statuses over a keepalive */
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  g_assert_cmpint (paced_status (fx), ==, HB_MEMBER_PROCESS);
  g_assert_true (hb_membership_generation_confirmed (fx->m, "node2"));
  /* the old run's packets are replays now */
  old.seq = 41;
  g_assert_cmpint (fx_recv (fx, &old), ==, HB_MEMBER_DROP_REPLAY);
}

/* Only a live status confirms; a non-status message or a gap filler does not,
 * and a restart starts over. */
static void
test_confirmation_rules (Fx *fx, gconstpointer data)
{
  HbMemberPacket msg = fx_pkt ("node2", "eth0", FALSE, 1, 5);
  HbMemberPacket st;

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpint (fx_recv (fx, &msg), ==, HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  msg.seq = 3; /* seq 2 is missing */
  g_assert_cmpint (fx_recv (fx, &msg), ==, HB_MEMBER_PROCESS);
  st = fx_pkt ("node2", "eth0", TRUE, 2, 5); /* the late copy of an old status */
  g_assert_cmpint (fx_recv (fx, &st), ==, HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  st.seq = 4;
  g_assert_cmpint (fx_recv (fx, &st), ==, HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  /* a burst (a replay sent as fast as it can) does not confirm */
  st.seq = 5;
  fx->now += KEEPALIVE_MS * MS - 1;
  g_assert_cmpint (fx_recv (fx, &st), ==, HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  /* statuses over a whole keepalive do */
  st.seq = 6;
  fx->now += 1;
  g_assert_cmpint (fx_recv (fx, &st), ==, HB_MEMBER_PROCESS);
  g_assert_true (hb_membership_generation_confirmed (fx->m, "node2"));
  /* declared dead (a partition): still the same, confirmed run */
  fx_tick (fx, fx->now + INITDEAD_MS * MS);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, HB_NODE_STATUS_DEAD);
  g_assert_true (hb_membership_generation_confirmed (fx->m, "node2"));
  /* node2 restarts: its new run is not confirmed by the old one */
  msg.seq = 1;
  msg.gen = 6;
  g_assert_cmpint (fx_recv (fx, &msg), ==, HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node1"));
  g_assert_false (hb_membership_generation_confirmed (fx->m, PING_NODE));
  g_assert_false (hb_membership_generation_confirmed (fx->m, "nobody"));
}

/* The caller's clock is any gint64: one that steps back (even to the start
 * of the range) measures no time, so it confirms nothing, and the far ends
 * of the range neither overflow (UBSan aborts) nor confirm early. Found by
 * fuzz-proto. */
static void
test_confirmation_clock_extremes (Fx *fx, gconstpointer data)
{
  HbMemberPacket st = fx_pkt ("node2", "eth0", TRUE, 1, 5);
  gint64 first = G_MAXINT64 - 5 * G_TIME_SPAN_SECOND;

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpint (hb_membership_receive (fx->m, first, &st, fx->ev), ==, HB_MEMBER_PROCESS);
  st.seq = 2;
  g_assert_cmpint (hb_membership_receive (fx->m, G_MININT64, &st, fx->ev), ==, HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  st.seq = 3;
  g_assert_cmpint (hb_membership_receive (fx->m, first + KEEPALIVE_MS * MS - 1, &st, fx->ev), ==,
                   HB_MEMBER_PROCESS);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  st.seq = 4;
  g_assert_cmpint (hb_membership_receive (fx->m, G_MAXINT64, &st, fx->ev), ==, HB_MEMBER_PROCESS);
  g_assert_true (hb_membership_generation_confirmed (fx->m, "node2"));
}

typedef struct
{
  const char *name;
  guint64 known;    /* generation seen before (0 = none) */
  gint64 wall_s;    /* 0 = not set */
  guint64 gen;
  gboolean accepted;
} GenCase;

static const GenCase gen_cases[] = {
  { "beyond-32-bits", 0, 0, G_GUINT64_CONSTANT (0xffffffffffffffff), FALSE },
  { "beyond-32-bits-known", 5, 0, G_GUINT64_CONSTANT (0x100000000), FALSE },
  { "zero", 0, 0, 0, FALSE },
  { "max-32-bits-first-contact", 0, 0, 0xffffffffu, TRUE },
  { "restart", 5, 0, 6, TRUE },
  { "many-restarts", 5, 0, 5 + HB_MEMBER_GEN_MAX_JUMP, TRUE },
  { "jump-no-clock", 5, 0, 5 + HB_MEMBER_GEN_MAX_JUMP + 1, FALSE },
  { "jump-to-ffffffff", 1700000000, 1764000000, 0xffffffffu, FALSE },
  { "time-reseed", 1700000000, 1764000000, 1764000000, TRUE },
  { "time-reseed-clock-ahead", 1700000000, 1764000000, 1764000000 + HB_MEMBER_GEN_CLOCK_SLACK_S, TRUE },
  { "time-reseed-too-far", 1700000000, 1764000000, 1764000000 + HB_MEMBER_GEN_CLOCK_SLACK_S + 1, FALSE },
};

static void
test_generation_bounds (gconstpointer data)
{
  const GenCase *c = data;
  Fx fx_storage = { 0 }, *fx = &fx_storage;
  HbMemberPacket p;
  HbMemberVerdict v;

  fx_setup (fx, NULL);
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  hb_membership_set_wall_time (fx->m, c->wall_s);
  if (c->known != 0)
    {
      p = fx_pkt ("node2", "eth0", TRUE, 1, c->known);
      g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
    }
  fx_clear (fx);
  p = fx_pkt ("node2", "eth0", TRUE, 2, c->gen);
  v = fx_recv (fx, &p);
  if (c->accepted)
    {
      g_assert_cmpint (v, ==, HB_MEMBER_PROCESS);
      g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, c->gen);
    }
  else
    {
      HbMemberEvent *ev;

      g_assert_cmpint (v, ==, HB_MEMBER_DROP_BAD_GEN);
      ev = fx_one (fx, HB_MEMBER_EVENT_BAD_GENERATION);
      g_assert_cmpint (ev->severity, ==, HB_MEMBER_SEVERITY_ERROR);
      g_assert_cmpuint (ev->gen, ==, c->gen);
      g_assert_nonnull (strstr (ev->message, "node2"));
      /* the refused generation is no floor: the genuine next packet passes */
      g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, c->known);
      p = fx_pkt ("node2", "eth0", TRUE, 3, c->known != 0 ? c->known : 9);
      g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
    }
  fx_teardown (fx, NULL);
}

/* A record taken from one membership and seeded into the next keeps old
 * packets out: lower generations are replays, seqs up to the last one seen
 * are old; confirmation carries over. */
static void
test_record_and_seed (Fx *fx, gconstpointer data)
{
  HbMemberPeerRecord rec = { 0 };
  HbMembershipParams params = fx_params (fx);
  g_autoptr (HbMembership) next = NULL;
  g_autoptr (GError) error = NULL;
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpint (paced_status (fx), ==, HB_MEMBER_PROCESS);
    }
  g_assert_true (hb_membership_peer_record (fx->m, "node2", &rec));
  g_assert_cmpuint (rec.gen, ==, 5);
  g_assert_cmpuint (rec.last_seq, ==, 5);
  g_assert_true (rec.confirmed);
  g_assert_false (hb_membership_peer_record (fx->m, "node1", &rec));
  g_assert_false (hb_membership_peer_record (fx->m, PING_NODE, &rec));

  g_assert_true (hb_membership_peer_record (fx->m, "node2", &rec));
  next = hb_membership_new (&params, fx->now, &error);
  g_assert_no_error (error);
  hb_membership_seed_peer (next, "node2", &rec);
  g_assert_true (hb_membership_generation_confirmed (next, "node2"));
  p = fx_pkt ("node2", "eth0", FALSE, 9, 4);
  g_assert_cmpint (hb_membership_receive (next, fx->now, &p, NULL), ==, HB_MEMBER_DROP_REPLAY);
  p = fx_pkt ("node2", "eth0", FALSE, 3, 5);
  g_assert_cmpint (hb_membership_receive (next, fx->now, &p, NULL), ==, HB_MEMBER_DROP_OLD);
  p = fx_pkt ("node2", "eth0", FALSE, 5, 5);
  g_assert_cmpint (hb_membership_receive (next, fx->now, &p, NULL), ==, HB_MEMBER_DUPLICATE);
  p = fx_pkt ("node2", "eth0", FALSE, 6, 5);
  g_assert_cmpint (hb_membership_receive (next, fx->now, &p, NULL), ==, HB_MEMBER_PROCESS);
}

/* A persisted generation (no seq, not confirmed) is a floor; an older
 * record never lowers what is known. */
static void
test_seed_generation_only (Fx *fx, gconstpointer data)
{
  HbMemberPeerRecord persisted = { .gen = 5 };
  HbMemberPeerRecord older = { .gen = 4, .last_seq = 100, .confirmed = TRUE };
  HbMemberPacket p;

  (void) data;
  hb_membership_seed_peer (fx->m, "node2", &persisted);
  hb_membership_seed_peer (fx->m, "node2", &older);
  hb_membership_seed_peer (fx->m, "node1", &persisted);
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, 5);
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node1"), ==, 0);
  g_assert_false (hb_membership_generation_confirmed (fx->m, "node2"));
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  p = shutdone (40, 3); /* an earlier run's shutdone, replayed at our start */
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_REPLAY);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, HB_NODE_STATUS_INIT);
  /* the current run: any seq is new, and its statuses confirm it */
  p = fx_pkt ("node2", "eth0", TRUE, 1234, 5);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  p.seq++;
  fx->now += KEEPALIVE_MS * MS;
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  g_assert_true (hb_membership_generation_confirmed (fx->m, "node2"));
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_RESTART), ==, 0);
}

/* A shutdone (st=dead) followed by a live status of the same run: the notice
 * was not true (a replay let through, or a peer that changed its mind), and
 * the node is reported back as after a partition, as Heartbeat does for a
 * same-generation status from a node it considers dead. */
static void
test_shutdone_then_alive (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);
  paced_status (fx);
  p = shutdone (fx->seq2++, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, HB_NODE_STATUS_DEAD);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
  /* another st=dead status is no return */
  p = shutdone (fx->seq2++, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  fx_one (fx, HB_MEMBER_EVENT_PARTITION_HEALED);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, HB_NODE_STATUS_ACTIVE);
}

/* After a real shutdone the node comes back with a new generation: a
 * restart, not a partition. */
static void
test_shutdone_then_restart (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);
  paced_status (fx);
  p = shutdone (fx->seq2++, fx->gen2);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, HB_NODE_STATUS_DEAD);
  fx_clear (fx);
  fx->gen2++;
  fx->seq2 = 1;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_RESTART);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
}

/* A node we never heard, declared dead after initdead, shows up: whatever its
 * generation, the takeover engine must hear of it (it may run groups it took
 * alone), so NODE_RESTART goes out, with no log text (Heartbeat logs none). */
static void
test_first_contact_after_declared_dead (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  fx_ping (fx);
  fx_tick (fx, fx->now + INITDEAD_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  fx_clear (fx);
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_RESTART);
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_DEBUG);
  g_assert_true (g_str_has_prefix (e->message, "First heartbeat from node node2 (generation "));
  g_assert_cmpuint (e->old_gen, ==, 0);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  FX_TEST ("/membership/peer/replayed-shutdone-unconfirmed", test_replayed_shutdone_unconfirmed);
  FX_TEST ("/membership/peer/confirmation-rules", test_confirmation_rules);
  FX_TEST ("/membership/peer/confirmation-clock-extremes", test_confirmation_clock_extremes);
  FX_TEST ("/membership/peer/record-and-seed", test_record_and_seed);
  FX_TEST ("/membership/peer/seed-generation-only", test_seed_generation_only);
  FX_TEST ("/membership/peer/shutdone-then-alive", test_shutdone_then_alive);
  FX_TEST ("/membership/peer/shutdone-then-restart", test_shutdone_then_restart);
  FX_TEST ("/membership/peer/first-contact-after-declared-dead", test_first_contact_after_declared_dead);
  for (guint i = 0; i < G_N_ELEMENTS (gen_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/membership/peer/generation/%s", gen_cases[i].name);
      g_test_add_data_func (path, &gen_cases[i], test_generation_bounds);
    }
  return g_test_run ();
}
