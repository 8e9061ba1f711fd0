/* systole: the command-line tools of the API (cl_status, hb_standby,
 * hb_takeover) as functions, so that tests run them in-process against a
 * server on a temporary socket. The main() of each tool only calls these.
 *
 * Common options, accepted before the sub-command / argument:
 *   --rundir=DIR | --rundir DIR   runtime directory holding api.sock
 *                                 (default: $HA_RUNDIR, else HB_RUNDIR)
 *   --timeout=MS                  overall deadline (default 5000, docs/PROTOCOL.md, "cl_status")
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* cl_status exit codes (docs/PROTOCOL.md, "cl_status"). */
#define HB_CL_EXIT_OK 0
#define HB_CL_EXIT_FAIL 1
#define HB_CL_EXIT_PARAMETER 11
#define HB_CL_EXIT_TIMEOUT 12
#define HB_CL_EXIT_UNKNOWN 13

/* Runs `cl_status ARGS...` (argv[0] is the program name), printing results
 * to `out` and diagnostics to `err`; returns the exit code. `env_rundir` is
 * the value of $HA_RUNDIR (may be NULL). */
int hb_cl_status_main (int argc, char **argv, const char *env_rundir, FILE *out, FILE *err);

/* Runs hb_standby (standby = TRUE) or hb_takeover with `argv`:
 * [all|local|foreign|failback], default all; anything else prints usage to
 * `err` and returns 1. Prints the daemon's answer to `out` and returns 0, or
 * a message to `err` and returns 1 (daemon not running, refused, ...). */
int hb_rsc_request_main (gboolean standby,
                         int argc,
                         char **argv,
                         const char *env_rundir,
                         FILE *out,
                         FILE *err);

G_END_DECLS
