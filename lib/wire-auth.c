/* systole: signed messages, as Heartbeat 3.0.6 sends and checks them.
 *
 * Two signatures exist (docs/PROTOCOL.md, "Which encoding is sent", "Authentication"):
 *
 * 1. The classic `auth` field, "<index> <digest>". Its digest covers the
 *    message in classic form without the >>>/<<< lines and without any field
 *    called `auth`: every other field, in order, as "name=value\n" ("(1)" and
 *    base64 for binary, '\n' in values as 0x13), no NUL. Source: HB3
 *    heartbeat/ha_msg_internal.c add_msg_auth() and isauthentic() call CG
 *    lib/clplumbing/cl_msg.c msg2string_buf(..., NOHEAD), which skips F_AUTH
 *    and writes binary fields with binary2string() (standard base64); the
 *    digest is taken over strnlen() of that text. Verified: the in-body
 *    `auth=` of all 81 captured 3.0.6 packets in tests/data/hb306 (crc, md5,
 *    sha1) is exactly this digest of the other fields, so our classic
 *    packets are what a 3.0.6 receiver's string2msg() + isauthentic() accept.
 *
 * 2. The netstring trailer "<len>:<index> <digest>," after "%%%\n", over the
 *    bytes "###\n" through "%%%\n" (CG cl_netstring.c msg2netstring_ll,
 *    is_auth_netstring). A 3.0.6 node in the default `msgfmt classic` adds the
 *    classic field first and then, since cluster-glue 1.0.10, sends netstring
 *    with the trailer, so its packets carry both. Its receiver checks only the
 *    trailer of a netstring packet, and only the field of a classic one.
 *
 * Quirk we do not copy: HB3 heartbeat.c hb_compute_authentication() checks a
 * trailer with the method of the index it names but the key of the local
 * active index. We use that index's own method and key, which is the same
 * whenever both sides sign with the same index (the only working setup for
 * 3.0.6 peers anyway, as its own keys would otherwise disagree).
 */
#include "wire-private.h"

#include "auth.h"

#include <string.h>

#define AUTH_FIELD "auth"

/* The only `auth` field of `msg`; NULL if absent or repeated (Heartbeat would
 * take the last; no sender writes two). */
static const HbField *
single_auth_field (const HbMsg *msg)
{
  const HbField *found = NULL;

  for (guint i = 0; i < hb_msg_n_fields (msg); i++)
    {
      const HbField *field = hb_msg_nth (msg, i);
      if (strcmp (field->name, AUTH_FIELD) == 0)
        {
          if (found != NULL)
            {
              return NULL;
            }
          found = field;
        }
    }
  return found;
}

static gint
verify_classic (const HbMsg *msg, const HbAuthKey keys[HB_AUTH_MAX_KEYS], GError **error)
{
  const HbField *auth = single_auth_field (msg);
  g_autofree char *text = NULL;

  if (auth == NULL || auth->type != HB_FIELD_STRING)
    {
      g_set_error_literal (error, HB_AUTH_ERROR, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token");
      return -1;
    }
  text = hb_wire_classic_fields (msg, AUTH_FIELD, error);
  if (text == NULL)
    {
      return -1;
    }
  return hb_auth_verify (keys, (const char *) auth->value, auth->len, (const guint8 *) text,
                         strlen (text), hb_msg_get (msg, "src"), error);
}

/* Checks what can be checked on the raw bytes, before any message is built
 * (wire-scan.c): the field count, and the signature where the bytes it
 * covers are known. Returns the verified index, -1 with `error` set, or
 * NOT_YET when only the decoded message can tell. */
#define NOT_YET (-2)
static gint
verify_before_decoding (const guint8 *data, gsize len, const HbAuthKey keys[HB_AUTH_MAX_KEYS],
                        GError **error)
{
  HbWireScan scan;
  g_autofree char *src = NULL;

  if (!hb_wire_scan (data, len, &scan, error))
    {
      return -1;
    }
  if (scan.signed_data == NULL)
    {
      return NOT_YET;
    }
  /* Only for the error text; hb_auth_verify shows at most 99 bytes of it. */
  src = scan.src != NULL ? g_strndup ((const char *) scan.src, MIN (scan.src_len, 128)) : NULL;
  return hb_auth_verify (keys, (const char *) scan.token, scan.token_len, scan.signed_data,
                         scan.signed_len, src, error);
}

gint
hb_wire_decode_and_verify (const guint8 *data, gsize len, const HbAuthKey keys[HB_AUTH_MAX_KEYS],
                           HbMsg **msg_out, GError **error)
{
  HbWireFrame frame;
  g_autoptr (HbMsg) msg = NULL;
  gint index;

  g_return_val_if_fail (keys != NULL, -1);
  index = verify_before_decoding (data, len, keys, error);
  if (index == -1)
    {
      return -1;
    }
  msg = hb_wire_decode (data, len, &frame, error);
  if (msg == NULL)
    {
      return -1;
    }
  if (index != NOT_YET)
    {
      /* Verified on the very bytes decoded: nothing more to check. */
    }
  else if (frame.format == HB_WIRE_NETSTRING)
    {
      index = hb_auth_verify (keys, (const char *) frame.trailer, frame.trailer_len, data,
                              frame.body_len, hb_msg_get (msg, "src"), error);
    }
  else
    {
      index = verify_classic (msg, keys, error);
    }
  if (index >= 0 && msg_out != NULL)
    {
      *msg_out = g_steal_pointer (&msg);
    }
  return index;
}

static gboolean
set_auth_field (HbMsg *msg, const HbAuthKey keys[HB_AUTH_MAX_KEYS], guint index, GError **error)
{
  g_autofree char *text = hb_wire_classic_fields (msg, AUTH_FIELD, error);
  g_autofree char *token = NULL;

  if (text == NULL)
    {
      return FALSE;
    }
  token = hb_auth_sign (keys, index, (const guint8 *) text, strlen (text), error);
  if (token == NULL)
    {
      return FALSE;
    }
  /* ha_msg_mod: replaced in place if present, else appended last. Several
   * `auth` fields (a caller's mistake) would make our own packet fail
   * verification, so they collapse into one, appended last. */
  if (hb_msg_lookup (msg, AUTH_FIELD) != NULL && single_auth_field (msg) == NULL)
    {
      while (hb_msg_remove (msg, AUTH_FIELD))
        {
        }
    }
  hb_msg_set_string (msg, AUTH_FIELD, token);
  return TRUE;
}

static GBytes *
encode_netstring_signed (const HbMsg *msg, const HbAuthKey keys[HB_AUTH_MAX_KEYS],
                         guint index, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *token = NULL;

  if (!hb_wire_check_field_count (hb_msg_n_fields (msg), error))
    {
      return NULL;
    }
  hb_wire_netstring_append (out, msg);
  token = hb_auth_sign (keys, index, (const guint8 *) out->str, out->len, error);
  if (token == NULL)
    {
      return NULL;
    }
  hb_wire_netstring_append_one (out, token, strlen (token));
  if (!hb_wire_check_size (out->len, error))
    {
      return NULL;
    }
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

gboolean
hb_wire_encode_signed (HbMsg *msg, const HbAuthKey keys[HB_AUTH_MAX_KEYS], guint active_index,
                       HbWireFormat format, GBytes **out_bytes, GError **error)
{
  GBytes *bytes;

  g_return_val_if_fail (msg != NULL && keys != NULL && out_bytes != NULL, FALSE);
  if (!set_auth_field (msg, keys, active_index, error))
    {
      return FALSE;
    }
  if (format == HB_WIRE_NETSTRING)
    {
      bytes = encode_netstring_signed (msg, keys, active_index, error);
    }
  else
    {
      bytes = hb_wire_encode (msg, HB_WIRE_CLASSIC, error);
    }
  if (bytes == NULL)
    {
      return FALSE;
    }
  *out_bytes = bytes;
  return TRUE;
}
