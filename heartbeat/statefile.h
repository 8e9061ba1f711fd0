/* systole: small files of the state directory (hb_generation, hb_uuid, and
 * any other per-node record that must survive a crash), written so that a
 * reader never sees a half-written file. */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Replaces DIR/NAME with exactly `len` bytes of `data`, atomically and
 * durably:
 *
 *   1. creates a new temporary file DIR/.NAME.XXXXXX (O_EXCL, O_NOFOLLOW),
 *   2. writes all of `data`, sets `mode` exactly (fchmod, not umask'ed),
 *      fsync()s it,
 *   3. rename()s it over DIR/NAME,
 *   4. fsync()s DIR so the rename itself survives a power cut.
 *
 * After a crash or a full disk at any step, DIR/NAME is either the old
 * contents or the new ones, never empty or truncated. On failure the
 * temporary file is removed and `error` (G_IO_ERROR) names the path and
 * the step; DIR/NAME is then unchanged. Only a crash between 1 and 3 can
 * leave a `.NAME.XXXXXX` behind; it is harmless and never read.
 *
 * DIR must exist (it is not created). NAME is a plain file name: no '/',
 * not "." or "..". DIR/NAME, if it exists, must be a regular file or
 * absent; a symbolic link there is replaced, never followed. Concurrent
 * writers of the same NAME are safe (each has its own temporary file; the
 * last rename wins). */
gboolean hb_state_file_write_atomic (const char *dir, const char *name, const void *data, gsize len,
                                     mode_t mode, GError **error);

#define HB_STATE_FILE_ERROR (hb_state_file_error_quark ())
GQuark hb_state_file_error_quark (void);

typedef enum
{
  HB_STATE_FILE_ERROR_TOO_BIG,     /* more than max_len bytes: not one of our records */
  HB_STATE_FILE_ERROR_NOT_REGULAR, /* a directory, device, FIFO, ... */
} HbStateFileError;

/* Reads DIR/NAME whole. The contents are NUL-terminated (the NUL is not
 * counted in *len_out). Errors name the path: a missing file is
 * G_FILE_ERROR_NOENT, so callers can tell "never written" from
 * "unreadable"; a symbolic link is G_FILE_ERROR_LOOP (never followed);
 * a file of more than `max_len` bytes or not a regular file is
 * HB_STATE_FILE_ERROR; other failures are G_FILE_ERROR from errno. */
gboolean hb_state_file_read (const char *dir, const char *name, gsize max_len, char **contents_out,
                             gsize *len_out, GError **error);

G_END_DECLS
