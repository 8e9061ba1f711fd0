/* systole: the checks that need facts about the host, injected as data
 * (lib/ does no I/O): owner and mode of the files that decide what root
 * runs, the media's interfaces, and crc keys when heartbeats leave the host. */
#include <string.h>
#include <sys/stat.h>

#include "config-testutil.h"

/* Loads three texts for node alpha with `env`; returns the configuration
 * or NULL, the diagnostics in `diags`. */
static HbConfig *
load (const char *hacf, const char *haresources, const char *authkeys, const HbConfigEnv *env,
      GPtrArray *diags)
{
  g_autofree char *dir = hb_test_write_dir (hacf, haresources, authkeys, 0600);
  g_autoptr (GError) error = NULL;
  HbConfig *config = hb_test_load (dir, "alpha", env, diags, &error);

  hb_test_log_diags (diags);
  g_assert_true ((config == NULL) == (error != NULL));
  hb_test_remove_dir (dir);
  return config;
}

/* The only diagnostic of `severity`; asserts its file suffix, line, code, text. */
static void
assert_only (GPtrArray *diags, HbDiagSeverity severity, const char *file_suffix, guint line,
             HbConfigError code, const char *text)
{
  const HbDiag *found = NULL;

  for (guint i = 0; i < diags->len; i++)
    {
      const HbDiag *d = g_ptr_array_index (diags, i);
      if (d->severity == severity)
        {
          g_assert_null (found);
          found = d;
        }
    }
  g_assert_nonnull (found);
  g_assert_true (g_str_has_suffix (found->file, file_suffix));
  g_assert_cmpuint (found->line, ==, line);
  g_assert_cmpint (found->code, ==, code);
  if (strstr (found->message, text) == NULL)
    {
      g_error ("expected [%s] in [%s]", text, found->message);
    }
}

/* ---- owner and mode ------------------------------------------------------------ */

enum
{
  F_CONFDIR,
  F_HACF,
  F_HARESOURCES,
  F_AUTHKEYS,
  F_RESOURCE_DIR,
  F_AGENT,        /* myop.sh, named by HB_TEST_HARESOURCES */
  F_UNUSED_AGENT, /* in resource.d, named by no group */
  N_FILES,
};

/* A safe set: root's, nobody else may write. Some variety that is fine:
 * group root may write haresources, the agent is a symbolic link, authkeys
 * belongs to the daemon's own user. */
static void
safe_files (HbConfigFileFacts files[N_FILES])
{
  const HbConfigFileFacts safe[N_FILES] = {
    [F_CONFDIR] = { HB_CONFIG_FILE_CONFDIR, "/etc/ha.d", FALSE, S_IFDIR | 0755, 0, 0 },
    [F_HACF] = { HB_CONFIG_FILE_HACF, "/etc/ha.d/ha.cf", FALSE, S_IFREG | 0644, 0, 0 },
    [F_HARESOURCES] = { HB_CONFIG_FILE_HARESOURCES, "/etc/ha.d/haresources", FALSE, S_IFREG | 0664, 0, 0 },
    [F_AUTHKEYS] = { HB_CONFIG_FILE_AUTHKEYS, "/etc/ha.d/authkeys", FALSE, S_IFREG | 0600, 990, 0 },
    [F_RESOURCE_DIR] = { HB_CONFIG_FILE_RESOURCE_DIR, "/etc/ha.d/resource.d", FALSE, S_IFDIR | 0755, 0, 0 },
    [F_AGENT] = { HB_CONFIG_FILE_AGENT, "/etc/ha.d/resource.d/myop.sh", TRUE, S_IFREG | 0755, 0, 0 },
    [F_UNUSED_AGENT] = { HB_CONFIG_FILE_AGENT, "/etc/ha.d/resource.d/spare", FALSE, S_IFREG | 0777, 0, 0 },
  };

  memcpy (files, safe, sizeof safe);
}

static void
test_files_safe (void)
{
  HbConfigFileFacts files[N_FILES];
  HbConfigEnv env = { 0 };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();

  safe_files (files);
  env.files = files;
  env.n_files = N_FILES;
  env.euid = 990;
  g_autoptr (HbConfig) c = load (NULL, NULL, NULL, &env, diags);
  g_assert_nonnull (c);
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, 0);
}

typedef struct
{
  const char *name;
  guint index;
  gboolean is_symlink;
  guint mode;
  guint uid;
  guint gid;
  guint euid;
  const char *file_suffix; /* where the problem is reported */
  guint line;
  const char *text;
} FileCase;

static const FileCase file_cases[] = {
  { "confdir-world-writable", F_CONFDIR, FALSE, S_IFDIR | 0777, 0, 0, 0, "/etc/ha.d", 0,
    "Bad permissions on configuration directory [/etc/ha.d]: mode 0777 lets others write it: "
    "whoever can change it decides what heartbeat runs as root" },
  { "hacf-other-owner", F_HACF, FALSE, S_IFREG | 0644, 1000, 0, 0, "/ha.cf", 0,
    "Bad owner of configuration file [/etc/ha.d/ha.cf]: uid 1000; it must belong to root: " },
  { "hacf-other-owner-euid", F_HACF, FALSE, S_IFREG | 0644, 1000, 0, 990, "/ha.cf", 0,
    "uid 1000; it must belong to root or uid 990 (heartbeat's user)" },
  { "haresources-group-writable", F_HARESOURCES, FALSE, S_IFREG | 0664, 0, 50, 0, "/haresources", 0,
    "Bad permissions on configuration file [/etc/ha.d/haresources]: mode 0664 lets group 50 write it" },
  { "authkeys-symlink", F_AUTHKEYS, TRUE, S_IFREG | 0600, 0, 0, 0, "/authkeys", 0,
    "Bad keyfile [/etc/ha.d/authkeys]: it is a symbolic link; it must be the file itself" },
  { "authkeys-other-owner", F_AUTHKEYS, FALSE, S_IFREG | 0600, 1000, 1000, 0, "/authkeys", 0,
    "Bad owner of keyfile [/etc/ha.d/authkeys]: uid 1000" },
  { "authkeys-group-writable", F_AUTHKEYS, FALSE, S_IFREG | 0620, 0, 4, 0, "/authkeys", 0,
    "Bad permissions on keyfile [/etc/ha.d/authkeys]: mode 0620 lets group 4 write it" },
  /* Sticky does not help: others could still add scripts. */
  { "resource-dir-sticky", F_RESOURCE_DIR, FALSE, S_IFDIR | 01777, 0, 0, 0, "/resource.d", 0,
    "Bad permissions on resource directory [/etc/ha.d/resource.d]: mode 1777 lets others write it" },
  { "agent-world-writable", F_AGENT, TRUE, S_IFREG | 0757, 0, 0, 0, "/haresources", 1,
    "Bad permissions on resource agent [/etc/ha.d/resource.d/myop.sh]: mode 0757 lets others write it" },
  { "agent-other-owner", F_AGENT, FALSE, S_IFREG | 0755, 1000, 0, 0, "/haresources", 1,
    "Bad owner of resource agent [/etc/ha.d/resource.d/myop.sh]: uid 1000" },
};

static void
test_files_unsafe (gconstpointer data)
{
  const FileCase *fc = data;
  HbConfigFileFacts files[N_FILES];
  HbConfigEnv env = { 0 };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();

  safe_files (files);
  files[F_AUTHKEYS].uid = 0;
  files[fc->index].is_symlink = fc->is_symlink;
  files[fc->index].mode = fc->mode;
  files[fc->index].uid = fc->uid;
  files[fc->index].gid = fc->gid;
  env.files = files;
  env.n_files = N_FILES;
  env.euid = fc->euid;
  g_autoptr (HbConfig) c = load (NULL, NULL, NULL, &env, diags);
  g_assert_null (c);
  assert_only (diags, HB_DIAG_ERROR, fc->file_suffix, fc->line, HB_CONFIG_ERROR_PERMISSIONS, fc->text);
}

/* Every problem at once, an agent used twice reported once. */
static void
test_files_all (void)
{
  HbConfigFileFacts files[N_FILES];
  HbConfigEnv env = { 0 };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();

  safe_files (files);
  for (guint i = 0; i < N_FILES; i++)
    {
      files[i].mode |= 0002;
    }
  env.files = files;
  env.n_files = N_FILES;
  env.euid = 990;
  g_autoptr (HbConfig) c = load (NULL, "alpha 192.0.2.10 myop.sh\nbeta 192.0.2.11 myop.sh\n", NULL, &env, diags);
  g_assert_null (c);
  /* CONFDIR, ha.cf, haresources, authkeys, resource.d, myop.sh once; not spare. */
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, 6);
}

/* ---- crc keys when heartbeats leave the host -------------------------------------- */

static const HbConfigLink links[] = { { "lo", TRUE }, { "eth0", FALSE }, { "eth5", FALSE }, { "lo2", TRUE } };
static const HbConfigInterface ifaces[] = { { "lo", "127.0.0.1", 8 }, { "eth0", "192.0.2.1", 24 }, { "lo2", "127.0.0.2", 8 } };

static void
test_crc_leftover (void)
{
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load (NULL, NULL, "auth 1\n1 sha1 s3cret\n2 crc\n", NULL, diags);

  g_assert_null (c);
  assert_only (diags, HB_DIAG_ERROR, "/authkeys", 3, HB_CONFIG_ERROR_AUTH,
               "key 2 uses crc, and packets signed with any configured key are accepted, not only "
               "with auth 1 (sha1): crc has no secret, so any host on the network of ha.cf line 3 "
               "could sign packets: remove the line (a finished key rollover?) or give it a sha1 key");
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_WARNING), ==, 0);

  g_autoptr (GPtrArray) diags2 = hb_diag_array_new ();
  g_autoptr (HbConfig) c2 = load (NULL, NULL, "auth 3\n2 crc\n3 md5 s3cret\n", NULL, diags2);
  g_assert_null (c2);
  assert_only (diags2, HB_DIAG_ERROR, "/authkeys", 2, HB_CONFIG_ERROR_AUTH, "not only with auth 3 (md5)");
}

/* Heartbeats on loopback only: crc anywhere is nobody else's business. */
static void
test_crc_loopback (void)
{
  const char *hacf = "node alpha\nbcast lo\nucast lo2 127.0.0.2\nauto_failback on\nlogfacility daemon\n";
  HbConfigEnv env = { ifaces, G_N_ELEMENTS (ifaces), 0 };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();

  env.links = links;
  env.n_links = G_N_ELEMENTS (links);
  g_autoptr (HbConfig) c = load (hacf, NULL, "auth 1\n1 sha1 s3cret\n2 crc\n", &env, diags);
  g_assert_nonnull (c);
  g_assert_cmpuint (diags->len, ==, 0);
  g_autoptr (GPtrArray) diags2 = hb_diag_array_new ();
  g_autoptr (HbConfig) c2 = load (hacf, NULL, "auth 2\n2 crc\n", &env, diags2);
  g_assert_nonnull (c2);
  g_assert_cmpuint (diags2->len, ==, 0);
  /* Without a table, "lo" alone counts as loopback. */
  g_autoptr (GPtrArray) diags3 = hb_diag_array_new ();
  g_autoptr (HbConfig) c3 = load ("node alpha\nbcast lo\nauto_failback on\n", NULL, "auth 1\n1 sha1 k\n2 crc\n", NULL, diags3);
  g_assert_nonnull (c3);
}

/* The active key is crc: the cluster's open choice, a warning as before,
 * naming the first medium that leaves the host. */
static void
test_crc_active (void)
{
  const char *hacf = "node alpha\nbcast lo\nbcast eth0\nauto_failback on\nlogfacility daemon\n";
  HbConfigEnv env = { ifaces, G_N_ELEMENTS (ifaces), 0 };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();

  env.links = links;
  env.n_links = G_N_ELEMENTS (links);
  g_autoptr (HbConfig) c = load (hacf, NULL, "auth 1\n1 crc\n2 sha1 next\n", &env, diags);
  g_assert_nonnull (c);
  assert_only (diags, HB_DIAG_WARNING, "/authkeys", 2, HB_CONFIG_ERROR_AUTH,
               "key 1 uses crc but heartbeats leave the host (ha.cf line 3)");
}

/* ---- interfaces ------------------------------------------------------------------- */

static void
test_interface_missing (void)
{
  const char *hacf = "node alpha\nbcast eth0\nbcast eth9\nucast eth5 192.0.2.7\n"
                     "mcast eth8 239.0.0.1 694 1 0\nauto_failback on\nlogfacility daemon\n";
  HbConfigEnv env = { ifaces, G_N_ELEMENTS (ifaces), 0 };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();

  env.links = links;
  env.n_links = G_N_ELEMENTS (links);
  g_autoptr (HbConfig) c = load (hacf, NULL, NULL, &env, diags);
  g_assert_null (c);
  g_assert_cmpuint (hb_test_count (diags, HB_DIAG_ERROR), ==, 2);
  const HbDiag *d3 = g_ptr_array_index (diags, 0), *d5 = g_ptr_array_index (diags, 2);
  g_assert_cmpuint (d3->line, ==, 3);
  g_assert_nonnull (strstr (d3->message, "bcast interface [eth9] does not exist on this host"));
  /* eth5 exists without an IPv4 address: still only a warning. */
  assert_only (diags, HB_DIAG_WARNING, "/ha.cf", 4, HB_CONFIG_ERROR_BAD_VALUE,
               "ucast interface [eth5] has no IPv4 address on this host");
  g_assert_cmpuint (d5->line, ==, 5);
  g_assert_nonnull (strstr (d5->message, "mcast interface [eth8] does not exist on this host"));
}

/* A table of addresses but none of interfaces (-t --no-host-checks gives
 * neither; older callers only addresses): no existence check. */
static void
test_interface_no_table (void)
{
  HbConfigEnv env = { ifaces, G_N_ELEMENTS (ifaces), 0 };
  g_autoptr (GPtrArray) diags = hb_diag_array_new ();
  g_autoptr (HbConfig) c = load ("node alpha\nbcast eth9\nauto_failback on\nlogfacility daemon\n", NULL, NULL,
                                 &env, diags);

  g_assert_nonnull (c);
  assert_only (diags, HB_DIAG_WARNING, "/ha.cf", 2, HB_CONFIG_ERROR_BAD_VALUE, "has no IPv4 address");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/host/files/safe", test_files_safe);
  for (gsize i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/config/host/files/%s", file_cases[i].name);
      g_test_add_data_func (name, &file_cases[i], test_files_unsafe);
    }
  g_test_add_func ("/config/host/files/all", test_files_all);
  g_test_add_func ("/config/host/crc/leftover", test_crc_leftover);
  g_test_add_func ("/config/host/crc/loopback", test_crc_loopback);
  g_test_add_func ("/config/host/crc/active", test_crc_active);
  g_test_add_func ("/config/host/interface/missing", test_interface_missing);
  g_test_add_func ("/config/host/interface/no-table", test_interface_no_table);
  return g_test_run ();
}
