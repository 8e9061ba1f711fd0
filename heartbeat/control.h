/* systole: `heartbeat -s`, `-k` and the signalling half of `-r`: talking to
 * a running daemon through its pid file (docs/PROTOCOL.md, "heartbeat command line"). */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* -s: prints `heartbeat OK [pid N et al] is running on HOST [NODE]...` and
 * returns 0, or `heartbeat is stopped. No process` and 3, or 1 for a stale
 * pid file (LSB status codes). */
int hb_control_status (const char *pidfile, const char *hostname, const char *nodename, FILE *out);

/* -k: SIGTERM, then waits (polling) until the process is gone; 0 when done,
 * `INFO: Heartbeat already stopped.` and 0 if nothing ran, 4 on EPERM, 1 on
 * other failures or when it does not stop within `timeout_s`. */
int hb_control_stop (const char *pidfile, guint timeout_s, FILE *out, FILE *err);

/* -r (after the configuration was validated): SIGHUP to the running daemon.
 * Returns 0 when signalled, 3 when no daemon runs (the caller then starts
 * one), 4 on EPERM, 1 otherwise. */
int hb_control_reload (const char *pidfile, FILE *err);

G_END_DECLS
