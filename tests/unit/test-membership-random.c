/* Randomised robustness test for lib/membership: arbitrary (authenticated but
 * hostile or buggy) packet facts and timer firings, checking invariants after
 * every step. Deterministic seeds, so a failure reproduces. */
#include "membership.h"

#include <string.h>

#define MS G_TIME_SPAN_MILLISECOND

static const HbMemberNodeParam nodes[] = {
  { "node1", HB_MEMBER_NODE_NORMAL },
  { "node2", HB_MEMBER_NODE_NORMAL },
  { "node3", HB_MEMBER_NODE_NORMAL },
  { "192.0.2.9", HB_MEMBER_NODE_PING },
};
static const char *const links[] = { "eth0", "eth1", NULL };
static const char *const senders[] = { "node1", "node2", "node3", "192.0.2.9", "stranger" };
static const char *const statuses[] = { "active", "up", "init", "dead", "ping", "weird", NULL };
static const char *const pkt_links[] = { "eth0", "eth1", "eth9", NULL };
static const char *const dests[] = { NULL, NULL, NULL, "node1", "node2" };

static guint64
pick_u64 (GRand *r, guint64 near)
{
  switch (g_rand_int_range (r, 0, 6))
    {
    case 0:
      return 0;
    case 1:
      return G_MAXUINT64 - (guint64) g_rand_int_range (r, 0, 3);
    case 2:
      return ((guint64) g_rand_int (r) << 32) | g_rand_int (r);
    case 3:
      return near > 6 ? near - (guint64) g_rand_int_range (r, 0, 6) : near; /* fills, old */
    default:
      return near + (guint64) g_rand_int_range (r, 0, 4);
    }
}

static HbMemberPacket
random_packet (GRand *r, guint64 *seq_hint, guint64 *gen)
{
  HbMemberPacket p = { 0 };

  p.from_node = senders[g_rand_int_range (r, 0, G_N_ELEMENTS (senders))];
  p.link = pkt_links[g_rand_int_range (r, 0, G_N_ELEMENTS (pkt_links))];
  p.is_status = g_rand_boolean (r);
  p.is_ns = g_rand_int_range (r, 0, 8) == 0;
  p.status = statuses[g_rand_int_range (r, 0, G_N_ELEMENTS (statuses))];
  p.dest = dests[g_rand_int_range (r, 0, G_N_ELEMENTS (dests))];
  p.has_seq = g_rand_int_range (r, 0, 20) != 0;
  p.seq = pick_u64 (r, *seq_hint);
  p.has_gen = g_rand_int_range (r, 0, 20) != 0;
  switch (g_rand_int_range (r, 0, 100))
    {
    case 0:
      p.gen = pick_u64 (r, 1); /* replays and wild jumps */
      break;
    case 1:
      p.gen = ++*gen; /* a restart */
      break;
    default:
      p.gen = *gen;
    }
  p.dt_ms = g_rand_int_range (r, 0, 4) == 0 ? g_rand_int (r) % 60000 : 0;
  if (p.has_seq && p.seq > *seq_hint && p.seq - *seq_hint < 1000)
    {
      *seq_hint = p.seq;
    }
  return p;
}

static guint event_counts[HB_MEMBER_EVENT_DT_CLAMPED + 1];
static guint verdict_counts[HB_MEMBER_DROP_BAD_GEN + 1];

static void
check_events (GPtrArray *ev)
{
  for (guint i = 0; i < ev->len; i++)
    {
      HbMemberEvent *e = g_ptr_array_index (ev, i);

      g_assert_cmpuint (e->type, <, G_N_ELEMENTS (event_counts));
      event_counts[e->type]++;
      g_assert_nonnull (e->message);
      g_assert_nonnull (e->node);
      g_assert_cmpstr (hb_member_event_type_to_string (e->type), !=, "invalid");
      if (e->type == HB_MEMBER_EVENT_NODE_DEAD)
        {
          g_assert_cmpint (e->node_type, ==, HB_MEMBER_NODE_NORMAL);
        }
      if (e->type == HB_MEMBER_EVENT_PING_DEAD)
        {
          g_assert_cmpint (e->node_type, ==, HB_MEMBER_NODE_PING);
        }
    }
  g_ptr_array_set_size (ev, 0);
}

static void
check_state (HbMembership *m)
{
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      g_auto (GStrv) l = hb_membership_list_links (m, nodes[i].name);

      g_assert_nonnull (hb_membership_node_status (m, nodes[i].name));
      for (guint j = 0; l[j] != NULL; j++)
        {
          g_assert_nonnull (hb_membership_link_status (m, nodes[i].name, l[j]));
        }
    }
}

static void
run_seed (guint32 seed)
{
  HbMembershipParams p = { .local_node = "node1", .local_generation = 1, .nodes = nodes,
                           .n_nodes = G_N_ELEMENTS (nodes), .links = links,
                           .keepalive_ms = 100, .deadtime_ms = 1000, .warntime_ms = 500,
                           .initdead_ms = 2000, .deadping_ms = 1500,
                           .max_rexmit_delay_ms = 50 };
  g_autoptr (GRand) r = g_rand_new_with_seed (seed);
  g_autoptr (HbMembership) m = hb_membership_new (&p, 0, NULL);
  g_autoptr (GPtrArray) ev = hb_member_events_new ();
  gint64 now = 0;
  guint64 seq_hint = 1;
  guint64 gen = 1;

  hb_membership_set_local_status (m, now, "up", ev);
  for (guint step = 0; step < 5000; step++)
    {
      now += g_rand_int_range (r, 0, 300) * MS;
      if (g_rand_int_range (r, 0, 4) == 0)
        {
          gint64 next = hb_membership_next_deadline_us (m);

          if (next <= now)
            {
              hb_membership_tick (m, next, ev);
              /* Progress: nothing is still due at the instant just processed. */
              g_assert_cmpint (hb_membership_next_deadline_us (m), >, next);
            }
          hb_membership_tick (m, now, ev);
        }
      else if (g_rand_int_range (r, 0, 50) == 0)
        {
          hb_membership_node_left (m, now, senders[g_rand_int_range (r, 0, 5)], ev);
        }
      else
        {
          HbMemberPacket pkt = random_packet (r, &seq_hint, &gen);
          HbMemberVerdict v = hb_membership_receive (m, now, &pkt, ev);

          g_assert_cmpstr (hb_member_verdict_to_string (v), !=, "invalid");
          verdict_counts[v]++;
        }
      g_assert_cmpint (hb_membership_next_deadline_us (m), >, now);
      check_events (ev);
      check_state (m);
    }
}

static void
test_random (void)
{
  for (guint32 seed = 1; seed <= 20; seed++)
    {
      run_seed (seed);
    }
  /* The walk must reach every kind of event and verdict, or it tests little. */
  for (guint i = 0; i < G_N_ELEMENTS (event_counts); i++)
    {
      g_test_message ("%s: %u", hb_member_event_type_to_string (i), event_counts[i]);
      g_assert_cmpuint (event_counts[i], >, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (verdict_counts); i++)
    {
      g_test_message ("%s: %u", hb_member_verdict_to_string (i), verdict_counts[i]);
      g_assert_cmpuint (verdict_counts[i], >, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/membership/random/invariants", test_random);
  return g_test_run ();
}
