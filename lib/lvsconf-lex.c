/* systole: lvs.conf tokens. A token is a word or a brace with its line number;
 * braces are tokens even when glued to a word ("80{"), and comments run from `#`
 * or `!` to the end of the line, as in keepalived.conf(5). A token is never
 * empty. */
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

/* The one definition of a blank: keepalived's set (lib/parser.c WHITE_SPACE:
 * space, \t, \f, \n, \r, \v), so a file means here what it means there.
 * Every other byte, control bytes and bytes >= 0x80 included, is part of a
 * word, as in keepalived; whatever reads the word then refuses it. */
static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static gboolean
is_comment_sign (char c)
{
  return c == '#' || c == '!';
}

static gboolean
is_brace (char c)
{
  return c == '{' || c == '}';
}

/* The length of the token at S, which is neither the end, a blank nor a comment
 * sign: at least 1, so the lexer always moves on. */
static gsize
token_len (const char *s)
{
  gsize len = 1;

  if (is_brace (*s))
    {
      return 1;
    }
  while (s[len] != '\0' && !is_blank (s[len]) && !is_comment_sign (s[len]) && !is_brace (s[len]))
    {
      len++;
    }
  return len;
}

GPtrArray *
hb_lvs_conf_lex (const char *text)
{
  GPtrArray *toks = g_ptr_array_new_with_free_func (token_free);
  guint line = 1;
  const char *s = text;

  /* Each branch consumes at least one byte. */
  while (*s != '\0')
    {
      if (is_blank (*s))
        {
          line += *s == '\n';
          s++;
        }
      else if (is_comment_sign (*s))
        {
          s += strcspn (s, "\n"); /* stops at the '\n', which counts the line */
        }
      else
        {
          gsize len = token_len (s);

          push_token (toks, s, len, line);
          s += len;
        }
    }
  return toks;
}

HbLvsConfToken *
hb_lvs_conf_peek (HbLvsConfParser *p)
{
  return p->pos < p->toks->len ? g_ptr_array_index (p->toks, p->pos) : NULL;
}

gboolean
hb_lvs_conf_next_is (HbLvsConfParser *p, const char *text)
{
  HbLvsConfToken *t = hb_lvs_conf_peek (p);
  return t != NULL && strcmp (t->text, text) == 0;
}

static gboolean
is_brace_token (const HbLvsConfToken *t)
{
  return strcmp (t->text, "{") == 0 || strcmp (t->text, "}") == 0;
}

GPtrArray *
hb_lvs_conf_take_args (HbLvsConfParser *p, guint line)
{
  GPtrArray *args = g_ptr_array_new ();
  HbLvsConfToken *t;

  while ((t = hb_lvs_conf_peek (p)) != NULL && t->line == line && !is_brace_token (t))
    {
      g_ptr_array_add (args, t->text);
      p->pos++;
    }
  return args;
}

void
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
          return;
        }
    }
}
