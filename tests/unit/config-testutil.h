/* systole tests: write configuration files into a temporary directory. */
#pragma once

#include "config.h"

G_BEGIN_DECLS

/* Good defaults for tests that change one file only (local node "alpha"). */
#define HB_TEST_HACF                                                                               \
  "node alpha\nnode beta\nbcast eth0\nkeepalive 1\ndeadtime 10\ninitdead 20\n"                     \
  "auto_failback on\nlogfacility daemon\n"
#define HB_TEST_HARESOURCES "alpha 192.0.2.10 myop.sh\n"
#define HB_TEST_AUTHKEYS "auth 1\n1 sha1 s3cret-key\n"

/* A fresh directory with ha.cf, haresources and authkeys (NULL = the
 * default above, HB_TEST_ABSENT = no such file); authkeys gets `mode`. */
#define HB_TEST_ABSENT ((const char *) 1)
char *hb_test_write_dir (const char *hacf, const char *haresources, const char *authkeys, guint mode);

/* Copies the three files of `srcdir` into a fresh directory (authkeys 0600),
 * `hacf_name` naming the ha.cf to copy (e.g. "ha.cf.sample"). */
char *hb_test_copy_dir (const char *srcdir, const char *hacf_name);

/* Removes a directory made by the functions above. */
void hb_test_remove_dir (const char *dir);

/* Loads `dir` for `node` with `env` (may be NULL); diags filled. */
HbConfig *hb_test_load (const char *dir, const char *node, const HbConfigEnv *env, GPtrArray *diags,
                        GError **error);

guint hb_test_count (GPtrArray *diags, HbDiagSeverity severity);

/* Prints every diagnostic with g_test_message (for failing tests). */
void hb_test_log_diags (GPtrArray *diags);

G_END_DECLS
