/* systole: the parsed, validated configuration (ha.cf + haresources + authkeys).
 *
 * An HbConfig is an immutable value: hb_config_load() builds a fresh one from the
 * files, and the daemon swaps it in whole (SIGHUP reload). Nothing outside
 * lib/config*.c writes to it. All strings are owned by the HbConfig.
 *
 * Facts: docs/PROTOCOL.md, "haresources" and "Configuration" (ha.cf, authkeys).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ---- errors and diagnostics ------------------------------------------------ */

#define HB_CONFIG_ERROR (hb_config_error_quark ())
GQuark hb_config_error_quark (void);

/* One code per kind of problem; tests assert these. */
typedef enum
{
  HB_CONFIG_ERROR_IO,              /* cannot open / read a file */
  HB_CONFIG_ERROR_PERMISSIONS,     /* authkeys readable by group or others; a file or
                                      directory that decides what root runs has an
                                      unsafe owner, mode or is a symlink (authkeys) */
  HB_CONFIG_ERROR_UNKNOWN_DIRECTIVE,
  HB_CONFIG_ERROR_BAD_VALUE,       /* malformed number, time, boolean, address, ... */
  HB_CONFIG_ERROR_MISSING_VALUE,   /* directive without its argument(s) */
  HB_CONFIG_ERROR_UNSUPPORTED,     /* a directive we refuse because ignoring it would change behaviour */
  HB_CONFIG_ERROR_NO_MEDIA,
  HB_CONFIG_ERROR_NO_NODES,
  HB_CONFIG_ERROR_LOCAL_NODE,      /* the local node is not in any `node` line */
  HB_CONFIG_ERROR_TIMING,          /* deadtime <= 2*keepalive, initdead < deadtime, ... */
  HB_CONFIG_ERROR_BAD_NODE,        /* haresources names a node that ha.cf does not list */
  HB_CONFIG_ERROR_DUPLICATE,       /* duplicate group key, node, auth index, ... */
  HB_CONFIG_ERROR_RESOURCE,        /* malformed resource spec (e.g. IPaddr argument) */
  HB_CONFIG_ERROR_AUTH,            /* authkeys content errors */
} HbConfigError;

typedef enum
{
  HB_DIAG_WARNING,
  HB_DIAG_ERROR,
} HbDiagSeverity;

/* One problem found while loading. `message` always starts with "FILE:LINE: "
 * (LINE is 0 for whole-file problems such as "no nodes defined"), then
 * names the offending text in brackets, keeping Heartbeat's wording where
 * users know it, e.g.
 *   /etc/ha.d/ha.cf:7: Illegal directive [frobnicate]
 *   /etc/ha.d/ha.cf:5: Dead time [3000ms] is too small compared to keeplive [2000ms]: ...
 *   /etc/ha.d/authkeys:0: Bad permissions on keyfile [/etc/ha.d/authkeys], 600 recommended. ...
 *   /etc/ha.d/haresources:2: Bad nodename in haresources [gamma]: ... (known nodes: a, b)
 * Secrets from authkeys never appear in a message. Diagnostics come in file
 * order (ha.cf, authkeys, haresources), then line order. */
typedef struct
{
  HbDiagSeverity severity;
  GQuark domain;     /* HB_CONFIG_ERROR */
  gint code;         /* HbConfigError */
  char *file;        /* path as given/opened */
  guint line;        /* 1-based, 0 = whole file */
  char *message;     /* full text, "file:line: ..." */
} HbDiag;

void hb_diag_free (HbDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbDiag, hb_diag_free)

/* ---- ha.cf ------------------------------------------------------------------ */

typedef enum
{
  HB_MEDIUM_BCAST,
  HB_MEDIUM_UCAST,
  HB_MEDIUM_MCAST,
} HbMediumType;

typedef struct
{
  HbMediumType type;
  char *dev;        /* interface, e.g. "eth1" */
  char *peer;       /* ucast: peer IPv4 address (dotted quad; resolved if a host name was written) */
  char *group;      /* mcast: class-D group */
  guint16 port;     /* mcast: its own port; bcast/ucast: the config's udpport */
  guint8 ttl;       /* mcast */
  gboolean loop;    /* mcast */
  guint line;       /* ha.cf line that declared it */
  char *peer_name;  /* ucast: the peer as written (host name or address) */
} HbMedium;

typedef enum
{
  HB_NODE_NORMAL,
  HB_NODE_PING,       /* `ping IP`: a pseudo-node named by its address */
  HB_NODE_PING_GROUP, /* `ping_group NAME IP...`: alive if any member answers */
} HbNodeType;

typedef struct
{
  char *name;         /* lower-cased; for ping nodes the IP, for ping groups NAME */
  HbNodeType type;
  char **addrs;       /* ping / ping_group: member IPv4 addresses, resolved (NULL-terminated); else NULL */
  guint line;
} HbNodeConf;

typedef enum
{
  HB_FAILBACK_LEGACY,  /* the 3.0.6 default, with a deprecation warning */
  HB_FAILBACK_ON,
  HB_FAILBACK_OFF,
} HbAutoFailback;

/* ---- authkeys --------------------------------------------------------------- */

#define HB_AUTH_MAX_KEYS 16

typedef enum
{
  HB_AUTH_NONE = 0,    /* index not configured */
  HB_AUTH_CRC,
  HB_AUTH_MD5,
  HB_AUTH_SHA1,
} HbAuthMethod;

typedef struct
{
  HbAuthMethod method;
  char *key;           /* NULL for crc */
} HbAuthKey;

/* ---- haresources ------------------------------------------------------------ */

typedef struct
{
  char *spec;          /* as written, e.g. "IPaddr::192.0.2.10/24/eth0" or "192.0.2.10" */
  char *agent;         /* script name, e.g. "IPaddr" (a bare address becomes IPaddr) */
  char **args;         /* arguments split on "::" (NULL-terminated, may be empty) */
} HbResource;

typedef struct
{
  char *home_node;     /* preferred node, lower-cased, as listed in ha.cf */
  char *key;           /* the first resource's spec: unique in the file */
  GPtrArray *resources;/* of HbResource*, in start order (left to right) */
  guint line;          /* line where the group starts */
} HbResourceGroup;

/* ---- the whole configuration -------------------------------------------------- */

typedef struct
{
  char *confdir;       /* directory the files were read from */
  char *local_node;    /* lower-cased name this configuration was validated for */

  /* ha.cf: timers in milliseconds, defaults and derived values already applied
   * (docs/PROTOCOL.md, "ha.cf directives"). */
  guint keepalive_ms;
  guint deadtime_ms;
  guint warntime_ms;
  guint initdead_ms;
  guint deadping_ms;
  guint16 udpport;
  guint hopfudge;
  guint debug_level;
  guint max_rexmit_delay_ms;
  guint conn_logd_time_s;
  HbAutoFailback auto_failback;
  gboolean auto_failback_explicit; /* FALSE when the legacy default was taken */
  char *logfile;       /* NULL if unset */
  char *debugfile;     /* NULL if unset */
  char *logfacility;   /* syslog facility name; NULL if unset or "none" */
  gboolean use_logd;
  gboolean syslogmsgfmt;
  gboolean realtime;
  gboolean log_badpack;
  gboolean coredumps;
  char *hbgenmethod;   /* "file" or "time" */
  char *msgfmt;        /* "classic" or "netstring" */
  char *cluster;       /* cluster name, default "linux-ha" */
  char *uuidfrom;      /* "file" or "nodename" */
  char *autojoin;      /* "none" */
  gint rtprio;         /* SCHED_FIFO priority; 0 = platform default */
  guint memreserve_kb; /* KB to pre-allocate and lock (default 6500) */
  char *coreroot;      /* NULL if unset */

  GPtrArray *media;    /* of HbMedium* in file order */
  GPtrArray *nodes;    /* of HbNodeConf*: normal nodes, ping nodes and ping groups, file order */

  /* authkeys */
  guint auth_active;                    /* index used to sign (the `auth N` line) */
  HbAuthKey auth_keys[HB_AUTH_MAX_KEYS];

  /* haresources */
  GPtrArray *groups;   /* of HbResourceGroup* in file order */
} HbConfig;

void hb_config_free (HbConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbConfig, hb_config_free)

/* Where to read from; NULL members mean "CONFDIR/ha.cf" etc. */
typedef struct
{
  const char *confdir;      /* required */
  const char *hacf;         /* optional override of the ha.cf path */
  const char *haresources;  /* optional override */
  const char *authkeys;     /* optional override */
} HbConfigPaths;

/* Facts about the host that some checks need. lib/ does no I/O besides
 * reading the three files, so the caller (heartbeat/check.c) gathers these
 * (getifaddrs, /etc/services) and tests inject fakes. */
typedef struct
{
  const char *ifname;       /* e.g. "eth0" */
  const char *address;      /* IPv4 dotted quad */
  guint prefix_len;         /* 0-32 */
} HbConfigInterface;

/* A network interface of the host, with or without an address. */
typedef struct
{
  const char *ifname;
  gboolean loopback;        /* IFF_LOOPBACK: what it sends never leaves the host */
} HbConfigLink;

/* Which of the files that decide what root runs a HbConfigFileFacts is about. */
typedef enum
{
  HB_CONFIG_FILE_CONFDIR,      /* the configuration directory */
  HB_CONFIG_FILE_HACF,
  HB_CONFIG_FILE_HARESOURCES,
  HB_CONFIG_FILE_AUTHKEYS,
  HB_CONFIG_FILE_RESOURCE_DIR, /* CONFDIR/resource.d */
  HB_CONFIG_FILE_AGENT,        /* an entry of CONFDIR/resource.d */
} HbConfigFileRole;

/* Owner and mode of one such file, as the caller found them on disk
 * (lstat for `is_symlink`, stat for the rest: what the name leads to). A
 * name that does not exist is simply not listed. */
typedef struct
{
  HbConfigFileRole role;
  const char *path;         /* as the loader names it, e.g. CONFDIR/authkeys */
  gboolean is_symlink;
  guint mode;               /* st_mode */
  guint uid;
  guint gid;
} HbConfigFileFacts;

typedef struct
{
  /* IPv4 addresses of the host; NULL skips the interface checks
   * (ucast peer on the interface's network, media interfaces exist). */
  const HbConfigInterface *interfaces;
  gsize n_interfaces;
  /* `ha-cluster/udp` from /etc/services; 0 means 694 (docs/PROTOCOL.md, "ha.cf directives"). */
  guint16 default_udpport;
  /* Heartbeat accepts host names for ucast and ping peers (HB3 ucast.c,
   * "allow use of hostname in ha.cf"). Returns a newly allocated IPv4
   * dotted quad, or NULL if the name does not resolve. NULL: host names
   * are an error. */
  char *(*resolve_ipv4) (const char *host, gpointer user_data);
  gpointer resolve_data;
  /* Every interface of the host (if_nameindex / getifaddrs); NULL skips
   * the check that each medium's interface exists. */
  const HbConfigLink *links;
  gsize n_links;
  /* The files that decide what root runs; NULL skips the owner and mode
   * checks (rules in config-files.c and README "Checking a configuration"). */
  const HbConfigFileFacts *files;
  gsize n_files;
  guint euid;               /* heartbeat's user: it may own those files, as root may */
} HbConfigEnv;

/* Reads and validates the three files for node `local_node` (lower-cased
 * internally). Every problem of every file is appended to `diags` (warnings
 * and errors, in file order). Returns the configuration when there is no
 * error-level diagnostic, else NULL with `error` set to the first error
 * (its message is that diagnostic's message). */
HbConfig *hb_config_load (const HbConfigPaths *paths,
                          const char *local_node,
                          GPtrArray *diags, /* of HbDiag*, caller owns; may be NULL */
                          GError **error);

/* hb_config_load() plus host facts (may be NULL: the host checks are skipped). */
HbConfig *hb_config_load_full (const HbConfigPaths *paths,
                               const char *local_node,
                               const HbConfigEnv *env,
                               GPtrArray *diags, /* of HbDiag*, caller owns; may be NULL */
                               GError **error);

/* One file's content for hb_config_load_texts(): its bytes as read, or why it
 * could not be read. NUL bytes among the LEN bytes are refused (naming the
 * line); CONTENTS need not be NUL-terminated. */
typedef struct
{
  const char *contents;   /* NULL: the file could not be read */
  gsize len;
  guint mode;             /* st_mode of what was read (authkeys must not be group/other readable) */
  const char *read_error; /* when CONTENTS is NULL: why, e.g. "No such file or directory" */
} HbConfigText;

typedef struct
{
  HbConfigText hacf;
  HbConfigText authkeys;
  HbConfigText haresources;
} HbConfigTexts;

/* hb_config_load_full() on contents already read (no I/O at all): PATHS
 * only names the files in messages. hb_config_load*() read the files and
 * call this. */
HbConfig *hb_config_load_texts (const HbConfigPaths *paths,
                                const HbConfigTexts *texts,
                                const char *local_node,
                                const HbConfigEnv *env, /* may be NULL */
                                GPtrArray *diags,       /* of HbDiag*, caller owns; may be NULL */
                                GError **error);

/* A new, empty array for hb_config_load*()'s `diags` (frees its HbDiag). */
GPtrArray *hb_diag_array_new (void);

/* Canonical, complete text form of a configuration (every directive with its
 * effective value, defaults filled in, groups and resources parsed), as printed
 * by `heartbeat -t -v`; stable across runs so tests diff it with golden files. */
char *hb_config_dump (const HbConfig *config);

/* Lookups. */
const HbNodeConf *hb_config_find_node (const HbConfig *config, const char *name);
const HbResourceGroup *hb_config_find_group (const HbConfig *config, const char *key);

/* The ha.cf directives recognised (docs/PROTOCOL.md, "ha.cf directives",
 * plus the 3.0.6 media plugins), index 0 .. hb_config_n_directives () - 1. */
guint hb_config_n_directives (void);
const char *hb_config_directive_name (guint index);

/* "on" / "off" / "legacy". */
const char *hb_auto_failback_to_string (HbAutoFailback value);
const char *hb_auth_method_to_string (HbAuthMethod method);

/* Time value as Heartbeat parses it (docs/PROTOCOL.md, "ha.cf syntax"): bare
 * number = seconds (fractional allowed), suffix "ms", "us"/"usec"; rounded to
 * whole ms. FALSE on bad input. */
gboolean hb_parse_time_ms (const char *text, guint *ms_out);

/* Boolean as Heartbeat parses it (docs/PROTOCOL.md, "ha.cf syntax"): true on
 * yes y 1 / false off no n 0, case-insensitive. FALSE on anything else. */
gboolean hb_parse_bool (const char *text, gboolean *value_out);

G_END_DECLS
