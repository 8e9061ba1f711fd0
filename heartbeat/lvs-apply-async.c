/* systole: the checker's asynchronous apply (GTask in a worker thread). Kept
 * apart from lvs-backend.c so that systole-lvs, which runs in the failover
 * path, does not link GIO. See lvs-apply-async.h. */
#include "lvs-apply-async.h"

typedef struct
{
  HbLvsDirector *director; /* borrowed: the checker keeps it for its whole life */
  const HbLvsPaths *paths; /* borrowed, likewise */
  GHashTable *down;        /* a private copy, so the loop may change its own */
} ApplyJob;

static void
apply_job_free (gpointer data)
{
  ApplyJob *job = data;
  g_hash_table_unref (job->down);
  g_free (job);
}

static void
apply_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ApplyJob *job = data;
  GError *error = NULL;
  int lock = hb_lvs_state_lock (job->paths, TRUE);
  /* stop takes the pid file away (under this lock) before it deletes the table:
   * without it the checker is being stopped and must not program anything back. */
  gboolean stopping = !g_file_test (job->paths->pid, G_FILE_TEST_EXISTS);
  gboolean ok = stopping
                || (hb_lvs_state_write_down (job->paths->down, job->down, &error)
                    && hb_lvs_director_apply (job->director, job->down, &error));

  (void) source;
  (void) cancellable;
  hb_lvs_state_unlock (lock);
  if (ok)
    {
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      g_task_return_error (task, error);
    }
}

static GHashTable *
copy_set (GHashTable *set)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer key;

  if (set != NULL)
    {
      g_hash_table_iter_init (&it, set);
      while (g_hash_table_iter_next (&it, &key, NULL))
        {
          g_hash_table_add (copy, g_strdup (key));
        }
    }
  return copy;
}

void
hb_lvs_director_apply_async (HbLvsDirector *director, const HbLvsPaths *paths, GHashTable *down,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, callback, user_data);
  ApplyJob *job = g_new0 (ApplyJob, 1);

  job->director = director;
  job->paths = paths;
  job->down = copy_set (down);
  g_task_set_source_tag (task, hb_lvs_director_apply_async);
  g_task_set_task_data (task, job, apply_job_free);
  g_task_run_in_thread (task, apply_thread);
}

gboolean
hb_lvs_director_apply_finish (HbLvsDirector *director, GAsyncResult *result, GError **error)
{
  (void) director;
  return g_task_propagate_boolean (G_TASK (result), error);
}

