/* systole: crash-safe small files of the state directory. */
#include "statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#define TEMP_TRIES 100

G_DEFINE_QUARK (hb-state-file-error-quark, hb_state_file_error)

static gboolean
fail (GError **error, int saved, const char *what, const char *dir, const char *name)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot %s %s/%s: %s", what, dir,
               name, g_strerror (saved));
  return FALSE;
}

static gboolean
valid_name (const char *name)
{
  return name[0] != '\0' && strchr (name, '/') == NULL && strcmp (name, ".") != 0
         && strcmp (name, "..") != 0;
}

/* A fresh DIR/.NAME.XXXXXX: O_EXCL, so never someone else's file. */
static int
create_temp (int dirfd, const char *name, char **temp_out)
{
  static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  for (int i = 0; i < TEMP_TRIES; i++)
    {
      char suffix[7];
      for (gsize k = 0; k < 6; k++)
        {
          suffix[k] = chars[g_random_int_range (0, sizeof chars - 1)];
        }
      suffix[6] = '\0';
      g_autofree char *temp = g_strdup_printf (".%s.%s", name, suffix);
      int fd = openat (dirfd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0)
        {
          *temp_out = g_steal_pointer (&temp);
          return fd;
        }
      if (errno != EEXIST)
        {
          return -1;
        }
    }
  errno = EEXIST;
  return -1;
}

static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        {
          continue;
        }
      if (n <= 0)
        {
          if (n == 0)
            {
              errno = ENOSPC;
            }
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Steps 2-3 on an open temporary file; errno tells why on FALSE. */
static gboolean
fill_and_rename (int dirfd, int fd, const char *temp, const char *name, const void *data,
                 gsize len, mode_t mode, const char **step)
{
  *step = "write";
  if (!write_all (fd, data, len))
    {
      return FALSE;
    }
  *step = "set the mode of";
  if (fchmod (fd, mode) != 0)
    {
      return FALSE;
    }
  *step = "sync";
  if (fsync (fd) != 0)
    {
      return FALSE;
    }
  *step = "replace";
  return renameat (dirfd, temp, dirfd, name) == 0;
}

gboolean
hb_state_file_write_atomic (const char *dir, const char *name, const void *data, gsize len,
                            mode_t mode, GError **error)
{
  g_autofree char *temp = NULL;
  const char *step = "create a temporary file for";
  int dirfd, fd, saved;
  gboolean ok;

  g_return_val_if_fail (dir != NULL && name != NULL && valid_name (name), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    {
      return fail (error, errno, "open the directory of", dir, name);
    }
  fd = create_temp (dirfd, name, &temp);
  if (fd < 0)
    {
      saved = errno;
      close (dirfd);
      return fail (error, saved, step, dir, name);
    }
  ok = fill_and_rename (dirfd, fd, temp, name, data, len, mode, &step);
  saved = errno;
  if (close (fd) != 0 && ok)
    {
      /* The data was fsync()ed; a late close error cannot lose it. */
    }
  if (!ok)
    {
      unlinkat (dirfd, temp, 0);
      close (dirfd);
      return fail (error, saved, step, dir, name);
    }
  /* The new name is only durable once the directory is. */
  ok = fsync (dirfd) == 0;
  saved = errno;
  close (dirfd);
  return ok ? TRUE : fail (error, saved, "sync the directory of", dir, name);
}

static gboolean
read_fail (GError **error, int saved, const char *path, const char *why)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot read %s: %s", path,
               why != NULL ? why : g_strerror (saved));
  return FALSE;
}

gboolean
hb_state_file_read (const char *dir, const char *name, gsize max_len, char **contents_out,
                    gsize *len_out, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *buf = NULL;
  struct stat st;
  gsize len = 0;
  int fd;

  g_return_val_if_fail (valid_name (name), FALSE);
  fd = open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      return read_fail (error, errno, path, errno == ELOOP ? "it is a symbolic link" : NULL);
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      close (fd);
      return read_fail (error, saved, path, NULL);
    }
  if (!S_ISREG (st.st_mode) || (guint64) st.st_size > max_len)
    {
      gboolean regular = S_ISREG (st.st_mode);
      close (fd);
      if (regular)
        {
          g_set_error (error, HB_STATE_FILE_ERROR, HB_STATE_FILE_ERROR_TOO_BIG,
                       "cannot read %s: larger than %" G_GSIZE_FORMAT " bytes", path, max_len);
        }
      else
        {
          g_set_error (error, HB_STATE_FILE_ERROR, HB_STATE_FILE_ERROR_NOT_REGULAR,
                       "cannot read %s: not a regular file", path);
        }
      return FALSE;
    }
  buf = g_malloc (max_len + 1);
  while (len < max_len)
    {
      ssize_t n = read (fd, buf + len, max_len - len);
      if (n < 0 && errno == EINTR)
        {
          continue;
        }
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          return read_fail (error, saved, path, NULL);
        }
      if (n == 0)
        {
          break;
        }
      len += (gsize) n;
    }
  close (fd);
  buf[len] = '\0';
  *contents_out = g_steal_pointer (&buf);
  *len_out = len;
  return TRUE;
}
