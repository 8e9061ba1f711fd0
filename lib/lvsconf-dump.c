/* systole: the canonical dump of an lvs.conf (one statement per line, every
 * default spelled out): the golden form the unit tests diff and
 * `systole-lvs check -v` prints. */
#include "lvsconf-private.h"

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
dump_real (GString *out, const HbLvsReal *r)
{
  g_string_append_printf (out, "    real_server %s %u {\n        weight %u\n", r->addr, r->port, r->weight);
  if (r->inhibit_on_failure)
    {
      g_string_append (out, "        inhibit_on_failure\n");
    }
  if (r->check.enabled)
    {
      g_string_append_printf (out, "        TCP_CHECK {\n            connect_port %u\n",
                              r->check.connect_port != 0 ? r->check.connect_port : r->port);
      dump_seconds (out, "            ", "connect_timeout", r->check.connect_timeout_ms);
      g_string_append_printf (out, "            retry %u\n", r->check.retry);
      dump_seconds (out, "            ", "delay_before_retry", r->check.delay_before_retry_ms);
      dump_seconds (out, "            ", "delay_loop", r->check.delay_loop_ms);
      g_string_append (out, "        }\n");
    }
  g_string_append (out, "    }\n");
}

char *
hb_lvs_config_dump (const HbLvsConfig *config)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "name %s\nbackend %s\n", config->name,
                          hb_lvs_backend_to_string (config->backend));
  for (guint i = 0; i < config->services->len; i++)
    {
      const HbLvsService *s = g_ptr_array_index (config->services, i);
      g_string_append_printf (out, "virtual_server %s %u {\n", s->addr, s->port);
      dump_seconds (out, "    ", "delay_loop", s->delay_loop_ms);
      g_string_append_printf (out, "    lb_algo %s\n    lb_kind %s\n    persistence_timeout %u\n"
                              "    protocol %s\n", s->sched, hb_lvs_kind_to_string (s->kind),
                              s->persistence_s, s->proto == HB_LVS_PROTO_UDP ? "UDP" : "TCP");
      for (guint j = 0; j < s->reals->len; j++)
        {
          dump_real (out, g_ptr_array_index (s->reals, j));
        }
      g_string_append (out, "}\n");
    }
  return g_string_free (out, FALSE);
}
