/* systole-lvs: the commands of the tool, and the LVS resource agent built on them
 * (the agent runs them in-process: no shell, no second program).
 */
#pragma once

#include <glib.h>

#include "lvsconf.h"

G_BEGIN_DECLS

typedef struct
{
  char *state_dir; /* NULL: $SYSTOLE_LVS_STATEDIR, else RUNDIR/lvs */
  char *backend;   /* as given on the command line (parsed by main) */
  char *log_file;  /* NULL: $HA_LOGFILE, else syslog */
  char *checker;   /* NULL: the lvs-checker beside this program, else LIBEXECDIR's */
  gboolean verbose;
} HbLvsToolOptions;

/* "auto", "ipvs", "nftables" (NULL: auto) into *OUT; FALSE for anything else. */
gboolean hb_lvs_tool_parse_backend (const char *s, HbLvsBackend *out);

/* Runs COMMAND (check, show, start, stop, status) on CONFIG with BACKEND as the
 * override. What the command prints goes to OUT; log lines go to the log set up
 * with hb_lvs_log_setup. Returns the exit code: OCF's (0 success/running, 1
 * failure/degraded, 2 usage, 5 not installed, 6 bad configuration, 7 stopped). */
int hb_lvs_tool_command (const HbLvsToolOptions *opt, HbLvsBackend backend, const char *command,
                         const char *config, GString *out);

/* main() of the resource agent (argv[0] is its name): see lvs-agent.c. */
int hb_lvs_agent_main (int argc, char **argv);

G_END_DECLS
