/* systole: the files of the state directory that identify this node across
 * restarts: the generation (docs/PROTOCOL.md, "Generations") and the node
 * UUID (sent as `srcuuid`, "Control fields"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_GENERATION_FILE "hb_generation"
#define HB_UUID_FILE "hb_uuid"
#define HB_UUID_LEN 16

/* Reads STATEDIR/hb_generation, increments it (or seeds it from `now_s` and
 * sets *seeded_out), replaces the file atomically and durably
 * (hb_state_file_write_atomic: a crash or a full disk leaves the old or
 * the new record, never an empty file), and returns the generation of this
 * run in *gen_out. A missing file seeds silently (first start); an empty
 * or corrupt one (left by an older version's in-place rewrite) seeds too,
 * after a warning naming the file and what was wrong with it. Only a file
 * that cannot be read or written at all (not a regular file, a symbolic
 * link, I/O error) is an error. */
gboolean hb_generation_file_bump (const char *statedir, gint64 now_s,
                                  guint32 *gen_out, gboolean *seeded_out, GError **error);

/* The node's 16-byte UUID from STATEDIR/hb_uuid, created at random on first
 * use (atomically, as above). A file of another size is replaced by a new
 * UUID with a warning. */
gboolean hb_uuid_file_load (const char *statedir, guint8 uuid_out[HB_UUID_LEN], GError **error);

G_END_DECLS
