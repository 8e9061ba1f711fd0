/* Unit tests for heartbeat/statefile: crash-safe state files, in a
 * temporary directory. A full disk is played by RLIMIT_FSIZE. */
#include "statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  (void) data;
  f->dir = g_dir_make_tmp ("systole-statefile-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  (void) data;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
}

static char *
path_of (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static guint
count_entries (Fixture *f)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    {
      n++;
    }
  return n;
}

static void
assert_contents (Fixture *f, const char *name, const char *expected)
{
  g_autofree char *path = path_of (f, name);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, expected);
}

static void
test_create_and_mode (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = path_of (f, "hb_generation");
  struct stat st;

  (void) data;
  g_assert_true (hb_state_file_write_atomic (f->dir, "hb_generation", "42\n", 3, 0640, &error));
  g_assert_no_error (error);
  assert_contents (f, "hb_generation", "42\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  /* Exactly the mode asked for, whatever the umask. */
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_cmpuint (count_entries (f), ==, 1);
}

/* The old file is replaced, not rewritten: a reader that opened it before
 * still reads the old bytes, and no temporary file is left. */
static void
test_replace_not_in_place (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = path_of (f, "hb_generation");
  char buf[16] = { 0 };
  int fd;

  (void) data;
  g_assert_true (hb_state_file_write_atomic (f->dir, "hb_generation", "old", 3, 0644, &error));
  fd = open (path, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (hb_state_file_write_atomic (f->dir, "hb_generation", "newer", 5, 0644, &error));
  g_assert_no_error (error);
  g_assert_cmpint (read (fd, buf, sizeof buf - 1), ==, 3);
  g_assert_cmpstr (buf, ==, "old");
  close (fd);
  assert_contents (f, "hb_generation", "newer");
  g_assert_cmpuint (count_entries (f), ==, 1);
}

/* A full disk during the write leaves the old contents and no debris. */
static void
test_full_disk_keeps_old (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  struct rlimit old_limit, small = { 4, 4 };
  void (*old_handler) (int);

  (void) data;
  g_assert_true (hb_state_file_write_atomic (f->dir, "hb_generation", "     1432334411\n", 16, 0644, &error));
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  small.rlim_max = old_limit.rlim_max;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  gboolean ok = hb_state_file_write_atomic (f->dir, "hb_generation", "     1432334412\n", 16, 0644, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_true (strstr (error->message, "hb_generation") != NULL);
  assert_contents (f, "hb_generation", "     1432334411\n");
  g_assert_cmpuint (count_entries (f), ==, 1);
}

/* A symbolic link at the name is replaced, its target never written. */
static void
test_symlink_replaced (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target = path_of (f, "target");
  g_autofree char *link = path_of (f, "hb_uuid");
  struct stat st;

  (void) data;
  g_assert_true (g_file_set_contents (target, "precious", -1, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_true (hb_state_file_write_atomic (f->dir, "hb_uuid", "0123456789abcdef", 16, 0644, &error));
  g_assert_no_error (error);
  assert_contents (f, "target", "precious");
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  assert_contents (f, "hb_uuid", "0123456789abcdef");
}

static void
test_missing_dir (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = path_of (f, "nope");

  (void) data;
  g_assert_false (hb_state_file_write_atomic (missing, "x", "1", 1, 0644, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, missing) != NULL);
}

static void
test_read (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *big = g_strnfill (100, '7');
  g_autofree char *sub = path_of (f, "sub");
  g_autofree char *link = path_of (f, "link");
  gsize len = 0;

  (void) data;
  g_assert_true (hb_state_file_write_atomic (f->dir, "small", "abc", 3, 0644, &error));
  g_assert_true (hb_state_file_read (f->dir, "small", 16, &text, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 3);
  g_assert_cmpstr (text, ==, "abc");

  g_assert_false (hb_state_file_read (f->dir, "absent", 16, &text, &len, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_true (hb_state_file_write_atomic (f->dir, "big", big, 100, 0644, &error));
  g_assert_false (hb_state_file_read (f->dir, "big", 99, &text, &len, &error));
  g_assert_error (error, HB_STATE_FILE_ERROR, HB_STATE_FILE_ERROR_TOO_BIG);
  g_clear_error (&error);

  g_assert_cmpint (symlink ("small", link), ==, 0);
  g_assert_false (hb_state_file_read (f->dir, "link", 16, &text, &len, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_false (hb_state_file_read (f->dir, "sub", 16, &text, &len, &error));
  g_assert_error (error, HB_STATE_FILE_ERROR, HB_STATE_FILE_ERROR_NOT_REGULAR);
  g_rmdir (sub);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) g_test_add ("/statefile/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create-and-mode", test_create_and_mode);
  ADD ("replace-not-in-place", test_replace_not_in_place);
  ADD ("full-disk-keeps-old", test_full_disk_keeps_old);
  ADD ("symlink-replaced", test_symlink_replaced);
  ADD ("missing-dir", test_missing_dir);
  ADD ("read", test_read);
  return g_test_run ();
}
