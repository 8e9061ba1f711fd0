/* systole: membership events and their names. See membership.h. */
#include "member-private.h"

void
hb_member_event_free (HbMemberEvent *event)
{
  if (event == NULL)
    {
      return;
    }
  g_free (event->node);
  g_free (event->link);
  g_free (event->status);
  g_free (event->message);
  g_free (event);
}

GPtrArray *
hb_member_events_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) hb_member_event_free);
}

HbMemberEvent *
hb_member_emit (GPtrArray *out, HbMemberEventType type, HbMemberSeverity severity,
                const MemberNode *node, const char *fmt, ...)
{
  HbMemberEvent *event;
  va_list args;

  if (out == NULL)
    {
      return NULL;
    }
  event = g_new0 (HbMemberEvent, 1);
  event->type = type;
  event->severity = severity;
  event->node = g_strdup (node->name);
  event->node_type = node->type;
  va_start (args, fmt);
  event->message = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_ptr_array_add (out, event);
  return event;
}

const char *
hb_member_event_type_to_string (HbMemberEventType type)
{
  static const char *const names[] = {
    [HB_MEMBER_EVENT_NODE_STATUS] = "node-status",
    [HB_MEMBER_EVENT_NODE_DEAD] = "node-dead",
    [HB_MEMBER_EVENT_PING_DEAD] = "ping-dead",
    [HB_MEMBER_EVENT_NODE_LATE] = "node-late",
    [HB_MEMBER_EVENT_LINK_UP] = "link-up",
    [HB_MEMBER_EVENT_LINK_DEAD] = "link-dead",
    [HB_MEMBER_EVENT_NODE_RESTART] = "node-restart",
    [HB_MEMBER_EVENT_PARTITION_HEALED] = "partition-healed",
    [HB_MEMBER_EVENT_COMM_UP] = "comm-up",
    [HB_MEMBER_EVENT_LOCAL_STATUS] = "local-status",
    [HB_MEMBER_EVENT_NO_LOCAL_HEARTBEAT] = "no-local-heartbeat",
    [HB_MEMBER_EVENT_REPLAY] = "replay",
    [HB_MEMBER_EVENT_BAD_SEQ] = "bad-seq",
    [HB_MEMBER_EVENT_LOST_PACKETS] = "lost-packets",
    [HB_MEMBER_EVENT_LOST_MANY] = "lost-many",
    [HB_MEMBER_EVENT_GAP_FILLED] = "gap-filled",
    [HB_MEMBER_EVENT_REXMIT_REQUEST] = "rexmit-request",
    [HB_MEMBER_EVENT_BAD_GENERATION] = "bad-generation",
    [HB_MEMBER_EVENT_DT_CLAMPED] = "dt-clamped",
  };

  if ((guint) type >= G_N_ELEMENTS (names) || names[type] == NULL)
    {
      return "invalid";
    }
  return names[type];
}

const char *
hb_member_severity_to_string (HbMemberSeverity severity)
{
  /* The priority words Heartbeat writes into its log lines (docs/PROTOCOL.md,
   * "Log format"). */
  static const char *const names[] = {
    [HB_MEMBER_SEVERITY_CRIT] = "CRIT",     [HB_MEMBER_SEVERITY_ERROR] = "ERROR",
    [HB_MEMBER_SEVERITY_WARNING] = "WARN",  [HB_MEMBER_SEVERITY_NOTICE] = "notice",
    [HB_MEMBER_SEVERITY_INFO] = "info",     [HB_MEMBER_SEVERITY_DEBUG] = "debug",
  };

  if ((guint) severity >= G_N_ELEMENTS (names))
    {
      return "invalid";
    }
  return names[severity];
}

const char *
hb_member_verdict_to_string (HbMemberVerdict verdict)
{
  static const char *const names[] = {
    [HB_MEMBER_PROCESS] = "process",
    [HB_MEMBER_OWN] = "own",
    [HB_MEMBER_DUPLICATE] = "duplicate",
    [HB_MEMBER_DROP_OLD] = "drop-old",
    [HB_MEMBER_DROP_REPLAY] = "drop-replay",
    [HB_MEMBER_DROP_BAD_SEQ] = "drop-bad-seq",
    [HB_MEMBER_DROP_NOT_FOR_US] = "drop-not-for-us",
    [HB_MEMBER_DROP_UNKNOWN_NODE] = "drop-unknown-node",
    [HB_MEMBER_DROP_BAD_GEN] = "drop-bad-gen",
  };

  if ((guint) verdict >= G_N_ELEMENTS (names))
    {
      return "invalid";
    }
  return names[verdict];
}

const char *
hb_member_node_type_to_string (HbMemberNodeType type)
{
  static const char *const names[] = {
    [HB_MEMBER_NODE_NORMAL] = "normal",
    [HB_MEMBER_NODE_PING] = "ping",
    [HB_MEMBER_NODE_UNKNOWN] = "unknown",
  };

  if ((guint) type >= G_N_ELEMENTS (names))
    {
      return "unknown";
    }
  return names[type];
}
