/* systole: hb_config_load_texts(): parse the three files' texts, collect every
 * problem, and hand out a configuration only when there is no error. Pure: the
 * files are read by config-read.c. */
#include "config-private.h"

#include "printable.h"

#include <stdarg.h>
#include <string.h>

void
hb_config_diag (HbConfigBuilder *b,
                HbDiagSeverity severity,
                HbConfigError code,
                const char *file,
                guint line,
                const char *format,
                ...)
{
  va_list args;
  g_autofree char *text = NULL;
  g_autofree char *full = NULL;
  HbDiag *diag = g_new0 (HbDiag, 1);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  diag->severity = severity;
  diag->domain = HB_CONFIG_ERROR;
  diag->code = code;
  diag->file = g_strdup (file);
  diag->line = line;
  /* Messages echo the files' words: control bytes and non-UTF-8 shown escaped. */
  full = g_strdup_printf ("%s:%u: %s", file, line, text);
  diag->message = hb_printable (full);
  g_ptr_array_add (b->diags, diag);
  if (severity == HB_DIAG_ERROR)
    {
      b->n_errors++;
    }
}

guint
hb_config_seen_line (const HbConfigBuilder *b, const char *directive)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (b->seen, directive));
}

gboolean
hb_config_check_text (HbConfigBuilder *b, const char *path, const char *contents, gsize len)
{
  const char *nul = memchr (contents, '\0', len);
  guint line = 1;

  if (nul == NULL)
    {
      return TRUE;
    }
  for (const char *p = contents; p < nul; p++)
    {
      line += *p == '\n';
    }
  /* Lines after a NUL would silently vanish: refuse the file instead. */
  hb_config_err (b, HB_CONFIG_ERROR_IO, path, line, "contains a NUL byte: not a text file");
  return FALSE;
}

char **
hb_config_split_lines (const char *contents, gsize len)
{
  GPtrArray *lines = g_ptr_array_new ();
  const char *end = contents + len;
  const char *p = contents;

  for (;;)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *stop = nl != NULL ? nl : end;

      if (stop > p && stop[-1] == '\r')
        {
          stop--;
        }
      g_ptr_array_add (lines, g_strndup (p, (gsize) (stop - p)));
      if (nl == NULL)
        {
          break;
        }
      p = nl + 1;
    }
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (lines, FALSE);
}

char *
hb_config_path (const HbConfigPaths *paths, HbConfigName file)
{
  static const char *const names[] = { "ha.cf", "authkeys", "haresources" };
  const char *const overrides[] = { paths->hacf, paths->authkeys, paths->haresources };

  if (overrides[file] != NULL)
    {
      return g_strdup (overrides[file]);
    }
  return g_build_filename (paths->confdir, names[file], NULL);
}

static void
hb_config_builder_clear (HbConfigBuilder *b)
{
  g_clear_pointer (&b->config, hb_config_free);
  g_free (b->hacf_path);
  g_free (b->haresources_path);
  g_free (b->authkeys_path);
  g_clear_pointer (&b->seen, g_hash_table_unref);
}

static const HbDiag *
hb_config_first_error (GPtrArray *diags, guint from)
{
  for (guint i = from; i < diags->len; i++)
    {
      const HbDiag *diag = g_ptr_array_index (diags, i);
      if (diag->severity == HB_DIAG_ERROR)
        {
          return diag;
        }
    }
  return NULL;
}

static gint
hb_config_file_rank (const HbConfigBuilder *b, const char *file)
{
  const char *const order[] = { b->hacf_path, b->authkeys_path, b->haresources_path };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (g_strcmp0 (order[i], file) == 0)
        {
          return (gint) i;
        }
    }
  return G_N_ELEMENTS (order);
}

static gint
hb_config_diag_cmp (gconstpointer pa, gconstpointer pb, gpointer user_data)
{
  const HbDiag *a = *(const HbDiag *const *) pa;
  const HbDiag *d = *(const HbDiag *const *) pb;
  gint ra = hb_config_file_rank (user_data, a->file);
  gint rd = hb_config_file_rank (user_data, d->file);

  if (ra != rd)
    {
      return ra - rd;
    }
  return a->line < d->line ? -1 : a->line > d->line;
}

/* Whole-configuration checks run last; report in file and line order
 * (the sort is stable, so one line's problems keep their order). */
static void
hb_config_sort_diags (HbConfigBuilder *b, guint from)
{
  g_autoptr (GPtrArray) tail = g_ptr_array_new ();

  for (guint i = from; i < b->diags->len; i++)
    {
      g_ptr_array_add (tail, g_ptr_array_index (b->diags, i));
    }
  g_ptr_array_sort_with_data (tail, hb_config_diag_cmp, b);
  for (guint i = 0; i < tail->len; i++)
    {
      b->diags->pdata[from + i] = g_ptr_array_index (tail, i);
    }
}

HbConfig *
hb_config_load_texts (const HbConfigPaths *paths,
                      const HbConfigTexts *texts,
                      const char *local_node,
                      const HbConfigEnv *env,
                      GPtrArray *diags,
                      GError **error)
{
  static const HbConfigEnv no_env = { 0 };
  g_autoptr (GPtrArray) own_diags = NULL;
  HbConfigBuilder b = { 0 };

  g_return_val_if_fail (paths != NULL && paths->confdir != NULL, NULL);
  g_return_val_if_fail (texts != NULL && local_node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (diags == NULL)
    {
      own_diags = hb_diag_array_new ();
      diags = own_diags;
    }
  guint first_diag = diags->len;
  b.diags = diags;
  b.env = env != NULL ? env : &no_env;
  b.config = hb_config_new_empty ();
  b.config->confdir = g_strdup (paths->confdir);
  b.config->local_node = g_ascii_strdown (local_node, -1);
  b.hacf_path = hb_config_path (paths, HB_CONFIG_NAME_HACF);
  b.haresources_path = hb_config_path (paths, HB_CONFIG_NAME_HARESOURCES);
  b.authkeys_path = hb_config_path (paths, HB_CONFIG_NAME_AUTHKEYS);
  b.seen = g_hash_table_new (g_str_hash, g_str_equal);
  b.nice_failback = -1;

  hb_config_set_defaults (&b);
  /* All three files are always read, so one run reports every problem. */
  hb_config_parse_hacf (&b, &texts->hacf);
  hb_config_apply_defaults (&b);
  hb_config_parse_authkeys (&b, &texts->authkeys);
  hb_config_parse_haresources (&b, &texts->haresources);
  hb_config_validate (&b);
  hb_config_check_files (&b);
  hb_config_sort_diags (&b, first_diag);

  if (b.n_errors > 0)
    {
      const HbDiag *first = hb_config_first_error (diags, first_diag);
      g_set_error_literal (error, HB_CONFIG_ERROR, first->code, first->message);
      hb_config_builder_clear (&b);
      return NULL;
    }
  HbConfig *config = g_steal_pointer (&b.config);
  hb_config_builder_clear (&b);
  return config;
}
