/* systole: parsing of the IPaddr argument grammar (see ipaddr-spec.h). */
#include "ipaddr-spec.h"

#include <string.h>

G_DEFINE_QUARK (hb-ipaddr-error-quark, hb_ipaddr_error)

/* One decimal part of a dotted quad: 1-3 digits, value <= 255. */
static gboolean
parse_octet (const char *text, gsize len, guint *out)
{
  guint value = 0;

  if (len == 0 || len > 3)
    {
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        {
          return FALSE;
        }
      value = value * 10 + (guint) (text[i] - '0');
    }
  *out = value;
  return value <= 255;
}

static gboolean
parse_quad (const char *text, guint32 *out)
{
  const char *p = text;
  guint32 result = 0;

  for (int part = 0; part < 4; part++)
    {
      const char *end = strchr (p, '.');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);
      guint octet;

      if ((part < 3) != (end != NULL) || !parse_octet (p, len, &octet))
        {
          return FALSE;
        }
      result = (result << 8) | octet;
      p += len + 1;
    }
  *out = result;
  return TRUE;
}

gboolean
hb_ipaddr_parse_ipv4 (const char *text, guint32 *ip_out, GError **error)
{
  g_return_val_if_fail (text != NULL && ip_out != NULL, FALSE);

  if (!parse_quad (text, ip_out))
    {
      g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_ADDRESS,
                   "'%s' is not an IPv4 address (expected a.b.c.d)", text);
      return FALSE;
    }
  return TRUE;
}

guint32
hb_ipaddr_mask_from_bits (guint bits)
{
  g_return_val_if_fail (bits <= 32, 0);
  return bits == 0 ? 0 : G_MAXUINT32 << (32 - bits);
}

gint
hb_ipaddr_bits_from_mask (guint32 mask)
{
  guint32 inverted = ~mask;

  /* Contiguous iff the host part is 2^n - 1. */
  if ((inverted & (inverted + 1)) != 0)
    {
      return -1;
    }
  return inverted == 0 ? 32 : 32 - (gint) g_bit_storage (inverted);
}

gboolean
hb_ipaddr_parse_netmask (const char *text, guint *bits_out, GError **error)
{
  guint64 bits;
  guint32 mask;

  g_return_val_if_fail (text != NULL && bits_out != NULL, FALSE);

  if (strchr (text, '.') == NULL)
    {
      if (text[0] != '\0' && strlen (text) <= 2
          && g_ascii_string_to_unsigned (text, 10, 0, 32, &bits, NULL))
        {
          *bits_out = (guint) bits;
          return TRUE;
        }
    }
  else if (parse_quad (text, &mask) && hb_ipaddr_bits_from_mask (mask) >= 0)
    {
      *bits_out = (guint) hb_ipaddr_bits_from_mask (mask);
      return TRUE;
    }
  g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_NETMASK,
               "'%s' is not a netmask (expected a prefix length 0-32 or a "
               "contiguous mask such as 255.255.255.0)", text);
  return FALSE;
}

/* Characters we accept in interface names. Narrower than the kernel (which
 * takes anything but '/', ':' and blanks) so that names are always safe to
 * hand to a shell, which the agents do. */
static gboolean
nic_char_ok (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.';
}

gboolean
hb_ipaddr_parse_nic (const char *text, char nic_out[HB_IPADDR_NIC_MAX], GError **error)
{
  const char *colon = strchr (text, ':');
  gsize len = colon != NULL ? (gsize) (colon - text) : strlen (text);
  gboolean ok = len > 0 && len < HB_IPADDR_NIC_MAX && strncmp (text, ".", len) != 0
                && strncmp (text, "..", len) != 0;

  for (gsize i = 0; ok && text[i] != '\0'; i++)
    {
      ok = nic_char_ok (text[i]) || (i == len && colon != NULL);
    }
  if (ok && colon != NULL)
    {
      ok = colon[1] != '\0' && strchr (colon + 1, ':') == NULL;
    }
  if (!ok)
    {
      g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_NIC,
                   "'%s' is not an interface name (1-15 characters of "
                   "[A-Za-z0-9_.-], optionally followed by :label)", text);
      return FALSE;
    }
  memcpy (nic_out, text, len);
  nic_out[len] = '\0';
  return TRUE;
}

static gboolean
parse_broadcast (const char *text, HbIpaddrSpec *spec, GError **error)
{
  if (!parse_quad (text, &spec->broadcast))
    {
      g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_BROADCAST,
                   "'%s' is not a broadcast address (expected a.b.c.d)", text);
      return FALSE;
    }
  spec->has_broadcast = TRUE;
  return TRUE;
}

/* Parts after ip/cidr: "nic", "nic/bcast" or "bcast" (a part that
 * starts with a digit is the broadcast address: docs/PROTOCOL.md, "haresources"). */
static gboolean
parse_tail (char **parts, HbIpaddrSpec *spec, GError **error)
{
  if (parts[0] == NULL)
    {
      return TRUE;
    }
  if (g_ascii_isdigit (parts[0][0]))
    {
      if (parts[1] != NULL)
        {
          g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_SYNTAX,
                       "unexpected '%s' after the broadcast address", parts[1]);
          return FALSE;
        }
      return parse_broadcast (parts[0], spec, error);
    }
  if (!hb_ipaddr_parse_nic (parts[0], spec->nic, error))
    {
      return FALSE;
    }
  if (parts[1] == NULL)
    {
      return TRUE;
    }
  if (parts[2] != NULL)
    {
      g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_SYNTAX,
                   "too many '/' parts: expected ip[/cidr[/nic[/broadcast]]]");
      return FALSE;
    }
  return parse_broadcast (parts[1], spec, error);
}

gboolean
hb_ipaddr_spec_parse (const char *text, HbIpaddrSpec *spec_out, GError **error)
{
  g_auto (GStrv) parts = NULL;
  HbIpaddrSpec spec = { .cidr = -1 };
  guint bits;

  g_return_val_if_fail (text != NULL && spec_out != NULL, FALSE);

  parts = g_strsplit (text, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        {
          g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_SYNTAX,
                       "'%s': empty part %u: expected ip[/cidr[/nic[/broadcast]]]",
                       text, i + 1);
          return FALSE;
        }
    }
  if (parts[0] == NULL)
    {
      g_set_error (error, HB_IPADDR_ERROR, HB_IPADDR_ERROR_SYNTAX,
                   "empty address: expected ip[/cidr[/nic[/broadcast]]]");
      return FALSE;
    }
  if (!hb_ipaddr_parse_ipv4 (parts[0], &spec.ip, error))
    {
      return FALSE;
    }
  if (parts[1] != NULL)
    {
      if (!hb_ipaddr_parse_netmask (parts[1], &bits, error))
        {
          return FALSE;
        }
      spec.cidr = (gint) bits;
      if (!parse_tail (parts + 2, &spec, error))
        {
          return FALSE;
        }
    }
  *spec_out = spec;
  return TRUE;
}

const char *
hb_ipaddr_format (guint32 ip, char buf[HB_IPADDR_STR_MAX])
{
  g_snprintf (buf, HB_IPADDR_STR_MAX, "%u.%u.%u.%u", (ip >> 24) & 0xff,
              (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
  return buf;
}
