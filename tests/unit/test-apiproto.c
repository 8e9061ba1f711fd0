/* Tests for lib/apiproto.c: request and response encode/parse, escaping,
 * limits, malformed lines. */
#include <string.h>

#include "apiproto.h"

/* ---- escaping ------------------------------------------------------------------------ */

typedef struct
{
  const char *plain;
  const char *escaped;
} EscapeCase;

static const EscapeCase escape_cases[] = {
  { "node1", "node1" },
  { "", "" },
  { "a b", "a%20b" },
  { "100%", "100%25" },
  { "tab\there", "tab%09here" },
  { "line\nbreak\r", "line%0Abreak%0D" },
  { "del\x7f", "del%7F" },
  { "caf\xc3\xa9", "caf\xc3\xa9" }, /* UTF-8 passes through */
  { "ipfail gid=haclient", "ipfail%20gid=haclient" },
};

static void
test_escape_round_trip (gconstpointer data)
{
  const EscapeCase *c = data;
  g_autofree char *escaped = hb_api_escape (c->plain);
  g_autoptr (GError) error = NULL;
  g_autofree char *back = NULL;

  g_assert_cmpstr (escaped, ==, c->escaped);
  back = hb_api_unescape (escaped, strlen (escaped), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back, ==, c->plain);
}

static const char *const bad_escapes[] = {
  "%",      /* truncated */
  "%4",     /* truncated */
  "%G0",    /* not hex */
  "%0g",    /* not hex */
  "%00",    /* would decode to NUL */
  "a b",    /* raw space */
  "a\tb",   /* raw control */
  "a\x7f",  /* raw DEL */
};

static void
test_unescape_bad (gconstpointer data)
{
  const char *text = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = hb_api_unescape (text, strlen (text), &error);

  g_assert_null (out);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL);
}

static void
test_unescape_respects_length (void)
{
  g_autoptr (GError) error = NULL;
  /* Only the first 3 bytes count: "%41" must not be read past "%4". */
  g_autofree char *ok = hb_api_unescape ("ab%41", 2, &error);
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ok, ==, "ab");
  bad = hb_api_unescape ("%41", 2, &error);
  g_assert_null (bad);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL);
}

/* ---- requests ------------------------------------------------------------------------ */

typedef struct
{
  HbApiVerb verb;
  const char *args[3];
  const char *line;
} RequestCase;

static const RequestCase request_cases[] = {
  { HB_API_REQ_STATUS, { NULL }, "status\n" },
  { HB_API_REQ_NODES, { NULL }, "nodes\n" },
  { HB_API_REQ_NODE_STATUS, { "node1" }, "node-status node1\n" },
  { HB_API_REQ_NODE_TYPE, { "192.0.2.254" }, "node-type 192.0.2.254\n" },
  { HB_API_REQ_LINKS, { "node2" }, "links node2\n" },
  { HB_API_REQ_LINK_STATUS, { "node1", "eth0" }, "link-status node1 eth0\n" },
  { HB_API_REQ_LINK_STATUS, { "odd node", "50%" }, "link-status odd%20node 50%25\n" },
  { HB_API_REQ_RSC_STATUS, { NULL }, "rsc-status\n" },
  { HB_API_REQ_PARAMETER, { "deadtime" }, "parameter deadtime\n" },
  { HB_API_REQ_STANDBY, { "foreign" }, "standby foreign\n" },
  { HB_API_REQ_TAKEOVER, { "failback" }, "takeover failback\n" },
};

static void
test_request_round_trip (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = hb_api_request_encode (c->verb, c->args, &error);
  g_autoptr (HbApiRequest) request = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, c->line);
  request = hb_api_request_parse (line, strlen (line) - 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpint (request->verb, ==, c->verb);
  g_assert_cmpuint (request->n_args, ==, hb_api_verb_n_args (c->verb));
  for (guint i = 0; i < request->n_args; i++)
    {
      g_assert_cmpstr (request->args[i], ==, c->args[i]);
    }
  for (guint i = request->n_args; i < HB_API_MAX_ARGS; i++)
    {
      g_assert_null (request->args[i]);
    }
}

static void
test_request_crlf (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiRequest) request = hb_api_request_parse ("node-status node1\r", 18, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (request->args[0], ==, "node1");
}

typedef struct
{
  const char *line; /* parsed with strlen, except embedded-NUL cases */
  gsize len;        /* 0: strlen (line) */
  const char *message_part;
} BadRequestCase;

static const BadRequestCase bad_requests[] = {
  { "", 0, "unknown request ''" },
  { "hello", 0, "unknown request 'hello'" },
  { "STATUS", 0, "unknown request" },          /* verbs are case-sensitive */
  { "status extra", 0, "takes 0 argument" },
  { "node-status", 0, "takes 1 argument" },
  { "node-status a b", 0, "takes 1 argument" },
  { "link-status node1", 0, "takes 2 argument" },
  { "link-status a b c d e f", 0, "takes 2 argument" },
  { "node-status ", 0, "argument 1 is empty" },
  { "link-status  eth0", 0, "argument 1 is empty" },
  { " status", 0, "unknown request ''" },
  { "node-status no%zz", 0, "argument 1: bad escape" },
  { "node-status %00", 0, "argument 1: bad escape" },
  { "node-status a\tb", 0, "argument 1: unescaped control" },
  { "node-status a\0b", 15, "NUL" },
  { "node-status a\nb", 0, "LF" },
  { "unknown\x01verb", 0, "unknown request 'unknown%01verb'" },
};

static void
test_request_bad (gconstpointer data)
{
  const BadRequestCase *c = data;
  gsize len = c->len != 0 ? c->len : strlen (c->line);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiRequest) request = hb_api_request_parse (c->line, len, &error);

  g_assert_null (request);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
  if (strstr (error->message, c->message_part) == NULL)
    {
      g_error ("'%s': message '%s' lacks '%s'", c->line, error->message, c->message_part);
    }
}

static void
test_request_too_long (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strnfill (HB_API_MAX_LINE, 'x');
  g_autofree char *line = g_strconcat ("node-status ", name, NULL);
  g_autoptr (HbApiRequest) request = hb_api_request_parse (line, strlen (line), &error);
  const char *args[] = { name, NULL };
  g_autofree char *encoded = NULL;
  g_autofree char *fits = g_strnfill (HB_API_MAX_LINE - strlen ("node-status "), 'y');
  const char *fit_args[] = { fits, NULL };
  g_autofree char *fit_line = NULL;

  g_assert_null (request);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  encoded = hb_api_request_encode (HB_API_REQ_NODE_STATUS, args, &error);
  g_assert_null (encoded);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  /* Exactly at the limit is fine. */
  fit_line = hb_api_request_encode (HB_API_REQ_NODE_STATUS, fit_args, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (fit_line), ==, HB_API_MAX_LINE + 1);
  request = hb_api_request_parse (fit_line, HB_API_MAX_LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->args[0], ==, fits);
}

static void
test_request_encode_bad_args (void)
{
  const char *none[] = { NULL };
  const char *empty[] = { "", NULL };
  const char *two[] = { "a", "b", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_null (hb_api_request_encode (HB_API_REQ_NODE_STATUS, none, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_null (hb_api_request_encode (HB_API_REQ_NODE_STATUS, NULL, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_null (hb_api_request_encode (HB_API_REQ_NODE_STATUS, empty, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_null (hb_api_request_encode (HB_API_REQ_NODE_STATUS, two, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_null (hb_api_request_encode (HB_API_REQ_STATUS, two, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST);
}

/* ---- hold words and error tokens --------------------------------------------------------- */

static void
test_hold_words (void)
{
  static const char *const words[] = { "all", "local", "foreign", "failback" };
  HbApiHold hold;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_assert_true (hb_api_hold_from_string (words[i], &hold));
      g_assert_cmpint (hold, ==, i);
      g_assert_cmpstr (hb_api_hold_to_string (hold), ==, words[i]);
    }
  g_assert_false (hb_api_hold_from_string ("ALL", &hold));
  g_assert_false (hb_api_hold_from_string ("", &hold));
  g_assert_false (hb_api_hold_from_string ("both", &hold));
  g_assert_false (hb_api_hold_from_string (NULL, &hold));
}

static void
test_error_tokens (void)
{
  HbApiError code;

  for (int c = HB_API_ERROR_BAD_REQUEST; c <= HB_API_ERROR_INTERNAL; c++)
    {
      const char *token = hb_api_error_to_token (c);

      g_assert_nonnull (token);
      g_assert_true (hb_api_error_from_token (token, &code));
      g_assert_cmpint (code, ==, c);
    }
  for (int c = HB_API_ERROR_NOT_RUNNING; c <= HB_API_ERROR_IO; c++)
    {
      g_assert_null (hb_api_error_to_token (c));
    }
  g_assert_false (hb_api_error_from_token ("timeout", &code));
  g_assert_false (hb_api_error_from_token ("", &code));
}

/* ---- responses -------------------------------------------------------------------------- */

/* Feeds a whole text (lines separated by LF) to a new response. */
static HbApiResponse *
feed_text (const char *text, GError **error)
{
  g_autoptr (HbApiResponse) response = hb_api_response_new ();
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* The split leaves an empty string after the final LF. */
  for (guint i = 0; i + 1 < n; i++)
    {
      if (!hb_api_response_feed_line (response, lines[i], strlen (lines[i]), error))
        {
          return NULL;
        }
    }
  return g_steal_pointer (&response);
}

static void
test_response_rows_round_trip (void)
{
  const char *row1[] = { "node1", "normal", "active", NULL };
  const char *row2[] = { "apiauth", "ipfail gid=haclient", NULL };
  const char *row3[] = { "", NULL };
  const char *row4[] = { NULL };
  const char *row5[] = { "a", "", "b", NULL };
  const char *const *rows[] = { row1, row2, row3, row4, row5 };
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiResponse) response = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_true (hb_api_response_append_row (out, rows[i], &error));
    }
  hb_api_response_append_ok (out);
  g_assert_cmpstr (out->str, ==,
                   "DATA node1 normal active\nDATA apiauth ipfail%20gid=haclient\nDATA \nDATA\n"
                   "DATA a  b\nOK\n");
  response = feed_text (out->str, &error);
  g_assert_no_error (error);
  g_assert_true (response->complete);
  g_assert_true (response->ok);
  g_assert_true (hb_api_response_check (response, &error));
  g_assert_cmpuint (response->rows->len, ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_true (g_strv_equal ((const char *const *) g_ptr_array_index (response->rows, i),
                                   rows[i]));
    }
}

typedef struct
{
  HbApiError code;
  const char *message;
  const char *line;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { HB_API_ERROR_UNKNOWN_NODE, "unknown node 'x'", "ERR unknown-node unknown%20node%20'x'\n" },
  { HB_API_ERROR_BAD_REQUEST, "", "ERR bad-request \n" },
  { HB_API_ERROR_REFUSED, "uid 1000", "ERR refused uid%201000\n" },
  { HB_API_ERROR_FAILED, "50%\nfail", "ERR failed 50%25%0Afail\n" },
};

static void
test_response_error_round_trip (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiResponse) response = NULL;

  hb_api_response_append_error (out, c->code, c->message);
  g_assert_cmpstr (out->str, ==, c->line);
  response = feed_text (out->str, &error);
  g_assert_no_error (error);
  g_assert_true (response->complete);
  g_assert_false (response->ok);
  g_assert_false (hb_api_response_check (response, &error));
  g_assert_error (error, HB_API_ERROR, (gint) c->code);
  g_assert_cmpstr (error->message, ==, c->message);
}

static void
test_response_error_truncated (void)
{
  /* A message that escapes to more than a line: cut, never split in a %XX. */
  for (guint pad = 0; pad < 3; pad++)
    {
      g_autofree char *prefix = g_strnfill (pad, 'p');
      g_autofree char *spaces = g_strnfill (HB_API_MAX_LINE, ' ');
      g_autofree char *message = g_strconcat (prefix, spaces, NULL);
      g_autoptr (GString) out = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (HbApiResponse) response = NULL;

      hb_api_response_append_error (out, HB_API_ERROR_FAILED, message);
      g_assert_cmpuint (out->len, <=, HB_API_MAX_LINE + 1);
      g_assert_cmpint (out->str[out->len - 1], ==, '\n');
      response = feed_text (out->str, &error);
      g_assert_no_error (error);
      g_assert_false (response->ok);
      g_assert_true (g_str_has_prefix (response->message, prefix));
    }
}

/* A UTF-8 message cut to fit stays UTF-8 (the client prints it as its error):
 * the cut never falls inside a character, whatever the offset. The fuzz-api
 * target checks this property; found there by reading the cut's code. */
static void
test_response_error_truncated_utf8 (void)
{
  for (guint pad = 0; pad < 4; pad++)
    {
      g_autoptr (GString) message = g_string_new (NULL);
      g_autoptr (GString) out = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (HbApiResponse) response = NULL;

      g_string_append_len (message, "ppp", pad);
      while (message->len < 2 * HB_API_MAX_LINE)
        {
          g_string_append (message, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"); /* é € 😀 */
        }
      hb_api_response_append_error (out, HB_API_ERROR_FAILED, message->str);
      g_assert_cmpuint (out->len, <=, HB_API_MAX_LINE + 1);
      response = feed_text (out->str, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (message->str, response->message));
      g_assert_cmpuint (strlen (response->message), >, HB_API_MAX_LINE - 20);
      g_assert_true (g_utf8_validate (response->message, -1, NULL));
    }
}

/* Not UTF-8: a stray continuation byte right after an escape at the cut.
 * Backing up over it cut the escape in two (found by fuzz-api). */
static void
test_response_error_truncated_stray_byte (void)
{
  g_autofree char *pad = g_strnfill (HB_API_MAX_LINE - strlen ("ERR failed ") - 3, 'a');
  g_autofree char *message = g_strconcat (pad, "\n\x8d\x8d tail", NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiResponse) response = NULL;

  hb_api_response_append_error (out, HB_API_ERROR_FAILED, message);
  g_assert_cmpuint (out->len, <=, HB_API_MAX_LINE + 1);
  response = feed_text (out->str, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (message, response->message));
  g_assert_cmpuint (strlen (response->message), ==, strlen (pad) + 1);
}

static void
test_response_row_too_long (void)
{
  g_autofree char *big = g_strnfill (HB_API_MAX_LINE, 'v');
  const char *fields[] = { big, NULL };
  g_autoptr (GString) out = g_string_new ("DATA keep\n");
  g_autoptr (GError) error = NULL;

  g_assert_false (hb_api_response_append_row (out, fields, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_INTERNAL);
  g_assert_cmpstr (out->str, ==, "DATA keep\n");
}

typedef struct
{
  const char *text;
  const char *message_part;
} BadResponseCase;

static const BadResponseCase bad_responses[] = {
  { "HELLO\n", "unexpected response line" },
  { "DATAX\n", "unexpected response line" },
  { "OK \n", "unexpected response line" },
  { "ok\n", "unexpected response line" },
  { "ERR\n", "unexpected response line" },
  { "ERR \n", "unexpected response line" },
  { "ERR unknown-node\n", "ERR line without text" },
  { "ERR timeout late\n", "unknown error code 'timeout'" },
  { "ERR nonsense text\n", "unknown error code" },
  { "DATA a%zz\n", "bad escape" },
  { "DATA a\tb\n", "unescaped control" },
  { "ERR failed %0\n", "bad escape" },
  { "OK\nDATA late\n", "after the end" },
  { "OK\nOK\n", "after the end" },
};

static void
test_response_bad (gconstpointer data)
{
  const BadResponseCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiResponse) response = feed_text (c->text, &error);

  g_assert_null (response);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL);
  if (strstr (error->message, c->message_part) == NULL)
    {
      g_error ("message '%s' lacks '%s'", error->message, c->message_part);
    }
}

static void
test_response_line_limits (void)
{
  g_autoptr (HbApiResponse) response = hb_api_response_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *long_line = g_strnfill (HB_API_MAX_LINE + 1, 'x');
  const char nul_line[] = "DATA a\0b";

  memcpy (long_line, "DATA ", 5);
  g_assert_false (hb_api_response_feed_line (response, long_line, strlen (long_line), &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (hb_api_response_feed_line (response, nul_line, sizeof nul_line - 1, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (hb_api_response_check (response, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL); /* incomplete */
}

static void
test_response_too_many_rows (void)
{
  g_autoptr (HbApiResponse) response = hb_api_response_new ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < HB_API_MAX_ROWS; i++)
    {
      g_assert_true (hb_api_response_feed_line (response, "DATA r", 6, &error));
    }
  g_assert_false (hb_api_response_feed_line (response, "DATA r", 6, &error));
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL);
}

/* ---- registration ----------------------------------------------------------------------- */

static void
add_table (const char *prefix, gconstpointer table, gsize n, gsize size, GTestDataFunc func)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%" G_GSIZE_FORMAT, prefix, i);

      g_test_add_data_func (name, (const char *) table + i * size, func);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_table ("/apiproto/escape/round-trip", escape_cases, G_N_ELEMENTS (escape_cases),
             sizeof escape_cases[0], test_escape_round_trip);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_escapes); i++)
    {
      g_autofree char *name = g_strdup_printf ("/apiproto/escape/bad/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (name, bad_escapes[i], test_unescape_bad);
    }
  g_test_add_func ("/apiproto/escape/length", test_unescape_respects_length);
  add_table ("/apiproto/request/round-trip", request_cases, G_N_ELEMENTS (request_cases),
             sizeof request_cases[0], test_request_round_trip);
  g_test_add_func ("/apiproto/request/crlf", test_request_crlf);
  add_table ("/apiproto/request/bad", bad_requests, G_N_ELEMENTS (bad_requests),
             sizeof bad_requests[0], test_request_bad);
  g_test_add_func ("/apiproto/request/too-long", test_request_too_long);
  g_test_add_func ("/apiproto/request/encode-bad-args", test_request_encode_bad_args);
  g_test_add_func ("/apiproto/hold", test_hold_words);
  g_test_add_func ("/apiproto/error-tokens", test_error_tokens);
  g_test_add_func ("/apiproto/response/rows", test_response_rows_round_trip);
  add_table ("/apiproto/response/error", error_cases, G_N_ELEMENTS (error_cases),
             sizeof error_cases[0], test_response_error_round_trip);
  g_test_add_func ("/apiproto/response/error-truncated", test_response_error_truncated);
  g_test_add_func ("/apiproto/response/error-truncated-utf8", test_response_error_truncated_utf8);
  g_test_add_func ("/apiproto/response/error-truncated-stray-byte", test_response_error_truncated_stray_byte);
  g_test_add_func ("/apiproto/response/row-too-long", test_response_row_too_long);
  add_table ("/apiproto/response/bad", bad_responses, G_N_ELEMENTS (bad_responses),
             sizeof bad_responses[0], test_response_bad);
  g_test_add_func ("/apiproto/response/line-limits", test_response_line_limits);
  g_test_add_func ("/apiproto/response/too-many-rows", test_response_too_many_rows);
  return g_test_run ();
}
