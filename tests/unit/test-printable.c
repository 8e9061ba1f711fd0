/* Unit tests for lib/printable: what diagnostics make of the bytes they echo. */
#include "printable.h"

typedef struct
{
  const char *name;
  const char *in;
  const char *out;
} Case;

static const Case cases[] = {
  { "plain", "Illegal directive [foo]", "Illegal directive [foo]" },
  { "empty", "", "" },
  { "c0", "a\tb\nc\x1b[2J\x7f", "a\\x09b\\x0ac\\x1b[2J\\x7f" },
  { "utf8-kept", "n\xc5\x93ud \xe2\x82\xac", "n\xc5\x93ud \xe2\x82\xac" },
  { "c1-csi", "x\xc2\x9b" "31m", "x\\xc2\\x9b31m" },
  { "bad-bytes", "\xff\xfe" "a", "\\xff\\xfea" },
  { "truncated", "ok\xc3", "ok\\xc3" },
  { "overlong", "\xc0\xaf", "\\xc0\\xaf" },
  { "surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80" },
  { "backslash-kept", "a\\x41", "a\\x41" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *got = hb_printable (c->in);

  g_assert_cmpstr (got, ==, c->out);
  g_assert_true (g_utf8_validate (got, -1, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/printable/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  return g_test_run ();
}
