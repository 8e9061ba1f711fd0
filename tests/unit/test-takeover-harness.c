/* The in-memory two-node lab of test-takeover-harness.h. */
#include "test-takeover-harness.h"

#include <string.h>

#define LAB_MAX_STEPS 100000

typedef struct
{
  guint from;
  HbTakeoverMsg *msg;
} TkPacket;

static const char *const node_names[] = { "node1", "node2" };

static void
packet_free (TkPacket *p)
{
  hb_takeover_msg_free (p->msg);
  g_free (p);
}

/* ---- configuration built by hand (what lib/config would produce) --------------- */

static void
lab_config (TkLab *lab, guint i, const TkGroupSpec *groups, guint n_groups)
{
  HbConfig *c = &lab->config[i];

  c->local_node = g_strdup (node_names[i]);
  c->auto_failback = lab->afb;
  c->auto_failback_explicit = TRUE;
  c->nodes = g_ptr_array_new ();
  c->groups = g_ptr_array_new ();
  for (guint n = 0; n < 2; n++)
    {
      HbNodeConf *node = g_new0 (HbNodeConf, 1);

      node->name = g_strdup (node_names[n]);
      node->type = HB_NODE_NORMAL;
      g_ptr_array_add (c->nodes, node);
    }
  for (guint g = 0; g < n_groups; g++)
    {
      HbResourceGroup *rg = g_new0 (HbResourceGroup, 1);

      rg->home_node = g_strdup (groups[g].home);
      rg->key = g_strdup (groups[g].key);
      g_ptr_array_add (c->groups, rg);
    }
}

static void
lab_config_clear (HbConfig *c)
{
  for (guint n = 0; n < c->nodes->len; n++)
    {
      HbNodeConf *node = g_ptr_array_index (c->nodes, n);

      g_free (node->name);
      g_free (node);
    }
  for (guint g = 0; g < c->groups->len; g++)
    {
      HbResourceGroup *rg = g_ptr_array_index (c->groups, g);

      g_free (rg->home_node);
      g_free (rg->key);
      g_free (rg);
    }
  g_ptr_array_unref (c->nodes);
  g_ptr_array_unref (c->groups);
  g_free (c->local_node);
}

TkLab *
lab_new (HbAutoFailback afb, const TkGroupSpec *groups, guint n_groups)
{
  TkLab *lab = g_new0 (TkLab, 1);

  lab->afb = afb;
  lab->now = G_GINT64_CONSTANT (1000000000);
  lab->link_up = TRUE;
  lab->wire = g_queue_new ();
  for (guint i = 0; i < 2; i++)
    {
      TkNode *node = &lab->node[i];

      lab_config (lab, i, groups, n_groups);
      node->lab = lab;
      node->name = g_strdup (node_names[i]);
      node->trace = g_ptr_array_new_with_free_func (g_free);
      node->actual = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      node->fail_start = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      node->fail_stop = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      node->ops = g_queue_new ();
    }
  return lab;
}

void
lab_free (TkLab *lab)
{
  for (guint i = 0; i < 2; i++)
    {
      TkNode *node = &lab->node[i];

      g_clear_pointer (&node->t, hb_takeover_free);
      g_free (node->name);
      g_ptr_array_unref (node->trace);
      g_hash_table_unref (node->actual);
      g_hash_table_unref (node->fail_start);
      g_hash_table_unref (node->fail_stop);
      g_queue_free_full (node->ops, g_free);
      lab_config_clear (&lab->config[i]);
    }
  g_queue_free_full (lab->wire, (GDestroyNotify) packet_free);
  g_free (lab);
}

/* ---- executing actions ---------------------------------------------------------------- */

static void
trace (TkNode *node, char *line)
{
  if (g_getenv ("TK_TRACE") != NULL)
    {
      g_printerr ("# %s %s\n", node->name, line);
    }
  g_ptr_array_add (node->trace, line);
}

static void
lab_execute (TkLab *lab, guint i, GPtrArray *actions)
{
  TkNode *node = &lab->node[i];

  for (guint a = 0; a < actions->len; a++)
    {
      HbTakeoverAction *act = g_ptr_array_index (actions, a);

      switch (act->type)
        {
        case HB_TAKEOVER_SEND_MESSAGE:
          {
            TkPacket *p = g_new0 (TkPacket, 1);
            g_autofree char *text = hb_takeover_msg_to_string (act->msg);

            trace (node, g_strdup_printf ("send %s", text));
            p->from = i;
            p->msg = g_steal_pointer (&act->msg);
            g_queue_push_tail (lab->wire, p);
            break;
          }
        case HB_TAKEOVER_LOG:
          trace (node, g_strdup_printf ("log %s: %s", hb_takeover_log_level_to_string (act->level),
                                        act->text));
          break;
        case HB_TAKEOVER_START_GROUP:
        case HB_TAKEOVER_STOP_GROUP:
        case HB_TAKEOVER_PROBE_GROUP:
          trace (node, g_strdup_printf ("%s %s", hb_takeover_action_type_to_string (act->type),
                                        act->group));
          g_queue_push_tail (node->ops, g_strdup_printf ("%s %s",
                                                         hb_takeover_action_type_to_string (act->type),
                                                         act->group));
          break;
        case HB_TAKEOVER_SHUTDOWN_COMPLETE:
          trace (node, g_strdup ("shutdown-complete"));
          break;
        default:
          trace (node, g_strdup_printf ("%s %s", hb_takeover_action_type_to_string (act->type),
                                        act->group));
          break;
        }
    }
}

/* Runs fn on node i's engine with a fresh action array, then executes it. */
#define LAB_CALL(lab, i, call)                                                                  \
  G_STMT_START                                                                                  \
  {                                                                                             \
    g_autoptr (GPtrArray) actions_ = hb_takeover_actions_new ();                                \
    GPtrArray *actions = actions_;                                                              \
    HbTakeover *t = (lab)->node[i].t;                                                           \
    call;                                                                                       \
    lab_execute ((lab), (i), actions_);                                                         \
  }                                                                                             \
  G_STMT_END

void
lab_boot (TkLab *lab, guint i)
{
  g_assert_null (lab->node[i].t);
  lab->node[i].t = hb_takeover_new (&lab->config[i], NULL);
  LAB_CALL (lab, i, hb_takeover_start (t, lab->now, actions));
}

void
lab_comm_up (TkLab *lab, guint i, HbPeerState peer)
{
  LAB_CALL (lab, i, hb_takeover_comm_up (t, lab->now, peer, actions));
}

void
lab_start_both (TkLab *lab)
{
  lab_boot (lab, 0);
  lab_boot (lab, 1);
  lab_run (lab);
  lab_comm_up (lab, 0, HB_PEER_ALIVE);
  lab_comm_up (lab, 1, HB_PEER_ALIVE);
  lab_run (lab);
}

void
lab_kill (TkLab *lab, guint i)
{
  g_clear_pointer (&lab->node[i].t, hb_takeover_free);
  g_queue_clear_full (lab->node[i].ops, g_free);
}

void
lab_peer_dead (TkLab *lab, guint i)
{
  LAB_CALL (lab, i, hb_takeover_peer_dead (t, lab->now, actions));
}

void
lab_peer_restarted (TkLab *lab, guint i)
{
  LAB_CALL (lab, i, hb_takeover_peer_restarted (t, lab->now, actions));
}

void
lab_shutdown (TkLab *lab, guint i)
{
  LAB_CALL (lab, i, hb_takeover_shutdown (t, lab->now, actions));
}

gboolean
lab_standby (TkLab *lab, guint i, const char *what, GError **error)
{
  gboolean ok = FALSE;

  LAB_CALL (lab, i, ok = hb_takeover_standby (t, lab->now, what, actions, error));
  return ok;
}

gboolean
lab_takeover (TkLab *lab, guint i, const char *what, GError **error)
{
  gboolean ok = FALSE;

  LAB_CALL (lab, i, ok = hb_takeover_takeover (t, lab->now, what, actions, error));
  return ok;
}

void
lab_set_ping (TkLab *lab, guint i, guint reachable, guint total)
{
  LAB_CALL (lab, i, hb_takeover_set_ping (t, lab->now, reachable, total, actions));
}

void
lab_healed (TkLab *lab, guint i)
{
  LAB_CALL (lab, i, hb_takeover_partition_healed (t, lab->now, actions));
}

/* ---- the fake agent runner ---------------------------------------------------------- */

gboolean
lab_complete_op (TkLab *lab, guint i)
{
  TkNode *node = &lab->node[i];
  g_autofree char *op = g_queue_pop_head (node->ops);
  g_autoptr (GError) error = NULL;
  const char *key;
  gboolean ok = TRUE;

  if (op == NULL || node->t == NULL)
    {
      return FALSE;
    }
  key = strchr (op, ' ') + 1;
  if (g_str_has_prefix (op, "start "))
    {
      const char *bad = g_hash_table_lookup (node->fail_start, key);

      if (bad == NULL)
        {
          g_hash_table_add (node->actual, g_strdup (key));
        }
      LAB_CALL (lab, i, ok = hb_takeover_group_started (t, lab->now, key, bad == NULL, bad,
                                                       actions, &error));
    }
  else if (g_str_has_prefix (op, "stop "))
    {
      gboolean fails = g_hash_table_contains (node->fail_stop, key);

      if (!fails)
        {
          g_hash_table_remove (node->actual, key);
        }
      LAB_CALL (lab, i, ok = hb_takeover_group_stopped (t, lab->now, key, !fails, actions,
                                                       &error));
    }
  else
    {
      gboolean running = g_hash_table_contains (node->actual, key);

      LAB_CALL (lab, i, ok = hb_takeover_group_probed (t, lab->now, key, running, actions,
                                                      &error));
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  return TRUE;
}

/* ---- the wire ----------------------------------------------------------------------------- */

static void
lab_deliver (TkLab *lab, TkPacket *p)
{
  guint to = 1 - p->from;
  TkNode *node = &lab->node[to];
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  if (!lab->link_up || node->t == NULL)
    {
      return;
    }
  hb_takeover_msg_add (p->msg, "src", node_names[p->from]);
  LAB_CALL (lab, to, ok = hb_takeover_receive (t, lab->now, p->msg, actions, &error));
  g_assert_no_error (error);
  g_assert_true (ok);
}

void
lab_run (TkLab *lab)
{
  for (;;)
    {
      TkPacket *p = g_queue_pop_head (lab->wire);

      g_assert_cmpuint (++lab->steps, <, LAB_MAX_STEPS);
      if (p != NULL)
        {
          if (!lab->node[p->from].scripted)
            {
              lab_deliver (lab, p);
            }
          packet_free (p);
          continue;
        }
      if (!lab->node[0].hold_agents && lab_complete_op (lab, 0))
        {
          continue;
        }
      if (!lab->node[1].hold_agents && lab_complete_op (lab, 1))
        {
          continue;
        }
      break;
    }
}

void
lab_advance (TkLab *lab, guint ms)
{
  gint64 target = lab->now + (gint64) ms * 1000;

  lab_run (lab);
  for (;;)
    {
      gint64 next = G_MAXINT64;
      guint which = 0;

      for (guint i = 0; i < 2; i++)
        {
          if (lab->node[i].t != NULL && hb_takeover_next_deadline (lab->node[i].t) < next)
            {
              next = hb_takeover_next_deadline (lab->node[i].t);
              which = i;
            }
        }
      if (next > target)
        {
          break;
        }
      lab->now = MAX (lab->now, next);
      LAB_CALL (lab, which, hb_takeover_tick (t, lab->now, actions));
      lab_run (lab);
    }
  lab->now = target;
}

void
lab_inject (TkLab *lab, guint i, const char *text)
{
  g_auto (GStrv) fields = g_strsplit (text, " ", -1);
  g_autoptr (HbTakeoverMsg) msg = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  g_assert_true (g_str_has_prefix (fields[0], "t="));
  msg = hb_takeover_msg_new (fields[0] + 2);
  for (guint f = 1; fields[f] != NULL; f++)
    {
      char *eq = strchr (fields[f], '=');

      g_assert_nonnull (eq);
      *eq = '\0';
      hb_takeover_msg_add (msg, fields[f], eq + 1);
    }
  if (hb_takeover_msg_get (msg, "src") == NULL)
    {
      hb_takeover_msg_add (msg, "src", node_names[1 - i]);
    }
  trace (&lab->node[1 - i], g_strdup_printf ("send %s", text));
  LAB_CALL (lab, i, ok = hb_takeover_receive (t, lab->now, msg, actions, &error));
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* ---- queries ---------------------------------------------------------------------------- */

const char *
lab_runner (TkLab *lab, const char *key)
{
  gboolean one = g_hash_table_contains (lab->node[0].actual, key);
  gboolean two = g_hash_table_contains (lab->node[1].actual, key);

  return one && two ? "both" : one ? "node1" : two ? "node2" : "none";
}

gint
lab_find (TkLab *lab, guint i, const char *line)
{
  GPtrArray *tr = lab->node[i].trace;

  for (guint n = 0; n < tr->len; n++)
    {
      if (g_strcmp0 (g_ptr_array_index (tr, n), line) == 0)
        {
          return (gint) n;
        }
    }
  return -1;
}

guint
lab_count (TkLab *lab, guint i, const char *line)
{
  GPtrArray *tr = lab->node[i].trace;
  guint count = 0;

  for (guint n = 0; n < tr->len; n++)
    {
      count += g_strcmp0 (g_ptr_array_index (tr, n), line) == 0;
    }
  return count;
}

void
lab_dump (TkLab *lab, guint i)
{
  GPtrArray *tr = lab->node[i].trace;

  for (guint n = 0; n < tr->len; n++)
    {
      g_test_message ("%s[%u] %s", node_names[i], n, (const char *) g_ptr_array_index (tr, n));
    }
}

void
lab_expect (TkLab *lab, guint i, const char *line)
{
  if (lab_find (lab, i, line) < 0)
    {
      lab_dump (lab, i);
      g_test_message ("%s: missing line: %s", node_names[i], line);
      g_test_fail ();
    }
}

void
lab_expect_not (TkLab *lab, guint i, const char *line)
{
  if (lab_find (lab, i, line) >= 0)
    {
      lab_dump (lab, i);
      g_test_message ("%s: unexpected line: %s", node_names[i], line);
      g_test_fail ();
    }
}

/* The lines appear in this order (others may come between). */
void
lab_expect_seq (TkLab *lab, guint i, const char *const *lines)
{
  GPtrArray *tr = lab->node[i].trace;
  guint n = 0;

  for (guint l = 0; lines[l] != NULL; l++)
    {
      while (n < tr->len && g_strcmp0 (g_ptr_array_index (tr, n), lines[l]) != 0)
        {
          n++;
        }
      if (n == tr->len)
        {
          lab_dump (lab, i);
          g_test_message ("%s: missing (in order): %s", node_names[i], lines[l]);
          g_test_fail ();
          return;
        }
      n++;
    }
}

void
lab_clear (TkLab *lab)
{
  for (guint i = 0; i < 2; i++)
    {
      g_ptr_array_set_size (lab->node[i].trace, 0);
    }
}
