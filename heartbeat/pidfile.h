/* systole: the daemon's pid file (docs/PROTOCOL.md, "heartbeat command line", "Files and paths").
 *
 * The running daemon holds a POSIX write lock (fcntl F_SETLK) on its pid
 * file for its whole life; the kernel drops it when the process dies, so
 * "locked" means "a daemon runs", and F_GETLK names its pid. The number
 * written in the file is for people and for Heartbeat's tools: -s/-k/-r
 * never trust it alone, since a stale pid may now belong to any process. */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef enum
{
  HB_PIDFILE_RUNNING, /* a daemon holds the file's lock (or, for a file written
                         without one, its pid runs our own binary) */
  HB_PIDFILE_STOPPED, /* no file */
  HB_PIDFILE_STALE,   /* a file, but no daemon behind it */
} HbPidfileState;

/* What the pid file at `path` says; `pid_out` gets the daemon's pid when
 * RUNNING (the lock holder's, whatever the file holds), else the pid
 * written in the file, if any (else 0). A file nobody locks counts as
 * RUNNING only when its pid runs the same executable as this process (a
 * daemon started before pid files were locked); a process that merely
 * calls itself "heartbeat" does not. Must not be called by the process
 * holding the lock: closing any descriptor of the file drops a POSIX lock. */
HbPidfileState hb_pidfile_check (const char *path, pid_t *pid_out);

typedef struct _HbPidfile HbPidfile;

/* Creates (mode 0644, with its directory) or reuses a stale pid file at
 * `path`, locks it and writes our pid ("%d\n"). Fails (G_IO_ERROR_EXISTS)
 * when another daemon holds it, naming its pid; a symbolic link or a
 * non-regular file there is an error too. The lock is taken before the
 * file is written, so of two daemons started at once exactly one runs. */
HbPidfile *hb_pidfile_acquire (const char *path, GError **error);

/* Removes the file (if it is still ours) and drops the lock. NULL is fine. */
void hb_pidfile_release (HbPidfile *pidfile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbPidfile, hb_pidfile_release)

G_END_DECLS
