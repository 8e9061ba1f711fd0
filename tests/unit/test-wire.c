/* Unit tests for lib/wire*.c: HbMsg, classic and netstring encode/decode,
 * malformed and oversize input, signed encode/decode. */
#include "wire.h"
#include "auth.h"

#include <string.h>

static const guint8 uuid16[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

static void
assert_msg_equal (const HbMsg *a, const HbMsg *b)
{
  g_assert_cmpuint (hb_msg_n_fields (a), ==, hb_msg_n_fields (b));
  for (guint i = 0; i < hb_msg_n_fields (a); i++)
    {
      const HbField *fa = hb_msg_nth (a, i);
      const HbField *fb = hb_msg_nth (b, i);
      g_assert_cmpstr (fa->name, ==, fb->name);
      g_assert_cmpint (fa->type, ==, fb->type);
      g_assert_cmpmem (fa->value, fa->len, fb->value, fb->len);
    }
}

/* ---- HbMsg ------------------------------------------------------------------------- */

static void
test_msg_basic (void)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autoptr (HbMsg) copy = NULL;
  gsize len = 0;

  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_binary (msg, "srcuuid", uuid16, sizeof uuid16);
  hb_msg_add_hex (msg, "seq", 0x1a2);
  hb_msg_add_uint (msg, "ttl", 3);
  hb_msg_add_string (msg, "t", "duplicate");
  hb_msg_add_printf (msg, "info", "%s-%d", "x", 7);

  g_assert_cmpuint (hb_msg_n_fields (msg), ==, 6);
  g_assert_cmpstr (hb_msg_get (msg, "t"), ==, "status"); /* first match */
  g_assert_cmpstr (hb_msg_get (msg, "seq"), ==, "1a2");
  g_assert_cmpstr (hb_msg_get (msg, "ttl"), ==, "3");
  g_assert_cmpstr (hb_msg_get (msg, "info"), ==, "x-7");
  g_assert_null (hb_msg_get (msg, "srcuuid")); /* binary is not a string */
  g_assert_null (hb_msg_get (msg, "missing"));
  g_assert_cmpmem (hb_msg_get_binary (msg, "srcuuid", &len), len, uuid16, sizeof uuid16);
  g_assert_null (hb_msg_get_binary (msg, "t", &len));
  g_assert_null (hb_msg_nth (msg, 6));
  g_assert_cmpstr (hb_msg_lookup (msg, "ttl")->name, ==, "ttl");

  copy = hb_msg_copy (msg);
  assert_msg_equal (msg, copy);

  /* set replaces in place, keeping the position */
  hb_msg_set_string (msg, "seq", "1a3");
  g_assert_cmpstr (hb_msg_nth (msg, 2)->name, ==, "seq");
  g_assert_cmpstr (hb_msg_get (msg, "seq"), ==, "1a3");
  hb_msg_set_binary (msg, "seq", "ab", 2);
  g_assert_cmpint (hb_msg_nth (msg, 2)->type, ==, HB_FIELD_BINARY);
  hb_msg_set_string (msg, "auth", "1 0");
  g_assert_cmpstr (hb_msg_nth (msg, 6)->name, ==, "auth");
  g_assert_cmpstr (hb_msg_get (copy, "seq"), ==, "1a2"); /* copy is deep */

  g_assert_true (hb_msg_remove (msg, "t"));
  g_assert_cmpstr (hb_msg_get (msg, "t"), ==, "duplicate");
  g_assert_true (hb_msg_remove (msg, "t"));
  g_assert_false (hb_msg_remove (msg, "t"));
  g_assert_cmpuint (hb_msg_n_fields (msg), ==, 5);
}

static void
test_msg_log_string (void)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autofree char *text = NULL;

  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_binary (msg, "srcuuid", uuid16, sizeof uuid16);
  hb_msg_add_string (msg, "info", "a\nb");
  text = hb_msg_to_log_string (msg);
  g_assert_cmpstr (text, ==, "t=status (1)srcuuid=<16 bytes> info=a\\nb");
}

typedef struct
{
  const char *name;
  gboolean valid;
} NameCase;

static const NameCase name_cases[] = {
  { "t", TRUE }, { "srcuuid", TRUE }, { "rsc_hold", TRUE }, { "a-b.c:d", TRUE },
  { "", FALSE }, { "a=b", FALSE }, { "a b", FALSE }, { "a\nb", FALSE }, { "a\rb", FALSE },
  { "(1)x", FALSE }, { "(x", FALSE }, { "\x13", FALSE }, { "caf\xc3\xa9", FALSE }, { "a\tb", FALSE },
};

static void
test_msg_names (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_assert_cmpint (hb_msg_name_is_valid (name_cases[i].name), ==, name_cases[i].valid);
    }
  g_assert_false (hb_msg_name_is_valid (NULL));
}

typedef struct
{
  const char *text;
  gboolean hex_ok;
  guint64 hex;
  gboolean dec_ok;
  guint64 dec;
} NumberCase;

static const NumberCase number_cases[] = {
  { "0", TRUE, 0, TRUE, 0 },
  { "1a2", TRUE, 0x1a2, FALSE, 0 },
  { "10", TRUE, 16, TRUE, 10 },
  { "6b0321b3", TRUE, 0x6b0321b3, FALSE, 0 },
  { "ffffffffffffffff", TRUE, G_MAXUINT64, FALSE, 0 },
  { "18446744073709551615", FALSE, 0, TRUE, G_MAXUINT64 },
  { "10000000000000000", FALSE, 0, TRUE, 10000000000000000ull }, /* 17 hex digits overflow */
  { "18446744073709551616", FALSE, 0, FALSE, 0 },
  { "", FALSE, 0, FALSE, 0 },
  { "0x10", FALSE, 0, FALSE, 0 },
  { "+1", FALSE, 0, FALSE, 0 },
  { "-1", FALSE, 0, FALSE, 0 },
  { " 1", FALSE, 0, FALSE, 0 },
  { "1 ", FALSE, 0, FALSE, 0 },
  { "n/a", FALSE, 0, FALSE, 0 },
};

static void
test_msg_numbers (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (number_cases); i++)
    {
      const NumberCase *c = &number_cases[i];
      g_autoptr (HbMsg) msg = hb_msg_new ();
      guint64 value = 12345;

      hb_msg_add_string (msg, "n", c->text);
      g_assert_cmpint (hb_msg_get_hex (msg, "n", &value), ==, c->hex_ok);
      if (c->hex_ok)
        {
          g_assert_cmphex (value, ==, c->hex);
        }
      g_assert_cmpint (hb_msg_get_uint (msg, "n", &value), ==, c->dec_ok);
      if (c->dec_ok)
        {
          g_assert_cmpuint (value, ==, c->dec);
        }
    }
  g_autoptr (HbMsg) msg = hb_msg_new ();
  guint64 value;
  hb_msg_add_binary (msg, "b", "12", 2);
  g_assert_false (hb_msg_get_hex (msg, "b", &value));
  g_assert_false (hb_msg_get_uint (msg, "missing", &value));
}

static void
test_limits (void)
{
  g_autofree char *name99 = g_strnfill (99, 'n');
  g_autofree char *name100 = g_strnfill (100, 'n');

  g_assert_true (hb_wire_node_name_is_valid ("node1"));
  g_assert_true (hb_wire_node_name_is_valid (name99));
  g_assert_false (hb_wire_node_name_is_valid (name100));
  g_assert_false (hb_wire_node_name_is_valid (""));
  g_assert_false (hb_wire_node_name_is_valid ("node 1"));
  g_assert_false (hb_wire_node_name_is_valid ("node\n"));
  g_assert_false (hb_wire_node_name_is_valid (NULL));
  g_assert_true (hb_wire_status_is_valid ("active"));
  g_assert_true (hb_wire_status_is_valid ("0123456789012345678901234567890"));
  g_assert_false (hb_wire_status_is_valid ("01234567890123456789012345678901"));
  g_assert_false (hb_wire_status_is_valid (""));
}

/* ---- exact encodings ---------------------------------------------------------------- */

static HbMsg *
sample_msg (void)
{
  HbMsg *msg = hb_msg_new ();

  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_string (msg, "info", "two\nlines=x");
  hb_msg_add_binary (msg, "srcuuid", uuid16, sizeof uuid16);
  hb_msg_add_string (msg, "e", "");
  return msg;
}

static void
test_encode_classic_exact (void)
{
  g_autoptr (HbMsg) msg = sample_msg ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = hb_wire_encode (msg, HB_WIRE_CLASSIC, &error);
  g_autofree char *text = NULL;
  g_autofree char *fields = NULL;
  /* Newline as 0x13, binary as "(1)" + base64, datagram = strlen + 1
   * (docs/PROTOCOL.md, "Classic encoding"). */
  static const char expected[] = ">>>\nt=status\ninfo=two\x13lines=x\n"
                                 "(1)srcuuid=AAECAwQFBgcICQoLDA0ODw==\ne=\n<<<\n";

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, sizeof expected);
  text = hb_wire_encode_text (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected);
  fields = hb_wire_classic_fields (msg, "info", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fields, ==, "t=status\n(1)srcuuid=AAECAwQFBgcICQoLDA0ODw==\ne=\n");
}

static void
test_encode_netstring_exact (void)
{
  g_autoptr (HbMsg) msg = sample_msg ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = hb_wire_encode (msg, HB_WIRE_NETSTRING, &error);
  /* L = 3 + name + 1 + value, raw values, no escaping (docs/PROTOCOL.md,
   * "Netstring encoding"). */
  static const char expected[] = "###\n11:(0)t=status,19:(0)info=two\nlines=x,"
                                 "27:(1)srcuuid=\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f,"
                                 "5:(0)e=,%%%\n";

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, sizeof expected - 1);
}

static void
test_encode_unencodable (void)
{
  g_autoptr (HbMsg) msg = hb_msg_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  hb_msg_add_string (msg, "info", "a\x13" "b");
  bytes = hb_wire_encode (msg, HB_WIRE_CLASSIC, &error);
  g_assert_null (bytes);
  g_assert_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_UNENCODABLE);
  g_clear_error (&error);
  /* netstring carries any byte */
  bytes = hb_wire_encode (msg, HB_WIRE_NETSTRING, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
}

/* ---- round trips ------------------------------------------------------------------ */

typedef HbMsg *(*MsgBuilder) (void);

static HbMsg *
build_empty (void)
{
  return hb_msg_new ();
}

static HbMsg *
build_status (void)
{
  HbMsg *msg = hb_msg_new ();

  hb_msg_add_string (msg, "t", "status");
  hb_msg_add_string (msg, "st", "active");
  hb_msg_add_hex (msg, "dt", 30000);
  hb_msg_add_string (msg, "protocol", "1");
  hb_msg_add_string (msg, "src", "node1");
  hb_msg_add_binary (msg, "srcuuid", uuid16, sizeof uuid16);
  hb_msg_add_hex (msg, "seq", 0x1a2);
  hb_msg_add_string (msg, "ld", "0.00 0.01 0.05 1/211 3120");
  hb_msg_add_uint (msg, "ttl", 3);
  return msg;
}

static HbMsg *
build_awkward (void)
{
  HbMsg *msg = hb_msg_new ();
  guint8 all[256];

  for (int i = 0; i < 256; i++)
    {
      all[i] = (guint8) i;
    }
  hb_msg_add_string (msg, "nl", "\n\nline\n\n");
  hb_msg_add_string (msg, "cr", "\r\r\n");
  hb_msg_add_string (msg, "eq", "a=b=c=");
  hb_msg_add_string (msg, "marks", ">>>\n<<<\n###\n%%%\n");
  hb_msg_add_string (msg, "comma", ",5:x,");
  hb_msg_add_string (msg, "high", "\xff\xfe\x80");
  hb_msg_add_string (msg, "empty", "");
  hb_msg_add_binary (msg, "b0", "", 0);
  hb_msg_add_binary (msg, "b1", "\0", 1);
  hb_msg_add_binary (msg, "b2", "\n\0", 2);
  hb_msg_add_binary (msg, "b256", all, sizeof all);
  hb_msg_add_string (msg, "dup", "1");
  hb_msg_add_string (msg, "dup", "2");
  return msg;
}

typedef struct
{
  const char *name;
  MsgBuilder build;
} RoundTripCase;

static const RoundTripCase round_trip_cases[] = {
  { "empty", build_empty },
  { "status", build_status },
  { "awkward", build_awkward },
};

static void
round_trip (const HbMsg *msg, HbWireFormat format)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = hb_wire_encode (msg, format, &error);
  g_autoptr (HbMsg) back = NULL;
  HbWireFrame frame;
  gsize len;
  const guint8 *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  back = hb_wire_decode (data, len, &frame, &error);
  g_assert_no_error (error);
  assert_msg_equal (msg, back);
  g_assert_cmpint (frame.format, ==, format);
  g_assert_null (frame.trailer);
  if (format == HB_WIRE_CLASSIC)
    {
      g_assert_cmpuint (data[len - 1], ==, 0);
      g_assert_cmpuint (frame.body_len, ==, len - 1);
      /* also without the NUL (FIFO text) */
      g_autoptr (HbMsg) again = hb_wire_decode (data, len - 1, NULL, &error);
      g_assert_no_error (error);
      assert_msg_equal (msg, again);
    }
  else
    {
      g_assert_cmpuint (frame.body_len, ==, len);
    }
}

static void
test_round_trip (gconstpointer data)
{
  const RoundTripCase *c = data;
  g_autoptr (HbMsg) msg = c->build ();

  round_trip (msg, HB_WIRE_CLASSIC);
  round_trip (msg, HB_WIRE_NETSTRING);
}

/* ---- decoding: accepted variants ----------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *data;
  gsize len;
  const char *fields; /* expected, as hb_msg_to_log_string prints them */
} GoodCase;

#define S(x) x, sizeof x - 1

static const GoodCase good_cases[] = {
  { "classic/blank-runs", S (">>>\n\n\r\nt=a\n\n\nst=b\n\r\n<<<\n\0"), "t=a st=b" },
  { "classic/cr-in-value", S (">>>\nt=a\r\n<<<\n"), "t=a\\r" },
  { "classic/eq-in-value", S (">>>\na=b=c\n<<<\n"), "a=b=c" },
  { "classic/explicit-string-type", S (">>>\n(0)t=x\n<<<\n"), "t=x" },
  { "classic/escaped-newline", S (">>>\ni=a\x13" "b\n<<<\n"), "i=a\\nb" },
  { "classic/empty-binary", S (">>>\n(1)u=\n<<<\n"), "(1)u=<0 bytes>" },
  { "classic/binary", S (">>>\n(1)u=AA==\n(1)v=AAA=\n(1)w=AAAA\n<<<\n"),
    "(1)u=<1 bytes> (1)v=<2 bytes> (1)w=<3 bytes>" },
  { "classic/no-fields", S (">>>\n<<<\n\0"), "" },
  { "netstring/no-trailer", S ("###\n6:(0)t=x,%%%\n"), "t=x" },
  { "netstring/trailer", S ("###\n6:(0)t=x,%%%\n5:1 abc,"), "t=x" },
  { "netstring/leading-zeros", S ("###\n006:(0)t=x,%%%\n"), "t=x" },
  { "netstring/eq-in-value", S ("###\n8:(0)t=x=y,%%%\n"), "t=x=y" },
  { "netstring/newline-in-value", S ("###\n7:(0)t=\n\n,%%%\n"), "t=\\n\\n" },
  { "netstring/binary-with-nul", S ("###\n7:(1)u=\0\0,%%%\n"), "(1)u=<2 bytes>" },
  { "netstring/empty-value", S ("###\n5:(0)t=,%%%\n"), "t=" },
  { "netstring/no-fields", S ("###\n%%%\n"), "" },
};

static void
test_decode_good (gconstpointer data)
{
  const GoodCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMsg) msg = hb_wire_decode ((const guint8 *) c->data, c->len, NULL, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = hb_msg_to_log_string (msg);
  g_assert_cmpstr (text, ==, c->fields);
}

static void
test_decode_frame (void)
{
  static const char data[] = "###\n6:(0)t=x,%%%\n5:1 abc,";
  g_autoptr (GError) error = NULL;
  HbWireFrame frame;
  g_autoptr (HbMsg) msg = hb_wire_decode ((const guint8 *) data, sizeof data - 1, &frame, &error);

  g_assert_no_error (error);
  g_assert_cmpint (frame.format, ==, HB_WIRE_NETSTRING);
  g_assert_cmpuint (frame.body_len, ==, strlen ("###\n6:(0)t=x,%%%\n"));
  g_assert_cmpmem (frame.trailer, frame.trailer_len, "1 abc", 5);
}

/* ---- decoding: rejected input ---------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *data;
  gsize len;
  HbWireError code;
} BadCase;

static const BadCase bad_cases[] = {
  { "empty", S (""), HB_WIRE_ERROR_NO_HEADER },
  { "short-header", S (">>>"), HB_WIRE_ERROR_NO_HEADER },
  { "end-only", S ("<<<\n"), HB_WIRE_ERROR_NO_HEADER },
  { "text", S ("hello world"), HB_WIRE_ERROR_NO_HEADER },
  { "header-cr", S (">>>\r\nt=a\n<<<\n"), HB_WIRE_ERROR_NO_HEADER },
  { "nul-first", S ("\0>>>\nt=a\n<<<\n"), HB_WIRE_ERROR_NO_HEADER },
  { "classic/header-only", S (">>>\n"), HB_WIRE_ERROR_NO_TRAILER },
  { "classic/no-end", S (">>>\nt=status\n"), HB_WIRE_ERROR_NO_TRAILER },
  { "classic/cut-line", S (">>>\nt=status"), HB_WIRE_ERROR_NO_TRAILER },
  { "classic/end-without-newline", S (">>>\nt=status\n<<<"), HB_WIRE_ERROR_NO_TRAILER },
  { "classic/no-equals", S (">>>\nfoo\n<<<\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "classic/empty-name", S (">>>\n=value\n<<<\n"), HB_WIRE_ERROR_EMPTY_NAME },
  { "classic/empty-binary-name", S (">>>\n(1)=AA==\n<<<\n"), HB_WIRE_ERROR_EMPTY_NAME },
  { "classic/struct", S (">>>\n(2)sub=>>>\x14t=x\x14<<<\x14\n<<<\n"), HB_WIRE_ERROR_UNSUPPORTED_TYPE },
  { "classic/list", S (">>>\n(3)l=a\n<<<\n"), HB_WIRE_ERROR_UNSUPPORTED_TYPE },
  { "classic/compressed", S (">>>\n(4)c=a\n<<<\n"), HB_WIRE_ERROR_UNSUPPORTED_TYPE },
  { "classic/bad-type", S (">>>\n(x)a=b\n<<<\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "classic/open-paren", S (">>>\n(1a=b\n<<<\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "classic/paren-name", S (">>>\n(1)(1)a=AA==\n<<<\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "classic/blank-in-name", S (">>>\na b=c\n<<<\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "classic/base64-length", S (">>>\n(1)u=abc\n<<<\n"), HB_WIRE_ERROR_BAD_VALUE },
  { "classic/base64-char", S (">>>\n(1)u=ab!d\n<<<\n"), HB_WIRE_ERROR_BAD_VALUE },
  { "classic/base64-noncanonical", S (">>>\n(1)u=AB==\n<<<\n"), HB_WIRE_ERROR_BAD_VALUE },
  { "classic/base64-pad3", S (">>>\n(1)u=A===\n<<<\n"), HB_WIRE_ERROR_BAD_VALUE },
  { "classic/base64-inner-pad", S (">>>\n(1)u=AA==AAAA\n<<<\n"), HB_WIRE_ERROR_BAD_VALUE },
  { "classic/base64-blank", S (">>>\n(1)u=AA AA\n<<<\n"), HB_WIRE_ERROR_BAD_VALUE },
  { "classic/embedded-nul", S (">>>\nt=a\0b\n<<<\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "classic/nul-before-end", S (">>>\nt=a\n\0<<<\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "classic/trailing-junk", S (">>>\nt=a\n<<<\njunk"), HB_WIRE_ERROR_TRAILING_DATA },
  { "classic/two-nuls", S (">>>\nt=a\n<<<\n\0\0"), HB_WIRE_ERROR_TRAILING_DATA },
  { "classic/second-message", S (">>>\nt=a\n<<<\n>>>\nt=b\n<<<\n"), HB_WIRE_ERROR_TRAILING_DATA },
  { "netstring/header-only", S ("###\n"), HB_WIRE_ERROR_NO_TRAILER },
  { "netstring/no-end", S ("###\n11:(0)t=status,"), HB_WIRE_ERROR_NO_TRAILER },
  { "netstring/cut-end", S ("###\n11:(0)t=status,%%%"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/truncated-field", S ("###\n11:(0)t=statu"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/length-too-long", S ("###\n99:(0)t=x,%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/length-too-short", S ("###\n5:(0)t=x,%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/huge-length", S ("###\n99999999:(0)t=x,%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/overflow-length", S ("###\n18446744073709551617:(0)t=x,%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/no-length", S ("###\n:(0)t=x,%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/junk-in-length", S ("###\n6x:(0)t=x,%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/negative-length", S ("###\n-6:(0)t=x,%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/no-colon", S ("###\n6"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/bad-terminator", S ("###\n6:(0)t=x;%%%\n"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/no-equals", S ("###\n4:(0)t,%%%\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "netstring/no-type", S ("###\n3:t=x,%%%\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "netstring/short-type", S ("###\n2:(0,%%%\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "netstring/zero-length", S ("###\n0:,%%%\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "netstring/empty-name", S ("###\n5:(0)=x,%%%\n"), HB_WIRE_ERROR_EMPTY_NAME },
  { "netstring/struct", S ("###\n7:(2)s=xy,%%%\n"), HB_WIRE_ERROR_UNSUPPORTED_TYPE },
  { "netstring/compressed", S ("###\n7:(4)c=xy,%%%\n"), HB_WIRE_ERROR_UNSUPPORTED_TYPE },
  { "netstring/nul-in-string", S ("###\n8:(0)t=a\0b,%%%\n"), HB_WIRE_ERROR_BAD_VALUE },
  { "netstring/nul-in-name", S ("###\n8:(0)t\0u=b,%%%\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "netstring/newline-in-name", S ("###\n8:(0)t\nu=b,%%%\n"), HB_WIRE_ERROR_BAD_FIELD },
  { "netstring/trailer-junk", S ("###\n6:(0)t=x,%%%\n5:1 abc,junk"), HB_WIRE_ERROR_TRAILING_DATA },
  { "netstring/two-trailers", S ("###\n6:(0)t=x,%%%\n5:1 abc,5:1 abc,"), HB_WIRE_ERROR_TRAILING_DATA },
  { "netstring/trailer-overrun", S ("###\n6:(0)t=x,%%%\n9:1 abc,"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/trailer-garbage", S ("###\n6:(0)t=x,%%%\nxyz"), HB_WIRE_ERROR_BAD_LENGTH },
  { "netstring/trailer-nul", S ("###\n6:(0)t=x,%%%\n\0"), HB_WIRE_ERROR_BAD_LENGTH },
};

static void
test_decode_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr (GError) error = NULL;
  HbWireFrame frame = { 0 };
  g_autoptr (HbMsg) msg = hb_wire_decode ((const guint8 *) c->data, c->len, &frame, &error);

  g_assert_null (msg);
  g_assert_error (error, HB_WIRE_ERROR, (gint) c->code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

/* Every strict prefix of a valid message is rejected, never read past. */
static void
test_decode_prefixes (void)
{
  g_autoptr (HbMsg) msg = build_status ();

  for (int f = HB_WIRE_CLASSIC; f <= HB_WIRE_NETSTRING; f++)
    {
      g_autoptr (GBytes) bytes = hb_wire_encode (msg, (HbWireFormat) f, NULL);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      /* classic without its NUL is still whole, so stop one earlier */
      gsize whole = f == HB_WIRE_CLASSIC ? len - 1 : len;

      for (gsize cut = 0; cut < whole; cut++)
        {
          g_autoptr (GError) error = NULL;
          /* a fresh heap copy so that ASan catches any read past `cut` */
          g_autofree guint8 *copy = g_memdup2 (data, cut);
          g_autoptr (HbMsg) back = hb_wire_decode (copy, cut, NULL, &error);
          g_assert_null (back);
          g_assert_nonnull (error);
        }
    }
}

/* ---- size limits (docs/PROTOCOL.md, "Size limits") --------------------------------- */

static HbMsg *
msg_with_value_of (gsize n)
{
  HbMsg *msg = hb_msg_new ();
  g_autofree char *value = g_strnfill (n, 'v');

  hb_msg_add_string (msg, "v", value);
  return msg;
}

static void
test_size_limits (void)
{
  /* classic datagram: ">>>\n" "v=" value "\n" "<<<\n" NUL = value + 12 bytes */
  const gsize max_value = HB_WIRE_MAXMSG - 1 - 12;
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMsg) fits = msg_with_value_of (max_value);
  g_autoptr (HbMsg) too_big = msg_with_value_of (max_value + 1);
  g_autoptr (GBytes) bytes = hb_wire_encode (fits, HB_WIRE_CLASSIC, &error);
  g_autoptr (GBytes) none = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, HB_WIRE_MAXMSG - 1);
  none = hb_wire_encode (too_big, HB_WIRE_CLASSIC, &error);
  g_assert_null (none);
  g_assert_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_BIG);
  g_clear_error (&error);
  text = hb_wire_encode_text (too_big, &error);
  g_assert_null (text);
  g_assert_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_BIG);
  g_clear_error (&error);
  g_autoptr (HbMsg) huge = msg_with_value_of (HB_WIRE_MAXMSG);
  none = hb_wire_encode (huge, HB_WIRE_NETSTRING, &error);
  g_assert_null (none);
  g_assert_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_BIG);
  g_clear_error (&error);
}

static void
test_decode_size_limits (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMsg) msg = NULL;
  /* exactly MAXMSG bytes (the receive buffer) is accepted, one more is not */
  GString *buf = g_string_new (">>>\nv=");
  g_autofree char *data = NULL;
  gsize len;

  while (buf->len < HB_WIRE_MAXMSG - 5)
    {
      g_string_append_c (buf, 'v');
    }
  g_string_append (buf, "\n<<<\n");
  len = buf->len;
  data = g_string_free (buf, FALSE);
  g_assert_cmpuint (len, ==, HB_WIRE_MAXMSG);
  msg = hb_wire_decode ((const guint8 *) data, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (msg);

  g_autofree char *bigger = g_malloc (HB_WIRE_MAXMSG + 2);
  memcpy (bigger, data, len - 5);
  memcpy (bigger + len - 5, "v\n<<<\n", 6);
  g_autoptr (HbMsg) none = hb_wire_decode ((const guint8 *) bigger, HB_WIRE_MAXMSG + 1, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, HB_WIRE_ERROR, HB_WIRE_ERROR_TOO_BIG);
}

/* ---- signed messages ---------------------------------------------------------------- */

static void
fill_keys (HbAuthKey keys[HB_AUTH_MAX_KEYS])
{
  memset (keys, 0, sizeof (HbAuthKey) * HB_AUTH_MAX_KEYS);
  keys[1] = (HbAuthKey) { HB_AUTH_CRC, NULL };
  keys[2] = (HbAuthKey) { HB_AUTH_MD5, (char *) "secret" };
  keys[3] = (HbAuthKey) { HB_AUTH_SHA1, (char *) "secret" };
}

static void
test_signed_round_trip (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];

  fill_keys (keys);
  for (guint index = 1; index <= 3; index++)
    {
      for (int f = HB_WIRE_CLASSIC; f <= HB_WIRE_NETSTRING; f++)
        {
          g_autoptr (HbMsg) msg = build_awkward ();
          g_autoptr (HbMsg) back = NULL;
          g_autoptr (GBytes) bytes = NULL;
          g_autoptr (GError) error = NULL;
          gsize len;
          const guint8 *data;

          g_assert_true (hb_wire_encode_signed (msg, keys, index, (HbWireFormat) f, &bytes, &error));
          g_assert_no_error (error);
          /* the auth field is last, "<index> <digest>" */
          g_assert_cmpstr (hb_msg_nth (msg, hb_msg_n_fields (msg) - 1)->name, ==, "auth");
          g_assert_cmpint (hb_msg_get (msg, "auth")[0], ==, '0' + (int) index);
          data = g_bytes_get_data (bytes, &len);
          g_assert_cmpint (hb_wire_decode_and_verify (data, len, keys, &back, &error), ==, (gint) index);
          g_assert_no_error (error);
          assert_msg_equal (msg, back);

          /* signing again replaces the field in place */
          g_autoptr (GBytes) again = NULL;
          g_assert_true (hb_wire_encode_signed (msg, keys, index, (HbWireFormat) f, &again, &error));
          g_assert_true (g_bytes_equal (bytes, again));
        }
    }
}

/* Flipping any single byte of a signed classic status packet never verifies
 * (it is rejected as malformed or fails authentication). */
static void
test_signed_tamper_every_byte (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];

  fill_keys (keys);
  for (int f = HB_WIRE_CLASSIC; f <= HB_WIRE_NETSTRING; f++)
    {
      g_autoptr (HbMsg) msg = build_status ();
      g_autoptr (GBytes) bytes = NULL;
      gsize len;

      g_assert_true (hb_wire_encode_signed (msg, keys, 2, (HbWireFormat) f, &bytes, NULL));
      g_autofree guint8 *copy = g_bytes_unref_to_data (g_steal_pointer (&bytes), &len);
      for (gsize i = 0; i < len; i++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (HbMsg) back = NULL;

          /* the classic terminator NUL is not signed: changing it only breaks framing */
          copy[i] ^= 0x20;
          g_assert_cmpint (hb_wire_decode_and_verify (copy, len, keys, &back, &error), ==, -1);
          g_assert_null (back);
          g_assert_nonnull (error);
          copy[i] ^= 0x20;
        }
    }
}

typedef struct
{
  const char *name;
  const char *data;
  gsize len;
  GQuark (*domain) (void);
  gint code;
} VerifyBadCase;

static const VerifyBadCase verify_bad_cases[] = {
  { "classic/no-auth", S (">>>\nt=status\nsrc=n1\n<<<\n\0"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_TOKEN },
  { "classic/two-auth", S (">>>\nt=status\nauth=1 1\nauth=1 1\n<<<\n\0"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_TOKEN },
  { "classic/binary-auth", S (">>>\nt=status\n(1)auth=AAAA\n<<<\n\0"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_TOKEN },
  { "classic/bad-token", S (">>>\nt=status\nauth=x\n<<<\n\0"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_TOKEN },
  { "classic/unknown-index", S (">>>\nt=status\nauth=7 abc\n<<<\n\0"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_INDEX },
  { "classic/mismatch", S (">>>\nt=status\nauth=1 abc\n<<<\n\0"), hb_auth_error_quark, HB_AUTH_ERROR_MISMATCH },
  { "netstring/no-trailer", S ("###\n6:(0)t=x,%%%\n"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_TOKEN },
  { "netstring/empty-trailer", S ("###\n6:(0)t=x,%%%\n0:,"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_TOKEN },
  { "netstring/unknown-index", S ("###\n6:(0)t=x,%%%\n5:9 abc,"), hb_auth_error_quark, HB_AUTH_ERROR_BAD_INDEX },
  { "netstring/mismatch", S ("###\n6:(0)t=x,%%%\n5:1 abc,"), hb_auth_error_quark, HB_AUTH_ERROR_MISMATCH },
  { "malformed", S ("garbage"), hb_wire_error_quark, HB_WIRE_ERROR_NO_HEADER },
};

static void
test_verify_bad (gconstpointer data)
{
  const VerifyBadCase *c = data;
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  HbMsg *msg = NULL;

  fill_keys (keys);
  g_assert_cmpint (hb_wire_decode_and_verify ((const guint8 *) c->data, c->len, keys, &msg, &error), ==, -1);
  g_assert_null (msg);
  g_assert_error (error, c->domain (), c->code);
}

static void
test_verify_names_peer (void)
{
  static const char data[] = ">>>\nt=status\nsrc=node2\nauth=1 abc\n<<<\n";
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;

  fill_keys (keys);
  g_assert_cmpint (hb_wire_decode_and_verify ((const guint8 *) data, sizeof data, keys, NULL, &error), ==, -1);
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, "node [node2] failed authentication");
}

/* Error texts reach the log through the daemon's bad-packet line: a peer's
 * field name (unbounded on the wire) is quoted only in part, and a forged
 * `src` of an unauthenticated packet cannot break the line. */
static void
test_errors_bound_peer_text (void)
{
  g_autofree char *name = g_strnfill (100000, 'n');
  g_autofree char *classic = g_strdup_printf (">>>\n(1)%s=!!!!\n<<<\n", name);
  g_autoptr (GString) netstring = g_string_new ("###\n");
  const char *forged = ">>>\nt=status\nsrc=a\x13" "CRIT: b\nauth=1 0\n<<<\n";
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autofree char *field = g_strdup_printf ("(0)%s=a", name);
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  field[strlen (field) - 1] = '\0'; /* a NUL inside the value */
  g_string_append_printf (netstring, "%" G_GSIZE_FORMAT ":", strlen (name) + 5);
  g_string_append_len (netstring, field, (gssize) strlen (name) + 5);
  g_string_append_c (netstring, ',');
  g_string_append (netstring, "%%%\n");
  g_assert_null (hb_wire_decode ((const guint8 *) classic, strlen (classic), NULL, &e1));
  g_assert_error (e1, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_VALUE);
  g_assert_cmpuint (strlen (e1->message), <, 200);
  g_assert_null (hb_wire_decode ((const guint8 *) netstring->str, netstring->len, NULL, &e2));
  g_assert_error (e2, HB_WIRE_ERROR, HB_WIRE_ERROR_BAD_VALUE);
  g_assert_cmpuint (strlen (e2->message), <, 200);
  fill_keys (keys);
  g_assert_cmpint (hb_wire_decode_and_verify ((const guint8 *) forged, strlen (forged), keys, NULL, &e3), ==, -1);
  g_assert_error (e3, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
  g_assert_cmpstr (e3->message, ==, "node [a?CRIT:?b] failed authentication");
}

/* Found by fuzz-wire: several auth fields must not survive signing, or our
 * own packet fails verification. */
static void
test_sign_duplicate_auth (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];

  fill_keys (keys);
  for (int f = HB_WIRE_CLASSIC; f <= HB_WIRE_NETSTRING; f++)
    {
      g_autoptr (HbMsg) msg = build_status ();
      g_autoptr (HbMsg) back = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) error = NULL;

      hb_msg_add_string (msg, "auth", "1 0");
      hb_msg_add_string (msg, "x", "y");
      hb_msg_add_string (msg, "auth", "2 0");
      g_assert_true (hb_wire_encode_signed (msg, keys, 3, (HbWireFormat) f, &bytes, &error));
      g_assert_cmpstr (hb_msg_nth (msg, hb_msg_n_fields (msg) - 1)->name, ==, "auth");
      g_assert_true (hb_msg_remove (msg, "auth"));
      g_assert_null (hb_msg_lookup (msg, "auth"));
      g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                                  keys, &back, &error), ==, 3);
      g_assert_no_error (error);
    }
}

/* An auth field that is not last keeps its place (ha_msg_mod). */
static void
test_sign_in_place (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (HbMsg) msg = build_status ();
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  fill_keys (keys);
  hb_msg_add_string (msg, "auth", "old");
  hb_msg_add_string (msg, "after", "1");
  g_assert_true (hb_wire_encode_signed (msg, keys, 1, HB_WIRE_CLASSIC, &bytes, &error));
  g_assert_cmpstr (hb_msg_nth (msg, hb_msg_n_fields (msg) - 2)->name, ==, "auth");
  g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                              keys, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

static void
test_sign_unconfigured (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (HbMsg) msg = build_status ();
  g_autoptr (GError) error = NULL;
  GBytes *bytes = NULL;

  fill_keys (keys);
  g_assert_false (hb_wire_encode_signed (msg, keys, 5, HB_WIRE_CLASSIC, &bytes, &error));
  g_assert_null (bytes);
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_KEY);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/msg/basic", test_msg_basic);
  g_test_add_func ("/wire/msg/log-string", test_msg_log_string);
  g_test_add_func ("/wire/msg/names", test_msg_names);
  g_test_add_func ("/wire/msg/numbers", test_msg_numbers);
  g_test_add_func ("/wire/limits/names", test_limits);
  g_test_add_func ("/wire/encode/classic-exact", test_encode_classic_exact);
  g_test_add_func ("/wire/encode/netstring-exact", test_encode_netstring_exact);
  g_test_add_func ("/wire/encode/unencodable", test_encode_unencodable);
  for (gsize i = 0; i < G_N_ELEMENTS (round_trip_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/wire/round-trip/%s", round_trip_cases[i].name);
      g_test_add_data_func (path, &round_trip_cases[i], test_round_trip);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/wire/decode-good/%s", good_cases[i].name);
      g_test_add_data_func (path, &good_cases[i], test_decode_good);
    }
  g_test_add_func ("/wire/decode/frame", test_decode_frame);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/wire/decode-bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_decode_bad);
    }
  g_test_add_func ("/wire/decode/prefixes", test_decode_prefixes);
  g_test_add_func ("/wire/size/encode", test_size_limits);
  g_test_add_func ("/wire/size/decode", test_decode_size_limits);
  g_test_add_func ("/wire/signed/round-trip", test_signed_round_trip);
  g_test_add_func ("/wire/signed/tamper-every-byte", test_signed_tamper_every_byte);
  for (gsize i = 0; i < G_N_ELEMENTS (verify_bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/wire/verify-bad/%s", verify_bad_cases[i].name);
      g_test_add_data_func (path, &verify_bad_cases[i], test_verify_bad);
    }
  g_test_add_func ("/wire/verify/names-peer", test_verify_names_peer);
  g_test_add_func ("/wire/verify/errors-bound-peer-text", test_errors_bound_peer_text);
  g_test_add_func ("/wire/signed/unconfigured", test_sign_unconfigured);
  g_test_add_func ("/wire/signed/duplicate-auth", test_sign_duplicate_auth);
  g_test_add_func ("/wire/signed/in-place", test_sign_in_place);
  return g_test_run ();
}
