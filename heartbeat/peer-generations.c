/* systole: the peers' generations file (see peer-generations.h). */
#include "peer-generations.h"

#include <string.h>

#include <gio/gio.h>

#include "generation.h"
#include "logger.h"
#include "statefile.h"

/* Far more than a line per node of any cluster. */
#define PEER_GENERATIONS_MAX_LEN (64 * 1024)

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
  if (!hb_state_file_read (statedir, HB_PEER_GENERATIONS_FILE, PEER_GENERATIONS_MAX_LEN, &text,
                           &len, &error)
      && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) && warnings != NULL)
    {
      g_ptr_array_add (warnings, g_strdup_printf ("%s: replays of the peers' earlier runs are "
                                                  "only recognised once they are heard",
                                                  error->message));
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
  char *text;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_free (job->dir);
  g_free (job->text);
  g_free (job);
}

static void
write_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  (void) source;
  (void) cancellable;
  const WriteJob *job = data;

  if (hb_state_file_write_atomic (job->dir, HB_PEER_GENERATIONS_FILE, job->text, strlen (job->text),
                                  0644, &error))
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
