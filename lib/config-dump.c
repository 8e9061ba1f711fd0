/* systole: canonical text of an HbConfig (`heartbeat -t -v`).
 *
 * The ha.cf part is itself a valid ha.cf with every directive and its
 * effective value; authkeys and haresources follow as comments, so the
 * whole text still parses as ha.cf. Secrets are never printed. */
#include "config-private.h"

#include <string.h>

static const char *
hb_dump_bool (gboolean value)
{
  return value ? "yes" : "no";
}

static void
hb_dump_nodes (GString *out, const HbConfig *c)
{
  for (guint i = 0; i < c->nodes->len; i++)
    {
      const HbNodeConf *n = g_ptr_array_index (c->nodes, i);
      g_autofree char *addrs = n->addrs != NULL ? g_strjoinv (" ", n->addrs) : NULL;

      switch (n->type)
        {
        case HB_NODE_NORMAL:
          g_string_append_printf (out, "node %s\n", n->name);
          break;
        case HB_NODE_PING:
          g_string_append_printf (out, "ping %s\n", n->name);
          break;
        case HB_NODE_PING_GROUP:
          g_string_append_printf (out, "ping_group %s %s\n", n->name, addrs);
          break;
        }
    }
}

static void
hb_dump_media (GString *out, const HbConfig *c)
{
  for (guint i = 0; i < c->media->len; i++)
    {
      const HbMedium *m = g_ptr_array_index (c->media, i);

      switch (m->type)
        {
        case HB_MEDIUM_BCAST:
          g_string_append_printf (out, "bcast %s\n", m->dev);
          break;
        case HB_MEDIUM_UCAST:
          g_string_append_printf (out, "ucast %s %s", m->dev, m->peer);
          if (g_strcmp0 (m->peer_name, m->peer) != 0)
            {
              g_string_append_printf (out, " # %s", m->peer_name);
            }
          g_string_append_c (out, '\n');
          break;
        case HB_MEDIUM_MCAST:
          g_string_append_printf (out, "mcast %s %s %u %u %u\n", m->dev, m->group, m->port, m->ttl,
                                  m->loop ? 1 : 0);
          break;
        }
    }
}

static void
hb_dump_optional (GString *out, const char *name, const char *value)
{
  if (value != NULL)
    {
      g_string_append_printf (out, "%s %s\n", name, value);
    }
  else
    {
      g_string_append_printf (out, "# %s (unset)\n", name);
    }
}

static void
hb_dump_hacf (GString *out, const HbConfig *c)
{
  g_string_append (out, "# ha.cf\n");
  hb_dump_nodes (out, c);
  g_string_append_printf (out, "keepalive %ums\ndeadtime %ums\nwarntime %ums\ninitdead %ums\n"
                               "deadping %ums\nudpport %u\n",
                          c->keepalive_ms, c->deadtime_ms, c->warntime_ms, c->initdead_ms,
                          c->deadping_ms, c->udpport);
  hb_dump_media (out, c);
  g_string_append_printf (out, "auto_failback %s\n", hb_auto_failback_to_string (c->auto_failback));
  hb_dump_optional (out, "logfile", c->logfile);
  hb_dump_optional (out, "debugfile", c->debugfile);
  g_string_append_printf (out, "logfacility %s\n", c->logfacility != NULL ? c->logfacility : "none");
  g_string_append_printf (out, "use_logd %s\nconn_logd_time %u\nsyslogmsgfmt %s\n", hb_dump_bool (c->use_logd),
                          c->conn_logd_time_s, hb_dump_bool (c->syslogmsgfmt));
  g_string_append_printf (out, "hopfudge %u\nrealtime %s\n", c->hopfudge, hb_dump_bool (c->realtime));
  if (c->rtprio != 0)
    {
      g_string_append_printf (out, "rtprio %d\n", c->rtprio);
    }
  else
    {
      g_string_append (out, "# rtprio (platform default)\n");
    }
  g_string_append_printf (out, "memreserve %u\ndebug %u\nhbgenmethod %s\nmsgfmt %s\n", c->memreserve_kb,
                          c->debug_level, c->hbgenmethod, c->msgfmt);
  g_string_append_printf (out, "max_rexmit_delay %u\nlog_badpack %s\ncoredumps %s\n",
                          c->max_rexmit_delay_ms, hb_dump_bool (c->log_badpack), hb_dump_bool (c->coredumps));
  hb_dump_optional (out, "coreroot", c->coreroot);
  g_string_append_printf (out, "autojoin %s\nuuidfrom %s\ncluster %s\ncrm off\n", c->autojoin, c->uuidfrom,
                          c->cluster);
}

static void
hb_dump_authkeys (GString *out, const HbConfig *c)
{
  g_string_append_printf (out, "# authkeys\n#   auth %u\n", c->auth_active);
  for (guint i = 0; i < HB_AUTH_MAX_KEYS; i++)
    {
      const HbAuthKey *k = &c->auth_keys[i];
      if (k->method == HB_AUTH_NONE)
        {
          continue;
        }
      if (k->key == NULL)
        {
          g_string_append_printf (out, "#   %u %s\n", i, hb_auth_method_to_string (k->method));
        }
      else
        {
          g_string_append_printf (out, "#   %u %s <hidden: %zu bytes>\n", i,
                                  hb_auth_method_to_string (k->method), strlen (k->key));
        }
    }
}

static void
hb_dump_groups (GString *out, const HbConfig *c)
{
  g_string_append (out, "# haresources\n");
  for (guint i = 0; i < c->groups->len; i++)
    {
      const HbResourceGroup *g = g_ptr_array_index (c->groups, i);

      g_string_append_printf (out, "#   group %s home %s\n", g->key, g->home_node);
      for (guint j = 0; j < g->resources->len; j++)
        {
          const HbResource *r = g_ptr_array_index (g->resources, j);
          g_autofree char *args = g_strjoinv (" ", r->args);
          g_string_append_printf (out, "#     %u. %s%s%s\n", j + 1, r->agent, r->args[0] != NULL ? " " : "",
                                  args);
        }
    }
}

char *
hb_config_dump (const HbConfig *config)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (config != NULL, NULL);
  g_string_append_printf (out, "# systole configuration for node %s\n", config->local_node);
  hb_dump_hacf (out, config);
  hb_dump_authkeys (out, config);
  hb_dump_groups (out, config);
  return g_string_free (out, FALSE);
}
