/* systole: running helper programs from the LVS tools with GLib's spawn API
 * only. GSubprocess would pull GIO (libgio, libmount, libselinux...) into
 * systole-lvs, whose start-up is on the failover path: loading it costs about
 * 1 ms per agent run (bench/lvs-cost). */
#ifndef SYSTOLE_LVS_SPAWN_H
#define SYSTOLE_LVS_SPAWN_H

#include <glib.h>

G_BEGIN_DECLS

/* Runs ARGV (no shell; PATH searched) with INPUT on its stdin (NULL: /dev/null),
 * collecting stdout and stderr. Returns FALSE only when it could not run;
 * *wait_status gets the waitpid status. The caller ignores SIGPIPE (a child
 * that exits without reading its input must not kill us). */
gboolean hb_lvs_spawn_sync (const char *const *argv, const char *input, char **out, char **err,
                            int *wait_status, GError **error);

/* Starts ARGV detached (its own session, not our child: nothing to reap),
 * stdout to /dev/null; *stderr_fd gets the read end of its stderr. */
gboolean hb_lvs_spawn_detached (const char *const *argv, int *stderr_fd, GError **error);

G_END_DECLS

#endif
