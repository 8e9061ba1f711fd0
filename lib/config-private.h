/* systole: what the lib/config*.c files share while building an HbConfig.
 * Not for use outside lib/config*.c. */
#pragma once

#include "config.h"

G_BEGIN_DECLS

/* The state of one hb_config_load_texts() run. */
typedef struct
{
  HbConfig *config;          /* being filled; owned by the load function */
  GPtrArray *diags;          /* of HbDiag*; never NULL here */
  guint n_errors;
  const HbConfigEnv *env;    /* never NULL here (an empty env when none given) */
  char *hacf_path;
  char *haresources_path;
  char *authkeys_path;
  GHashTable *seen;          /* ha.cf directive name -> GUINT_TO_POINTER (last line) */
  guint auth_line;           /* authkeys line of `auth N`, 0 if none */
  guint auth_key_line[HB_AUTH_MAX_KEYS];
  gboolean hacf_read;        /* ha.cf could be opened */
  gboolean authkeys_read;    /* the file could be opened */
  gint nice_failback;        /* -1 unset, else the mapped HbAutoFailback */
  guint nice_failback_line;
} HbConfigBuilder;

void hb_config_diag (HbConfigBuilder *b,
                     HbDiagSeverity severity,
                     HbConfigError code,
                     const char *file,
                     guint line,
                     const char *format,
                     ...) G_GNUC_PRINTF (6, 7);

#define hb_config_err(b, code, file, line, ...) \
  hb_config_diag ((b), HB_DIAG_ERROR, (code), (file), (line), __VA_ARGS__)
#define hb_config_warn(b, code, file, line, ...) \
  hb_config_diag ((b), HB_DIAG_WARNING, (code), (file), (line), __VA_ARGS__)

/* Line of the last occurrence of a ha.cf directive, 0 if absent. */
guint hb_config_seen_line (const HbConfigBuilder *b, const char *directive);

typedef enum
{
  HB_CONFIG_NAME_HACF,
  HB_CONFIG_NAME_AUTHKEYS,
  HB_CONFIG_NAME_HARESOURCES,
} HbConfigName;

/* PATHS' name for FILE: its override, or CONFDIR/ha.cf etc. */
char *hb_config_path (const HbConfigPaths *paths, HbConfigName file);

/* FALSE, with an error naming the line, if the text holds a NUL byte. */
gboolean hb_config_check_text (HbConfigBuilder *b, const char *path, const char *contents, gsize len);

/* Splits the LEN bytes of CONTENTS (no NUL among them) into lines, a CR
 * before each LF stripped; the line number of element i is i + 1. */
char **hb_config_split_lines (const char *contents, gsize len);

/* Values (config-values.c). */
gboolean hb_parse_uint (const char *text, guint64 min, guint64 max, guint64 *out);
gboolean hb_parse_ipv4 (const char *text, guint32 *addr_out);
gboolean hb_parse_netmask_bits (const char *text, guint *bits_out);
gboolean hb_is_ifname (const char *text);

/* The per-file parsers: each parses its file's text and adds diagnostics
 * (a file that could not be read is reported by its parser). */
void hb_config_parse_hacf (HbConfigBuilder *b, const HbConfigText *text);
void hb_config_set_defaults (HbConfigBuilder *b);
void hb_config_apply_defaults (HbConfigBuilder *b);
void hb_config_parse_authkeys (HbConfigBuilder *b, const HbConfigText *text);
void hb_config_parse_haresources (HbConfigBuilder *b, const HbConfigText *text);
void hb_config_validate (HbConfigBuilder *b);
/* Owner/mode rules on env->files (config-files.c); after the parsers. */
void hb_config_check_files (HbConfigBuilder *b);

/* Element constructors/destructors (config.c). */
HbConfig *hb_config_new_empty (void);
HbMedium *hb_medium_new (HbMediumType type, const char *dev, guint line);
HbNodeConf *hb_node_conf_new (const char *name, HbNodeType type, guint line);
void hb_resource_free (HbResource *resource);
void hb_resource_group_free (HbResourceGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbResourceGroup, hb_resource_group_free)

G_END_DECLS
