/* systole: lvs.conf, the LVS director configuration (pure parser, no I/O).
 *
 * The syntax is keepalived's `virtual_server` block syntax for the parts LVS users
 * actually use, so a keepalived setup moves over by copy and paste (keepalived.conf(5)):
 *
 *   backend auto|ipvs|nftables          # ours, optional, top level
 *   name NAME                           # ours, optional: nft table / state file key
 *   virtual_server IP PORT {
 *     delay_loop 6  lb_algo wrr  lb_kind NAT  persistence_timeout 300  protocol TCP
 *     real_server IP PORT {
 *       weight 3  inhibit_on_failure
 *       TCP_CHECK { connect_port 80  connect_timeout 3  retry 3  delay_before_retry 2 }
 *     }
 *   }
 *
 * Comments start with `#` or `!`. Keepalived keywords that do not change what the
 * director does are warned about and ignored; keywords whose absence would change
 * behaviour (other checkers, sorry_server, quorum, ...) are errors.
 * Every message starts with "FILE:LINE: ".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_LVS_CONF_ERROR (hb_lvs_conf_error_quark ())
GQuark hb_lvs_conf_error_quark (void);

typedef enum
{
  HB_LVS_CONF_ERROR_IO,          /* cannot read the file (set by callers that read it) */
  HB_LVS_CONF_ERROR_SYNTAX,      /* braces, missing block, stray token */
  HB_LVS_CONF_ERROR_UNKNOWN,     /* keyword neither ours nor keepalived's */
  HB_LVS_CONF_ERROR_BAD_VALUE,   /* malformed address, port, number, enum value */
  HB_LVS_CONF_ERROR_MISSING_VALUE,
  HB_LVS_CONF_ERROR_UNSUPPORTED, /* keepalived feature we refuse rather than ignore */
  HB_LVS_CONF_ERROR_DUPLICATE,   /* same virtual or real server twice */
  HB_LVS_CONF_ERROR_EMPTY,       /* no virtual_server at all */
  HB_LVS_CONF_ERROR_BACKEND,     /* valid config the chosen backend cannot program */
} HbLvsConfError;

typedef enum
{
  HB_LVS_BACKEND_AUTO,
  HB_LVS_BACKEND_IPVS,
  HB_LVS_BACKEND_NFTABLES,
} HbLvsBackend;

typedef enum
{
  HB_LVS_KIND_NAT, /* ipvsadm -m */
  HB_LVS_KIND_DR,  /* ipvsadm -g */
  HB_LVS_KIND_TUN, /* ipvsadm -i */
} HbLvsKind;

typedef enum
{
  HB_LVS_PROTO_TCP, /* ipvsadm -t */
  HB_LVS_PROTO_UDP, /* ipvsadm -u */
} HbLvsProto;

typedef struct
{
  gboolean enabled;           /* a TCP_CHECK block was given */
  guint16 connect_port;       /* 0 = the real server's port */
  guint connect_timeout_ms;   /* keepalived default 5 s */
  guint retry;                /* extra attempts before "down"; keepalived default 1 */
  guint delay_before_retry_ms;/* keepalived default 1 s */
  guint delay_loop_ms;        /* from the checker, the real server or the service */
} HbLvsCheck;

typedef struct
{
  char *addr;                 /* dotted quad */
  guint16 port;
  guint weight;               /* 0..65535, default 1 */
  gboolean inhibit_on_failure;/* failed: weight 0 instead of removal */
  HbLvsCheck check;
  guint line;
} HbLvsReal;

typedef struct
{
  char *addr;
  guint16 port;
  HbLvsProto proto;
  char *sched;                /* lb_algo, default "wlc" like ipvsadm */
  HbLvsKind kind;             /* lb_kind, default NAT like keepalived */
  guint persistence_s;        /* 0 = none */
  guint delay_loop_ms;        /* default 60 s like keepalived */
  GPtrArray *reals;           /* HbLvsReal* */
  guint line;
} HbLvsService;

typedef struct
{
  char *file;
  char *name;                 /* [a-z0-9_]+, from `name` or the file's base name */
  HbLvsBackend backend;
  guint backend_line;
  GPtrArray *services;        /* HbLvsService* */
} HbLvsConfig;

void hb_lvs_config_free (HbLvsConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbLvsConfig, hb_lvs_config_free)

/* Parses TEXT (the content of FILE; FILE is only used in messages and for the
 * default name). Warnings (ignored keepalived keywords) are appended to WARNINGS
 * as "FILE:LINE: ..." strings when it is not NULL. All errors of the file are
 * reported: ERROR gets the code of the first one and a message listing them all,
 * one per line, each "FILE:LINE: ...". */
HbLvsConfig *hb_lvs_config_parse (const char *text, const char *file,
                                  GPtrArray *warnings, GError **error);
/* The same for the LEN bytes of a file as read (no NUL needed after them): a
 * NUL byte among them is an error naming its line (a C string would silently
 * end there). */
HbLvsConfig *hb_lvs_config_parse_len (const char *text, gsize len, const char *file,
                                      GPtrArray *warnings, GError **error);

/* Checks that BACKEND (not AUTO) can program CONFIG: nftables does NAT only,
 * with rr, wrr or sh, and without persistence. Errors name the file and line. */
gboolean hb_lvs_config_check_backend (const HbLvsConfig *config, HbLvsBackend backend,
                                      GError **error);

/* A file-name-safe key for one configuration's state files (pid, down set,
 * applied copy): its absolute path folded to [a-z0-9_], so two files never share. */
char *hb_lvs_config_state_key (const char *abs_path);

/* "rr", "wrr", ... are the IPVS schedulers (ipvsadm(8)). */
gboolean hb_lvs_sched_is_known (const char *sched);

const char *hb_lvs_backend_to_string (HbLvsBackend backend);
const char *hb_lvs_kind_to_string (HbLvsKind kind);
const char *hb_lvs_proto_to_string (HbLvsProto proto); /* "tcp" / "udp" */

/* Canonical dump (one statement per line, every default spelled out): the golden
 * form the unit tests diff and `systole-lvs check -v` prints. */
char *hb_lvs_config_dump (const HbLvsConfig *config);

G_END_DECLS
