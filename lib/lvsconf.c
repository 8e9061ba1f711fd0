/* systole: lvs.conf parser. See lvsconf.h for the syntax.
 *
 * Two passes: a tokenizer that keeps line numbers and treats `{` `}` as tokens even
 * when glued to a word, then a recursive descent over keyword tables, one table per
 * block level. A statement is a keyword plus the rest of its line (keepalived's
 * rule), stopping early at a brace. Errors are collected and parsing goes on, so a
 * user sees every problem of the file in one run (STYLE §3).
 */
#include "lvsconf.h"

#include <string.h>

G_DEFINE_QUARK (hb-lvs-conf-error-quark, hb_lvs_conf_error)

/* keepalived.conf(5) defaults, so a copied block behaves the same. */
#define DEFAULT_DELAY_LOOP_MS 60000
#define DEFAULT_CONNECT_TIMEOUT_MS 5000
#define DEFAULT_RETRY 1
#define DEFAULT_DELAY_BEFORE_RETRY_MS 1000
#define MAX_SECONDS 86400
#define MAX_WEIGHT 65535 /* ipvsadm(8): -w 0..65535 */

typedef struct
{
  char *text;
  guint line;
} Token;

typedef struct
{
  const char *file;
  GPtrArray *toks; /* Token* */
  guint pos;
  GPtrArray *warnings;
  GString *errors;
  gint first_code;
  guint n_errors;
  HbLvsConfig *config;
} Parser;

/* Defaults for checks can be set on the service or the real server and are
 * inherited downwards (keepalived 2.x allows retry etc. at those levels). */
typedef struct
{
  guint connect_timeout_ms;
  guint retry;
  guint delay_before_retry_ms;
} CheckDefaults;

static void
token_free (gpointer data)
{
  Token *t = data;
  g_free (t->text);
  g_free (t);
}

static void
real_free (gpointer data)
{
  HbLvsReal *r = data;
  g_free (r->addr);
  g_free (r);
}

static void
service_free (gpointer data)
{
  HbLvsService *s = data;
  g_free (s->addr);
  g_free (s->sched);
  g_ptr_array_unref (s->reals);
  g_free (s);
}

void
hb_lvs_config_free (HbLvsConfig *config)
{
  if (config == NULL)
    {
      return;
    }
  g_free (config->file);
  g_free (config->name);
  g_ptr_array_unref (config->services);
  g_free (config);
}

/* ---- diagnostics ------------------------------------------------------------ */

static void G_GNUC_PRINTF (4, 5)
perr (Parser *p, gint code, guint line, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (p->n_errors++ == 0)
    {
      p->first_code = code;
    }
  else
    {
      g_string_append_c (p->errors, '\n');
    }
  g_string_append_printf (p->errors, "%s:%u: %s", p->file, line, msg);
}

static void G_GNUC_PRINTF (3, 4)
pwarn (Parser *p, guint line, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  if (p->warnings == NULL)
    {
      return;
    }
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_ptr_array_add (p->warnings, g_strdup_printf ("%s:%u: warning: %s", p->file, line, msg));
}

/* ---- tokenizer ---------------------------------------------------------------- */

static void
push_token (GPtrArray *toks, const char *start, gsize len, guint line)
{
  Token *t = g_new0 (Token, 1);
  t->text = g_strndup (start, len);
  t->line = line;
  g_ptr_array_add (toks, t);
}

static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *toks = g_ptr_array_new_with_free_func (token_free);
  guint line = 1;
  const char *s = text;

  while (*s != '\0')
    {
      if (*s == '\n')
        {
          line++;
          s++;
        }
      else if (g_ascii_isspace (*s))
        {
          s++;
        }
      else if (*s == '#' || *s == '!')
        {
          while (*s != '\0' && *s != '\n')
            {
              s++;
            }
        }
      else if (*s == '{' || *s == '}')
        {
          push_token (toks, s++, 1, line);
        }
      else
        {
          const char *start = s;
          while (*s != '\0' && !g_ascii_isspace (*s) && strchr ("{}#!", *s) == NULL)
            {
              s++;
            }
          push_token (toks, start, s - start, line);
        }
    }
  return toks;
}

static Token *
peek (Parser *p)
{
  return p->pos < p->toks->len ? g_ptr_array_index (p->toks, p->pos) : NULL;
}

static gboolean
is_brace (const Token *t)
{
  return t != NULL && (strcmp (t->text, "{") == 0 || strcmp (t->text, "}") == 0);
}

/* Collects the arguments of the statement whose keyword was just consumed: the
 * following tokens on the same line, up to a brace. */
static GPtrArray *
take_args (Parser *p, guint line)
{
  GPtrArray *args = g_ptr_array_new ();
  Token *t;

  while ((t = peek (p)) != NULL && t->line == line && !is_brace (t))
    {
      g_ptr_array_add (args, t->text);
      p->pos++;
    }
  return args;
}

/* Skips a balanced { ... } block; the opening brace is the next token. */
static gboolean
skip_block (Parser *p)
{
  guint depth = 0;
  Token *t;

  while ((t = peek (p)) != NULL)
    {
      p->pos++;
      if (strcmp (t->text, "{") == 0)
        {
          depth++;
        }
      else if (strcmp (t->text, "}") == 0 && --depth == 0)
        {
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- values ------------------------------------------------------------------- */

static gboolean
parse_uint (const char *s, guint64 max, guint64 *out)
{
  char *end = NULL;

  if (!g_ascii_isdigit (s[0]))
    {
      return FALSE;
    }
  *out = g_ascii_strtoull (s, &end, 10);
  return *end == '\0' && *out <= max;
}

/* Seconds with up to three decimals ("3", "0.5"), as keepalived accepts, to ms. */
static gboolean
parse_seconds (const char *s, guint *ms)
{
  g_auto (GStrv) parts = g_strsplit (s, ".", -1);
  guint64 whole, frac = 0;
  gsize flen;

  if (g_strv_length (parts) > 2 || !parse_uint (parts[0], MAX_SECONDS, &whole))
    {
      return FALSE;
    }
  if (parts[1] != NULL)
    {
      flen = strlen (parts[1]);
      if (flen == 0 || flen > 3 || !parse_uint (parts[1], 999, &frac))
        {
          return FALSE;
        }
      for (; flen < 3; flen++)
        {
          frac *= 10;
        }
    }
  *ms = (guint) (whole * 1000 + frac);
  return TRUE;
}

static gboolean
parse_ipv4 (const char *s)
{
  g_auto (GStrv) parts = g_strsplit (s, ".", -1);
  guint64 v;

  if (g_strv_length (parts) != 4)
    {
      return FALSE;
    }
  for (guint i = 0; i < 4; i++)
    {
      if (strlen (parts[i]) > 3 || !parse_uint (parts[i], 255, &v))
        {
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_port (const char *s, guint16 *port)
{
  guint64 v;

  if (!parse_uint (s, 65535, &v) || v == 0)
    {
      return FALSE;
    }
  *port = (guint16) v;
  return TRUE;
}

/* One argument expected: reports the error itself and returns NULL otherwise. */
static const char *
one_arg (Parser *p, const char *kw, GPtrArray *args, guint line)
{
  if (args->len == 0)
    {
      perr (p, HB_LVS_CONF_ERROR_MISSING_VALUE, line, "'%s' needs a value", kw);
      return NULL;
    }
  if (args->len > 1)
    {
      perr (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' takes one value, got %u", kw, args->len);
      return NULL;
    }
  return g_ptr_array_index (args, 0);
}

static void
set_seconds (Parser *p, const char *kw, GPtrArray *args, guint line, guint *out, gboolean zero_ok)
{
  const char *v = one_arg (p, kw, args, line);
  guint ms;

  if (v == NULL)
    {
      return;
    }
  if (!parse_seconds (v, &ms) || (!zero_ok && ms == 0))
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
            "'%s %s': expected %s number of seconds (up to %u, at most 3 decimals)", kw, v,
            zero_ok ? "a" : "a positive", MAX_SECONDS);
      return;
    }
  *out = ms;
}

static void
set_uint (Parser *p, const char *kw, GPtrArray *args, guint line, guint max, guint *out)
{
  const char *v = one_arg (p, kw, args, line);
  guint64 n;

  if (v == NULL)
    {
      return;
    }
  if (!parse_uint (v, max, &n))
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected a whole number from 0 to %u",
            kw, v, max);
      return;
    }
  *out = (guint) n;
}

/* ---- keyword tables ------------------------------------------------------------ */

/* What one block level knows: handlers for statements, and keepalived keywords
 * that are warned about (harmless) or refused (they would change behaviour). */
typedef void (*StmtFn) (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line);

typedef struct
{
  const char *name;
  StmtFn fn;
  gboolean block; /* a { ... } follows */
} Keyword;

typedef struct
{
  const char *name;
  const char *why;
} Refusal;

typedef struct
{
  const char *what; /* "virtual_server", ... for messages */
  const Keyword *keywords;
  const char *const *ignored;
  const Refusal *refused;
} Level;

static void parse_block (Parser *p, const Level *level, gpointer obj, gboolean top, guint open_line);

static const Keyword *
find_keyword (const Keyword *table, const char *name)
{
  for (; table->name != NULL; table++)
    {
      if (strcmp (table->name, name) == 0)
        {
          return table;
        }
    }
  return NULL;
}

static const Refusal *
find_refusal (const Refusal *table, const char *name)
{
  for (; table != NULL && table->name != NULL; table++)
    {
      if (strcmp (table->name, name) == 0)
        {
          return table;
        }
    }
  return NULL;
}

static gboolean
in_list (const char *const *list, const char *name)
{
  for (; list != NULL && *list != NULL; list++)
    {
      if (strcmp (*list, name) == 0)
        {
          return TRUE;
        }
    }
  return FALSE;
}

/* Expects `{` as the next token; reports where it is missing. */
static gboolean
expect_open (Parser *p, const char *kw, guint line)
{
  Token *t = peek (p);

  if (t == NULL || strcmp (t->text, "{") != 0)
    {
      perr (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' must be followed by a '{' block", kw);
      return FALSE;
    }
  p->pos++;
  return TRUE;
}

/* An ignored or refused keyword: consume its arguments and any block. */
static void
skip_statement (Parser *p, guint line)
{
  Token *t;

  g_ptr_array_unref (take_args (p, line));
  t = peek (p);
  if (t != NULL && strcmp (t->text, "{") == 0)
    {
      skip_block (p);
    }
}

static void
statement (Parser *p, const Level *level, gpointer obj, Token *kwtok)
{
  const Keyword *kw = find_keyword (level->keywords, kwtok->text);
  const Refusal *no;
  g_autoptr (GPtrArray) args = NULL;

  if (kw == NULL)
    {
      if ((no = find_refusal (level->refused, kwtok->text)) != NULL)
        {
          perr (p, HB_LVS_CONF_ERROR_UNSUPPORTED, kwtok->line, "'%s' in %s is not supported: %s",
                kwtok->text, level->what, no->why);
        }
      else if (in_list (level->ignored, kwtok->text))
        {
          pwarn (p, kwtok->line, "keepalived keyword '%s' in %s ignored (no effect here)",
                 kwtok->text, level->what);
        }
      else
        {
          perr (p, HB_LVS_CONF_ERROR_UNKNOWN, kwtok->line, "unknown keyword '%s' in %s",
                kwtok->text, level->what);
        }
      skip_statement (p, kwtok->line);
      return;
    }
  args = take_args (p, kwtok->line);
  kw->fn (p, obj, kwtok->text, args, kwtok->line);
}

/* Parses statements until the matching `}` (or the end of the text at top level). */
static void
parse_block (Parser *p, const Level *level, gpointer obj, gboolean top, guint open_line)
{
  Token *t;

  while ((t = peek (p)) != NULL)
    {
      p->pos++;
      if (strcmp (t->text, "}") == 0)
        {
          if (!top)
            {
              return;
            }
          perr (p, HB_LVS_CONF_ERROR_SYNTAX, t->line, "'}' without a matching '{'");
        }
      else if (strcmp (t->text, "{") == 0)
        {
          perr (p, HB_LVS_CONF_ERROR_SYNTAX, t->line, "'{' without a keyword before it");
          p->pos--;
          skip_block (p);
        }
      else
        {
          statement (p, level, obj, t);
        }
    }
  if (!top)
    {
      perr (p, HB_LVS_CONF_ERROR_SYNTAX, open_line,
            "%s block opened here is not closed (missing '}')", level->what);
    }
}

/* ---- TCP_CHECK ---------------------------------------------------------------- */

static void
chk_connect_port (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  HbLvsCheck *c = obj;
  const char *v = one_arg (p, kw, args, line);

  if (v != NULL && !parse_port (v, &c->connect_port))
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected a port from 1 to 65535", kw, v);
    }
}

static void
chk_connect_timeout (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_seconds (p, kw, args, line, &((HbLvsCheck *) obj)->connect_timeout_ms, FALSE);
}

static void
chk_retry (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_uint (p, kw, args, line, 1000, &((HbLvsCheck *) obj)->retry);
}

static void
chk_delay_before_retry (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_seconds (p, kw, args, line, &((HbLvsCheck *) obj)->delay_before_retry_ms, TRUE);
}

static void
chk_delay_loop (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_seconds (p, kw, args, line, &((HbLvsCheck *) obj)->delay_loop_ms, FALSE);
}

static const Keyword check_keywords[] = {
  { "connect_port", chk_connect_port, FALSE },
  { "connect_timeout", chk_connect_timeout, FALSE },
  { "retry", chk_retry, FALSE },
  { "nb_get_retry", chk_retry, FALSE }, /* keepalived 1.x spelling */
  { "delay_before_retry", chk_delay_before_retry, FALSE },
  { "delay_loop", chk_delay_loop, FALSE },
  { NULL, NULL, FALSE },
};

static const char *const check_ignored[] = { "warmup", "log_all_failures", NULL };

static const Refusal check_refused[] = {
  { "connect_ip", "the check always connects to the real server's own address" },
  { "bindto", "checks use the director's routing table to pick a source address" },
  { "bind_port", "checks use an ephemeral source port" },
  { "bind_if", "checks use the director's routing table" },
  { "fwmark", "checks are not marked" },
  { "alpha", "real servers start as up, as without 'alpha'" },
  { NULL, NULL },
};

static const Level check_level = { "TCP_CHECK", check_keywords, check_ignored, check_refused };

/* ---- real_server -------------------------------------------------------------- */

typedef struct
{
  HbLvsReal *real;
  HbLvsCheck defaults; /* inherited settings before the TCP_CHECK block is read */
} RealCtx;

static void
rs_weight (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_uint (p, kw, args, line, MAX_WEIGHT, &((RealCtx *) obj)->real->weight);
}

static void
rs_inhibit (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  if (args->len != 0)
    {
      perr (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' takes no value", kw);
      return;
    }
  ((RealCtx *) obj)->real->inhibit_on_failure = TRUE;
}

static void
rs_default_timeout (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  chk_connect_timeout (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_default_retry (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  chk_retry (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_default_delay (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  chk_delay_before_retry (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_default_loop (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  chk_delay_loop (p, &((RealCtx *) obj)->defaults, kw, args, line);
}

static void
rs_tcp_check (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  RealCtx *ctx = obj;
  HbLvsCheck *c = &ctx->real->check;

  if (args->len != 0)
    {
      perr (p, HB_LVS_CONF_ERROR_SYNTAX, line, "'%s' takes no value before its '{'", kw);
    }
  if (!expect_open (p, kw, line))
    {
      return;
    }
  if (c->enabled)
    {
      perr (p, HB_LVS_CONF_ERROR_UNSUPPORTED, line,
            "a second TCP_CHECK for one real server is not supported");
    }
  *c = ctx->defaults;
  c->enabled = TRUE;
  parse_block (p, &check_level, c, FALSE, line);
}

static const Keyword real_keywords[] = {
  { "weight", rs_weight, FALSE },
  { "inhibit_on_failure", rs_inhibit, FALSE },
  { "TCP_CHECK", rs_tcp_check, TRUE },
  { "connect_timeout", rs_default_timeout, FALSE },
  { "retry", rs_default_retry, FALSE },
  { "nb_get_retry", rs_default_retry, FALSE },
  { "delay_before_retry", rs_default_delay, FALSE },
  { "delay_loop", rs_default_loop, FALSE },
  { NULL, NULL, FALSE },
};

static const char *const real_ignored[] = { "smtp_alert", "virtualhost", "warmup", "log_all_failures", NULL };

static const Refusal real_refused[] = {
  { "HTTP_GET", "only TCP_CHECK is implemented" },
  { "SSL_GET", "only TCP_CHECK is implemented" },
  { "MISC_CHECK", "only TCP_CHECK is implemented" },
  { "SMTP_CHECK", "only TCP_CHECK is implemented" },
  { "DNS_CHECK", "only TCP_CHECK is implemented" },
  { "UDP_CHECK", "only TCP_CHECK is implemented" },
  { "PING_CHECK", "only TCP_CHECK is implemented" },
  { "BFD_CHECK", "only TCP_CHECK is implemented" },
  { "FILE_CHECK", "only TCP_CHECK is implemented" },
  { "notify_up", "notify scripts are not run" },
  { "notify_down", "notify scripts are not run" },
  { "uthreshold", "connection thresholds are not programmed" },
  { "lthreshold", "connection thresholds are not programmed" },
  { "lvs_method", "the forwarding method is set per virtual_server (lb_kind)" },
  { "lb_kind", "the forwarding method is set per virtual_server" },
  { "alpha", "real servers start as up, as without 'alpha'" },
  { NULL, NULL },
};

static const Level real_level = { "real_server", real_keywords, real_ignored, real_refused };

/* ---- virtual_server ------------------------------------------------------------ */

typedef struct
{
  HbLvsService *svc;
  CheckDefaults defaults;
} ServiceCtx;

static void
vs_delay_loop (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  ServiceCtx *ctx = obj;
  set_seconds (p, kw, args, line, &ctx->svc->delay_loop_ms, FALSE);
}

static void
vs_lb_algo (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  ServiceCtx *ctx = obj;
  const char *v = one_arg (p, kw, args, line);

  if (v == NULL)
    {
      return;
    }
  if (!hb_lvs_sched_is_known (v))
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
            "'%s %s': unknown scheduler (one of rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh)", kw, v);
      return;
    }
  g_free (ctx->svc->sched);
  ctx->svc->sched = g_strdup (v);
}

static void
vs_lb_kind (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  static const struct { const char *name; HbLvsKind kind; } kinds[] = {
    { "NAT", HB_LVS_KIND_NAT }, { "DR", HB_LVS_KIND_DR }, { "TUN", HB_LVS_KIND_TUN },
  };
  const char *v = one_arg (p, kw, args, line);

  if (v == NULL)
    {
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_ascii_strcasecmp (v, kinds[i].name) == 0)
        {
          ((ServiceCtx *) obj)->svc->kind = kinds[i].kind;
          return;
        }
    }
  perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected NAT, DR or TUN", kw, v);
}

static void
vs_persistence (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_uint (p, kw, args, line, 31 * 24 * 3600, &((ServiceCtx *) obj)->svc->persistence_s);
}

static void
vs_protocol (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  const char *v = one_arg (p, kw, args, line);

  if (v == NULL)
    {
      return;
    }
  if (g_ascii_strcasecmp (v, "TCP") == 0)
    {
      ((ServiceCtx *) obj)->svc->proto = HB_LVS_PROTO_TCP;
    }
  else if (g_ascii_strcasecmp (v, "UDP") == 0)
    {
      ((ServiceCtx *) obj)->svc->proto = HB_LVS_PROTO_UDP;
    }
  else
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected TCP or UDP", kw, v);
    }
}

static void
vs_default_timeout (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_seconds (p, kw, args, line, &((ServiceCtx *) obj)->defaults.connect_timeout_ms, FALSE);
}

static void
vs_default_retry (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_uint (p, kw, args, line, 1000, &((ServiceCtx *) obj)->defaults.retry);
}

static void
vs_default_delay (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  set_seconds (p, kw, args, line, &((ServiceCtx *) obj)->defaults.delay_before_retry_ms, TRUE);
}

static gboolean
addr_port_args (Parser *p, const char *kw, GPtrArray *args, guint line, guint16 *port)
{
  const char *addr, *ps;

  if (args->len != 2)
    {
      perr (p, args->len < 2 ? HB_LVS_CONF_ERROR_MISSING_VALUE : HB_LVS_CONF_ERROR_SYNTAX, line,
            "'%s' needs an IPv4 address and a port (got %u values)", kw, args->len);
      return FALSE;
    }
  addr = g_ptr_array_index (args, 0);
  ps = g_ptr_array_index (args, 1);
  if (strcmp (addr, "fwmark") == 0 || strcmp (addr, "group") == 0)
    {
      perr (p, HB_LVS_CONF_ERROR_UNSUPPORTED, line,
            "'%s %s' is not supported: give the virtual IPv4 address and port", kw, addr);
      return FALSE;
    }
  if (!parse_ipv4 (addr))
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': not an IPv4 address", kw, addr);
      return FALSE;
    }
  if (!parse_port (ps, port))
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s %s': port must be 1 to 65535", kw, addr, ps);
      return FALSE;
    }
  return TRUE;
}

static void
vs_real_server (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  ServiceCtx *ctx = obj;
  RealCtx rctx = { 0 };
  guint16 port = 0;
  gboolean ok = addr_port_args (p, kw, args, line, &port);
  HbLvsReal *r;

  if (!expect_open (p, kw, line))
    {
      return;
    }
  r = g_new0 (HbLvsReal, 1);
  r->addr = ok ? g_strdup (g_ptr_array_index (args, 0)) : NULL;
  r->port = port;
  r->weight = 1;
  r->line = line;
  rctx.real = r;
  rctx.defaults.connect_timeout_ms = ctx->defaults.connect_timeout_ms;
  rctx.defaults.retry = ctx->defaults.retry;
  rctx.defaults.delay_before_retry_ms = ctx->defaults.delay_before_retry_ms;
  rctx.defaults.delay_loop_ms = 0; /* 0 = the service's delay_loop, resolved at the end */
  parse_block (p, &real_level, &rctx, FALSE, line);
  if (!ok)
    {
      real_free (r);
      return;
    }
  g_ptr_array_add (ctx->svc->reals, r);
}

static const Keyword service_keywords[] = {
  { "delay_loop", vs_delay_loop, FALSE },
  { "lb_algo", vs_lb_algo, FALSE },
  { "lvs_sched", vs_lb_algo, FALSE },
  { "lb_kind", vs_lb_kind, FALSE },
  { "lvs_method", vs_lb_kind, FALSE },
  { "persistence_timeout", vs_persistence, FALSE },
  { "protocol", vs_protocol, FALSE },
  { "real_server", vs_real_server, TRUE },
  { "connect_timeout", vs_default_timeout, FALSE },
  { "retry", vs_default_retry, FALSE },
  { "nb_get_retry", vs_default_retry, FALSE },
  { "delay_before_retry", vs_default_delay, FALSE },
  { NULL, NULL, FALSE },
};

static const char *const service_ignored[] = {
  "ha_suspend", "virtualhost", "smtp_alert", "hysteresis", "warmup", "log_all_failures", NULL
};

static const Refusal service_refused[] = {
  { "sorry_server", "no fallback server is programmed when all real servers fail" },
  { "sorry_server_inhibit", "no fallback server is programmed" },
  { "quorum", "quorum-driven actions are not implemented" },
  { "quorum_up", "quorum-driven actions are not implemented" },
  { "quorum_down", "quorum-driven actions are not implemented" },
  { "alpha", "real servers start as up, as without 'alpha'" },
  { "omega", "quorum-driven actions are not implemented" },
  { "persistence_granularity", "persistence is per client address (/32)" },
  { "ops", "one-packet scheduling is not programmed" },
  { "one_packet_scheduling", "one-packet scheduling is not programmed" },
  { "lb_algo_flags", "scheduler flags are not programmed" },
  { "sh-port", "scheduler flags are not programmed" },
  { "sh-fallback", "scheduler flags are not programmed" },
  { "mh-port", "scheduler flags are not programmed" },
  { "mh-fallback", "scheduler flags are not programmed" },
  { "fwmark", "firewall-mark services are not supported" },
  { NULL, NULL },
};

static const Level service_level = { "virtual_server", service_keywords, service_ignored, service_refused };

/* The delay_loop of a check: its own, else the real server's, else the service's. */
static void
resolve_checks (HbLvsService *svc)
{
  for (guint i = 0; i < svc->reals->len; i++)
    {
      HbLvsReal *r = g_ptr_array_index (svc->reals, i);
      if (r->check.enabled && r->check.delay_loop_ms == 0)
        {
          r->check.delay_loop_ms = svc->delay_loop_ms;
        }
    }
}

static void
check_duplicate_reals (Parser *p, HbLvsService *svc)
{
  for (guint i = 0; i < svc->reals->len; i++)
    {
      HbLvsReal *a = g_ptr_array_index (svc->reals, i);
      for (guint j = 0; j < i; j++)
        {
          HbLvsReal *b = g_ptr_array_index (svc->reals, j);
          if (a->port == b->port && strcmp (a->addr, b->addr) == 0)
            {
              perr (p, HB_LVS_CONF_ERROR_DUPLICATE, a->line,
                    "real_server %s %u listed twice in this virtual_server (first on line %u)",
                    a->addr, a->port, b->line);
            }
        }
    }
}

static void
check_duplicate_service (Parser *p, HbLvsService *svc)
{
  for (guint i = 0; i < p->config->services->len; i++)
    {
      HbLvsService *o = g_ptr_array_index (p->config->services, i);
      if (o->port == svc->port && o->proto == svc->proto && strcmp (o->addr, svc->addr) == 0)
        {
          perr (p, HB_LVS_CONF_ERROR_DUPLICATE, svc->line,
                "virtual_server %s %u (%s) defined twice (first on line %u)", svc->addr, svc->port,
                hb_lvs_proto_to_string (svc->proto), o->line);
          return;
        }
    }
}

static void
top_virtual_server (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  ServiceCtx ctx = { 0 };
  guint16 port = 0;
  gboolean ok = addr_port_args (p, kw, args, line, &port);
  HbLvsService *svc;

  (void) obj;
  if (!expect_open (p, kw, line))
    {
      return;
    }
  svc = g_new0 (HbLvsService, 1);
  svc->addr = ok ? g_strdup (g_ptr_array_index (args, 0)) : NULL;
  svc->port = port;
  svc->sched = g_strdup ("wlc");
  svc->delay_loop_ms = DEFAULT_DELAY_LOOP_MS;
  svc->reals = g_ptr_array_new_with_free_func (real_free);
  svc->line = line;
  ctx.svc = svc;
  ctx.defaults.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  ctx.defaults.retry = DEFAULT_RETRY;
  ctx.defaults.delay_before_retry_ms = DEFAULT_DELAY_BEFORE_RETRY_MS;
  parse_block (p, &service_level, &ctx, FALSE, line);
  if (!ok)
    {
      service_free (svc);
      return;
    }
  resolve_checks (svc);
  check_duplicate_reals (p, svc);
  check_duplicate_service (p, svc);
  g_ptr_array_add (p->config->services, svc);
}

static void
top_backend (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  static const HbLvsBackend all[] = { HB_LVS_BACKEND_AUTO, HB_LVS_BACKEND_IPVS, HB_LVS_BACKEND_NFTABLES };
  const char *v = one_arg (p, kw, args, line);

  (void) obj;
  if (v == NULL)
    {
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (strcmp (v, hb_lvs_backend_to_string (all[i])) == 0)
        {
          p->config->backend = all[i];
          p->config->backend_line = line;
          return;
        }
    }
  perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line, "'%s %s': expected auto, ipvs or nftables", kw, v);
}

static gboolean
name_is_valid (const char *s)
{
  if (*s == '\0' || strlen (s) > 32)
    {
      return FALSE;
    }
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isalnum (*s) && *s != '_')
        {
          return FALSE;
        }
    }
  return TRUE;
}

static void
top_name (Parser *p, gpointer obj, const char *kw, GPtrArray *args, guint line)
{
  const char *v = one_arg (p, kw, args, line);

  (void) obj;
  if (v == NULL)
    {
      return;
    }
  if (!name_is_valid (v))
    {
      perr (p, HB_LVS_CONF_ERROR_BAD_VALUE, line,
            "'%s %s': use 1 to 32 letters, digits or '_' (it names an nft table)", kw, v);
      return;
    }
  g_free (p->config->name);
  p->config->name = g_ascii_strdown (v, -1);
}

static const Keyword top_keywords[] = {
  { "virtual_server", top_virtual_server, TRUE },
  { "backend", top_backend, FALSE },
  { "name", top_name, FALSE },
  { NULL, NULL, FALSE },
};

/* A whole keepalived.conf may be pasted: its non-LVS parts are done by heartbeat
 * (VIP ownership) or not needed, so they are skipped with a warning. */
static const char *const top_ignored[] = {
  "global_defs", "vrrp_instance", "vrrp_sync_group", "vrrp_script", "vrrp_track_process",
  "static_ipaddress", "static_routes", "static_rules", "linkbeat_use_polling", NULL
};

static const Refusal top_refused[] = {
  { "virtual_server_group", "list each virtual_server on its own" },
  { "include", "put the virtual_server blocks in this file" },
  { NULL, NULL },
};

static const Level top_level = { "lvs.conf", top_keywords, top_ignored, top_refused };

/* The default name: the file's base name without extension, folded to [a-z0-9_]. */
static char *
name_from_file (const char *file)
{
  g_autofree char *base = g_path_get_basename (file);
  char *dot = strchr (base, '.');
  GString *out = g_string_new (NULL);

  if (dot != NULL && dot != base)
    {
      *dot = '\0';
    }
  for (const char *s = base; *s != '\0' && out->len < 32; s++)
    {
      g_string_append_c (out, g_ascii_isalnum (*s) ? g_ascii_tolower (*s) : '_');
    }
  if (out->len == 0)
    {
      g_string_append (out, "lvs");
    }
  return g_string_free (out, FALSE);
}

HbLvsConfig *
hb_lvs_config_parse (const char *text, const char *file, GPtrArray *warnings, GError **error)
{
  g_autoptr (HbLvsConfig) config = g_new0 (HbLvsConfig, 1);
  g_autoptr (GPtrArray) toks = tokenize (text);
  g_autoptr (GString) errors = g_string_new (NULL);
  Parser p = { 0 };

  g_return_val_if_fail (text != NULL && file != NULL, NULL);
  config->file = g_strdup (file);
  config->services = g_ptr_array_new_with_free_func (service_free);
  p.file = file;
  p.toks = toks;
  p.warnings = warnings;
  p.errors = errors;
  p.config = config;
  parse_block (&p, &top_level, NULL, TRUE, 0);
  if (p.n_errors == 0 && config->services->len == 0)
    {
      perr (&p, HB_LVS_CONF_ERROR_EMPTY, 0, "no virtual_server defined");
    }
  if (p.n_errors > 0)
    {
      g_set_error_literal (error, HB_LVS_CONF_ERROR, p.first_code, errors->str);
      return NULL;
    }
  if (config->name == NULL)
    {
      config->name = name_from_file (file);
    }
  return g_steal_pointer (&config);
}

/* ---- backend checks --------------------------------------------------------------- */

static gboolean
check_nft_service (const HbLvsConfig *config, const HbLvsService *svc, GError **error)
{
  static const char *const nft_scheds[] = { "rr", "wrr", "sh", NULL };

  if (svc->kind != HB_LVS_KIND_NAT)
    {
      g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BACKEND,
                   "%s:%u: virtual_server %s %u: lb_kind %s needs the ipvs backend; "
                   "the nftables backend forwards with NAT only",
                   config->file, svc->line, svc->addr, svc->port, hb_lvs_kind_to_string (svc->kind));
      return FALSE;
    }
  if (!in_list (nft_scheds, svc->sched))
    {
      g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BACKEND,
                   "%s:%u: virtual_server %s %u: lb_algo %s is not available with the nftables "
                   "backend (use rr, wrr or sh, or the ipvs backend)",
                   config->file, svc->line, svc->addr, svc->port, svc->sched);
      return FALSE;
    }
  if (svc->persistence_s != 0)
    {
      g_set_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BACKEND,
                   "%s:%u: virtual_server %s %u: persistence_timeout is not available with the "
                   "nftables backend (lb_algo sh keeps a client on one real server)",
                   config->file, svc->line, svc->addr, svc->port);
      return FALSE;
    }
  return TRUE;
}

gboolean
hb_lvs_config_check_backend (const HbLvsConfig *config, HbLvsBackend backend, GError **error)
{
  g_return_val_if_fail (backend != HB_LVS_BACKEND_AUTO, FALSE);
  if (backend == HB_LVS_BACKEND_IPVS)
    {
      return TRUE;
    }
  for (guint i = 0; i < config->services->len; i++)
    {
      if (!check_nft_service (config, g_ptr_array_index (config->services, i), error))
        {
          return FALSE;
        }
    }
  return TRUE;
}

char *
hb_lvs_config_state_key (const char *abs_path)
{
  GString *out = g_string_new (NULL);

  for (const char *s = abs_path; *s != '\0'; s++)
    {
      if (*s == '/' && out->len == 0)
        {
          continue;
        }
      g_string_append_c (out, g_ascii_isalnum (*s) ? g_ascii_tolower (*s) : '_');
    }
  if (out->len == 0)
    {
      g_string_append (out, "lvs");
    }
  return g_string_free (out, FALSE);
}

/* ---- names and dump ------------------------------------------------------------------ */

gboolean
hb_lvs_sched_is_known (const char *sched)
{
  /* ipvsadm(8) and the kernel's ip_vs_* scheduler modules. */
  static const char *const scheds[] = {
    "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", NULL
  };
  return in_list (scheds, sched);
}

const char *
hb_lvs_backend_to_string (HbLvsBackend backend)
{
  static const char *const names[] = { "auto", "ipvs", "nftables" };
  return names[backend];
}

const char *
hb_lvs_kind_to_string (HbLvsKind kind)
{
  static const char *const names[] = { "NAT", "DR", "TUN" };
  return names[kind];
}

const char *
hb_lvs_proto_to_string (HbLvsProto proto)
{
  return proto == HB_LVS_PROTO_UDP ? "udp" : "tcp";
}

static void
dump_seconds (GString *out, const char *indent, const char *kw, guint ms)
{
  if (ms % 1000 == 0)
    {
      g_string_append_printf (out, "%s%s %u\n", indent, kw, ms / 1000);
    }
  else
    {
      g_string_append_printf (out, "%s%s %u.%03u\n", indent, kw, ms / 1000, ms % 1000);
    }
}

static void
dump_real (GString *out, const HbLvsReal *r)
{
  g_string_append_printf (out, "    real_server %s %u {\n        weight %u\n", r->addr, r->port, r->weight);
  if (r->inhibit_on_failure)
    {
      g_string_append (out, "        inhibit_on_failure\n");
    }
  if (r->check.enabled)
    {
      g_string_append_printf (out, "        TCP_CHECK {\n            connect_port %u\n",
                              r->check.connect_port != 0 ? r->check.connect_port : r->port);
      dump_seconds (out, "            ", "connect_timeout", r->check.connect_timeout_ms);
      g_string_append_printf (out, "            retry %u\n", r->check.retry);
      dump_seconds (out, "            ", "delay_before_retry", r->check.delay_before_retry_ms);
      dump_seconds (out, "            ", "delay_loop", r->check.delay_loop_ms);
      g_string_append (out, "        }\n");
    }
  g_string_append (out, "    }\n");
}

char *
hb_lvs_config_dump (const HbLvsConfig *config)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "name %s\nbackend %s\n", config->name,
                          hb_lvs_backend_to_string (config->backend));
  for (guint i = 0; i < config->services->len; i++)
    {
      const HbLvsService *s = g_ptr_array_index (config->services, i);
      g_string_append_printf (out, "virtual_server %s %u {\n", s->addr, s->port);
      dump_seconds (out, "    ", "delay_loop", s->delay_loop_ms);
      g_string_append_printf (out, "    lb_algo %s\n    lb_kind %s\n    persistence_timeout %u\n"
                              "    protocol %s\n", s->sched, hb_lvs_kind_to_string (s->kind),
                              s->persistence_s, s->proto == HB_LVS_PROTO_UDP ? "UDP" : "TCP");
      for (guint j = 0; j < s->reals->len; j++)
        {
          dump_real (out, g_ptr_array_index (s->reals, j));
        }
      g_string_append (out, "}\n");
    }
  return g_string_free (out, FALSE);
}
