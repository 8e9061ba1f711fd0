/* systole: the peers' generations file (see peer-generations.h). */
#include "peer-generations.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "generation.h"
#include "logger.h"

struct _HbPeerGenerations
{
  gatomicrefcount ref;
  char *dir;
  char *path;
  GHashTable *table;   /* node -> GUINT_TO_POINTER (generation); main thread only */
  gboolean writing;    /* a worker is writing */
  gboolean dirty;      /* changed since the text the worker writes */
};

static HbPeerGenerations *
store_ref (HbPeerGenerations *store)
{
  g_atomic_ref_count_inc (&store->ref);
  return store;
}

static void
store_unref (HbPeerGenerations *store)
{
  if (store != NULL && g_atomic_ref_count_dec (&store->ref))
    {
      g_hash_table_unref (store->table);
      g_free (store->dir);
      g_free (store->path);
      g_free (store);
    }
}

void
hb_peer_generations_free (HbPeerGenerations *store)
{
  store_unref (store);
}

HbPeerGenerations *
hb_peer_generations_load (const char *statedir, GPtrArray *warnings)
{
  HbPeerGenerations *store = g_new0 (HbPeerGenerations, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  gsize len = 0;

  g_atomic_ref_count_init (&store->ref);
  store->dir = g_strdup (statedir);
  store->path = g_build_filename (statedir, HB_PEER_GENERATIONS_FILE, NULL);
  if (!g_file_get_contents (store->path, &text, &len, &error)
      && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) && warnings != NULL)
    {
      g_ptr_array_add (warnings, g_strdup_printf ("%s: %s: replays of the peers' earlier runs are "
                                                  "only recognised once they are heard",
                                                  store->path, error->message));
    }
  store->table = hb_peer_generations_parse (text, len, problems);
  for (guint i = 0; warnings != NULL && i < problems->len; i++)
    {
      g_ptr_array_add (warnings, g_strdup_printf ("%s: %s (ignored)", store->path,
                                                  (const char *) g_ptr_array_index (problems, i)));
    }
  return store;
}

guint32
hb_peer_generations_get (const HbPeerGenerations *store, const char *node)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (store->table, node));
}

const char *
hb_peer_generations_path (const HbPeerGenerations *store)
{
  return store->path;
}

/* ---- the atomic rewrite, in a worker ------------------------------------------------ */

typedef struct
{
  char *dir;
  char *path;
  char *text;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_free (job->dir);
  g_free (job->path);
  g_free (job->text);
  g_free (job);
}

static gboolean
fail_errno (GError **error, const char *what, const char *path)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot %s %s: %s", what, path,
               g_strerror (saved));
  return FALSE;
}

static gboolean
write_atomic (const WriteJob *job, GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.tmp", job->path);
  gsize len = strlen (job->text);
  int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  int dirfd;

  if (fd < 0)
    {
      return fail_errno (error, "create", tmp);
    }
  if (write (fd, job->text, len) != (gssize) len || fsync (fd) != 0)
    {
      gboolean r = fail_errno (error, "write", tmp);
      close (fd);
      unlink (tmp);
      return r;
    }
  close (fd);
  if (rename (tmp, job->path) != 0)
    {
      gboolean r = fail_errno (error, "rename to", job->path);
      unlink (tmp);
      return r;
    }
  dirfd = open (job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd >= 0)
    {
      fsync (dirfd);
      close (dirfd);
    }
  return TRUE;
}

static void
write_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  (void) source;
  (void) cancellable;
  if (write_atomic (data, &error))
    {
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      g_task_return_error (task, error);
    }
}

static void schedule_write (HbPeerGenerations *store);

static void
write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HbPeerGenerations *store = user_data;
  g_autoptr (GError) error = NULL;

  (void) source;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      hb_log (HB_LOG_WARNING, "%s: replays of the peers' earlier runs are only recognised once "
              "they are heard after a restart", error->message);
    }
  store->writing = FALSE;
  if (store->dirty)
    {
      schedule_write (store);
    }
  store_unref (store);
}

static void
schedule_write (HbPeerGenerations *store)
{
  g_autoptr (GTask) task = NULL;
  WriteJob *job;

  if (store->writing)
    {
      store->dirty = TRUE; /* written again when this write is done */
      return;
    }
  job = g_new0 (WriteJob, 1);
  job->dir = g_strdup (store->dir);
  job->path = g_strdup (store->path);
  job->text = hb_peer_generations_format (store->table);
  store->writing = TRUE;
  store->dirty = FALSE;
  task = g_task_new (NULL, NULL, write_done, store_ref (store));
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
hb_peer_generations_raise (HbPeerGenerations *store, const char *node, guint32 gen)
{
  if (gen <= hb_peer_generations_get (store, node))
    {
      return FALSE;
    }
  g_hash_table_replace (store->table, g_strdup (node), GUINT_TO_POINTER (gen));
  schedule_write (store);
  return TRUE;
}
