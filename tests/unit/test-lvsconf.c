/* Unit tests for lib/lvsconf: good files against golden dumps, bad input with the
 * exact error code, line and message, warnings for ignored keepalived keywords,
 * and the lexer on every byte value. */
#include "lvsconf-private.h"

#include <string.h>

static char *
read_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "lvs", name, NULL);
  char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

typedef struct
{
  const char *conf;
  const char *dump;
  guint n_warnings;
} GoodFile;

static void
test_good_file (gconstpointer data)
{
  const GoodFile *g = data;
  g_autofree char *text = read_data (g->conf);
  g_autofree char *want = read_data (g->dump);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) config = hb_lvs_config_parse (text, g->conf, warnings, &error);
  g_autofree char *dump = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (config);
  dump = hb_lvs_config_dump (config);
  g_assert_cmpstr (dump, ==, want);
  g_assert_cmpuint (warnings->len, ==, g->n_warnings);
}

static void
test_keepalived_warnings (void)
{
  g_autofree char *text = read_data ("keepalived.conf");
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (HbLvsConfig) config = hb_lvs_config_parse (text, "k.conf", warnings, NULL);

  g_assert_nonnull (config);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "k.conf:4: warning: keepalived keyword 'global_defs' in lvs.conf ignored (no effect here)");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "k.conf:14: warning: keepalived keyword 'vrrp_instance' in lvs.conf ignored (no effect here)");
}

/* Small good inputs: text → one fact about the result. */
static void
test_inline_good (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse (
      "name web_1\nbackend nftables\n"
      "virtual_server 192.0.2.1 80 { lb_algo rr\n real_server 198.51.100.1 80 { TCP_CHECK { } } }\n"
      "virtual_server 192.0.2.1 80{protocol UDP\nreal_server 198.51.100.1 80{weight 0}}\n",
      "/etc/ha.d/x.conf", NULL, &error);
  const HbLvsService *s;
  const HbLvsReal *r;

  g_assert_no_error (error);
  g_assert_cmpstr (c->name, ==, "web_1");
  g_assert_cmpint (c->backend, ==, HB_LVS_BACKEND_NFTABLES);
  g_assert_cmpuint (c->services->len, ==, 2);
  s = g_ptr_array_index (c->services, 0);
  r = g_ptr_array_index (s->reals, 0);
  g_assert_true (r->check.enabled);
  g_assert_cmpuint (r->check.connect_timeout_ms, ==, 5000);
  g_assert_cmpuint (r->check.retry, ==, 1);
  g_assert_cmpuint (r->check.delay_before_retry_ms, ==, 1000);
  g_assert_cmpuint (r->check.delay_loop_ms, ==, 60000);
  s = g_ptr_array_index (c->services, 1);
  g_assert_cmpint (s->proto, ==, HB_LVS_PROTO_UDP);
  g_assert_cmpstr (s->sched, ==, "wlc");
  g_assert_cmpuint (((HbLvsReal *) g_ptr_array_index (s->reals, 0))->weight, ==, 0);
  g_assert_true (hb_lvs_config_check_backend (c, HB_LVS_BACKEND_IPVS, NULL));
}

static void
test_inherited_check_settings (void)
{
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse (
      "virtual_server 192.0.2.1 80 {\n delay_loop 2\n retry 4\n connect_timeout 0.25\n"
      " real_server 198.51.100.1 80 {\n  delay_before_retry 0\n  TCP_CHECK {\n   connect_port 81\n  }\n }\n}\n",
      "lvs.conf", NULL, NULL);
  const HbLvsReal *r = g_ptr_array_index (((HbLvsService *) g_ptr_array_index (c->services, 0))->reals, 0);

  g_assert_cmpstr (c->name, ==, "lvs");
  g_assert_cmpuint (r->check.retry, ==, 4);
  g_assert_cmpuint (r->check.connect_timeout_ms, ==, 250);
  g_assert_cmpuint (r->check.delay_before_retry_ms, ==, 0);
  g_assert_cmpuint (r->check.delay_loop_ms, ==, 2000);
  g_assert_cmpuint (r->check.connect_port, ==, 81);
}

static void
test_name_from_file (void)
{
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse ("virtual_server 192.0.2.1 80 {\n}\n",
                                                   "/etc/ha.d/My-LVS.v2.conf", NULL, NULL);
  g_assert_cmpstr (c->name, ==, "my_lvs");
}

/* The sample shipped in ha.d/ parses without warnings and suits both backends. */
static void
test_sample (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "ha.d", "lvs.conf.sample", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  c = hb_lvs_config_parse (text, "/etc/ha.d/lvs.conf", warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (c->name, ==, "lvs");
  g_assert_true (hb_lvs_config_check_backend (c, HB_LVS_BACKEND_NFTABLES, NULL));
  g_assert_true (hb_lvs_config_check_backend (c, HB_LVS_BACKEND_IPVS, NULL));
}

static void
test_state_key (void)
{
  g_autofree char *a = hb_lvs_config_state_key ("/etc/ha.d/lvs.conf");
  g_autofree char *b = hb_lvs_config_state_key ("/etc/ha.d/lvs-b.conf");

  g_assert_cmpstr (a, ==, "etc_ha_d_lvs_conf");
  g_assert_cmpstr (b, ==, "etc_ha_d_lvs_b_conf");
}

typedef struct
{
  const char *name;
  const char *text;
  gint code;
  const char *message; /* the whole first message, "t.conf:LINE: ..." */
} BadInput;

#define VS "virtual_server 192.0.2.1 80 {\n"
#define RS " real_server 198.51.100.1 80 {\n"

static const BadInput bad_inputs[] = {
  { "empty", "# nothing\n! here\n", HB_LVS_CONF_ERROR_EMPTY, "t.conf:0: no virtual_server defined" },
  { "unknown-top", "virtual_servr 192.0.2.1 80 {\n}\n", HB_LVS_CONF_ERROR_UNKNOWN,
    "t.conf:1: unknown keyword 'virtual_servr' in lvs.conf" },
  { "unknown-in-vs", VS " lb_algoo rr\n}\n", HB_LVS_CONF_ERROR_UNKNOWN,
    "t.conf:2: unknown keyword 'lb_algoo' in virtual_server" },
  { "unclosed", VS " lb_algo rr\n", HB_LVS_CONF_ERROR_SYNTAX,
    "t.conf:1: virtual_server block opened here is not closed (missing '}')" },
  { "stray-close", VS "}\n}\n", HB_LVS_CONF_ERROR_SYNTAX, "t.conf:3: '}' without a matching '{'" },
  { "no-block", "virtual_server 192.0.2.1 80\nbackend ipvs\n", HB_LVS_CONF_ERROR_SYNTAX,
    "t.conf:1: 'virtual_server' must be followed by a '{' block" },
  { "bad-vip", "virtual_server 192.0.2.300 80 {\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:1: 'virtual_server 192.0.2.300': not an IPv4 address" },
  /* inet_pton() (keepalived, ipvsadm) refuses leading zeros; accepted, 192.0.2.01
   * would be a second service for the kernel's 192.0.2.1, never matched again. */
  { "vip-leading-zero", "virtual_server 192.0.2.01 80 {\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:1: 'virtual_server 192.0.2.01': not an IPv4 address" },
  { "real-leading-zero", VS " real_server 198.51.100.001 80 {\n }\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:2: 'real_server 198.51.100.001': not an IPv4 address" },
  { "bad-port", "virtual_server 192.0.2.1 65536 {\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:1: 'virtual_server 192.0.2.1 65536': port must be 1 to 65535" },
  { "port-missing", "virtual_server 192.0.2.1 {\n}\n", HB_LVS_CONF_ERROR_MISSING_VALUE,
    "t.conf:1: 'virtual_server' needs an IPv4 address and a port (got 1 values)" },
  { "bad-sched", VS " lb_algo fastest\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:2: 'lb_algo fastest': unknown scheduler (one of rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh)" },
  { "bad-kind", VS " lb_kind MASQ\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE, "t.conf:2: 'lb_kind MASQ': expected NAT, DR or TUN" },
  { "bad-proto", VS " protocol SCTP\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE, "t.conf:2: 'protocol SCTP': expected TCP or UDP" },
  { "missing-value", VS " delay_loop\n}\n", HB_LVS_CONF_ERROR_MISSING_VALUE, "t.conf:2: 'delay_loop' needs a value" },
  { "two-values", VS " delay_loop 1 2\n}\n", HB_LVS_CONF_ERROR_SYNTAX, "t.conf:2: 'delay_loop' takes one value, got 2" },
  { "bad-seconds", VS " delay_loop 1.2345\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:2: 'delay_loop 1.2345': expected a positive number of seconds (up to 86400, at most 3 decimals)" },
  { "zero-delay-loop", VS " delay_loop 0\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:2: 'delay_loop 0': expected a positive number of seconds (up to 86400, at most 3 decimals)" },
  { "weight-overflow", VS RS "  weight 65536\n }\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:3: 'weight 65536': expected a whole number from 0 to 65535" },
  { "weight-negative", VS RS "  weight -1\n }\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:3: 'weight -1': expected a whole number from 0 to 65535" },
  { "huge-number", VS RS "  weight 99999999999999999999999\n }\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:3: 'weight 99999999999999999999999': expected a whole number from 0 to 65535" },
  { "inhibit-value", VS RS "  inhibit_on_failure yes\n }\n}\n", HB_LVS_CONF_ERROR_SYNTAX,
    "t.conf:3: 'inhibit_on_failure' takes no value" },
  { "http-get", VS RS "  HTTP_GET {\n   url { path / }\n  }\n }\n}\n", HB_LVS_CONF_ERROR_UNSUPPORTED,
    "t.conf:3: 'HTTP_GET' in real_server is not supported: only TCP_CHECK is implemented" },
  { "sorry-server", VS " sorry_server 198.51.100.9 80\n}\n", HB_LVS_CONF_ERROR_UNSUPPORTED,
    "t.conf:2: 'sorry_server' in virtual_server is not supported: no fallback server is programmed when all real servers fail" },
  { "check-connect-ip", VS RS "  TCP_CHECK {\n   connect_ip 198.51.100.2\n  }\n }\n}\n", HB_LVS_CONF_ERROR_UNSUPPORTED,
    "t.conf:4: 'connect_ip' in TCP_CHECK is not supported: the check always connects to the real server's own address" },
  { "check-bad-port", VS RS "  TCP_CHECK {\n   connect_port 0\n  }\n }\n}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:4: 'connect_port 0': expected a port from 1 to 65535" },
  { "two-checks", VS RS "  TCP_CHECK {\n  }\n  TCP_CHECK {\n  }\n }\n}\n", HB_LVS_CONF_ERROR_UNSUPPORTED,
    "t.conf:5: a second TCP_CHECK for one real server is not supported" },
  { "dup-real", VS RS " }\n" RS " }\n}\n", HB_LVS_CONF_ERROR_DUPLICATE,
    "t.conf:4: real_server 198.51.100.1 80 listed twice in this virtual_server (first on line 2)" },
  { "dup-service", VS "}\n" VS "}\n", HB_LVS_CONF_ERROR_DUPLICATE,
    "t.conf:3: virtual_server 192.0.2.1 80 (tcp) defined twice (first on line 1)" },
  { "bad-backend", "backend lvs\n" VS "}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:1: 'backend lvs': expected auto, ipvs or nftables" },
  { "bad-name", "name a-b\n" VS "}\n", HB_LVS_CONF_ERROR_BAD_VALUE,
    "t.conf:1: 'name a-b': use 1 to 32 letters, digits or '_' (it names an nft table)" },
  { "vs-group", "virtual_server_group G {\n 192.0.2.1 80\n}\n", HB_LVS_CONF_ERROR_UNSUPPORTED,
    "t.conf:1: 'virtual_server_group' in lvs.conf is not supported: list each virtual_server on its own" },
  { "fwmark-service", "virtual_server fwmark 1 {\n}\n", HB_LVS_CONF_ERROR_UNSUPPORTED,
    "t.conf:1: 'virtual_server fwmark' is not supported: give the virtual IPv4 address and port" },
  { "open-without-keyword", "{\n}\n" VS "}\n", HB_LVS_CONF_ERROR_SYNTAX, "t.conf:1: '{' without a keyword before it" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInput *b = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse (b->text, "t.conf", NULL, &error);
  g_auto (GStrv) lines = NULL;

  g_assert_null (c);
  g_assert_error (error, HB_LVS_CONF_ERROR, b->code);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpstr (lines[0], ==, b->message);
}

/* Every error of a file is reported in one run, each with its line. */
static void
test_all_errors_reported (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse (VS " lb_algo x\n lb_kind y\n" RS "  weight z\n }\n}\n",
                                                   "t.conf", NULL, &error);
  g_auto (GStrv) lines = NULL;

  g_assert_null (c);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "t.conf:2: "));
  g_assert_true (g_str_has_prefix (lines[1], "t.conf:3: "));
  g_assert_true (g_str_has_prefix (lines[2], "t.conf:5: "));
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message; /* NULL = accepted by nftables */
} BackendCase;

static const BackendCase nft_cases[] = {
  { "wrr-ok", VS " lb_algo wrr\n}\n", NULL },
  { "rr-ok", VS " lb_algo rr\n}\n", NULL },
  { "sh-ok", VS " lb_algo sh\n}\n", NULL },
  { "wlc", VS " lb_algo wlc\n}\n",
    "t.conf:1: virtual_server 192.0.2.1 80: lb_algo wlc is not available with the nftables backend "
    "(use rr, wrr or sh, or the ipvs backend)" },
  { "default-sched", VS "}\n",
    "t.conf:1: virtual_server 192.0.2.1 80: lb_algo wlc is not available with the nftables backend "
    "(use rr, wrr or sh, or the ipvs backend)" },
  { "dr", "\n" VS " lb_algo rr\n lb_kind DR\n}\n",
    "t.conf:2: virtual_server 192.0.2.1 80: lb_kind DR needs the ipvs backend; the nftables backend "
    "forwards with NAT only" },
  { "persistence", VS " lb_algo rr\n persistence_timeout 300\n}\n",
    "t.conf:1: virtual_server 192.0.2.1 80: persistence_timeout is not available with the nftables "
    "backend (lb_algo sh keeps a client on one real server)" },
};

static void
test_nft_backend_check (gconstpointer data)
{
  const BackendCase *b = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse (b->text, "t.conf", NULL, &error);
  gboolean ok;

  g_assert_no_error (error);
  ok = hb_lvs_config_check_backend (c, HB_LVS_BACKEND_NFTABLES, &error);
  if (b->message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BACKEND);
  g_assert_cmpstr (error->message, ==, b->message);
  g_assert_true (hb_lvs_config_check_backend (c, HB_LVS_BACKEND_IPVS, NULL));
}


/* ---- the lexer on odd bytes ----------------------------------------------------------
 * A lexer that stops making progress loops for ever, so these run in a
 * subprocess with a timeout: a hang fails the test instead of the suite. */

#define LEX_TIMEOUT_US (10 * G_USEC_PER_SEC)

static void
run_bounded (void (*body) (gconstpointer), gconstpointer data)
{
  if (g_test_subprocess ())
    {
      body (data);
      return;
    }
  g_test_trap_subprocess (NULL, LEX_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* SPACE stands for one blank in this template. */
static const char blank_template[] = "virtual_server 192.0.2.1 80 { \n"
                                     " lb_algo rr \n"
                                     " real_server 198.51.100.1 80{weight 2 } \n"
                                     "} ";

typedef struct
{
  const char *name;
  char blank;
} BlankCase;

/* keepalived splits words on space, \t, \f, \n, \r and \v (lib/parser.c,
 * WHITE_SPACE_STR), so the same file with any of them for the spaces means the
 * same. A \v here used to stop the lexer (issue 9). */
static const BlankCase blank_cases[] = {
  { "vt", '\v' }, { "ff", '\f' }, { "cr", '\r' }, { "tab", '\t' }, { "space", ' ' },
};

static void
blank_body (gconstpointer data)
{
  const BlankCase *bc = data;
  g_autofree char *text = g_strdup (blank_template);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) want = hb_lvs_config_parse (blank_template, "t.conf", NULL, &error);
  g_autoptr (HbLvsConfig) got = NULL;
  g_autofree char *want_dump = NULL;
  g_autofree char *got_dump = NULL;
  const HbLvsService *s;

  g_assert_no_error (error);
  g_strdelimit (text, " ", bc->blank);
  got = hb_lvs_config_parse (text, "t.conf", NULL, &error);
  g_assert_no_error (error);
  want_dump = hb_lvs_config_dump (want);
  got_dump = hb_lvs_config_dump (got);
  g_assert_cmpstr (got_dump, ==, want_dump);
  s = g_ptr_array_index (got->services, 0);
  g_assert_cmpuint (((HbLvsReal *) g_ptr_array_index (s->reals, 0))->line, ==, 3);
}

static void
test_lex_blank (gconstpointer data)
{
  run_bounded (blank_body, data);
}

/* Blanks alone, and blanks next to braces and comments, are no statement. */
static void
only_blanks_body (gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse ("\v\f\r\t \n\v#\v\n!\f\n\v", "t.conf", NULL, &error);

  (void) data;
  g_assert_null (c);
  g_assert_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_EMPTY);
  g_assert_cmpstr (error->message, ==, "t.conf:0: no virtual_server defined");
}

static void
test_lex_only_blanks (void)
{
  run_bounded (only_blanks_body, NULL);
}

/* Every byte value 1..255 in one text: every token is non-empty, holds no blank,
 * brace or comment sign, and carries the line it is on. */
static void
all_bytes_body (gconstpointer data)
{
  char text[2 * 255 + 1];
  g_autoptr (GPtrArray) toks = NULL;
  guint line = 1;
  gsize total = 0;

  (void) data;
  for (guint i = 1; i <= 255; i++)
    {
      text[2 * (i - 1)] = (char) i;
      text[2 * (i - 1) + 1] = 'x';
    }
  text[2 * 255] = '\0';
  toks = hb_lvs_conf_lex (text);
  g_assert_cmpuint (toks->len, <=, sizeof text);
  for (guint i = 0; i < toks->len; i++)
    {
      const HbLvsConfToken *t = g_ptr_array_index (toks, i);

      g_assert_cmpuint (strlen (t->text), >, 0);
      g_assert_true (strcspn (t->text, " \t\n\v\f\r#!") == strlen (t->text));
      g_assert_true (strlen (t->text) == 1 || strcspn (t->text, "{}") == strlen (t->text));
      g_assert_cmpuint (t->line, >=, line);
      line = t->line;
      total += strlen (t->text);
    }
  /* the '\n' (byte 10) starts line 2; '#' and '!' comment out the rest of line 2 */
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpuint (total, <=, sizeof text);
}

static void
test_lex_all_bytes (void)
{
  run_bounded (all_bytes_body, NULL);
}

/* Other control bytes and bytes >= 0x80 are word characters, as in keepalived;
 * the word is then refused by whatever reads it, naming the line, and the
 * message shows the byte escaped rather than sending it to a terminal. */
static void
control_byte_body (gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse (VS " lb_algo r\x01r\x1b[2J\n}\n" "\xff\xfe 1\n", "t.conf",
                                                   NULL, &error);
  g_auto (GStrv) lines = NULL;

  (void) data;
  g_assert_null (c);
  g_assert_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_BAD_VALUE);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[0], ==,
                   "t.conf:2: 'lb_algo r\\x01r\\x1b[2J': unknown scheduler (one of rr wrr lc wlc lblc "
                   "lblcr dh sh sed nq fo ovf mh)");
  g_assert_cmpstr (lines[1], ==, "t.conf:4: unknown keyword '\\xff\\xfe' in lvs.conf");
}

static void
test_lex_control_bytes (void)
{
  run_bounded (control_byte_body, NULL);
}

/* A NUL byte would end the text early and lose what follows it unseen:
 * refused, naming its line. */
static void
test_lex_nul (void)
{
  static const char text[] = VS "}\n\n\0garbage {\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse_len (text, sizeof text - 1, "t.conf", NULL, &error);

  g_assert_null (c);
  g_assert_error (error, HB_LVS_CONF_ERROR, HB_LVS_CONF_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "t.conf:4: contains a NUL byte: not a text file");
  g_clear_error (&error);
  c = hb_lvs_config_parse_len (text, strlen (text), "t.conf", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
}

/* The LEN bytes need no NUL after them: what follows is not read. */
static void
test_lex_length (void)
{
  static const char text[] = VS "}\n" "garbage {";
  g_autoptr (GError) error = NULL;
  g_autoptr (HbLvsConfig) c = hb_lvs_config_parse_len (text, strlen (VS "}\n"), "t.conf", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (c->services->len, ==, 1);
}

static const GoodFile good_files[] = {
  { "seed.conf", "seed.dump", 0 },
  { "keepalived.conf", "keepalived.dump", 2 },
};

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (good_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lvsconf/good/%s", good_files[i].conf);
      g_test_add_data_func (path, &good_files[i], test_good_file);
    }
  g_test_add_func ("/lvsconf/good/keepalived-warnings", test_keepalived_warnings);
  g_test_add_func ("/lvsconf/good/inline", test_inline_good);
  g_test_add_func ("/lvsconf/good/inherited-check-settings", test_inherited_check_settings);
  g_test_add_func ("/lvsconf/good/name-from-file", test_name_from_file);
  g_test_add_func ("/lvsconf/good/state-key", test_state_key);
  g_test_add_func ("/lvsconf/good/sample", test_sample);
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lvsconf/bad/%s", bad_inputs[i].name);
      g_test_add_data_func (path, &bad_inputs[i], test_bad_input);
    }
  g_test_add_func ("/lvsconf/bad/all-errors-reported", test_all_errors_reported);
  for (guint i = 0; i < G_N_ELEMENTS (nft_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lvsconf/backend/nftables/%s", nft_cases[i].name);
      g_test_add_data_func (path, &nft_cases[i], test_nft_backend_check);
    }
  for (guint i = 0; i < G_N_ELEMENTS (blank_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lvsconf/lex/blank/%s", blank_cases[i].name);
      g_test_add_data_func (path, &blank_cases[i], test_lex_blank);
    }
  g_test_add_func ("/lvsconf/lex/only-blanks", test_lex_only_blanks);
  g_test_add_func ("/lvsconf/lex/all-bytes", test_lex_all_bytes);
  g_test_add_func ("/lvsconf/lex/control-bytes", test_lex_control_bytes);
  g_test_add_func ("/lvsconf/lex/nul", test_lex_nul);
  g_test_add_func ("/lvsconf/lex/length", test_lex_length);
  return g_test_run ();
}
