/* systole: a cheap first pass over a received datagram, before any message
 * is built (issue 9: an unauthenticated 64 KB datagram of 16k tiny fields
 * cost 3.6 ms to decode before its signature was checked).
 *
 * The pass allocates nothing. It counts the fields, refusing more than
 * HB_WIRE_MAX_FIELDS, and finds the bytes the signature covers when the
 * format tells them without decoding (docs/PROTOCOL.md, "Authentication"):
 *
 * - netstring: the trailer signs the exact bytes "###\n" through "%%%\n";
 * - classic: the `auth` field signs the other fields as "name=value\n"
 *   lines in order, as our decoder would re-encode them. When the datagram
 *   is already in that form (no blank or CR-led lines, no "(0)" prefix, a
 *   single `auth` line and it is the last, as every 3.0.6 sender and we
 *   write it) those lines are the raw bytes between ">>>\n" and the auth
 *   line: strict base64 (wire-base64.c) re-encodes to the same text, and a
 *   0x13 stays 0x13. Otherwise the signed text is known only after
 *   decoding, which the field cap keeps cheap.
 *
 * Anything malformed is left to the decoder, which names the problem.
 */
#include "wire-private.h"

#include <string.h>

#define AUTH_LINE "auth="
#define CLASSIC_SRC "src="
#define NETSTRING_SRC "(0)src="

static gboolean
count_field (HbWireScan *scan, GError **error)
{
  return hb_wire_check_field_count (++scan->n_fields, error);
}

static gboolean
has_prefix (const guint8 *p, gsize len, const char *prefix)
{
  gsize n = strlen (prefix);

  return len >= n && memcmp (p, prefix, n) == 0;
}

/* A "(N)name=" line whose name is `auth`: not the canonical auth line. */
static gboolean
is_typed_auth (const guint8 *line, gsize len)
{
  return len >= 3 && line[0] == '(' && has_prefix (line + 3, len - 3, AUTH_LINE);
}

static gboolean
scan_classic (const guint8 *data, gsize len, HbWireScan *scan, GError **error)
{
  gsize pos = HB_WIRE_MARK_LEN;
  gboolean canonical = TRUE;
  const guint8 *auth = NULL;
  gsize auth_len = 0;

  while (pos < len)
    {
      const guint8 *line = data + pos;
      const guint8 *nl;
      gsize line_len;

      if (*line == '\n' || *line == '\r')
        {
          canonical = FALSE; /* the decoder skips these; the signed text has none */
          pos++;
          continue;
        }
      if (has_prefix (line, len - pos, HB_WIRE_CLASSIC_END))
        {
          if (canonical && auth != NULL)
            {
              scan->signed_data = data + HB_WIRE_MARK_LEN;
              scan->signed_len = (gsize) (auth - scan->signed_data);
              scan->token = auth + strlen (AUTH_LINE);
              scan->token_len = auth_len - strlen (AUTH_LINE);
            }
          return TRUE;
        }
      nl = memchr (line, '\n', len - pos);
      if (nl == NULL)
        {
          return TRUE; /* truncated: the decoder says so */
        }
      line_len = (gsize) (nl - line);
      if (!count_field (scan, error))
        {
          return FALSE;
        }
      canonical = canonical && auth == NULL; /* the auth line must be the last */
      if (has_prefix (line, line_len, AUTH_LINE))
        {
          auth = line;
          auth_len = line_len;
        }
      else if (line[0] == '(')
        {
          canonical = canonical && line_len >= 3 && line[1] == '1' && !is_typed_auth (line, line_len);
        }
      else if (scan->src == NULL && has_prefix (line, line_len, CLASSIC_SRC))
        {
          scan->src = line + strlen (CLASSIC_SRC);
          scan->src_len = line_len - strlen (CLASSIC_SRC);
        }
      pos += line_len + 1;
    }
  return TRUE;
}

static gboolean
scan_netstring (const guint8 *data, gsize len, HbWireScan *scan, GError **error)
{
  gsize pos = HB_WIRE_MARK_LEN;
  gsize body_len;

  while (!(len - pos >= HB_WIRE_MARK_LEN
           && memcmp (data + pos, HB_WIRE_NETSTRING_END, HB_WIRE_MARK_LEN) == 0))
    {
      const guint8 *payload;
      gsize payload_len;

      if (pos == len || !hb_wire_netstring_peel (data, len, &pos, &payload, &payload_len, NULL))
        {
          return TRUE; /* the decoder names the problem */
        }
      if (!count_field (scan, error))
        {
          return FALSE;
        }
      if (scan->src == NULL && has_prefix (payload, payload_len, NETSTRING_SRC))
        {
          scan->src = payload + strlen (NETSTRING_SRC);
          scan->src_len = payload_len - strlen (NETSTRING_SRC);
        }
    }
  body_len = pos + HB_WIRE_MARK_LEN;
  pos = body_len;
  if (pos < len
      && (!hb_wire_netstring_peel (data, len, &pos, &scan->token, &scan->token_len, NULL)
          || pos != len))
    {
      scan->token = NULL;
      return TRUE; /* junk after the trailer: the decoder says so */
    }
  /* Without a trailer the token stays NULL: a bad token, before decoding. */
  scan->signed_data = data;
  scan->signed_len = body_len;
  return TRUE;
}

gboolean
hb_wire_scan (const guint8 *data, gsize len, HbWireScan *scan, GError **error)
{
  memset (scan, 0, sizeof *scan);
  if (len > HB_WIRE_MAXMSG || len < HB_WIRE_MARK_LEN)
    {
      return TRUE;
    }
  if (memcmp (data, HB_WIRE_CLASSIC_START, HB_WIRE_MARK_LEN) == 0)
    {
      return scan_classic (data, len, scan, error);
    }
  if (memcmp (data, HB_WIRE_NETSTRING_START, HB_WIRE_MARK_LEN) == 0)
    {
      return scan_netstring (data, len, scan, error);
    }
  return TRUE;
}
