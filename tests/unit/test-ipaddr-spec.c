/* Unit tests for lib/ipaddr-spec.c: the `ip[/cidr[/nic[/broadcast]]]` grammar. */
#include "ipaddr-spec.h"

typedef struct
{
  const char *text;
  const char *ip;          /* expected, dotted; NULL when parsing must fail */
  gint cidr;
  const char *nic;
  const char *broadcast;   /* NULL when not given */
  gint error_code;         /* HbIpaddrError when ip == NULL */
} SpecCase;

static const SpecCase spec_cases[] = {
  /* Good input (docs/PROTOCOL.md, "haresources" examples, TEST-NET addresses). */
  { "192.0.2.5", "192.0.2.5", -1, "", NULL, 0 },
  { "192.0.2.5/24", "192.0.2.5", 24, "", NULL, 0 },
  { "192.0.2.5/24/eth0", "192.0.2.5", 24, "eth0", NULL, 0 },
  { "192.0.2.5/24/eth0/192.0.2.255", "192.0.2.5", 24, "eth0", "192.0.2.255", 0 },
  { "192.0.2.5/24/192.0.2.255", "192.0.2.5", 24, "", "192.0.2.255", 0 },
  { "192.0.2.5/255.255.255.0", "192.0.2.5", 24, "", NULL, 0 },
  { "192.0.2.5/0", "192.0.2.5", 0, "", NULL, 0 },
  { "192.0.2.5/32/eth0:1", "192.0.2.5", 32, "eth0", NULL, 0 },
  { "198.51.100.1/25/br-lan.10", "198.51.100.1", 25, "br-lan.10", NULL, 0 },
  { "0.0.0.0/8", "0.0.0.0", 8, "", NULL, 0 },
  { "255.255.255.255", "255.255.255.255", -1, "", NULL, 0 },
  /* Bad addresses. */
  { "", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_SYNTAX },
  { "192.0.2", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "192.0.2.5.1", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "192.0.2.256", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "192.0.2.1000", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "192.0..5", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { " 192.0.2.5", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "192.0.2.5 ", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "192.0.2.-1", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "host.example", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  { "4294967295", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_ADDRESS },
  /* Bad netmasks, including overflow. */
  { "192.0.2.5/33", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NETMASK },
  { "192.0.2.5/-1", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NETMASK },
  { "192.0.2.5/999999999999999999999", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NETMASK },
  { "192.0.2.5/24x", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NETMASK },
  { "192.0.2.5/255.0.255.0", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NETMASK },
  { "192.0.2.5/eth0", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NETMASK },
  /* Bad interfaces and broadcasts. */
  { "192.0.2.5/24/eth0;reboot", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NIC },
  { "192.0.2.5/24/averyveryverylongname", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NIC },
  { "192.0.2.5/24/eth0:", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NIC },
  { "192.0.2.5/24/:0", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NIC },
  { "192.0.2.5/24/eth0:0:1", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NIC },
  { "192.0.2.5/24/..", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_NIC },
  { "192.0.2.5/24/eth0/192.0.2.999", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_BROADCAST },
  { "192.0.2.5/24/1.2.3", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_BROADCAST },
  /* Structure. */
  { "192.0.2.5/", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_SYNTAX },
  { "192.0.2.5//eth0", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_SYNTAX },
  { "/24", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_SYNTAX },
  { "192.0.2.5/24/eth0/192.0.2.255/x", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_SYNTAX },
  { "192.0.2.5/24/192.0.2.255/eth0", NULL, 0, NULL, NULL, HB_IPADDR_ERROR_SYNTAX },
};

static void
test_spec (gconstpointer data)
{
  const SpecCase *c = data;
  g_autoptr (GError) error = NULL;
  HbIpaddrSpec spec;
  char buf[HB_IPADDR_STR_MAX];
  gboolean ok = hb_ipaddr_spec_parse (c->text, &spec, &error);

  if (c->ip == NULL)
    {
      g_assert_false (ok);
      g_assert_error (error, HB_IPADDR_ERROR, c->error_code);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (hb_ipaddr_format (spec.ip, buf), ==, c->ip);
  g_assert_cmpint (spec.cidr, ==, c->cidr);
  g_assert_cmpstr (spec.nic, ==, c->nic);
  g_assert_cmpint (spec.has_broadcast, ==, c->broadcast != NULL);
  if (c->broadcast != NULL)
    {
      g_assert_cmpstr (hb_ipaddr_format (spec.broadcast, buf), ==, c->broadcast);
    }
}

static void
test_masks (void)
{
  g_assert_cmpuint (hb_ipaddr_mask_from_bits (0), ==, 0);
  g_assert_cmpuint (hb_ipaddr_mask_from_bits (24), ==, 0xffffff00u);
  g_assert_cmpuint (hb_ipaddr_mask_from_bits (32), ==, 0xffffffffu);
  for (guint bits = 0; bits <= 32; bits++)
    {
      g_assert_cmpint (hb_ipaddr_bits_from_mask (hb_ipaddr_mask_from_bits (bits)), ==, bits);
    }
  g_assert_cmpint (hb_ipaddr_bits_from_mask (0xff00ff00u), ==, -1);
  g_assert_cmpint (hb_ipaddr_bits_from_mask (0x00ffffffu), ==, -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (spec_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ipaddr-spec/parse/%zu", i);
      g_test_add_data_func (name, &spec_cases[i], test_spec);
    }
  g_test_add_func ("/ipaddr-spec/masks", test_masks);
  return g_test_run ();
}
