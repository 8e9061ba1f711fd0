/* systole: scalar value parsers of the configuration files. */
#include "config-private.h"

typedef struct
{
  const char *text;
  gboolean ok;
  guint ms;
} TimeCase;

/* Bare = seconds (fractional), ms/msec, us/usec; rounded to whole ms
 * (docs/PROTOCOL.md, "ha.cf syntax"). */
static const TimeCase time_cases[] = {
  { "1", TRUE, 1000 },          { "0", TRUE, 0 },           { "1.5", TRUE, 1500 },
  { "0.0005", TRUE, 1 },        { "0.0004", TRUE, 0 },      { "0.0004999999999", TRUE, 0 },
  { ".5", TRUE, 500 },          { "5.", TRUE, 5000 },       { "30", TRUE, 30000 },
  { "1500ms", TRUE, 1500 },     { "1500MS", TRUE, 1500 },   { "10msec", TRUE, 10 },
  { "1500us", TRUE, 2 },        { "1499us", TRUE, 1 },      { "2usec", TRUE, 0 },
  { "2.5ms", TRUE, 3 },         { "2s", TRUE, 2000 },       { "2sec", TRUE, 2000 },
  { "4294967", TRUE, 4294967000u }, { "4294967.295", TRUE, 4294967295u }, { "4294967295ms", TRUE, 4294967295u },
  { "4294967295us", TRUE, 4294967 }, { "4294967.296", FALSE, 0 }, { "4294967296ms", FALSE, 0 },
  { "99999999999999999999", FALSE, 0 }, { "", FALSE, 0 },      { "x", FALSE, 0 },
  { "1x", FALSE, 0 },           { "-1", FALSE, 0 },         { "+1", FALSE, 0 },
  { " 1", FALSE, 0 },           { "1 ", FALSE, 0 },         { "1.5.2", FALSE, 0 },
  { "1e3", FALSE, 0 },          { "ms", FALSE, 0 },         { ".", FALSE, 0 },
  { "1m", FALSE, 0 },           { "1min", FALSE, 0 },       { "1h", FALSE, 0 },
  { "1mss", FALSE, 0 },         { "0x10", FALSE, 0 },       { "1,5", FALSE, 0 },
};

static void
test_time (gconstpointer data)
{
  const TimeCase *c = data;
  guint ms = 12345;

  g_assert_cmpint (hb_parse_time_ms (c->text, &ms), ==, c->ok);
  g_assert_cmpuint (ms, ==, c->ok ? c->ms : 12345u);
}

typedef struct
{
  const char *text;
  gboolean ok;
  gboolean value;
} BoolCase;

static const BoolCase bool_cases[] = {
  { "true", TRUE, TRUE },   { "on", TRUE, TRUE },     { "yes", TRUE, TRUE },   { "y", TRUE, TRUE },
  { "1", TRUE, TRUE },      { "TRUE", TRUE, TRUE },   { "On", TRUE, TRUE },    { "Y", TRUE, TRUE },
  { "false", TRUE, FALSE }, { "off", TRUE, FALSE },   { "no", TRUE, FALSE },   { "n", TRUE, FALSE },
  { "0", TRUE, FALSE },     { "NO", TRUE, FALSE },    { "Off", TRUE, FALSE },  { "", FALSE, FALSE },
  { "2", FALSE, FALSE },    { "yess", FALSE, FALSE }, { "tru", FALSE, FALSE }, { "o", FALSE, FALSE },
  { " yes", FALSE, FALSE }, { "01", FALSE, FALSE },   { "enabled", FALSE, FALSE },
};

static void
test_bool (gconstpointer data)
{
  const BoolCase *c = data;
  gboolean value = 42;

  g_assert_cmpint (hb_parse_bool (c->text, &value), ==, c->ok);
  g_assert_cmpint (value, ==, c->ok ? c->value : 42);
}

static void
test_bool_null (void)
{
  gboolean value = 42;

  g_assert_false (hb_parse_bool (NULL, &value));
  g_assert_cmpint (value, ==, 42);
}

static void
test_uint (void)
{
  guint64 v = 7;

  g_assert_true (hb_parse_uint ("0", 0, 10, &v) && v == 0);
  g_assert_true (hb_parse_uint ("65535", 1, 65535, &v) && v == 65535);
  g_assert_false (hb_parse_uint ("65536", 1, 65535, &v));
  g_assert_false (hb_parse_uint ("0", 1, 65535, &v));
  g_assert_false (hb_parse_uint ("", 0, 10, &v));
  g_assert_false (hb_parse_uint ("-1", 0, 10, &v));
  g_assert_false (hb_parse_uint ("1a", 0, 10, &v));
  g_assert_false (hb_parse_uint ("99999999999999999999999", 0, G_MAXUINT64, &v));
  g_assert_true (hb_parse_uint ("18446744073709551615", 0, G_MAXUINT64, &v) && v == G_MAXUINT64);
  g_assert_cmpuint (v, ==, G_MAXUINT64);
}

static void
test_ipv4 (void)
{
  guint32 a = 0;

  g_assert_true (hb_parse_ipv4 ("192.0.2.10", &a));
  g_assert_cmphex (a, ==, 0xc000020a);
  g_assert_true (hb_parse_ipv4 ("0.0.0.0", &a) && a == 0);
  g_assert_true (hb_parse_ipv4 ("255.255.255.255", &a) && a == 0xffffffffu);
  static const char *const bad[] = { "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "a.b.c.d",
                                     "1.2.3.4 ", "-1.2.3.4", "1.2.3.0004", "192.0.2.10/24" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (hb_parse_ipv4 (bad[i], &a));
    }
  g_assert_false (hb_parse_ipv4 (NULL, &a));
}

static void
test_netmask (void)
{
  guint bits = 99;

  g_assert_true (hb_parse_netmask_bits ("24", &bits) && bits == 24);
  g_assert_true (hb_parse_netmask_bits ("0", &bits) && bits == 0);
  g_assert_true (hb_parse_netmask_bits ("32", &bits) && bits == 32);
  g_assert_true (hb_parse_netmask_bits ("255.255.255.0", &bits) && bits == 24);
  g_assert_true (hb_parse_netmask_bits ("255.255.255.255", &bits) && bits == 32);
  g_assert_true (hb_parse_netmask_bits ("0.0.0.0", &bits) && bits == 0);
  g_assert_true (hb_parse_netmask_bits ("255.128.0.0", &bits) && bits == 9);
  g_assert_false (hb_parse_netmask_bits ("33", &bits));
  g_assert_false (hb_parse_netmask_bits ("255.0.255.0", &bits));
  g_assert_false (hb_parse_netmask_bits ("0.255.255.255", &bits));
  g_assert_false (hb_parse_netmask_bits ("x", &bits));
}

static void
test_ifname (void)
{
  g_assert_true (hb_is_ifname ("eth0"));
  g_assert_true (hb_is_ifname ("eth0:0"));
  g_assert_true (hb_is_ifname ("enp0s31f6"));
  g_assert_true (hb_is_ifname ("abcdefghijklmno"));
  g_assert_false (hb_is_ifname ("abcdefghijklmnop"));
  g_assert_false (hb_is_ifname (""));
  g_assert_false (hb_is_ifname ("."));
  g_assert_false (hb_is_ifname (".."));
  g_assert_false (hb_is_ifname ("eth/0"));
  g_assert_false (hb_is_ifname ("eth 0"));
  g_assert_false (hb_is_ifname (NULL));
}

static void
test_to_string (void)
{
  g_assert_cmpstr (hb_auto_failback_to_string (HB_FAILBACK_LEGACY), ==, "legacy");
  g_assert_cmpstr (hb_auto_failback_to_string (HB_FAILBACK_ON), ==, "on");
  g_assert_cmpstr (hb_auto_failback_to_string (HB_FAILBACK_OFF), ==, "off");
  g_assert_cmpstr (hb_auth_method_to_string (HB_AUTH_NONE), ==, "none");
  g_assert_cmpstr (hb_auth_method_to_string (HB_AUTH_CRC), ==, "crc");
  g_assert_cmpstr (hb_auth_method_to_string (HB_AUTH_MD5), ==, "md5");
  g_assert_cmpstr (hb_auth_method_to_string (HB_AUTH_SHA1), ==, "sha1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (time_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/values/time/%" G_GSIZE_FORMAT "-%s", i, *time_cases[i].text != 0 ? time_cases[i].text : "empty");
      g_test_add_data_func (path, &time_cases[i], test_time);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bool_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/values/bool/%" G_GSIZE_FORMAT "-%s", i, *bool_cases[i].text != 0 ? bool_cases[i].text : "empty");
      g_test_add_data_func (path, &bool_cases[i], test_bool);
    }
  g_test_add_func ("/config/values/bool/null", test_bool_null);
  g_test_add_func ("/config/values/uint", test_uint);
  g_test_add_func ("/config/values/ipv4", test_ipv4);
  g_test_add_func ("/config/values/netmask", test_netmask);
  g_test_add_func ("/config/values/ifname", test_ifname);
  g_test_add_func ("/config/values/to-string", test_to_string);
  return g_test_run ();
}
