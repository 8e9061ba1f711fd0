/* systole: where one LVS configuration keeps its runtime state, and whether its
 * health checker runs. Shared by systole-lvs and lvs-checker.
 *
 *   STATEDIR/KEY.conf  the configuration as start applied it (stop removes what
 *                      was programmed, even if lvs.conf was edited meanwhile)
 *   STATEDIR/KEY.down  the checker's failed real servers, one per line
 *   STATEDIR/KEY.pid   the checker's pid
 *   STATEDIR/KEY.lock  flock: held exclusively while the down set and the kernel
 *                      are changed together, shared while status reads both
 *
 * STATEDIR: --state-dir, else $SYSTOLE_LVS_STATEDIR, else RUNDIR/lvs (configure's
 * --with-rundir): runtime state, gone after a reboot, as the kernel table is.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct
{
  char *config;    /* absolute path of lvs.conf */
  char *dir;
  char *key;
  char *conf_copy;
  char *down;
  char *pid;
  char *lock;
} HbLvsPaths;

HbLvsPaths *hb_lvs_paths_new (const char *state_dir, const char *config);
void hb_lvs_paths_free (HbLvsPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbLvsPaths, hb_lvs_paths_free)

/* Creates the state directory (mode 0755). */
gboolean hb_lvs_paths_ensure_dir (const HbLvsPaths *paths, GError **error);

/* Takes the state lock, waiting up to 5 s. Returns its fd, or -1 (no lock could
 * be had: the caller goes on without it; status may then see a change half done). */
int hb_lvs_state_lock (const HbLvsPaths *paths, gboolean exclusive);
void hb_lvs_state_unlock (int fd);

/* The running checker's pid, or 0 (no pid file, dead, a zombie, or the pid now
 * belongs to another program). */
pid_t hb_lvs_checker_pid (const HbLvsPaths *paths);

/* Whether PID is a live lvs-checker (not a zombie, not another program). */
gboolean hb_lvs_checker_alive (pid_t pid);

G_END_DECLS
