/* systole: the top level of lvs.conf: virtual_server blocks, and our own
 * `backend` and `name` statements. */
#include "lvsconf-private.h"

#include <string.h>

static void
top_backend (HbLvsConfParser *p, gpointer unused, const char *kw, GPtrArray *args, guint line)
{
  static const HbLvsBackend all[] = {
    HB_LVS_BACKEND_AUTO, HB_LVS_BACKEND_IPVS, HB_LVS_BACKEND_NFTABLES,
  };
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);

  (void) unused;
  if (v == NULL)
    {
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (strcmp (v, hb_lvs_backend_to_string (all[i])) == 0)
        {
          p->config->backend = all[i];
          p->config->backend_line = line;
          return;
        }
    }
  hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected auto, ipvs or nftables",
                   kw, v);
}

static gboolean
name_is_valid (const char *s)
{
  if (*s == '\0' || strlen (s) > HB_LVS_CONF_MAX_NAME)
    {
      return FALSE;
    }
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isalnum (*s) && *s != '_')
        {
          return FALSE;
        }
    }
  return TRUE;
}

static void
top_name (HbLvsConfParser *p, gpointer unused, const char *kw, GPtrArray *args, guint line)
{
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);

  (void) unused;
  if (v == NULL)
    {
      return;
    }
  if (!name_is_valid (v))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
                       "'%s %s': use 1 to 32 letters, digits or '_' (it names an nft table)", kw, v);
      return;
    }
  g_free (p->config->name);
  p->config->name = g_ascii_strdown (v, -1);
}

static const HbLvsConfKeyword top_keywords[] = {
  { "virtual_server", hb_lvs_conf_virtual_server },
  { "backend", top_backend },
  { "name", top_name },
  { NULL, NULL },
};

/* A whole keepalived.conf may be pasted: its non-LVS parts are done by heartbeat
 * (VIP ownership) or not needed, so they are skipped with a warning. */
static const char *const top_ignored[] = {
  "global_defs", "vrrp_instance", "vrrp_sync_group", "vrrp_script", "vrrp_track_process",
  "static_ipaddress", "static_routes", "static_rules", "linkbeat_use_polling", NULL
};

static const HbLvsConfRefusal top_refused[] = {
  { "virtual_server_group", "list each virtual_server on its own" },
  { "include", "put the virtual_server blocks in this file" },
  { NULL, NULL },
};

const HbLvsConfLevel hb_lvs_conf_top_level = { "lvs.conf", top_keywords, top_ignored, top_refused };
