/* Unit tests for lib/ipaddr-agent.c: parameter overrides, ARP tuning
 * checks, alias label choice, status words and the log line format. */
#include "ipaddr-agent.h"

#include <string.h>
#include <syslog.h>

typedef struct
{
  const char *spec, *cidr, *nic, *bcast;
  gboolean ok;
  gint want_cidr;
  const char *want_nic;
  const char *want_bcast;   /* NULL: none */
  const char *error_part;
} OverrideCase;

static const OverrideCase override_cases[] = {
  { "192.0.2.10", NULL, NULL, NULL, TRUE, -1, "", NULL, NULL },
  { "192.0.2.10", "", "", "", TRUE, -1, "", NULL, NULL },
  { "192.0.2.10/16/eth1", "24", NULL, NULL, TRUE, 24, "eth1", NULL, NULL },
  { "192.0.2.10", "255.255.255.128", "eth0:3", "192.0.2.127", TRUE, 25, "eth0", "192.0.2.127",
    NULL },
  { "192.0.2.10/24/eth0/192.0.2.255", NULL, "eth1", NULL, TRUE, 24, "eth1", "192.0.2.255", NULL },
  { "192.0.2.10", "40", NULL, NULL, FALSE, 0, NULL, NULL, "'40' is not a netmask" },
  { "192.0.2.10", "255.0.255.0", NULL, NULL, FALSE, 0, NULL, NULL, "not a netmask" },
  { "192.0.2.10", NULL, "averyveryverylongname", NULL, FALSE, 0, NULL, NULL, "averyvery" },
  { "192.0.2.10", NULL, NULL, "192.0.2.256", FALSE, 0, NULL, NULL, "broadcast: " },
};

static void
test_overrides (gconstpointer data)
{
  const OverrideCase *c = data;
  g_autoptr (GError) error = NULL;
  HbIpaddrSpec spec;
  gboolean ok;

  g_assert_true (hb_ipaddr_spec_parse (c->spec, &spec, NULL));
  ok = hb_ipaddr_apply_overrides (&spec, c->cidr, c->nic, c->bcast, &error);
  g_assert_cmpint (ok, ==, c->ok);
  if (!ok)
    {
      g_assert_nonnull (strstr (error->message, c->error_part));
      return;
    }
  g_assert_cmpint (spec.cidr, ==, c->want_cidr);
  g_assert_cmpstr (spec.nic, ==, c->want_nic);
  g_assert_cmpint (spec.has_broadcast, ==, c->want_bcast != NULL);
  if (c->want_bcast != NULL)
    {
      char buf[HB_IPADDR_STR_MAX];

      g_assert_cmpstr (hb_ipaddr_format (spec.broadcast, buf), ==, c->want_bcast);
    }
}

typedef struct
{
  const char *count, *interval, *mode;
  const char *error; /* NULL: valid */
} ArpCase;

static const ArpCase arp_cases[] = {
  { "5", "200", "both", NULL },
  { "1", "0", "request", NULL },
  { "007", "50", "reply", NULL },
  { "99999999999999999999", "99999999999999999999", "both", NULL },
  { "", "200", "both", "arp_count [] is not a positive integer" },
  { "-1", "200", "both", "arp_count [-1] is not a positive integer" },
  { "5x", "200", "both", "arp_count [5x] is not a positive integer" },
  { "0", "200", "both", "arp_count [0] must be at least 1" },
  { "000", "200", "both", "arp_count [000] must be at least 1" },
  { "5", "", "both", "arp_interval [] is not a number of milliseconds" },
  { "5", "0.5", "both", "arp_interval [0.5] is not a number of milliseconds" },
  { "5", "200", "loud", "arp_mode [loud] must be both, request or reply" },
  { "5", "200", "", "arp_mode [] must be both, request or reply" },
  { "5", "200", "Both", "arp_mode [Both]" },
};

static void
test_arp (gconstpointer data)
{
  const ArpCase *c = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = hb_ipaddr_check_arp (c->count, c->interval, c->mode, &error);

  if (c->error == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_ARP);
  g_assert_nonnull (strstr (error->message, c->error));
}

typedef struct
{
  const char *nic;
  const char *used[8];
  guint from;
  const char *want;   /* NULL: error */
  guint want_n;
  gint error_code;
} LabelCase;

static const LabelCase label_cases[] = {
  { "eth0", { NULL }, 0, "eth0:0", 0, 0 },
  { "eth0", { "eth0", NULL }, 0, "eth0:0", 0, 0 },
  { "eth0", { "eth0", "eth0:0", "eth0:1", "eth0:3", NULL }, 0, "eth0:2", 2, 0 },
  { "eth0", { "eth0", "eth0:0", "eth0:1", "eth0:3", NULL }, 3, "eth0:4", 4, 0 },
  { "eth0", { "eth1:0", "eth0:00", NULL }, 0, "eth0:0", 0, 0 },
  { "eth0", { NULL }, 511, "eth0:511", 511, 0 },
  { "eth0", { "eth0:511", NULL }, 511, NULL, 0, HB_IPADDR_AGENT_ERROR_NO_LABEL },
  { "eth0", { NULL }, 512, NULL, 0, HB_IPADDR_AGENT_ERROR_NO_LABEL },
  { "abcdefghijklm", { NULL }, 0, "abcdefghijklm:0", 0, 0 },
  { "abcdefghijklm", { NULL }, 10, NULL, 0, HB_IPADDR_AGENT_ERROR_LABEL_LENGTH },
  { "abcdefghijklmn", { NULL }, 0, NULL, 0, HB_IPADDR_AGENT_ERROR_LABEL_LENGTH },
  { "abcdefghijklmno", { NULL }, 0, NULL, 0, HB_IPADDR_AGENT_ERROR_LABEL_LENGTH },
};

static void
test_label (gconstpointer data)
{
  const LabelCase *c = data;
  g_autoptr (GError) error = NULL;
  char label[HB_IPADDR_NIC_MAX] = "unset";
  guint n = 9999;
  gboolean ok = hb_ipaddr_label_pick (c->nic, c->used, c->from, &n, label, &error);

  if (c->want != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (label, ==, c->want);
      g_assert_cmpuint (n, ==, c->want_n);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, HB_IPADDR_AGENT_ERROR, c->error_code);
  g_assert_cmpstr (label, ==, "unset");
}

static void
test_label_all_used (void)
{
  g_autoptr (GPtrArray) used = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  char label[HB_IPADDR_NIC_MAX];
  guint n;

  for (guint i = 0; i <= HB_IPADDR_LABEL_LAST; i++)
    g_ptr_array_add (used, g_strdup_printf ("eth0:%u", i));
  g_ptr_array_add (used, NULL);
  g_assert_false (hb_ipaddr_label_pick ("eth0", (const char *const *) used->pdata, 0, &n, label,
                                        &error));
  g_assert_error (error, HB_IPADDR_AGENT_ERROR, HB_IPADDR_AGENT_ERROR_NO_LABEL);
  g_assert_cmpstr (error->message, ==, "no free alias label on eth0 (tried eth0:0 to eth0:511)");
}

typedef struct
{
  HbOcfCode monitor;
  const char *word;
  int lsb;
} StatusCase;

static const StatusCase status_cases[] = {
  { HB_OCF_SUCCESS, "running", 0 },
  { HB_OCF_NOT_RUNNING, "stopped", 3 },
  { HB_OCF_ERR_GENERIC, "unknown", 4 },
  { HB_OCF_ERR_CONFIGURED, "unknown", 4 },
  { HB_OCF_ERR_PERM, "unknown", 4 },
  { (HbOcfCode) 99, "unknown", 4 },
};

static void
test_status (gconstpointer data)
{
  const StatusCase *c = data;
  int lsb = -1;

  g_assert_cmpstr (hb_ipaddr_status_word (c->monitor, &lsb), ==, c->word);
  g_assert_cmpint (lsb, ==, c->lsb);
}

typedef struct
{
  const char *stat;
  gboolean ended;
} StatCase;

static const StatCase stat_cases[] = {
  { "1234 (send_arp) S 1 1234 1234 0 -1 4194560 120 0 0 0 0 0 0 0 20 0 1 0 5 0 0", FALSE },
  { "1234 (send_arp) R 1 1234 1234 0 -1 4194304 120 0 0 0 0 0 0 0 20 0 1 0 5 0 0", FALSE },
  { "1234 (send_arp) D 1 1234 1234 0 -1 4194308 120 0 0 0 0 0 0 0 20 0 1 0 5 0 0", TRUE },
  { "1234 (send_arp) Z 1 1234 1234 0 -1 4227084 120 0 0 0 0 0 0 0 20 0 1 0 5 0 0", TRUE },
  { "1234 (send_arp) X 1 1234 1234 0 -1 0 0", TRUE },
  { "1234 (a) b) S 1 1234 1234 0 -1 4 0", TRUE },
  { "1234 (a) b) S 1 1234 1234 0 -1 8 0", FALSE },
  { "1234 (x) S 1 2", FALSE },
  { "1234 (x) S 1 1234 1234 0 -1 notanumber 0", FALSE },
  { "1234 (x)", FALSE },
  { "garbage", FALSE },
  { "", FALSE },
};

static void
test_stat (gconstpointer data)
{
  const StatCase *c = data;

  g_assert_cmpint (hb_ipaddr_proc_stat_ended (c->stat), ==, c->ended);
}

static void
test_log_line (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) when = g_date_time_new (utc, 2026, 11, 22, 7, 3, 9.5);
  g_autofree char *line = hb_ipaddr_log_line ("IPaddr", 4242, when, HB_IPADDR_LOG_INFO,
                                              "Using calculated nic for 192.0.2.100: eth0");
  g_autofree char *err = hb_ipaddr_log_line ("IPaddr2", 1, when, HB_IPADDR_LOG_ERROR, "x");

  g_assert_cmpstr (line, ==,
                   "IPaddr[4242]: 2026/11/22_07:03:09 INFO: Using calculated nic for 192.0.2.100: eth0\n");
  g_assert_cmpstr (err, ==, "IPaddr2[1]: 2026/11/22_07:03:09 ERROR: x\n");
  g_assert_cmpstr (hb_ipaddr_log_word (HB_IPADDR_LOG_WARN), ==, "WARN");
  g_assert_cmpstr (hb_ipaddr_log_word (HB_IPADDR_LOG_DEBUG), ==, "DEBUG");
  g_assert_cmpstr (hb_ipaddr_log_word ((HbIpaddrLogLevel) 42), ==, "INFO");
  g_assert_cmpint (hb_ipaddr_log_priority (HB_IPADDR_LOG_ERROR), ==, LOG_ERR);
  g_assert_cmpint (hb_ipaddr_log_priority (HB_IPADDR_LOG_WARN), ==, LOG_WARNING);
  g_assert_cmpint (hb_ipaddr_log_priority (HB_IPADDR_LOG_INFO), ==, LOG_INFO);
  g_assert_cmpint (hb_ipaddr_log_priority (HB_IPADDR_LOG_DEBUG), ==, LOG_DEBUG);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (override_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ipaddr-agent/overrides/%u", i);
      g_test_add_data_func (name, &override_cases[i], test_overrides);
    }
  for (guint i = 0; i < G_N_ELEMENTS (arp_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ipaddr-agent/arp/%u", i);
      g_test_add_data_func (name, &arp_cases[i], test_arp);
    }
  for (guint i = 0; i < G_N_ELEMENTS (label_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ipaddr-agent/label/%u", i);
      g_test_add_data_func (name, &label_cases[i], test_label);
    }
  g_test_add_func ("/ipaddr-agent/label/all-used", test_label_all_used);
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ipaddr-agent/status/%u", i);
      g_test_add_data_func (name, &status_cases[i], test_status);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stat_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ipaddr-agent/proc-stat/%u", i);
      g_test_add_data_func (name, &stat_cases[i], test_stat);
    }
  g_test_add_func ("/ipaddr-agent/log-line", test_log_line);
  return g_test_run ();
}
