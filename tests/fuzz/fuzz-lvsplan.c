/* libFuzzer target for the two readers of the kernel's LVS table that
 * systole-lvs status and stop rely on (lib/lvs-plan*.c): `ipvsadm -S -n`
 * output and `nft list table` output. The input is given to both.
 * Properties:
 *   - a table comes back exactly when no error is set, and an error names
 *     its line ("ipvsadm -S line N:", "nft listing line N:", N in the text);
 *   - every destination read from nft has a weight of at least 1 (its share
 *     of the map) and a port, every service a port;
 *   - what is read from ipvsadm round-trips: the commands that build it from
 *     nothing (hb_lvs_plan_ipvs_sync) read back as the same table, which is
 *     then in sync; the nft ruleset for it can always be written.
 * Any violation aborts, so the fuzzer reports it like a crash.
 * Built only with ./configure --enable-fuzzing CC=clang; run by tests/fuzz/run-fuzz. */
#include "fuzz-common.h"
#include "lvs-plan.h"

#include <stdlib.h>
#include <string.h>

/* "PREFIX N: " with 1 <= N <= max_line. */
static void
check_error (const GError *error, const char *prefix, guint max_line)
{
  const char *p = error->message + strlen (prefix);
  char *end = NULL;
  guint64 line;

  require (error->domain == HB_LVS_PLAN_ERROR && g_str_has_prefix (error->message, prefix));
  line = g_ascii_strtoull (p, &end, 10);
  require (end != p && line >= 1 && line <= max_line && g_str_has_prefix (end, ": "));
}

/* The same service or the same destination twice: the kernel never lists
 * that, and the round trip below is about what it does list. */
static gboolean
has_duplicates (const HbLvsTable *t)
{
  for (guint i = 0; i < t->virtuals->len; i++)
    {
      const HbLvsVirtual *v = g_ptr_array_index (t->virtuals, i);

      for (guint j = 0; j < i; j++)
        {
          const HbLvsVirtual *w = g_ptr_array_index (t->virtuals, j);

          if (v->proto == w->proto && v->port == w->port && strcmp (v->addr, w->addr) == 0)
            {
              return TRUE;
            }
        }
      for (guint d = 0; d < v->dests->len; d++)
        {
          const HbLvsDest *a = g_ptr_array_index (v->dests, d);

          for (guint e = 0; e < d; e++)
            {
              const HbLvsDest *b = g_ptr_array_index (v->dests, e);

              if (a->port == b->port && strcmp (a->addr, b->addr) == 0)
                {
                  return TRUE;
                }
            }
        }
    }
  return FALSE;
}

static void
check_ipvs (const char *text, guint max_line)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) t = hb_lvs_plan_ipvs_parse_save (text, &error);
  g_autoptr (HbLvsTable) empty = hb_lvs_table_new ();
  g_autoptr (HbLvsTable) back = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *build = NULL;
  g_autofree char *again = NULL;
  g_autofree char *ruleset = NULL;

  require ((t == NULL) == (error != NULL));
  if (t == NULL)
    {
      check_error (error, "ipvsadm -S line ", max_line);
      return;
    }
  ruleset = hb_lvs_plan_nft_ruleset ("systole_lvs_fuzz", t, TRUE);
  if (t->virtuals->len == 0 || has_duplicates (t))
    {
      return;
    }
  build = hb_lvs_plan_ipvs_sync (t, empty);
  back = hb_lvs_plan_ipvs_parse_save (build, &error);
  require (back != NULL && error == NULL);
  require (hb_lvs_table_compare (t, back, problems) == HB_LVS_MATCH_ALL && problems->len == 0);
  again = hb_lvs_plan_ipvs_sync (t, back);
  require (strcmp (again, "") == 0);
}

static void
check_nft (const char *text, guint max_line)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) t = hb_lvs_plan_nft_parse_listing (text, &error);

  require ((t == NULL) == (error != NULL));
  if (t == NULL)
    {
      check_error (error, "nft listing line ", max_line);
      return;
    }
  for (guint i = 0; i < t->virtuals->len; i++)
    {
      const HbLvsVirtual *v = g_ptr_array_index (t->virtuals, i);

      require (v->port >= 1);
      for (guint d = 0; d < v->dests->len; d++)
        {
          const HbLvsDest *dest = g_ptr_array_index (v->dests, d);

          require (dest->weight >= 1 && dest->port >= 1);
        }
    }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  guint max_line = fuzz_count_lines (text, strlen (text));

  check_ipvs (text, max_line);
  check_nft (text, max_line);
  return 0;
}
