/* systole: `heartbeat -t`: check the configuration and report. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

/* Loads CONFDIR/ha.cf, haresources and authkeys for `nodename` (NULL: the
 * lower-cased `uname -n`), prints every warning and error to `err`, and
 * either "configuration OK" to `out` (returns HB_EXIT_OK) or returns
 * HB_EXIT_CONFIG. With `verbose` it also prints the canonical dump to `out`. */
int hb_check_run (const char *confdir, const char *nodename, gboolean verbose, FILE *out, FILE *err);

G_END_DECLS
