/* libFuzzer target for lvs.conf: the input is the file's bytes, given to
 * hb_lvs_config_parse_len() exactly as systole-lvs reads a file. Properties:
 *   - the lexer makes progress: every token is non-empty, holds no blank,
 *     comment sign or glued brace, and carries a line that exists, in order;
 *   - an error is set exactly when no configuration comes back, and every
 *     line of it (and every warning) starts with "f.conf:LINE: " for a LINE
 *     of the file, and is printable (valid UTF-8, no control characters);
 *   - a configuration's dump parses back to the same dump;
 *   - every address is a dotted quad in inet_pton()'s one spelling (what
 *     ipvsadm and the kernel's listings print), so no two differ in spelling only;
 *   - the backend checks fail exactly with an error naming the file;
 *   - the IPVS plan round-trips: the commands that build the table from
 *     nothing, read back as `ipvsadm -S` output, are the table, and in sync.
 * Any violation aborts, so the fuzzer reports it like a crash.
 * Built only with ./configure --enable-fuzzing CC=clang; run by tests/fuzz/run-fuzz. */
#include "fuzz-common.h"
#include "lvsconf-private.h"
#include "lvs-plan.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME "f.conf"

/* "f.conf:LINE: " with 0 <= LINE <= max_line (0: the whole file). */
static void
check_located (const char *message, guint max_line)
{
  const char *p = message + strlen (FILE_NAME ":");
  char *end = NULL;
  guint64 line;

  require (g_str_has_prefix (message, FILE_NAME ":"));
  require (g_ascii_isdigit (*p));
  line = g_ascii_strtoull (p, &end, 10);
  require (line <= max_line && g_str_has_prefix (end, ": "));
  require (fuzz_printable (message));
}

static void
check_error_lines (const GError *error, guint max_line)
{
  g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);

  require (error->domain == HB_LVS_CONF_ERROR);
  for (char **l = lines; *l != NULL; l++)
    {
      check_located (*l, max_line);
    }
}

static void
check_tokens (const char *text, guint max_line)
{
  g_autoptr (GPtrArray) toks = hb_lvs_conf_lex (text);
  gsize total = 0;
  guint line = 1;

  require (toks->len <= strlen (text));
  for (guint i = 0; i < toks->len; i++)
    {
      const HbLvsConfToken *t = g_ptr_array_index (toks, i);
      gsize len = strlen (t->text);

      require (len > 0);
      require (strcspn (t->text, " \t\n\v\f\r#!") == len);
      require (len == 1 || strcspn (t->text, "{}") == len);
      require (t->line >= line && t->line <= max_line);
      line = t->line;
      total += len;
    }
  require (total <= strlen (text));
}

static void
check_backend (const HbLvsConfig *config, HbLvsBackend backend, guint max_line)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = hb_lvs_config_check_backend (config, backend, &error);

  require (ok == (error == NULL));
  if (!ok)
    {
      check_error_lines (error, max_line);
    }
}

static void
check_dump_round_trip (const HbLvsConfig *config)
{
  g_autofree char *dump = hb_lvs_config_dump (config);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) again = hb_lvs_config_parse (dump, FILE_NAME, NULL, &error);
  g_autofree char *dump2 = NULL;

  require (again != NULL && error == NULL);
  dump2 = hb_lvs_config_dump (again);
  require (strcmp (dump, dump2) == 0);
}

static void
check_ipvs_plan (const HbLvsConfig *config)
{
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (config, NULL, HB_LVS_BACKEND_IPVS);
  g_autoptr (HbLvsTable) empty = hb_lvs_table_new ();
  g_autofree char *build = hb_lvs_plan_ipvs_sync (want, empty);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) have = hb_lvs_plan_ipvs_parse_save (build, &error);
  g_autofree char *again = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  require (have != NULL && error == NULL);
  require (hb_lvs_table_compare (want, have, problems) == HB_LVS_MATCH_ALL && problems->len == 0);
  require (hb_lvs_table_compare (want, empty, NULL) == HB_LVS_MATCH_NONE);
  again = hb_lvs_plan_ipvs_sync (want, have);
  require (strcmp (again, "") == 0);
  g_free (hb_lvs_plan_ipvs_remove (want, have));
}

static void
check_nft_plan (const HbLvsConfig *config)
{
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (config, NULL, HB_LVS_BACKEND_NFTABLES);
  g_autofree char *table = hb_lvs_plan_nft_table (config);

  g_free (hb_lvs_plan_nft_ruleset (table, want, TRUE));
  g_free (hb_lvs_plan_nft_ruleset (table, want, FALSE));
}

static gboolean
is_canonical_ipv4 (const char *addr)
{
  struct in_addr in;
  char back[INET_ADDRSTRLEN];

  return inet_pton (AF_INET, addr, &in) == 1 && inet_ntop (AF_INET, &in, back, sizeof back) != NULL
         && strcmp (addr, back) == 0;
}

static void
check_addresses (const HbLvsConfig *config)
{
  for (guint i = 0; i < config->services->len; i++)
    {
      const HbLvsService *svc = g_ptr_array_index (config->services, i);

      require (is_canonical_ipv4 (svc->addr) && svc->port != 0);
      for (guint j = 0; j < svc->reals->len; j++)
        {
          const HbLvsReal *r = g_ptr_array_index (svc->reals, j);

          require (is_canonical_ipv4 (r->addr) && r->port != 0);
        }
    }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *) data;
  guint max_line = fuzz_count_lines (text, size);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) config = NULL;
  g_autofree char *string = g_strndup (text, size);

  check_tokens (string, max_line);
  config = hb_lvs_config_parse_len (text, size, FILE_NAME, warnings, &error);
  require ((config == NULL) == (error != NULL));
  for (guint i = 0; i < warnings->len; i++)
    {
      const char *w = g_ptr_array_index (warnings, i);

      check_located (w, max_line);
      require (strstr (w, ": warning: ") != NULL);
    }
  if (config == NULL)
    {
      check_error_lines (error, max_line);
      return 0;
    }
  require (config->services->len > 0);
  check_dump_round_trip (config);
  check_addresses (config);
  check_backend (config, HB_LVS_BACKEND_IPVS, max_line);
  check_backend (config, HB_LVS_BACKEND_NFTABLES, max_line);
  check_ipvs_plan (config);
  check_nft_plan (config);
  return 0;
}
