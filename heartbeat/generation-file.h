/* systole: the files of the state directory that identify this node across
 * restarts: the generation (HEARTBEAT-REFERENCE §1.9) and the node UUID
 * (sent as `srcuuid`, §1.7). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_GENERATION_FILE "hb_generation"
#define HB_UUID_FILE "hb_uuid"
#define HB_UUID_LEN 16

/* Reads STATEDIR/hb_generation, increments it (or seeds it from `now_s` and
 * sets *seeded_out), writes it back synchronously (O_SYNC + fsync, as
 * Heartbeat, so a crash right after start cannot reuse a generation), and
 * returns the generation of this run in *gen_out. An unreadable or corrupt
 * file is an error: silently restarting from time(NULL) could go backwards
 * and make peers drop us as a replay. */
gboolean hb_generation_file_bump (const char *statedir, gint64 now_s,
                                  guint32 *gen_out, gboolean *seeded_out, GError **error);

/* The node's 16-byte UUID from STATEDIR/hb_uuid, created at random on first use. */
gboolean hb_uuid_file_load (const char *statedir, guint8 uuid_out[HB_UUID_LEN], GError **error);

G_END_DECLS
