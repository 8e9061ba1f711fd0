/* systole: the lvs.conf block walker and its diagnostics.
 *
 * A statement is a keyword plus the rest of its line (keepalived's rule), stopping
 * early at a brace; the keyword is looked up in the table of the block level it
 * stands in. Errors are collected and parsing goes on, so a user sees every
 * problem of the file in one run.
 */
#include "lvsconf-private.h"

#include "printable.h"

#include <string.h>

void
hb_lvs_conf_err (HbLvsConfParser *p, gint code, guint line, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;
  g_autofree char *full = NULL;
  g_autofree char *shown = NULL;

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
  /* Messages echo the file's words: shown escaped, one message per line. */
  full = g_strdup_printf ("%s:%u: %s", p->file, line, msg);
  shown = hb_printable (full);
  g_string_append (p->errors, shown);
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
  g_autofree char *full = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  full = g_strdup_printf ("%s:%u: warning: %s", p->file, line, msg);
  g_ptr_array_add (p->warnings, hb_printable (full));
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
  for (; table->name != NULL; table++)
    {
      if (strcmp (table->name, name) == 0)
        {
          return table;
        }
    }
  return NULL;
}

gboolean
hb_lvs_conf_expect_open (HbLvsConfParser *p, const char *kw, guint line)
{
  if (!hb_lvs_conf_next_is (p, "{"))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' must be followed by a '{' block", kw);
      return FALSE;
    }
  p->pos++;
  return TRUE;
}

/* A keyword LEVEL has no handler for: refused, ignored with a warning, or unknown.
 * Its arguments and any block are consumed. */
static void
unhandled_statement (HbLvsConfParser *p, const HbLvsConfLevel *level, const HbLvsConfToken *kw)
{
  const HbLvsConfRefusal *no = find_refusal (level->refused, kw->text);

  if (no != NULL)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_UNSUPPORTED, kw->line, "'%s' in %s is not supported: %s",
                       kw->text, level->what, no->why);
    }
  else if (g_strv_contains (level->ignored, kw->text))
    {
      hb_lvs_conf_warn (p, kw->line, "keepalived keyword '%s' in %s ignored (no effect here)",
                        kw->text, level->what);
    }
  else
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_UNKNOWN, kw->line, "unknown keyword '%s' in %s",
                       kw->text, level->what);
    }
  g_ptr_array_unref (hb_lvs_conf_take_args (p, kw->line));
  if (hb_lvs_conf_next_is (p, "{"))
    {
      hb_lvs_conf_skip_block (p);
    }
}

static void
statement (HbLvsConfParser *p, const HbLvsConfLevel *level, gpointer obj, const HbLvsConfToken *kw)
{
  const HbLvsConfKeyword *known = find_keyword (level->keywords, kw->text);
  g_autoptr (GPtrArray) args = NULL;

  if (known == NULL)
    {
      unhandled_statement (p, level, kw);
      return;
    }
  args = hb_lvs_conf_take_args (p, kw->line);
  known->fn (p, obj, kw->text, args, kw->line);
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
