/* systole: everything that happens because time passed: node and link death,
 * retransmission requests, the local heartbeat watchdog. See membership.h.
 *
 * Heartbeat polled these every 250 ms (HB3 check_for_timeouts); we compute the
 * exact next deadline instead so the daemon arms one timer, and a node is
 * declared dead when now >= last status + dead interval: never earlier.
 */
#include "member-private.h"

#include <string.h>

static void
expire_links (MemberNode *node, gint64 now_us, gint64 interval_us, GPtrArray *out)
{
  for (guint i = 0; i < node->links->len; i++)
    {
      MemberLink *link = g_ptr_array_index (node->links, i);
      HbMemberEvent *ev;

      if (!link->up || now_us < hb_member_time_add (link->last_us, interval_us))
        {
          continue;
        }
      link->up = FALSE;
      ev = hb_member_emit (out, HB_MEMBER_EVENT_LINK_DEAD, HB_MEMBER_SEVERITY_INFO, node,
                           "Link %s:%s dead.", node->name, link->name);
      if (ev != NULL)
        {
          ev->link = g_strdup (link->name);
          ev->status = g_strdup (HB_LINK_STATUS_DEAD);
        }
    }
}

static void
expire_node (MemberNode *node, gint64 now_us, gint64 interval_us, GPtrArray *out)
{
  HbMemberEvent *ev;
  gboolean ping = (node->type == HB_MEMBER_NODE_PING);

  if (strcmp (node->status, HB_NODE_STATUS_DEAD) == 0
      || now_us < hb_member_time_add (node->last_status_us, interval_us))
    {
      return;
    }
  node->declared_dead = TRUE;
  hb_member_set_status (node, HB_NODE_STATUS_DEAD, out);
  /* Ping node death never leads to takeover, so it gets its own type
   * (docs/PROTOCOL.md, "Ping nodes"). */
  ev = hb_member_emit (out, ping ? HB_MEMBER_EVENT_PING_DEAD : HB_MEMBER_EVENT_NODE_DEAD,
                       HB_MEMBER_SEVERITY_WARNING, node, "node %s: is dead", node->name);
  if (ev != NULL)
    {
      ev->status = g_strdup (HB_NODE_STATUS_DEAD);
      ev->interval_ms = hb_member_elapsed_ms (now_us, node->last_status_us);
    }
}

static void
request_rexmits (HbMembership *m, MemberNode *node, gint64 now_us, GPtrArray *out)
{
  g_autoptr (GArray) due = NULL;
  gint64 repeat_us = (gint64) m->max_rexmit_delay_ms * G_TIME_SPAN_MILLISECOND;

  if (node->type != HB_MEMBER_NODE_NORMAL || !hb_member_status_is_live (node->status)
      || hb_seqtrack_next_due_us (node->seq) > now_us)
    {
      return;
    }
  due = g_array_new (FALSE, FALSE, sizeof (guint64));
  /* One request per missing seq, repeated every max_rexmit_delay
   * (docs/PROTOCOL.md, "Retransmission"). */
  hb_seqtrack_take_due (node->seq, now_us, repeat_us, due);
  for (guint i = 0; i < due->len; i++)
    {
      guint64 seq = g_array_index (due, guint64, i);
      HbMemberEvent *ev = hb_member_emit (out, HB_MEMBER_EVENT_REXMIT_REQUEST,
                                          HB_MEMBER_SEVERITY_DEBUG, node,
                                          "Requesting retransmission of packet %" G_GUINT64_FORMAT
                                          " from %s",
                                          seq, node->name);
      if (ev != NULL)
        {
          ev->seq = seq;
        }
    }
}

static void
expire_local (HbMembership *m, gint64 now_us, GPtrArray *out)
{
  if (!m->local_hb_armed || now_us < hb_member_time_add (m->local_hb_us, m->deadtime_us))
    {
      return;
    }
  /* We did not manage to send our own heartbeat for deadtime: the daemon
   * was stalled and peers may already consider us dead (docs/PROTOCOL.md,
   * "Liveness and dead detection"). */
  m->local_hb_armed = FALSE;
  hb_member_emit (out, HB_MEMBER_EVENT_NO_LOCAL_HEARTBEAT, HB_MEMBER_SEVERITY_ERROR, m->local,
                  "No local heartbeat. Forcing restart.");
}

static void
expire_nodes (HbMembership *m, gint64 now_us, GPtrArray *out)
{
  for (guint i = 0; i < m->nodes->len; i++)
    {
      MemberNode *node = g_ptr_array_index (m->nodes, i);
      gint64 interval_us;

      if (node->is_local)
        {
          continue;
        }
      interval_us = hb_member_dead_interval_us (m, node);
      expire_links (node, now_us, interval_us, out);
      expire_node (node, now_us, interval_us, out);
      request_rexmits (m, node, now_us, out);
    }
}

void
hb_member_expire (HbMembership *m, gint64 now_us, GPtrArray *out)
{
  gboolean was_up = m->comm_up;

  expire_local (m, now_us, out);
  expire_nodes (m, now_us, out);
  hb_member_check_comm_up (m, out);
  if (!was_up && m->comm_up)
    {
      /* Comm just came up: initdead no longer applies, so deadlines moved
       * earlier; apply them now rather than at the next call. */
      expire_nodes (m, now_us, out);
    }
}

void
hb_membership_tick (HbMembership *m, gint64 now_us, GPtrArray *events_out)
{
  g_return_if_fail (m != NULL);
  hb_member_expire (m, now_us, events_out);
}
