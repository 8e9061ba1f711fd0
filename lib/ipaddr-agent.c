/* systole: the decisions of the IPaddr/IPaddr2 resource agents (pure; no I/O). */
#include "ipaddr-agent.h"

#include <string.h>
#include <syslog.h>

G_DEFINE_QUARK (hb-ipaddr-agent-error-quark, hb_ipaddr_agent_error)

static gboolean
given (const char *s)
{
  return s != NULL && s[0] != '\0';
}

gboolean
hb_ipaddr_apply_overrides (HbIpaddrSpec *spec, const char *cidr, const char *nic,
                           const char *broadcast, GError **error)
{
  guint bits;

  if (given (cidr))
    {
      if (!hb_ipaddr_parse_netmask (cidr, &bits, error))
        return FALSE;
      spec->cidr = (gint) bits;
    }
  if (given (nic) && !hb_ipaddr_parse_nic (nic, spec->nic, error))
    return FALSE;
  if (given (broadcast))
    {
      if (!hb_ipaddr_parse_ipv4 (broadcast, &spec->broadcast, error))
        {
          g_prefix_error (error, "broadcast: ");
          return FALSE;
        }
      spec->has_broadcast = TRUE;
    }
  return TRUE;
}

/* Non-empty, decimal digits only (the shell agents' `*[!0-9]*` test). */
static gboolean
all_digits (const char *s)
{
  return s[0] != '\0' && strspn (s, "0123456789") == strlen (s);
}

gboolean
hb_ipaddr_check_arp (const char *count, const char *interval, const char *mode, GError **error)
{
  static const char *const modes[] = { "both", "request", "reply", NULL };

  if (!all_digits (count))
    {
      g_set_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_ARP,
                   "arp_count [%s] is not a positive integer", count);
      return FALSE;
    }
  if (count[strspn (count, "0")] == '\0')
    {
      g_set_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_ARP,
                   "arp_count [%s] must be at least 1", count);
      return FALSE;
    }
  if (!all_digits (interval))
    {
      g_set_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_ARP,
                   "arp_interval [%s] is not a number of milliseconds", interval);
      return FALSE;
    }
  if (!g_strv_contains (modes, mode))
    {
      g_set_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_ARP,
                   "arp_mode [%s] must be both, request or reply", mode);
      return FALSE;
    }
  return TRUE;
}

gboolean
hb_ipaddr_label_pick (const char *nic, const char *const *used, guint from, guint *n_out,
                      char label_out[HB_IPADDR_NIC_MAX], GError **error)
{
  for (guint n = from; n <= HB_IPADDR_LABEL_LAST; n++)
    {
      char label[64];

      g_snprintf (label, sizeof label, "%s:%u", nic, n);
      if (used != NULL && g_strv_contains (used, label))
        continue;
      if (strlen (label) >= HB_IPADDR_NIC_MAX)
        {
          g_set_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_LABEL_LENGTH,
                       "alias label %s is longer than 15 characters", label);
          return FALSE;
        }
      *n_out = n;
      g_strlcpy (label_out, label, HB_IPADDR_NIC_MAX);
      return TRUE;
    }
  g_set_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_NO_LABEL,
               "no free alias label on %s (tried %s:0 to %s:%d)", nic, nic, nic,
               HB_IPADDR_LABEL_LAST);
  return FALSE;
}

const char *
hb_ipaddr_status_word (HbOcfCode monitor, int *lsb_out)
{
  switch (monitor)
    {
    case HB_OCF_SUCCESS:
      *lsb_out = 0;
      return "running";
    case HB_OCF_NOT_RUNNING:
      *lsb_out = 3;
      return "stopped";
    default:
      *lsb_out = 4;
      return "unknown";
    }
}

/* include/linux/sched.h: "getting shut down". */
#define PF_EXITING 0x00000004u

gboolean
hb_ipaddr_proc_stat_ended (const char *stat)
{
  /* The command name may hold spaces and parentheses: fields start after
   * the last ')'. */
  const char *end = strrchr (stat, ')');
  g_auto (GStrv) fields = NULL;
  guint64 flags;

  if (end == NULL || end[1] != ' ')
    return FALSE;
  fields = g_strsplit (end + 2, " ", 8);
  if (g_strv_length (fields) < 7)
    return FALSE;
  if (strcmp (fields[0], "Z") == 0 || strcmp (fields[0], "X") == 0)
    return TRUE;
  return g_ascii_string_to_unsigned (fields[6], 10, 0, G_MAXUINT32, &flags, NULL)
         && (flags & PF_EXITING) != 0;
}

static const struct
{
  const char *word;
  int priority;
} levels[] = {
  [HB_IPADDR_LOG_DEBUG] = { "DEBUG", LOG_DEBUG },
  [HB_IPADDR_LOG_INFO] = { "INFO", LOG_INFO },
  [HB_IPADDR_LOG_WARN] = { "WARN", LOG_WARNING },
  [HB_IPADDR_LOG_ERROR] = { "ERROR", LOG_ERR },
};

const char *
hb_ipaddr_log_word (HbIpaddrLogLevel level)
{
  return (guint) level < G_N_ELEMENTS (levels) ? levels[level].word : "INFO";
}

int
hb_ipaddr_log_priority (HbIpaddrLogLevel level)
{
  return (guint) level < G_N_ELEMENTS (levels) ? levels[level].priority : LOG_INFO;
}

char *
hb_ipaddr_log_line (const char *name, gint64 pid, GDateTime *when, HbIpaddrLogLevel level,
                    const char *message)
{
  g_autofree char *stamp = g_date_time_format (when, "%Y/%m/%d_%H:%M:%S");

  return g_strdup_printf ("%s[%" G_GINT64_FORMAT "]: %s %s: %s\n", name, pid, stamp,
                          hb_ipaddr_log_word (level), message);
}
