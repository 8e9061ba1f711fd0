/* systole: good configurations: values, defaults, order independence,
 * warnings, host checks with an injected interface table, the reference
 * scenario verbatim, and golden dumps. */
#include <string.h>

#include "config-testutil.h"

/* Loads three texts for node alpha; asserts success. */
static HbConfig *
load_ok (const char *hacf, const char *haresources, const char *authkeys, const HbConfigEnv *env,
         GPtrArray *diags)
{
  g_autofree char *dir = hb_test_write_dir (hacf, haresources, authkeys, 0600);
  g_autoptr (GError) error = NULL;
  HbConfig *config = hb_test_load (dir, "alpha", env, diags, &error);

  hb_test_log_diags (diags);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, 0);
  hb_test_remove_dir (dir);
  return config;
}

/* The warning whose message (after "file:line: ") contains `text`. */
static const HbDiag *
find_warning (GPtrArray *diags, const char *text)
{
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      if (d->severity == HB_DIAG_WARNING && strstr (d->message, text) != NULL)
        {
          return d;
        }
    }
  return NULL;
}

static void
assert_warning (GPtrArray *diags, const char *file, guint line, HbConfigError code, const char *text)
{
  const HbDiag *d = find_warning (diags, text);
  g_autofree char *suffix = g_strdup_printf ("/%s:%u: ", file, line);

  g_assert_nonnull (d);
  g_assert_cmpint (d->code, ==, code);
  g_assert_cmpuint (d->line, ==, line);
  g_assert_nonnull (strstr (d->message, suffix));
}

static void
test_defaults (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node alpha\nbcast eth0\n", NULL, NULL, NULL, diags);

  g_assert_cmpuint (c->keepalive_ms, ==, 1000);
  g_assert_cmpuint (c->deadtime_ms, ==, 30000);
  g_assert_cmpuint (c->warntime_ms, ==, 15000);
  g_assert_cmpuint (c->initdead_ms, ==, 30000);
  g_assert_cmpuint (c->deadping_ms, ==, 30000);
  g_assert_cmpuint (c->udpport, ==, 694);
  g_assert_cmpuint (c->hopfudge, ==, 1);
  g_assert_cmpuint (c->debug_level, ==, 0);
  g_assert_cmpuint (c->max_rexmit_delay_ms, ==, 250);
  g_assert_cmpuint (c->conn_logd_time_s, ==, 60);
  g_assert_cmpuint (c->memreserve_kb, ==, 6500);
  g_assert_cmpint (c->rtprio, ==, 0);
  g_assert_cmpint (c->auto_failback, ==, HB_FAILBACK_LEGACY);
  g_assert_false (c->auto_failback_explicit);
  g_assert_true (c->syslogmsgfmt && c->realtime && c->log_badpack && c->coredumps);
  g_assert_true (c->use_logd); /* forced: no log entry */
  g_assert_null (c->logfile);
  g_assert_null (c->debugfile);
  g_assert_null (c->logfacility);
  g_assert_null (c->coreroot);
  g_assert_cmpstr (c->hbgenmethod, ==, "file");
  g_assert_cmpstr (c->msgfmt, ==, "classic");
  g_assert_cmpstr (c->cluster, ==, "linux-ha");
  g_assert_cmpstr (c->uuidfrom, ==, "file");
  g_assert_cmpstr (c->autojoin, ==, "none");
  g_assert_cmpstr (c->local_node, ==, "alpha");
  g_assert_cmpuint (c->media->len, ==, 1);
  g_assert_cmpuint (((HbMedium *) g_ptr_array_index (c->media, 0))->port, ==, 694);
  assert_warning (diags, "ha.cf", 0, HB_CONFIG_ERROR_MISSING_VALUE, "No log entry found in ha.cf -- use logd");
  assert_warning (diags, "ha.cf", 0, HB_CONFIG_ERROR_MISSING_VALUE,
                  "Deprecated 'legacy' auto_failback option selected (auto_failback not set): set auto_failback on or off");
}

typedef struct
{
  const char *deadtime;
  guint initdead_ms;
  guint warntime_ms;
} InitdeadCase;

/* initdead = deadtime if > 10 s; 12 s if deadtime < 6 s; else 2x (docs/PROTOCOL.md,
 * "ha.cf directives"). */
static const InitdeadCase initdead_cases[] = {
  { "3", 12000, 1500 },       { "5.999", 12000, 2999 }, { "6", 12000, 3000 },  { "8", 16000, 4000 },
  { "10", 20000, 5000 },      { "10001ms", 10001, 5000 }, { "12", 12000, 6000 }, { "60", 60000, 30000 },
};

static void
test_initdead_default (gconstpointer data)
{
  const InitdeadCase *c = data;
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autofree char *hacf = g_strdup_printf ("node alpha\nbcast eth0\nlogfacility daemon\nauto_failback on\n"
                                           "deadtime %s\n", c->deadtime);
  g_autoptr (HbConfig) config = load_ok (hacf, NULL, NULL, NULL, diags);

  g_assert_cmpuint (config->initdead_ms, ==, c->initdead_ms);
  g_assert_cmpuint (config->warntime_ms, ==, c->warntime_ms);
  g_assert_cmpuint (config->deadping_ms, ==, config->deadtime_ms);
}

/* udpport after the media lines still applies to them; mcast keeps its own
 * port. Heartbeat needed udpport first. */
static void
test_order_independent (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("bcast eth0\nucast eth0 192.0.2.2\nmcast eth0 225.0.0.9 1234 1 0\n"
                                    "node alpha\nudpport 7000\nlogfacility daemon\nauto_failback off\n",
                                    NULL, NULL, NULL, diags);
  static const guint16 ports[] = { 7000, 7000, 1234 };

  g_assert_cmpuint (c->media->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (((HbMedium *) g_ptr_array_index (c->media, i))->port, ==, ports[i]);
    }
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 0);
}

static void
test_env_udpport (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  HbConfigEnv env = { .default_udpport = 6940 };
  g_autoptr (HbConfig) c = load_ok (NULL, NULL, NULL, &env, diags);

  g_assert_cmpuint (c->udpport, ==, 6940);
  g_assert_cmpuint (((HbMedium *) g_ptr_array_index (c->media, 0))->port, ==, 6940);
}

static void
test_split_values (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node Alpha,beta\tGAMMA\nbcast eth0, eth1\nudp eth2\nlogfacility none\n"
                                    "logfile /var/log/ha-log\nauto_failback yes\r\nkeepalive 2 # seconds\n"
                                    "deadtime 20\ninitdead 40\n",
                                    NULL, NULL, NULL, diags);
  static const char *const nodes[] = { "alpha", "beta", "gamma" };
  static const char *const devs[] = { "eth0", "eth1", "eth2" };

  g_assert_cmpuint (c->nodes->len, ==, 3);
  g_assert_cmpuint (c->media->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const HbNodeConf *n = g_ptr_array_index (c->nodes, i);
      const HbMedium *m = g_ptr_array_index (c->media, i);
      g_assert_cmpstr (n->name, ==, nodes[i]);
      g_assert_cmpint (n->type, ==, HB_NODE_NORMAL);
      g_assert_null (n->addrs);
      g_assert_cmpstr (m->dev, ==, devs[i]);
      g_assert_cmpint (m->type, ==, HB_MEDIUM_BCAST);
    }
  g_assert_cmpuint (((HbNodeConf *) g_ptr_array_index (c->nodes, 2))->line, ==, 1);
  g_assert_cmpuint (((HbMedium *) g_ptr_array_index (c->media, 2))->line, ==, 3);
  g_assert_null (c->logfacility);
  g_assert_false (c->use_logd);
  g_assert_cmpint (c->auto_failback, ==, HB_FAILBACK_ON);
  g_assert_cmpuint (c->keepalive_ms, ==, 2000);
  assert_warning (diags, "ha.cf", 3, HB_CONFIG_ERROR_BAD_VALUE, "directive [udp] is deprecated: treated as bcast");
  g_assert_nonnull (hb_config_find_node (c, "ALPHA"));
  g_assert_null (hb_config_find_node (c, "delta"));
}

static void
test_media_and_ping (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node alpha beta\nucast eth0 192.0.2.1\nucast eth0 192.0.2.2\n"
                                    "mcast eth1 239.255.0.1 5405 255 1\nping 198.51.100.1 198.51.100.2\n"
                                    "ping_group gw 198.51.100.3 198.51.100.4\nlogfile /dev/null\nauto_failback off\n",
                                    NULL, NULL, NULL, diags);

  /* Every ucast line is kept, the local one included (docs/PROTOCOL.md, "ha.cf directives"). */
  g_assert_cmpuint (c->media->len, ==, 3);
  const HbMedium *u2 = g_ptr_array_index (c->media, 1);
  g_assert_cmpint (u2->type, ==, HB_MEDIUM_UCAST);
  g_assert_cmpstr (u2->peer, ==, "192.0.2.2");
  g_assert_cmpuint (u2->line, ==, 3);
  const HbMedium *m = g_ptr_array_index (c->media, 2);
  g_assert_cmpint (m->type, ==, HB_MEDIUM_MCAST);
  g_assert_cmpstr (m->group, ==, "239.255.0.1");
  g_assert_cmpuint (m->port, ==, 5405);
  g_assert_cmpuint (m->ttl, ==, 255);
  g_assert_true (m->loop);
  g_assert_cmpuint (c->nodes->len, ==, 5);
  const HbNodeConf *p = hb_config_find_node (c, "198.51.100.2");
  g_assert_nonnull (p);
  g_assert_cmpint (p->type, ==, HB_NODE_PING);
  g_assert_cmpstrv (p->addrs, ((const char *const[]){ "198.51.100.2", NULL }));
  const HbNodeConf *g = hb_config_find_node (c, "gw");
  g_assert_cmpint (g->type, ==, HB_NODE_PING_GROUP);
  g_assert_cmpstrv (g->addrs, ((const char *const[]){ "198.51.100.3", "198.51.100.4", NULL }));
}

typedef struct
{
  const char *line;
  HbAutoFailback value;
  guint n_warnings;
  const char *warning; /* on line 4 */
} FailbackCase;

static const FailbackCase failback_cases[] = {
  { "auto_failback on", HB_FAILBACK_ON, 0, NULL },
  { "auto_failback off", HB_FAILBACK_OFF, 0, NULL },
  { "auto_failback legacy", HB_FAILBACK_LEGACY, 1,
    "Deprecated 'legacy' auto_failback option selected: set auto_failback on or off" },
  { "auto_failback 1", HB_FAILBACK_ON, 0, NULL },
  { "auto_failback N", HB_FAILBACK_OFF, 0, NULL },
  { "nice_failback on", HB_FAILBACK_OFF, 1, "nice_failback is obsolete: treated as auto_failback off" },
  { "nice_failback off", HB_FAILBACK_LEGACY, 2, "nice_failback is obsolete: treated as auto_failback legacy" },
  { "nice_failback off", HB_FAILBACK_LEGACY, 2, "Deprecated 'legacy' auto_failback option selected: set" },
  { "nice_failback on\nauto_failback off", HB_FAILBACK_OFF, 1, "nice_failback is obsolete" },
};

static void
test_failback (gconstpointer data)
{
  const FailbackCase *fc = data;
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autofree char *hacf = g_strdup_printf ("node alpha\nbcast eth0\nlogfacility daemon\n%s\n", fc->line);
  g_autoptr (HbConfig) c = load_ok (hacf, NULL, NULL, NULL, diags);

  g_assert_cmpint (c->auto_failback, ==, fc->value);
  g_assert_true (c->auto_failback_explicit);
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, fc->n_warnings);
  if (fc->warning != NULL)
    {
      assert_warning (diags, "ha.cf", 4, fc->warning[0] == 'D' ? HB_CONFIG_ERROR_MISSING_VALUE : HB_CONFIG_ERROR_BAD_VALUE,
                      fc->warning);
    }
}

typedef struct
{
  const char *line;
  const char *text;
} UnsupportedCase;

static const UnsupportedCase unsupported_cases[] = {
  { "serial /dev/ttyS0", "directive [serial] is not supported by systole: ignored (no serial medium" },
  { "baud 19200", "directive [baud] is not supported" },
  { "mcast6 eth0 ff02::1:2 694 1 0", "directive [mcast6] is not supported by systole: ignored (no IPv6 medium" },
  { "ping6 2001:db8::1", "directive [ping6] is not supported" },
  { "hbaping fc0", "directive [hbaping] is not supported" },
  { "openais eth0", "directive [openais] is not supported" },
  { "stonith baytech /etc/ha.d/conf/stonith.baytech", "directive [stonith] is not supported by systole: ignored (no STONITH" },
  { "stonith_host * baytech 10.0.0.3 mylogin mysecretpassword", "directive [stonith_host] is not supported" },
  { "watchdog /dev/watchdog", "directive [watchdog] is not supported" },
  { "compression bz2", "directive [compression] is not supported" },
  { "compression_threshold 2", "directive [compression_threshold] is not supported" },
  { "traditional_compression no", "directive [traditional_compression] is not supported" },
  { "respawn hacluster /usr/lib/heartbeat/ipfail", "directive [respawn] is not supported" },
  { "failfast hacluster /usr/lib/heartbeat/ipfail", "directive [failfast] is not supported" },
  { "apiauth ipfail gid=haclient uid=hacluster", "directive [apiauth] is not supported" },
  { "use_apphbd yes", "directive [use_apphbd] is not supported" },
  { "env FOO=bar", "directive [env] is not supported by systole: ignored (no respawned clients" },
  { "quorum_server q.example", "directive [quorum_server] is not supported" },
  { "crm_daemon_dir /usr/lib/pacemaker", "directive [crm_daemon_dir] is not supported" },
  { "crmd_spawns_pengine yes", "directive [crmd_spawns_pengine] is not supported" },
  { "record_config_changes on", "directive [record_config_changes] is not supported" },
  { "record_pengine_inputs on", "directive [record_pengine_inputs] is not supported" },
  { "enable_config_writes on", "directive [enable_config_writes] is not supported" },
};

static void
test_unsupported (gconstpointer data)
{
  const UnsupportedCase *uc = data;
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autofree char *hacf = g_strdup_printf (HB_TEST_HACF "%s\n", uc->line);
  g_autoptr (HbConfig) c = load_ok (hacf, NULL, NULL, NULL, diags);

  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 1);
  assert_warning (diags, "ha.cf", 9, HB_CONFIG_ERROR_UNSUPPORTED, uc->text);
  g_assert_cmpuint (c->media->len, ==, 1);
}

/* "off" values of crm/pacemaker change nothing and are silent. */
static void
test_crm_off (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (HB_TEST_HACF "crm off\npacemaker no\nautojoin none\n", NULL, NULL, NULL, diags);

  g_assert_cmpuint (diags->len, ==, 0);
}

static void
test_override_warning (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (HB_TEST_HACF "keepalive 2\ndeadtime 8, 12\nnode alpha\n", NULL, NULL, NULL, diags);

  g_assert_cmpuint (c->keepalive_ms, ==, 2000);
  g_assert_cmpuint (c->deadtime_ms, ==, 12000);
  assert_warning (diags, "ha.cf", 9, HB_CONFIG_ERROR_DUPLICATE, "keepalive already set on line 4: this line overrides it");
  assert_warning (diags, "ha.cf", 10, HB_CONFIG_ERROR_BAD_VALUE, "deadtime given 2 values; the last one [12] applies");
  assert_warning (diags, "ha.cf", 11, HB_CONFIG_ERROR_DUPLICATE, "node [alpha] already listed on line 1: ignored");
  g_assert_cmpuint (c->nodes->len, ==, 2);
}

static void
test_timing_warnings (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node alpha\nbcast eth0\nlogfacility daemon\nauto_failback on\n"
                                    "keepalive 200ms\ndeadtime 2\nwarntime 2\ninitdead 4\n",
                                    NULL, NULL, NULL, diags);

  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 2);
  assert_warning (diags, "ha.cf", 7, HB_CONFIG_ERROR_TIMING,
                  "warntime [2000ms] is not smaller than deadtime [2000ms]: late heartbeats will never be warned about");
  assert_warning (diags, "ha.cf", 8, HB_CONFIG_ERROR_TIMING, "Initial dead time [4000 ms] may be too small!");
}

/* crc is integrity only: warn whenever heartbeats leave the host. */
static void
test_crc_warning (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (NULL, NULL, "# keys\nauth 2\n2 crc\n", NULL, diags);

  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 1);
  assert_warning (diags, "authkeys", 3, HB_CONFIG_ERROR_AUTH,
                  "key 2 uses crc but heartbeats leave the host (ha.cf line 3): crc gives integrity only, "
                  "no authentication: use sha1");
  g_assert_cmpint (c->auth_keys[2].method, ==, HB_AUTH_CRC);
  g_assert_null (c->auth_keys[2].key);
}

static void
test_authkeys (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (NULL, NULL,
                                    "# comment\n\n0 md5 zero\n   # indented comment\n15 sha1 k#15\n"
                                    "3\tsha1\ttabbed\nauth 15\n",
                                    NULL, diags);

  g_assert_cmpuint (diags->len, ==, 0);
  g_assert_cmpuint (c->auth_active, ==, 15);
  g_assert_cmpint (c->auth_keys[0].method, ==, HB_AUTH_MD5);
  g_assert_cmpstr (c->auth_keys[0].key, ==, "zero");
  g_assert_cmpint (c->auth_keys[15].method, ==, HB_AUTH_SHA1);
  g_assert_cmpstr (c->auth_keys[15].key, ==, "k#15");
  g_assert_cmpstr (c->auth_keys[3].key, ==, "tabbed");
  for (guint i = 1; i < 15; i++)
    {
      g_assert_cmpint (c->auth_keys[i].method, ==, i == 3 ? HB_AUTH_SHA1 : HB_AUTH_NONE);
    }
}

/* Heartbeat ignores words after "auth N" and after the key: we accept the
 * same files, with a warning, and never echo the ignored text. */
static void
test_authkeys_trailing (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (NULL, NULL, "auth 1 # signing key\n1 sha1 k3y1 s3cret words\n", NULL, diags);

  g_assert_cmpstr (c->auth_keys[1].key, ==, "k3y1");
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 2);
  assert_warning (diags, "authkeys", 1, HB_CONFIG_ERROR_AUTH, "text after [auth 1] is ignored");
  assert_warning (diags, "authkeys", 2, HB_CONFIG_ERROR_AUTH,
                  "Auth line [1 sha1 <key> ...]: only the first word after the method is the key, the rest of "
                  "the line is ignored");
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      g_assert_null (strstr (d->message, "s3cret"));
      g_assert_null (strstr (d->message, "k3y1"));
    }
}


/* ---- blanks: what separates words is Heartbeat's own set per file ---------------------
 * ha.cf: heartbeat.h WHITESPACE " \t\n\r\f" ends the directive, DELIMS ", \t\n\r\f"
 * separates values, the line ends at its first CR (config.c parse_config);
 * authkeys: sscanf "%d%s%s", so any isspace() byte (\v too) separates words. */

static void
test_hacf_form_feed (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node\falpha\fbeta\nbcast eth0\f\nkeepalive\f2\ndeadtime 20\f,\f\ninitdead 40\n"
                                    "\f\n",
                                    NULL, NULL, NULL, diags);

  g_assert_cmpuint (c->nodes->len, ==, 2);
  g_assert_cmpstr (((HbNodeConf *) g_ptr_array_index (c->nodes, 1))->name, ==, "beta");
  g_assert_cmpstr (((HbMedium *) g_ptr_array_index (c->media, 0))->dev, ==, "eth0");
  g_assert_cmpuint (c->keepalive_ms, ==, 2000);
  g_assert_cmpuint (c->deadtime_ms, ==, 20000);
}

/* \v is no blank for Heartbeat: it stays inside the word. */
static void
test_hacf_vertical_tab (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node alpha beta\vgamma\nbcast eth0\n", NULL, NULL, NULL, diags);

  g_assert_cmpuint (c->nodes->len, ==, 2);
  g_assert_cmpstr (((HbNodeConf *) g_ptr_array_index (c->nodes, 1))->name, ==, "beta\vgamma");
}

/* Heartbeat ends the line at its first CR: so do we, and say so. */
static void
test_hacf_carriage_return (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node alpha\rbeta\nbcast eth0\r\r\nnode gamma\r # x\n", NULL, NULL, NULL, diags);

  g_assert_cmpuint (c->nodes->len, ==, 2);
  g_assert_cmpstr (((HbNodeConf *) g_ptr_array_index (c->nodes, 1))->name, ==, "gamma");
  /* only line 1 drops text: a CR before the comment or the end drops nothing */
  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      g_assert_true (d->line <= 1);
    }
  assert_warning (diags, "ha.cf", 1, HB_CONFIG_ERROR_BAD_VALUE,
                  "text after a carriage return (CR) is ignored, as Heartbeat does: [beta]");
}

static void
test_authkeys_blanks (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (NULL, NULL, "auth\v1\f\n\f\n\r\n1\fsha1\vk3y\vs3cret\n2 md5 k\r\n", NULL, diags);

  g_assert_cmpuint (c->auth_active, ==, 1);
  g_assert_cmpstr (c->auth_keys[1].key, ==, "k3y");
  g_assert_cmpstr (c->auth_keys[2].key, ==, "k");
  assert_warning (diags, "authkeys", 4, HB_CONFIG_ERROR_AUTH, "only the first word after the method is the key");
  for (guint i = 0; i < diags->len; i++)
    {
      g_assert_null (strstr (((HbDiag *) g_ptr_array_index (diags, i))->message, "s3cret"));
    }
}

static void
test_haresources (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (NULL,
                                    "# groups\n"
                                    "ALPHA 192.0.2.10 \\\n"
                                    "   192.0.2.11/24/eth0/192.0.2.255 # trailing comment\n"
                                    "\n"
                                    "beta\tFilesystem::/dev/sdb1::/srv::ext4 \\\n"
                                    "  IPaddr::192.0.2.20/24/192.0.2.255 httpd\n"
                                    "alpha IPaddr2::192.0.2.30 \\\n",
                                    NULL, NULL, diags);

  g_assert_cmpuint (diags->len, ==, 0);
  g_assert_cmpuint (c->groups->len, ==, 3);
  const HbResourceGroup *g1 = g_ptr_array_index (c->groups, 0);
  g_assert_cmpstr (g1->home_node, ==, "alpha");
  g_assert_cmpstr (g1->key, ==, "192.0.2.10");
  g_assert_cmpuint (g1->line, ==, 2);
  g_assert_cmpuint (g1->resources->len, ==, 2);
  const HbResource *r = g_ptr_array_index (g1->resources, 1);
  g_assert_cmpstr (r->spec, ==, "192.0.2.11/24/eth0/192.0.2.255");
  g_assert_cmpstr (r->agent, ==, "IPaddr");
  g_assert_cmpstrv (r->args, ((const char *const[]){ "192.0.2.11/24/eth0/192.0.2.255", NULL }));
  const HbResourceGroup *g2 = hb_config_find_group (c, "Filesystem::/dev/sdb1::/srv::ext4");
  g_assert_nonnull (g2);
  g_assert_cmpuint (g2->line, ==, 5);
  g_assert_cmpuint (g2->resources->len, ==, 3);
  r = g_ptr_array_index (g2->resources, 0);
  g_assert_cmpstr (r->agent, ==, "Filesystem");
  g_assert_cmpstrv (r->args, ((const char *const[]){ "/dev/sdb1", "/srv", "ext4", NULL }));
  r = g_ptr_array_index (g2->resources, 2);
  g_assert_cmpstr (r->agent, ==, "httpd");
  g_assert_cmpstrv (r->args, ((const char *const[]){ NULL }));
  const HbResourceGroup *g3 = g_ptr_array_index (c->groups, 2);
  g_assert_cmpstr (g3->key, ==, "IPaddr2::192.0.2.30");
  g_assert_cmpuint (g3->line, ==, 7);
  g_assert_null (hb_config_find_group (c, "192.0.2.11"));
}

/* Examples of the IPaddr argument (docs/PROTOCOL.md, "haresources"). */
static const char *const ipaddr_good[] = {
  "10.0.0.5", "10.0.0.5/24", "10.0.0.5/24/eth0", "10.0.0.5/24/eth0/10.0.0.255", "10.0.0.5/24/10.0.0.255",
  "10.0.0.5/255.255.255.0", "10.0.0.5/32/eth0:1",
};

static void
test_ipaddr_forms (gconstpointer data)
{
  const char *arg = data;
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autofree char *bare = g_strdup_printf ("alpha %s\nbeta IPaddr::%s x\n", arg, arg);
  g_autoptr (GPtrArray) diags2 = hb_diag_array_new ();
  g_autofree char *distinct = g_strdup_printf ("alpha %s\n", arg);
  g_autoptr (HbConfig) c = load_ok (NULL, distinct, NULL, NULL, diags);
  const HbResource *r = g_ptr_array_index (((HbResourceGroup *) g_ptr_array_index (c->groups, 0))->resources, 0);

  g_assert_cmpstr (r->agent, ==, "IPaddr");
  g_assert_cmpstr (r->args[0], ==, arg);
  /* A bare address and IPaddr::address are the same group key. */
  g_autofree char *dir = hb_test_write_dir (NULL, bare, NULL, 0600);
  g_autoptr (GError) error = NULL;
  g_assert_null (hb_test_load (dir, "alpha", NULL, diags2, &error));
  g_assert_error (error, HB_CONFIG_ERROR, HB_CONFIG_ERROR_DUPLICATE);
  hb_test_remove_dir (dir);
}

/* ucast checks against an injected interface table (lib/ does no I/O). */
static void
test_ucast_env (void)
{
  static const HbConfigInterface ifaces[] = {
    { "lo", "127.0.0.1", 8 },
    { "eth0", "192.0.2.1", 24 },
    { "eth1", "198.51.100.1", 25 },
  };
  HbConfigEnv env = { ifaces, G_N_ELEMENTS (ifaces), 0 };
  const char *hacf = "node alpha beta\nlogfacility daemon\nauto_failback on\n"
                     "ucast eth0 192.0.2.1\nucast eth0 192.0.2.200\nucast eth0 198.51.100.2\n"
                     "ucast eth1 198.51.100.200\nucast eth9 192.0.2.2\nbcast eth1\nmcast eth7 225.0.0.1 694 1 0\n";
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok (hacf, NULL, NULL, &env, diags);

  g_assert_cmpuint (c->media->len, ==, 7);
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 4);
  assert_warning (diags, "ha.cf", 6, HB_CONFIG_ERROR_BAD_VALUE,
                  "ucast peer [198.51.100.2] is not on the network of interface [eth0]: packets would need a router");
  assert_warning (diags, "ha.cf", 7, HB_CONFIG_ERROR_BAD_VALUE,
                  "ucast peer [198.51.100.200] is not on the network of interface [eth1]");
  assert_warning (diags, "ha.cf", 8, HB_CONFIG_ERROR_BAD_VALUE, "ucast interface [eth9] has no IPv4 address on this host");
  assert_warning (diags, "ha.cf", 10, HB_CONFIG_ERROR_BAD_VALUE, "mcast interface [eth7] has no IPv4 address on this host");

  /* Without a table the host checks are skipped. */
  g_autoptr (GPtrArray) diags2 = hb_diag_array_new ();
  g_autoptr (HbConfig) c2 = load_ok (hacf, NULL, NULL, NULL, diags2);
  g_assert_cmpuint (diags2->len, ==, 0);
}

static char *
fake_resolve (const char *host, gpointer user_data)
{
  static const char *const table[][2] = { { "ld2", "192.0.2.2" }, { "gw", "198.51.100.1" }, { "gw2", "198.51.100.2" } };

  g_assert_cmpstr (user_data, ==, "cookie");
  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (strcmp (table[i][0], host) == 0)
        {
          return g_strdup (table[i][1]);
        }
    }
  return NULL;
}

/* Heartbeat resolves host names in ucast/ping lines: an injected resolver
 * does it here; the address is kept, and the name as written. */
static void
test_host_names (void)
{
  HbConfigEnv env = { .resolve_ipv4 = fake_resolve, .resolve_data = "cookie" };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load_ok ("node alpha\nlogfacility daemon\nauto_failback on\nucast eth0 ld2 extra words\n"
                                    "ping gw\nping_group gws gw2 198.51.100.3\nmcast eth1 225.0.0.1 694 1 0 more\n",
                                    NULL, NULL, &env, diags);
  const HbMedium *m = g_ptr_array_index (c->media, 0);

  g_assert_cmpstr (m->peer, ==, "192.0.2.2");
  g_assert_cmpstr (m->peer_name, ==, "ld2");
  const HbNodeConf *gw = hb_config_find_node (c, "gw");
  g_assert_cmpint (gw->type, ==, HB_NODE_PING);
  g_assert_cmpstrv (gw->addrs, ((const char *const[]){ "198.51.100.1", NULL }));
  const HbNodeConf *gws = hb_config_find_node (c, "gws");
  g_assert_cmpstrv (gws->addrs, ((const char *const[]){ "198.51.100.2", "198.51.100.3", NULL }));
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 2);
  assert_warning (diags, "ha.cf", 4, HB_CONFIG_ERROR_BAD_VALUE, "ucast takes 2 values: the rest of the line [extra ...] is ignored");
  assert_warning (diags, "ha.cf", 7, HB_CONFIG_ERROR_BAD_VALUE, "mcast takes 5 values: the rest of the line [more ...] is ignored");
  g_autofree char *dump = hb_config_dump (c);
  g_assert_nonnull (strstr (dump, "\nucast eth0 192.0.2.2 # ld2\n"));
  g_assert_nonnull (strstr (dump, "\nping gw\n"));
  g_assert_nonnull (strstr (dump, "\nping_group gws 198.51.100.2 198.51.100.3\n"));

  /* A name the resolver does not know is an error naming it. */
  g_autofree char *dir = hb_test_write_dir ("node alpha\nbcast eth0\nlogfacility daemon\nucast eth0 nosuch\n", NULL, NULL, 0600);
  g_autoptr (GError) error = NULL;
  g_assert_null (hb_test_load (dir, "alpha", &env, NULL, &error));
  g_assert_error (error, HB_CONFIG_ERROR, HB_CONFIG_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "/ha.cf:4: cannot resolve ucast peer host name [nosuch] to an IPv4 address"));
  hb_test_remove_dir (dir);
}

static void
test_local_node_case (void)
{
  g_autofree char *dir = hb_test_write_dir ("node Alpha\nbcast eth0\nlogfile /dev/null\nauto_failback on\n",
                                            "ALPHA 192.0.2.10\n", NULL, 0600);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) c = hb_test_load (dir, "ALPHA", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (c->local_node, ==, "alpha");
  g_assert_cmpstr (c->confdir, ==, dir);
  g_assert_cmpstr (((HbResourceGroup *) g_ptr_array_index (c->groups, 0))->home_node, ==, "alpha");
  hb_test_remove_dir (dir);
}

/* Explicit paths override CONFDIR/name. */
static void
test_paths_override (void)
{
  g_autofree char *dir = hb_test_write_dir (NULL, NULL, NULL, 0600);
  g_autofree char *hacf = g_build_filename (dir, "ha.cf", NULL);
  HbConfigPaths paths = { .confdir = "/nonexistent", .hacf = hacf };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_null (hb_config_load (&paths, "alpha", diags, &error));
  /* ha.cf was found; the two others were looked up in /nonexistent. */
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, 2);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/authkeys:0: Cannot open keyfile [/nonexistent/authkeys]"));
  hb_test_remove_dir (dir);
}

typedef struct
{
  const char *name;
  const char *dir;    /* relative to the source tree's tests/ */
  const char *hacf;   /* file name of ha.cf inside dir */
  const char *node;
  const char *golden; /* in tests/data/config/golden/ */
} GoldenCase;

static const GoldenCase golden_cases[] = {
  { "seed", "data/config/seed", "ha.cf", "LD_192_168_3_87", "seed.dump" },
  { "seed-backup", "data/config/seed", "ha.cf", "ld_192_168_3_88", NULL },
  { "full", "data/config/good/full", "ha.cf", "alpha", "full.dump" },
  { "minimal", "data/config/good/minimal", "ha.cf", "alpha", "minimal.dump" },
  { "sample", "../ha.d", "ha.cf", "ld_192_0_2_87", "sample.dump" },
  { "sample-commented", "../ha.d", "ha.cf.sample", "ld_192_0_2_87", "sample.dump" },
};

/* DIR's NAME in TEXT, copied without a terminating NUL (a 'X' follows instead),
 * so the loader must keep to the length. */
static char *
read_unterminated (const char *dir, const char *name, HbConfigText *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize len;
  char *copy;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  copy = g_malloc (len + 1);
  memcpy (copy, contents, len);
  copy[len] = 'X';
  *text = (HbConfigText) { .contents = copy, .len = len, .mode = 0100600 };
  return copy;
}

/* hb_config_load_texts() on the bytes of DIR's files says what the file loader
 * says: the same dump, the same diagnostics. */
static void
assert_texts_load_same (const char *dir, const char *node, const char *dump, GPtrArray *diags)
{
  HbConfigPaths paths = { .confdir = dir };
  HbConfigTexts texts;
  g_autofree char *hacf = read_unterminated (dir, "ha.cf", &texts.hacf);
  g_autofree char *authkeys = read_unterminated (dir, "authkeys", &texts.authkeys);
  g_autofree char *haresources = read_unterminated (dir, "haresources", &texts.haresources);
  g_autoptr (GPtrArray) diags2 = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) c = hb_config_load_texts (&paths, &texts, node, NULL, diags2, &error);
  g_autofree char *dump2 = NULL;

  g_assert_no_error (error);
  dump2 = hb_config_dump (c);
  g_assert_cmpstr (dump2, ==, dump);
  g_assert_cmpuint (diags2->len, ==, diags->len);
  for (guint i = 0; i < diags->len; i++)
    {
      g_assert_cmpstr (((HbDiag *) g_ptr_array_index (diags2, i))->message, ==,
                       ((HbDiag *) g_ptr_array_index (diags, i))->message);
    }
}

static void
test_golden (gconstpointer data)
{
  const GoldenCase *gc = data;
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, gc->dir, NULL);
  g_autofree char *dir = hb_test_copy_dir (src, gc->hacf);
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) c = hb_test_load (dir, gc->node, NULL, diags, &error);

  hb_test_log_diags (diags);
  g_assert_no_error (error);
  g_autofree char *dump = hb_config_dump (c);
  if (gc->golden != NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "config", "golden", gc->golden, NULL);
      g_autofree char *expected = NULL;
      g_assert_true (g_file_get_contents (path, &expected, NULL, NULL));
      g_assert_cmpstr (dump, ==, expected);
    }
  assert_texts_load_same (dir, gc->node, dump, diags);
  /* No secret ever appears in a dump. */
  for (guint i = 0; i < HB_AUTH_MAX_KEYS; i++)
    {
      g_assert_true (c->auth_keys[i].key == NULL || strstr (dump, c->auth_keys[i].key) == NULL);
    }
  /* The dump is itself a valid ha.cf that means the same. */
  g_autofree char *haresources = g_build_filename (dir, "haresources", NULL);
  g_autofree char *authkeys = g_build_filename (dir, "authkeys", NULL);
  g_autofree char *hacf = g_build_filename (dir, "ha.cf", NULL);
  g_assert_true (g_file_set_contents (hacf, dump, -1, NULL));
  g_autoptr (HbConfig) again = hb_test_load (dir, gc->node, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *dump2 = hb_config_dump (again);
  g_assert_cmpstr (dump2, ==, dump);
  hb_test_remove_dir (dir);
}

/* The reference scenario's files, verbatim (SEED-SCENARIO.md). */
static void
test_seed (void)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "data", "config", "seed", NULL);
  g_autofree char *dir = hb_test_copy_dir (src, "ha.cf");
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HbConfig) c = hb_test_load (dir, "LD_192_168_3_87", NULL, diags, &error);

  hb_test_log_diags (diags);
  g_assert_no_error (error);
  g_assert_cmpuint (c->keepalive_ms, ==, 1000);
  g_assert_cmpuint (c->deadtime_ms, ==, 10000);
  g_assert_cmpuint (c->warntime_ms, ==, 5000);
  g_assert_cmpuint (c->initdead_ms, ==, 20000);
  g_assert_cmpuint (c->udpport, ==, 10694);
  g_assert_cmpint (c->auto_failback, ==, HB_FAILBACK_OFF);
  g_assert_cmpstr (c->logfile, ==, "/var/log/ha-log");
  g_assert_cmpstr (c->logfacility, ==, "local0");
  const HbMedium *m = g_ptr_array_index (c->media, 0);
  g_assert_cmpint (m->type, ==, HB_MEDIUM_BCAST);
  g_assert_cmpstr (m->dev, ==, "eth1");
  g_assert_cmpuint (m->port, ==, 10694);
  g_assert_cmpuint (m->line, ==, 14);
  g_assert_nonnull (hb_config_find_node (c, "ld_192_168_3_88"));
  g_assert_cmpuint (c->auth_active, ==, 1);
  g_assert_cmpint (c->auth_keys[1].method, ==, HB_AUTH_CRC);
  const HbResourceGroup *g = hb_config_find_group (c, "192.168.3.118");
  g_assert_nonnull (g);
  g_assert_cmpstr (g->home_node, ==, "ld_192_168_3_87");
  g_assert_cmpuint (g->resources->len, ==, 2);
  g_assert_cmpstr (((HbResource *) g_ptr_array_index (g->resources, 0))->agent, ==, "IPaddr");
  g_assert_cmpstr (((HbResource *) g_ptr_array_index (g->resources, 1))->agent, ==, "myop.sh");
  /* Its only warning: crc on a broadcast medium. */
  g_assert_cmpuint (diags->len, ==, 1);
  assert_warning (diags, "authkeys", 2, HB_CONFIG_ERROR_AUTH, "crc gives integrity only, no authentication: use sha1");
  hb_test_remove_dir (dir);
}

/* ha.cf.sample documents every directive we recognise, and each is
 * accepted by the parser (as itself, never "Illegal directive"). */
static void
test_sample_documents_all (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "ha.d", "ha.cf.sample", NULL);
  g_autofree char *sample = NULL;

  g_assert_true (g_file_get_contents (path, &sample, NULL, NULL));
  g_assert_cmpuint (hb_config_n_directives (), >=, 60);
  for (guint i = 0; i < hb_config_n_directives (); i++)
    {
      const char *name = hb_config_directive_name (i);
      g_autofree char *pattern = g_strdup_printf ("(^|[^a-z_0-9])%s([^a-z_0-9]|$)", name);
      g_test_message ("directive %s", name);
      g_assert_true (g_regex_match_simple (pattern, sample, G_REGEX_MULTILINE, 0));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/good/defaults", test_defaults);
  for (gsize i = 0; i < G_N_ELEMENTS (initdead_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/good/initdead/%s", initdead_cases[i].deadtime);
      g_test_add_data_func (path, &initdead_cases[i], test_initdead_default);
    }
  g_test_add_func ("/config/good/order-independent", test_order_independent);
  g_test_add_func ("/config/good/env-udpport", test_env_udpport);
  g_test_add_func ("/config/good/split-values", test_split_values);
  g_test_add_func ("/config/good/media-and-ping", test_media_and_ping);
  for (gsize i = 0; i < G_N_ELEMENTS (failback_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/good/failback/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &failback_cases[i], test_failback);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (unsupported_cases); i++)
    {
      g_autofree char *name = g_strndup (unsupported_cases[i].line, strcspn (unsupported_cases[i].line, " "));
      g_autofree char *path = g_strdup_printf ("/config/good/unsupported/%s", name);
      g_test_add_data_func (path, &unsupported_cases[i], test_unsupported);
    }
  g_test_add_func ("/config/good/crm-off", test_crm_off);
  g_test_add_func ("/config/good/override-warning", test_override_warning);
  g_test_add_func ("/config/good/timing-warnings", test_timing_warnings);
  g_test_add_func ("/config/good/crc-warning", test_crc_warning);
  g_test_add_func ("/config/good/authkeys", test_authkeys);
  g_test_add_func ("/config/good/authkeys-trailing", test_authkeys_trailing);
  g_test_add_func ("/config/good/haresources", test_haresources);
  g_test_add_func ("/config/good/blanks/hacf-form-feed", test_hacf_form_feed);
  g_test_add_func ("/config/good/blanks/hacf-vertical-tab", test_hacf_vertical_tab);
  g_test_add_func ("/config/good/blanks/hacf-carriage-return", test_hacf_carriage_return);
  g_test_add_func ("/config/good/blanks/authkeys", test_authkeys_blanks);
  for (gsize i = 0; i < G_N_ELEMENTS (ipaddr_good); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/good/ipaddr/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, ipaddr_good[i], test_ipaddr_forms);
    }
  g_test_add_func ("/config/good/ucast-env", test_ucast_env);
  g_test_add_func ("/config/good/host-names", test_host_names);
  g_test_add_func ("/config/good/local-node-case", test_local_node_case);
  g_test_add_func ("/config/good/paths-override", test_paths_override);
  for (gsize i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/good/golden/%s", golden_cases[i].name);
      g_test_add_data_func (path, &golden_cases[i], test_golden);
    }
  g_test_add_func ("/config/good/seed", test_seed);
  g_test_add_func ("/config/good/sample-documents-all", test_sample_documents_all);
  return g_test_run ();
}
