/* systole: the process title shown by ps (DESIGN.md: `heartbeat: master
 * control process`, as Heartbeat's set_proc_title, docs/PROTOCOL.md,
 * "Log format"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call first thing in main(), before anything reads the environment through
 * saved pointers: moves the environment out of the way so that the whole
 * argv+environ block can hold the title. Copies argv for later use. */
void hb_proctitle_init (int argc, char **argv);

/* Overwrites the argv block (what `ps -ef` shows) and sets the kernel task
 * name (what `ps -e` and /proc/PID/comm show, first 15 bytes). */
void hb_proctitle_set (const char *title);

G_END_DECLS
