/* systole: shared declarations for every module of lib/. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes shared by the programs (LSB init script actions, sysexits). */
#define HB_EXIT_OK 0
#define HB_EXIT_GENERIC 1
#define HB_EXIT_USAGE 2
#define HB_EXIT_PERM 4
#define HB_EXIT_NOT_CONFIGURED 6
#define HB_EXIT_CONFIG 78 /* EX_CONFIG, as crm_verify */

G_END_DECLS
