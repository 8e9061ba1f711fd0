/* systole: the HbConfig value: error quark, constructors, free, lookups. */
#include "config-private.h"

#include <string.h>

G_DEFINE_QUARK (hb-config-error-quark, hb_config_error)

void
hb_diag_free (HbDiag *diag)
{
  if (diag == NULL)
    {
      return;
    }
  g_free (diag->file);
  g_free (diag->message);
  g_free (diag);
}

GPtrArray *
hb_diag_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) hb_diag_free);
}

static void
hb_medium_free (HbMedium *medium)
{
  g_free (medium->dev);
  g_free (medium->peer);
  g_free (medium->peer_name);
  g_free (medium->group);
  g_free (medium);
}

HbMedium *
hb_medium_new (HbMediumType type, const char *dev, guint line)
{
  HbMedium *medium = g_new0 (HbMedium, 1);

  medium->type = type;
  medium->dev = g_strdup (dev);
  medium->line = line;
  return medium;
}

static void
hb_node_conf_free (HbNodeConf *node)
{
  g_free (node->name);
  g_strfreev (node->addrs);
  g_free (node);
}

HbNodeConf *
hb_node_conf_new (const char *name, HbNodeType type, guint line)
{
  HbNodeConf *node = g_new0 (HbNodeConf, 1);

  /* Heartbeat lower-cases node names (docs/PROTOCOL.md, "ha.cf directives",
   * `node`); ping names are addresses. */
  node->name = g_ascii_strdown (name, -1);
  node->type = type;
  node->line = line;
  return node;
}

void
hb_resource_free (HbResource *resource)
{
  if (resource == NULL)
    {
      return;
    }
  g_free (resource->spec);
  g_free (resource->agent);
  g_strfreev (resource->args);
  g_free (resource);
}

void
hb_resource_group_free (HbResourceGroup *group)
{
  if (group == NULL)
    {
      return;
    }
  g_free (group->home_node);
  g_free (group->key);
  g_clear_pointer (&group->resources, g_ptr_array_unref);
  g_free (group);
}

/* An empty configuration with the containers allocated; defaults are set
 * by hb_config_apply_defaults() once ha.cf has been read. */
HbConfig *
hb_config_new_empty (void)
{
  HbConfig *config = g_new0 (HbConfig, 1);

  config->media = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_medium_free);
  config->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_node_conf_free);
  config->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_resource_group_free);
  return config;
}

void
hb_config_free (HbConfig *config)
{
  if (config == NULL)
    {
      return;
    }
  g_free (config->confdir);
  g_free (config->local_node);
  g_free (config->logfile);
  g_free (config->debugfile);
  g_free (config->logfacility);
  g_free (config->hbgenmethod);
  g_free (config->msgfmt);
  g_free (config->cluster);
  g_free (config->uuidfrom);
  g_free (config->autojoin);
  g_free (config->coreroot);
  g_clear_pointer (&config->media, g_ptr_array_unref);
  g_clear_pointer (&config->nodes, g_ptr_array_unref);
  g_clear_pointer (&config->groups, g_ptr_array_unref);
  for (guint i = 0; i < HB_AUTH_MAX_KEYS; i++)
    {
      if (config->auth_keys[i].key != NULL)
        {
          /* Do not leave secrets behind in freed memory. */
          memset (config->auth_keys[i].key, 0, strlen (config->auth_keys[i].key));
          g_free (config->auth_keys[i].key);
        }
    }
  g_free (config);
}

const HbNodeConf *
hb_config_find_node (const HbConfig *config, const char *name)
{
  g_return_val_if_fail (config != NULL && name != NULL, NULL);

  for (guint i = 0; i < config->nodes->len; i++)
    {
      const HbNodeConf *node = g_ptr_array_index (config->nodes, i);

      if (g_ascii_strcasecmp (node->name, name) == 0)
        {
          return node;
        }
    }
  return NULL;
}

const HbResourceGroup *
hb_config_find_group (const HbConfig *config, const char *key)
{
  g_return_val_if_fail (config != NULL && key != NULL, NULL);

  for (guint i = 0; i < config->groups->len; i++)
    {
      const HbResourceGroup *group = g_ptr_array_index (config->groups, i);

      if (g_strcmp0 (group->key, key) == 0)
        {
          return group;
        }
    }
  return NULL;
}

const char *
hb_auto_failback_to_string (HbAutoFailback value)
{
  static const char *const names[] = {
    [HB_FAILBACK_LEGACY] = "legacy",
    [HB_FAILBACK_ON] = "on",
    [HB_FAILBACK_OFF] = "off",
  };

  g_return_val_if_fail ((guint) value < G_N_ELEMENTS (names), "?");
  return names[value];
}

const char *
hb_auth_method_to_string (HbAuthMethod method)
{
  static const char *const names[] = {
    [HB_AUTH_NONE] = "none",
    [HB_AUTH_CRC] = "crc",
    [HB_AUTH_MD5] = "md5",
    [HB_AUTH_SHA1] = "sha1",
  };

  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (names), "?");
  return names[method];
}
