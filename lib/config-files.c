/* systole: owner and mode of the files that decide what root runs.
 *
 * Pure: the facts (lstat/stat results) come from the caller in
 * HbConfigEnv.files (heartbeat/config-files.c gathers them). Heartbeat only
 * refuses an authkeys readable by group or others (config-authkeys.c keeps
 * that rule); we also refuse, as OpenSSH's StrictModes and keepalived's
 * script security do, files that someone other than root could change:
 *
 *   - the owner must be root or the user heartbeat runs as (env->euid);
 *   - no write permission for others, nor for the group unless it is the
 *     root group (gid 0);
 *   - authkeys must not be a symbolic link.
 *
 * They apply to CONFDIR itself, ha.cf, haresources, authkeys,
 * CONFDIR/resource.d, and the scripts of resource.d that haresources
 * names (what the names lead to, when they are symbolic links). */
#include "config-private.h"

#include <string.h>
#include <sys/stat.h>

#define WHY "whoever can change it decides what heartbeat runs as root"

static const char *
hb_files_what (HbConfigFileRole role)
{
  switch (role)
    {
    case HB_CONFIG_FILE_CONFDIR:
      return "configuration directory";
    case HB_CONFIG_FILE_AUTHKEYS:
      return "keyfile";
    case HB_CONFIG_FILE_RESOURCE_DIR:
      return "resource directory";
    case HB_CONFIG_FILE_AGENT:
      return "resource agent";
    case HB_CONFIG_FILE_HACF:
    case HB_CONFIG_FILE_HARESOURCES:
    default:
      return "configuration file";
    }
}

/* Every problem of one file, reported at `file`:`line`. */
static void
hb_files_check_one (HbConfigBuilder *b, const HbConfigFileFacts *f, const char *file, guint line)
{
  const char *what = hb_files_what (f->role);
  guint euid = b->env->euid;
  g_autofree char *owners = euid == 0 ? g_strdup ("root")
                                      : g_strdup_printf ("root or uid %u (heartbeat's user)", euid);

  if (f->role == HB_CONFIG_FILE_AUTHKEYS && f->is_symlink)
    {
      hb_config_err (b, HB_CONFIG_ERROR_PERMISSIONS, file, line,
                     "Bad keyfile [%s]: it is a symbolic link; it must be the file itself, owned "
                     "by %s, so that nobody else can choose the keys",
                     f->path, owners);
    }
  if (f->uid != 0 && f->uid != euid)
    {
      hb_config_err (b, HB_CONFIG_ERROR_PERMISSIONS, file, line,
                     "Bad owner of %s [%s]: uid %u; it must belong to %s: " WHY, what, f->path,
                     f->uid, owners);
    }
  if ((f->mode & S_IWOTH) != 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_PERMISSIONS, file, line,
                     "Bad permissions on %s [%s]: mode %04o lets others write it: " WHY, what,
                     f->path, f->mode & 07777);
    }
  else if ((f->mode & S_IWGRP) != 0 && f->gid != 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_PERMISSIONS, file, line,
                     "Bad permissions on %s [%s]: mode %04o lets group %u write it: " WHY, what,
                     f->path, f->mode & 07777, f->gid);
    }
}

static const HbConfigFileFacts *
hb_files_find_agent (const HbConfigEnv *env, const char *agent)
{
  for (gsize i = 0; i < env->n_files; i++)
    {
      const HbConfigFileFacts *f = &env->files[i];
      g_autofree char *base = f->role == HB_CONFIG_FILE_AGENT ? g_path_get_basename (f->path) : NULL;
      if (base != NULL && strcmp (base, agent) == 0)
        {
          return f;
        }
    }
  return NULL;
}

/* resource.d scripts named in haresources, each reported once, at the
 * first line using it. */
static void
hb_files_check_agents (HbConfigBuilder *b)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < b->config->groups->len; i++)
    {
      const HbResourceGroup *group = g_ptr_array_index (b->config->groups, i);
      for (guint k = 0; k < group->resources->len; k++)
        {
          const HbResource *r = g_ptr_array_index (group->resources, k);
          const HbConfigFileFacts *f = hb_files_find_agent (b->env, r->agent);
          if (f != NULL && g_hash_table_add (seen, (gpointer) f->path))
            {
              hb_files_check_one (b, f, b->haresources_path, group->line);
            }
        }
    }
}

void
hb_config_check_files (HbConfigBuilder *b)
{
  const HbConfigEnv *env = b->env;

  if (env->files == NULL)
    {
      return;
    }
  for (gsize i = 0; i < env->n_files; i++)
    {
      const HbConfigFileFacts *f = &env->files[i];
      if (f->role != HB_CONFIG_FILE_AGENT)
        {
          hb_files_check_one (b, f, f->path, 0);
        }
    }
  hb_files_check_agents (b);
}
