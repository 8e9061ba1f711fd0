/* systole: the generation number file. Facts: docs/PROTOCOL.md, "Generations". */
#include "generation.h"

#include <string.h>

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

/* ---- the peers' generations ---------------------------------------------------------- */

static gboolean
parse_peer_line (const char *line, char **node_out, guint32 *gen_out, const char **why)
{
  g_auto (GStrv) words = g_strsplit_set (line, " \t", -1);
  const char *fields[2] = { NULL, NULL };
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        {
          continue;
        }
      if (n == 2)
        {
          *why = "more than two fields";
          return FALSE;
        }
      fields[n++] = words[i];
    }
  if (n != 2)
    {
      *why = "expected NODE GENERATION";
      return FALSE;
    }
  if (!hb_generation_parse (fields[1], strlen (fields[1]), gen_out, NULL) || *gen_out == 0)
    {
      *why = "the generation is not a number from 1 to 4294967295";
      return FALSE;
    }
  *node_out = g_ascii_strdown (fields[0], -1);
  return TRUE;
}

GHashTable *
hb_peer_generations_parse (const char *text, gsize len, GPtrArray *problems)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* A NUL byte (a torn write) ends the readable part. */
  g_autofree char *copy = g_strndup (text != NULL ? text : "", text != NULL ? len : 0);
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *node = NULL;
      guint32 gen = 0;
      const char *why = NULL;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        {
          continue;
        }
      if (!parse_peer_line (lines[i], &node, &gen, &why))
        {
          if (problems != NULL)
            {
              g_ptr_array_add (problems, g_strdup_printf ("line %u: %s", i + 1,
                                                          why != NULL ? why : "unreadable"));
            }
          continue;
        }
      if (GPOINTER_TO_UINT (g_hash_table_lookup (table, node)) < gen)
        {
          g_hash_table_replace (table, node, GUINT_TO_POINTER (gen));
        }
      else
        {
          g_free (node);
        }
    }
  return table;
}

char *
hb_peer_generations_format (GHashTable *table)
{
  g_autoptr (GList) nodes = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) strcmp);
  GString *out = g_string_new (NULL);

  for (GList *l = nodes; l != NULL; l = l->next)
    {
      g_string_append_printf (out, "%s %u\n", (const char *) l->data,
                              GPOINTER_TO_UINT (g_hash_table_lookup (table, l->data)));
    }
  return g_string_free (out, FALSE);
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
