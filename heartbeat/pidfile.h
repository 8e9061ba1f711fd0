/* systole: the daemon's pid file (HEARTBEAT-REFERENCE §7.1, §7.3). */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef enum
{
  HB_PIDFILE_RUNNING, /* the file names a live heartbeat process */
  HB_PIDFILE_STOPPED, /* no file */
  HB_PIDFILE_STALE,   /* a file naming no live heartbeat process */
} HbPidfileState;

/* What the pid file at `path` says; `pid_out` gets the pid read, if any (else 0). */
HbPidfileState hb_pidfile_check (const char *path, pid_t *pid_out);

/* Writes our pid ("%d\n"), creating the directory if needed. Fails when a live
 * heartbeat already owns the file. */
gboolean hb_pidfile_write (const char *path, pid_t pid, GError **error);

/* Removes the file if it still names `pid`. */
void hb_pidfile_remove (const char *path, pid_t pid);

G_END_DECLS
