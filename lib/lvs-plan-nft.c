/* systole: the nftables backend's text: a DNAT ruleset that does what IPVS-NAT does
 * for rr, wrr and sh, and reading it back from `nft list table`.
 *
 * Each weight becomes a range of the map's key space: numgen inc walks it in turn
 * (rr, wrr: exact ratios over every block of sum(weights) new connections), jhash of
 * the client address picks a fixed slot (sh: a client sticks to one real server).
 * Only a connection's first packet passes a nat chain; conntrack does the rest, and
 * un-NATs the replies, which is why real servers route back through the director.
 */
#include "lvs-plan-private.h"

#include <string.h>

#define NFT_COMMENT_PREFIX "systole-lvs "

char *
hb_lvs_plan_nft_table (const HbLvsConfig *config)
{
  return g_strdup_printf ("systole_lvs_%s", config->name);
}

static guint
total_weight (const HbLvsVirtual *v)
{
  guint sum = 0;

  for (guint i = 0; i < v->dests->len; i++)
    {
      sum += ((const HbLvsDest *) g_ptr_array_index (v->dests, i))->weight;
    }
  return sum;
}

static void
emit_map (GString *out, const HbLvsVirtual *v)
{
  guint next = 0;

  g_string_append (out, " map { ");
  for (guint i = 0; i < v->dests->len; i++)
    {
      const HbLvsDest *d = g_ptr_array_index (v->dests, i);
      if (d->weight == 0)
        {
          continue;
        }
      if (next > 0)
        {
          g_string_append (out, ", ");
        }
      if (d->weight == 1)
        {
          g_string_append_printf (out, "%u", next);
        }
      else
        {
          g_string_append_printf (out, "%u-%u", next, next + d->weight - 1);
        }
      g_string_append_printf (out, " : %s . %u", d->addr, d->port);
      next += d->weight;
    }
  g_string_append (out, " }");
}

static void
emit_rule (GString *out, const HbLvsVirtual *v)
{
  guint sum = total_weight (v);

  g_string_append_printf (out, "\t\tip daddr %s %s dport %u", v->addr, hb_lvs_proto_to_string (v->proto),
                          v->port);
  if (sum == 0)
    {
      /* No real server left: refuse new connections, as an empty IPVS service does. */
      g_string_append (out, " drop");
    }
  else if (strcmp (v->sched, "sh") == 0)
    {
      g_string_append_printf (out, " dnat ip to jhash ip saddr mod %u seed 0x0", sum);
      emit_map (out, v);
    }
  else
    {
      g_string_append_printf (out, " dnat ip to numgen inc mod %u", sum);
      emit_map (out, v);
    }
  g_string_append_printf (out, " comment \"" NFT_COMMENT_PREFIX "%s\"\n", v->sched);
}

char *
hb_lvs_plan_nft_ruleset (const char *table, const HbLvsTable *desired, gboolean replace)
{
  GString *out = g_string_new (NULL);

  if (replace)
    {
      /* add + delete + create in one `nft -f` transaction: an atomic replace that
       * also works when the table does not exist yet. The delete is what costs:
       * the kernel unregisters the old chain's hook and waits for RCU (10-25 ms). */
      g_string_append_printf (out, "add table ip %s\ndelete table ip %s\n", table, table);
    }
  else
    {
      /* The table is not there: create only (~1.5 ms in the kernel, no delete). `create`
       * fails with EEXIST instead of merging into a table that appeared meanwhile. */
      g_string_append_printf (out, "create table ip %s\n", table);
    }
  g_string_append_printf (out, "table ip %s {\n", table);
  g_string_append (out, "\tchain prerouting {\n"
                        "\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
  for (guint i = 0; i < desired->virtuals->len; i++)
    {
      emit_rule (out, g_ptr_array_index (desired->virtuals, i));
    }
  g_string_append (out, "\t}\n}\n");
  return g_string_free (out, FALSE);
}

/* ---- reading it back --------------------------------------------------------------- */

static gboolean
parse_elements (HbLvsVirtual *v, const char *map, guint lineno, GError **error)
{
  g_autoptr (GRegex) re = g_regex_new ("^\\s*(\\d+)(?:-(\\d+))?\\s*:\\s*([0-9.]+)\\s*\\.\\s*(\\d+)\\s*$",
                                       0, 0, NULL);
  g_auto (GStrv) elems = g_strsplit (map, ",", -1);

  for (guint i = 0; elems[i] != NULL; i++)
    {
      g_autoptr (GMatchInfo) m = NULL;
      g_autofree char *lo = NULL, *hi = NULL, *addr = NULL, *port = NULL;
      guint64 a, b;
      if (!g_regex_match (re, elems[i], 0, &m))
        {
          g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                       "nft listing line %u: unexpected map element '%s'", lineno, elems[i]);
          return FALSE;
        }
      guint64 p;

      lo = g_match_info_fetch (m, 1);
      hi = g_match_info_fetch (m, 2);
      addr = g_match_info_fetch (m, 3);
      port = g_match_info_fetch (m, 4);
      a = g_ascii_strtoull (lo, NULL, 10);
      b = hi[0] != '\0' ? g_ascii_strtoull (hi, NULL, 10) : a;
      p = g_ascii_strtoull (port, NULL, 10);
      /* The range's size is the weight: never empty, never beyond a guint. */
      if (b < a || b - a >= G_MAXUINT)
        {
          g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                       "nft listing line %u: bad map range %s-%s", lineno, lo, hi);
          return FALSE;
        }
      if (p == 0 || p > 65535)
        {
          g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                       "nft listing line %u: bad port %s in map element '%s'", lineno, port,
                       elems[i]);
          return FALSE;
        }
      hb_lvs_virtual_add_dest (v, addr, (guint16) p, HB_LVS_KIND_NAT, (guint) (b - a + 1));
    }
  return TRUE;
}

static gboolean
parse_rule (HbLvsTable *t, GMatchInfo *m, guint lineno, GError **error)
{
  g_autofree char *addr = g_match_info_fetch (m, 1);
  g_autofree char *proto = g_match_info_fetch (m, 2);
  g_autofree char *port = g_match_info_fetch (m, 3);
  g_autofree char *action = g_match_info_fetch (m, 4);
  g_autofree char *sched = g_match_info_fetch (m, 5);
  guint64 p = g_ascii_strtoull (port, NULL, 10);
  HbLvsVirtual *v;
  const char *open = strchr (action, '{'), *close = strrchr (action, '}');

  if (p == 0 || p > 65535)
    {
      g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                   "nft listing line %u: bad port %s of service %s", lineno, port, addr);
      return FALSE;
    }
  v = hb_lvs_virtual_new (strcmp (proto, "udp") == 0 ? HB_LVS_PROTO_UDP : HB_LVS_PROTO_TCP, addr,
                          (guint16) p, sched, 0);
  g_ptr_array_add (t->virtuals, v);
  if (g_str_has_prefix (action, "drop"))
    {
      return TRUE;
    }
  if (open == NULL || close == NULL || close < open)
    {
      g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                   "nft listing line %u: rule without a map: %s", lineno, action);
      return FALSE;
    }
  {
    g_autofree char *map = g_strndup (open + 1, close - open - 1);
    return parse_elements (v, map, lineno, error);
  }
}

HbLvsTable *
hb_lvs_plan_nft_parse_listing (const char *text, GError **error)
{
  g_autoptr (HbLvsTable) t = hb_lvs_table_new ();
  g_autoptr (GRegex) re = g_regex_new ("^\\s*ip daddr ([0-9.]+) (tcp|udp) dport (\\d+) (.*) comment \""
                                       NFT_COMMENT_PREFIX "(\\S+)\"\\s*$", 0, 0, NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (GMatchInfo) m = NULL;
      if (g_regex_match (re, lines[i], 0, &m) && !parse_rule (t, m, i + 1, error))
        {
          return NULL;
        }
    }
  return g_steal_pointer (&t);
}
