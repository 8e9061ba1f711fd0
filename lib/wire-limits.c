/* systole: the wire error domain and the limits every codec checks: message
 * size (MAXMSG) and field count (docs/PROTOCOL.md, "Size limits"). Below the
 * codecs, which call it, and wire.c, which calls them. */
#include "wire-private.h"

G_DEFINE_QUARK (hb-wire-error-quark, hb_wire_error)

/* msg2wirefmt_ll refuses to send a message of MAXMSG bytes or more. */
gboolean
hb_wire_check_size (gsize len, GError **error)
{
  if (len >= HB_WIRE_MAXMSG)
    {
      g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_BIG,
                   "message of %" G_GSIZE_FORMAT " bytes exceeds the %d-byte limit (MAXMSG)",
                   len, HB_WIRE_MAXMSG - 1);
      return FALSE;
    }
  return TRUE;
}

gboolean
hb_wire_check_field_count (guint n_fields, GError **error)
{
  if (n_fields <= HB_WIRE_MAX_FIELDS)
    {
      return TRUE;
    }
  g_set_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_MANY_FIELDS,
               "message has more than %d fields (the largest Heartbeat message of a "
               "haresources cluster has 14)", HB_WIRE_MAX_FIELDS);
  return FALSE;
}
