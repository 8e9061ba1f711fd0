/* systole: runs resource agents for resource groups on the main loop.
 *
 * Each agent run is a child process in its own process group, with a clean
 * environment, an argv vector (never a shell string) and a timeout after which
 * the whole group gets SIGTERM and, after a grace period, SIGKILL. The loop is
 * never blocked. One operation at a time per group (later requests queue);
 * different groups run in parallel.
 *
 * Agent lookup (docs/PROTOCOL.md, "haresources"): RESOURCE_DIR/NAME (Heartbeat style,
 * status judged by stdout text), then INIT_DIR/NAME (LSB, status by exit code);
 * `ocf:PROVIDER:TYPE` runs OCF_ROOT/resource.d/PROVIDER/TYPE (OCF codes).
 */
#pragma once

#include <glib.h>

#include "config.h"
#include "groupop.h"

G_BEGIN_DECLS

/* priority: syslog LOG_* value; entity: who speaks (e.g. "ResourceManager"). */
typedef void (*HbRunnerLogFunc) (int priority, const char *entity, const char *message,
                                 gpointer user_data);

typedef struct
{
  const char *resource_dir;     /* Heartbeat-style agents, e.g. /etc/ha.d/resource.d */
  const char *init_dir;         /* LSB init scripts, e.g. /etc/init.d; NULL = none */
  const char *ocf_root;         /* e.g. /usr/lib/ocf */
  guint timeout_ms;             /* per agent run; 0 = HB_RUNNER_DEFAULT_TIMEOUT_MS */
  guint kill_grace_ms;          /* SIGTERM → SIGKILL; 0 = HB_RUNNER_DEFAULT_GRACE_MS */
  guint stop_retries;           /* Heartbeat's HA_STOPRETRYMAX: 10 */
  guint stop_retry_interval_ms; /* Heartbeat: 1000 */
  const char *const *env;       /* extra "NAME=value" entries (HA_*, test overrides); may be NULL */
  gboolean agents_log;          /* env gives agents a log destination (HA_LOGFILE/HA_LOGFACILITY):
                                 * their stderr lines in log format are already logged */
  HbRunnerLogFunc log;
  gpointer log_data;
} HbRunnerOptions;

#define HB_RUNNER_DEFAULT_TIMEOUT_MS 60000
#define HB_RUNNER_DEFAULT_GRACE_MS 5000

/* failed_resource: the spec of the resource that failed (START_FAILED,
 * STOP_FAILED), else NULL. */
typedef void (*HbRunnerDoneFunc) (const char *group_key, HbGroupOpKind kind, HbGroupResult result,
                                  const char *failed_resource, gpointer user_data);

typedef struct _HbRunner HbRunner;

HbRunner *hb_runner_new (const HbRunnerOptions *options);
/* Kills every running agent's process group and drops queued work without
 * calling the done callbacks. */
void hb_runner_free (HbRunner *runner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbRunner, hb_runner_free)

/* Queues an operation on a group. The group is copied: the configuration may be
 * replaced while the operation runs. The work starts from the main loop and
 * `done` is always called from the main loop, never from inside this call. */
void hb_runner_submit (HbRunner *runner, const HbResourceGroup *group, HbGroupOpKind kind,
                       HbRunnerDoneFunc done, gpointer user_data);

/* TRUE while an operation on that group runs or is queued. */
gboolean hb_runner_group_busy (HbRunner *runner, const char *group_key);
/* Number of groups with work running or queued. */
guint hb_runner_busy_groups (HbRunner *runner);

G_END_DECLS
