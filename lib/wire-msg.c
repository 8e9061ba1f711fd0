/* systole: HbMsg, the ordered list of typed fields (docs/PROTOCOL.md, "Messages and fields"). */
#include "wire.h"

#include <string.h>

struct _HbMsg
{
  GPtrArray *fields; /* of HbField*, in wire order */
};

static HbField *
field_new (const char *name, HbFieldType type, const void *value, gsize len)
{
  HbField *field = g_new0 (HbField, 1);

  field->name = g_strdup (name);
  field->type = type;
  field->len = len;
  /* One spare NUL byte: string values are usable as C strings. */
  field->value = g_malloc (len + 1);
  if (len > 0)
    {
      memcpy (field->value, value, len);
    }
  field->value[len] = '\0';
  return field;
}

static void
field_free (gpointer data)
{
  HbField *field = data;

  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

HbMsg *
hb_msg_new (void)
{
  HbMsg *msg = g_new0 (HbMsg, 1);

  msg->fields = g_ptr_array_new_with_free_func (field_free);
  return msg;
}

void
hb_msg_free (HbMsg *msg)
{
  if (msg == NULL)
    {
      return;
    }
  g_ptr_array_unref (msg->fields);
  g_free (msg);
}

HbMsg *
hb_msg_copy (const HbMsg *msg)
{
  HbMsg *copy;

  g_return_val_if_fail (msg != NULL, NULL);
  copy = hb_msg_new ();
  for (guint i = 0; i < msg->fields->len; i++)
    {
      const HbField *f = g_ptr_array_index (msg->fields, i);
      g_ptr_array_add (copy->fields, field_new (f->name, f->type, f->value, f->len));
    }
  return copy;
}

/* A name must survive both encodings unchanged: no '=' (ends the name), no
 * blanks or control bytes (classic lines, CR/LF skipping), and no leading '('
 * (a classic "(N)" type prefix). Heartbeat's own names are short identifiers. */
gboolean
hb_msg_name_is_valid (const char *name)
{
  if (name == NULL || name[0] == '\0' || name[0] == '(')
    {
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p <= ' ' || *p > '~' || *p == '=')
        {
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
is_printable_token (const char *text, gsize max_len)
{
  gsize len;

  if (text == NULL)
    {
      return FALSE;
    }
  len = strlen (text);
  if (len == 0 || len >= max_len)
    {
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] <= ' ' || text[i] > '~')
        {
          return FALSE;
        }
    }
  return TRUE;
}

/* HOSTLENG / STATUSLENG (docs/PROTOCOL.md, "Size limits") count the terminating NUL. */
gboolean
hb_wire_node_name_is_valid (const char *name)
{
  return is_printable_token (name, HB_WIRE_HOSTLENG);
}

gboolean
hb_wire_status_is_valid (const char *status)
{
  return is_printable_token (status, HB_WIRE_STATUSLENG);
}

void
hb_msg_add_string (HbMsg *msg, const char *name, const char *value)
{
  g_return_if_fail (msg != NULL);
  g_return_if_fail (hb_msg_name_is_valid (name));
  g_return_if_fail (value != NULL);
  g_ptr_array_add (msg->fields, field_new (name, HB_FIELD_STRING, value, strlen (value)));
}

void
hb_msg_add_binary (HbMsg *msg, const char *name, const void *value, gsize len)
{
  g_return_if_fail (msg != NULL);
  g_return_if_fail (hb_msg_name_is_valid (name));
  g_return_if_fail (value != NULL || len == 0);
  g_ptr_array_add (msg->fields, field_new (name, HB_FIELD_BINARY, value, len));
}

void
hb_msg_add_printf (HbMsg *msg, const char *name, const char *format, ...)
{
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  hb_msg_add_string (msg, name, value);
}

void
hb_msg_add_hex (HbMsg *msg, const char *name, guint64 value)
{
  hb_msg_add_printf (msg, name, "%" G_GINT64_MODIFIER "x", value);
}

void
hb_msg_add_uint (HbMsg *msg, const char *name, guint64 value)
{
  hb_msg_add_printf (msg, name, "%" G_GUINT64_FORMAT, value);
}

static gint
find_index (const HbMsg *msg, const char *name)
{
  for (guint i = 0; i < msg->fields->len; i++)
    {
      const HbField *f = g_ptr_array_index (msg->fields, i);
      if (strcmp (f->name, name) == 0)
        {
          return (gint) i;
        }
    }
  return -1;
}

static void
set_field (HbMsg *msg, const char *name, HbFieldType type, const void *value, gsize len)
{
  gint index = find_index (msg, name);
  HbField *field = field_new (name, type, value, len);

  if (index < 0)
    {
      g_ptr_array_add (msg->fields, field);
      return;
    }
  field_free (g_ptr_array_index (msg->fields, index));
  g_ptr_array_index (msg->fields, index) = field;
}

void
hb_msg_set_string (HbMsg *msg, const char *name, const char *value)
{
  g_return_if_fail (msg != NULL);
  g_return_if_fail (hb_msg_name_is_valid (name));
  g_return_if_fail (value != NULL);
  set_field (msg, name, HB_FIELD_STRING, value, strlen (value));
}

void
hb_msg_set_binary (HbMsg *msg, const char *name, const void *value, gsize len)
{
  g_return_if_fail (msg != NULL);
  g_return_if_fail (hb_msg_name_is_valid (name));
  g_return_if_fail (value != NULL || len == 0);
  set_field (msg, name, HB_FIELD_BINARY, value, len);
}

gboolean
hb_msg_remove (HbMsg *msg, const char *name)
{
  gint index;

  g_return_val_if_fail (msg != NULL && name != NULL, FALSE);
  index = find_index (msg, name);
  if (index < 0)
    {
      return FALSE;
    }
  g_ptr_array_remove_index (msg->fields, index);
  return TRUE;
}

guint
hb_msg_n_fields (const HbMsg *msg)
{
  g_return_val_if_fail (msg != NULL, 0);
  return msg->fields->len;
}

const HbField *
hb_msg_nth (const HbMsg *msg, guint index)
{
  g_return_val_if_fail (msg != NULL, NULL);
  if (index >= msg->fields->len)
    {
      return NULL;
    }
  return g_ptr_array_index (msg->fields, index);
}

const HbField *
hb_msg_lookup (const HbMsg *msg, const char *name)
{
  gint index;

  g_return_val_if_fail (msg != NULL && name != NULL, NULL);
  index = find_index (msg, name);
  return index < 0 ? NULL : g_ptr_array_index (msg->fields, index);
}

const char *
hb_msg_get (const HbMsg *msg, const char *name)
{
  const HbField *field = hb_msg_lookup (msg, name);

  if (field == NULL || field->type != HB_FIELD_STRING)
    {
      return NULL;
    }
  return (const char *) field->value;
}

const guint8 *
hb_msg_get_binary (const HbMsg *msg, const char *name, gsize *len_out)
{
  const HbField *field = hb_msg_lookup (msg, name);

  if (field == NULL || field->type != HB_FIELD_BINARY)
    {
      return NULL;
    }
  if (len_out != NULL)
    {
      *len_out = field->len;
    }
  return field->value;
}

/* g_ascii_string_to_unsigned accepts a leading '+' and, for base 16, no
 * "0x"; we want exactly what Heartbeat prints, so check the digits first. */
static gboolean
get_number (const HbMsg *msg, const char *name, guint base, guint64 *value_out)
{
  const char *text = hb_msg_get (msg, name);
  guint64 value;

  if (text == NULL || text[0] == '\0')
    {
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    {
      if (base == 16 ? !g_ascii_isxdigit (*p) : !g_ascii_isdigit (*p))
        {
          return FALSE;
        }
    }
  if (!g_ascii_string_to_unsigned (text, base, 0, G_MAXUINT64, &value, NULL))
    {
      return FALSE;
    }
  *value_out = value;
  return TRUE;
}

gboolean
hb_msg_get_hex (const HbMsg *msg, const char *name, guint64 *value_out)
{
  g_return_val_if_fail (value_out != NULL, FALSE);
  return get_number (msg, name, 16, value_out);
}

gboolean
hb_msg_get_uint (const HbMsg *msg, const char *name, guint64 *value_out)
{
  g_return_val_if_fail (value_out != NULL, FALSE);
  return get_number (msg, name, 10, value_out);
}

char *
hb_msg_to_log_string (const HbMsg *msg)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (msg != NULL, NULL);
  for (guint i = 0; i < msg->fields->len; i++)
    {
      const HbField *f = g_ptr_array_index (msg->fields, i);
      g_autofree char *value = NULL;

      if (f->type == HB_FIELD_BINARY)
        {
          value = g_strdup_printf ("<%" G_GSIZE_FORMAT " bytes>", f->len);
        }
      else
        {
          /* Values come from peers: never let them forge log lines. */
          value = g_strescape ((const char *) f->value, NULL);
        }
      g_string_append_printf (out, "%s%s%s=%s", i > 0 ? " " : "",
                              f->type == HB_FIELD_BINARY ? "(1)" : "", f->name, value);
    }
  return g_string_free (out, FALSE);
}
