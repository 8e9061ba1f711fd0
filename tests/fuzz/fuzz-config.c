/* libFuzzer target for ha.cf, authkeys and haresources, through the loader's
 * own entry hb_config_load_texts() (what hb_config_load() calls once it has
 * read the files). The input is the three files separated by lines "%%":
 *
 *   ha.cf text \n%%\n authkeys text \n%%\n haresources text
 *
 * A file left out is one that could not be read. The texts are handed over
 * as they lie in the input, unterminated, so an overread is a sanitizer
 * report. The local node is "alpha"; the host has eth0 192.0.2.1/24, eth1
 * 198.51.100.1/24, eth2 and eth3 in 203.0.113.0/24, and resolves host names
 * "peerN" to 192.0.2.N.
 * Properties:
 *   - a configuration comes back exactly when no error diagnostic was made,
 *     else the GError is the first error diagnostic;
 *   - every diagnostic starts with "FILE:LINE: " for one of the three files
 *     and a LINE that exists in it (0: the whole file), is printable (valid
 *     UTF-8, no control characters), and they come in file order (ha.cf,
 *     authkeys, haresources), then line order;
 *   - a key never shows: a word containing "SeCrEt" that stands only in key
 *     position of authkeys appears in no diagnostic and no dump;
 *   - a configuration's dump is itself an ha.cf that loads to the same dump.
 * Any violation aborts, so the fuzzer reports it like a crash.
 * Built only with ./configure --enable-fuzzing CC=clang; run by tests/fuzz/run-fuzz. */
#define _GNU_SOURCE /* memmem */
#include "fuzz-common.h"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define CONFDIR "/fuzz"
#define SEPARATOR "\n%%\n"
#define MARK "SeCrEt"

static const char *const paths[] = { CONFDIR "/ha.cf", CONFDIR "/authkeys", CONFDIR "/haresources" };

/* ---- the host ---------------------------------------------------------------------- */

static const HbConfigInterface interfaces[] = {
  { "eth0", "192.0.2.1", 24 },
  { "eth1", "198.51.100.1", 24 },
  { "eth2", "203.0.113.1", 25 },
  { "eth3", "203.0.113.129", 25 },
};

static char *
resolve (const char *host, gpointer user_data)
{
  guint64 n;

  (void) user_data;
  if (!g_str_has_prefix (host, "peer") || !g_ascii_string_to_unsigned (host + 4, 10, 1, 254, &n, NULL))
    {
      return NULL;
    }
  return g_strdup_printf ("192.0.2.%u", (guint) n);
}

static const HbConfigEnv env = {
  .interfaces = interfaces,
  .n_interfaces = G_N_ELEMENTS (interfaces),
  .default_udpport = 694,
  .resolve_ipv4 = resolve,
};

/* ---- the input ---------------------------------------------------------------------- */

static const char *
find (const char *hay, gsize hay_len, const char *needle)
{
  return memmem (hay, hay_len, needle, strlen (needle));
}

/* Cuts the input into up to three texts; the missing ones are unreadable. */
static void
split_input (const char *data, gsize size, HbConfigText text[3])
{
  const char *p = data;
  gsize left = size;

  for (guint i = 0; i < 3; i++)
    {
      const char *sep;
      gsize len;

      if (p == NULL)
        {
          text[i] = (HbConfigText) { .read_error = "No such file or directory" };
          continue;
        }
      sep = i < 2 ? find (p, left, SEPARATOR) : NULL;
      len = sep != NULL ? (gsize) (sep - p) : left;
      text[i] = (HbConfigText) { .contents = p, .len = len, .mode = 0100600 };
      p = sep != NULL ? sep + strlen (SEPARATOR) : NULL;
      left = sep != NULL ? left - len - strlen (SEPARATOR) : 0;
    }
}

/* memchr, not a loop of our own: the harness is instrumented too, and a
 * comparison per byte per diagnostic would be most of the time spent. */
static guint
count_lines (const HbConfigText *text)
{
  return fuzz_count_lines (text->contents, text->len);
}

/* ---- properties ------------------------------------------------------------------------ */

static void
check_diags (GPtrArray *diags, const HbConfigText text[3], const GError *error)
{
  const HbDiag *first_error = NULL;
  guint rank = 0;
  guint line = 0;
  guint lines[3];

  for (guint r = 0; r < 3; r++)
    {
      lines[r] = count_lines (&text[r]);
    }
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      g_autofree char *prefix = g_strdup_printf ("%s:%u: ", d->file, d->line);
      guint r = 0;

      while (r < 3 && strcmp (d->file, paths[r]) != 0)
        {
          r++;
        }
      require (r < 3);
      require (d->severity == HB_DIAG_ERROR || d->severity == HB_DIAG_WARNING);
      require (d->domain == HB_CONFIG_ERROR);
      require (d->line <= lines[r]);
      require (g_str_has_prefix (d->message, prefix) && d->message[strlen (prefix)] != '\0');
      require (fuzz_printable (d->message));
      require (r > rank || (r == rank && d->line >= line));
      rank = r;
      line = d->line;
      if (first_error == NULL && d->severity == HB_DIAG_ERROR)
        {
          first_error = d;
        }
    }
  require ((first_error != NULL) == (error != NULL));
  if (error != NULL)
    {
      require (error->domain == HB_CONFIG_ERROR && error->code == first_error->code);
      require (strcmp (error->message, first_error->message) == 0);
    }
}

/* Does MARK stand only in key position of authkeys ("N METHOD KEY ..."), and
 * nowhere else? Heartbeat's reading of the file (docs/PROTOCOL.md, "authkeys"):
 * leading " \t\r\f", '#' comments, words split on any isspace() byte. */
static gboolean
mark_only_in_keys (const HbConfigText text[3])
{
  g_autofree char *authkeys = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean seen = FALSE;

  for (guint i = 0; i < 3; i += 2)
    {
      if (text[i].contents != NULL && find (text[i].contents, text[i].len, MARK) != NULL)
        {
          return FALSE;
        }
    }
  if (text[1].contents == NULL || memchr (text[1].contents, '\0', text[1].len) != NULL)
    {
      return FALSE;
    }
  authkeys = g_strndup (text[1].contents, text[1].len);
  lines = g_strsplit (authkeys, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      const char *lead = *l + strspn (*l, " \t\r\f");
      g_auto (GStrv) parts = g_strsplit_set (lead, " \t\v\f\r", -1);
      g_autoptr (GPtrArray) words = g_ptr_array_new ();

      if (*lead == '#' || strstr (lead, MARK) == NULL)
        {
          continue;
        }
      for (char **w = parts; *w != NULL; w++)
        {
          if (**w != '\0')
            {
              g_ptr_array_add (words, *w);
            }
        }
      /* `auth` lines are echoed whole; a key line's index and method too. */
      for (guint i = 0; i < words->len; i++)
        {
          const char *w = g_ptr_array_index (words, i);

          if (strstr (w, MARK) != NULL
              && (i < 2 || strcmp (g_ptr_array_index (words, 0), "auth") == 0))
            {
              return FALSE;
            }
        }
      seen = TRUE;
    }
  return seen;
}

static void
check_no_mark (GPtrArray *diags, const char *dump)
{
  for (guint i = 0; i < diags->len; i++)
    {
      require (strstr (((const HbDiag *) g_ptr_array_index (diags, i))->message, MARK) == NULL);
    }
  require (dump == NULL || strstr (dump, MARK) == NULL);
}

/* The dump without what legitimately differs on reloading it: the host name
 * a ucast peer was written as (" # name" after the address). */
static char *
normalized (const char *dump)
{
  g_auto (GStrv) lines = g_strsplit (dump, "\n", -1);

  for (char **l = lines; *l != NULL; l++)
    {
      char *comment = g_str_has_prefix (*l, "ucast ") ? strstr (*l, " # ") : NULL;

      if (comment != NULL)
        {
          *comment = '\0';
        }
    }
  return g_strjoinv ("\n", lines);
}

static void
check_dump_reloads (const char *dump, const HbConfigText text[3])
{
  HbConfigPaths p = { .confdir = CONFDIR };
  HbConfigTexts again = { .authkeys = text[1], .haresources = text[2] };
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) config = NULL;
  g_autofree char *dump2 = NULL;
  g_autofree char *want = normalized (dump);

  again.hacf = (HbConfigText) { .contents = dump, .len = strlen (dump), .mode = 0100644 };
  config = hb_config_load_texts (&p, &again, "alpha", &env, NULL, &error);
  require (config != NULL && error == NULL);
  dump2 = hb_config_dump (config);
  require (strcmp (want, dump2) == 0);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  HbConfigPaths p = { .confdir = CONFDIR };
  HbConfigText text[3];
  HbConfigTexts texts;
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) config = NULL;
  g_autofree char *dump = NULL;

  split_input ((const char *) data, size, text);
  texts = (HbConfigTexts) { .hacf = text[0], .authkeys = text[1], .haresources = text[2] };
  config = hb_config_load_texts (&p, &texts, "alpha", &env, diags, &error);
  require ((config == NULL) == (error != NULL));
  check_diags (diags, text, error);
  if (config != NULL)
    {
      dump = hb_config_dump (config);
    }
  if (mark_only_in_keys (text))
    {
      check_no_mark (diags, dump);
    }
  if (config != NULL)
    {
      check_dump_reloads (dump, text);
    }
  return 0;
}
