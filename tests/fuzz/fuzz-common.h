/* What every libFuzzer target of tests/fuzz/ shares: a failed property
 * aborts (libFuzzer reports it like a crash, with the input), and the
 * helpers the properties about messages need. Header-only: each target is
 * one program. */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* require (CONDITION): a failed property says which one before the abort,
 * so a finding names its line without a debugger. */
#define require(condition) fuzz_require ((condition), #condition, __FILE__, __LINE__)

static inline void
fuzz_require (gboolean condition, const char *text, const char *file, int line)
{
  if (!condition)
    {
      fprintf (stderr, "%s:%d: property failed: %s\n", file, line, text);
      abort ();
    }
}

/* Lines of LEN bytes of TEXT (1 + its newlines); memchr, not a loop of our
 * own: the harness is instrumented too. */
static inline guint
fuzz_count_lines (const char *text, gsize len)
{
  const char *end = text != NULL ? text + len : NULL;
  guint lines = 1;

  while (text != NULL && text < end && (text = memchr (text, '\n', (gsize) (end - text))) != NULL)
    {
      lines++;
      text++;
    }
  return lines;
}

/* Valid UTF-8 without control characters. */
static inline gboolean
fuzz_printable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          return FALSE;
        }
    }
  return TRUE;
}
