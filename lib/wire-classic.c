/* systole: the classic ("nvpair") text encoding (docs/PROTOCOL.md, "Classic encoding").
 *
 *   >>>\n
 *   name=value\n          string field; '\n' in the value is sent as 0x13
 *   (1)name=base64\n      binary field
 *   <<<\n
 *
 * Facts from CG lib/clplumbing/cl_msg.c (msg2string_buf, string2msg_ll) and
 * cl_msg_types.c (str2string, binary2string). Nested structs (types 2..5) are
 * not part of a haresources cluster's traffic and are rejected
 * (docs/PROTOCOL.md, "Compression").
 */
#include "wire-private.h"

#include <string.h>

/* str2string: a value may not contain a newline, so it travels as 0x13. */
#define CLASSIC_NEWLINE_SYM '\x13'

typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
  guint line; /* 1-based line of data[pos] */
} Cursor;

static gboolean
append_field_line (GString *out, const HbField *field, GError **error)
{
  if (field->type == HB_FIELD_BINARY)
    {
      g_autofree char *b64 = g_base64_encode (field->value, field->len);
      g_string_append_printf (out, "(1)%s=%s\n", field->name, b64);
      return TRUE;
    }
  if (memchr (field->value, CLASSIC_NEWLINE_SYM, field->len) != NULL)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_UNENCODABLE,
                   "field %s: byte 0x13 cannot be sent in the classic format "
                   "(it stands for a newline)", field->name);
      return FALSE;
    }
  g_string_append (out, field->name);
  g_string_append_c (out, '=');
  for (gsize i = 0; i < field->len; i++)
    {
      char c = (char) field->value[i];
      g_string_append_c (out, c == '\n' ? CLASSIC_NEWLINE_SYM : c);
    }
  g_string_append_c (out, '\n');
  return TRUE;
}

static gboolean
append_fields (GString *out, const HbMsg *msg, const char *skip, GError **error)
{
  for (guint i = 0; i < hb_msg_n_fields (msg); i++)
    {
      const HbField *field = hb_msg_nth (msg, i);
      if (skip != NULL && strcmp (field->name, skip) == 0)
        {
          continue;
        }
      if (!append_field_line (out, field, error))
        {
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
hb_wire_classic_append (GString *out, const HbMsg *msg, GError **error)
{
  g_string_append (out, HB_WIRE_CLASSIC_START);
  if (!append_fields (out, msg, NULL, error))
    {
      return FALSE;
    }
  g_string_append (out, HB_WIRE_CLASSIC_END);
  return TRUE;
}

char *
hb_wire_classic_fields (const HbMsg *msg, const char *skip, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (msg != NULL, NULL);
  if (!append_fields (out, msg, skip, error))
    {
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "(N)" prefix: 0 = string, 1 = binary; anything else we cannot decode. */
static gboolean
parse_type_prefix (const char *line, gsize len, guint lineno,
                   HbFieldType *type, gsize *skip, GError **error)
{
  *type = HB_FIELD_STRING;
  *skip = 0;
  if (len == 0 || line[0] != '(')
    {
      return TRUE;
    }
  if (len < 3 || !g_ascii_isdigit (line[1]) || line[2] != ')')
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_FIELD,
                   "classic message, line %u: malformed type prefix", lineno);
      return FALSE;
    }
  if (line[1] != '0' && line[1] != '1')
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_UNSUPPORTED_TYPE,
                   "classic message, line %u: field type %c (struct, list or "
                   "compressed) is not supported", lineno, line[1]);
      return FALSE;
    }
  *type = line[1] == '0' ? HB_FIELD_STRING : HB_FIELD_BINARY;
  *skip = 3;
  return TRUE;
}

static gboolean
add_value (HbMsg *msg, const char *name, HbFieldType type, const char *value,
           gsize len, guint lineno, GError **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize n = 0;

  if (type == HB_FIELD_BINARY)
    {
      bytes = hb_wire_base64_decode (value, len, &n);
      if (bytes == NULL)
        {
          g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_VALUE,
                       "classic message, line %u: field %.*s: invalid base64", lineno,
                       HB_WIRE_NAME_SHOWN, name);
          return FALSE;
        }
      hb_msg_add_binary (msg, name, bytes, n);
      return TRUE;
    }
  bytes = (guint8 *) g_strndup (value, len);
  for (gsize i = 0; i < len; i++)
    {
      if (bytes[i] == CLASSIC_NEWLINE_SYM)
        {
          bytes[i] = '\n';
        }
    }
  hb_msg_add_string (msg, name, (const char *) bytes);
  return TRUE;
}

/* One "[(N)]name=value" line, without its '\n' and free of NUL bytes. */
static gboolean
parse_line (HbMsg *msg, const char *line, gsize len, guint lineno, GError **error)
{
  HbFieldType type;
  gsize skip;
  const char *eq;
  g_autofree char *name = NULL;

  if (!parse_type_prefix (line, len, lineno, &type, &skip, error))
    {
      return FALSE;
    }
  line += skip;
  len -= skip;
  eq = memchr (line, '=', len);
  if (eq == NULL)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_FIELD,
                   "classic message, line %u: no '=' in field", lineno);
      return FALSE;
    }
  if (eq == line)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_EMPTY_NAME,
                   "classic message, line %u: empty field name", lineno);
      return FALSE;
    }
  name = g_strndup (line, (gsize) (eq - line));
  if (!hb_msg_name_is_valid (name))
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_FIELD,
                   "classic message, line %u: invalid field name", lineno);
      return FALSE;
    }
  return add_value (msg, name, type, eq + 1, len - (gsize) (eq - line) - 1, lineno, error);
}

/* string2msg_ll skips runs of line ends between fields. */
static void
skip_line_ends (Cursor *c)
{
  while (c->pos < c->len && (c->data[c->pos] == '\n' || c->data[c->pos] == '\r'))
    {
      c->line += c->data[c->pos] == '\n';
      c->pos++;
    }
}

static gboolean
at_end_mark (const Cursor *c)
{
  return c->len - c->pos >= HB_WIRE_MARK_LEN
         && memcmp (c->data + c->pos, HB_WIRE_CLASSIC_END, HB_WIRE_MARK_LEN) == 0;
}

/* Reads the next field line; FALSE with `error` set on bad input. */
static gboolean
next_field (HbMsg *msg, Cursor *c, GError **error)
{
  const guint8 *start = c->data + c->pos;
  const guint8 *nl = memchr (start, '\n', c->len - c->pos);
  gsize line_len;

  if (nl == NULL)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_NO_TRAILER,
                   "classic message, line %u: truncated (no end marker <<<)", c->line);
      return FALSE;
    }
  line_len = (gsize) (nl - start);
  if (memchr (start, '\0', line_len) != NULL)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_FIELD,
                   "classic message, line %u: NUL byte inside a field", c->line);
      return FALSE;
    }
  if (!parse_line (msg, (const char *) start, line_len, c->line, error))
    {
      return FALSE;
    }
  c->pos += line_len + 1;
  c->line++;
  return TRUE;
}

/* After "<<<\n" only the datagram's terminating NUL may follow
 * (docs/PROTOCOL.md, "Classic encoding"). */
static gboolean
check_tail (const Cursor *c, GError **error)
{
  gsize rest = c->len - c->pos;

  if (rest == 0 || (rest == 1 && c->data[c->pos] == '\0'))
    {
      return TRUE;
    }
  g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TRAILING_DATA,
               "classic message: %" G_GSIZE_FORMAT " unexpected bytes after <<<", rest);
  return FALSE;
}

HbMsg *
hb_wire_classic_decode (const guint8 *data, gsize len, HbWireFrame *frame, GError **error)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  Cursor c = { data, len, HB_WIRE_MARK_LEN, 2 };

  for (;;)
    {
      skip_line_ends (&c);
      if (c.pos == c.len)
        {
          g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_NO_TRAILER,
                       "classic message: truncated (no end marker <<<)");
          return NULL;
        }
      if (at_end_mark (&c))
        {
          break;
        }
      if (!hb_wire_check_field_count (hb_msg_n_fields (msg) + 1, error)
          || !next_field (msg, &c, error))
        {
          return NULL;
        }
    }
  c.pos += HB_WIRE_MARK_LEN;
  if (!check_tail (&c, error))
    {
      return NULL;
    }
  if (frame != NULL)
    {
      *frame = (HbWireFrame) { HB_WIRE_CLASSIC, c.pos, NULL, 0 };
    }
  return g_steal_pointer (&msg);
}
