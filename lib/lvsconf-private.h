/* systole: what the lib/lvsconf*.c files share while parsing an lvs.conf.
 * Not for use outside lib/lvsconf*.c.
 *
 * The parse has two passes: lvsconf-lex.c cuts the text into tokens that keep
 * their line numbers, then lvsconf-parse.c walks them with one keyword table per
 * block level: lvsconf-top.c (the file), lvsconf-service.c (virtual_server),
 * lvsconf-real.c (real_server), lvsconf-tcpcheck.c (TCP_CHECK). Values are read
 * by lvsconf-value.c; lvsconf-validate.c checks what needs more than one
 * statement (duplicates, backend limits); lvsconf-dump.c prints the result.
 */
#pragma once

#include "lvsconf.h"

G_BEGIN_DECLS

/* keepalived.conf(5) defaults, so a copied block behaves the same. */
#define HB_LVS_CONF_DEFAULT_DELAY_LOOP_MS 60000
#define HB_LVS_CONF_DEFAULT_CONNECT_TIMEOUT_MS 5000
#define HB_LVS_CONF_DEFAULT_RETRY 1
#define HB_LVS_CONF_DEFAULT_DELAY_BEFORE_RETRY_MS 1000
#define HB_LVS_CONF_DEFAULT_SCHED "wlc" /* ipvsadm(8)'s default scheduler */

#define HB_LVS_CONF_MAX_SECONDS 86400
#define HB_LVS_CONF_MAX_WEIGHT 65535 /* ipvsadm(8): -w 0..65535 */
#define HB_LVS_CONF_MAX_RETRY 1000
#define HB_LVS_CONF_MAX_PERSISTENCE_S (31 * 24 * 3600)
#define HB_LVS_CONF_MAX_NAME 32 /* `name` becomes part of an nft table name */

typedef struct
{
  char *text;
  guint line;
} HbLvsConfToken;

/* The state of one hb_lvs_config_parse() run. */
typedef struct
{
  const char *file;
  GPtrArray *toks; /* HbLvsConfToken* */
  guint pos;       /* next token */
  GPtrArray *warnings;
  GString *errors; /* every error so far, one per line */
  gint first_code;
  guint n_errors;
  HbLvsConfig *config;
} HbLvsConfParser;

/* ---- lvsconf-lex.c: tokens ---------------------------------------------------- */

/* Words and braces of TEXT (HbLvsConfToken*, owned), comments left out. */
GPtrArray *hb_lvs_conf_lex (const char *text);
/* The next token, NULL at the end. */
HbLvsConfToken *hb_lvs_conf_peek (HbLvsConfParser *p);
/* TRUE when the next token is TEXT. */
gboolean hb_lvs_conf_next_is (HbLvsConfParser *p, const char *text);
/* The arguments of the statement whose keyword (on LINE) was just consumed: the
 * following tokens on the same line, up to a brace. The array does not own them. */
GPtrArray *hb_lvs_conf_take_args (HbLvsConfParser *p, guint line);
/* Skips a balanced { ... } block whose opening brace is the next token. */
void hb_lvs_conf_skip_block (HbLvsConfParser *p);

/* ---- lvsconf-parse.c: diagnostics and the block walker ------------------------- */

void hb_lvs_conf_err (HbLvsConfParser *p, gint code, guint line, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);
void hb_lvs_conf_warn (HbLvsConfParser *p, guint line, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* Handles one statement: KW with ARGS on LINE, for the block object OBJ. */
typedef void (*HbLvsConfStmtFn) (HbLvsConfParser *p, gpointer obj, const char *kw, GPtrArray *args,
                                 guint line);

typedef struct
{
  const char *name;
  HbLvsConfStmtFn fn;
} HbLvsConfKeyword;

typedef struct
{
  const char *name;
  const char *why;
} HbLvsConfRefusal;

/* What one block level knows: handlers for statements, and keepalived keywords
 * that are warned about (harmless) or refused (they would change behaviour).
 * Each table ends with a NULL name; none of them is NULL. */
typedef struct
{
  const char *what; /* "virtual_server", ... for messages */
  const HbLvsConfKeyword *keywords;
  const char *const *ignored;
  const HbLvsConfRefusal *refused;
} HbLvsConfLevel;

/* Parses statements of LEVEL until the matching `}`, or to the end of the text
 * when TOP; a block opened on OPEN_LINE and never closed is an error. */
void hb_lvs_conf_block (HbLvsConfParser *p, const HbLvsConfLevel *level, gpointer obj,
                        gboolean top, guint open_line);
/* Consumes the `{` that must follow KW (on LINE); reports it when missing. */
gboolean hb_lvs_conf_expect_open (HbLvsConfParser *p, const char *kw, guint line);

/* ---- lvsconf-value.c: statement values (errors reported, target kept on error) -- */

const char *hb_lvs_conf_one_arg (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line);
void hb_lvs_conf_set_seconds (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line,
                              guint *ms_out, gboolean zero_ok);
void hb_lvs_conf_set_uint (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line,
                           guint max, guint *out);
void hb_lvs_conf_set_port (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line,
                           guint16 *out);
/* `KW IP PORT`: TRUE when ARGS are an IPv4 address and a port. */
gboolean hb_lvs_conf_addr_port (HbLvsConfParser *p, const char *kw, GPtrArray *args, guint line,
                                guint16 *port);

/* ---- the block levels ----------------------------------------------------------- */

/* The object of the virtual_server level. Check settings given there (or at
 * the real_server level) are defaults for the TCP_CHECK blocks below (keepalived
 * 2.x allows retry etc. at those levels), so `defaults` comes first: the
 * TCP_CHECK handlers, which take an HbLvsCheck*, fill it when given the whole
 * context. lvsconf-real.c's context is laid out the same way. */
typedef struct
{
  HbLvsCheck defaults;
  HbLvsService *svc;
} HbLvsConfServiceCtx;

/* lvsconf-tcpcheck.c: TCP_CHECK, and its settings that the levels above inherit. */
extern const HbLvsConfLevel hb_lvs_conf_tcp_check_level;
void hb_lvs_conf_check_timeout (HbLvsConfParser *p, gpointer check, const char *kw,
                                GPtrArray *args, guint line);
void hb_lvs_conf_check_retry (HbLvsConfParser *p, gpointer check, const char *kw, GPtrArray *args,
                              guint line);
void hb_lvs_conf_check_delay_before_retry (HbLvsConfParser *p, gpointer check, const char *kw,
                                           GPtrArray *args, guint line);
void hb_lvs_conf_check_delay_loop (HbLvsConfParser *p, gpointer check, const char *kw,
                                   GPtrArray *args, guint line);

/* lvsconf-real.c: `real_server IP PORT { ... }` inside a virtual_server. */
void hb_lvs_conf_real_server (HbLvsConfParser *p, gpointer service_ctx, const char *kw,
                              GPtrArray *args, guint line);

/* lvsconf-service.c: `virtual_server IP PORT { ... }` at the top level. */
void hb_lvs_conf_virtual_server (HbLvsConfParser *p, gpointer unused, const char *kw,
                                 GPtrArray *args, guint line);

/* lvsconf-top.c: the file itself. */
extern const HbLvsConfLevel hb_lvs_conf_top_level;

/* ---- lvsconf-validate.c: checks across statements ------------------------------ */

/* A real server listed twice in SVC. */
void hb_lvs_conf_validate_reals (HbLvsConfParser *p, const HbLvsService *svc);
/* SVC already defined earlier in the file. */
void hb_lvs_conf_validate_service (HbLvsConfParser *p, const HbLvsService *svc);

/* ---- lvsconf.c -------------------------------------------------------------------- */

void hb_lvs_conf_real_free (gpointer real);
void hb_lvs_conf_service_free (gpointer service);

G_END_DECLS
