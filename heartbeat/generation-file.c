/* systole: generation and UUID files of the state directory. */
#include "generation-file.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <gio/gio.h>

#include "generation.h"
#include "logger.h"
#include "statefile.h"

#define STATE_FILE_MODE 0644
/* Far more than any valid file (16 bytes): a bigger one is garbage. */
#define MAX_STATE_FILE_LEN 1024

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

/* The file's contents; *text_out NULL when there is none. A file too big
 * to be ours is garbage to be replaced (*garbage_out says why), not an I/O
 * error. */
static gboolean
read_state (const char *statedir, const char *name, char **text_out, gsize *len_out,
            GError **garbage_out, GError **error)
{
  g_autoptr (GError) local = NULL;

  *text_out = NULL;
  *len_out = 0;
  if (hb_state_file_read (statedir, name, MAX_STATE_FILE_LEN, text_out, len_out, &local)
      || g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      return TRUE;
    }
  if (g_error_matches (local, HB_STATE_FILE_ERROR, HB_STATE_FILE_ERROR_TOO_BIG))
    {
      g_set_error (garbage_out, HB_STATE_FILE_ERROR, local->code, "more than %d bytes", MAX_STATE_FILE_LEN);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
hb_generation_file_bump (const char *statedir, gint64 now_s,
                         guint32 *gen_out, gboolean *seeded_out, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *record = NULL;
  g_autoptr (GError) problem = NULL;
  gsize len = 0;

  if (!ensure_dir (statedir, error)
      || !read_state (statedir, HB_GENERATION_FILE, &text, &len, &problem, error))
    {
      return FALSE;
    }
  if (problem == NULL)
    {
      *gen_out = hb_generation_recover (text, len, now_s, seeded_out, &problem);
    }
  else
    {
      *gen_out = hb_generation_recover (NULL, 0, now_s, seeded_out, NULL);
    }
  if (problem != NULL)
    {
      hb_log (HB_LOG_WARNING,
              "Ignoring generation file %s/%s: %s (left by a crash or a full disk?); "
              "treating it as no previous generation",
              statedir, HB_GENERATION_FILE, problem->message);
    }
  record = hb_generation_format (*gen_out);
  return hb_state_file_write_atomic (statedir, HB_GENERATION_FILE, record, strlen (record),
                                     STATE_FILE_MODE, error);
}

static void
new_uuid (guint8 uuid_out[HB_UUID_LEN])
{
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
}

gboolean
hb_uuid_file_load (const char *statedir, guint8 uuid_out[HB_UUID_LEN], GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) problem = NULL;
  gsize len = 0;

  if (!ensure_dir (statedir, error)
      || !read_state (statedir, HB_UUID_FILE, &data, &len, &problem, error))
    {
      return FALSE;
    }
  if (data != NULL && len == HB_UUID_LEN)
    {
      memcpy (uuid_out, data, HB_UUID_LEN);
      return TRUE;
    }
  new_uuid (uuid_out);
  if (data != NULL || problem != NULL)
    {
      g_autofree char *what = problem != NULL ? g_strdup (problem->message)
                                              : g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", len);
      /* Peers only use the UUID as a label (srcuuid): a new one is safe,
       * but it is a visible change, so say so. */
      hb_log (HB_LOG_WARNING,
              "Ignoring node UUID file %s/%s: %s instead of %d "
              "(left by a crash or a full disk?); this node gets a new UUID",
              statedir, HB_UUID_FILE, what, HB_UUID_LEN);
    }
  return hb_state_file_write_atomic (statedir, HB_UUID_FILE, uuid_out, HB_UUID_LEN, STATE_FILE_MODE,
                                     error);
}
