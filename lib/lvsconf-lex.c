/* systole: lvs.conf tokens. A token is a word or a brace with its line number;
 * braces are tokens even when glued to a word ("80{"), and comments run from `#`
 * or `!` to the end of the line, as in keepalived.conf(5). */
#include "lvsconf-private.h"

#include <string.h>

static void
token_free (gpointer data)
{
  HbLvsConfToken *t = data;
  g_free (t->text);
  g_free (t);
}

static void
push_token (GPtrArray *toks, const char *start, gsize len, guint line)
{
  HbLvsConfToken *t = g_new0 (HbLvsConfToken, 1);
  t->text = g_strndup (start, len);
  t->line = line;
  g_ptr_array_add (toks, t);
}

GPtrArray *
hb_lvs_conf_lex (const char *text)
{
  GPtrArray *toks = g_ptr_array_new_with_free_func (token_free);
  guint line = 1;
  const char *s = text;

  while (*s != '\0')
    {
      if (*s == '\n')
        {
          line++;
          s++;
        }
      else if (g_ascii_isspace (*s))
        {
          s++;
        }
      else if (*s == '#' || *s == '!')
        {
          while (*s != '\0' && *s != '\n')
            {
              s++;
            }
        }
      else if (*s == '{' || *s == '}')
        {
          push_token (toks, s++, 1, line);
        }
      else
        {
          const char *start = s;
          while (*s != '\0' && !g_ascii_isspace (*s) && strchr ("{}#!", *s) == NULL)
            {
              s++;
            }
          push_token (toks, start, s - start, line);
        }
    }
  return toks;
}

HbLvsConfToken *
hb_lvs_conf_peek (HbLvsConfParser *p)
{
  return p->pos < p->toks->len ? g_ptr_array_index (p->toks, p->pos) : NULL;
}

static gboolean
is_brace (const HbLvsConfToken *t)
{
  return t != NULL && (strcmp (t->text, "{") == 0 || strcmp (t->text, "}") == 0);
}

GPtrArray *
hb_lvs_conf_take_args (HbLvsConfParser *p, guint line)
{
  GPtrArray *args = g_ptr_array_new ();
  HbLvsConfToken *t;

  while ((t = hb_lvs_conf_peek (p)) != NULL && t->line == line && !is_brace (t))
    {
      g_ptr_array_add (args, t->text);
      p->pos++;
    }
  return args;
}

gboolean
hb_lvs_conf_skip_block (HbLvsConfParser *p)
{
  guint depth = 0;
  HbLvsConfToken *t;

  while ((t = hb_lvs_conf_peek (p)) != NULL)
    {
      p->pos++;
      if (strcmp (t->text, "{") == 0)
        {
          depth++;
        }
      else if (strcmp (t->text, "}") == 0 && --depth == 0)
        {
          return TRUE;
        }
    }
  return FALSE;
}
