/* What every libFuzzer target of tests/fuzz/ shares: a failed property
 * aborts (libFuzzer reports it like a crash, with the input), and the
 * helpers the properties about messages need. Header-only: each target is
 * one program. */
#pragma once

#include <glib.h>
#include <stdlib.h>
#include <string.h>

static inline void
require (gboolean condition)
{
  if (!condition)
    {
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
