/* systole: the daemon's answers to the local API. Facts: docs/PROTOCOL.md, "cl_status". */
#include "daemon-api.h"

#include <string.h>

#include "daemon-private.h"

static GStrv
api_list_nodes (gpointer user_data)
{
  return hb_membership_list_nodes (hb_daemon_membership (user_data));
}

static char *
api_node_status (const char *node, gpointer user_data)
{
  return g_strdup (hb_membership_node_status (hb_daemon_membership (user_data), node));
}

static char *
api_node_type (const char *node, gpointer user_data)
{
  const HbMembership *m = hb_daemon_membership (user_data);

  return g_strdup (hb_member_node_type_to_string (hb_membership_node_type (m, node)));
}

static GStrv
api_list_links (const char *node, gpointer user_data)
{
  return hb_membership_list_links (hb_daemon_membership (user_data), node);
}

static char *
api_link_status (const char *node, const char *link, gpointer user_data)
{
  return g_strdup (hb_membership_link_status (hb_daemon_membership (user_data), node, link));
}

/* none|local|foreign|all|transition, as the takeover engine sees it. */
static char *
api_rsc_status (gpointer user_data)
{
  HbDaemon *daemon = user_data;

  return g_strdup (daemon->rsc != NULL ? hb_resmgr_status (daemon->rsc) : "none");
}

/* hb_standby / hb_takeover start the exchange of docs/PROTOCOL.md,
 * "Standby and takeover", and return at once;
 * a refusal (legacy mode, shutdown in progress) is the engine's GError. */
static gboolean
api_standby (HbApiHold hold, char **message_out, gpointer user_data, GError **error)
{
  HbDaemon *daemon = user_data;

  return hb_resmgr_standby (daemon->rsc, hb_api_hold_to_string (hold), message_out, error);
}

static gboolean
api_takeover (HbApiHold hold, char **message_out, gpointer user_data, GError **error)
{
  HbDaemon *daemon = user_data;

  return hb_resmgr_takeover (daemon->rsc, hb_api_hold_to_string (hold), message_out, error);
}

typedef char *(*ParamFunc) (const HbConfig *config);

static char *
param_ms (guint ms)
{
  /* As ha.cf would write it: whole seconds bare, else with "ms"
   * (docs/PROTOCOL.md, "ha.cf syntax"). */
  return ms % 1000 == 0 ? g_strdup_printf ("%u", ms / 1000) : g_strdup_printf ("%ums", ms);
}

static char *p_keepalive (const HbConfig *c) { return param_ms (c->keepalive_ms); }
static char *p_deadtime (const HbConfig *c) { return param_ms (c->deadtime_ms); }
static char *p_warntime (const HbConfig *c) { return param_ms (c->warntime_ms); }
static char *p_initdead (const HbConfig *c) { return param_ms (c->initdead_ms); }
static char *p_deadping (const HbConfig *c) { return param_ms (c->deadping_ms); }
static char *p_udpport (const HbConfig *c) { return g_strdup_printf ("%u", c->udpport); }
static char *p_hopfudge (const HbConfig *c) { return g_strdup_printf ("%u", c->hopfudge); }
static char *p_failback (const HbConfig *c) { return g_strdup (hb_auto_failback_to_string (c->auto_failback)); }
static char *p_logfacility (const HbConfig *c) { return g_strdup (c->logfacility != NULL ? c->logfacility : "none"); }
static char *p_cluster (const HbConfig *c) { return g_strdup (c->cluster); }

static const struct
{
  const char *name;
  ParamFunc func;
} parameters[] = {
  { "keepalive", p_keepalive }, { "deadtime", p_deadtime },   { "warntime", p_warntime },
  { "initdead", p_initdead },   { "deadping", p_deadping },   { "udpport", p_udpport },
  { "hopfudge", p_hopfudge },   { "auto_failback", p_failback }, { "logfacility", p_logfacility },
  { "cluster", p_cluster },
};

static char *
api_parameter (const char *name, gpointer user_data)
{
  const HbConfig *config = hb_daemon_config (user_data);

  for (gsize i = 0; i < G_N_ELEMENTS (parameters); i++)
    {
      if (strcmp (name, parameters[i].name) == 0)
        {
          return parameters[i].func (config);
        }
    }
  return NULL;
}

static const HbApiHandler handler = {
  .list_nodes = api_list_nodes,
  .node_status = api_node_status,
  .node_type = api_node_type,
  .list_links = api_list_links,
  .link_status = api_link_status,
  .rsc_status = api_rsc_status,
  .parameter = api_parameter,
  .standby = api_standby,
  .takeover = api_takeover,
};


const HbApiHandler *
hb_daemon_api_handler (void)
{
  return &handler;
}
