/* systole: the netstring encoding (docs/PROTOCOL.md, "Netstring encoding").
 *
 *   ###\n
 *   <L>:(<t>)<name>=<value>,   one per field; L counts "(t)name=value";
 *                              values are raw bytes (binary too), no escaping
 *   %%%\n
 *   <L>:<authnum> <digest>,    the auth trailer, signed over ###\n..%%%\n
 *
 * Facts from CG lib/clplumbing/cl_netstring.c (msg2netstring_buf,
 * peel_netstring, process_netstring_nvpair, netstring2msg) and the 3.0.6
 * captures in tests/data/hb306. Heartbeat's reader tolerates junk between the
 * length and ':'; we accept only digits then ':' and check every length
 * against the bytes actually present before touching them.
 */
#include "wire-private.h"

#include <string.h>

/* The longest decimal length we need: anything above MAXMSG is refused. */
#define MAX_LENGTH_DIGITS 7

void
hb_wire_netstring_append_one (GString *out, const void *data, gsize len)
{
  g_string_append_printf (out, "%" G_GSIZE_FORMAT ":", len);
  g_string_append_len (out, data, (gssize) len);
  g_string_append_c (out, ',');
}

void
hb_wire_netstring_append (GString *out, const HbMsg *msg)
{
  g_string_append (out, HB_WIRE_NETSTRING_START);
  for (guint i = 0; i < hb_msg_n_fields (msg); i++)
    {
      const HbField *f = hb_msg_nth (msg, i);
      gsize name_len = strlen (f->name);

      /* 3 for "(t)", 1 for '=' (fields2netstring). */
      g_string_append_printf (out, "%" G_GSIZE_FORMAT ":(%d)%s=",
                              3 + name_len + 1 + f->len, (int) f->type, f->name);
      g_string_append_len (out, (const char *) f->value, (gssize) f->len);
      g_string_append_c (out, ',');
    }
  g_string_append (out, HB_WIRE_NETSTRING_END);
}

gboolean
hb_wire_netstring_peel (const guint8 *data, gsize len, gsize *pos, const guint8 **payload,
                        gsize *payload_len, GError **error)
{
  gsize p = *pos;
  gsize n = 0;
  guint digits = 0;

  while (p < len && g_ascii_isdigit (data[p]) && digits < MAX_LENGTH_DIGITS)
    {
      n = n * 10 + (gsize) (data[p] - '0');
      p++;
      digits++;
    }
  if (digits == 0 || p >= len || data[p] != ':')
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_LENGTH,
                   "netstring message, offset %" G_GSIZE_FORMAT ": bad netstring length", *pos);
      return FALSE;
    }
  p++;
  /* Compare with what is left rather than computing p + n (no overflow). */
  if (n >= len - p || data[p + n] != ',')
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_LENGTH,
                   "netstring message, offset %" G_GSIZE_FORMAT ": netstring of %" G_GSIZE_FORMAT
                   " bytes overruns the message or lacks its ','", *pos, n);
      return FALSE;
    }
  *payload = data + p;
  *payload_len = n;
  *pos = p + n + 1;
  return TRUE;
}

static gboolean
parse_type (const guint8 *f, gsize len, gsize offset, HbFieldType *type, GError **error)
{
  if (len < 3 || f[0] != '(' || !g_ascii_isdigit (f[1]) || f[2] != ')')
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_FIELD,
                   "netstring message, offset %" G_GSIZE_FORMAT ": field lacks its (type) prefix", offset);
      return FALSE;
    }
  if (f[1] != '0' && f[1] != '1')
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_UNSUPPORTED_TYPE,
                   "netstring message, offset %" G_GSIZE_FORMAT ": field type %c (struct, list "
                   "or compressed) is not supported", offset, f[1]);
      return FALSE;
    }
  *type = f[1] == '0' ? HB_FIELD_STRING : HB_FIELD_BINARY;
  return TRUE;
}

static gboolean
check_name (const guint8 *name, gsize name_len, gsize offset, GError **error)
{
  g_autofree char *copy = NULL;

  if (name_len == 0)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_EMPTY_NAME,
                   "netstring message, offset %" G_GSIZE_FORMAT ": empty field name", offset);
      return FALSE;
    }
  copy = g_strndup ((const char *) name, name_len);
  if (strlen (copy) != name_len || !hb_msg_name_is_valid (copy))
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_FIELD,
                   "netstring message, offset %" G_GSIZE_FORMAT ": invalid field name", offset);
      return FALSE;
    }
  return TRUE;
}

/* One field payload "(t)name=value". */
static gboolean
add_field (HbMsg *msg, const guint8 *f, gsize len, gsize offset, GError **error)
{
  HbFieldType type;
  const guint8 *eq;
  gsize name_len;
  g_autofree char *name = NULL;

  if (!parse_type (f, len, offset, &type, error))
    {
      return FALSE;
    }
  eq = memchr (f + 3, '=', len - 3);
  if (eq == NULL)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_FIELD,
                   "netstring message, offset %" G_GSIZE_FORMAT ": no '=' in field", offset);
      return FALSE;
    }
  name_len = (gsize) (eq - (f + 3));
  if (!check_name (f + 3, name_len, offset, error))
    {
      return FALSE;
    }
  name = g_strndup ((const char *) f + 3, name_len);
  gsize value_len = len - 3 - name_len - 1;
  if (type == HB_FIELD_BINARY)
    {
      hb_msg_add_binary (msg, name, eq + 1, value_len);
      return TRUE;
    }
  if (memchr (eq + 1, '\0', value_len) != NULL)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_VALUE,
                   "netstring message, offset %" G_GSIZE_FORMAT ": NUL byte inside string field %.*s",
                   offset, HB_WIRE_NAME_SHOWN, name);
      return FALSE;
    }
  g_autofree char *value = g_strndup ((const char *) eq + 1, value_len);
  hb_msg_add_string (msg, name, value);
  return TRUE;
}

static gboolean
at_end_mark (const guint8 *data, gsize len, gsize pos)
{
  return len - pos >= HB_WIRE_MARK_LEN
         && memcmp (data + pos, HB_WIRE_NETSTRING_END, HB_WIRE_MARK_LEN) == 0;
}

/* The optional auth trailer: one netstring and nothing after it. */
static gboolean
parse_trailer (const guint8 *data, gsize len, gsize pos, HbWireFrame *frame, GError **error)
{
  const guint8 *payload = NULL;
  gsize payload_len = 0;

  frame->trailer = NULL;
  frame->trailer_len = 0;
  if (pos == len)
    {
      return TRUE;
    }
  if (!hb_wire_netstring_peel (data, len, &pos, &payload, &payload_len, error))
    {
      return FALSE;
    }
  if (pos != len)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TRAILING_DATA,
                   "netstring message: %" G_GSIZE_FORMAT " unexpected bytes after the auth trailer",
                   len - pos);
      return FALSE;
    }
  frame->trailer = payload;
  frame->trailer_len = payload_len;
  return TRUE;
}

HbMsg *
hb_wire_netstring_decode (const guint8 *data, gsize len, HbWireFrame *frame_out, GError **error)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  HbWireFrame frame = { HB_WIRE_NETSTRING, 0, NULL, 0 };
  gsize pos = HB_WIRE_MARK_LEN;

  while (!at_end_mark (data, len, pos))
    {
      const guint8 *payload;
      gsize payload_len;
      gsize offset = pos;

      if (pos == len)
        {
          g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_NO_TRAILER,
                       "netstring message: truncated (no end marker %%%%%%)");
          return NULL;
        }
      if (!hb_wire_netstring_peel (data, len, &pos, &payload, &payload_len, error)
          || !hb_wire_check_field_count (hb_msg_n_fields (msg) + 1, error)
          || !add_field (msg, payload, payload_len, offset, error))
        {
          return NULL;
        }
    }
  frame.body_len = pos + HB_WIRE_MARK_LEN;
  if (!parse_trailer (data, len, frame.body_len, &frame, error))
    {
      return NULL;
    }
  if (frame_out != NULL)
    {
      *frame_out = frame;
    }
  return g_steal_pointer (&msg);
}
