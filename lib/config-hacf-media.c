/* systole: ha.cf heartbeat media: bcast (udp), ucast, mcast
 * (docs/PROTOCOL.md, "ha.cf directives"; HB3 lib/plugins/HBcomm/). */
#include "config-hacf.h"

#include <string.h>

/* Heartbeat's media plugins read the words they need and ignore the rest. */
static void
hb_hacf_extra_words (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values, guint used)
{
  if (g_strv_length (values) > used)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                      "%s takes %u values: the rest of the line [%s ...] is ignored", d->name, used,
                      values[used]);
    }
}

static gboolean
hb_hacf_check_dev (HbConfigBuilder *b, const char *directive, const char *text, guint line)
{
  if (hb_is_ifname (text))
    {
      return TRUE;
    }
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                 "bad interface name [%s] for %s", text, directive);
  return FALSE;
}

void
hb_hacf_bcast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  if (strcmp (d->name, "udp") == 0)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                      "directive [udp] is deprecated: treated as bcast (write bcast instead)");
    }
  for (char **v = values; *v != NULL; v++)
    {
      if (hb_hacf_check_dev (b, d->name, *v, line))
        {
          /* The port is the config's udpport, filled in once all is read. */
          g_ptr_array_add (b->config->media, hb_medium_new (HB_MEDIUM_BCAST, *v, line));
        }
    }
}

void
hb_hacf_ucast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  if (g_strv_length (values) < 2)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "%s needs 2 values (interface, peer address), got %u", d->name,
                     g_strv_length (values));
      return;
    }
  hb_hacf_extra_words (b, d, line, values, 2);
  gboolean ok = hb_hacf_check_dev (b, d->name, values[0], line);
  g_autofree char *addr = hb_hacf_address (b, "ucast peer", values[1], line);
  if (!ok || addr == NULL)
    {
      return;
    }
  /* Every ucast line is kept, the node's own address included: one ha.cf
   * serves all nodes and the daemon skips the line naming itself
   * (docs/PROTOCOL.md, "ha.cf directives"). */
  HbMedium *medium = hb_medium_new (HB_MEDIUM_UCAST, values[0], line);
  medium->peer = g_steal_pointer (&addr);
  medium->peer_name = g_strdup (values[1]);
  g_ptr_array_add (b->config->media, medium);
}

static gboolean
hb_hacf_mcast_values (HbConfigBuilder *b, guint line, char **values, guint64 *port, guint64 *ttl, guint64 *loop)
{
  guint32 group;
  gboolean ok = hb_hacf_check_dev (b, "mcast", values[0], line);

  /* Class D is 224.0.0.0/4 (HB3 lib/plugins/HBcomm/mcast.c requires it). */
  if (!hb_parse_ipv4 (values[1], &group) || (group >> 28) != 0xe)
    {
      hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                     "bad mcast group [%s]: expected a class D address (224.0.0.0-239.255.255.255)",
                     values[1]);
      ok = FALSE;
    }
  static const struct
  {
    const char *what;
    guint64 min, max;
  } nums[] = { { "port", 1, 65535 }, { "ttl", 0, 255 }, { "loop", 0, 1 } };
  guint64 *outs[] = { port, ttl, loop };
  for (guint i = 0; i < G_N_ELEMENTS (nums); i++)
    {
      if (!hb_parse_uint (values[2 + i], nums[i].min, nums[i].max, outs[i]))
        {
          hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, hb_hacf_file (b), line,
                         "bad mcast %s [%s]: expected %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
                         nums[i].what, values[2 + i], nums[i].min, nums[i].max);
          ok = FALSE;
        }
    }
  return ok;
}

void
hb_hacf_mcast (HbConfigBuilder *b, const HbHacfDirective *d, guint line, char **values)
{
  guint64 port, ttl, loop;

  if (g_strv_length (values) < 5)
    {
      hb_config_err (b, HB_CONFIG_ERROR_MISSING_VALUE, hb_hacf_file (b), line,
                     "%s needs 5 values (interface, group, port, ttl, loop), got %u", d->name,
                     g_strv_length (values));
      return;
    }
  hb_hacf_extra_words (b, d, line, values, 5);
  if (!hb_hacf_mcast_values (b, line, values, &port, &ttl, &loop))
    {
      return;
    }
  HbMedium *medium = hb_medium_new (HB_MEDIUM_MCAST, values[0], line);
  medium->group = g_strdup (values[1]);
  medium->port = (guint16) port;
  medium->ttl = (guint8) ttl;
  medium->loop = loop != 0;
  g_ptr_array_add (b->config->media, medium);
}
