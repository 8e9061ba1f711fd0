/* End-to-end retransmission on a fake clock: node1 sends through a lossy
 * channel to node2; node2's membership asks for the missing seqs, node1's
 * transmit history serves them, and every message is processed exactly once
 * (docs/PROTOCOL.md, "Retransmission"). This is also the wiring the daemon does. */
#include "membership.h"
#include "xmithist.h"

#include <string.h>

#define MS G_TIME_SPAN_MILLISECOND

typedef struct
{
  HbMembership *rx;        /* node2's view */
  HbXmitHist *hist;        /* node1's history */
  GPtrArray *ev;
  gint64 now;
  GHashTable *processed;   /* seq -> count of PROCESS verdicts at node2 */
  guint n_resent;
} Sim;

static const HbMemberNodeParam nodes[] = {
  { "node1", HB_MEMBER_NODE_NORMAL },
  { "node2", HB_MEMBER_NODE_NORMAL },
};
static const char *const links[] = { "eth0", NULL };

static guint
fixed_random (guint lo, guint hi, gpointer data)
{
  (void) data;
  return (lo + hi) / 2;
}

static void
deliver (Sim *s, guint64 seq, gboolean is_status)
{
  HbMemberPacket p = { .from_node = "node1", .link = "eth0", .is_status = is_status,
                       .status = is_status ? "active" : NULL, .has_seq = TRUE, .seq = seq,
                       .has_gen = TRUE, .gen = 3 };

  if (hb_membership_receive (s->rx, s->now, &p, s->ev) == HB_MEMBER_PROCESS)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (s->processed, &seq));
      guint64 *key = g_new (guint64, 1);

      *key = seq;
      g_hash_table_replace (s->processed, key, GUINT_TO_POINTER (n + 1));
    }
}

/* node2 -> node1: NS_rexmit firstseq=lastseq=seq; node1 serves; resends are
 * delivered without loss. */
static void
serve_requests (Sim *s)
{
  g_autoptr (GPtrArray) requests = g_ptr_array_new ();

  for (guint i = 0; i < s->ev->len; i++)
    {
      HbMemberEvent *e = g_ptr_array_index (s->ev, i);

      if (e->type == HB_MEMBER_EVENT_REXMIT_REQUEST)
        {
          g_assert_cmpstr (e->node, ==, "node1");
          g_ptr_array_add (requests, GUINT_TO_POINTER ((guint) e->seq));
        }
    }
  g_ptr_array_set_size (s->ev, 0);
  for (guint i = 0; i < requests->len; i++)
    {
      g_autoptr (GPtrArray) replies = g_ptr_array_new_with_free_func (
          (GDestroyNotify) hb_xmit_reply_free);
      guint64 seq = GPOINTER_TO_UINT (requests->pdata[i]);

      s->n_resent += hb_xmithist_serve (s->hist, s->now, seq, seq, "node2", replies);
      for (guint j = 0; j < replies->len; j++)
        {
          HbXmitReply *r = g_ptr_array_index (replies, j);
          gsize len;
          const char *text = g_bytes_get_data (r->msg, &len);

          g_assert_cmpint (r->kind, ==, HB_XMIT_RESEND);
          /* The stored bytes are what we resend: recover the seq from them. */
          g_assert_true (g_str_has_prefix (text, "seq="));
          deliver (s, g_ascii_strtoull (text + 4, NULL, 10), FALSE);
        }
    }
}

static void
test_lossy_channel (void)
{
  HbMembershipParams p = { .local_node = "node2", .nodes = nodes, .n_nodes = 2, .links = links,
                           .keepalive_ms = 1000, .deadtime_ms = 10000, .warntime_ms = 5000,
                           .initdead_ms = 30000, .max_rexmit_delay_ms = 250,
                           .random = fixed_random };
  Sim s = { 0 };
  const guint64 n_msgs = 400;
  g_autoptr (GRand) loss = g_rand_new_with_seed (7);
  guint n_lost = 0;

  s.now = 1000 * G_TIME_SPAN_SECOND;
  s.rx = hb_membership_new (&p, s.now, NULL);
  s.hist = hb_xmithist_new (250);
  s.ev = hb_member_events_new ();
  s.processed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  hb_membership_set_local_status (s.rx, s.now, "up", s.ev);

  /* node1 sends one message every 20 ms, every 10th a status; 15 % are lost
   * (never the first, a status, nor the last few: a loss is only noticed
   * when a later packet arrives). */
  for (guint64 seq = 1; seq <= n_msgs; seq++)
    {
      g_autofree char *text = g_strdup_printf ("seq=%" G_GUINT64_FORMAT, seq);
      g_autoptr (GBytes) msg = g_bytes_new (text, strlen (text) + 1);

      s.now += 20 * MS;
      g_assert_true (hb_xmithist_add (s.hist, seq, msg));
      if (seq > 1 && seq < n_msgs - 5 && g_rand_int_range (loss, 0, 100) < 15)
        {
          n_lost++;
        }
      else
        {
          deliver (&s, seq, seq % 10 == 1);
        }
      /* The daemon's timer: fire everything due up to now, serve requests. */
      while (hb_membership_next_deadline_us (s.rx) <= s.now)
        {
          hb_membership_tick (s.rx, hb_membership_next_deadline_us (s.rx), s.ev);
        }
      serve_requests (&s);
    }
  /* Let the outstanding requests run. */
  for (guint i = 0; i < 20; i++)
    {
      s.now += 100 * MS;
      hb_membership_tick (s.rx, s.now, s.ev);
      serve_requests (&s);
    }

  g_test_message ("%u of %" G_GUINT64_FORMAT " lost, %u resent", n_lost, n_msgs, s.n_resent);
  g_assert_cmpuint (n_lost, >, 20);
  g_assert_cmpuint (s.n_resent, ==, n_lost);
  for (guint64 seq = 1; seq <= n_msgs; seq++)
    {
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (s.processed, &seq)), ==, 1);
    }
  g_assert_cmpstr (hb_membership_node_status (s.rx, "node1"), ==, "active");
  g_assert_true (hb_membership_comm_is_up (s.rx));

  g_hash_table_unref (s.processed);
  g_ptr_array_unref (s.ev);
  hb_xmithist_free (s.hist);
  hb_membership_free (s.rx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/membership/rexmit/lossy-channel", test_lossy_channel);
  return g_test_run ();
}
