/* systole: generation and UUID files of the state directory. */
#include "generation-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <gio/gio.h>

#include "generation.h"

static gboolean
write_sync (const char *path, const char *data, gsize len, GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_SYNC | O_CLOEXEC, 0644);
  gssize n;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot write %s: %s",
                   path, g_strerror (errno));
      return FALSE;
    }
  n = write (fd, data, len);
  if (n != (gssize) len || fsync (fd) != 0)
    {
      int saved = n < 0 ? errno : EIO;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write %s: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
ensure_dir (const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot create state directory %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
hb_generation_file_bump (const char *statedir, gint64 now_s,
                         guint32 *gen_out, gboolean *seeded_out, GError **error)
{
  g_autofree char *path = g_build_filename (statedir, HB_GENERATION_FILE, NULL);
  g_autofree char *text = NULL;
  g_autofree char *record = NULL;
  g_autoptr (GError) local = NULL;
  gsize len = 0;
  guint32 previous = 0;
  gboolean have = FALSE;

  if (!ensure_dir (statedir, error))
    {
      return FALSE;
    }
  if (g_file_get_contents (path, &text, &len, &local))
    {
      if (!hb_generation_parse (text, len, &previous, &local))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, local->message);
          return FALSE;
        }
      have = TRUE;
    }
  else if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *gen_out = hb_generation_next (have, previous, now_s);
  *seeded_out = !have;
  record = hb_generation_format (*gen_out);
  return write_sync (path, record, strlen (record), error);
}

gboolean
hb_uuid_file_load (const char *statedir, guint8 uuid_out[HB_UUID_LEN], GError **error)
{
  g_autofree char *path = g_build_filename (statedir, HB_UUID_FILE, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_file_get_contents (path, &data, &len, NULL) && len == HB_UUID_LEN)
    {
      memcpy (uuid_out, data, HB_UUID_LEN);
      return TRUE;
    }
  if (!ensure_dir (statedir, error))
    {
      return FALSE;
    }
  /* A random (version 4) UUID, as uuid_generate() would give Heartbeat. */
  if (getrandom (uuid_out, HB_UUID_LEN, 0) != HB_UUID_LEN)
    {
      for (gsize i = 0; i < HB_UUID_LEN; i += 4)
        {
          guint32 r = g_random_int ();
          memcpy (uuid_out + i, &r, 4);
        }
    }
  uuid_out[6] = (uuid_out[6] & 0x0f) | 0x40;
  uuid_out[8] = (uuid_out[8] & 0x3f) | 0x80;
  return write_sync (path, (const char *) uuid_out, HB_UUID_LEN, error);
}
