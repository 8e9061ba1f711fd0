/* systole: the local API line protocol; see apiproto.h for the grammar. */
#include "apiproto.h"

#include <string.h>

G_DEFINE_QUARK (hb-api-error-quark, hb_api_error)

/* ---- tables ---------------------------------------------------------------------- */

typedef struct
{
  HbApiError code;
  const char *token;
} ErrorToken;

static const ErrorToken error_tokens[] = {
  { HB_API_ERROR_BAD_REQUEST, "bad-request" },
  { HB_API_ERROR_UNKNOWN_NODE, "unknown-node" },
  { HB_API_ERROR_UNKNOWN_LINK, "unknown-link" },
  { HB_API_ERROR_UNKNOWN_PARAMETER, "unknown-parameter" },
  { HB_API_ERROR_REFUSED, "refused" },
  { HB_API_ERROR_BUSY, "busy" },
  { HB_API_ERROR_FAILED, "failed" },
  { HB_API_ERROR_INTERNAL, "internal" },
};

typedef struct
{
  HbApiVerb verb;
  const char *name;
  guint n_args;
} VerbInfo;

/* Indexed by HbApiVerb. */
static const VerbInfo verbs[] = {
  { HB_API_REQ_STATUS, "status", 0 },
  { HB_API_REQ_NODES, "nodes", 0 },
  { HB_API_REQ_NODE_STATUS, "node-status", 1 },
  { HB_API_REQ_NODE_TYPE, "node-type", 1 },
  { HB_API_REQ_LINKS, "links", 1 },
  { HB_API_REQ_LINK_STATUS, "link-status", 2 },
  { HB_API_REQ_RSC_STATUS, "rsc-status", 0 },
  { HB_API_REQ_PARAMETER, "parameter", 1 },
  { HB_API_REQ_STANDBY, "standby", 1 },
  { HB_API_REQ_TAKEOVER, "takeover", 1 },
};

/* Indexed by HbApiHold; the words of hb_standby/hb_takeover (docs/PROTOCOL.md,
 * "Standby and takeover"). */
static const char *const hold_names[] = { "all", "local", "foreign", "failback" };

const char *
hb_api_error_to_token (HbApiError code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_tokens); i++)
    {
      if (error_tokens[i].code == code)
        {
          return error_tokens[i].token;
        }
    }
  return NULL;
}

gboolean
hb_api_error_from_token (const char *token, HbApiError *code_out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_tokens); i++)
    {
      if (g_strcmp0 (error_tokens[i].token, token) == 0)
        {
          *code_out = error_tokens[i].code;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
hb_api_verb_to_string (HbApiVerb verb)
{
  g_return_val_if_fail ((gsize) verb < G_N_ELEMENTS (verbs), NULL);
  return verbs[verb].name;
}

guint
hb_api_verb_n_args (HbApiVerb verb)
{
  g_return_val_if_fail ((gsize) verb < G_N_ELEMENTS (verbs), 0);
  return verbs[verb].n_args;
}

static const VerbInfo *
verb_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      if (strcmp (verbs[i].name, name) == 0)
        {
          return &verbs[i];
        }
    }
  return NULL;
}

const char *
hb_api_hold_to_string (HbApiHold hold)
{
  g_return_val_if_fail ((gsize) hold < G_N_ELEMENTS (hold_names), NULL);
  return hold_names[hold];
}

gboolean
hb_api_hold_from_string (const char *text, HbApiHold *hold_out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hold_names); i++)
    {
      if (g_strcmp0 (hold_names[i], text) == 0)
        {
          *hold_out = (HbApiHold) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- escaping ------------------------------------------------------------------- */

static gboolean
needs_escape (guchar c)
{
  return c <= 0x20 || c == 0x7f || c == '%';
}

static void
append_escaped (GString *out, const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (needs_escape (*p))
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
      else
        {
          g_string_append_c (out, (char) *p);
        }
    }
}

char *
hb_api_escape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  append_escaped (out, text);
  return g_string_free (out, FALSE);
}

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

char *
hb_api_unescape (const char *text, gsize len, GError **error)
{
  g_autoptr (GString) out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '%')
        {
          int hi = i + 2 < len ? hex_value (text[i + 1]) : -1;
          int lo = hi >= 0 ? hex_value (text[i + 2]) : -1;

          if (lo < 0 || (hi == 0 && lo == 0))
            {
              g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL,
                           "bad escape sequence at byte %" G_GSIZE_FORMAT, i + 1);
              return NULL;
            }
          g_string_append_c (out, (char) (hi << 4 | lo));
          i += 2;
        }
      else if (needs_escape (c))
        {
          g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL,
                       "unescaped control character 0x%02x at byte %" G_GSIZE_FORMAT, c, i + 1);
          return NULL;
        }
      else
        {
          g_string_append_c (out, (char) c);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- requests ------------------------------------------------------------------- */

void
hb_api_request_free (HbApiRequest *request)
{
  if (request == NULL)
    {
      return;
    }
  for (guint i = 0; i < HB_API_MAX_ARGS; i++)
    {
      g_free (request->args[i]);
    }
  g_free (request);
}

char *
hb_api_request_encode (HbApiVerb verb, const char *const *args, GError **error)
{
  guint n_args = hb_api_verb_n_args (verb);
  g_autoptr (GString) line = g_string_new (hb_api_verb_to_string (verb));

  for (guint i = 0; i < n_args; i++)
    {
      if (args == NULL || args[i] == NULL || args[i][0] == '\0')
        {
          g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST,
                       "request '%s' needs %u non-empty argument(s)", verbs[verb].name, n_args);
          return NULL;
        }
      g_string_append_c (line, ' ');
      append_escaped (line, args[i]);
    }
  if (args != NULL && args[n_args] != NULL)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST,
                   "request '%s' takes %u argument(s)", verbs[verb].name, n_args);
      return NULL;
    }
  if (line->len > HB_API_MAX_LINE)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST,
                   "request '%s' is longer than %d bytes", verbs[verb].name, HB_API_MAX_LINE);
      return NULL;
    }
  g_string_append_c (line, '\n');
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Splits `line` on single spaces into at most `max` tokens (+1 to detect
 * excess) as offsets; empty tokens are kept so the callers can reject them. */
static guint
split_tokens (const char *line, gsize len, const char **starts, gsize *lens, guint max)
{
  guint n = 0;
  gsize begin = 0;

  for (gsize i = 0; i <= len && n < max; i++)
    {
      if (i == len || line[i] == ' ')
        {
          starts[n] = line + begin;
          lens[n] = i - begin;
          n++;
          begin = i + 1;
        }
    }
  return n;
}

static gboolean
check_line (const char *line, gsize *len, HbApiError code, GError **error)
{
  if (*len > 0 && line[*len - 1] == '\r')
    {
      (*len)--;
    }
  if (*len > HB_API_MAX_LINE)
    {
      g_set_error (error, HB_API_ERROR, code, "line longer than %d bytes", HB_API_MAX_LINE);
      return FALSE;
    }
  if (memchr (line, '\0', *len) != NULL || memchr (line, '\n', *len) != NULL)
    {
      g_set_error (error, HB_API_ERROR, code, "line contains a NUL or LF byte");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_args (HbApiRequest *request, const char **starts, const gsize *lens, GError **error)
{
  for (guint i = 0; i < request->n_args; i++)
    {
      g_autoptr (GError) local = NULL;

      if (lens[i] == 0)
        {
          g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST, "argument %u is empty", i + 1);
          return FALSE;
        }
      request->args[i] = hb_api_unescape (starts[i], lens[i], &local);
      if (request->args[i] == NULL)
        {
          g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST, "argument %u: %s", i + 1,
                       local->message);
          return FALSE;
        }
    }
  return TRUE;
}

HbApiRequest *
hb_api_request_parse (const char *line, gsize len, GError **error)
{
  const char *starts[HB_API_MAX_ARGS + 2];
  gsize lens[HB_API_MAX_ARGS + 2];
  g_autofree char *name = NULL;
  const VerbInfo *info;
  guint n;
  g_autoptr (HbApiRequest) request = NULL;

  if (!check_line (line, &len, HB_API_ERROR_BAD_REQUEST, error))
    {
      return NULL;
    }
  n = split_tokens (line, len, starts, lens, HB_API_MAX_ARGS + 2);
  name = g_strndup (starts[0], lens[0]);
  info = verb_lookup (name);
  if (info == NULL)
    {
      g_autofree char *shown = hb_api_escape (name);
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST, "unknown request '%s'", shown);
      return NULL;
    }
  if (n - 1 != info->n_args)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST,
                   "request '%s' takes %u argument(s)", info->name, info->n_args);
      return NULL;
    }
  request = g_new0 (HbApiRequest, 1);
  request->verb = info->verb;
  request->n_args = info->n_args;
  if (!parse_args (request, starts + 1, lens + 1, error))
    {
      return NULL;
    }
  return g_steal_pointer (&request);
}

/* ---- responses: encoding ------------------------------------------------------------ */

gboolean
hb_api_response_append_row (GString *out, const char *const *fields, GError **error)
{
  gsize start = out->len;

  g_string_append (out, "DATA");
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      g_string_append_c (out, ' ');
      append_escaped (out, fields[i]);
    }
  if (out->len - start > HB_API_MAX_LINE)
    {
      g_string_truncate (out, start);
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_INTERNAL,
                   "response row longer than %d bytes", HB_API_MAX_LINE);
      return FALSE;
    }
  g_string_append_c (out, '\n');
  return TRUE;
}

void
hb_api_response_append_ok (GString *out)
{
  g_string_append (out, "OK\n");
}

void
hb_api_response_append_error (GString *out, HbApiError code, const char *message)
{
  const char *token = hb_api_error_to_token (code);
  gsize start = out->len;

  g_return_if_fail (token != NULL);
  g_string_append_printf (out, "ERR %s ", token);
  append_escaped (out, message != NULL ? message : "");
  if (out->len - start > HB_API_MAX_LINE)
    {
      gsize cut = start + HB_API_MAX_LINE;
      gsize lead = cut;

      /* Do not split a UTF-8 character (bytes from 0x80 up travel unescaped):
       * when the first byte cut off continues one, cut before its first byte.
       * Continuation bytes without a first byte (not UTF-8) stay as they are:
       * backing up over them could split an escape. */
      for (guint back = 0; back < 3 && ((guchar) out->str[lead] & 0xc0) == 0x80; back++)
        {
          lead--;
        }
      if (((guchar) out->str[lead] & 0xc0) == 0xc0)
        {
          cut = lead;
        }
      /* Nor a %XX sequence: back up to before it. */
      for (gsize back = 1; back <= 2; back++)
        {
          if (out->str[cut - back] == '%')
            {
              cut -= back;
              break;
            }
        }
      g_string_truncate (out, cut);
    }
  g_string_append_c (out, '\n');
}

/* ---- responses: parsing ------------------------------------------------------------- */

HbApiResponse *
hb_api_response_new (void)
{
  HbApiResponse *response = g_new0 (HbApiResponse, 1);

  response->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return response;
}

void
hb_api_response_free (HbApiResponse *response)
{
  if (response == NULL)
    {
      return;
    }
  g_ptr_array_unref (response->rows);
  g_free (response->message);
  g_free (response);
}

static gboolean
feed_row (HbApiResponse *response, const char *fields, gsize len, GError **error)
{
  g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  gsize begin = 0;

  if (response->rows->len >= HB_API_MAX_ROWS)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL, "more than %d rows",
                   HB_API_MAX_ROWS);
      return FALSE;
    }
  for (gsize i = 0; fields != NULL && i <= len; i++)
    {
      if (i == len || fields[i] == ' ')
        {
          char *field = hb_api_unescape (fields + begin, i - begin, error);

          if (field == NULL)
            {
              return FALSE;
            }
          g_ptr_array_add (row, field);
          begin = i + 1;
        }
    }
  g_ptr_array_add (row, NULL);
  g_ptr_array_set_free_func (row, NULL);
  g_ptr_array_add (response->rows, g_ptr_array_free (g_steal_pointer (&row), FALSE));
  return TRUE;
}

static gboolean
feed_error (HbApiResponse *response, const char *rest, gsize len, GError **error)
{
  const char *space = memchr (rest, ' ', len);
  g_autofree char *token = NULL;

  if (space == NULL)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL, "ERR line without text");
      return FALSE;
    }
  token = g_strndup (rest, (gsize) (space - rest));
  if (!hb_api_error_from_token (token, &response->code))
    {
      g_autofree char *shown = hb_api_escape (token);
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL, "unknown error code '%s'", shown);
      return FALSE;
    }
  response->message = hb_api_unescape (space + 1, len - (gsize) (space + 1 - rest), error);
  if (response->message == NULL)
    {
      return FALSE;
    }
  response->complete = TRUE;
  response->ok = FALSE;
  return TRUE;
}

static gboolean
has_keyword (const char *line, gsize len, const char *keyword, gsize *rest_offset)
{
  gsize klen = strlen (keyword);

  if (len < klen || memcmp (line, keyword, klen) != 0)
    {
      return FALSE;
    }
  if (len == klen)
    {
      *rest_offset = len;
      return TRUE;
    }
  if (line[klen] != ' ')
    {
      return FALSE;
    }
  *rest_offset = klen + 1;
  return TRUE;
}

gboolean
hb_api_response_feed_line (HbApiResponse *response, const char *line, gsize len, GError **error)
{
  gsize rest = 0;

  if (response->complete)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL, "data after the end of a response");
      return FALSE;
    }
  if (!check_line (line, &len, HB_API_ERROR_PROTOCOL, error))
    {
      return FALSE;
    }
  if (len == 2 && memcmp (line, "OK", 2) == 0)
    {
      response->complete = TRUE;
      response->ok = TRUE;
      return TRUE;
    }
  if (has_keyword (line, len, "DATA", &rest))
    {
      /* "DATA" alone is a row without fields; "DATA " one empty field. */
      return feed_row (response, len == 4 ? NULL : line + rest, len - rest, error);
    }
  if (has_keyword (line, len, "ERR", &rest) && rest < len)
    {
      return feed_error (response, line + rest, len - rest, error);
    }
  g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL, "unexpected response line");
  return FALSE;
}

gboolean
hb_api_response_check (const HbApiResponse *response, GError **error)
{
  if (!response->complete)
    {
      g_set_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL, "incomplete response");
      return FALSE;
    }
  if (!response->ok)
    {
      g_set_error_literal (error, HB_API_ERROR, response->code, response->message);
      return FALSE;
    }
  return TRUE;
}
