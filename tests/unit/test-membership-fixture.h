/* Shared fixture for the lib/membership tests: a three-node configuration
 * (node1 = local, node2 normal, ping node 192.0.2.254) with two media, a fake
 * monotonic clock and a scripted random source. */
#pragma once

#include "membership.h"

#include <string.h>

#define MS G_TIME_SPAN_MILLISECOND
#define T0 (1000 * G_TIME_SPAN_SECOND) /* arbitrary monotonic start */

#define KEEPALIVE_MS 1000
#define DEADTIME_MS 10000
#define WARNTIME_MS 5000
#define INITDEAD_MS 30000
#define DEADPING_MS 20000
#define REXMIT_MS 250
#define PING_NODE "192.0.2.254"

typedef struct
{
  HbMembership *m;
  GPtrArray *ev;     /* events of the last call(s); cleared by fx_clear */
  gint64 now;        /* the fake clock */
  guint random_value;
  guint random_lo;   /* last range asked for */
  guint random_hi;
  guint random_calls;
  guint64 seq2;      /* next seq node2 sends */
  guint64 gen2;
} Fx;

static guint
fx_random (guint lo, guint hi, gpointer data)
{
  Fx *fx = data;

  fx->random_lo = lo;
  fx->random_hi = hi;
  fx->random_calls++;
  return fx->random_value;
}

static const HbMemberNodeParam fx_nodes[] = {
  { "node1", HB_MEMBER_NODE_NORMAL },
  { "node2", HB_MEMBER_NODE_NORMAL },
  { PING_NODE, HB_MEMBER_NODE_PING },
};
static const char *const fx_links[] = { "eth0", "eth1", NULL };

static HbMembershipParams
fx_params (Fx *fx)
{
  HbMembershipParams p = {
    .local_node = "node1",
    .local_generation = 7,
    .nodes = fx_nodes,
    .n_nodes = G_N_ELEMENTS (fx_nodes),
    .links = fx_links,
    .keepalive_ms = KEEPALIVE_MS,
    .deadtime_ms = DEADTIME_MS,
    .warntime_ms = WARNTIME_MS,
    .initdead_ms = INITDEAD_MS,
    .deadping_ms = DEADPING_MS,
    .max_rexmit_delay_ms = REXMIT_MS,
    .random = fx_random,
    .random_data = fx,
  };
  return p;
}

static void
fx_setup_params (Fx *fx, const HbMembershipParams *p)
{
  g_autoptr (GError) error = NULL;

  fx->now = T0;
  fx->random_value = 100;
  fx->seq2 = 1;
  fx->gen2 = 5;
  fx->ev = hb_member_events_new ();
  fx->m = hb_membership_new (p, fx->now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->m);
}

static void
fx_setup (Fx *fx, gconstpointer data)
{
  HbMembershipParams p = fx_params (fx);

  (void) data;
  fx_setup_params (fx, &p);
}

static void
fx_teardown (Fx *fx, gconstpointer data)
{
  (void) data;
  hb_membership_free (fx->m);
  g_ptr_array_unref (fx->ev);
}

static void
fx_clear (Fx *fx)
{
  g_ptr_array_set_size (fx->ev, 0);
}

static guint
fx_count (Fx *fx, HbMemberEventType type)
{
  guint n = 0;

  for (guint i = 0; i < fx->ev->len; i++)
    {
      n += ((HbMemberEvent *) g_ptr_array_index (fx->ev, i))->type == type;
    }
  return n;
}

static HbMemberEvent *
fx_find (Fx *fx, HbMemberEventType type)
{
  for (guint i = 0; i < fx->ev->len; i++)
    {
      HbMemberEvent *e = g_ptr_array_index (fx->ev, i);

      if (e->type == type)
        {
          return e;
        }
    }
  return NULL;
}

/* Asserts exactly one event of `type` and returns it. */
static HbMemberEvent *
fx_one (Fx *fx, HbMemberEventType type)
{
  if (fx_count (fx, type) != 1)
    {
      for (guint i = 0; i < fx->ev->len; i++)
        {
          HbMemberEvent *e = g_ptr_array_index (fx->ev, i);

          g_test_message ("event %u: %s %s", i, hb_member_event_type_to_string (e->type),
                          e->message);
        }
      g_test_message ("expected one %s event", hb_member_event_type_to_string (type));
    }
  g_assert_cmpuint (fx_count (fx, type), ==, 1);
  return fx_find (fx, type);
}

static void
fx_tick (Fx *fx, gint64 at)
{
  fx->now = at;
  hb_membership_tick (fx->m, fx->now, fx->ev);
}

/* A packet from node2 as the wire layer would describe it. */
static HbMemberPacket
fx_pkt (const char *from, const char *link, gboolean status, guint64 seq, guint64 gen)
{
  HbMemberPacket p = {
    .from_node = from,
    .link = link,
    .is_status = status,
    .status = status ? HB_NODE_STATUS_ACTIVE : NULL,
    .has_seq = TRUE,
    .seq = seq,
    .has_gen = TRUE,
    .gen = gen,
  };
  return p;
}

static HbMemberVerdict
fx_recv (Fx *fx, const HbMemberPacket *p)
{
  return hb_membership_receive (fx->m, fx->now, p, fx->ev);
}

/* node2 sends its next status on `link`. */
static HbMemberVerdict
fx_status2 (Fx *fx, const char *link)
{
  HbMemberPacket p = fx_pkt ("node2", link, TRUE, fx->seq2++, fx->gen2);

  return fx_recv (fx, &p);
}

static HbMemberVerdict
fx_ping (Fx *fx)
{
  HbMemberPacket p = { .from_node = PING_NODE, .link = "eth0", .is_status = TRUE, .is_ns = TRUE,
                       .status = HB_NODE_STATUS_PING };

  return fx_recv (fx, &p);
}

/* Local up, node2 and the ping node heard: comm is up at fx->now. */
static void
fx_comm_up (Fx *fx)
{
  hb_membership_set_local_status (fx->m, fx->now, HB_NODE_STATUS_UP, fx->ev);
  g_assert_cmpint (fx_status2 (fx, "eth0"), ==, HB_MEMBER_PROCESS);
  g_assert_cmpint (fx_ping (fx), ==, HB_MEMBER_PROCESS);
  g_assert_true (hb_membership_comm_is_up (fx->m));
  fx_clear (fx);
}

#define FX_TEST(path, fn) g_test_add (path, Fx, NULL, fx_setup, fn, fx_teardown)
