/* Canned cluster state for the API tests; see fake-hb-state.h. */
#include "fake-hb-state.h"

#include <string.h>

typedef struct
{
  const char *name;
  const char *type;
  const char *status;
  const char *links[3];
  const char *link_status[3];
} FakeNode;

static const FakeNode fake_nodes[] = {
  { "node1", "normal", "active", { "eth0", "eth1" }, { "up", "up" } },
  { "node2", "normal", "dead", { "eth0", "eth1" }, { "dead", "dead" } },
  { "node3", "normal", "init", { "eth0" }, { "dead" } },
  { "192.0.2.254", "ping", "ping", { "192.0.2.254" }, { "up" } },
};

static const char *const fake_params[][2] = {
  { "keepalive", "2" },
  { "deadtime", "30" },
  { "auto_failback", "on" },
  { "udpport", "694" },
  { "apiauth", "ipfail gid=haclient" },
};

static const FakeNode *
find_node (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fake_nodes); i++)
    {
      if (strcmp (fake_nodes[i].name, name) == 0)
        {
          return &fake_nodes[i];
        }
    }
  return NULL;
}

static GStrv
fake_list_nodes (gpointer user_data)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  (void) user_data;
  for (gsize i = 0; i < G_N_ELEMENTS (fake_nodes); i++)
    {
      g_strv_builder_add (builder, fake_nodes[i].name);
    }
  return g_strv_builder_end (builder);
}

static char *
fake_node_status (const char *node, gpointer user_data)
{
  const FakeNode *n = find_node (node);

  (void) user_data;
  return n != NULL ? g_strdup (n->status) : NULL;
}

static char *
fake_node_type (const char *node, gpointer user_data)
{
  const FakeNode *n = find_node (node);

  (void) user_data;
  return n != NULL ? g_strdup (n->type) : NULL;
}

static GStrv
fake_list_links (const char *node, gpointer user_data)
{
  const FakeNode *n = find_node (node);

  (void) user_data;
  return n != NULL ? g_strdupv ((char **) n->links) : NULL;
}

static char *
fake_link_status (const char *node, const char *link, gpointer user_data)
{
  const FakeNode *n = find_node (node);

  (void) user_data;
  for (guint i = 0; n != NULL && n->links[i] != NULL; i++)
    {
      if (strcmp (n->links[i], link) == 0)
        {
          return g_strdup (n->link_status[i]);
        }
    }
  return NULL;
}

static char *
fake_rsc_status (gpointer user_data)
{
  (void) user_data;
  return g_strdup ("local");
}

static char *
fake_parameter (const char *name, gpointer user_data)
{
  (void) user_data;
  for (gsize i = 0; i < G_N_ELEMENTS (fake_params); i++)
    {
      if (strcmp (fake_params[i][0], name) == 0)
        {
          return g_strdup (fake_params[i][1]);
        }
    }
  return NULL;
}

static gboolean
fake_rsc_request (FakeHbState *state, HbApiHold hold, const char *verb, char **message_out,
                  GError **error)
{
  state->last_hold = hold;
  if (state->refuse_rsc_requests)
    {
      g_set_error_literal (error, HB_API_ERROR, HB_API_ERROR_FAILED,
                           "Standby mode only implemented when nice_failback on");
      return FALSE;
    }
  *message_out = g_strdup_printf ("%s [%s].", verb, hb_api_hold_to_string (hold));
  return TRUE;
}

static gboolean
fake_standby (HbApiHold hold, char **message_out, gpointer user_data, GError **error)
{
  FakeHbState *state = user_data;

  state->n_standby++;
  return fake_rsc_request (state, hold, "Going standby", message_out, error);
}

static gboolean
fake_takeover (HbApiHold hold, char **message_out, gpointer user_data, GError **error)
{
  FakeHbState *state = user_data;

  state->n_takeover++;
  return fake_rsc_request (state, hold, "Takeover requested", message_out, error);
}

const HbApiHandler fake_hb_handler = {
  .list_nodes = fake_list_nodes,
  .node_status = fake_node_status,
  .node_type = fake_node_type,
  .list_links = fake_list_links,
  .link_status = fake_link_status,
  .rsc_status = fake_rsc_status,
  .parameter = fake_parameter,
  .standby = fake_standby,
  .takeover = fake_takeover,
};
