/* Unit tests for lib/membership: node and link states, timers, comm-up, ping
 * nodes, own packets and queries (docs/PROTOCOL.md, "Membership"), on a fake clock. */
#include "test-membership-fixture.h"

/* ---- parameters ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *local;
  HbMemberNodeParam nodes[3];
  guint n_nodes;
  const char *links[3];
  guint deadtime_ms;
} BadParams;

static const BadParams bad_params[] = {
  { "no-local", NULL, { { "a", HB_MEMBER_NODE_NORMAL } }, 1, { "eth0" }, 1000 },
  { "no-nodes", "a", { { 0 } }, 0, { "eth0" }, 1000 },
  { "local-not-listed", "z", { { "a", HB_MEMBER_NODE_NORMAL } }, 1, { "eth0" }, 1000 },
  { "local-is-ping", "a", { { "a", HB_MEMBER_NODE_PING } }, 1, { "eth0" }, 1000 },
  { "duplicate-node", "a", { { "a", HB_MEMBER_NODE_NORMAL }, { "a", HB_MEMBER_NODE_NORMAL } }, 2,
    { "eth0" }, 1000 },
  { "empty-node-name", "a", { { "a", HB_MEMBER_NODE_NORMAL }, { "", HB_MEMBER_NODE_NORMAL } }, 2,
    { "eth0" }, 1000 },
  { "unknown-node-type", "a", { { "a", HB_MEMBER_NODE_NORMAL }, { "b", HB_MEMBER_NODE_UNKNOWN } },
    2, { "eth0" }, 1000 },
  { "zero-deadtime", "a", { { "a", HB_MEMBER_NODE_NORMAL } }, 1, { "eth0" }, 0 },
  { "empty-link", "a", { { "a", HB_MEMBER_NODE_NORMAL } }, 1, { "" }, 1000 },
};

static void
test_bad_params (gconstpointer data)
{
  const BadParams *c = data;
  HbMembershipParams p = { .local_node = c->local, .nodes = c->n_nodes ? c->nodes : NULL,
                           .n_nodes = c->n_nodes, .links = c->links,
                           .deadtime_ms = c->deadtime_ms };
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMembership) m = hb_membership_new (&p, 0, &error);

  g_assert_null (m);
  g_assert_error (error, HB_MEMBERSHIP_ERROR, HB_MEMBERSHIP_ERROR_INVALID);
  g_test_message ("%s: %s", c->name, error->message);
}

/* ---- initial state and queries ------------------------------------------------ */

static void
test_initial_state (Fx *fx, gconstpointer data)
{
  g_auto (GStrv) nodes = hb_membership_list_nodes (fx->m);
  g_auto (GStrv) links = hb_membership_list_links (fx->m, "node2");
  g_auto (GStrv) plinks = hb_membership_list_links (fx->m, PING_NODE);
  const char *const want_nodes[] = { "node1", "node2", PING_NODE, NULL };
  const char *const want_plinks[] = { PING_NODE, NULL };

  (void) data;
  g_assert_true (g_strv_equal ((const char *const *) nodes, want_nodes));
  g_assert_true (g_strv_equal ((const char *const *) links, fx_links));
  g_assert_true (g_strv_equal ((const char *const *) plinks, want_plinks));
  g_assert_cmpstr (hb_membership_local_node (fx->m), ==, "node1");
  g_assert_cmpstr (hb_membership_local_status (fx->m), ==, "init");
  for (guint i = 0; want_nodes[i] != NULL; i++)
    {
      g_assert_cmpstr (hb_membership_node_status (fx->m, want_nodes[i]), ==, "init");
    }
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth0"), ==, "dead");
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth1"), ==, "dead");
  g_assert_cmpint (hb_membership_node_type (fx->m, "node2"), ==, HB_MEMBER_NODE_NORMAL);
  g_assert_cmpint (hb_membership_node_type (fx->m, PING_NODE), ==, HB_MEMBER_NODE_PING);
  g_assert_cmpint (hb_membership_node_type (fx->m, "nodeX"), ==, HB_MEMBER_NODE_UNKNOWN);
  g_assert_null (hb_membership_node_status (fx->m, "nodeX"));
  g_assert_null (hb_membership_list_links (fx->m, "nodeX"));
  g_assert_null (hb_membership_link_status (fx->m, "node2", "eth9"));
  g_assert_null (hb_membership_link_status (fx->m, "nodeX", "eth0"));
  g_assert_false (hb_membership_comm_is_up (fx->m));
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "node2"), ==, INITDEAD_MS);
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "nodeX"), ==, 0);
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, "node2"), ==, 0);
  g_assert_cmpuint (hb_membership_node_generation (fx->m, "node2"), ==, 0);
}

static void
test_local_status (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  e = fx_one (fx, HB_MEMBER_EVENT_LOCAL_STATUS);
  g_assert_cmpstr (e->message, ==, "Local status now set to: 'up'");
  g_assert_cmpstr (e->node, ==, "node1");
  g_assert_cmpstr (e->status, ==, "up");
  g_assert_cmpstr (hb_membership_local_status (fx->m), ==, "up");
  /* Our own links are ours: up from the start. */
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node1", "eth0"), ==, "up");
  fx_clear (fx);
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpuint (fx->ev->len, ==, 0);
}

/* ---- initdead and comm-up ---------------------------------------------------------- */

static void
test_initdead (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, T0 + INITDEAD_MS * MS);
  fx_clear (fx);
  /* Deadtime passes: nothing, initdead applies until comm is up. */
  fx_tick (fx, T0 + DEADTIME_MS * MS);
  fx_tick (fx, T0 + INITDEAD_MS * MS - 1);
  g_assert_cmpuint (fx->ev->len, ==, 0);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "init");
  fx_tick (fx, T0 + INITDEAD_MS * MS);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  g_assert_cmpstr (e->node, ==, "node2");
  g_assert_cmpstr (e->message, ==, "node node2: is dead");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_WARNING);
  g_assert_cmpuint (e->interval_ms, ==, INITDEAD_MS);
  e = fx_one (fx, HB_MEMBER_EVENT_PING_DEAD);
  g_assert_cmpstr (e->node, ==, PING_NODE);
  g_assert_cmpint (e->node_type, ==, HB_MEMBER_NODE_PING);
  /* Everyone heard or dead: comm up, after the deaths. */
  e = fx_one (fx, HB_MEMBER_EVENT_COMM_UP);
  g_assert_cmpstr (e->message, ==, "Comm_now_up(): updating status to active");
  g_assert_true (fx->ev->pdata[fx->ev->len - 1] == e);
  g_assert_cmpstr (hb_membership_local_status (fx->m), ==, "active");
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "dead");
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, G_MAXINT64);
}

static void
test_comm_up_all_heard (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  /* Packets before the local node is up do not bring comm up by themselves. */
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_STATUS);
  g_assert_cmpstr (e->message, ==, "Status update for node node2: status active");
  g_assert_cmpstr (e->status, ==, "active");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_INFO);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_COMM_UP), ==, 0);
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_COMM_UP), ==, 0);
  fx->now += 10 * MS;
  g_assert_cmpint (fx_ping (fx), ==, HB_MEMBER_PROCESS);
  e = fx_one (fx, HB_MEMBER_EVENT_COMM_UP);
  g_assert_cmpstr (e->node, ==, "node1");
  g_assert_cmpstr (e->status, ==, "active");
  g_assert_true (hb_membership_comm_is_up (fx->m));
  g_assert_cmpstr (hb_membership_local_status (fx->m), ==, "active");
  /* From now on the dead intervals are the real ones. */
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "node2"), ==, DEADTIME_MS);
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, PING_NODE), ==, DEADPING_MS);
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, T0 + DEADTIME_MS * MS);
}

static void
test_comm_up_single_node (void)
{
  const HbMemberNodeParam nodes[] = { { "solo", HB_MEMBER_NODE_NORMAL } };
  HbMembershipParams p = { .local_node = "solo", .nodes = nodes, .n_nodes = 1,
                           .deadtime_ms = 1000 };
  g_autoptr (HbMembership) m = hb_membership_new (&p, 0, NULL);
  g_autoptr (GPtrArray) ev = hb_member_events_new ();

  g_assert_nonnull (m);
  hb_membership_set_local_status (m, 0, HB_NODE_STATUS_UP, ev);
  g_assert_true (hb_membership_comm_is_up (m));
  g_assert_cmpuint (ev->len, ==, 2); /* LOCAL_STATUS then COMM_UP */
  g_assert_cmpint (((HbMemberEvent *) ev->pdata[1])->type, ==, HB_MEMBER_EVENT_COMM_UP);
  g_assert_cmpint (hb_membership_next_deadline_us (m), ==, G_MAXINT64);
  /* initdead 0 means deadtime (the config fills it; be safe anyway). */
  g_assert_cmpuint (hb_membership_dead_interval_ms (m, "solo"), ==, 1000);
}

/* A node heard by a non-status packet counts as heard for comm-up, but only
 * status packets keep it alive. */
static void
test_comm_up_any_packet (Fx *fx, gconstpointer data)
{
  HbMemberPacket p = fx_pkt ("node2", "eth0", FALSE, 1, 5);

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  fx_ping (fx);
  fx_one (fx, HB_MEMBER_EVENT_COMM_UP);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "init");
  fx_clear (fx);
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, T0 + DEADTIME_MS * MS);
  fx_tick (fx, T0 + DEADTIME_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
}

/* The first packet of a node that is not a status, heard more than a deadtime
 * after our start (its own start, or a partition that just healed): comm comes
 * up, but the node lives a deadtime from that packet, not from our start.
 * The old rule declared it dead on the spot and took its groups while it
 * ran them (rsc-replay.sh under load: an NS_ packet of the peer came first). */
static void
test_comm_up_late_first_packet (Fx *fx, gconstpointer data)
{
  const gboolean ns = GPOINTER_TO_INT (data);
  HbMemberPacket p = fx_pkt ("node2", "eth0", FALSE, 1, 5);
  gint64 first;

  p.is_ns = ns;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  fx_ping (fx);
  fx_tick (fx, T0 + 2 * DEADTIME_MS * MS); /* well inside initdead */
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  fx_clear (fx);
  first = fx->now;
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_PROCESS);
  fx_one (fx, HB_MEMBER_EVENT_COMM_UP);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "init");
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), <=, first + DEADTIME_MS * MS);
  fx_clear (fx);
  fx_tick (fx, first + DEADTIME_MS * MS - 1);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  /* Its status, a keepalive later: alive from then on. */
  fx->now = first + KEEPALIVE_MS * MS;
  fx->seq2 = 2;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
  fx_clear (fx);
  fx_tick (fx, first + DEADTIME_MS * MS + 1);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  /* And one that never sends a status dies a deadtime after its packet. */
  fx_tick (fx, first + KEEPALIVE_MS * MS + DEADTIME_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
}

/* A node whose only packet is not a status dies a deadtime after it. */
static void
test_comm_up_late_silent (Fx *fx, gconstpointer data)
{
  HbMemberPacket p = fx_pkt ("node2", "eth0", FALSE, 1, 5);
  HbMemberEvent *e;
  gint64 first;

  (void) data;
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  fx_ping (fx);
  fx->now = T0 + 2 * DEADTIME_MS * MS;
  first = fx->now;
  fx_recv (fx, &p);
  fx_clear (fx);
  fx_tick (fx, first + DEADTIME_MS * MS - 1);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  fx_tick (fx, first + DEADTIME_MS * MS);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  g_assert_cmpuint (e->interval_ms, ==, DEADTIME_MS);
}

/* ---- dead detection ------------------------------------------------------------------ */

/* Offsets after the last status packet, and whether the node must be dead. */
static const struct
{
  gint64 offset_us;
  gboolean dead;
} dead_offsets[] = {
  { 0, FALSE },
  { WARNTIME_MS * MS, FALSE },
  { DEADTIME_MS * MS - 1000, FALSE },
  { DEADTIME_MS * MS - 1, FALSE },
  { DEADTIME_MS * MS, TRUE },
  { DEADTIME_MS * MS + 1, TRUE },
  { DEADTIME_MS * MS + 20 * MS, TRUE },
};

static void
test_dead_exact (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx->now += 3 * KEEPALIVE_MS * MS;
  fx_status2 (fx, "eth0");
  fx_ping (fx);
  gint64 last = fx->now;
  fx_clear (fx);
  /* The daemon's single timer: exactly deadtime after the last status. */
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, last + DEADTIME_MS * MS);
  for (guint i = 0; i < G_N_ELEMENTS (dead_offsets); i++)
    {
      fx_tick (fx, last + dead_offsets[i].offset_us);
      g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==,
                       dead_offsets[i].dead ? "dead" : "active");
    }
  HbMemberEvent *e = fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  g_assert_cmpuint (e->interval_ms, ==, DEADTIME_MS);
  g_assert_cmpint (e->node_type, ==, HB_MEMBER_NODE_NORMAL);
  g_assert_cmpstr (e->status, ==, "dead");
  /* Its links died at the same instant. */
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_LINK_DEAD), ==, 1);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_STATUS), ==, 0);
}

/* Property: with arbitrary heartbeat jitter, ticking only at the announced
 * deadlines declares node2 dead exactly deadtime after its last status. */
static void
test_dead_only_at_deadline (Fx *fx, gconstpointer data)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (42);

  (void) data;
  fx_comm_up (fx);
  for (guint round = 0; round < 200; round++)
    {
      gint64 last = fx->now;
      gint64 next;

      fx_clear (fx);
      fx->now += g_rand_int_range (r, 1, DEADTIME_MS) * MS - g_rand_int_range (r, 0, 1000);
      fx_ping (fx);
      fx_status2 (fx, "eth0");
      g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
      g_assert_cmpint (fx->now - last, <, DEADTIME_MS * MS);
      next = hb_membership_next_deadline_us (fx->m);
      g_assert_cmpint (next, ==, fx->now + DEADTIME_MS * MS);
    }
  /* Silence: follow the timer until node2 dies. */
  gint64 last = fx->now;
  while (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD) == 0)
    {
      gint64 next = hb_membership_next_deadline_us (fx->m);

      g_assert_cmpint (next, !=, G_MAXINT64);
      fx_tick (fx, next);
    }
  g_assert_cmpint (fx->now, ==, last + DEADTIME_MS * MS);
}

static void
test_advertised_dt (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;

  (void) data;
  fx_comm_up (fx);
  p = fx_pkt ("node2", "eth0", TRUE, fx->seq2++, fx->gen2);
  p.dt_ms = 2 * DEADTIME_MS;
  fx_recv (fx, &p);
  gint64 last = fx->now;
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "node2"), ==, 2 * DEADTIME_MS);
  fx_tick (fx, last + DEADTIME_MS * MS + 1);
  fx_ping (fx);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, last + 2 * DEADTIME_MS * MS);
  fx_tick (fx, last + 2 * DEADTIME_MS * MS - 1);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  fx_tick (fx, last + 2 * DEADTIME_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  /* A status without dt goes back to the configured deadtime. */
  fx_status2 (fx, "eth0");
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "node2"), ==, DEADTIME_MS);
}

/* A dt out of bounds (a buggy or forged peer) is clamped, said once, naming
 * the node: 0xffffffff must not keep a silent node alive forever, nor 1 ms
 * declare a live one dead at once. Heartbeat's own values pass untouched. */
static void
test_advertised_dt_clamped (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;
  HbMemberEvent *e;
  gint64 last;

  (void) data;
  fx_comm_up (fx);
  p = fx_pkt ("node2", "eth0", TRUE, fx->seq2++, fx->gen2);
  p.dt_ms = 0xffffffffu;
  fx_recv (fx, &p);
  e = fx_one (fx, HB_MEMBER_EVENT_DT_CLAMPED);
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_WARNING);
  g_assert_cmpstr (e->node, ==, "node2");
  g_assert_cmpuint (e->interval_ms, ==, HB_MEMBER_DT_MAX_FACTOR * DEADTIME_MS);
  g_assert_cmpstr (e->message, ==, "node node2 advertises a dead interval of 4294967295 ms (dt); "
                                   "using 100000 ms (bounds 10000..100000 ms from our deadtime)");
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "node2"), ==,
                    HB_MEMBER_DT_MAX_FACTOR * DEADTIME_MS);
  fx_clear (fx);
  /* Said once: the same value again is quiet. */
  p.seq = fx->seq2++;
  fx_recv (fx, &p);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_DT_CLAMPED), ==, 0);
  /* Silence: node2 dies at the bound, not in 49 days. */
  last = fx->now;
  while (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD) == 0)
    {
      gint64 next = hb_membership_next_deadline_us (fx->m);

      g_assert_cmpint (next, <=, last + HB_MEMBER_DT_MAX_FACTOR * DEADTIME_MS * MS);
      fx_tick (fx, next);
      fx_ping (fx);
    }
  g_assert_cmpint (fx->now, ==, last + HB_MEMBER_DT_MAX_FACTOR * DEADTIME_MS * MS);
  fx_clear (fx);

  /* Too small: our deadtime. */
  p.seq = fx->seq2++;
  p.dt_ms = 1;
  fx_recv (fx, &p);
  e = fx_one (fx, HB_MEMBER_EVENT_DT_CLAMPED);
  g_assert_cmpuint (e->interval_ms, ==, DEADTIME_MS);
  g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "node2"), ==, DEADTIME_MS);
  fx_clear (fx);
  /* What a 3.0.6 peer with our ha.cf sends: its first 5 s, then after. */
  for (guint dt = DEADTIME_MS + HB_MEMBER_DT_STARTUP_EXTRA_MS; dt >= DEADTIME_MS; dt -= 2000)
    {
      p.seq = fx->seq2++;
      p.dt_ms = dt;
      fx_recv (fx, &p);
      g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_DT_CLAMPED), ==, 0);
      g_assert_cmpuint (hb_membership_dead_interval_ms (fx->m, "node2"), ==, dt);
    }
}

/* ---- late heartbeats -------------------------------------------------------------- */

static const struct
{
  guint interval_ms;
  HbMemberSeverity severity; /* HB_MEMBER_SEVERITY_DEBUG = no event */
  const char *message;
} late_cases[] = {
  { KEEPALIVE_MS, HB_MEMBER_SEVERITY_DEBUG, NULL },
  { WARNTIME_MS, HB_MEMBER_SEVERITY_DEBUG, NULL },
  { WARNTIME_MS + 1, HB_MEMBER_SEVERITY_WARNING, "Late heartbeat: Node node2: interval 5001 ms" },
  { DEADTIME_MS - 1, HB_MEMBER_SEVERITY_WARNING, "Late heartbeat: Node node2: interval 9999 ms" },
};

static void
test_late (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  for (guint i = 0; i < G_N_ELEMENTS (late_cases); i++)
    {
      fx_clear (fx);
      fx->now += late_cases[i].interval_ms * MS;
      fx_status2 (fx, "eth0");
      fx_ping (fx);
      if (late_cases[i].message == NULL)
        {
          g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_LATE), ==, 0);
          continue;
        }
      HbMemberEvent *e = fx_one (fx, HB_MEMBER_EVENT_NODE_LATE);
      g_assert_cmpstr (e->message, ==, late_cases[i].message);
      g_assert_cmpint (e->severity, ==, late_cases[i].severity);
      g_assert_cmpuint (e->interval_ms, ==, late_cases[i].interval_ms);
      g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
    }
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, "node2"), ==, DEADTIME_MS - 1);
}

/* Over deadtime: the node was declared dead on time; its next status gives
 * the CRIT late line and, same generation, the partition-heal event. */
static void
test_late_beyond_deadtime (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx);
  gint64 last = fx->now;
  fx->now = last + 12000 * MS;
  fx_status2 (fx, "eth1");
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 1);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_LATE);
  g_assert_cmpstr (e->message, ==, "Late heartbeat: Node node2: interval 12000 ms (> deadtime)");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_CRIT);
  fx_one (fx, HB_MEMBER_EVENT_PARTITION_HEALED);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_STATUS);
  g_assert_cmpstr (e->status, ==, "active");
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, "node2"), ==, 12000);
}

/* The CRIT threshold is the node's own dead interval (its advertised dt). */
static void
test_late_with_dt (Fx *fx, gconstpointer data)
{
  HbMemberPacket p;
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx);
  p = fx_pkt ("node2", "eth0", TRUE, fx->seq2++, fx->gen2);
  p.dt_ms = 20000;
  fx_recv (fx, &p);
  fx->now += 15000 * MS;
  fx_ping (fx);
  p.seq = fx->seq2++;
  fx_recv (fx, &p);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_LATE);
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_WARNING);
  g_assert_cmpstr (e->message, ==, "Late heartbeat: Node node2: interval 15000 ms");
  fx_clear (fx);
  /* Exactly the dead interval: declared dead on time, then CRIT when it returns. */
  fx->now += 20000 * MS;
  fx_ping (fx);
  p.seq = fx->seq2++;
  fx_recv (fx, &p);
  fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_LATE);
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_CRIT);
  g_assert_cmpstr (e->message, ==, "Late heartbeat: Node node2: interval 20000 ms (> deadtime)");
}

static void
test_worst_interval (Fx *fx, gconstpointer data)
{
  static const guint gaps_ms[] = { 1000, 3000, 2000, 1000 };

  (void) data;
  fx_comm_up (fx);
  for (guint i = 0; i < G_N_ELEMENTS (gaps_ms); i++)
    {
      fx->now += gaps_ms[i] * MS;
      fx_status2 (fx, "eth0");
    }
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, "node2"), ==, 3000);
  /* Non-status packets do not count as heartbeats. */
  fx->now += 4000 * MS;
  HbMemberPacket p = fx_pkt ("node2", "eth0", FALSE, fx->seq2++, fx->gen2);
  fx_recv (fx, &p);
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, "node2"), ==, 3000);
  fx->now += 1000 * MS;
  fx_status2 (fx, "eth0");
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, "node2"), ==, 5000);
}

/* ---- links ---------------------------------------------------------------------------- */

static void
test_links (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx); /* node2 heard on eth0 at T0 */
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth0"), ==, "up");
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth1"), ==, "dead");
  fx->now += 1000 * MS;
  fx_status2 (fx, "eth1");
  e = fx_one (fx, HB_MEMBER_EVENT_LINK_UP);
  g_assert_cmpstr (e->message, ==, "Link node2:eth1 up.");
  g_assert_cmpstr (e->link, ==, "eth1");
  g_assert_cmpstr (e->status, ==, "up");
  g_assert_cmpint (e->severity, ==, HB_MEMBER_SEVERITY_INFO);
  /* eth0 goes quiet; node2 keeps talking on eth1. */
  for (guint i = 0; i < 15; i++)
    {
      fx->now += 1000 * MS;
      fx_status2 (fx, "eth1");
      fx_ping (fx);
    }
  e = fx_one (fx, HB_MEMBER_EVENT_LINK_DEAD);
  g_assert_cmpstr (e->message, ==, "Link node2:eth0 dead.");
  g_assert_cmpstr (e->link, ==, "eth0");
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth0"), ==, "dead");
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth1"), ==, "up");
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "active");
  fx_clear (fx);
  fx_status2 (fx, "eth0");
  e = fx_one (fx, HB_MEMBER_EVENT_LINK_UP);
  g_assert_cmpstr (e->message, ==, "Link node2:eth0 up.");
}

/* The link died exactly deadtime after its last packet. */
static void
test_link_dead_exact (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  gint64 last_eth0 = fx->now;
  fx->now += 500 * MS;
  fx_status2 (fx, "eth1");
  fx_ping (fx);
  fx_clear (fx);
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, last_eth0 + DEADTIME_MS * MS);
  fx_tick (fx, last_eth0 + DEADTIME_MS * MS - 1);
  g_assert_cmpuint (fx->ev->len, ==, 0);
  fx_tick (fx, last_eth0 + DEADTIME_MS * MS);
  fx_one (fx, HB_MEMBER_EVENT_LINK_DEAD);
  g_assert_cmpuint (fx->ev->len, ==, 1);
}

/* Non-status traffic keeps a link up but not the node. */
static void
test_link_kept_by_any_packet (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  for (guint i = 0; i < 12; i++)
    {
      HbMemberPacket p = fx_pkt ("node2", "eth0", FALSE, fx->seq2++, fx->gen2);

      fx->now += 1000 * MS;
      fx_recv (fx, &p);
      fx_ping (fx);
    }
  HbMemberEvent *e = fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD);
  g_assert_cmpuint (e->interval_ms, ==, DEADTIME_MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_LINK_DEAD), ==, 0);
  g_assert_cmpstr (hb_membership_link_status (fx->m, "node2", "eth0"), ==, "up");
}

static void
test_unknown_link (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  g_assert_cmpint (fx_status2 (fx, "eth7"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpint (fx_status2 (fx, NULL), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_LINK_UP), ==, 0);
}

/* ---- ping nodes --------------------------------------------------------------------- */

static void
test_ping_node (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx);
  g_assert_cmpstr (hb_membership_node_status (fx->m, PING_NODE), ==, "ping");
  g_assert_cmpstr (hb_membership_link_status (fx->m, PING_NODE, PING_NODE), ==, "up");
  for (guint i = 0; i < 30; i++)
    {
      fx->now += 1000 * MS;
      fx_status2 (fx, "eth0");
    }
  /* deadping, not deadtime, and never a NODE_DEAD. */
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  e = fx_one (fx, HB_MEMBER_EVENT_PING_DEAD);
  g_assert_cmpstr (e->node, ==, PING_NODE);
  g_assert_cmpint (e->node_type, ==, HB_MEMBER_NODE_PING);
  g_assert_cmpuint (e->interval_ms, ==, DEADPING_MS);
  g_assert_cmpstr (e->message, ==, "node " PING_NODE ": is dead");
  e = fx_one (fx, HB_MEMBER_EVENT_LINK_DEAD);
  g_assert_cmpstr (e->message, ==, "Link " PING_NODE ":" PING_NODE " dead.");
  g_assert_cmpstr (hb_membership_node_status (fx->m, PING_NODE), ==, "dead");
  fx_clear (fx);
  fx_ping (fx);
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_STATUS);
  g_assert_cmpstr (e->message, ==, "Status update for node " PING_NODE ": status ping");
  g_assert_cmpint (e->node_type, ==, HB_MEMBER_NODE_PING);
  fx_one (fx, HB_MEMBER_EVENT_LINK_UP);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
}

/* ---- own packets and strangers -------------------------------------------------------- */

static void
test_own_packets (Fx *fx, gconstpointer data)
{
  HbMemberPacket p = fx_pkt ("node1", "eth0", TRUE, 1, 7);

  (void) data;
  fx_comm_up (fx);
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_OWN);
  /* The same packet back on the second medium. */
  p.link = "eth1";
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DUPLICATE);
  p.seq = 2;
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_OWN);
  /* A packet of a previous incarnation of ourselves. */
  p.seq = 3;
  p.gen = 6;
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_REPLAY);
  HbMemberEvent *e = fx_one (fx, HB_MEMBER_EVENT_REPLAY);
  g_assert_cmpstr (e->message, ==,
                   "should_drop_message: attempted replay attack [node1]? [gen = 6, curgen = 7]");
  /* Own NS messages addressed elsewhere (our rexmit requests) are not for us. */
  HbMemberPacket ns = { .from_node = "node1", .is_ns = TRUE, .dest = "node2" };
  g_assert_cmpint (fx_recv (fx, &ns), ==, HB_MEMBER_DROP_NOT_FOR_US);
  ns.dest = NULL;
  g_assert_cmpint (fx_recv (fx, &ns), ==, HB_MEMBER_OWN);
  g_assert_cmpstr (hb_membership_local_status (fx->m), ==, "active");
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_STATUS), ==, 0);
}

static void
test_unknown_node (Fx *fx, gconstpointer data)
{
  HbMemberPacket p = fx_pkt ("intruder", "eth0", TRUE, 1, 1);

  (void) data;
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_UNKNOWN_NODE);
  p.from_node = NULL;
  g_assert_cmpint (fx_recv (fx, &p), ==, HB_MEMBER_DROP_UNKNOWN_NODE);
  g_assert_cmpuint (fx->ev->len, ==, 0);
}

/* ---- local heartbeat watchdog ---------------------------------------------------------- */

static void
test_local_watchdog (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx_status2 (fx, "eth0");
  fx_ping (fx);
  fx_clear (fx);
  hb_membership_local_heartbeat (fx->m, fx->now);
  gint64 sent = fx->now;
  /* Heard node2 at the same instant: the watchdog deadline coincides. */
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, sent + DEADTIME_MS * MS);
  fx->now += 5000 * MS;
  fx_status2 (fx, "eth0");
  fx_ping (fx);
  g_assert_cmpint (hb_membership_next_deadline_us (fx->m), ==, sent + DEADTIME_MS * MS);
  fx_tick (fx, sent + DEADTIME_MS * MS - 1);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NO_LOCAL_HEARTBEAT), ==, 0);
  fx_tick (fx, sent + DEADTIME_MS * MS);
  HbMemberEvent *e = fx_one (fx, HB_MEMBER_EVENT_NO_LOCAL_HEARTBEAT);
  g_assert_cmpstr (e->message, ==, "No local heartbeat. Forcing restart.");
  g_assert_cmpstr (e->node, ==, "node1");
  fx_tick (fx, sent + 2 * DEADTIME_MS * MS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NO_LOCAL_HEARTBEAT), ==, 1);
}

/* ---- clean shutdown of a peer -------------------------------------------------------- */

static void
test_node_left (Fx *fx, gconstpointer data)
{
  HbMemberEvent *e;

  (void) data;
  fx_comm_up (fx);
  fx->now += 1000 * MS;
  g_assert_true (hb_membership_node_left (fx->m, fx->now, "node2", fx->ev));
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_STATUS);
  g_assert_cmpstr (e->message, ==, "Status update for node node2: status dead");
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "dead");
  g_assert_false (hb_membership_node_left (fx->m, fx->now, "node1", fx->ev));
  g_assert_false (hb_membership_node_left (fx->m, fx->now, PING_NODE, fx->ev));
  g_assert_false (hb_membership_node_left (fx->m, fx->now, "nodeX", fx->ev));
  /* No timeout death follows. */
  fx_clear (fx);
  for (guint i = 0; i < 30; i++)
    {
      fx->now += 1000 * MS;
      fx_ping (fx);
    }
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_DEAD), ==, 0);
  /* It starts again (new generation): back to active, no partition. */
  fx_clear (fx);
  fx->gen2 = 6;
  fx->seq2 = 1;
  fx_status2 (fx, "eth0");
  e = fx_one (fx, HB_MEMBER_EVENT_NODE_STATUS);
  g_assert_cmpstr (e->status, ==, "active");
  fx_one (fx, HB_MEMBER_EVENT_NODE_RESTART);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_PARTITION_HEALED), ==, 0);
}

/* Media sharing a device are one link (shared ha.cf with one ucast per node). */
static void
test_shared_link_names (void)
{
  const HbMemberNodeParam nodes[] = { { "a", HB_MEMBER_NODE_NORMAL },
                                      { "b", HB_MEMBER_NODE_NORMAL } };
  const char *const links[] = { "eth1", "eth0", "eth1", NULL };
  const char *const want[] = { "eth1", "eth0", NULL };
  HbMembershipParams p = { .local_node = "a", .nodes = nodes, .n_nodes = 2, .links = links,
                           .deadtime_ms = 1000 };
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMembership) m = hb_membership_new (&p, 0, &error);
  g_auto (GStrv) got = NULL;

  g_assert_no_error (error);
  got = hb_membership_list_links (m, "b");
  g_assert_true (g_strv_equal ((const char *const *) got, want));
}

/* ---- names -------------------------------------------------------------------------------- */

static void
test_names (void)
{
  g_assert_cmpstr (hb_member_node_type_to_string (HB_MEMBER_NODE_NORMAL), ==, "normal");
  g_assert_cmpstr (hb_member_node_type_to_string (HB_MEMBER_NODE_PING), ==, "ping");
  g_assert_cmpstr (hb_member_node_type_to_string (HB_MEMBER_NODE_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (hb_member_severity_to_string (HB_MEMBER_SEVERITY_CRIT), ==, "CRIT");
  g_assert_cmpstr (hb_member_severity_to_string (HB_MEMBER_SEVERITY_WARNING), ==, "WARN");
  g_assert_cmpstr (hb_member_severity_to_string (HB_MEMBER_SEVERITY_INFO), ==, "info");
  g_assert_cmpstr (hb_member_verdict_to_string (HB_MEMBER_DROP_REPLAY), ==, "drop-replay");
  g_assert_cmpstr (hb_member_event_type_to_string (HB_MEMBER_EVENT_PING_DEAD), ==, "ping-dead");
  g_assert_cmpstr (hb_member_event_type_to_string (HB_MEMBER_EVENT_REXMIT_REQUEST), ==,
                   "rexmit-request");
  g_assert_cmpstr (hb_member_event_type_to_string ((HbMemberEventType) 999), ==, "invalid");
  g_assert_cmpstr (hb_member_verdict_to_string ((HbMemberVerdict) 999), ==, "invalid");
}

/* Time only enters through now_us, and nothing bounds it: instants near the
 * end of the gint64 range must saturate (no signed overflow, no deadline in
 * the past), and a clock that steps back must not produce a "late" interval
 * of 2^64 - x ms. */
static void
test_extreme_clock (void)
{
  const gint64 starts[] = { G_MAXINT64 - 5 * G_TIME_SPAN_SECOND, G_MAXINT64 - 1, G_MININT64 + 1 };

  for (gsize i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      Fx fx = { .random_value = 100 };
      HbMembershipParams p = fx_params (&fx);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) ev = hb_member_events_new ();
      g_autoptr (HbMembership) m = NULL;
      gint64 now = starts[i];
      HbMemberPacket st1 = fx_pkt ("node2", "eth0", TRUE, 1, 5);
      HbMemberPacket st5 = fx_pkt ("node2", "eth0", TRUE, 5, 5);

      m = hb_membership_new (&p, now, &error);
      g_assert_no_error (error);
      hb_membership_set_local_status (m, now, HB_NODE_STATUS_UP, ev);
      hb_membership_local_heartbeat (m, now);
      g_assert_cmpint (hb_membership_receive (m, now, &st1, ev), ==, HB_MEMBER_PROCESS);
      /* A gap: rexmit requests are scheduled now + delay. */
      g_assert_cmpint (hb_membership_receive (m, now, &st5, ev), ==, HB_MEMBER_PROCESS);
      g_assert_cmpint (hb_membership_next_deadline_us (m), >=, now);
      hb_membership_tick (m, hb_membership_next_deadline_us (m), ev);
      hb_membership_tick (m, G_MAXINT64, ev);
      g_assert_cmpint (hb_membership_next_deadline_us (m), >=, now);
      hb_membership_tick (m, G_MAXINT64, ev);
    }
}

static void
test_clock_steps_back (Fx *fx, gconstpointer data)
{
  (void) data;
  fx_comm_up (fx);
  fx->now -= 3000 * MS;
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (fx_count (fx, HB_MEMBER_EVENT_NODE_LATE), ==, 0);
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, "node2"), ==, 0);
  fx_clear (fx);
  fx->now -= 3000 * MS;
  g_assert_cmpint (fx_ping (fx), ==, HB_MEMBER_PROCESS);
  g_assert_cmpuint (hb_membership_worst_interval_ms (fx->m, PING_NODE), ==, 0);
  fx_tick (fx, fx->now + DEADTIME_MS * MS + 3000 * MS);
  g_assert_cmpstr (hb_membership_node_status (fx->m, "node2"), ==, "dead");
  g_assert_cmpuint (fx_one (fx, HB_MEMBER_EVENT_NODE_DEAD)->interval_ms, ==, DEADTIME_MS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_params); i++)
    {
      g_autofree char *path = g_strdup_printf ("/membership/params/%s", bad_params[i].name);

      g_test_add_data_func (path, &bad_params[i], test_bad_params);
    }
  FX_TEST ("/membership/initial-state", test_initial_state);
  FX_TEST ("/membership/local-status", test_local_status);
  FX_TEST ("/membership/initdead", test_initdead);
  FX_TEST ("/membership/comm-up/all-heard", test_comm_up_all_heard);
  FX_TEST ("/membership/comm-up/any-packet", test_comm_up_any_packet);
  g_test_add ("/membership/comm-up/late-first-packet/message", Fx, GINT_TO_POINTER (FALSE), fx_setup,
              test_comm_up_late_first_packet, fx_teardown);
  g_test_add ("/membership/comm-up/late-first-packet/ns", Fx, GINT_TO_POINTER (TRUE), fx_setup,
              test_comm_up_late_first_packet, fx_teardown);
  FX_TEST ("/membership/comm-up/late-silent", test_comm_up_late_silent);
  g_test_add_func ("/membership/comm-up/single-node", test_comm_up_single_node);
  FX_TEST ("/membership/dead/exact", test_dead_exact);
  FX_TEST ("/membership/dead/only-at-deadline", test_dead_only_at_deadline);
  FX_TEST ("/membership/dead/advertised-dt", test_advertised_dt);
  FX_TEST ("/membership/dead/advertised-dt-clamped", test_advertised_dt_clamped);
  FX_TEST ("/membership/late/warntime", test_late);
  FX_TEST ("/membership/late/beyond-deadtime", test_late_beyond_deadtime);
  FX_TEST ("/membership/late/worst-interval", test_worst_interval);
  FX_TEST ("/membership/late/advertised-dt", test_late_with_dt);
  FX_TEST ("/membership/links/per-link", test_links);
  FX_TEST ("/membership/links/dead-exact", test_link_dead_exact);
  FX_TEST ("/membership/links/any-packet", test_link_kept_by_any_packet);
  FX_TEST ("/membership/links/unknown", test_unknown_link);
  FX_TEST ("/membership/ping", test_ping_node);
  FX_TEST ("/membership/own-packets", test_own_packets);
  FX_TEST ("/membership/unknown-node", test_unknown_node);
  FX_TEST ("/membership/local-watchdog", test_local_watchdog);
  g_test_add_func ("/membership/names", test_names);
  FX_TEST ("/membership/node-left", test_node_left);
  g_test_add_func ("/membership/links/shared-names", test_shared_link_names);
  g_test_add_func ("/membership/clock/extreme", test_extreme_clock);
  FX_TEST ("/membership/clock/steps-back", test_clock_steps_back);
  return g_test_run ();
}
