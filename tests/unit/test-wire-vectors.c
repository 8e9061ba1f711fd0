/* Interoperability tests against 81 real Heartbeat 3.0.6 UDP payloads
 * (tests/data/hb306, captured with authkeys "1 crc", "2 md5 secret",
 * "3 sha1 secret"), plus a replay of the committed fuzz corpus. */
#include "wire.h"
#include "auth.h"

#include <string.h>

#define VECTOR_COUNT 81

typedef struct
{
  char *path;
  char *base;  /* e.g. "md5-001-11-status.bin" */
  guint index; /* auth index the capture used */
  char *type;  /* the t= field, from the file name */
  char *src;   /* node1 (192.0.2.11) or node2 (.12) */
} Vector;

static void
fill_keys (HbAuthKey keys[HB_AUTH_MAX_KEYS])
{
  memset (keys, 0, sizeof (HbAuthKey) * HB_AUTH_MAX_KEYS);
  keys[1] = (HbAuthKey) { HB_AUTH_CRC, NULL };
  keys[2] = (HbAuthKey) { HB_AUTH_MD5, (char *) "secret" };
  keys[3] = (HbAuthKey) { HB_AUTH_SHA1, (char *) "secret" };
}

static GBytes *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* 1. The trailer verifies with the capture's key, and the fields are sane. */
static void
check_decode (const Vector *v, const guint8 *data, gsize len, HbMsg **msg_out)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  const HbField *last;
  gsize uuid_len = 0;

  fill_keys (keys);
  g_assert_cmpint (hb_wire_decode_and_verify (data, len, keys, msg_out, &error), ==, (gint) v->index);
  g_assert_no_error (error);
  g_assert_cmpstr (hb_msg_get (*msg_out, "t"), ==, v->type);
  g_assert_cmpstr (hb_msg_get (*msg_out, "src"), ==, v->src);
  g_assert_nonnull (hb_msg_get_binary (*msg_out, "srcuuid", &uuid_len));
  g_assert_cmpuint (uuid_len, ==, 16);
  last = hb_msg_nth (*msg_out, hb_msg_n_fields (*msg_out) - 1);
  g_assert_cmpstr (last->name, ==, "auth");
}

/* 2. The in-body classic auth field is the classic digest of the other fields
 *    (lib/wire-auth.c explains the source). */
static void
check_classic_field (const Vector *v, const HbMsg *msg)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  g_autofree char *text = hb_wire_classic_fields (msg, "auth", &error);
  const char *auth = hb_msg_get (msg, "auth");

  fill_keys (keys);
  g_assert_no_error (error);
  g_assert_cmpint (hb_auth_verify (keys, auth, strlen (auth), (const guint8 *) text, strlen (text),
                                   NULL, &error), ==, (gint) v->index);
  g_assert_no_error (error);
}

/* 3. Signing the decoded fields again reproduces the capture byte for byte,
 *    and our classic encoding carries the very same auth field. */
static void
check_reencode (const Vector *v, const HbMsg *msg, GBytes *original)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  g_autoptr (HbMsg) copy = hb_msg_copy (msg);
  g_autoptr (HbMsg) classic = hb_msg_copy (msg);
  g_autoptr (HbMsg) back = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) text = NULL;

  fill_keys (keys);
  g_assert_true (hb_wire_encode_signed (copy, keys, v->index, HB_WIRE_NETSTRING, &bytes, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, original));

  g_assert_true (hb_wire_encode_signed (classic, keys, v->index, HB_WIRE_CLASSIC, &text, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (hb_msg_get (classic, "auth"), ==, hb_msg_get (msg, "auth"));
  g_assert_cmpint (hb_wire_decode_and_verify (g_bytes_get_data (text, NULL), g_bytes_get_size (text),
                                              keys, &back, &error), ==, (gint) v->index);
  g_assert_no_error (error);
}

static gsize
find_bytes (const guint8 *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    {
      if (memcmp (data + i, needle, n) == 0)
        {
          return i;
        }
    }
  g_assert_not_reached ();
}

/* 4. One changed byte in a signed field value, in the in-body auth field or
 *    in the trailer digest fails authentication. */
static void
check_tamper (const guint8 *data, gsize len)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autofree guint8 *copy = g_memdup2 (data, len);
  HbWireFrame frame;
  g_autoptr (HbMsg) msg = hb_wire_decode (data, len, &frame, NULL);
  gsize positions[3];

  g_assert_nonnull (msg);
  positions[0] = find_bytes (data, len, "(0)src=node") + 11; /* the node number */
  positions[1] = frame.body_len - 6;                        /* last digit of auth= */
  positions[2] = len - 3;                                   /* trailer digest */
  fill_keys (keys);
  for (gsize i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr (GError) error = NULL;
      gsize at = positions[i];

      copy[at] = copy[at] == '0' ? '1' : '0';
      g_assert_cmpint (hb_wire_decode_and_verify (copy, len, keys, NULL, &error), ==, -1);
      g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
      copy[at] = data[at];
    }
}

/* 5. A receiver with another key, or without the sender's index, refuses. */
static void
check_wrong_keys (const Vector *v, const guint8 *data, gsize len)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;

  fill_keys (keys);
  keys[2].key = (char *) "Secret";
  keys[3].key = (char *) "secreT";
  keys[1].method = v->index == 1 ? HB_AUTH_NONE : HB_AUTH_CRC;
  g_assert_cmpint (hb_wire_decode_and_verify (data, len, keys, NULL, &error), ==, -1);
  if (v->index == 1)
    {
      expected = g_strdup ("Invalid authentication type [1] in message!");
      g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_BAD_INDEX);
    }
  else
    {
      expected = g_strdup_printf ("node [%s] failed authentication", v->src);
      g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
    }
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_vector (gconstpointer data)
{
  const Vector *v = data;
  g_autoptr (GBytes) bytes = load (v->path);
  g_autoptr (HbMsg) msg = NULL;
  gsize len;
  const guint8 *raw = g_bytes_get_data (bytes, &len);

  check_decode (v, raw, len, &msg);
  check_classic_field (v, msg);
  check_reencode (v, msg, bytes);
  check_tamper (raw, len);
  check_wrong_keys (v, raw, len);
}

static Vector *
vector_new (const char *dir, const char *base)
{
  Vector *v = g_new0 (Vector, 1);
  g_auto (GStrv) parts = NULL;
  g_autofree char *stem = g_strndup (base, strlen (base) - strlen (".bin"));

  /* <auth>-<n>-<last octet>-<type>.bin; types may contain '-' */
  parts = g_strsplit (stem, "-", 4);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  v->path = g_build_filename (dir, base, NULL);
  v->base = g_strdup (base);
  v->index = g_str_equal (parts[0], "crc") ? 1 : g_str_equal (parts[0], "md5") ? 2 : 3;
  v->type = g_strdup (parts[3]);
  v->src = g_str_equal (parts[2], "11") ? g_strdup ("node1") : g_strdup ("node2");
  return v;
}

static void
vector_free (gpointer data)
{
  Vector *v = data;

  g_free (v->path);
  g_free (v->base);
  g_free (v->type);
  g_free (v->src);
  g_free (v);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static GPtrArray *
list_dir (const char *dir, const char *suffix)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (suffix == NULL || g_str_has_suffix (name, suffix))
        {
          g_ptr_array_add (names, g_strdup (name));
        }
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
test_vector_count (gconstpointer data)
{
  /* every capture must be found, so a missing data directory cannot pass */
  g_assert_cmpuint (GPOINTER_TO_UINT (data), ==, VECTOR_COUNT);
}

/* Each committed fuzz seed (and crash reproducer) decodes or fails cleanly:
 * an error set exactly when the result is -1. */
static void
test_fuzz_corpus (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "wire", NULL);
  g_autoptr (GPtrArray) names = list_dir (dir, NULL);
  HbAuthKey keys[HB_AUTH_MAX_KEYS];

  fill_keys (keys);
  g_assert_cmpuint (names->len, >, VECTOR_COUNT);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr (GBytes) bytes = load (path);
      g_autoptr (GError) error = NULL;
      g_autoptr (HbMsg) msg = NULL;
      gint index = hb_wire_decode_and_verify (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                              keys, &msg, &error);

      g_assert_cmpint (index < 0, ==, error != NULL);
      g_assert_cmpint (index < 0, ==, msg == NULL);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) vectors = g_ptr_array_new_with_free_func (vector_free);
  g_autofree char *dir = NULL;
  g_autoptr (GPtrArray) names = NULL;

  g_test_init (&argc, &argv, NULL);
  dir = g_test_build_filename (G_TEST_DIST, "data", "hb306", NULL);
  names = list_dir (dir, ".bin");
  for (guint i = 0; i < names->len; i++)
    {
      Vector *v = vector_new (dir, g_ptr_array_index (names, i));
      g_autofree char *path = g_strdup_printf ("/wire/hb306/%s", v->base);

      g_ptr_array_add (vectors, v);
      g_test_add_data_func (path, v, test_vector);
    }
  g_test_add_data_func ("/wire/hb306-count", GUINT_TO_POINTER (names->len), test_vector_count);
  g_test_add_func ("/wire/fuzz-corpus", test_fuzz_corpus);
  return g_test_run ();
}
