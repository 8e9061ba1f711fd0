/* systole: choosing the wire encoding (docs/PROTOCOL.md, "Wire format"). */
#include "wire-private.h"

#include <string.h>

char *
hb_wire_encode_text (const HbMsg *msg, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (msg != NULL, NULL);
  if (!hb_wire_check_field_count (hb_msg_n_fields (msg), error)
      || !hb_wire_classic_append (out, msg, error) || !hb_wire_check_size (out->len + 1, error))
    {
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

GBytes *
hb_wire_encode (const HbMsg *msg, HbWireFormat format, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (msg != NULL, NULL);
  /* Never send what a receiver like us refuses. */
  if (!hb_wire_check_field_count (hb_msg_n_fields (msg), error))
    {
      return NULL;
    }
  if (format == HB_WIRE_CLASSIC)
    {
      if (!hb_wire_classic_append (out, msg, error))
        {
          return NULL;
        }
      /* msg2wirefmt_noac: the UDP datagram is strlen + 1 bytes
       * (docs/PROTOCOL.md, "Classic encoding"). */
      g_string_append_c (out, '\0');
    }
  else
    {
      hb_wire_netstring_append (out, msg);
    }
  if (!hb_wire_check_size (out->len, error))
    {
      return NULL;
    }
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* wirefmt2msg_ll dispatches on the first four bytes. */
HbMsg *
hb_wire_decode (const guint8 *data, gsize len, HbWireFrame *frame, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  if (len > HB_WIRE_MAXMSG)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_BIG,
                   "message of %" G_GSIZE_FORMAT " bytes exceeds the %d-byte limit (MAXMSG)",
                   len, HB_WIRE_MAXMSG);
      return NULL;
    }
  if (len >= HB_WIRE_MARK_LEN && memcmp (data, HB_WIRE_CLASSIC_START, HB_WIRE_MARK_LEN) == 0)
    {
      return hb_wire_classic_decode (data, len, frame, error);
    }
  if (len >= HB_WIRE_MARK_LEN && memcmp (data, HB_WIRE_NETSTRING_START, HB_WIRE_MARK_LEN) == 0)
    {
      return hb_wire_netstring_decode (data, len, frame, error);
    }
  g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_NO_HEADER,
               "message starts with neither >>> nor ### (no MSG_START)");
  return NULL;
}
