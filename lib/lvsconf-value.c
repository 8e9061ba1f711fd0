/* systole: the values of lvs.conf statements: numbers, seconds, ports, IPv4
 * addresses. Each setter reports a bad value with its keyword and leaves the
 * target as it was, so parsing goes on with the default. */
#include "lvsconf-private.h"

#include <string.h>

/* Digits only (no sign, no blanks), at most MAX. */
static gboolean
parse_uint (const char *s, guint64 max, guint64 *out)
{
  char *end = NULL;

  if (!g_ascii_isdigit (s[0]))
    {
      return FALSE;
    }
  *out = g_ascii_strtoull (s, &end, 10);
  return *end == '\0' && *out <= max;
}

/* Seconds with up to three decimals ("3", "0.5"), as keepalived accepts, to ms. */
static gboolean
parse_seconds (const char *s, guint *ms)
{
  g_auto (GStrv) parts = g_strsplit (s, ".", -1);
  guint64 whole, frac = 0;
  gsize flen;

  if (g_strv_length (parts) > 2 || !parse_uint (parts[0], HB_LVS_CONF_MAX_SECONDS, &whole))
    {
      return FALSE;
    }
  if (parts[1] != NULL)
    {
      flen = strlen (parts[1]);
      if (flen == 0 || flen > 3 || !parse_uint (parts[1], 999, &frac))
        {
          return FALSE;
        }
      for (; flen < 3; flen++)
        {
          frac *= 10;
        }
    }
  *ms = (guint) (whole * 1000 + frac);
  return TRUE;
}

/* A dotted quad as inet_pton() reads it (keepalived and ipvsadm do): no
 * leading zeros, so each address has one spelling and two spellings are
 * never two services. */
static gboolean
parse_ipv4 (const char *s)
{
  g_auto (GStrv) parts = g_strsplit (s, ".", -1);
  guint64 v;

  if (g_strv_length (parts) != 4)
    {
      return FALSE;
    }
  for (guint i = 0; i < 4; i++)
    {
      gsize len = strlen (parts[i]);

      if (len > 3 || (len > 1 && parts[i][0] == '0') || !parse_uint (parts[i], 255, &v))
        {
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_port (const char *s, guint16 *port)
{
  guint64 v;

  if (!parse_uint (s, 65535, &v) || v == 0)
    {
      return FALSE;
    }
  *port = (guint16) v;
  return TRUE;
}

/* One argument expected: reports the error itself and returns NULL otherwise. */
const char *
hb_lvs_conf_one_arg (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line)
{
  if (args->len == 0)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_MISSING_VALUE, line, "'%s' needs a value", kw);
      return NULL;
    }
  if (args->len > 1)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' takes one value, got %u", kw,
                       args->len);
      return NULL;
    }
  return g_ptr_array_index (args, 0);
}

void
hb_lvs_conf_set_seconds (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line,
                         guint *ms_out, gboolean zero_ok)
{
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);
  guint ms;

  if (v == NULL)
    {
      return;
    }
  if (!parse_seconds (v, &ms) || (!zero_ok && ms == 0))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
                       "'%s %s': expected %s number of seconds (up to %u, at most 3 decimals)", kw,
                       v, zero_ok ? "a" : "a positive", HB_LVS_CONF_MAX_SECONDS);
      return;
    }
  *ms_out = ms;
}

void
hb_lvs_conf_set_uint (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line, guint max,
                      guint *out)
{
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);
  guint64 n;

  if (v == NULL)
    {
      return;
    }
  if (!parse_uint (v, max, &n))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
                       "'%s %s': expected a whole number from 0 to %u", kw, v, max);
      return;
    }
  *out = (guint) n;
}

void
hb_lvs_conf_set_port (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line,
                      guint16 *out)
{
  const char *v = hb_lvs_conf_one_arg (p, kw, args, line);

  if (v != NULL && !parse_port (v, out))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
                       "'%s %s': expected a port from 1 to 65535", kw, v);
    }
}

gboolean
hb_lvs_conf_addr_port (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line,
                       guint16 *port)
{
  const char *addr, *ps;

  if (args->len != 2)
    {
      hb_lvs_conf_err (p,
                       args->len < 2 ? HB_LVS_CONF_ERROR_MISSING_VALUE : HB_LVS_CONF_ERROR_SYNTAX,
                       line, "'%s' needs an IPv4 address and a port (got %u values)", kw,
                       args->len);
      return FALSE;
    }
  addr = g_ptr_array_index (args, 0);
  ps = g_ptr_array_index (args, 1);
  if (strcmp (addr, "fwmark") == 0 || strcmp (addr, "group") == 0)
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_UNSUPPORTED, line,
                       "'%s %s' is not supported: give the virtual IPv4 address and port", kw, addr);
      return FALSE;
    }
  if (!parse_ipv4 (addr))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': not an IPv4 address", kw,
                       addr);
      return FALSE;
    }
  if (!parse_port (ps, port))
    {
      hb_lvs_conf_err (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s %s': port must be 1 to 65535",
                       kw, addr, ps);
      return FALSE;
    }
  return TRUE;
}
