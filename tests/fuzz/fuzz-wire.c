/* libFuzzer target for the packet path: hb_wire_decode_and_verify() on
 * arbitrary datagrams, then properties of whatever decodes:
 *   - decode(encode(msg)) == msg in both formats (classic may refuse 0x13),
 *   - a message we sign verifies, with the index we signed with.
 * Any violation aborts, so the fuzzer reports it like a crash.
 * Built only with ./configure --enable-fuzzing CC=clang; run by tests/fuzz/run-fuzz. */
#include "fuzz-common.h"
#include "wire.h"
#include "auth.h"

#include <stdlib.h>
#include <string.h>

static void
fill_keys (HbAuthKey keys[HB_AUTH_MAX_KEYS])
{
  memset (keys, 0, sizeof (HbAuthKey) * HB_AUTH_MAX_KEYS);
  keys[1] = (HbAuthKey) { HB_AUTH_CRC, NULL };
  keys[2] = (HbAuthKey) { HB_AUTH_MD5, (char *) "secret" };
  keys[3] = (HbAuthKey) { HB_AUTH_SHA1, (char *) "secret" };
}

static gboolean
msg_equal (const HbMsg *a, const HbMsg *b)
{
  if (hb_msg_n_fields (a) != hb_msg_n_fields (b))
    {
      return FALSE;
    }
  for (guint i = 0; i < hb_msg_n_fields (a); i++)
    {
      const HbField *fa = hb_msg_nth (a, i);
      const HbField *fb = hb_msg_nth (b, i);
      if (strcmp (fa->name, fb->name) != 0 || fa->type != fb->type || fa->len != fb->len
          || memcmp (fa->value, fb->value, fa->len) != 0)
        {
          return FALSE;
        }
    }
  return TRUE;
}

static void
check_round_trip (const HbMsg *msg, HbWireFormat format)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = hb_wire_encode (msg, format, &error);
  g_autoptr (HbMsg) back = NULL;

  if (bytes == NULL)
    {
      /* only a too-big message or, in classic, a 0x13 byte may refuse */
      require (error != NULL);
      return;
    }
  back = hb_wire_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, &error);
  require (back != NULL && msg_equal (msg, back));
}

static void
check_sign (const HbMsg *msg, const HbAuthKey keys[HB_AUTH_MAX_KEYS], guint index,
            HbWireFormat format)
{
  g_autoptr (HbMsg) copy = hb_msg_copy (msg);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (HbMsg) back = NULL;

  if (!hb_wire_encode_signed (copy, keys, index, format, &bytes, NULL))
    {
      return;
    }
  require (hb_wire_decode_and_verify (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      keys, &back, NULL) == (gint) index);
  require (msg_equal (copy, back));
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMsg) msg = NULL;
  gint index;

  fill_keys (keys);
  index = hb_wire_decode_and_verify (data, size, keys, &msg, &error);
  require ((index < 0) == (error != NULL) && (index < 0) == (msg == NULL));
  g_clear_error (&error);
  g_clear_pointer (&msg, hb_msg_free);

  /* Most inputs fail authentication; keep exercising what decodes. */
  msg = hb_wire_decode (data, size, NULL, &error);
  if (msg == NULL)
    {
      require (error != NULL);
      return 0;
    }
  g_free (hb_msg_to_log_string (msg));
  check_round_trip (msg, HB_WIRE_CLASSIC);
  check_round_trip (msg, HB_WIRE_NETSTRING);
  check_sign (msg, keys, 1 + size % 3, size % 2 ? HB_WIRE_CLASSIC : HB_WIRE_NETSTRING);
  return 0;
}
