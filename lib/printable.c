/* systole: hb_printable(); see printable.h. */
#include "printable.h"

#include <string.h>

static void
append_hex (GString *out, const guchar *p, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_string_append_printf (out, "\\x%02x", p[i]);
    }
}

char *
hb_printable (const char *text)
{
  gsize len = strlen (text);
  const char *stop = text + len;
  GString *out = g_string_sized_new (len);
  const char *p = text;

  while (p < stop)
    {
      const char *end = NULL;
      gunichar c;

      /* One character at a time: the next valid UTF-8 sequence, or one bad byte. */
      if (!g_utf8_validate (p, MIN (stop - p, 4), &end) && end == p)
        {
          append_hex (out, (const guchar *) p, 1);
          p++;
          continue;
        }
      c = g_utf8_get_char (p);
      end = g_utf8_next_char (p);
      if (g_unichar_iscntrl (c))
        {
          append_hex (out, (const guchar *) p, (gsize) (end - p));
        }
      else
        {
          g_string_append_len (out, p, end - p);
        }
      p = end;
    }
  return g_string_free (out, FALSE);
}
