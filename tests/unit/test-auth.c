/* Unit tests for lib/auth.c: Heartbeat's crc, HMAC-MD5 / HMAC-SHA1 (RFC 2202),
 * token signing and verification with Heartbeat's error wording
 * (docs/PROTOCOL.md, "Authentication"). */
#include "auth.h"

#include <string.h>

/* ---- digests ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  HbAuthMethod method;
  const char *key;      /* bytes, NUL-terminated (RFC 2202 keys have no NUL) */
  const char *data;
  gsize data_len;       /* 0: strlen (data) */
  const char *expected;
} DigestCase;

#define REP16(c) c c c c c c c c c c c c c c c c
#define REP20(c) REP16 (c) c c c c
#define REP50(c) REP16 (c) REP16 (c) REP16 (c) c c
#define REP80(c) REP16 (c) REP16 (c) REP16 (c) REP16 (c) REP16 (c)
#define KEY25 "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10" \
              "\x11\x12\x13\x14\x15\x16\x17\x18\x19"
#define LONG1 "Test Using Larger Than Block-Size Key - Hash Key First"
#define LONG2 "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"

static const DigestCase digest_cases[] = {
  /* CRC check value, printed without zero padding (docs/PROTOCOL.md, "Authentication"). */
  { "crc/check", HB_AUTH_CRC, NULL, "123456789", 0, "765e7680" },
  { "crc/empty", HB_AUTH_CRC, NULL, "", 0, "ffffffff" },
  { "crc/short-output", HB_AUTH_CRC, NULL, "x40", 0, "6a039b" },
  { "crc/empty-key", HB_AUTH_CRC, "", "123456789", 0, "765e7680" },
  /* RFC 2202 section 2: HMAC-MD5 test cases 1-7. */
  { "md5/rfc2202-1", HB_AUTH_MD5, REP16 ("\x0b"), "Hi There", 0, "9294727a3638bb1c13f48ef8158bfc9d" },
  { "md5/rfc2202-2", HB_AUTH_MD5, "Jefe", "what do ya want for nothing?", 0, "750c783e6ab0b503eaa86e310a5db738" },
  { "md5/rfc2202-3", HB_AUTH_MD5, REP16 ("\xaa"), REP50 ("\xdd"), 0, "56be34521d144c88dbb8c733f0e8b3f6" },
  { "md5/rfc2202-4", HB_AUTH_MD5, KEY25, REP50 ("\xcd"), 0, "697eaf0aca3a3aea3a75164746ffaa79" },
  { "md5/rfc2202-5", HB_AUTH_MD5, REP16 ("\x0c"), "Test With Truncation", 0, "56461ef2342edc00f9bab995690efd4c" },
  { "md5/rfc2202-6", HB_AUTH_MD5, REP80 ("\xaa"), LONG1, 0, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
  { "md5/rfc2202-7", HB_AUTH_MD5, REP80 ("\xaa"), LONG2, 0, "6f630fad67cda0ee1fb1f562db3aa53e" },
  /* RFC 2202 section 3: HMAC-SHA1 test cases 1-7. */
  { "sha1/rfc2202-1", HB_AUTH_SHA1, REP20 ("\x0b"), "Hi There", 0, "b617318655057264e28bc0b6fb378c8ef146be00" },
  { "sha1/rfc2202-2", HB_AUTH_SHA1, "Jefe", "what do ya want for nothing?", 0, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
  { "sha1/rfc2202-3", HB_AUTH_SHA1, REP20 ("\xaa"), REP50 ("\xdd"), 0, "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
  { "sha1/rfc2202-4", HB_AUTH_SHA1, KEY25, REP50 ("\xcd"), 0, "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
  { "sha1/rfc2202-5", HB_AUTH_SHA1, REP20 ("\x0c"), "Test With Truncation", 0, "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
  { "sha1/rfc2202-6", HB_AUTH_SHA1, REP80 ("\xaa"), LONG1, 0, "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
  { "sha1/rfc2202-7", HB_AUTH_SHA1, REP80 ("\xaa"), LONG2, 0, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
  /* Embedded NUL in the data: the digest covers len bytes, not strlen. */
  { "sha1/nul-in-data", HB_AUTH_SHA1, "secret", "a\0b", 3, "cfbc212ebb365463377aa41d5b0015b68fef6f3d" },
};

static void
test_digest (gconstpointer data)
{
  const DigestCase *c = data;
  g_autoptr (GError) error = NULL;
  gsize len = c->data_len ? c->data_len : strlen (c->data);
  g_autofree char *digest = NULL;

  digest = hb_auth_digest (c->method, c->key, (const guint8 *) c->data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest, ==, c->expected);
}

typedef struct
{
  const char *name;
  HbAuthMethod method;
  const char *key;
} BadKeyCase;

static const BadKeyCase bad_key_cases[] = {
  { "crc-with-key", HB_AUTH_CRC, "secret" },
  { "md5-without-key", HB_AUTH_MD5, NULL },
  { "md5-empty-key", HB_AUTH_MD5, "" },
  { "sha1-without-key", HB_AUTH_SHA1, NULL },
  { "none", HB_AUTH_NONE, NULL },
  { "out-of-range", (HbAuthMethod) 42, "x" },
};

static void
test_digest_bad_key (gconstpointer data)
{
  const BadKeyCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *digest = hb_auth_digest (c->method, c->key, (const guint8 *) "x", 1, &error);

  g_assert_null (digest);
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_KEY);
}

static void
test_crc_raw (void)
{
  g_assert_cmphex (hb_auth_crc32 ((const guint8 *) "123456789", 9), ==, 0x765e7680u);
  /* Different from POSIX cksum, which appends the length: 930766865 = 0x377a6011. */
  g_assert_cmphex (hb_auth_crc32 ((const guint8 *) "123456789", 9), !=, 0x377a6011u);
  g_assert_cmphex (hb_auth_crc32 (NULL, 0), ==, 0xffffffffu);
}

typedef struct
{
  const char *a;
  const char *b;
  gboolean equal;
} EqualCase;

static const EqualCase equal_cases[] = {
  { "", "", TRUE },
  { "abc", "abc", TRUE },
  { "abc", "abd", FALSE },
  { "abc", "ab", FALSE },
  { "ab", "abc", FALSE },
  { "", "a", FALSE },
  { "765e7680", "765e7681", FALSE },
  { "Abc", "abc", FALSE },
};

static void
test_equal (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (equal_cases); i++)
    {
      const EqualCase *c = &equal_cases[i];
      g_assert_cmpint (hb_auth_equal (c->a, c->b), ==, c->equal);
    }
}

/* ---- sign / verify -------------------------------------------------------------- */

/* Indexes as in the 3.0.6 captures plus a rollover key. */
static void
fill_keys (HbAuthKey keys[HB_AUTH_MAX_KEYS])
{
  memset (keys, 0, sizeof (HbAuthKey) * HB_AUTH_MAX_KEYS);
  keys[1] = (HbAuthKey) { HB_AUTH_CRC, NULL };
  keys[2] = (HbAuthKey) { HB_AUTH_MD5, (char *) "secret" };
  keys[3] = (HbAuthKey) { HB_AUTH_SHA1, (char *) "secret" };
  keys[15] = (HbAuthKey) { HB_AUTH_SHA1, (char *) "other" };
}

static const char payload[] = "t=status\nst=active\nsrc=node1\n";

static void
test_sign_verify_all (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  const guint indexes[] = { 1, 2, 3, 15 };

  fill_keys (keys);
  for (gsize i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *token = hb_auth_sign (keys, indexes[i], (const guint8 *) payload,
                                             strlen (payload), &error);
      g_assert_no_error (error);
      g_assert_cmpint (hb_auth_verify (keys, token, strlen (token), (const guint8 *) payload,
                                       strlen (payload), "node1", &error), ==, (gint) indexes[i]);
      g_assert_no_error (error);
    }
}

static void
test_sign_format (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;

  fill_keys (keys);
  token = hb_auth_sign (keys, 1, (const guint8 *) "123456789", 9, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "1 765e7680");
}

static void
test_sign_unconfigured (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;

  fill_keys (keys);
  token = hb_auth_sign (keys, 4, (const guint8 *) "x", 1, &error);
  g_assert_null (token);
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_KEY);
  g_clear_error (&error);
  token = hb_auth_sign (keys, 16, (const guint8 *) "x", 1, &error);
  g_assert_null (token);
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_KEY);
}

typedef struct
{
  const char *name;
  const char *token;     /* NULL: a correctly signed token for index `index` */
  gsize token_len;       /* 0: strlen */
  guint index;           /* for NULL tokens */
  gboolean tamper_data;  /* flip one payload byte after signing */
  const char *receiver_key2; /* non-NULL: receiver's md5 key for index 2 */
  gint code;             /* expected HbAuthError */
  const char *message;   /* expected message, exact */
} VerifyFailCase;

static const VerifyFailCase verify_fail_cases[] = {
  { "tampered-crc", NULL, 0, 1, TRUE, NULL, HB_AUTH_ERROR_MISMATCH, "node [node1] failed authentication" },
  { "tampered-md5", NULL, 0, 2, TRUE, NULL, HB_AUTH_ERROR_MISMATCH, "node [node1] failed authentication" },
  { "tampered-sha1", NULL, 0, 3, TRUE, NULL, HB_AUTH_ERROR_MISMATCH, "node [node1] failed authentication" },
  { "wrong-key", NULL, 0, 2, FALSE, "Secret", HB_AUTH_ERROR_MISMATCH, "node [node1] failed authentication" },
  { "wrong-index", "3 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_MISMATCH, "node [node1] failed authentication" },
  { "unconfigured-index", "4 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_INDEX, "Invalid authentication type [4] in message!" },
  { "index-0-unconfigured", "0 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_INDEX, "Invalid authentication type [0] in message!" },
  { "index-16", "16 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_INDEX, "Invalid authentication type [16] in message!" },
  { "index-huge", "999999999 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_INDEX, "Invalid authentication type [999999999] in message!" },
  { "index-too-many-digits", "9999999999 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "empty", "", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "index-only", "1", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "no-digest", "1 ", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "no-index", " 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "letters-index", "x 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "negative-index", "-1 765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "two-spaces", "1  765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "trailing-word", "1 765e7680 x", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "embedded-nul", "1 765e\0" "7680", 11, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "newline", "1 765e7680\n", 0, 0, FALSE, NULL, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "overlong", "1 0123456789012345678901234567890123456789012345678901234567890123456789"
                "012345678901234567890123456789012345678901234567890123456789", 0, 0, FALSE, NULL,
    HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token" },
  { "uppercase-digest", "1 765E7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_MISMATCH, "node [node1] failed authentication" },
  { "zero-padded-crc", "1 0765e7680", 0, 0, FALSE, NULL, HB_AUTH_ERROR_MISMATCH, "node [node1] failed authentication" },
};

static void
test_verify_fail (gconstpointer data)
{
  const VerifyFailCase *c = data;
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *signed_data = g_strdup ("123456789");
  gsize token_len;

  fill_keys (keys);
  if (c->token == NULL)
    {
      token = hb_auth_sign (keys, c->index, (const guint8 *) signed_data, 9, &error);
      g_assert_no_error (error);
    }
  else
    {
      token = g_memdup2 (c->token, (c->token_len ? c->token_len : strlen (c->token)) + 1);
    }
  token_len = c->token_len ? c->token_len : strlen (token);
  if (c->tamper_data)
    {
      signed_data[4] ^= 0x01;
    }
  if (c->receiver_key2 != NULL)
    {
      keys[2].key = (char *) c->receiver_key2;
    }
  g_assert_cmpint (hb_auth_verify (keys, token, token_len, (const guint8 *) signed_data, 9,
                                   "node1", &error), ==, -1);
  g_assert_error (error, HB_AUTH_ERROR, c->code);
  g_assert_cmpstr (error->message, ==, c->message);
}

static void
test_verify_unknown_peer (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;

  fill_keys (keys);
  g_assert_cmpint (hb_auth_verify (keys, "1 0", 3, (const guint8 *) "x", 1, NULL, &error), ==, -1);
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, "node [?] failed authentication");
}

/* The sender's name comes from a packet that just failed authentication:
 * anyone can put anything there. The message names it as Heartbeat does,
 * but only as a node name can look (printable, no blanks, < HOSTLENG), so
 * it can neither forge log lines nor flood them. */
typedef struct
{
  const char *peer;
  const char *message;
} PeerNameCase;

static const PeerNameCase peer_name_cases[] = {
  { "node1", "node [node1] failed authentication" },
  { "", "node [?] failed authentication" },
  { "x\nheartbeat[1]: CRIT: node y: is dead",
    "node [x?heartbeat[1]:?CRIT:?node?y:?is?dead] failed authentication" },
  { "tab\there\x7f\x1b[2J\xc3\xa9", "node [tab?here??[2J??] failed authentication" },
};

static void
test_verify_peer_name (gconstpointer data)
{
  const PeerNameCase *c = data;
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  g_autoptr (GError) error = NULL;

  fill_keys (keys);
  g_assert_cmpint (hb_auth_verify (keys, "1 0", 3, (const guint8 *) "x", 1, c->peer, &error), ==, -1);
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, c->message);
}

/* A name of HOSTLENG - 1 bytes is shown whole, a longer one cut there. */
static void
test_verify_peer_name_long (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS];
  const gsize lens[] = { 99, 100, 200000 };

  fill_keys (keys);
  for (gsize i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *peer = g_strnfill (lens[i], 'a');
      g_autofree char *shown = g_strnfill (99, 'a');
      g_autofree char *expected = g_strdup_printf ("node [%s%s] failed authentication", shown,
                                                   lens[i] > 99 ? "..." : "");

      g_assert_cmpint (hb_auth_verify (keys, "1 0", 3, (const guint8 *) "x", 1, peer, &error), ==, -1);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

/* A key longer than the 64-byte block is hashed first (RFC 2104 §2), also
 * for authkeys tokens: HMAC(K) == HMAC(MD5(K)) for |K| > 64. */
static void
test_long_key (void)
{
  const char *long_key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-long";
  g_autofree char *hashed = g_compute_checksum_for_string (G_CHECKSUM_MD5, long_key, -1);
  g_autoptr (GError) error = NULL;
  guint8 raw[16];
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  for (int i = 0; i < 16; i++)
    {
      raw[i] = (guint8) g_ascii_xdigit_value (hashed[2 * i]) << 4 | (guint8) g_ascii_xdigit_value (hashed[2 * i + 1]);
    }
  a = hb_auth_digest (HB_AUTH_MD5, long_key, (const guint8 *) "data", 4, &error);
  g_assert_no_error (error);
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_MD5, raw, sizeof raw);
  g_hmac_update (hmac, (const guchar *) "data", 4);
  b = g_strdup (g_hmac_get_string (hmac));
  g_assert_cmpstr (a, ==, b);
}

/* A crc key counts only while crc is the active method: during a rollover
 * (`auth 1` / `1 sha1 secret` / `2 crc`) a crc-signed packet is refused. */
static void
test_crc_only_when_active (void)
{
  HbAuthKey keys[HB_AUTH_MAX_KEYS] = { 0 };
  g_autoptr (GError) error = NULL;

  keys[1].method = HB_AUTH_SHA1;
  keys[1].key = (char *) "secret";
  keys[2].method = HB_AUTH_CRC;
  keys[3].method = HB_AUTH_MD5;
  keys[3].key = (char *) "other";
  g_assert_true (hb_auth_index_accepted (keys, 1, 1, NULL));
  g_assert_true (hb_auth_index_accepted (keys, 1, 3, NULL));
  g_assert_false (hb_auth_index_accepted (keys, 1, 2, &error));
  g_assert_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_WEAK);
  g_assert_nonnull (strstr (error->message, "crc (key 2)"));
  g_assert_nonnull (strstr (error->message, "auth 1"));
  /* the seed deployment: crc is the method, so crc is what it accepts */
  g_assert_true (hb_auth_index_accepted (keys, 2, 2, NULL));
  g_assert_true (hb_auth_index_accepted (keys, 2, 1, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (digest_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/auth/digest/%s", digest_cases[i].name);
      g_test_add_data_func (path, &digest_cases[i], test_digest);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_key_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/auth/digest-bad-key/%s", bad_key_cases[i].name);
      g_test_add_data_func (path, &bad_key_cases[i], test_digest_bad_key);
    }
  g_test_add_func ("/auth/crc-raw", test_crc_raw);
  g_test_add_func ("/auth/equal", test_equal);
  g_test_add_func ("/auth/long-key", test_long_key);
  g_test_add_func ("/auth/sign-verify-all", test_sign_verify_all);
  g_test_add_func ("/auth/sign-format", test_sign_format);
  g_test_add_func ("/auth/sign-unconfigured", test_sign_unconfigured);
  for (gsize i = 0; i < G_N_ELEMENTS (verify_fail_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/auth/verify-fail/%s", verify_fail_cases[i].name);
      g_test_add_data_func (path, &verify_fail_cases[i], test_verify_fail);
    }
  g_test_add_func ("/auth/verify-unknown-peer", test_verify_unknown_peer);
  for (gsize i = 0; i < G_N_ELEMENTS (peer_name_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/auth/verify-peer-name/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &peer_name_cases[i], test_verify_peer_name);
    }
  g_test_add_func ("/auth/verify-peer-name-long", test_verify_peer_name_long);
  g_test_add_func ("/auth/crc-only-when-active", test_crc_only_when_active);
  return g_test_run ();
}
