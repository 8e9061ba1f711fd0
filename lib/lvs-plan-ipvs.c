/* systole: the IPVS backend's text: reading `ipvsadm -S -n`, writing `ipvsadm -R`
 * input. Option letters are ipvsadm(8)'s: -A/-E/-D service, -a/-e/-d destination,
 * -t/-u TCP/UDP service address, -s scheduler, -p persistence, -r real server,
 * -m/-g/-i NAT/DR/TUN, -w weight.
 */
#include "lvs-plan-private.h"
#include "printable.h"

#include <string.h>

typedef struct
{
  gboolean service;   /* -A (else -a) */
  gboolean skip;      /* fwmark or IPv6: not something we program */
  HbLvsProto proto;
  char *vaddr;
  guint16 vport;
  char *sched;
  guint persistence_s;
  char *raddr;
  guint16 rport;
  HbLvsKind kind;
  guint weight;
} SaveLine;

static void
save_line_clear (SaveLine *l)
{
  g_free (l->vaddr);
  g_free (l->sched);
  g_free (l->raddr);
}

/* "192.0.2.1:80" → address and port; FALSE for IPv6 ("[...]") or junk. */
static gboolean
split_addr_port (const char *s, char **addr, guint16 *port)
{
  const char *colon = strrchr (s, ':');
  guint64 p;
  char *end = NULL;

  if (colon == NULL || s[0] == '[' || colon == s)
    {
      return FALSE;
    }
  p = g_ascii_strtoull (colon + 1, &end, 10);
  if (*end != '\0' || colon[1] == '\0' || p > 65535)
    {
      return FALSE;
    }
  g_free (*addr); /* an option given twice: the last one counts */
  *addr = g_strndup (s, colon - s);
  *port = (guint16) p;
  return TRUE;
}

/* A scheduler name as the kernel has them (rr, wrr, lblcr, ...): lower-case
 * letters, digits and '_', shorter than IP_VS_SCHEDNAME_MAXLEN (16). */
static gboolean
sched_name_ok (const char *s)
{
  gsize len = strlen (s);

  if (len == 0 || len >= 16)
    {
      return FALSE;
    }
  for (const char *p = s; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
        {
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
save_option (SaveLine *l, const char *opt, const char *arg)
{
  guint64 n;

  if (strcmp (opt, "-t") == 0 || strcmp (opt, "-u") == 0)
    {
      l->proto = opt[1] == 'u' ? HB_LVS_PROTO_UDP : HB_LVS_PROTO_TCP;
      l->skip = l->skip || !split_addr_port (arg, &l->vaddr, &l->vport);
    }
  else if (strcmp (opt, "-f") == 0)
    {
      l->skip = TRUE;
    }
  else if (strcmp (opt, "-r") == 0)
    {
      l->skip = l->skip || !split_addr_port (arg, &l->raddr, &l->rport);
    }
  else if (strcmp (opt, "-s") == 0)
    {
      if (!sched_name_ok (arg))
        {
          return FALSE;
        }
      g_free (l->sched);
      l->sched = g_strdup (arg);
    }
  else if (strcmp (opt, "-p") == 0 || strcmp (opt, "-w") == 0)
    {
      n = g_ascii_strtoull (arg, NULL, 10);
      *(opt[1] == 'p' ? &l->persistence_s : &l->weight) = (guint) MIN (n, G_MAXUINT);
    }
  return TRUE;
}

/* Options that stand alone; every other option takes one argument. */
static gboolean
save_flag (SaveLine *l, const char *opt)
{
  static const struct { const char *opt; HbLvsKind kind; } kinds[] = {
    { "-m", HB_LVS_KIND_NAT }, { "-g", HB_LVS_KIND_DR }, { "-i", HB_LVS_KIND_TUN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (strcmp (opt, kinds[i].opt) == 0)
        {
          l->kind = kinds[i].kind;
          return TRUE;
        }
    }
  return strcmp (opt, "-6") == 0 || strcmp (opt, "-o") == 0 || strcmp (opt, "--ops") == 0;
}

static gboolean
parse_save_line (const char *line, guint lineno, SaveLine *l, GError **error)
{
  g_auto (GStrv) tok = g_strsplit_set (line, " \t", -1);
  guint n = 0;
  char *v[64];

  for (guint i = 0; tok[i] != NULL && n < G_N_ELEMENTS (v); i++)
    {
      if (tok[i][0] != '\0')
        {
          v[n++] = tok[i];
        }
    }
  if (n == 0 || (strcmp (v[0], "-A") != 0 && strcmp (v[0], "-a") != 0))
    {
      g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                   "ipvsadm -S line %u: expected -A or -a: %s", lineno, line);
      return FALSE;
    }
  l->service = v[0][1] == 'A';
  l->weight = 1;
  for (guint i = 1; i < n; i++)
    {
      if (save_flag (l, v[i]))
        {
          continue;
        }
      if (i + 1 >= n)
        {
          g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                       "ipvsadm -S line %u: option %s without its value", lineno, v[i]);
          return FALSE;
        }
      if (!save_option (l, v[i], v[i + 1]))
        {
          g_autofree char *shown = hb_printable (v[i + 1]);

          g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                       "ipvsadm -S line %u: bad scheduler name \"%s\"", lineno, shown);
          return FALSE;
        }
      i++;
    }
  if (!l->skip && (l->vaddr == NULL || (!l->service && l->raddr == NULL)))
    {
      g_set_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE,
                   "ipvsadm -S line %u: no service or real server address: %s", lineno, line);
      return FALSE;
    }
  return TRUE;
}

static void
save_line_apply (HbLvsTable *t, const SaveLine *l)
{
  HbLvsVirtual like = { .proto = l->proto, .addr = l->vaddr, .port = l->vport };
  HbLvsVirtual *v;

  if (l->skip)
    {
      return;
    }
  if (l->service)
    {
      g_ptr_array_add (t->virtuals, hb_lvs_virtual_new (l->proto, l->vaddr, l->vport,
                                                         l->sched != NULL ? l->sched : "wlc",
                                                         l->persistence_s));
      return;
    }
  v = hb_lvs_table_find (t, &like);
  if (v != NULL)
    {
      hb_lvs_virtual_add_dest (v, l->raddr, l->rport, l->kind, l->weight);
    }
}

HbLvsTable *
hb_lvs_plan_ipvs_parse_save (const char *text, GError **error)
{
  g_autoptr (HbLvsTable) t = hb_lvs_table_new ();
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      SaveLine l = { 0 };
      gboolean ok;
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        {
          continue;
        }
      ok = parse_save_line (lines[i], i + 1, &l, error);
      if (ok)
        {
          save_line_apply (t, &l);
        }
      save_line_clear (&l);
      if (!ok)
        {
          return NULL;
        }
    }
  return g_steal_pointer (&t);
}

/* ---- command streams ------------------------------------------------------------- */

static const char *
proto_opt (HbLvsProto proto)
{
  return proto == HB_LVS_PROTO_UDP ? "-u" : "-t";
}

static const char *
kind_opt (HbLvsKind kind)
{
  static const char *const opts[] = { "-m", "-g", "-i" };
  return opts[kind];
}

static void
emit_service (GString *out, char cmd, const HbLvsVirtual *v)
{
  g_string_append_printf (out, "-%c %s %s:%u -s %s", cmd, proto_opt (v->proto), v->addr, v->port, v->sched);
  if (v->persistence_s != 0)
    {
      g_string_append_printf (out, " -p %u", v->persistence_s);
    }
  g_string_append_c (out, '\n');
}

static void
emit_dest (GString *out, char cmd, const HbLvsVirtual *v, const HbLvsDest *d)
{
  g_string_append_printf (out, "-%c %s %s:%u -r %s:%u", cmd, proto_opt (v->proto), v->addr, v->port,
                          d->addr, d->port);
  if (cmd != 'd')
    {
      g_string_append_printf (out, " %s -w %u", kind_opt (d->kind), d->weight);
    }
  g_string_append_c (out, '\n');
}

static void
sync_virtual (GString *out, const HbLvsVirtual *want, const HbLvsVirtual *have)
{
  if (have == NULL)
    {
      emit_service (out, 'A', want);
    }
  else if (strcmp (want->sched, have->sched) != 0 || want->persistence_s != have->persistence_s)
    {
      emit_service (out, 'E', want);
    }
  for (guint i = 0; i < want->dests->len; i++)
    {
      const HbLvsDest *w = g_ptr_array_index (want->dests, i);
      const HbLvsDest *h = have != NULL ? hb_lvs_virtual_find (have, w) : NULL;
      if (h == NULL)
        {
          emit_dest (out, 'a', want, w);
        }
      else if (h->weight != w->weight || h->kind != w->kind)
        {
          emit_dest (out, 'e', want, w);
        }
    }
  for (guint i = 0; have != NULL && i < have->dests->len; i++)
    {
      const HbLvsDest *h = g_ptr_array_index (have->dests, i);
      if (hb_lvs_virtual_find (want, h) == NULL)
        {
          emit_dest (out, 'd', want, h);
        }
    }
}

char *
hb_lvs_plan_ipvs_sync (const HbLvsTable *desired, const HbLvsTable *current)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < desired->virtuals->len; i++)
    {
      const HbLvsVirtual *want = g_ptr_array_index (desired->virtuals, i);
      sync_virtual (out, want, hb_lvs_table_find (current, want));
    }
  return g_string_free (out, FALSE);
}

char *
hb_lvs_plan_ipvs_remove (const HbLvsTable *desired, const HbLvsTable *current)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < desired->virtuals->len; i++)
    {
      const HbLvsVirtual *want = g_ptr_array_index (desired->virtuals, i);
      if (hb_lvs_table_find (current, want) != NULL)
        {
          g_string_append_printf (out, "-D %s %s:%u\n", proto_opt (want->proto), want->addr, want->port);
        }
    }
  return g_string_free (out, FALSE);
}
