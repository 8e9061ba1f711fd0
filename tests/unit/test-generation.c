/* Unit tests for lib/generation (docs/PROTOCOL.md, "Generations"). */
#include "generation.h"

#include <string.h>

typedef struct
{
  const char *text;
  gboolean ok;
  guint32 value;
  gint code;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "     1432334411\n", TRUE, 1432334411, 0 },
  { "7", TRUE, 7, 0 },
  { "  42  \n\n", TRUE, 42, 0 },
  { "4294967295\n", TRUE, G_MAXUINT32, 0 },
  { "4294967296\n", FALSE, 0, HB_GENERATION_ERROR_RANGE },
  { "99999999999999999999999\n", FALSE, 0, HB_GENERATION_ERROR_RANGE },
  { "", FALSE, 0, HB_GENERATION_ERROR_EMPTY },
  { "   \n", FALSE, 0, HB_GENERATION_ERROR_EMPTY },
  { "-5\n", FALSE, 0, HB_GENERATION_ERROR_SYNTAX },
  { "12abc\n", FALSE, 0, HB_GENERATION_ERROR_SYNTAX },
  { "12 13\n", FALSE, 0, HB_GENERATION_ERROR_SYNTAX },
  { "0x10\n", FALSE, 0, HB_GENERATION_ERROR_SYNTAX },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr (GError) error = NULL;
  guint32 value = 12345;
  gboolean ok = hb_generation_parse (c->text, strlen (c->text), &value, &error);

  g_assert_cmpint (ok, ==, c->ok);
  if (c->ok)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (value, ==, c->value);
    }
  else
    {
      g_assert_error (error, HB_GENERATION_ERROR, c->code);
      g_assert_cmpuint (value, ==, 12345);
    }
}

static void
test_parse_not_terminated (void)
{
  /* The buffer is not NUL-terminated: the parser must stop at len. */
  const char buf[] = { '1', '2', '3', '4' };
  guint32 value = 0;

  g_assert_true (hb_generation_parse (buf, 2, &value, NULL));
  g_assert_cmpuint (value, ==, 12);
}

static void
test_format (void)
{
  g_autofree char *rec = hb_generation_format (1432334411);
  g_autofree char *one = hb_generation_format (1);
  g_autofree char *max = hb_generation_format (G_MAXUINT32);
  guint32 back = 0;

  g_assert_cmpstr (rec, ==, "     1432334411\n");
  g_assert_cmpuint (strlen (rec), ==, HB_GENERATION_RECORD_LEN);
  g_assert_cmpstr (one, ==, "              1\n");
  g_assert_cmpuint (strlen (max), ==, HB_GENERATION_RECORD_LEN);
  g_assert_true (hb_generation_parse (max, strlen (max), &back, NULL));
  g_assert_cmpuint (back, ==, G_MAXUINT32);
}

static void
test_next (void)
{
  g_assert_cmpuint (hb_generation_next (TRUE, 4, 999), ==, 5);
  g_assert_cmpuint (hb_generation_next (FALSE, 4, 1795367308), ==, 1795367309);
  g_assert_cmpuint (hb_generation_next (TRUE, G_MAXUINT32, 0), ==, 1);
  g_assert_cmpuint (hb_generation_next (FALSE, 0, -5), ==, 1);
  g_assert_cmpuint (hb_generation_next (FALSE, 0, G_MAXINT64), ==, G_MAXUINT32);
}

static void
test_peers_parse (void)
{
  static const char text[] = "ld2 1764000123\n"
                             "\n"
                             "  LD3\t42  \n"
                             "ld4\n"
                             "ld5 12 13\n"
                             "ld6 0\n"
                             "ld7 4294967296\n"
                             "ld2 17\n"
                             "ld8 x9";
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) t = hb_peer_generations_parse (text, sizeof text - 1, problems);

  g_assert_cmpuint (g_hash_table_size (t), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (t, "ld2")), ==, 1764000123);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (t, "ld3")), ==, 42);
  g_assert_cmpuint (problems->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==, "line 4: expected NODE GENERATION");
  g_assert_cmpstr (g_ptr_array_index (problems, 1), ==, "line 5: more than two fields");
  g_assert_cmpstr (g_ptr_array_index (problems, 2), ==,
                   "line 6: the generation is not a number from 1 to 4294967295");
  g_assert_cmpstr (g_ptr_array_index (problems, 4), ==,
                   "line 9: the generation is not a number from 1 to 4294967295");
}

static void
test_peers_round_trip (void)
{
  g_autoptr (GHashTable) t = hb_peer_generations_parse ("b 2\na 4294967295\n", 18, NULL);
  g_autofree char *text = hb_peer_generations_format (t);
  g_autoptr (GHashTable) back = hb_peer_generations_parse (text, strlen (text), NULL);
  g_autofree char *again = hb_peer_generations_format (back);

  g_assert_cmpstr (text, ==, "a 4294967295\nb 2\n");
  g_assert_cmpstr (again, ==, text);
  /* a torn write: what follows the NUL is lost, the rest is read */
  g_clear_pointer (&back, g_hash_table_unref);
  back = hb_peer_generations_parse ("a 5\n\0b 7\n", 10, NULL);
  g_assert_cmpuint (g_hash_table_size (back), ==, 1);
  g_clear_pointer (&back, g_hash_table_unref);
  back = hb_peer_generations_parse (NULL, 0, NULL);
  g_assert_cmpuint (g_hash_table_size (back), ==, 0);
}

/* What a start makes of the file: missing, good, or damaged by a crash. */
static void
test_recover (void)
{
  static const struct
  {
    const char *text; /* NULL: no file */
    guint32 expected;
    gboolean seeded;
    gint problem;     /* -1: none */
  } cases[] = {
    { NULL, 1700000001, TRUE, -1 },
    { "     1432334411\n", 1432334412, FALSE, -1 },
    { "", 1700000001, TRUE, HB_GENERATION_ERROR_EMPTY },
    { "\n", 1700000001, TRUE, HB_GENERATION_ERROR_EMPTY },
    { "\x01\xffgarbage", 1700000001, TRUE, HB_GENERATION_ERROR_SYNTAX },
    { "     14323", 14324, FALSE, -1 }, /* a cut record that still parses */
    { "99999999999", 1700000001, TRUE, HB_GENERATION_ERROR_RANGE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) problem = NULL;
      gboolean seeded = !cases[i].seeded;
      const char *text = cases[i].text;
      guint32 gen = hb_generation_recover (text, text != NULL ? strlen (text) : 0, 1700000000, &seeded,
                                           &problem);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpuint (gen, ==, cases[i].expected);
      g_assert_cmpint (seeded, ==, cases[i].seeded);
      if (cases[i].problem < 0)
        {
          g_assert_no_error (problem);
        }
      else
        {
          g_assert_error (problem, HB_GENERATION_ERROR, cases[i].problem);
        }
    }
  /* The problem is optional. */
  gboolean seeded = FALSE;
  g_assert_cmpuint (hb_generation_recover ("x", 1, 5, &seeded, NULL), ==, 6);
  g_assert_true (seeded);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/generation/parse/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (name, &parse_cases[i], test_parse);
    }
  g_test_add_func ("/generation/parse/not-terminated", test_parse_not_terminated);
  g_test_add_func ("/generation/format", test_format);
  g_test_add_func ("/generation/next", test_next);
  g_test_add_func ("/generation/peers/parse", test_peers_parse);
  g_test_add_func ("/generation/peers/round-trip", test_peers_round_trip);
  g_test_add_func ("/generation/recover", test_recover);
  return g_test_run ();
}
