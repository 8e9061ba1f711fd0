/* systole: the owner and mode facts of the files that decide what root
 * runs, for lib/config-files.c's rules (which do no I/O). */
#pragma once

#include <glib.h>

#include "config.h"

G_BEGIN_DECLS

/* Appends to `facts` (a GArray of HbConfigFileFacts) what lstat()/stat()
 * say about CONFDIR, ha.cf, haresources and authkeys (the overrides of
 * `paths` included), CONFDIR/resource.d and every non-directory entry of
 * it. Names that do not exist are left out (the loader reports missing
 * files itself). The path strings are added to `strings`, which must
 * outlive `facts`. */
void hb_config_files_gather (const HbConfigPaths *paths, GArray *facts, GPtrArray *strings);

G_END_DECLS
