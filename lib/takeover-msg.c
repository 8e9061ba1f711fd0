/* systole: takeover engine values — messages, actions and their names. */
#include "takeover.h"

G_DEFINE_QUARK (hb-takeover-error-quark, hb_takeover_error)

/* rsc_hold values, indexed by the HbRsc bits (HB3 hb_resource.c rsc_msg[]). */
static const char *const rsc_names[] = { "none", "local", "foreign", "all" };

const char *
hb_rsc_to_string (HbRsc rsc)
{
  return rsc_names[rsc & HB_RSC_ALL];
}

gboolean
hb_rsc_from_string (const char *text, HbRsc *rsc_out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (rsc_names); i++)
    {
      if (g_strcmp0 (text, rsc_names[i]) == 0)
        {
          *rsc_out = (HbRsc) i;
          return TRUE;
        }
    }
  return FALSE;
}

HbTakeoverMsg *
hb_takeover_msg_new (const char *type)
{
  HbTakeoverMsg *msg = g_new0 (HbTakeoverMsg, 1);

  msg->type = g_strdup (type);
  msg->names = g_ptr_array_new_with_free_func (g_free);
  msg->values = g_ptr_array_new_with_free_func (g_free);
  return msg;
}

void
hb_takeover_msg_free (HbTakeoverMsg *msg)
{
  if (msg == NULL)
    {
      return;
    }
  g_free (msg->type);
  g_ptr_array_unref (msg->names);
  g_ptr_array_unref (msg->values);
  g_free (msg);
}

void
hb_takeover_msg_add (HbTakeoverMsg *msg, const char *name, const char *value)
{
  g_return_if_fail (msg != NULL && name != NULL && value != NULL);
  g_ptr_array_add (msg->names, g_strdup (name));
  g_ptr_array_add (msg->values, g_strdup (value));
}

const char *
hb_takeover_msg_get (const HbTakeoverMsg *msg, const char *name)
{
  for (guint i = 0; i < msg->names->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (msg->names, i), name) == 0)
        {
          return g_ptr_array_index (msg->values, i);
        }
    }
  return NULL;
}

char *
hb_takeover_msg_to_string (const HbTakeoverMsg *msg)
{
  GString *out = g_string_new ("t=");

  g_string_append (out, msg->type);
  for (guint i = 0; i < msg->names->len; i++)
    {
      g_string_append_printf (out, " %s=%s", (const char *) g_ptr_array_index (msg->names, i),
                              (const char *) g_ptr_array_index (msg->values, i));
    }
  return g_string_free (out, FALSE);
}

void
hb_takeover_action_free (HbTakeoverAction *action)
{
  if (action == NULL)
    {
      return;
    }
  g_free (action->group);
  hb_takeover_msg_free (action->msg);
  g_free (action->text);
  g_free (action);
}

GPtrArray *
hb_takeover_actions_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) hb_takeover_action_free);
}

const char *
hb_takeover_action_type_to_string (HbTakeoverActionType type)
{
  static const char *const names[] = {
    [HB_TAKEOVER_START_GROUP] = "start",
    [HB_TAKEOVER_STOP_GROUP] = "stop",
    [HB_TAKEOVER_PROBE_GROUP] = "probe",
    [HB_TAKEOVER_SEND_MESSAGE] = "send",
    [HB_TAKEOVER_LOG] = "log",
    [HB_TAKEOVER_SELF_FENCE] = "self-fence",
    [HB_TAKEOVER_RESEND_ARP] = "resend-arp",
    [HB_TAKEOVER_SHUTDOWN_COMPLETE] = "shutdown-complete",
  };
  return (guint) type < G_N_ELEMENTS (names) ? names[type] : "?";
}

const char *
hb_takeover_log_level_to_string (HbTakeoverLogLevel level)
{
  /* The prefixes Heartbeat's logs show (docs/PROTOCOL.md, "Log format"). */
  static const char *const names[] = {
    [HB_TAKEOVER_LOG_DEBUG] = "debug",
    [HB_TAKEOVER_LOG_INFO] = "info",
    [HB_TAKEOVER_LOG_WARN] = "WARN",
    [HB_TAKEOVER_LOG_ERROR] = "ERROR",
    [HB_TAKEOVER_LOG_CRIT] = "CRIT",
  };
  return (guint) level < G_N_ELEMENTS (names) ? names[level] : "?";
}

const char *
hb_holder_to_string (HbHolder holder)
{
  static const char *const names[] = {
    [HB_HOLDER_NONE] = "none",
    [HB_HOLDER_LOCAL] = "local",
    [HB_HOLDER_PEER] = "peer",
    [HB_HOLDER_BOTH] = "both",
    [HB_HOLDER_TRANSITION] = "transition",
  };
  return (guint) holder < G_N_ELEMENTS (names) ? names[holder] : "?";
}

const char *
hb_group_state_to_string (HbGroupState state)
{
  static const char *const names[] = {
    [HB_GROUP_UNKNOWN] = "unknown",
    [HB_GROUP_PROBING] = "probing",
    [HB_GROUP_STOPPED] = "stopped",
    [HB_GROUP_STARTING] = "starting",
    [HB_GROUP_RUNNING] = "running",
    [HB_GROUP_STOPPING] = "stopping",
    [HB_GROUP_UNSTOPPABLE] = "unstoppable",
  };
  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "?";
}
