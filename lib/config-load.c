/* systole: hb_config_load(): read the three files, collect every problem,
 * and hand out a configuration only when there is no error. */
#include "config-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
  HbDiag *diag = g_new0 (HbDiag, 1);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  diag->severity = severity;
  diag->domain = HB_CONFIG_ERROR;
  diag->code = code;
  diag->file = g_strdup (file);
  diag->line = line;
  diag->message = g_strdup_printf ("%s:%u: %s", file, line, text);
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
hb_config_read_file (const char *path, char **contents_out, gsize *len_out, guint *mode_out, GError **error)
{
  struct stat st;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  /* The mode is taken from the descriptor we read, not from the name. */
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not a regular file");
      close (fd);
      return FALSE;
    }
  g_autoptr (GString) text = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read (fd, buf, sizeof buf)) != 0)
    {
      if (n < 0 && errno == EINTR)
        {
          continue;
        }
      if (n < 0)
        {
          int saved = errno;
          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
          close (fd);
          return FALSE;
        }
      g_string_append_len (text, buf, n);
    }
  close (fd);
  *mode_out = st.st_mode;
  *len_out = text->len;
  *contents_out = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
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
hb_config_split_lines (const char *contents)
{
  char **lines = g_strsplit (contents, "\n", -1);

  for (char **l = lines; *l != NULL; l++)
    {
      gsize len = strlen (*l);
      if (len > 0 && (*l)[len - 1] == '\r')
        {
          (*l)[len - 1] = '\0';
        }
    }
  return lines;
}

static char *
hb_config_path (const char *confdir, const char *override, const char *name)
{
  if (override != NULL)
    {
      return g_strdup (override);
    }
  return g_build_filename (confdir, name, NULL);
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
hb_config_load_full (const HbConfigPaths *paths,
                     const char *local_node,
                     const HbConfigEnv *env,
                     GPtrArray *diags,
                     GError **error)
{
  static const HbConfigEnv no_env = { 0 };
  g_autoptr (GPtrArray) own_diags = NULL;
  HbConfigBuilder b = { 0 };

  g_return_val_if_fail (paths != NULL && paths->confdir != NULL, NULL);
  g_return_val_if_fail (local_node != NULL, NULL);
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
  b.hacf_path = hb_config_path (paths->confdir, paths->hacf, "ha.cf");
  b.haresources_path = hb_config_path (paths->confdir, paths->haresources, "haresources");
  b.authkeys_path = hb_config_path (paths->confdir, paths->authkeys, "authkeys");
  b.seen = g_hash_table_new (g_str_hash, g_str_equal);
  b.nice_failback = -1;

  hb_config_set_defaults (&b);
  /* All three files are always read, so one run reports every problem. */
  hb_config_parse_hacf (&b);
  hb_config_apply_defaults (&b);
  hb_config_parse_authkeys (&b);
  hb_config_parse_haresources (&b);
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

HbConfig *
hb_config_load (const HbConfigPaths *paths,
                const char *local_node,
                GPtrArray *diags,
                GError **error)
{
  return hb_config_load_full (paths, local_node, NULL, diags, error);
}
