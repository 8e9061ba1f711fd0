/* systole: what is known of a peer beyond one HbMembership — its generation,
 * its last sequence number, whether its current run was confirmed live — and
 * the bound on the generations we accept. See membership.h. */
#include "member-private.h"

static MemberNode *
find_peer (const HbMembership *m, const char *name)
{
  MemberNode *node = hb_member_find (m, name);

  return node != NULL && !node->is_local && node->type == HB_MEMBER_NODE_NORMAL ? node : NULL;
}

gboolean
hb_membership_peer_record (const HbMembership *m, const char *node, HbMemberPeerRecord *record_out)
{
  MemberNode *n;

  g_return_val_if_fail (m != NULL && record_out != NULL, FALSE);
  n = find_peer (m, node);
  if (n == NULL)
    {
      return FALSE;
    }
  record_out->gen = n->gen;
  record_out->last_seq = n->gen != 0 ? hb_seqtrack_last (n->seq) : 0;
  record_out->confirmed = n->gen != 0 && n->confirmed;
  return TRUE;
}

void
hb_membership_seed_peer (HbMembership *m, const char *node, const HbMemberPeerRecord *record)
{
  MemberNode *n;

  g_return_if_fail (m != NULL && record != NULL);
  n = find_peer (m, node);
  if (n == NULL || record->gen == 0 || record->gen > HB_MEMBER_GEN_MAX || record->gen < n->gen)
    {
      return;
    }
  if (record->gen > n->gen)
    {
      n->gen = record->gen;
      n->confirmed = FALSE;
      n->first_live_seq = 0;
      hb_seqtrack_reset (n->seq);
    }
  n->confirmed = n->confirmed || record->confirmed;
  if (record->last_seq > hb_seqtrack_last (n->seq))
    {
      /* Everything up to last_seq was seen: a copy of it is old. */
      hb_seqtrack_reset (n->seq);
      hb_seqtrack_receive (n->seq, record->last_seq, NULL);
    }
}

gboolean
hb_membership_generation_confirmed (const HbMembership *m, const char *node)
{
  MemberNode *n;

  g_return_val_if_fail (m != NULL, FALSE);
  n = find_peer (m, node);
  return n != NULL && n->gen != 0 && n->confirmed;
}

void
hb_membership_set_wall_time (HbMembership *m, gint64 wall_s)
{
  g_return_if_fail (m != NULL);
  m->wall_s = MAX (wall_s, 0);
}

/* A generation a Heartbeat node can send next (see membership.h): 32 bits,
 * and no further ahead of the known one than restarts or a fresh
 * time(NULL) seed can take it. */
gboolean
hb_member_generation_plausible (const HbMembership *m, const MemberNode *node, guint64 gen)
{
  if (gen == 0 || gen > HB_MEMBER_GEN_MAX)
    {
      return FALSE;
    }
  if (node->gen == 0 || gen <= node->gen || gen - node->gen <= HB_MEMBER_GEN_MAX_JUMP)
    {
      return TRUE;
    }
  return m->wall_s != 0 && gen <= (guint64) m->wall_s + HB_MEMBER_GEN_CLOCK_SLACK_S;
}
