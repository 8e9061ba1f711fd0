/* systole: the LVS director's I/O. See lvs-backend.h. */
#include "lvs-backend.h"

#include "lvs-nft.h"
#include "lvs-spawn.h"

#include <string.h>
#include <sys/wait.h>

G_DEFINE_QUARK (hb-lvs-director-error-quark, hb_lvs_director_error)

HbLvsConfig *
hb_lvs_config_load_as (const char *path, const char *file, GPtrArray *warnings, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_IO, "%s: cannot read the configuration: %s",
                   path, local->message);
      return NULL;
    }
  return hb_lvs_config_parse_len (text, len, file, warnings, error);
}

HbLvsConfig *
hb_lvs_config_load (const char *file, GPtrArray *warnings, GError **error)
{
  return hb_lvs_config_load_as (file, file, warnings, error);
}

static HbLvsBackend
resolve_backend (const HbLvsConfig *config, HbLvsBackend override)
{
  const char *proc = g_getenv ("SYSTOLE_LVS_PROC_IP_VS");

  if (override != HB_LVS_BACKEND_AUTO)
    {
      return override;
    }
  if (config->backend != HB_LVS_BACKEND_AUTO)
    {
      return config->backend;
    }
  return g_file_test (proc != NULL ? proc : "/proc/net/ip_vs", G_FILE_TEST_EXISTS) ? HB_LVS_BACKEND_IPVS
                                                                                     : HB_LVS_BACKEND_NFTABLES;
}

/* ipvsadm: $SYSTOLE_IPVSADM, else on PATH. (nftables needs no program: the
 * commands run in-process through libnftables.) */
static char *
find_ipvsadm (GError **error)
{
  const char *env = g_getenv ("SYSTOLE_IPVSADM");
  char *path = g_find_program_in_path (env != NULL && *env != '\0' ? env : "ipvsadm");

  if (path == NULL)
    {
      g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_NOT_INSTALLED,
                   "the ipvs backend needs '%s', which is not installed (Debian package ipvsadm)",
                   env != NULL ? env : "ipvsadm");
    }
  return path;
}

HbLvsDirector *
hb_lvs_director_new (HbLvsConfig *config, HbLvsBackend override, GError **error)
{
  g_autoptr (HbLvsDirector) d = g_new0 (HbLvsDirector, 1);

  d->config = config;
  d->backend = resolve_backend (config, override);
  d->nft_table = hb_lvs_plan_nft_table (config);
  if (!hb_lvs_config_check_backend (config, d->backend, error))
    {
      return NULL;
    }
  if (d->backend == HB_LVS_BACKEND_IPVS)
    {
      d->program = find_ipvsadm (error);
      if (d->program == NULL)
        {
          return NULL;
        }
    }
  return g_steal_pointer (&d);
}

void
hb_lvs_director_free (HbLvsDirector *director)
{
  if (director == NULL)
    {
      return;
    }
  hb_lvs_config_free (director->config);
  g_free (director->nft_table);
  g_free (director->program);
  g_free (director);
}

/* Runs ARGV (argv vector, no shell), feeding INPUT; *STDERR_OUT gets stderr when the
 * command fails so callers can tell "no such table" from real failures. */
static gboolean
run (const char *const *argv, const char *input, char **out, char **err_out, GError **error)
{
  g_autofree char *out_text = NULL, *err_text = NULL;
  g_autofree char *cmdline = g_strjoinv (" ", (char **) argv);
  int status = 0;

  if (!hb_lvs_spawn_sync (argv, input, &out_text, &err_text, &status, error))
    {
      return FALSE;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_strstrip (err_text);
      g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_COMMAND, "'%s' failed (%s %d): %s",
                   cmdline, WIFEXITED (status) ? "exit" : "signal",
                   WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status),
                   *err_text != '\0' ? err_text : "(no message)");
      if (err_out != NULL)
        {
          *err_out = g_steal_pointer (&err_text);
        }
      return FALSE;
    }
  if (out != NULL)
    {
      *out = g_steal_pointer (&out_text);
    }
  return TRUE;
}

/* Our table as the kernel has it; *EXISTS (may be NULL) says whether the table is
 * there at all (an existing table with none of our rules reads as empty too). */
static HbLvsTable *
read_nft (HbLvsDirector *d, gboolean *exists, GError **error)
{
  g_autofree char *cmd = g_strdup_printf ("list table ip %s", d->nft_table);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) local = NULL;
  HbLvsTable *t;

  if (exists != NULL)
    {
      *exists = FALSE;
    }
  if (!hb_lvs_nft_run (cmd, cmd, &out, &err, &local))
    {
      /* nft says ENOENT's text when the table does not exist: nothing of ours. */
      if (err != NULL && strstr (err, "No such file or directory") != NULL)
        {
          return hb_lvs_table_new ();
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  t = hb_lvs_plan_nft_parse_listing (out, &local);
  if (t == NULL)
    {
      g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_KERNEL, "table ip %s: %s",
                   d->nft_table, local->message);
    }
  if (exists != NULL)
    {
      *exists = TRUE;
    }
  return t;
}

static HbLvsTable *
read_ipvs (HbLvsDirector *d, GError **error)
{
  const char *argv[] = { d->program, "-S", "-n", NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) local = NULL;
  HbLvsTable *t;

  if (!run (argv, NULL, &out, NULL, error))
    {
      return NULL;
    }
  t = hb_lvs_plan_ipvs_parse_save (out, &local);
  if (t == NULL)
    {
      g_set_error (error, HB_LVS_DIRECTOR_ERROR, HB_LVS_DIRECTOR_ERROR_KERNEL, "%s", local->message);
    }
  return t;
}

HbLvsTable *
hb_lvs_director_read (HbLvsDirector *director, GError **error)
{
  return director->backend == HB_LVS_BACKEND_IPVS ? read_ipvs (director, error)
                                                   : read_nft (director, NULL, error);
}

char *
hb_lvs_director_plan (HbLvsDirector *director, GHashTable *down, GError **error)
{
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (director->config, down, director->backend);
  g_autoptr (HbLvsTable) have = NULL;

  if (director->backend == HB_LVS_BACKEND_NFTABLES)
    {
      return hb_lvs_plan_nft_ruleset (director->nft_table, want, TRUE);
    }
  have = read_ipvs (director, error);
  return have != NULL ? hb_lvs_plan_ipvs_sync (want, have) : NULL;
}

/* Feeds SCRIPT to `ipvsadm -R`; an empty script runs nothing. */
static gboolean
run_script (HbLvsDirector *d, const char *script, GError **error)
{
  const char *ipvs_argv[] = { d->program, "-R", NULL };

  if (*script == '\0')
    {
      return TRUE;
    }
  return run (ipvs_argv, script, NULL, NULL, error);
}

/* nftables: the kernel is read first, because what it costs to program depends on
 * what is there: no table (a start after a failover, the common case) gets a
 * create-only transaction; a table that already holds exactly DOWN's services is
 * left alone; anything else is replaced atomically (repair, or a health change). */
static gboolean
apply_nft (HbLvsDirector *d, GHashTable *down, GError **error)
{
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (d->config, down, d->backend);
  g_autoptr (HbLvsTable) have = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *script = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) local = NULL;
  gboolean exists;

  have = read_nft (d, &exists, error);
  if (have == NULL)
    {
      return FALSE;
    }
  if (exists && have->virtuals->len == want->virtuals->len
      && hb_lvs_table_compare (want, have, problems) == HB_LVS_MATCH_ALL)
    {
      return TRUE;
    }
  script = hb_lvs_plan_nft_ruleset (d->nft_table, want, exists);
  if (hb_lvs_nft_run (script, "-f -", NULL, &err, &local))
    {
      return TRUE;
    }
  /* Created by someone else between our read and our create: replace it. */
  if (!exists && err != NULL && strstr (err, "File exists") != NULL)
    {
      g_free (script);
      script = hb_lvs_plan_nft_ruleset (d->nft_table, want, TRUE);
      return hb_lvs_nft_run (script, "-f -", NULL, NULL, error);
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
hb_lvs_director_apply (HbLvsDirector *director, GHashTable *down, GError **error)
{
  g_autofree char *script = NULL;

  if (director->backend == HB_LVS_BACKEND_NFTABLES)
    {
      return apply_nft (director, down, error);
    }
  script = hb_lvs_director_plan (director, down, error);
  return script != NULL && run_script (director, script, error);
}

gboolean
hb_lvs_director_remove (HbLvsDirector *director, GError **error)
{
  g_autoptr (HbLvsTable) have = NULL;
  g_autoptr (HbLvsTable) want = NULL;
  g_autofree char *script = NULL;

  if (director->backend == HB_LVS_BACKEND_NFTABLES)
    {
      g_autofree char *cmd = g_strdup_printf ("delete table ip %s", director->nft_table);
      g_autofree char *err = NULL;
      g_autoptr (GError) local = NULL;
      /* Deleting only our own table leaves every other table alone. A table
       * that is not there is success too: nothing of ours to remove. */
      if (!hb_lvs_nft_run (cmd, cmd, NULL, &err, &local) && (err == NULL || strstr (err, "No such file") == NULL))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }
  have = read_ipvs (director, error);
  if (have == NULL)
    {
      return FALSE;
    }
  want = hb_lvs_plan_desired (director->config, NULL, director->backend);
  script = hb_lvs_plan_ipvs_remove (want, have);
  return run_script (director, script, error);
}

gboolean
hb_lvs_director_remove_stale (HbLvsDirector *director, HbLvsDirector *old, GError **error)
{
  g_autoptr (HbLvsTable) have = NULL;
  g_autoptr (HbLvsTable) want = NULL;
  g_autoptr (HbLvsTable) had = NULL;
  g_autoptr (HbLvsTable) stale = NULL;
  g_autofree char *script = NULL;

  if (old->backend != director->backend
      || (old->backend == HB_LVS_BACKEND_NFTABLES && strcmp (old->nft_table, director->nft_table) != 0))
    {
      return hb_lvs_director_remove (old, error);
    }
  if (old->backend == HB_LVS_BACKEND_NFTABLES)
    {
      return TRUE; /* the same table is replaced whole by apply */
    }
  have = read_ipvs (old, error);
  if (have == NULL)
    {
      return FALSE;
    }
  want = hb_lvs_plan_desired (director->config, NULL, director->backend);
  had = hb_lvs_plan_desired (old->config, NULL, old->backend);
  stale = hb_lvs_table_minus (had, want);
  script = hb_lvs_plan_ipvs_remove (stale, have);
  return run_script (old, script, error);
}

gboolean
hb_lvs_director_compare (HbLvsDirector *director, GHashTable *down, HbLvsMatch *match,
                         GPtrArray *problems, GError **error)
{
  g_autoptr (HbLvsTable) have = hb_lvs_director_read (director, error);
  g_autoptr (HbLvsTable) want = NULL;

  if (have == NULL)
    {
      return FALSE;
    }
  want = hb_lvs_plan_desired (director->config, down, director->backend);
  *match = hb_lvs_table_compare (want, have, problems);
  return TRUE;
}

GHashTable *
hb_lvs_state_read_down (const char *path)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      return set;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        {
          g_hash_table_add (set, g_strdup (lines[i]));
        }
    }
  return set;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
hb_lvs_state_write_down (const char *path, GHashTable *down, GError **error)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  g_autoptr (GString) text = g_string_new (NULL);
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, down);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      g_ptr_array_add (keys, key);
    }
  g_ptr_array_sort (keys, compare_strings);
  for (guint i = 0; i < keys->len; i++)
    {
      g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (keys, i));
    }
  /* g_file_set_contents writes a temporary file and renames it: readers never
   * see half a set. */
  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}
