/* systole: membership object, local status, comm-up, deadlines and queries.
 * Receiving is in member-receive.c, expiry in member-tick.c. See membership.h.
 */
#include "member-private.h"

#include <string.h>

/* HB3 default for max_rexmit_delay (docs/PROTOCOL.md, "Retransmission"). */
#define DEFAULT_MAX_REXMIT_DELAY_MS 250

G_DEFINE_QUARK (hb-membership-error-quark, hb_membership_error)

static void
member_link_free (MemberLink *link)
{
  g_free (link->name);
  g_free (link);
}

static void
member_node_free (MemberNode *node)
{
  g_free (node->name);
  g_free (node->status);
  hb_seqtrack_free (node->seq);
  g_ptr_array_unref (node->links);
  g_free (node);
}

static void
add_link (MemberNode *node, const char *name)
{
  MemberLink *link;

  /* Several media may share a device (`bcast eth1` plus `ucast eth1 IP`, or
   * one `ucast eth1 IP` line per node in a shared ha.cf): one link each. */
  if (hb_member_find_link (node, name) != NULL)
    {
      return;
    }
  link = g_new0 (MemberLink, 1);
  link->name = g_strdup (name);
  g_ptr_array_add (node->links, link);
}

/* States and links as every node starts (docs/PROTOCOL.md, "Liveness and dead
 * detection"). */
static MemberNode *
member_node_new (const HbMemberNodeParam *param, const char *const *links, gint64 now_us)
{
  MemberNode *node = g_new0 (MemberNode, 1);

  node->name = g_strdup (param->name);
  node->type = param->type;
  node->status = g_strdup (HB_NODE_STATUS_INIT); /* every node starts `init` */
  node->last_status_us = now_us;                 /* the initdead clock starts now */
  node->seq = hb_seqtrack_new ();
  node->links = g_ptr_array_new_with_free_func ((GDestroyNotify) member_link_free);
  if (param->type == HB_MEMBER_NODE_PING)
    {
      add_link (node, param->name); /* a ping node's link is named like it */
    }
  else
    {
      for (guint i = 0; links != NULL && links[i] != NULL; i++)
        {
          add_link (node, links[i]);
        }
    }
  return node;
}

static gboolean
fail (GError **error, const char *fmt, const char *arg)
{
  g_set_error (error, HB_MEMBERSHIP_ERROR, HB_MEMBERSHIP_ERROR_INVALID, fmt, arg);
  return FALSE;
}

static gboolean
validate_links (const char *const *links, GError **error)
{
  for (guint i = 0; links != NULL && links[i] != NULL; i++)
    {
      if (links[i][0] == '\0')
        {
          return fail (error, "membership: empty link name%s", "");
        }
    }
  return TRUE;
}

static gboolean
validate_params (const HbMembershipParams *p, GError **error)
{
  gboolean local_found = FALSE;

  if (p->local_node == NULL || p->nodes == NULL || p->n_nodes == 0)
    {
      return fail (error, "membership: no local node or no nodes given%s", "");
    }
  if (p->deadtime_ms == 0)
    {
      return fail (error, "membership: deadtime must be positive%s", "");
    }
  for (guint i = 0; i < p->n_nodes; i++)
    {
      const HbMemberNodeParam *n = &p->nodes[i];

      if (n->name == NULL || n->name[0] == '\0' || n->type == HB_MEMBER_NODE_UNKNOWN)
        {
          return fail (error, "membership: a node has no name or an invalid type%s", "");
        }
      for (guint j = 0; j < i; j++)
        {
          if (strcmp (n->name, p->nodes[j].name) == 0)
            {
              return fail (error, "membership: node '%s' listed twice", n->name);
            }
        }
      if (strcmp (n->name, p->local_node) == 0)
        {
          if (n->type != HB_MEMBER_NODE_NORMAL)
            {
              return fail (error, "membership: local node '%s' is a ping node", n->name);
            }
          local_found = TRUE;
        }
    }
  if (!local_found)
    {
      return fail (error, "membership: local node '%s' is not a configured node", p->local_node);
    }
  return validate_links (p->links, error);
}

static gint64
ms_to_us (guint ms, guint fallback_ms)
{
  return (gint64) (ms != 0 ? ms : fallback_ms) * G_TIME_SPAN_MILLISECOND;
}

HbMembership *
hb_membership_new (const HbMembershipParams *params, gint64 now_us, GError **error)
{
  HbMembership *m;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!validate_params (params, error))
    {
      return NULL;
    }
  m = g_new0 (HbMembership, 1);
  m->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) member_node_free);
  m->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < params->n_nodes; i++)
    {
      MemberNode *node = member_node_new (&params->nodes[i], params->links, now_us);

      node->is_local = (strcmp (node->name, params->local_node) == 0);
      if (node->is_local)
        {
          m->local = node;
        }
      g_ptr_array_add (m->nodes, node);
      g_hash_table_insert (m->by_name, node->name, node);
    }
  m->local_gen = params->local_generation;
  m->keepalive_us = ms_to_us (params->keepalive_ms, 0);
  m->deadtime_us = ms_to_us (params->deadtime_ms, 0);
  m->warntime_us = ms_to_us (params->warntime_ms, 0);    /* 0: no late warnings */
  m->initdead_us = ms_to_us (params->initdead_ms, params->deadtime_ms);
  m->deadping_us = ms_to_us (params->deadping_ms, params->deadtime_ms);
  m->max_rexmit_delay_ms = params->max_rexmit_delay_ms != 0 ? params->max_rexmit_delay_ms
                                                            : DEFAULT_MAX_REXMIT_DELAY_MS;
  m->random = params->random;
  m->random_data = params->random_data;
  if (m->random == NULL)
    {
      m->own_rand = g_rand_new ();
    }
  return m;
}

void
hb_membership_free (HbMembership *m)
{
  if (m == NULL)
    {
      return;
    }
  g_hash_table_unref (m->by_name);
  g_ptr_array_unref (m->nodes);
  g_clear_pointer (&m->own_rand, g_rand_free);
  g_free (m);
}

MemberNode *
hb_member_find (const HbMembership *m, const char *name)
{
  return name != NULL ? g_hash_table_lookup (m->by_name, name) : NULL;
}

MemberLink *
hb_member_find_link (const MemberNode *node, const char *link)
{
  if (link == NULL)
    {
      return NULL;
    }
  for (guint i = 0; i < node->links->len; i++)
    {
      MemberLink *l = g_ptr_array_index (node->links, i);

      if (strcmp (l->name, link) == 0)
        {
          return l;
        }
    }
  return NULL;
}

/* initdead for everyone until comm is up; then the node's advertised `dt`,
 * else deadtime, or deadping for ping nodes (docs/PROTOCOL.md, "Liveness and
 * dead detection"). */
gint64
hb_member_dead_interval_us (const HbMembership *m, const MemberNode *node)
{
  if (!m->comm_up)
    {
      return m->initdead_us;
    }
  if (node->type == HB_MEMBER_NODE_PING)
    {
      return m->deadping_us;
    }
  if (node->dt_ms != 0)
    {
      return (gint64) node->dt_ms * G_TIME_SPAN_MILLISECOND;
    }
  return m->deadtime_us;
}

/* Rexmit requests go only to nodes that are `up` or `active` (docs/PROTOCOL.md,
 * "Retransmission"). */
gboolean
hb_member_status_is_live (const char *status)
{
  return strcmp (status, HB_NODE_STATUS_UP) == 0 || strcmp (status, HB_NODE_STATUS_ACTIVE) == 0;
}

/* The one place a remote node's status changes. */
void
hb_member_set_status (MemberNode *node, const char *status, GPtrArray *out)
{
  HbMemberEvent *ev;

  if (strcmp (node->status, status) == 0)
    {
      return;
    }
  g_free (node->status);
  node->status = g_strdup (status);
  if (!hb_member_status_is_live (status))
    {
      hb_seqtrack_cancel_requests (node->seq);
    }
  if (strcmp (status, HB_NODE_STATUS_DEAD) == 0 && node->declared_dead)
    {
      return; /* the caller emits NODE_DEAD / PING_DEAD */
    }
  ev = hb_member_emit (out, HB_MEMBER_EVENT_NODE_STATUS, HB_MEMBER_SEVERITY_INFO, node,
                       "Status update for node %s: status %s", node->name, status);
  if (ev != NULL)
    {
      ev->status = g_strdup (status);
    }
}

/* Comm is up once every configured node has sent a packet or was declared
 * dead; the local node then goes `active` (docs/PROTOCOL.md, "Liveness and
 * dead detection"). */
void
hb_member_check_comm_up (HbMembership *m, GPtrArray *out)
{
  HbMemberEvent *ev;

  if (m->comm_up || !m->started || strcmp (m->local->status, HB_NODE_STATUS_UP) != 0)
    {
      return;
    }
  for (guint i = 0; i < m->nodes->len; i++)
    {
      MemberNode *node = g_ptr_array_index (m->nodes, i);

      if (!node->is_local && !node->heard && !node->declared_dead)
        {
          return;
        }
    }
  m->comm_up = TRUE;
  g_free (m->local->status);
  m->local->status = g_strdup (HB_NODE_STATUS_ACTIVE);
  ev = hb_member_emit (out, HB_MEMBER_EVENT_COMM_UP, HB_MEMBER_SEVERITY_INFO, m->local,
                       "Comm_now_up(): updating status to active");
  if (ev != NULL)
    {
      ev->status = g_strdup (HB_NODE_STATUS_ACTIVE);
    }
}

void
hb_membership_set_local_status (HbMembership *m, gint64 now_us, const char *status,
                                GPtrArray *events_out)
{
  HbMemberEvent *ev;

  g_return_if_fail (m != NULL && status != NULL);
  hb_member_expire (m, now_us, events_out);
  if (strcmp (m->local->status, status) != 0)
    {
      g_free (m->local->status);
      m->local->status = g_strdup (status);
      ev = hb_member_emit (events_out, HB_MEMBER_EVENT_LOCAL_STATUS, HB_MEMBER_SEVERITY_INFO,
                           m->local, "Local status now set to: '%s'", status);
      if (ev != NULL)
        {
          ev->status = g_strdup (status);
        }
    }
  if (!m->started && strcmp (status, HB_NODE_STATUS_INIT) != 0)
    {
      /* Our own media are ours: the local links count as up from the start,
       * we do not learn about them from the network. */
      m->started = TRUE;
      m->local->heard = TRUE;
      for (guint i = 0; i < m->local->links->len; i++)
        {
          ((MemberLink *) g_ptr_array_index (m->local->links, i))->up = TRUE;
        }
    }
  hb_member_check_comm_up (m, events_out);
}

gboolean
hb_membership_node_left (HbMembership *m, gint64 now_us, const char *node, GPtrArray *events_out)
{
  MemberNode *n;

  g_return_val_if_fail (m != NULL, FALSE);
  hb_member_expire (m, now_us, events_out);
  n = hb_member_find (m, node);
  if (n == NULL || n->is_local || n->type != HB_MEMBER_NODE_NORMAL)
    {
      return FALSE;
    }
  n->declared_dead = FALSE; /* it told us: not a partition when it returns */
  hb_member_set_status (n, HB_NODE_STATUS_DEAD, events_out);
  return TRUE;
}

gboolean
hb_membership_rexmit_nak (HbMembership *m, const char *node, guint64 seq)
{
  MemberNode *n;

  g_return_val_if_fail (m != NULL, FALSE);
  n = hb_member_find (m, node);
  return n != NULL && !n->is_local && hb_seqtrack_forget (n->seq, seq);
}

void
hb_membership_local_heartbeat (HbMembership *m, gint64 now_us)
{
  g_return_if_fail (m != NULL);
  m->local_hb_armed = TRUE;
  m->local_hb_us = now_us;
}

static gint64
node_next_deadline (const HbMembership *m, const MemberNode *node)
{
  gint64 interval = hb_member_dead_interval_us (m, node);
  gint64 next = G_MAXINT64;

  if (strcmp (node->status, HB_NODE_STATUS_DEAD) != 0)
    {
      next = hb_member_time_add (node->last_status_us, interval);
    }
  for (guint i = 0; i < node->links->len; i++)
    {
      const MemberLink *link = g_ptr_array_index (node->links, i);

      if (link->up)
        {
          next = MIN (next, hb_member_time_add (link->last_us, interval));
        }
    }
  if (node->type == HB_MEMBER_NODE_NORMAL && hb_member_status_is_live (node->status))
    {
      next = MIN (next, hb_seqtrack_next_due_us (node->seq));
    }
  return next;
}

gint64
hb_membership_next_deadline_us (const HbMembership *m)
{
  gint64 next = G_MAXINT64;

  g_return_val_if_fail (m != NULL, G_MAXINT64);
  for (guint i = 0; i < m->nodes->len; i++)
    {
      const MemberNode *node = g_ptr_array_index (m->nodes, i);

      if (!node->is_local)
        {
          next = MIN (next, node_next_deadline (m, node));
        }
    }
  if (m->local_hb_armed)
    {
      next = MIN (next, hb_member_time_add (m->local_hb_us, m->deadtime_us));
    }
  return next;
}

/* ---- queries ------------------------------------------------------------------ */

const char *
hb_membership_local_node (const HbMembership *m)
{
  return m->local->name;
}

const char *
hb_membership_local_status (const HbMembership *m)
{
  return m->local->status;
}

gboolean
hb_membership_comm_is_up (const HbMembership *m)
{
  return m->comm_up;
}

char **
hb_membership_list_nodes (const HbMembership *m)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < m->nodes->len; i++)
    {
      g_strv_builder_add (b, ((MemberNode *) g_ptr_array_index (m->nodes, i))->name);
    }
  return g_strv_builder_end (b);
}

const char *
hb_membership_node_status (const HbMembership *m, const char *node)
{
  MemberNode *n = hb_member_find (m, node);

  return n != NULL ? n->status : NULL;
}

HbMemberNodeType
hb_membership_node_type (const HbMembership *m, const char *node)
{
  MemberNode *n = hb_member_find (m, node);

  return n != NULL ? n->type : HB_MEMBER_NODE_UNKNOWN;
}

char **
hb_membership_list_links (const HbMembership *m, const char *node)
{
  MemberNode *n = hb_member_find (m, node);
  g_autoptr (GStrvBuilder) b = NULL;

  if (n == NULL)
    {
      return NULL;
    }
  b = g_strv_builder_new ();
  for (guint i = 0; i < n->links->len; i++)
    {
      g_strv_builder_add (b, ((MemberLink *) g_ptr_array_index (n->links, i))->name);
    }
  return g_strv_builder_end (b);
}

const char *
hb_membership_link_status (const HbMembership *m, const char *node, const char *link)
{
  MemberNode *n = hb_member_find (m, node);
  MemberLink *l = n != NULL ? hb_member_find_link (n, link) : NULL;

  if (l == NULL)
    {
      return NULL;
    }
  return l->up ? HB_LINK_STATUS_UP : HB_LINK_STATUS_DEAD;
}

guint64
hb_membership_worst_interval_ms (const HbMembership *m, const char *node)
{
  MemberNode *n = hb_member_find (m, node);

  return n != NULL ? n->worst_ms : 0;
}

guint64
hb_membership_node_generation (const HbMembership *m, const char *node)
{
  MemberNode *n = hb_member_find (m, node);

  return n != NULL ? n->gen : 0;
}

guint
hb_membership_dead_interval_ms (const HbMembership *m, const char *node)
{
  MemberNode *n = hb_member_find (m, node);

  return n != NULL ? (guint) (hb_member_dead_interval_us (m, n) / G_TIME_SPAN_MILLISECOND) : 0;
}
