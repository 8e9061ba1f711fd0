/* systole: the backend-neutral LVS table, what it should be, and comparison. */
#include "lvs-plan-private.h"

#include <string.h>

G_DEFINE_QUARK (hb-lvs-plan-error-quark, hb_lvs_plan_error)

static void
dest_free (gpointer data)
{
  HbLvsDest *d = data;
  g_free (d->addr);
  g_free (d);
}

static void
virtual_free (gpointer data)
{
  HbLvsVirtual *v = data;
  g_free (v->addr);
  g_free (v->sched);
  g_ptr_array_unref (v->dests);
  g_free (v);
}

HbLvsTable *
hb_lvs_table_new (void)
{
  HbLvsTable *t = g_new0 (HbLvsTable, 1);
  t->virtuals = g_ptr_array_new_with_free_func (virtual_free);
  return t;
}

void
hb_lvs_table_free (HbLvsTable *table)
{
  if (table == NULL)
    {
      return;
    }
  g_ptr_array_unref (table->virtuals);
  g_free (table);
}

char *
hb_lvs_real_key (const HbLvsService *svc, const HbLvsReal *real)
{
  return g_strdup_printf ("%s %s:%u %s:%u", hb_lvs_proto_to_string (svc->proto), svc->addr,
                          svc->port, real->addr, real->port);
}

HbLvsVirtual *
hb_lvs_virtual_new (HbLvsProto proto, const char *addr, guint16 port, const char *sched, guint persistence_s)
{
  HbLvsVirtual *v = g_new0 (HbLvsVirtual, 1);
  v->proto = proto;
  v->addr = g_strdup (addr);
  v->port = port;
  v->sched = g_strdup (sched);
  v->persistence_s = persistence_s;
  v->dests = g_ptr_array_new_with_free_func (dest_free);
  return v;
}

void
hb_lvs_virtual_add_dest (HbLvsVirtual *v, const char *addr, guint16 port, HbLvsKind kind, guint weight)
{
  HbLvsDest *d = g_new0 (HbLvsDest, 1);
  d->addr = g_strdup (addr);
  d->port = port;
  d->kind = kind;
  d->weight = weight;
  g_ptr_array_add (v->dests, d);
}

/* The weight a real server should have now, or -1 when it is to be left out. */
static gint
wanted_weight (const HbLvsService *svc, const HbLvsReal *r, GHashTable *down, HbLvsBackend backend)
{
  g_autofree char *key = hb_lvs_real_key (svc, r);
  gboolean failed = down != NULL && g_hash_table_contains (down, key);
  guint weight = failed ? 0 : r->weight;

  if (failed && !r->inhibit_on_failure)
    {
      return -1;
    }
  if (backend == HB_LVS_BACKEND_NFTABLES)
    {
      /* A map entry is a share of the hash range: weight 0 cannot be expressed
       * other than by leaving the entry out. rr ignores weights (ipvsadm(8)). */
      if (weight == 0)
        {
          return -1;
        }
      return strcmp (svc->sched, "rr") == 0 ? 1 : (gint) weight;
    }
  return (gint) weight;
}

HbLvsTable *
hb_lvs_plan_desired (const HbLvsConfig *config, GHashTable *down, HbLvsBackend backend)
{
  HbLvsTable *t = hb_lvs_table_new ();

  for (guint i = 0; i < config->services->len; i++)
    {
      const HbLvsService *s = g_ptr_array_index (config->services, i);
      HbLvsVirtual *v = hb_lvs_virtual_new (s->proto, s->addr, s->port, s->sched, s->persistence_s);
      for (guint j = 0; j < s->reals->len; j++)
        {
          const HbLvsReal *r = g_ptr_array_index (s->reals, j);
          gint w = wanted_weight (s, r, down, backend);
          if (w >= 0)
            {
              hb_lvs_virtual_add_dest (v, r->addr, r->port, s->kind, (guint) w);
            }
        }
      g_ptr_array_add (t->virtuals, v);
    }
  return t;
}

/* ---- comparison --------------------------------------------------------------- */

HbLvsVirtual *
hb_lvs_table_find (const HbLvsTable *t, const HbLvsVirtual *like)
{
  for (guint i = 0; i < t->virtuals->len; i++)
    {
      HbLvsVirtual *v = g_ptr_array_index (t->virtuals, i);
      if (v->proto == like->proto && v->port == like->port && strcmp (v->addr, like->addr) == 0)
        {
          return v;
        }
    }
  return NULL;
}

HbLvsDest *
hb_lvs_virtual_find (const HbLvsVirtual *v, const HbLvsDest *like)
{
  for (guint i = 0; i < v->dests->len; i++)
    {
      HbLvsDest *d = g_ptr_array_index (v->dests, i);
      if (d->port == like->port && strcmp (d->addr, like->addr) == 0)
        {
          return d;
        }
    }
  return NULL;
}

static void G_GNUC_PRINTF (3, 4)
problem (GPtrArray *problems, const HbLvsVirtual *v, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  if (problems == NULL)
    {
      return;
    }
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_ptr_array_add (problems, g_strdup_printf ("%s %s:%u: %s", hb_lvs_proto_to_string (v->proto),
                                              v->addr, v->port, msg));
}

/* Returns the number of differences inside one service that exists in both. */
static guint
compare_virtual (const HbLvsVirtual *want, const HbLvsVirtual *have, GPtrArray *problems)
{
  guint n = 0;

  if (strcmp (want->sched, have->sched) != 0 || want->persistence_s != have->persistence_s)
    {
      problem (problems, want, "scheduler %s persistence %u, wanted %s persistence %u", have->sched,
               have->persistence_s, want->sched, want->persistence_s);
      n++;
    }
  for (guint i = 0; i < want->dests->len; i++)
    {
      const HbLvsDest *w = g_ptr_array_index (want->dests, i);
      const HbLvsDest *h = hb_lvs_virtual_find (have, w);
      if (h == NULL)
        {
          problem (problems, want, "real server %s:%u missing", w->addr, w->port);
          n++;
        }
      else if (h->weight != w->weight || h->kind != w->kind)
        {
          problem (problems, want, "real server %s:%u has %s weight %u, wanted %s weight %u", w->addr,
                   w->port, hb_lvs_kind_to_string (h->kind), h->weight,
                   hb_lvs_kind_to_string (w->kind), w->weight);
          n++;
        }
    }
  for (guint i = 0; i < have->dests->len; i++)
    {
      const HbLvsDest *h = g_ptr_array_index (have->dests, i);
      if (hb_lvs_virtual_find (want, h) == NULL)
        {
          problem (problems, want, "extra real server %s:%u (not in the configuration)", h->addr, h->port);
          n++;
        }
    }
  return n;
}

HbLvsMatch
hb_lvs_table_compare (const HbLvsTable *desired, const HbLvsTable *current, GPtrArray *problems)
{
  guint present = 0, differences = 0;

  for (guint i = 0; i < desired->virtuals->len; i++)
    {
      const HbLvsVirtual *want = g_ptr_array_index (desired->virtuals, i);
      const HbLvsVirtual *have = hb_lvs_table_find (current, want);
      if (have == NULL)
        {
          problem (problems, want, "virtual service missing");
          differences++;
          continue;
        }
      present++;
      differences += compare_virtual (want, have, problems);
    }
  if (present == 0 && desired->virtuals->len > 0)
    {
      return HB_LVS_MATCH_NONE;
    }
  return differences == 0 ? HB_LVS_MATCH_ALL : HB_LVS_MATCH_SOME;
}

HbLvsTable *
hb_lvs_table_minus (const HbLvsTable *a, const HbLvsTable *b)
{
  HbLvsTable *t = hb_lvs_table_new ();

  for (guint i = 0; i < a->virtuals->len; i++)
    {
      const HbLvsVirtual *v = g_ptr_array_index (a->virtuals, i);
      HbLvsVirtual *copy;
      if (hb_lvs_table_find (b, v) != NULL)
        {
          continue;
        }
      copy = hb_lvs_virtual_new (v->proto, v->addr, v->port, v->sched, v->persistence_s);
      for (guint j = 0; j < v->dests->len; j++)
        {
          const HbLvsDest *d = g_ptr_array_index (v->dests, j);
          hb_lvs_virtual_add_dest (copy, d->addr, d->port, d->kind, d->weight);
        }
      g_ptr_array_add (t->virtuals, copy);
    }
  return t;
}

/* ---- health --------------------------------------------------------------------- */

HbLvsHealthChange
hb_lvs_health_record (HbLvsHealth *health, const HbLvsCheck *check, gboolean ok, guint *next_ms)
{
  *next_ms = check->delay_loop_ms;
  if (ok)
    {
      health->failures = 0;
      if (!health->up)
        {
          health->up = TRUE;
          return HB_LVS_HEALTH_WENT_UP;
        }
      return HB_LVS_HEALTH_SAME;
    }
  if (!health->up)
    {
      return HB_LVS_HEALTH_SAME;
    }
  health->failures++;
  /* keepalived's `retry`: attempts after the first failure before giving up. */
  if (health->failures > check->retry)
    {
      health->up = FALSE;
      health->failures = 0;
      return HB_LVS_HEALTH_WENT_DOWN;
    }
  *next_ms = check->delay_before_retry_ms;
  return HB_LVS_HEALTH_SAME;
}
