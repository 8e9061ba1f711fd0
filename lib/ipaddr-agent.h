/* systole: the decisions of the IPaddr/IPaddr2 resource agents (pure; no I/O).
 *
 * Parameter overrides (OCF_RESKEY_cidr_netmask/nic/broadcast over the
 * `ip[/cidr[/nic[/bcast]]]` spec), the gratuitous-ARP tuning checks, the
 * choice of the first free alias label (docs/PROTOCOL.md, "IPaddr": eth0:0 ..
 * eth0:511), the Heartbeat `status` word and LSB code for an OCF monitor
 * result ("Running resource scripts", "OCF and LSB conventions") and the
 * agents' log line format ("Log format", with upper-case level words as the agents print them).
 */
#pragma once

#include <glib.h>

#include "ipaddr-spec.h"

G_BEGIN_DECLS

/* OCF return codes (OCF RA API; docs/PROTOCOL.md, "OCF and LSB conventions"). */
typedef enum
{
  HB_OCF_SUCCESS = 0,
  HB_OCF_ERR_GENERIC = 1,
  HB_OCF_ERR_ARGS = 2,
  HB_OCF_ERR_UNIMPLEMENTED = 3,
  HB_OCF_ERR_PERM = 4,
  HB_OCF_ERR_INSTALLED = 5,
  HB_OCF_ERR_CONFIGURED = 6,
  HB_OCF_NOT_RUNNING = 7,
} HbOcfCode;

#define HB_IPADDR_AGENT_ERROR (hb_ipaddr_agent_error_quark ())
GQuark hb_ipaddr_agent_error_quark (void);

typedef enum
{
  HB_IPADDR_AGENT_ERROR_ARP,          /* bad arp_count / arp_interval / arp_mode */
  HB_IPADDR_AGENT_ERROR_LABEL_LENGTH, /* NIC:N longer than 15 characters */
  HB_IPADDR_AGENT_ERROR_NO_LABEL,     /* NIC:0 .. NIC:511 all taken */
} HbIpaddrAgentError;

/* Highest alias number tried (docs/PROTOCOL.md, "IPaddr"). */
#define HB_IPADDR_LABEL_LAST 511

/* Applies the OCF parameters that override parts of the spec; NULL or ""
 * leaves that part alone. Errors are HB_IPADDR_ERROR ("broadcast: " is
 * prefixed to a bad broadcast address). */
gboolean hb_ipaddr_apply_overrides (HbIpaddrSpec *spec, const char *cidr, const char *nic,
                                    const char *broadcast, GError **error);

/* arp_count (decimal, >= 1), arp_interval (decimal ms), arp_mode
 * (both|request|reply), as given (defaults already substituted). */
gboolean hb_ipaddr_check_arp (const char *count, const char *interval, const char *mode,
                              GError **error);

/* The first alias label NIC:N with N >= `from` that is not in `used` (NULL
 * terminated; may be NULL). Sets *n_out and label_out. Errors:
 * HB_IPADDR_AGENT_ERROR_LABEL_LENGTH (the label would not fit an interface
 * name), HB_IPADDR_AGENT_ERROR_NO_LABEL (none left up to NIC:511). */
gboolean hb_ipaddr_label_pick (const char *nic, const char *const *used, guint from,
                               guint *n_out, char label_out[HB_IPADDR_NIC_MAX], GError **error);

/* Heartbeat `status` for an OCF monitor code: "running" (LSB 0), "stopped"
 * (LSB 3) or "unknown" (LSB 4). */
const char *hb_ipaddr_status_word (HbOcfCode monitor, int *lsb_out);

/* From the text of /proc/PID/stat: has the process stopped for good? TRUE
 * for a zombie (Z, X) and for a process already in exit (PF_EXITING in the
 * flags word, field 9; proc(5), PF_* of the kernel's sched.h): it sends
 * nothing any more, though closing its sockets may take the kernel a few
 * more milliseconds. FALSE for a live process or text that does not parse. */
gboolean hb_ipaddr_proc_stat_ended (const char *stat);

/* Agent log levels and their syslog priorities. */
typedef enum
{
  HB_IPADDR_LOG_DEBUG,
  HB_IPADDR_LOG_INFO,
  HB_IPADDR_LOG_WARN,
  HB_IPADDR_LOG_ERROR,
} HbIpaddrLogLevel;

/* "DEBUG" "INFO" "WARN" "ERROR". */
const char *hb_ipaddr_log_word (HbIpaddrLogLevel level);

/* LOG_DEBUG .. LOG_ERR. */
int hb_ipaddr_log_priority (HbIpaddrLogLevel level);

/* "NAME[PID]: YYYY/MM/DD_HH:MM:SS LEVEL: message\n" (`when` in local time). */
char *hb_ipaddr_log_line (const char *name, gint64 pid, GDateTime *when,
                          HbIpaddrLogLevel level, const char *message);

G_END_DECLS
