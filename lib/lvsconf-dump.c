/* systole: the canonical dump of an lvs.conf (one statement per line, every
 * default spelled out): the golden form the unit tests diff and
 * `systole-lvs check -v` prints. */
#include "lvsconf-private.h"

#define INDENT1 "    "
#define INDENT2 INDENT1 INDENT1
#define INDENT3 INDENT2 INDENT1

/* Whole seconds when they are, else three decimals, as the parser reads them. */
static void
dump_seconds (GString *out, const char *indent, const char *kw, guint ms)
{
  if (ms % 1000 == 0)
    {
      g_string_append_printf (out, "%s%s %u\n", indent, kw, ms / 1000);
    }
  else
    {
      g_string_append_printf (out, "%s%s %u.%03u\n", indent, kw, ms / 1000, ms % 1000);
    }
}

static void
dump_check (GString *out, const HbLvsReal *r)
{
  const HbLvsCheck *c = &r->check;

  g_string_append_printf (out, INDENT2 "TCP_CHECK {\n" INDENT3 "connect_port %u\n",
                          c->connect_port != 0 ? c->connect_port : r->port);
  dump_seconds (out, INDENT3, "connect_timeout", c->connect_timeout_ms);
  g_string_append_printf (out, INDENT3 "retry %u\n", c->retry);
  dump_seconds (out, INDENT3, "delay_before_retry", c->delay_before_retry_ms);
  dump_seconds (out, INDENT3, "delay_loop", c->delay_loop_ms);
  g_string_append (out, INDENT2 "}\n");
}

static void
dump_real (GString *out, const HbLvsReal *r)
{
  g_string_append_printf (out, INDENT1 "real_server %s %u {\n" INDENT2 "weight %u\n", r->addr,
                          r->port, r->weight);
  if (r->inhibit_on_failure)
    {
      g_string_append (out, INDENT2 "inhibit_on_failure\n");
    }
  if (r->check.enabled)
    {
      dump_check (out, r);
    }
  g_string_append (out, INDENT1 "}\n");
}

static void
dump_service (GString *out, const HbLvsService *s)
{
  g_string_append_printf (out, "virtual_server %s %u {\n", s->addr, s->port);
  dump_seconds (out, INDENT1, "delay_loop", s->delay_loop_ms);
  g_string_append_printf (out,
                          INDENT1 "lb_algo %s\n" INDENT1 "lb_kind %s\n" INDENT1
                                  "persistence_timeout %u\n" INDENT1 "protocol %s\n",
                          s->sched, hb_lvs_kind_to_string (s->kind), s->persistence_s,
                          s->proto == HB_LVS_PROTO_UDP ? "UDP" : "TCP");
  for (guint j = 0; j < s->reals->len; j++)
    {
      dump_real (out, g_ptr_array_index (s->reals, j));
    }
  g_string_append (out, "}\n");
}

char *
hb_lvs_config_dump (const HbLvsConfig *config)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "name %s\nbackend %s\n", config->name,
                          hb_lvs_backend_to_string (config->backend));
  for (guint i = 0; i < config->services->len; i++)
    {
      dump_service (out, g_ptr_array_index (config->services, i));
    }
  return g_string_free (out, FALSE);
}
