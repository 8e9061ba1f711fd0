/* Unit tests for what a received datagram may cost before its signature is
 * checked (issue 9): the field cap, and the signature checked on the raw
 * bytes before any message is built (lib/wire-scan.c). */
#include "wire.h"
#include "auth.h"

#include <string.h>

static void
fill_keys (HbAuthKey keys[HB_AUTH_MAX_KEYS])
{
  memset (keys, 0, sizeof (HbAuthKey) * HB_AUTH_MAX_KEYS);
  keys[1] = (HbAuthKey) { HB_AUTH_CRC, NULL };
  keys[2] = (HbAuthKey) { HB_AUTH_MD5, (char *) "secret" };
  keys[3] = (HbAuthKey) { HB_AUTH_SHA1, (char *) "secret" };
}

/* t, src, then tiny fields up to `n_fields` in all (before auth). */
static HbMsg *
msg_with_fields (guint n_fields)
{
  HbMsg *msg = hb_msg_new ();

  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_string (msg, "src", "node1");
  for (guint i = 2; i < n_fields; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", i);
      hb_msg_add_string (msg, name, "x");
    }
  return msg;
}

static GBytes *
signed_bytes (HbMsg *msg, HbWireFormat format)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  GBytes *bytes = NULL;

  fill_keys (keys);
  g_assert_true (hb_wire_encode_signed (msg, keys, 3, format, &bytes, &error));
  g_assert_no_error (error);
  return bytes;
}

/* Insert `text` at `at` into `bytes`. */
static GBytes *
splice (GBytes *bytes, gsize at, const char *text)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, data, (guint) at);
  g_byte_array_append (out, (const guint8 *) text, (guint) strlen (text));
  g_byte_array_append (out, data + at, (guint) (len - at));
  return g_byte_array_free_to_bytes (out);
}

/* A signed message of exactly HB_WIRE_MAX_FIELDS fields (auth included)
 * decodes and verifies; one more field is refused with a clear error, by
 * the decoder and before the signature is checked; and we never send one. */
static void
test_field_cap (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  static const char *const extra[] = { "x=y\n", "6:(0)x=y," };

  fill_keys (keys);
  for (int f = HB_WIRE_CLASSIC; f <= HB_WIRE_NETSTRING; f++)
    {
      g_autoptr (HbMsg) ok_msg = msg_with_fields (HB_WIRE_MAX_FIELDS - 1);
      g_autoptr (HbMsg) big_msg = msg_with_fields (HB_WIRE_MAX_FIELDS);
      g_autoptr (GBytes) ok_bytes = signed_bytes (ok_msg, (HbWireFormat) f);
      g_autoptr (GBytes) big_bytes = splice (ok_bytes, 4, extra[f]);
      g_autoptr (GBytes) refused = NULL;
      g_autoptr (HbMsg) back = NULL;
      g_autoptr (HbMsg) decoded = NULL;
      g_autoptr (GError) e1 = NULL;
      g_autoptr (GError) e2 = NULL;
      g_autoptr (GError) e3 = NULL;
      g_autoptr (GError) e4 = NULL;
      g_autofree char *limit = g_strdup_printf ("more than %d fields", HB_WIRE_MAX_FIELDS);

      g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (ok_bytes, NULL),
                                                  g_bytes_get_size (ok_bytes), keys, &back, &e1),
                       ==, 3);
      g_assert_no_error (e1);
      g_assert_cmpuint (hb_msg_n_fields (back), ==, HB_WIRE_MAX_FIELDS);

      g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (big_bytes, NULL),
                                                  g_bytes_get_size (big_bytes), keys, NULL, &e2),
                       ==, -1);
      g_assert_error (e2, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_MANY_FIELDS);
      g_assert_nonnull (strstr (e2->message, limit));
      decoded = hb_wire_decode (g_bytes_get_data (big_bytes, NULL), g_bytes_get_size (big_bytes),
                                NULL, &e3);
      g_assert_null (decoded);
      g_assert_error (e3, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_MANY_FIELDS);

      /* 128 fields plus the auth field: not sent. */
      g_assert_false (hb_wire_encode_signed (big_msg, keys, 3, (HbWireFormat) f, &refused, &e4));
      g_assert_error (e4, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_MANY_FIELDS);
    }
}

/* The reviewer's datagram: 64 KB of ~16k tiny fields, unsigned. Refused for
 * its field count (before its signature, before building anything). */
static void
test_tiny_field_flood (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GString) classic = g_string_new (">>>\n");
  g_autoptr (GString) netstring = g_string_new ("###\n");
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;

  fill_keys (keys);
  while (classic->len < 64 * 1024)
    {
      g_string_append (classic, "a=\n");
      g_string_append (netstring, "5:(0)a=,");
    }
  g_string_append (classic, "auth=1 0\n<<<\n");
  g_string_append (netstring, "%%%\n4:1 00,");
  g_assert_cmpint (hb_wire_decode_and_verify ((const guint8 *) classic->str, classic->len, keys,
                                              NULL, &e1), ==, -1);
  g_assert_error (e1, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_MANY_FIELDS);
  g_assert_cmpint (hb_wire_decode_and_verify ((const guint8 *) netstring->str, netstring->len,
                                              keys, NULL, &e2), ==, -1);
  g_assert_error (e2, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_MANY_FIELDS);
}

/* A datagram whose signature does not verify is refused for that, even when
 * a field further on would not decode: the signature is checked on the raw
 * bytes first (netstring: "###\n".."%%%\n"; classic in the form every
 * sender writes: the lines before the final auth line). */
static void
test_signature_before_fields (void)
{
  static const char netstring[] = "###\n6:(0)t=x,8:(0)v=a\0b,%%%\n4:3 00,";
  static const char classic[] = ">>>\nt=x\nsrc=n2\nno-equals\nauth=3 00\n<<<\n";
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;

  fill_keys (keys);
  g_assert_cmpint (hb_wire_decode_and_verify ((const guint8 *) netstring, sizeof netstring - 1,
                                              keys, NULL, &e1), ==, -1);
  g_assert_error (e1, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
  g_assert_cmpint (hb_wire_decode_and_verify ((const guint8 *) classic, sizeof classic - 1, keys,
                                              NULL, &e2), ==, -1);
  g_assert_error (e2, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
  /* The peer is still named from the raw bytes. */
  g_assert_cmpstr (e2->message, ==, "node [n2] failed authentication");
}

/* Classic datagrams not in the usual form are still judged like Heartbeat
 * judges them (the signature over the decoded fields re-encoded): blank
 * lines, "(0)" prefixes and an auth field that is not last verify; a
 * second auth field does not. */
static void
test_classic_other_forms (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (HbMsg) msg = msg_with_fields (4);
  g_autoptr (GBytes) bytes = signed_bytes (msg, HB_WIRE_CLASSIC);
  g_autoptr (GBytes) blank = splice (bytes, 4, "\n\r\n");
  g_autoptr (GBytes) typed = splice (bytes, 4, "(0)");
  g_autoptr (GBytes) twice = splice (bytes, 4, "auth=3 00\n");
  g_autoptr (HbMsg) in_place = msg_with_fields (3);
  g_autoptr (GBytes) not_last = NULL;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;

  fill_keys (keys);
  hb_msg_add_string (in_place, "auth", "old");
  hb_msg_add_string (in_place, "after", "1");
  not_last = signed_bytes (in_place, HB_WIRE_CLASSIC);
  g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (blank, NULL),
                                              g_bytes_get_size (blank), keys, NULL, &e1), ==, 3);
  g_assert_no_error (e1);
  g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (typed, NULL),
                                              g_bytes_get_size (typed), keys, NULL, &e2), ==, 3);
  g_assert_no_error (e2);
  g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (not_last, NULL),
                                              g_bytes_get_size (not_last), keys, NULL, &e3), ==, 3);
  g_assert_no_error (e3);
  g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (twice, NULL),
                                              g_bytes_get_size (twice), keys, NULL, &e4), ==, -1);
  g_assert_error (e4, HB_AUTH_ERROR, HB_AUTH_ERROR_BAD_TOKEN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wire/limits/field-cap", test_field_cap);
  g_test_add_func ("/wire/limits/tiny-field-flood", test_tiny_field_flood);
  g_test_add_func ("/wire/limits/signature-before-fields", test_signature_before_fields);
  g_test_add_func ("/wire/limits/classic-other-forms", test_classic_other_forms);
  return g_test_run ();
}
