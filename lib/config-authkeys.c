/* systole: authkeys parser (docs/PROTOCOL.md, "authkeys").
 *
 * Messages keep Heartbeat's wording (users search for it) behind our
 * "file:line:" prefix. Keys are never echoed. Unlike Heartbeat, `auth N`
 * may follow the line that defines key N. */
#include "config-private.h"

#include <string.h>
#include <sys/stat.h>

static const char *
hb_authkeys_file (HbConfigBuilder *b)
{
  return b->authkeys_path;
}

static gboolean
hb_authkeys_index (HbConfigBuilder *b, const char *text, guint line, guint *index_out)
{
  guint64 index;
  const char *digits = text[0] == '-' ? text + 1 : text;

  /* Not a number at all: the line is not a key line (HB3 auth.c). */
  if (!g_ascii_isdigit (digits[0]))
    {
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                     "Auth line [%s ...] is invalid: expected auth N or N METHOD [KEY]", text);
      return FALSE;
    }

  if (!hb_parse_uint (text, 0, HB_AUTH_MAX_KEYS - 1, &index))
    {
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                     "Invalid authnum [%s]: expected 0-%d", text, HB_AUTH_MAX_KEYS - 1);
      return FALSE;
    }
  *index_out = (guint) index;
  return TRUE;
}

static void
hb_authkeys_auth (HbConfigBuilder *b, char **words, guint line)
{
  guint index;

  if (g_strv_length (words) < 2 || !g_ascii_isdigit (words[1][words[1][0] == '-']))
    {
      /* Only the word in N's place is shown: a line like "auth sha1 KEY"
       * holds a key after it. */
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                     "Invalid auth line [auth%s%s%s]: expected auth N", words[1] != NULL ? " " : "",
                     words[1] != NULL ? words[1] : "", words[1] != NULL && words[2] != NULL ? " ..." : "");
      return;
    }
  /* Heartbeat reads "auth %d" and ignores the rest: so do we, aloud. */
  if (g_strv_length (words) > 2)
    {
      hb_config_warn (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                      "text after [auth %s] is ignored", words[1]);
    }
  if (!hb_authkeys_index (b, words[1], line, &index))
    {
      return;
    }
  if (b->auth_line != 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_DUPLICATE, hb_authkeys_file (b), line,
                     "duplicate auth directive [auth %s]: already given on line %u", words[1],
                     b->auth_line);
      return;
    }
  b->config->auth_active = index;
  b->auth_line = line;
}

static gboolean
hb_authkeys_method (HbConfigBuilder *b, const char *text, guint line, HbAuthMethod *out)
{
  static const HbAuthMethod methods[] = { HB_AUTH_CRC, HB_AUTH_MD5, HB_AUTH_SHA1 };

  for (gsize i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      if (strcmp (text, hb_auth_method_to_string (methods[i])) == 0)
        {
          *out = methods[i];
          return TRUE;
        }
    }
  hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                 "Invalid authtype [%s]: expected crc, md5 or sha1", text);
  return FALSE;
}

/* The key part of "N method [key]" (HB3 auth.c rules). */
static gboolean
hb_authkeys_check_key (HbConfigBuilder *b, char **words, guint n, HbAuthMethod method, guint line)
{
  if (n > 3)
    {
      /* Heartbeat's key is the first word only (sscanf "%d%s%s"); a key
       * with blanks would silently be cut. Say so, without echoing it. */
      hb_config_warn (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                      "Auth line [%s %s <key> ...]: only the first word after the method is the "
                      "key, the rest of the line is ignored",
                      words[0], words[1]);
    }
  if (method == HB_AUTH_CRC && n == 3)
    {
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                     "Auth method [crc] doesn't use a key");
      return FALSE;
    }
  if (method != HB_AUTH_CRC && n == 2)
    {
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                     "Auth method [%s] requires a key", words[1]);
      return FALSE;
    }
  return TRUE;
}

/* "N method [key]". */
static void
hb_authkeys_key (HbConfigBuilder *b, char **words, guint line)
{
  guint n = g_strv_length (words);
  guint index;
  HbAuthMethod method;

  if (!hb_authkeys_index (b, words[0], line, &index))
    {
      return;
    }
  if (n < 2)
    {
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line,
                     "Auth line [%s] is invalid: expected N METHOD [KEY]", words[0]);
      return;
    }
  if (!hb_authkeys_method (b, words[1], line, &method))
    {
      return;
    }
  if (!hb_authkeys_check_key (b, words, n, method, line))
    {
      return;
    }
  if (b->auth_key_line[index] != 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_DUPLICATE, hb_authkeys_file (b), line,
                     "duplicate key [%u]: already defined on line %u", index, b->auth_key_line[index]);
      return;
    }
  b->config->auth_keys[index].method = method;
  b->config->auth_keys[index].key = g_strdup (words[2]);
  b->auth_key_line[index] = line;
}

/* Heartbeat skips heartbeat.h's WHITESPACE (" \t\n\r\f") before looking for
 * a comment, then reads the line with sscanf ("auth %d", "%d%s%s"), whose
 * words are separated by any isspace() byte, \v included. */
#define HB_AUTHKEYS_LEAD " \t\r\f"
#define HB_AUTHKEYS_BLANKS " \t\v\r\f"

static void
hb_authkeys_line (HbConfigBuilder *b, const char *text, guint line)
{
  const char *lead = text + strspn (text, HB_AUTHKEYS_LEAD);
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) words = g_ptr_array_new ();

  /* Blank lines and lines starting with '#' are comments; '#' inside a
   * line may be part of a key (docs/PROTOCOL.md, "authkeys"). */
  if (*lead == '\0' || *lead == '#')
    {
      return;
    }
  parts = g_strsplit_set (lead, HB_AUTHKEYS_BLANKS, -1);
  for (char **p = parts; *p != NULL; p++)
    {
      if (**p != '\0')
        {
          g_ptr_array_add (words, *p);
        }
    }
  g_ptr_array_add (words, NULL);
  char **w = (char **) words->pdata;
  if (w[0] == NULL)
    {
      /* Only \v: not blank for the comment check, nothing for sscanf. */
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), line, "Auth line [%s] is invalid",
                     lead);
      return;
    }
  if (strcmp (w[0], "auth") == 0)
    {
      hb_authkeys_auth (b, w, line);
    }
  else
    {
      hb_authkeys_key (b, w, line);
    }
  /* The words are copies of the line, keys included. */
  for (char **p = parts; *p != NULL; p++)
    {
      memset (*p, 0, strlen (*p));
    }
}

static void
hb_authkeys_finish (HbConfigBuilder *b)
{
  guint index = b->config->auth_active;

  if (b->auth_line == 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), 0,
                     "Missing auth directive in keyfile [%s]: add a line auth N", hb_authkeys_file (b));
      return;
    }
  if (b->config->auth_keys[index].method == HB_AUTH_NONE)
    {
      hb_config_err (b, HB_CONFIG_ERROR_AUTH, hb_authkeys_file (b), b->auth_line,
                     "Auth Key [%u] not found in keyfile [%s]", index, hb_authkeys_file (b));
    }
}

void
hb_config_parse_authkeys (HbConfigBuilder *b, const HbConfigText *text)
{
  if (text->contents == NULL)
    {
      hb_config_err (b, HB_CONFIG_ERROR_IO, b->authkeys_path, 0, "Cannot open keyfile [%s].  Stop. (%s)",
                     b->authkeys_path, text->read_error);
      return;
    }
  b->authkeys_read = TRUE;
  /* Only the read bits matter, as in Heartbeat (docs/PROTOCOL.md, "authkeys"). */
  if ((text->mode & (S_IRGRP | S_IROTH)) != 0)
    {
      hb_config_err (b, HB_CONFIG_ERROR_PERMISSIONS, b->authkeys_path, 0,
                     "Bad permissions on keyfile [%s], 600 recommended. (mode is %04o: "
                     "group or others may read the keys)",
                     b->authkeys_path, text->mode & 07777);
    }
  if (!hb_config_check_text (b, b->authkeys_path, text->contents, text->len))
    {
      return;
    }
  /* The caller wipes its copy of the text; these are ours. */
  g_auto (GStrv) lines = hb_config_split_lines (text->contents, text->len);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      hb_authkeys_line (b, lines[i], i + 1);
    }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      memset (lines[i], 0, strlen (lines[i]));
    }
  hb_authkeys_finish (b);
}
