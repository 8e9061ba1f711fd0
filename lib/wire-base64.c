/* systole: strict base64 decoding for classic binary fields (docs/PROTOCOL.md, "Classic encoding").
 *
 * Heartbeat writes binary values (e.g. the 16-byte srcuuid) with the standard
 * alphabet and '=' padding, no line breaks (CG lib/clplumbing/base64.c). We
 * accept exactly that and only its canonical form (unused bits zero), so the
 * classic re-serialization that the auth digest covers is the text received.
 */
#include "wire-private.h"

static gint
sextet (char c)
{
  if (c >= 'A' && c <= 'Z')
    {
      return c - 'A';
    }
  if (c >= 'a' && c <= 'z')
    {
      return c - 'a' + 26;
    }
  if (c >= '0' && c <= '9')
    {
      return c - '0' + 52;
    }
  if (c == '+')
    {
      return 62;
    }
  if (c == '/')
    {
      return 63;
    }
  return -1;
}

/* Decodes one 4-character quantum; `last` allows '=' padding. Returns the
 * number of bytes written (1..3) or -1. */
static gint
decode_quantum (const char *in, gboolean last, guint8 *out)
{
  gint pad = 0;
  guint32 bits = 0;

  if (last)
    {
      pad = (in[3] == '=') + (in[3] == '=' && in[2] == '=');
    }
  for (gint i = 0; i < 4 - pad; i++)
    {
      gint v = sextet (in[i]);
      if (v < 0)
        {
          return -1;
        }
      bits = (bits << 6) | (guint32) v;
    }
  bits <<= 6 * pad;
  /* Canonical form only: the bits hidden by padding must be zero. */
  if ((pad == 1 && (bits & 0xff) != 0) || (pad == 2 && (bits & 0xffff) != 0))
    {
      return -1;
    }
  out[0] = (guint8) (bits >> 16);
  out[1] = (guint8) (bits >> 8);
  out[2] = (guint8) bits;
  return 3 - pad;
}

guint8 *
hb_wire_base64_decode (const char *text, gsize text_len, gsize *out_len)
{
  g_autofree guint8 *out = NULL;
  gsize n = 0;

  if (text_len % 4 != 0)
    {
      return NULL;
    }
  out = g_malloc (text_len / 4 * 3 + 1);
  for (gsize i = 0; i < text_len; i += 4)
    {
      gint got = decode_quantum (text + i, i + 4 == text_len, out + n);
      if (got < 0)
        {
          return NULL;
        }
      n += (gsize) got;
    }
  *out_len = n;
  return g_steal_pointer (&out);
}
