/* systole tests: configuration fixtures in temporary directories. */
#include "config-testutil.h"

#include <glib/gstdio.h>

static void
hb_test_write (const char *dir, const char *name, const char *text, guint mode)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  if (text == HB_TEST_ABSENT)
    {
      return;
    }
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

char *
hb_test_write_dir (const char *hacf, const char *haresources, const char *authkeys, guint mode)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("systole-config-XXXXXX", &error);

  g_assert_no_error (error);
  hb_test_write (dir, "ha.cf", hacf != NULL ? hacf : HB_TEST_HACF, 0644);
  hb_test_write (dir, "haresources", haresources != NULL ? haresources : HB_TEST_HARESOURCES, 0644);
  hb_test_write (dir, "authkeys", authkeys != NULL ? authkeys : HB_TEST_AUTHKEYS, mode != 0 ? mode : 0600);
  return dir;
}

static char *
hb_test_read (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

char *
hb_test_copy_dir (const char *srcdir, const char *hacf_name)
{
  g_autofree char *hacf = hb_test_read (srcdir, hacf_name);
  g_autofree char *haresources = hb_test_read (srcdir, "haresources");
  g_autofree char *authkeys = hb_test_read (srcdir, "authkeys");

  return hb_test_write_dir (hacf, haresources, authkeys, 0600);
}

void
hb_test_remove_dir (const char *dir)
{
  static const char *const names[] = { "ha.cf", "haresources", "authkeys" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

HbConfig *
hb_test_load (const char *dir, const char *node, const HbConfigEnv *env, GPtrArray *diags, GError **error)
{
  HbConfigPaths paths = { .confdir = dir };

  return hb_config_load_full (&paths, node, env, diags, error);
}

guint
hb_test_count (GPtrArray *diags, HbDiagSeverity severity)
{
  guint n = 0;

  for (guint i = 0; i < diags->len; i++)
    {
      n += ((const HbDiag *) g_ptr_array_index (diags, i))->severity == severity;
    }
  return n;
}

void
hb_test_log_diags (GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      g_test_message ("%s (code %d): %s", d->severity == HB_DIAG_ERROR ? "error" : "warning", d->code,
                      d->message);
    }
}
