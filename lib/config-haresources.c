/* systole: haresources parser (docs/PROTOCOL.md, "haresources").
 *
 * One logical line (with `\` continuations) is one group: the preferred node,
 * then resources started left to right. The first resource is the group key. */
#include "config-private.h"

#include <string.h>

static const char *
hb_hares_file (HbConfigBuilder *b)
{
  return b->haresources_path;
}

/* ResourceManager treats anything matching the shell pattern
 * [0-9]*.[0-9]*.[0-9]*.[0-9]* as IPaddr::<spec> (docs/PROTOCOL.md, "haresources"). */
static gboolean
hb_hares_is_bare_ip (const char *spec)
{
  guint dots = 0;

  if (!g_ascii_isdigit (spec[0]) || strstr (spec, "::") != NULL)
    {
      return FALSE;
    }
  for (const char *p = spec; *p != '\0'; p++)
    {
      dots += *p == '.';
    }
  return dots >= 3;
}

/* What is wrong with an IPaddr argument ip[/cidr[/nic[/broadcast]]], or
 * NULL; a third part starting with a digit is the broadcast address
 * (HB3 resources/heartbeat/IPaddr.in). */
static const char *
hb_hares_ipaddr_problem (char **parts)
{
  guint n = g_strv_length (parts);
  guint bits;

  if (n > 4)
    {
      return "too many parts";
    }
  if (!hb_parse_ipv4 (parts[0], NULL))
    {
      return "the address is not an IPv4 address";
    }
  if (n >= 2 && !hb_parse_netmask_bits (parts[1], &bits))
    {
      return "the netmask must be 0-32 bits or a dotted netmask";
    }
  if (n < 3)
    {
      return NULL;
    }
  if (g_ascii_isdigit (parts[2][0]))
    {
      if (n == 4)
        {
          return "a broadcast address (third part) cannot be followed by a fourth part";
        }
      return hb_parse_ipv4 (parts[2], NULL) ? NULL : "the broadcast address is not an IPv4 address";
    }
  if (!hb_is_ifname (parts[2]))
    {
      return "the interface name is not valid";
    }
  return n < 4 || hb_parse_ipv4 (parts[3], NULL) ? NULL : "the broadcast address is not an IPv4 address";
}

static gboolean
hb_hares_check_ipaddr (HbConfigBuilder *b, const char *spec, const char *arg, guint line)
{
  g_auto (GStrv) parts = g_strsplit (arg, "/", -1);
  const char *problem = hb_hares_ipaddr_problem (parts);

  if (problem == NULL)
    {
      return TRUE;
    }
  hb_config_err (b, HB_CONFIG_ERROR_RESOURCE, hb_hares_file (b), line,
                 "bad IPaddr argument [%s] in resource [%s]: %s "
                 "(expected ip[/cidr[/nic[/broadcast]]])",
                 arg, spec, problem);
  return FALSE;
}

/* Script name and arguments of a spec: "name::a::b", or a bare address
 * that means IPaddr::address. */
static char **
hb_hares_split (const char *spec)
{
  if (hb_hares_is_bare_ip (spec))
    {
      return g_strdupv ((char *[]){ "IPaddr", (char *) spec, NULL });
    }
  return g_strsplit (spec, "::", -1);
}

static HbResource *
hb_hares_resource (HbConfigBuilder *b, const char *spec, guint line)
{
  g_auto (GStrv) parts = hb_hares_split (spec);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        {
          hb_config_err (b, HB_CONFIG_ERROR_RESOURCE, hb_hares_file (b), line,
                         "bad resource [%s]: empty %s", spec, i == 0 ? "script name" : "argument");
          return NULL;
        }
    }
  if (strchr (parts[0], '/') != NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_RESOURCE, hb_hares_file (b), line,
                     "bad resource [%s]: the script name must not contain '/' (scripts are looked "
                     "up in resource.d/ and then init.d/)",
                     spec);
      return NULL;
    }
  gboolean is_ipaddr = strcmp (parts[0], "IPaddr") == 0 || strcmp (parts[0], "IPaddr2") == 0;
  if (is_ipaddr && parts[1] == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_RESOURCE, hb_hares_file (b), line,
                     "bad resource [%s]: %s needs an address argument", spec, parts[0]);
      return NULL;
    }
  if (is_ipaddr && !hb_hares_check_ipaddr (b, spec, parts[1], line))
    {
      return NULL;
    }
  HbResource *resource = g_new0 (HbResource, 1);
  resource->spec = g_strdup (spec);
  resource->agent = g_strdup (parts[0]);
  resource->args = g_strdupv (parts + 1);
  return resource;
}

static gboolean
hb_hares_node (HbConfigBuilder *b, const char *name, guint line)
{
  const HbNodeConf *node = hb_config_find_node (b->config, name);

  /* Without a readable ha.cf there is nothing to compare with; that
   * error is already reported. */
  if ((node != NULL && node->type == HB_NODE_NORMAL) || !b->hacf_read)
    {
      return TRUE;
    }
  g_autoptr (GString) known = g_string_new (NULL);
  for (guint i = 0; i < b->config->nodes->len; i++)
    {
      const HbNodeConf *n = g_ptr_array_index (b->config->nodes, i);
      if (n->type == HB_NODE_NORMAL)
        {
          g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", n->name);
        }
    }
  /* Heartbeat: "Bad nodename in /etc/ha.d/haresources [x]". */
  hb_config_err (b, HB_CONFIG_ERROR_BAD_NODE, hb_hares_file (b), line,
                 "Bad nodename in haresources [%s]: not a node line of ha.cf (known nodes: %s)", name,
                 known->len > 0 ? known->str : "none");
  return FALSE;
}

/* Two groups with the same key would be one group to ResourceManager. */
static char *
hb_hares_canonical (const HbResource *r)
{
  g_autofree char *args = g_strjoinv ("::", r->args);

  return r->args[0] != NULL ? g_strdup_printf ("%s::%s", r->agent, args) : g_strdup (r->agent);
}

static gboolean
hb_hares_check_key (HbConfigBuilder *b, const HbResourceGroup *group)
{
  g_autofree char *key = hb_hares_canonical (g_ptr_array_index (group->resources, 0));

  for (guint i = 0; i < b->config->groups->len; i++)
    {
      const HbResourceGroup *other = g_ptr_array_index (b->config->groups, i);
      g_autofree char *other_key = hb_hares_canonical (g_ptr_array_index (other->resources, 0));
      if (strcmp (key, other_key) == 0)
        {
          hb_config_err (b, HB_CONFIG_ERROR_DUPLICATE, hb_hares_file (b), group->line,
                         "duplicate resource group key [%s]: the group on line %u starts with "
                         "the same resource",
                         group->key, other->line);
          return FALSE;
        }
    }
  return TRUE;
}

static void
hb_hares_group (HbConfigBuilder *b, const char *text, guint line)
{
  g_auto (GStrv) parts = g_strsplit_set (text, " \t", -1);
  g_autoptr (HbResourceGroup) group = g_new0 (HbResourceGroup, 1);
  gboolean ok = TRUE;

  group->line = line;
  group->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) hb_resource_free);
  for (char **p = parts; *p != NULL; p++)
    {
      if (**p == '\0')
        {
          continue;
        }
      if (group->home_node == NULL)
        {
          group->home_node = g_ascii_strdown (*p, -1);
          ok = hb_hares_node (b, *p, line) && ok;
          continue;
        }
      HbResource *r = hb_hares_resource (b, *p, line);
      ok = ok && r != NULL;
      if (r != NULL)
        {
          g_ptr_array_add (group->resources, r);
        }
    }
  if (ok && group->resources->len == 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_RESOURCE, hb_hares_file (b), line,
                     "resource group for node [%s] lists no resources", group->home_node);
      return;
    }
  if (!ok)
    {
      return;
    }
  group->key = g_strdup (((HbResource *) g_ptr_array_index (group->resources, 0))->spec);
  if (hb_hares_check_key (b, group))
    {
      g_ptr_array_add (b->config->groups, g_steal_pointer (&group));
    }
}

/* ResourceManager separates words by spaces and tabs only (its sed and awk),
 * so any other control byte would end up inside a resource or node name, to
 * fail when the group is started. Refused now, naming the line. (A CR before
 * the LF is already gone: DOS line ends are accepted.) */
static gboolean
hb_hares_check_bytes (HbConfigBuilder *b, const char *text, guint line)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
        {
          hb_config_err (b, HB_CONFIG_ERROR_RESOURCE, hb_hares_file (b), line,
                         "control character \\x%02x in the line: only spaces and tabs separate "
                         "words in haresources (Heartbeat would take it as part of a name)",
                         *p);
          return FALSE;
        }
    }
  return TRUE;
}

/* Joins `\` continuations and strips comments; calls `group` for each
 * non-empty logical line with the number of its first physical line. A
 * logical line with a control byte is reported and left out. */
static void
hb_hares_logical_lines (HbConfigBuilder *b, char **lines)
{
  g_autoptr (GString) logical = g_string_new (NULL);
  guint start = 0;
  gboolean clean = TRUE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');
      if (hash != NULL)
        {
          *hash = '\0';
        }
      clean = hb_hares_check_bytes (b, lines[i], i + 1) && clean;
      gsize len = strlen (lines[i]);
      gboolean continued = len > 0 && lines[i][len - 1] == '\\';
      if (continued)
        {
          lines[i][len - 1] = ' ';
        }
      if (logical->len == 0)
        {
          start = i + 1;
        }
      g_string_append_printf (logical, "%s ", lines[i]);
      if (continued && lines[i + 1] != NULL)
        {
          continue;
        }
      g_strstrip (logical->str);
      if (logical->str[0] != '\0' && clean)
        {
          hb_hares_group (b, logical->str, start);
        }
      g_string_truncate (logical, 0);
      clean = TRUE;
    }
}

void
hb_config_parse_haresources (HbConfigBuilder *b, const HbConfigText *text)
{
  if (text->contents == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_IO, b->haresources_path, 0,
                     "Cannot open resources file [%s]: %s (it is required: it lists the resource "
                     "groups and their preferred nodes; an empty file means no resources)",
                     b->haresources_path, text->read_error);
      return;
    }
  if (!hb_config_check_text (b, b->haresources_path, text->contents, text->len))
    {
      return;
    }
  g_auto (GStrv) lines = hb_config_split_lines (text->contents, text->len);
  hb_hares_logical_lines (b, lines);
}
