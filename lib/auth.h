/* systole: Heartbeat 3 message authentication (crc, md5, sha1).
 *
 * docs/PROTOCOL.md, "Authentication": digests are lowercase hex; crc is CRC-32 (poly
 * 0x04C11DB7, MSB-first, init 0, final complement, no length append) printed
 * without leading zeros; md5 / sha1 are HMAC (RFC 2104) keyed with the authkeys
 * token as ASCII. Tokens look like "<index> <digest>".
 *
 * Pure code: no I/O. The key table comes from the caller (HbConfig.auth_keys).
 */
#pragma once

#include <glib.h>

#include "config.h" /* HbAuthKey, HbAuthMethod, HB_AUTH_MAX_KEYS */

G_BEGIN_DECLS

#define HB_AUTH_ERROR (hb_auth_error_quark ())
GQuark hb_auth_error_quark (void);

/* Messages use Heartbeat's wording (docs/PROTOCOL.md, "Authentication") so
 * users' log greps keep working. */
typedef enum
{
  HB_AUTH_ERROR_BAD_TOKEN,  /* "Bad/invalid auth token": missing or malformed token */
  HB_AUTH_ERROR_BAD_INDEX,  /* "Invalid authentication type [N] in message!": index not configured */
  HB_AUTH_ERROR_MISMATCH,   /* "node [X] failed authentication": digest differs */
  HB_AUTH_ERROR_KEY,        /* signing with an unusable table entry (crc with key, md5 without) */
  HB_AUTH_ERROR_WEAK,       /* a crc signature while the active method is md5 or sha1 */
} HbAuthError;

/* CRC-32 as Heartbeat's crc plugin computes it; "123456789" -> 0x765e7680. */
guint32 hb_auth_crc32 (const guint8 *data, gsize len);

/* Lowercase hex digest of `data` with `method` and `key` (NULL for crc).
 * NULL with HB_AUTH_ERROR_KEY if the method is HB_AUTH_NONE, crc has a key,
 * or md5/sha1 has none. */
char *hb_auth_digest (HbAuthMethod method, const char *key,
                      const guint8 *data, gsize len, GError **error);

/* Constant-time comparison of two NUL-terminated strings (the running time
 * depends on the lengths only). */
gboolean hb_auth_equal (const char *a, const char *b);

/* "<index> <digest>" for `data` signed with keys[index]. */
char *hb_auth_sign (const HbAuthKey keys[HB_AUTH_MAX_KEYS], guint index,
                    const guint8 *data, gsize len, GError **error);

/* Checks a token "<index> <digest>" (exactly `token_len` bytes, no NUL needed)
 * against `data`: index must be 0..15 and configured; the digest is recomputed
 * with that index's method and key. `peer` (may be NULL) names the sender in
 * the mismatch message, shown as a node name can look (visible ASCII, cut
 * after 99 bytes): it comes from an unauthenticated packet. Returns the
 * index (0..15) or -1 with `error` set. */
gint hb_auth_verify (const HbAuthKey keys[HB_AUTH_MAX_KEYS],
                     const char *token, gsize token_len,
                     const guint8 *data, gsize len,
                     const char *peer, GError **error);

/* Whether a packet that verified with keys[index] may be believed, given
 * that we sign with keys[active]. crc needs no secret: anyone on the segment
 * can compute it, so a `crc` line that is not the active method (a leftover
 * of a key rollover) must not open the cluster to every host; crc counts
 * only when the cluster runs on crc anyway. Heartbeat 3.0.6 accepts any
 * configured index. FALSE with HB_AUTH_ERROR_WEAK. */
gboolean hb_auth_index_accepted (const HbAuthKey keys[HB_AUTH_MAX_KEYS], guint active, guint index,
                                 GError **error);

G_END_DECLS
