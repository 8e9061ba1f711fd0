/* systole: the generation number file. Facts: HEARTBEAT-REFERENCE §1.9. */
#include "generation.h"

G_DEFINE_QUARK (hb-generation-error-quark, hb_generation_error)

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

gboolean
hb_generation_parse (const char *text, gsize len, guint32 *gen_out, GError **error)
{
  gsize i = 0;
  guint64 value = 0;
  gsize digits = 0;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  while (i < len && is_blank (text[i]))
    {
      i++;
    }
  for (; i < len && g_ascii_isdigit (text[i]); i++, digits++)
    {
      value = value * 10 + (guint64) (text[i] - '0');
      if (value > G_MAXUINT32)
        {
          g_set_error (error, HB_GENERATION_ERROR, HB_GENERATION_ERROR_RANGE,
                       "generation number exceeds %u", G_MAXUINT32);
          return FALSE;
        }
    }
  if (digits == 0)
    {
      g_set_error_literal (error, HB_GENERATION_ERROR,
                           i == len ? HB_GENERATION_ERROR_EMPTY : HB_GENERATION_ERROR_SYNTAX,
                           i == len ? "generation file is empty" : "generation is not a decimal number");
      return FALSE;
    }
  while (i < len && is_blank (text[i]))
    {
      i++;
    }
  if (i != len)
    {
      g_set_error (error, HB_GENERATION_ERROR, HB_GENERATION_ERROR_SYNTAX,
                   "unexpected character at offset %" G_GSIZE_FORMAT " in generation file", i);
      return FALSE;
    }
  *gen_out = (guint32) value;
  return TRUE;
}

char *
hb_generation_format (guint32 gen)
{
  return g_strdup_printf ("%15u\n", gen);
}

guint32
hb_generation_next (gboolean have_previous, guint32 previous, gint64 now_s)
{
  guint32 base = have_previous ? previous : (guint32) CLAMP (now_s, 0, G_MAXUINT32 - 1);

  return base == G_MAXUINT32 ? 1 : base + 1;
}

guint32
hb_generation_recover (const char *text, gsize len, gint64 now_s, gboolean *seeded_out,
                       GError **problem)
{
  guint32 previous = 0;
  gboolean have = text != NULL && hb_generation_parse (text, len, &previous, problem);

  *seeded_out = !have;
  return hb_generation_next (have, previous, now_s);
}
