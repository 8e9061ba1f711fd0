/* systole: hb_config_load() and hb_config_load_full(): read the three files
 * (the one I/O lib/ does) and hand their bytes to hb_config_load_texts(). */
#include "config-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads a whole file; `mode_out` receives st_mode. */
static gboolean
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

/* One file read into TEXT; on failure TEXT says why. CONTENTS and WHY are
 * the storage TEXT points into. */
static void
hb_config_read_text (const char *path, HbConfigText *text, char **contents, char **why)
{
  g_autoptr (GError) error = NULL;

  *text = (HbConfigText) { 0 };
  if (!hb_config_read_file (path, contents, &text->len, &text->mode, &error))
    {
      *why = g_strdup (error->message);
      text->read_error = *why;
      return;
    }
  text->contents = *contents;
}

HbConfig *
hb_config_load_full (const HbConfigPaths *paths,
                     const char *local_node,
                     const HbConfigEnv *env,
                     GPtrArray *diags,
                     GError **error)
{
  HbConfigTexts texts;
  HbConfigText *text[] = { &texts.hacf, &texts.authkeys, &texts.haresources };
  char *contents[G_N_ELEMENTS (text)] = { NULL };
  char *why[G_N_ELEMENTS (text)] = { NULL };
  HbConfig *config;

  g_return_val_if_fail (paths != NULL && paths->confdir != NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (text); i++)
    {
      g_autofree char *path = hb_config_path (paths, (HbConfigName) i);

      hb_config_read_text (path, text[i], &contents[i], &why[i]);
    }
  config = hb_config_load_texts (paths, &texts, local_node, env, diags, error);
  for (guint i = 0; i < G_N_ELEMENTS (text); i++)
    {
      if (contents[i] != NULL)
        {
          /* authkeys holds the keys: leave no copy behind. */
          memset (contents[i], 0, text[i]->len);
        }
      g_free (contents[i]);
      g_free (why[i]);
    }
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
