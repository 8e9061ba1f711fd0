/* systole: the lvs.conf block walker and its diagnostics.
 *
 * A statement is a keyword plus the rest of its line (keepalived's rule), stopping
 * early at a brace; the keyword is looked up in the table of the block level it
 * stands in. Errors are collected and parsing goes on, so a user sees every
 * problem of the file in one run (STYLE §3).
 */
#include "lvsconf-private.h"

#include <string.h>

void
hb_lvs_conf_err (HbLvsConfParser *p, gint code, guint line, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (p->n_errors++ == 0)
    {
      p->first_code = code;
    }
  else
    {
      g_string_append_c (p->errors, '\n');
    }
  g_string_append_printf (p->errors, "%s:%u: %s", p->file, line, msg);
}

void
hb_lvs_conf_warn (HbLvsConfParser *p, guint line, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  if (p->warnings == NULL)
    {
      return;
    }
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_ptr_array_add (p->warnings, g_strdup_printf ("%s:%u: warning: %s", p->file, line, msg));
}

static const HbLvsConfKeyword *
find_keyword (const HbLvsConfKeyword *table, const char *name)
{
  for (; table->name != NULL; table++)
    {
      if (strcmp (table->name, name) == 0)
        {
          return table;
        }
    }
  return NULL;
}

static const HbLvsConfRefusal *
find_refusal (const HbLvsConfRefusal *table, const char *name)
{
  for (; table != NULL && table->name != NULL; table++)
    {
      if (strcmp (table->name, name) == 0)
        {
          return table;
        }
    }
  return NULL;
}

gboolean
hb_lvs_conf_in_list (const char *const *list, const char *name)
{
  for (; list != NULL && *list != NULL; list++)
    {
      if (strcmp (*list, name) == 0)
        {
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
hb_lvs_conf_expect_open (HbLvsConfParser *p, const char *kw, guint line)
{
  HbLvsConfToken *t = hb_lvs_conf_peek (p);

  if (t == NULL || strcmp (t->text, "{") != 0)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' must be followed by a '{' block", kw);
      return FALSE;
    }
  p->pos++;
  return TRUE;
}

/* An ignored or refused keyword: consume its arguments and any block. */
static void
skip_statement (HbLvsConfParser *p, guint line)
{
  HbLvsConfToken *t;

  g_ptr_array_unref (hb_lvs_conf_take_args (p, line));
  t = hb_lvs_conf_peek (p);
  if (t != NULL && strcmp (t->text, "{") == 0)
    {
      hb_lvs_conf_skip_block (p);
    }
}

static void
statement (HbLvsConfParser *p, const HbLvsConfLevel *level, gpointer obj, HbLvsConfToken *kwtok)
{
  const HbLvsConfKeyword *kw = find_keyword (level->keywords, kwtok->text);
  const HbLvsConfRefusal *no;
  g_autoptr (GPtrArray) args = NULL;

  if (kw == NULL)
    {
      if ((no = find_refusal (level->refused, kwtok->text)) != NULL)
        {
          hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_UNSUPPORTED, kwtok->line,
                           "'%s' in %s is not supported: %s", kwtok->text, level->what, no->why);
        }
      else if (hb_lvs_conf_in_list (level->ignored, kwtok->text))
        {
          hb_lvs_conf_warn (p, kwtok->line, "keepalived keyword '%s' in %s ignored (no effect here)",
                            kwtok->text, level->what);
        }
      else
        {
          hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_UNKNOWN, kwtok->line, "unknown keyword '%s' in %s",
                           kwtok->text, level->what);
        }
      skip_statement (p, kwtok->line);
      return;
    }
  args = hb_lvs_conf_take_args (p, kwtok->line);
  kw->fn (p, obj, kwtok->text, args, kwtok->line);
}

void
hb_lvs_conf_block (HbLvsConfParser *p, const HbLvsConfLevel *level, gpointer obj, gboolean top,
                   guint open_line)
{
  HbLvsConfToken *t;

  while ((t = hb_lvs_conf_peek (p)) != NULL)
    {
      p->pos++;
      if (strcmp (t->text, "}") == 0)
        {
          if (!top)
            {
              return;
            }
          hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, t->line, "'}' without a matching '{'");
        }
      else if (strcmp (t->text, "{") == 0)
        {
          hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, t->line, "'{' without a keyword before it");
          p->pos--;
          hb_lvs_conf_skip_block (p);
        }
      else
        {
          statement (p, level, obj, t);
        }
    }
  if (!top)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, open_line,
                       "%s block opened here is not closed (missing '}')", level->what);
    }
}
