/* Unit tests for lib/lvs-plan*: golden nft rulesets and ipvsadm command streams,
 * reading kernel listings back, comparison, and the health-check state machine.
 * Set LVS_UPDATE_GOLDEN=1 to rewrite the golden files (then review the diff). */
#include "lvs-plan.h"

#include <string.h>

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "lvs", name, NULL);
}

static char *
read_data (const char *name)
{
  g_autofree char *path = data_path (name);
  char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
assert_golden (const char *got, const char *name)
{
  g_autofree char *want = NULL;

  if (g_getenv ("LVS_UPDATE_GOLDEN") != NULL)
    {
      g_autofree char *path = data_path (name);
      g_assert_true (g_file_set_contents (path, got, -1, NULL));
    }
  want = read_data (name);
  g_assert_cmpstr (got, ==, want);
}

static HbLvsConfig *
load (const char *name)
{
  g_autofree char *text = read_data (name);
  g_autoptr (GError) error = NULL;
  HbLvsConfig *c = hb_lvs_config_parse (text, name, NULL, &error);

  g_assert_no_error (error);
  return c;
}

static GHashTable *
down_set (const char *first, ...)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  va_list ap;

  va_start (ap, first);
  for (const char *k = first; k != NULL; k = va_arg (ap, const char *))
    {
      g_hash_table_add (set, g_strdup (k));
    }
  va_end (ap);
  return set;
}

/* ---- nftables ---------------------------------------------------------------- */

static void
test_nft_ruleset (void)
{
  g_autoptr (HbLvsConfig) c = load ("nat.conf");
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_NFTABLES);
  g_autofree char *table = hb_lvs_plan_nft_table (c);
  g_autofree char *rules = hb_lvs_plan_nft_ruleset (table, want, TRUE);

  g_assert_cmpstr (table, ==, "systole_lvs_web");
  assert_golden (rules, "nat.nft");
}

/* The table is not there yet: the same table and chain, created without the
 * add + delete pair (a delete makes the kernel wait 10-25 ms for nothing). The
 * body must be the replace script's, byte for byte. */
static void
test_nft_ruleset_create (void)
{
  g_autoptr (HbLvsConfig) c = load ("nat.conf");
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_NFTABLES);
  g_autofree char *create = hb_lvs_plan_nft_ruleset ("systole_lvs_web", want, FALSE);
  g_autofree char *replace = hb_lvs_plan_nft_ruleset ("systole_lvs_web", want, TRUE);
  const char *create_body = strstr (create, "table ip systole_lvs_web {");
  const char *replace_body = strstr (replace, "table ip systole_lvs_web {");

  assert_golden (create, "nat-create.nft");
  g_assert_true (g_str_has_prefix (create, "create table ip systole_lvs_web\n"));
  g_assert_null (strstr (create, "delete"));
  g_assert_nonnull (strstr (replace, "delete table ip systole_lvs_web\n"));
  g_assert_nonnull (create_body);
  g_assert_nonnull (replace_body);
  g_assert_cmpstr (create_body, ==, replace_body);
}

/* A failed real server is left out of the map, inhibit_on_failure or not. */
static void
test_nft_ruleset_down (void)
{
  g_autoptr (HbLvsConfig) c = load ("nat.conf");
  g_autoptr (GHashTable) down = down_set ("tcp 192.0.2.100:80 198.51.100.11:8080",
                                          "tcp 192.0.2.100:443 198.51.100.13:443", NULL);
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, down, HB_LVS_BACKEND_NFTABLES);
  g_autofree char *rules = hb_lvs_plan_nft_ruleset ("systole_lvs_web", want, TRUE);

  assert_golden (rules, "nat-down.nft");
}

/* nat.listing is what `nft list table ip systole_lvs_web` printed (nft 1.0.6)
 * after `nft -f nat.nft`: reading it back must match the configuration. */
static void
test_nft_listing_roundtrip (void)
{
  g_autoptr (HbLvsConfig) c = load ("nat.conf");
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_NFTABLES);
  g_autofree char *listing = read_data ("nat.listing");
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) have = hb_lvs_plan_nft_parse_listing (listing, &error);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_cmpuint (have->virtuals->len, ==, 4);
  g_assert_cmpint (hb_lvs_table_compare (want, have, problems), ==, HB_LVS_MATCH_ALL);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_nft_listing_degraded (void)
{
  g_autoptr (HbLvsConfig) c = load ("nat.conf");
  g_autoptr (GHashTable) down = down_set ("tcp 192.0.2.100:80 198.51.100.12:8080", NULL);
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, down, HB_LVS_BACKEND_NFTABLES);
  g_autofree char *listing = read_data ("nat.listing");
  g_autoptr (HbLvsTable) have = hb_lvs_plan_nft_parse_listing (listing, NULL);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (hb_lvs_table_compare (want, have, problems), ==, HB_LVS_MATCH_SOME);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "tcp 192.0.2.100:80: extra real server 198.51.100.12:8080 (not in the configuration)");
}

static void
test_nft_listing_bad (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) t = hb_lvs_plan_nft_parse_listing (
      "\t\tip daddr 192.0.2.1 tcp dport 80 dnat ip to numgen inc mod 2 map { 0 : bogus } "
      "comment \"systole-lvs rr\"\n", &error);

  g_assert_null (t);
  g_assert_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "nft listing line 1: unexpected map element ' 0 : bogus '");
}

/* Map elements the kernel never lists are errors, not strange weights: a
 * reversed range used to give weight 0 (or 2^32 - n), a port over 65535 was
 * cut to 16 bits (found by fuzz-lvsplan). */
static const struct
{
  const char *element;
  const char *message;
} bad_elements[] = {
  { "3-2 : 198.51.100.1 . 80", "nft listing line 1: bad map range 3-2" },
  { "0-4294967295 : 198.51.100.1 . 80", "nft listing line 1: bad map range 0-4294967295" },
  { "0 : 198.51.100.1 . 65616", "nft listing line 1: bad port 65616 in map element ' 0 : 198.51.100.1 . 65616 '" },
  { "0 : 198.51.100.1 . 0", "nft listing line 1: bad port 0 in map element ' 0 : 198.51.100.1 . 0 '" },
};

static void
test_nft_listing_bad_element (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autofree char *listing = g_strdup_printf (
      "\t\tip daddr 192.0.2.1 tcp dport 80 dnat ip to numgen inc mod 2 map { %s } comment \"systole-lvs rr\"\n",
      bad_elements[i].element);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) t = hb_lvs_plan_nft_parse_listing (listing, &error);

  g_assert_null (t);
  g_assert_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, bad_elements[i].message);
}

/* The service's port too: 65616 was read as 80. */
static void
test_nft_listing_bad_service_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) t = hb_lvs_plan_nft_parse_listing (
      "\t\tip daddr 192.0.2.1 tcp dport 65616 drop comment \"systole-lvs rr\"\n", &error);

  g_assert_null (t);
  g_assert_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "nft listing line 1: bad port 65616 of service 192.0.2.1");
}

/* ---- IPVS ------------------------------------------------------------------------ */

/* What start runs on an empty IPVS table: the seed's four services, no -C. */
static void
test_ipvs_start_stream (void)
{
  g_autoptr (HbLvsConfig) c = load ("seed.conf");
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_IPVS);
  g_autoptr (HbLvsTable) empty = hb_lvs_table_new ();
  g_autofree char *stream = hb_lvs_plan_ipvs_sync (want, empty);

  assert_golden (stream, "seed.ipvs");
  g_assert_null (strstr (stream, "-C"));
}

static void
test_ipvs_keepalived_stream (void)
{
  g_autoptr (HbLvsConfig) c = load ("keepalived.conf");
  g_autoptr (GHashTable) down = down_set ("tcp 192.0.2.100:80 198.51.100.11:8080",
                                          "tcp 192.0.2.100:80 198.51.100.12:8080", NULL);
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, down, HB_LVS_BACKEND_IPVS);
  g_autoptr (HbLvsTable) empty = hb_lvs_table_new ();
  g_autofree char *stream = hb_lvs_plan_ipvs_sync (want, empty);

  /* .11 is inhibited (weight 0), .12 is removed. */
  g_assert_cmpstr (stream, ==,
                   "-A -t 192.0.2.100:80 -s wrr -p 50\n"
                   "-a -t 192.0.2.100:80 -r 198.51.100.11:8080 -m -w 0\n"
                   "-A -u 192.0.2.100:53 -s sh\n"
                   "-a -u 192.0.2.100:53 -r 198.51.100.11:53 -g -w 1\n");
}

/* The kernel has some of it, wrong in places, plus someone else's service. */
static const char kernel_save[] =
  "-A -t 192.0.2.118:10101 -s rr\n"
  "-a -t 192.0.2.118:10101 -r 198.51.100.100:10101 -i -w 1\n"
  "-a -t 192.0.2.118:10101 -r 198.51.100.99:10101 -i -w 1\n"
  "-A -t 192.0.2.118:10201 -s wrr\n"
  "-a -t 192.0.2.118:10201 -r 198.51.100.101:10201 -i -w 9999\n"
  "-A -t 192.0.2.50:80 -s wlc -p 300 -M 255.255.255.255\n"
  "-a -t 192.0.2.50:80 -r 198.51.100.7:80 -m -w 1\n"
  "-A -f 7 -s rr\n"
  "-a -f 7 -r 198.51.100.8:0 -g -w 1\n";

static void
test_ipvs_sync_partial (void)
{
  g_autoptr (HbLvsConfig) c = load ("seed.conf");
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_IPVS);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) have = hb_lvs_plan_ipvs_parse_save (kernel_save, &error);
  g_autofree char *stream = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (have->virtuals->len, ==, 3); /* the fwmark service is not ours to read */
  stream = hb_lvs_plan_ipvs_sync (want, have);
  g_assert_cmpstr (stream, ==,
                   "-E -t 192.0.2.118:10101 -s wrr\n"
                   "-e -t 192.0.2.118:10101 -r 198.51.100.100:10101 -i -w 9999\n"
                   "-d -t 192.0.2.118:10101 -r 198.51.100.99:10101\n"
                   "-A -t 192.0.2.118:20101 -s wrr\n"
                   "-a -t 192.0.2.118:20101 -r 198.51.100.101:20101 -i -w 9999\n"
                   "-A -t 192.0.2.118:20201 -s wrr\n"
                   "-a -t 192.0.2.118:20201 -r 198.51.100.101:20201 -i -w 9999\n");
  g_assert_cmpint (hb_lvs_table_compare (want, have, problems), ==, HB_LVS_MATCH_SOME);
  g_ptr_array_add (problems, NULL);
  joined = g_strjoinv ("\n", (char **) problems->pdata);
  g_assert_cmpstr (joined, ==,
                   "tcp 192.0.2.118:10101: scheduler rr persistence 0, wanted wrr persistence 0\n"
                   "tcp 192.0.2.118:10101: real server 198.51.100.100:10101 has TUN weight 1, wanted TUN weight 9999\n"
                   "tcp 192.0.2.118:10101: extra real server 198.51.100.99:10101 (not in the configuration)\n"
                   "tcp 192.0.2.118:20101: virtual service missing\n"
                   "tcp 192.0.2.118:20201: virtual service missing");
}

/* Stop deletes only our services that exist; 192.0.2.50:80 stays. */
static void
test_ipvs_remove (void)
{
  g_autoptr (HbLvsConfig) c = load ("seed.conf");
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_IPVS);
  g_autoptr (HbLvsTable) have = hb_lvs_plan_ipvs_parse_save (kernel_save, NULL);
  g_autoptr (HbLvsTable) empty = hb_lvs_table_new ();
  g_autofree char *stream = hb_lvs_plan_ipvs_remove (want, have);
  g_autofree char *nothing = hb_lvs_plan_ipvs_remove (want, empty);

  g_assert_cmpstr (stream, ==, "-D -t 192.0.2.118:10101\n-D -t 192.0.2.118:10201\n");
  g_assert_cmpstr (nothing, ==, "");
}

/* After sync, the table matches and a second sync has nothing to do. */
static void
test_ipvs_in_sync (void)
{
  g_autoptr (HbLvsConfig) c = load ("seed.conf");
  g_autoptr (HbLvsTable) want = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_IPVS);
  g_autofree char *golden = read_data ("seed.ipvs");
  g_autoptr (HbLvsTable) have = hb_lvs_plan_ipvs_parse_save (golden, NULL);
  g_autoptr (HbLvsTable) empty = hb_lvs_table_new ();
  g_autofree char *stream = hb_lvs_plan_ipvs_sync (want, have);

  g_assert_cmpstr (stream, ==, "");
  g_assert_cmpint (hb_lvs_table_compare (want, have, NULL), ==, HB_LVS_MATCH_ALL);
  g_assert_cmpint (hb_lvs_table_compare (want, empty, NULL), ==, HB_LVS_MATCH_NONE);
}

/* A scheduler the kernel could not have (a control byte, a stray option)
 * is refused with its line: kept, it was written back into the commands and
 * read again differently (a trailing CR), so status never matched. Found by
 * fuzz-lvsplan. */
static void
test_ipvs_bad_scheduler (void)
{
  static const char *const bad[] = { "w\rr", "-A", "WRR", "wrr;", "abcdefghijklmnop" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("-A -t 192.0.2.1:80 -s rr\n-A -t 192.0.2.2:80 -s %s\n",
                                               bad[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (HbLvsTable) t = hb_lvs_plan_ipvs_parse_save (text, &error);

      g_assert_null (t);
      g_assert_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "ipvsadm -S line 2: bad scheduler name \""));
      g_assert_null (strchr (error->message, '\r'));
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *good = i == 0 ? "lblcr" : "mh";
      g_autofree char *text = g_strdup_printf ("-A -u 192.0.2.2:53 -s %s\n", good);
      g_autoptr (HbLvsTable) t = hb_lvs_plan_ipvs_parse_save (text, NULL);

      g_assert_nonnull (t);
    }
}

/* What an edited configuration no longer wants: here, everything but 10101. */
static void
test_table_minus (void)
{
  g_autoptr (HbLvsConfig) c = load ("seed.conf");
  g_autoptr (HbLvsTable) all = hb_lvs_plan_desired (c, NULL, HB_LVS_BACKEND_IPVS);
  g_autoptr (HbLvsTable) have = hb_lvs_plan_ipvs_parse_save (kernel_save, NULL);
  g_autoptr (HbLvsTable) one = hb_lvs_plan_ipvs_parse_save ("-A -t 192.0.2.118:10101 -s wrr\n", NULL);
  g_autoptr (HbLvsTable) stale = hb_lvs_table_minus (all, one);
  g_autofree char *stream = hb_lvs_plan_ipvs_remove (stale, have);

  g_assert_cmpuint (stale->virtuals->len, ==, 3);
  g_assert_cmpuint (((HbLvsVirtual *) g_ptr_array_index (stale->virtuals, 0))->dests->len, ==, 1);
  g_assert_cmpstr (stream, ==, "-D -t 192.0.2.118:10201\n");
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message;
} BadSave;

static const BadSave bad_saves[] = {
  { "not-a-command", "-X -t 192.0.2.1:80\n", "ipvsadm -S line 1: expected -A or -a: -X -t 192.0.2.1:80" },
  { "dangling-option", "\n-A -t 192.0.2.1:80 -s\n", "ipvsadm -S line 2: option -s without its value" },
  { "no-address", "-a -r 198.51.100.1:80 -m -w 1\n",
    "ipvsadm -S line 1: no service or real server address: -a -r 198.51.100.1:80 -m -w 1" },
};

static void
test_ipvs_bad_save (gconstpointer data)
{
  const BadSave *b = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) t = hb_lvs_plan_ipvs_parse_save (b->text, &error);

  g_assert_null (t);
  g_assert_error (error, HB_LVS_PLAN_ERROR, HB_LVS_PLAN_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, b->message);
}

/* ---- health ------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *results;   /* one char per check: + ok, - failed */
  const char *changes;   /* per check: . same, D went down, U went up */
  const guint *delays;   /* next delay after each check, ms */
} HealthCase;

static const guint delays_retry2[] = { 1000, 500, 500, 1000, 1000, 500, 1000 };
static const guint delays_flap[] = { 500, 1000, 500, 500, 1000, 500 };

/* retry 2, delay_before_retry 0.5 s, delay_loop 1 s */
static const HealthCase health_cases[] = {
  { "down-after-retries-then-up", "+---+-+", "...DU..", delays_retry2 },
  { "success-resets-count", "-+--+-", "......", delays_flap },
};

static void
test_health (gconstpointer data)
{
  const HealthCase *h = data;
  HbLvsCheck check = { .enabled = TRUE, .retry = 2, .delay_before_retry_ms = 500, .delay_loop_ms = 1000 };
  HbLvsHealth health = { .up = TRUE };

  for (guint i = 0; h->results[i] != '\0'; i++)
    {
      guint next = 0;
      HbLvsHealthChange ch = hb_lvs_health_record (&health, &check, h->results[i] == '+', &next);
      char got = ch == HB_LVS_HEALTH_WENT_DOWN ? 'D' : ch == HB_LVS_HEALTH_WENT_UP ? 'U' : '.';
      g_assert_cmpint (got, ==, h->changes[i]);
      g_assert_cmpuint (next, ==, h->delays[i]);
    }
}

static void
test_real_key (void)
{
  g_autoptr (HbLvsConfig) c = load ("nat.conf");
  const HbLvsService *s = g_ptr_array_index (c->services, 2);
  g_autofree char *key = hb_lvs_real_key (s, g_ptr_array_index (s->reals, 1));

  g_assert_cmpstr (key, ==, "udp 192.0.2.100:53 198.51.100.12:53");
}

/* An option given twice on a line: the last one counts, and the first value is
 * freed (the leak shows under the sanitizer build; found by fuzz-lvsplan). */
static void
test_ipvs_option_twice (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsTable) t = hb_lvs_plan_ipvs_parse_save (
      "-A -t 192.0.2.1:80 -t 192.0.2.2:81 -s rr -s wrr\n"
      "-a -t 192.0.2.2:81 -r 198.51.100.1:80 -r 198.51.100.2:8080 -m -w 2\n",
      &error);
  const HbLvsVirtual *v;
  const HbLvsDest *d;

  g_assert_no_error (error);
  g_assert_cmpuint (t->virtuals->len, ==, 1);
  v = g_ptr_array_index (t->virtuals, 0);
  g_assert_cmpstr (v->addr, ==, "192.0.2.2");
  g_assert_cmpuint (v->port, ==, 81);
  g_assert_cmpstr (v->sched, ==, "wrr");
  g_assert_cmpuint (v->dests->len, ==, 1);
  d = g_ptr_array_index (v->dests, 0);
  g_assert_cmpstr (d->addr, ==, "198.51.100.2");
  g_assert_cmpuint (d->port, ==, 8080);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lvs-plan/ipvs/bad-scheduler", test_ipvs_bad_scheduler);
  g_test_add_func ("/lvs-plan/nft/ruleset", test_nft_ruleset);
  g_test_add_func ("/lvs-plan/nft/ruleset-create", test_nft_ruleset_create);
  g_test_add_func ("/lvs-plan/nft/ruleset-down", test_nft_ruleset_down);
  g_test_add_func ("/lvs-plan/nft/listing-roundtrip", test_nft_listing_roundtrip);
  g_test_add_func ("/lvs-plan/nft/listing-degraded", test_nft_listing_degraded);
  g_test_add_func ("/lvs-plan/nft/listing-bad", test_nft_listing_bad);
  for (guint i = 0; i < G_N_ELEMENTS (bad_elements); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lvs-plan/nft/listing-bad-element/%u", i);
      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_nft_listing_bad_element);
    }
  g_test_add_func ("/lvs-plan/nft/listing-bad-service-port", test_nft_listing_bad_service_port);
  g_test_add_func ("/lvs-plan/ipvs/start-stream", test_ipvs_start_stream);
  g_test_add_func ("/lvs-plan/ipvs/keepalived-stream", test_ipvs_keepalived_stream);
  g_test_add_func ("/lvs-plan/ipvs/sync-partial", test_ipvs_sync_partial);
  g_test_add_func ("/lvs-plan/ipvs/remove", test_ipvs_remove);
  g_test_add_func ("/lvs-plan/ipvs/in-sync", test_ipvs_in_sync);
  g_test_add_func ("/lvs-plan/ipvs/table-minus", test_table_minus);
  g_test_add_func ("/lvs-plan/ipvs/option-twice", test_ipvs_option_twice);
  for (guint i = 0; i < G_N_ELEMENTS (bad_saves); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lvs-plan/ipvs/bad-save/%s", bad_saves[i].name);
      g_test_add_data_func (path, &bad_saves[i], test_ipvs_bad_save);
    }
  for (guint i = 0; i < G_N_ELEMENTS (health_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lvs-plan/health/%s", health_cases[i].name);
      g_test_add_data_func (path, &health_cases[i], test_health);
    }
  g_test_add_func ("/lvs-plan/real-key", test_real_key);
  return g_test_run ();
}
