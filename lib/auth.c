/* systole: crc / md5 / sha1 message authentication (docs/PROTOCOL.md, "Authentication").
 *
 * md5 and sha1 are plain HMAC (RFC 2104) as Heartbeat's HBauth plugins compute
 * them; GLib's GHmac implements it, including hashing keys longer than the
 * 64-byte block first. crc is Heartbeat's own CRC-32 variant (below).
 */
#include "auth.h"

#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (hb-auth-error-quark, hb_auth_error)

/* Longest token we parse: "15 " + a sha1 digest is 43 bytes. */
#define MAX_TOKEN_LEN 128
#define MAX_INDEX_DIGITS 9

/* HB3 lib/plugins/HBauth/crc.c: polynomial 0x04C11DB7 processed MSB first,
 * initial value 0, result complemented, and, unlike POSIX cksum, no length
 * appended. Bitwise rather than table-driven: packets are a few hundred bytes. */
guint32
hb_auth_crc32 (const guint8 *data, gsize len)
{
  guint32 crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= (guint32) data[i] << 24;
      for (int bit = 0; bit < 8; bit++)
        {
          crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
        }
    }
  return ~crc;
}

static char *
hmac_hex (GChecksumType type, const char *key, const guint8 *data, gsize len)
{
  g_autoptr (GHmac) hmac = g_hmac_new (type, (const guchar *) key, strlen (key));

  g_hmac_update (hmac, data, (gssize) len);
  /* g_hmac_get_string() is lowercase hex, as Heartbeat prints it. */
  return g_strdup (g_hmac_get_string (hmac));
}

char *
hb_auth_digest (HbAuthMethod method, const char *key, const guint8 *data, gsize len,
                GError **error)
{
  gboolean has_key = key != NULL && key[0] != '\0';

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  switch (method)
    {
    case HB_AUTH_CRC:
      if (has_key)
        {
          break; /* "Auth method [crc] doesn't use a key" (docs/PROTOCOL.md, "authkeys") */
        }
      /* Printed with %lx: no leading zeros. */
      return g_strdup_printf ("%" G_GINT32_MODIFIER "x", hb_auth_crc32 (data, len));
    case HB_AUTH_MD5:
    case HB_AUTH_SHA1:
      if (!has_key)
        {
          break;
        }
      return hmac_hex (method == HB_AUTH_MD5 ? G_CHECKSUM_MD5 : G_CHECKSUM_SHA1, key, data, len);
    case HB_AUTH_NONE:
    default:
      break;
    }
  g_set_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_KEY,
               "unusable auth method %d %s a key", (int) method, has_key ? "with" : "without");
  return NULL;
}

/* The running time depends on the lengths only, never on where the first
 * difference is, so a forger learns nothing from timing. */
gboolean
hb_auth_equal (const char *a, const char *b)
{
  gsize len_a = strlen (a);
  gsize len_b = strlen (b);
  guint8 diff = len_a != len_b;
  gsize n = MIN (len_a, len_b);

  for (gsize i = 0; i < n; i++)
    {
      diff |= (guint8) (a[i] ^ b[i]);
    }
  return diff == 0;
}

char *
hb_auth_sign (const HbAuthKey keys[HB_AUTH_MAX_KEYS], guint index, const guint8 *data,
              gsize len, GError **error)
{
  g_autofree char *digest = NULL;

  g_return_val_if_fail (keys != NULL, NULL);
  if (index >= HB_AUTH_MAX_KEYS || keys[index].method == HB_AUTH_NONE)
    {
      g_set_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_KEY,
                   "Auth Key [%u] not configured", index);
      return NULL;
    }
  digest = hb_auth_digest (keys[index].method, keys[index].key, data, len, error);
  if (digest == NULL)
    {
      return NULL;
    }
  /* add_msg_auth / msg2netstring_ll: "%d %s". */
  return g_strdup_printf ("%u %s", index, digest);
}

/* Heartbeat reads tokens with sscanf "%d %s". We accept what it writes:
 * decimal index, one space, a digest of visible characters, nothing else. */
static gboolean
parse_token (const char *token, gsize token_len, guint64 *index, const char **digest)
{
  gsize digits = 0;

  while (digits < token_len && g_ascii_isdigit (token[digits]))
    {
      digits++;
    }
  if (digits == 0 || digits > MAX_INDEX_DIGITS || digits + 1 >= token_len
      || token[digits] != ' ')
    {
      return FALSE;
    }
  for (gsize i = digits + 1; i < token_len; i++)
    {
      if (token[i] <= ' ' || token[i] > '~')
        {
          return FALSE;
        }
    }
  *index = g_ascii_strtoull (token, NULL, 10);
  *digest = token + digits + 1;
  return TRUE;
}

/* Node names are shorter than HOSTLENG (docs/PROTOCOL.md, "Size limits"). */
#define PEER_NAME_MAX 99

/* How the mismatch message names the sender. Its `src` comes from a packet
 * that just failed authentication, so anyone on the network chose it: show
 * it only as a node name can look (visible ASCII, at most 99 bytes, '?' for
 * anything else, "..." when cut), so it can neither forge log lines nor make
 * every dropped packet's text unique and long. */
static char *
peer_for_log (const char *peer)
{
  GString *out;
  gsize i;

  if (peer == NULL || peer[0] == '\0')
    {
      return g_strdup ("?");
    }
  out = g_string_new (NULL);
  for (i = 0; peer[i] != '\0' && i < PEER_NAME_MAX; i++)
    {
      g_string_append_c (out, peer[i] > ' ' && peer[i] <= '~' ? peer[i] : '?');
    }
  if (peer[i] != '\0')
    {
      g_string_append (out, "...");
    }
  return g_string_free (out, FALSE);
}

gint
hb_auth_verify (const HbAuthKey keys[HB_AUTH_MAX_KEYS], const char *token, gsize token_len,
                const guint8 *data, gsize len, const char *peer, GError **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *expected = NULL;
  const char *digest;
  guint64 index;

  g_return_val_if_fail (keys != NULL, -1);
  copy = token != NULL && token_len <= MAX_TOKEN_LEN ? g_strndup (token, token_len) : NULL;
  if (copy == NULL || strlen (copy) != token_len || !parse_token (copy, token_len, &index, &digest))
    {
      g_set_error_literal (error, HB_AUTH_ERROR, HB_AUTH_ERROR_BAD_TOKEN, "Bad/invalid auth token");
      return -1;
    }
  if (index >= HB_AUTH_MAX_KEYS || keys[index].method == HB_AUTH_NONE)
    {
      g_set_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_BAD_INDEX,
                   "Invalid authentication type [%" G_GUINT64_FORMAT "] in message!", index);
      return -1;
    }
  expected = hb_auth_digest (keys[index].method, keys[index].key, data, len, error);
  if (expected == NULL)
    {
      return -1;
    }
  if (!hb_auth_equal (digest, expected))
    {
      g_autofree char *shown = peer_for_log (peer);

      g_set_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_MISMATCH,
                   "node [%s] failed authentication", shown);
      return -1;
    }
  return (gint) index;
}

gboolean
hb_auth_index_accepted (const HbAuthKey keys[HB_AUTH_MAX_KEYS], guint active, guint index,
                        GError **error)
{
  g_return_val_if_fail (keys != NULL && index < HB_AUTH_MAX_KEYS, FALSE);
  if (keys[index].method != HB_AUTH_CRC || (active < HB_AUTH_MAX_KEYS && keys[active].method == HB_AUTH_CRC))
    {
      return TRUE;
    }
  g_set_error (error, HB_AUTH_ERROR, HB_AUTH_ERROR_WEAK,
               "signed with crc (key %u), which is not the active method (auth %u): refused, as "
               "anyone can compute crc",
               index, active);
  return FALSE;
}
