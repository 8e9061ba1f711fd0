/* systole: ha.cf cluster members: node, and the ping pseudo-nodes ping
 * and ping_group (docs/PROTOCOL.md, "ha.cf directives", "Ping nodes"). */
#include "config-hacf.h"

#include <string.h>

void
hb_hacf_node (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  (void) d;
  for (char **v = values; *v != NULL; v++)
    {
      const HbNodeConf *old = hb_config_find_node (b->config, *v);
      if (old != NULL)
        {
          hb_config_warn (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                          "node [%s] already listed on line %u: ignored", *v, old->line);
          continue;
        }
      g_ptr_array_add (b->config->nodes, hb_node_conf_new (*v, HB_NODE_NORMAL, line));
    }
}

/* Only digits and dots: meant as an address, so it must be a valid one. */
static gboolean
hb_hacf_looks_numeric (const char *text)
{
  return strspn (text, "0123456789.") == strlen (text);
}

static gboolean
hb_hacf_is_hostname (const char *text)
{
  static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";

  return text[0] != '\0' && text[0] != '-' && strlen (text) <= 253 && strspn (text, allowed) == strlen (text);
}

/* The IPv4 address of a ucast/ping peer: a literal, or a host name the
 * environment's resolver knows. NULL (with an error) otherwise. */
char *
hb_hacf_address (HbConfigBuilder *b, const char *what, const char *text, guint line)
{
  char *addr = NULL;

  if (hb_parse_ipv4 (text, NULL))
    {
      return g_strdup (text);
    }
  if (hb_hacf_looks_numeric (text) || !hb_hacf_is_hostname (text))
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad %s address [%s]: expected an IPv4 address or a host name", what, text);
      return NULL;
    }
  if (b->env->resolve_ipv4 == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad %s address [%s]: host names cannot be resolved here; write an IPv4 address",
                     what, text);
      return NULL;
    }
  addr = b->env->resolve_ipv4 (text, b->env->resolve_data);
  if (addr == NULL || !hb_parse_ipv4 (addr, NULL))
    {
      g_free (addr);
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "cannot resolve %s host name [%s] to an IPv4 address", what, text);
      return NULL;
    }
  return addr;
}

void
hb_hacf_ping (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  for (char **v = values; *v != NULL; v++)
    {
      g_autofree char *addr = hb_hacf_address (b, "ping", *v, line);
      if (addr == NULL)
        {
          continue;
        }
      if (hb_config_find_node (b->config, *v) != NULL)
        {
          hb_config_warn (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                          "%s node [%s] already listed: ignored", d->name, *v);
          continue;
        }
      /* The pseudo-node is named as written (Heartbeat does the same). */
      HbNodeConf *node = hb_node_conf_new (*v, HB_NODE_PING, line);
      node->addrs = g_strdupv ((char *[]){ addr, NULL });
      g_ptr_array_add (b->config->nodes, node);
    }
}

void
hb_hacf_ping_group (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  if (g_strv_length (values) < 2)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "%s needs a name and at least one address", d->name);
      return;
    }
  g_autoptr (GPtrArray) addrs = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;
  for (char **v = values + 1; *v != NULL; v++)
    {
      char *addr = hb_hacf_address (b, "ping_group", *v, line);
      ok = ok && addr != NULL;
      if (addr != NULL)
        {
          g_ptr_array_add (addrs, addr);
        }
    }
  if (!ok)
    {
      return;
    }
  g_ptr_array_add (addrs, NULL);
  if (hb_config_find_node (b->config, values[0]) != NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_DUPLICATE, hb_hacf_file (b), line,
                     "ping_group name [%s] is already a node name", values[0]);
      return;
    }
  HbNodeConf *node = hb_node_conf_new (values[0], HB_NODE_PING_GROUP, line);
  node->addrs = (char **) g_ptr_array_steal (addrs, NULL);
  g_ptr_array_add (b->config->nodes, node);
}
