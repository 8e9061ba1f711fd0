/* systole: scalar values of the configuration files: time, boolean, number,
 * IPv4 address, netmask, interface name. */
#include "config-private.h"

#include <string.h>

/* Parses "I[.F]" into nano-units of whatever unit follows; *end gets the
 * first character after the number. */
static gboolean
hb_parse_decimal_nano (const char *text, guint64 *nano_out, const char **end)
{
  const char *p = text;
  guint64 integer = 0;
  guint64 frac = 0;
  guint frac_digits = 0;
  gboolean digits = FALSE;

  for (; g_ascii_isdigit (*p); p++, digits = TRUE)
    {
      integer = integer * 10 + (guint64) (*p - '0');
      if (integer > G_MAXUINT)
        {
          return FALSE;
        }
    }
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++, digits = TRUE)
        {
          /* Digits past nanoseconds cannot change a value rounded to ms. */
          if (frac_digits < 9)
            {
              frac = frac * 10 + (guint64) (*p - '0');
              frac_digits++;
            }
        }
    }
  if (!digits)
    {
      return FALSE;
    }
  for (; frac_digits < 9; frac_digits++)
    {
      frac *= 10;
    }
  *nano_out = integer * G_GUINT64_CONSTANT (1000000000) + frac;
  *end = p;
  return TRUE;
}

gboolean
hb_parse_time_ms (const char *text, guint *ms_out)
{
  /* Unit suffixes of cl_get_msec (CG lib/clplumbing/cl_misc.c): nano-units
   * per millisecond for each. A bare number is in seconds
   * (docs/PROTOCOL.md, "ha.cf syntax"). */
  static const struct
  {
    const char *suffix;
    guint64 nano_per_ms;
  } units[] = {
    { "", G_GUINT64_CONSTANT (1000000) },      { "s", G_GUINT64_CONSTANT (1000000) },
    { "sec", G_GUINT64_CONSTANT (1000000) },   { "ms", G_GUINT64_CONSTANT (1000000000) },
    { "msec", G_GUINT64_CONSTANT (1000000000) }, { "us", G_GUINT64_CONSTANT (1000000000000) },
    { "usec", G_GUINT64_CONSTANT (1000000000000) },
  };
  guint64 nano;
  const char *suffix;

  g_return_val_if_fail (ms_out != NULL, FALSE);
  if (text == NULL || !hb_parse_decimal_nano (text, &nano, &suffix))
    {
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (g_ascii_strcasecmp (suffix, units[i].suffix) == 0)
        {
          guint64 ms = (nano + units[i].nano_per_ms / 2) / units[i].nano_per_ms;
          if (ms > G_MAXUINT)
            {
              return FALSE;
            }
          *ms_out = (guint) ms;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
hb_parse_bool (const char *text, gboolean *value_out)
{
  /* cl_str_to_boolean (CG lib/clplumbing/cl_misc.c; docs/PROTOCOL.md, "ha.cf syntax"). */
  static const char *const yes[] = { "true", "on", "yes", "y", "1" };
  static const char *const no[] = { "false", "off", "no", "n", "0" };

  g_return_val_if_fail (value_out != NULL, FALSE);
  if (text == NULL)
    {
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        {
          *value_out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        {
          *value_out = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
hb_parse_uint (const char *text, guint64 min, guint64 max, guint64 *out)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    {
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          return FALSE;
        }
      guint64 digit = (guint64) (*p - '0');
      /* Checked before multiplying, so the value cannot wrap. */
      if (digit > max || value > (max - digit) / 10)
        {
          return FALSE;
        }
      value = value * 10 + digit;
    }
  if (value < min)
    {
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
hb_parse_ipv4 (const char *text, guint32 *addr_out)
{
  g_auto (GStrv) parts = NULL;
  guint32 addr = 0;

  if (text == NULL || strlen (text) > 15)
    {
      return FALSE;
    }
  parts = g_strsplit (text, ".", -1);
  if (g_strv_length (parts) != 4)
    {
      return FALSE;
    }
  for (guint i = 0; i < 4; i++)
    {
      guint64 octet;
      if (strlen (parts[i]) > 3 || !hb_parse_uint (parts[i], 0, 255, &octet))
        {
          return FALSE;
        }
      addr = (addr << 8) | (guint32) octet;
    }
  if (addr_out != NULL)
    {
      *addr_out = addr;
    }
  return TRUE;
}

gboolean
hb_parse_netmask_bits (const char *text, guint *bits_out)
{
  guint64 bits;
  guint32 mask;

  if (hb_parse_uint (text, 0, 32, &bits))
    {
      *bits_out = (guint) bits;
      return TRUE;
    }
  /* A dotted netmask is accepted too, if its ones are contiguous. */
  if (!hb_parse_ipv4 (text, &mask) || (mask != 0 && ((~mask + 1) & ~mask) != 0))
    {
      return FALSE;
    }
  guint n = 0;
  for (guint32 m = mask; m & 0x80000000u; m <<= 1)
    {
      n++;
    }
  *bits_out = n;
  return TRUE;
}

gboolean
hb_is_ifname (const char *text)
{
  /* Linux IFNAMSIZ is 16 including the NUL; '/' and blanks are never valid. */
  gsize len = text != NULL ? strlen (text) : 0;

  if (len == 0 || len > 15 || strcmp (text, ".") == 0 || strcmp (text, "..") == 0)
    {
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '/' || g_ascii_isspace (*p) || !g_ascii_isprint (*p))
        {
          return FALSE;
        }
    }
  return TRUE;
}
