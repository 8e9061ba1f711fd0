/* systole: lstat/stat facts of the configuration's files. */
#include "config-files.h"

#include <sys/stat.h>

static void
add_fact (GArray *facts, GPtrArray *strings, HbConfigFileRole role, char *path, gboolean dirs)
{
  struct stat link_st, st;
  HbConfigFileFacts f = { .role = role, .path = path };

  g_ptr_array_add (strings, path);
  /* A dangling link is left out: opening it fails, and says so. */
  if (lstat (path, &link_st) != 0 || stat (path, &st) != 0)
    {
      return;
    }
  if (S_ISDIR (st.st_mode) != dirs)
    {
      return; /* a directory in resource.d is no agent; a file as CONFDIR fails to load */
    }
  f.is_symlink = S_ISLNK (link_st.st_mode);
  f.mode = st.st_mode;
  f.uid = st.st_uid;
  f.gid = st.st_gid;
  g_array_append_val (facts, f);
}

static char *
file_path (const char *confdir, const char *override, const char *name)
{
  return override != NULL ? g_strdup (override) : g_build_filename (confdir, name, NULL);
}

void
hb_config_files_gather (const HbConfigPaths *paths, GArray *facts, GPtrArray *strings)
{
  g_autofree char *resource_dir = g_build_filename (paths->confdir, "resource.d", NULL);
  g_autoptr (GDir) dir = NULL;
  const char *name;

  add_fact (facts, strings, HB_CONFIG_FILE_CONFDIR, g_strdup (paths->confdir), TRUE);
  add_fact (facts, strings, HB_CONFIG_FILE_HACF, file_path (paths->confdir, paths->hacf, "ha.cf"), FALSE);
  add_fact (facts, strings, HB_CONFIG_FILE_HARESOURCES,
            file_path (paths->confdir, paths->haresources, "haresources"), FALSE);
  add_fact (facts, strings, HB_CONFIG_FILE_AUTHKEYS,
            file_path (paths->confdir, paths->authkeys, "authkeys"), FALSE);
  add_fact (facts, strings, HB_CONFIG_FILE_RESOURCE_DIR, g_strdup (resource_dir), TRUE);
  dir = g_dir_open (resource_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      add_fact (facts, strings, HB_CONFIG_FILE_AGENT, g_build_filename (resource_dir, name, NULL), FALSE);
    }
}
