/* bench/wire-cost: what hb_wire_decode_and_verify() costs per datagram, for
 * datagrams a sender without the key can send and for valid packets.
 * Prints one line per case: name, bytes, fields, verdict, µs per datagram
 * (median of ROUNDS rounds). Uses only the public wire API, so
 * bench/wire-reject can build it against an older tree as its peer. */
#include <stdio.h>
#include <string.h>

#include "wire.h"

#define ROUNDS 7

typedef struct
{
  const char *name;
  GBytes *bytes;
  guint fields;
} Case;

static void
fill_keys (HbAuthKey keys[HB_AUTH_MAX_KEYS])
{
  memset (keys, 0, sizeof (HbAuthKey) * HB_AUTH_MAX_KEYS);
  keys[1] = (HbAuthKey) { HB_AUTH_SHA1, (char *) "s3cret" };
}

/* ~64 KB of "a=" fields, with a bogus signature. */
static GBytes *
tiny_fields (HbWireFormat format, guint *n)
{
  GString *s = g_string_new (format == HB_WIRE_CLASSIC ? ">>>\n" : "###\n");

  for (*n = 0; s->len < 64 * 1024 - 64; (*n)++)
    {
      g_string_append (s, format == HB_WIRE_CLASSIC ? "a=\n" : "5:(0)a=,");
    }
  g_string_append (s, format == HB_WIRE_CLASSIC ? "auth=1 00\n<<<\n" : "%%%\n4:1 00,");
  return g_string_free_to_bytes (s);
}

/* ~64 KB in `n` fields of large values, signed with another key. */
static GBytes *
big_values (HbWireFormat format, guint n)
{
  HbAuthKey other[HB_AUTH_MAX_KEYS];
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autofree char *value = g_strnfill (64 * 1024 / n - 16, 'v');
  GBytes *bytes = NULL;

  fill_keys (other);
  other[1].key = (char *) "not-the-key";
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", i);
      hb_msg_add_string (msg, name, value);
    }
  g_assert_true (hb_wire_encode_signed (msg, other, 1, format, &bytes, NULL));
  return bytes;
}

/* The same with a blank line after ">>>": not the form senders write, so
 * the signed text is known only after decoding (the slow path). */
static GBytes *
big_values_blank (guint n)
{
  g_autoptr (GBytes) bytes = big_values (HB_WIRE_CLASSIC, n);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, data, 4);
  g_byte_array_append (out, (const guint8 *) "\n", 1);
  g_byte_array_append (out, data + 4, (guint) (len - 4));
  return g_byte_array_free_to_bytes (out);
}

static GBytes *
status (HbWireFormat format)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (HbMsg) msg = hb_msg_new ();
  static const guint8 uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  GBytes *bytes = NULL;

  fill_keys (keys);
  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_string (msg, "st", "active");
  hb_msg_add_hex (msg, "dt", 30000);
  hb_msg_add_string (msg, "protocol", "1");
  hb_msg_add_string (msg, "src", "node1");
  hb_msg_add_binary (msg, "srcuuid", uuid, sizeof uuid);
  hb_msg_add_hex (msg, "seq", 0x1a2);
  hb_msg_add_hex (msg, "hg", 4);
  hb_msg_add_hex (msg, "ts", 0x5581f2a9);
  hb_msg_add_string (msg, "ld", "0.00 0.01 0.05 1/211 3120");
  hb_msg_add_uint (msg, "ttl", 3);
  g_assert_true (hb_wire_encode_signed (msg, keys, 1, format, &bytes, NULL));
  return bytes;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run (const Case *c)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (c->bytes, &len);
  double us[ROUNDS];
  /* About 50 ms a round whatever the case costs. */
  guint iters = len > 8192 ? 200 : 20000;
  gint index = -1;
  g_autoptr (GError) error = NULL;

  fill_keys (keys);
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();

      for (guint i = 0; i < iters; i++)
        {
          g_autoptr (HbMsg) msg = NULL;
          g_clear_error (&error);
          index = hb_wire_decode_and_verify (data, len, keys, &msg, &error);
        }
      us[r] = (double) (g_get_monotonic_time () - t0) / iters;
    }
  qsort (us, ROUNDS, sizeof us[0], cmp_double);
  printf ("%-31s %6" G_GSIZE_FORMAT " B %6u fields  %-9s %9.2f us\n", c->name, len, c->fields,
          index >= 0 ? "accepted" : "rejected", us[ROUNDS / 2]);
  if (error != NULL && g_getenv ("WIRE_COST_VERBOSE") != NULL)
    {
      printf ("    (%s)\n", error->message);
    }
}

int
main (void)
{
  Case cases[7];
  guint n_classic = 0, n_netstring = 0;

  cases[0] = (Case) { "junk tiny fields, classic", tiny_fields (HB_WIRE_CLASSIC, &n_classic), 0 };
  cases[0].fields = n_classic;
  cases[1] = (Case) { "junk tiny fields, netstring", tiny_fields (HB_WIRE_NETSTRING, &n_netstring), 0 };
  cases[1].fields = n_netstring;
  cases[2] = (Case) { "wrong key 64 KB, classic", big_values (HB_WIRE_CLASSIC, 100), 100 };
  cases[3] = (Case) { "wrong key 64 KB, netstring", big_values (HB_WIRE_NETSTRING, 100), 100 };
  cases[4] = (Case) { "wrong key 64 KB, classic+blank", big_values_blank (100), 100 };
  cases[5] = (Case) { "valid status, classic", status (HB_WIRE_CLASSIC), 12 };
  cases[6] = (Case) { "valid status, netstring", status (HB_WIRE_NETSTRING), 12 };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run (&cases[i]);
      g_bytes_unref (cases[i].bytes);
    }
  return 0;
}
