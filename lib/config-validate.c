/* systole: whole-configuration checks (docs/PROTOCOL.md, "ha.cf validation", "authkeys") and
 * our own warnings. Messages keep Heartbeat's wording where users know it. */
#include "config-private.h"

#include <string.h>

static guint
hb_validate_line (HbConfigBuilder *b, const char *first, const char *second)
{
  guint line = hb_config_seen_line (b, first);

  return line != 0 ? line : hb_config_seen_line (b, second);
}

static void
hb_validate_timers (HbConfigBuilder *b)
{
  const HbConfig *c = b->config;
  const char *f = b->hacf_path;

  /* keepalive > 0 and warntime > 0 are checked as they are read. */
  if (c->deadtime_ms <= 2 * (guint64) c->keepalive_ms)
    {
      hb_config_err (b, HB_CONFIG_ERROR_TIMING, f, hb_validate_line (b, "deadtime", "keepalive"),
                     "Dead time [%ums] is too small compared to keeplive [%ums]: deadtime must be "
                     "more than twice keepalive",
                     c->deadtime_ms, c->keepalive_ms);
    }
  if (c->initdead_ms < c->deadtime_ms)
    {
      hb_config_err (b, HB_CONFIG_ERROR_TIMING, f, hb_validate_line (b, "initdead", "deadtime"),
                     "Initial dead time [%ums] is smaller than deadtime [%ums]", c->initdead_ms,
                     c->deadtime_ms);
    }
  else if (c->initdead_ms < 10000)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_TIMING, f, hb_validate_line (b, "initdead", "deadtime"),
                      "Initial dead time [%u ms] may be too small! The network may need time to "
                      "come up after boot; 20s or more is advised",
                      c->initdead_ms);
    }
  if (hb_config_seen_line (b, "deadping") != 0 && c->deadping_ms <= 2 * (guint64) c->keepalive_ms)
    {
      hb_config_err (b, HB_CONFIG_ERROR_TIMING, f, hb_config_seen_line (b, "deadping"),
                     "Ping dead time [%ums] is too small compared to keeplive [%ums]", c->deadping_ms,
                     c->keepalive_ms);
    }
  if (c->warntime_ms >= c->deadtime_ms)
    {
      /* Heartbeat does not check this; the warning could then never fire. */
      hb_config_warn (b, HB_CONFIG_ERROR_TIMING, f, hb_validate_line (b, "warntime", "deadtime"),
                      "warntime [%ums] is not smaller than deadtime [%ums]: late heartbeats will "
                      "never be warned about",
                      c->warntime_ms, c->deadtime_ms);
    }
}

static GString *
hb_validate_node_list (const HbConfig *c)
{
  GString *known = g_string_new (NULL);

  for (guint i = 0; i < c->nodes->len; i++)
    {
      const HbNodeConf *n = g_ptr_array_index (c->nodes, i);
      if (n->type == HB_NODE_NORMAL)
        {
          g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", n->name);
        }
    }
  return known;
}

static void
hb_validate_membership (HbConfigBuilder *b)
{
  const HbConfig *c = b->config;
  g_autoptr (GString) known = hb_validate_node_list (c);

  if (c->media->len == 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_NO_MEDIA, b->hacf_path, 0,
                     "No heartbeat media defined: add a bcast, mcast or ucast line");
    }
  if (known->len == 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_NO_NODES, b->hacf_path, 0,
                     "no nodes defined: add a node line for each cluster member");
      return;
    }
  const HbNodeConf *self = hb_config_find_node (c, c->local_node);
  if (self == NULL || self->type != HB_NODE_NORMAL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_LOCAL_NODE, b->hacf_path, 0,
                     "Current node [%s] not in configuration! Nodes are named by uname -n and "
                     "each must appear in a node line (nodes: %s)",
                     c->local_node, known->str);
    }
  if (strcmp (c->autojoin, "none") != 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_UNSUPPORTED, b->hacf_path, hb_config_seen_line (b, "autojoin"),
                     "R1 style resource management conflicts with  autojoin set (autojoin %s): "
                     "haresources needs autojoin none",
                     c->autojoin);
    }
}

static const char *const medium_names[] = { "bcast", "ucast", "mcast" };

/* Loopback by the host's interface table when we have it, else by name. */
static gboolean
hb_validate_is_loopback (const HbConfigEnv *env, const char *dev)
{
  for (gsize i = 0; env->links != NULL && i < env->n_links; i++)
    {
      if (strcmp (env->links[i].ifname, dev) == 0)
        {
          return env->links[i].loopback;
        }
    }
  return strcmp (dev, "lo") == 0;
}

/* ha.cf line of the first medium whose packets leave the host, 0 if none. */
static guint
hb_validate_outgoing_line (const HbConfigBuilder *b)
{
  for (guint i = 0; i < b->config->media->len; i++)
    {
      const HbMedium *m = g_ptr_array_index (b->config->media, i);
      if (!hb_validate_is_loopback (b->env, m->dev))
        {
          return m->line;
        }
    }
  return 0;
}

/* Keys other than the active one still authenticate what peers send (key
 * rollover): a leftover crc key, which needs no secret, would let any host
 * on the network sign packets. When crc is the active method, the cluster
 * chose that openly: only a warning, as before. */
static void
hb_validate_auth (HbConfigBuilder *b)
{
  const HbConfig *c = b->config;
  guint index = c->auth_active;
  HbAuthMethod active = c->auth_keys[index].method;
  guint outgoing = hb_validate_outgoing_line (b);

  if (b->auth_line == 0 || active == HB_AUTH_NONE || outgoing == 0)
    {
      return;
    }
  if (active == HB_AUTH_CRC)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_AUTH, b->authkeys_path, b->auth_key_line[index],
                      "key %u uses crc but heartbeats leave the host (ha.cf line %u): crc gives "
                      "integrity only, no authentication: use sha1",
                      index, outgoing);
      return;
    }
  for (guint k = 0; k < HB_AUTH_MAX_KEYS; k++)
    {
      if (c->auth_keys[k].method == HB_AUTH_CRC)
        {
          hb_config_err (b, HB_CONFIG_ERROR_AUTH, b->authkeys_path, b->auth_key_line[k],
                         "key %u uses crc, and packets signed with any configured key are "
                         "accepted, not only with auth %u (%s): crc has no secret, so any host "
                         "on the network of ha.cf line %u could sign packets: remove the line "
                         "(a finished key rollover?) or give it a sha1 key",
                         k, index, hb_auth_method_to_string (active), outgoing);
        }
    }
}

static gboolean
hb_validate_same_net (const HbConfigInterface *iface, guint32 peer)
{
  guint32 addr;

  if (!hb_parse_ipv4 (iface->address, &addr) || iface->prefix_len > 32)
    {
      return FALSE;
    }
  guint32 mask = iface->prefix_len == 0 ? 0 : 0xffffffffu << (32 - iface->prefix_len);
  return (addr & mask) == (peer & mask);
}

/* Heartbeat 3.0.6 does not start when a medium's interface is missing (its
 * plugins cannot get the interface's address): neither do we. */
static gboolean
hb_validate_medium_exists (HbConfigBuilder *b, const HbMedium *m)
{
  const HbConfigEnv *env = b->env;

  for (gsize i = 0; i < env->n_links; i++)
    {
      if (strcmp (env->links[i].ifname, m->dev) == 0)
        {
          return TRUE;
        }
    }
  hb_config_err (b, HB_CONFIG_ERROR_BAD_VALUE, b->hacf_path, m->line,
                 "%s interface [%s] does not exist on this host (to check a configuration "
                 "meant for another host: heartbeat -t --no-host-checks)",
                 medium_names[m->type], m->dev);
  return FALSE;
}

static void
hb_validate_medium_host (HbConfigBuilder *b, const HbMedium *m)
{
  const HbConfigEnv *env = b->env;
  gboolean found = FALSE, same_net = FALSE;
  guint32 peer = 0;

  if (m->type == HB_MEDIUM_UCAST)
    {
      hb_parse_ipv4 (m->peer, &peer);
    }
  for (gsize i = 0; i < env->n_interfaces; i++)
    {
      if (strcmp (env->interfaces[i].ifname, m->dev) == 0)
        {
          found = TRUE;
          same_net = same_net || hb_validate_same_net (&env->interfaces[i], peer);
        }
    }
  if (!found)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, b->hacf_path, m->line,
                      "%s interface [%s] has no IPv4 address on this host", medium_names[m->type],
                      m->dev);
    }
  else if (m->type == HB_MEDIUM_UCAST && !same_net)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_BAD_VALUE, b->hacf_path, m->line,
                      "ucast peer [%s] is not on the network of interface [%s]: packets would "
                      "need a router",
                      m->peer, m->dev);
    }
}

void
hb_config_validate (HbConfigBuilder *b)
{
  if (!b->hacf_read)
    {
      return;
    }
  hb_validate_membership (b);
  hb_validate_timers (b);
  hb_validate_auth (b);
  for (guint i = 0; i < b->config->media->len; i++)
    {
      const HbMedium *m = g_ptr_array_index (b->config->media, i);
      if (b->env->links != NULL && !hb_validate_medium_exists (b, m))
        {
          continue; /* no "no IPv4 address" warning on top */
        }
      if (b->env->interfaces != NULL)
        {
          hb_validate_medium_host (b, m);
        }
    }
}
