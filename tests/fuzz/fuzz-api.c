/* libFuzzer target for the local API line protocol (lib/apiproto), both
 * directions, on every line of the input (LF-separated):
 *
 *   requests (what the daemon reads): a line that parses re-encodes to a
 *     line that parses to the same request, and that encoding is canonical
 *     (encoding it again gives the same bytes); a line that does not parse
 *     fails with bad-request and a message without control bytes (it is sent
 *     back to the peer); a standby/takeover argument that names a hold
 *     round-trips through hb_api_hold_*;
 *   replies (what cl_status & co. read): the lines are fed as one response
 *     after another; each completed response, encoded again with the
 *     server's functions (rows, then OK or ERR), parses to the same rows,
 *     status, code and text, and the encoding is never longer than the
 *     lines it came from (so it always fits the line limit);
 *   escaping: unescape (escape (s)) == s for the whole input, and an escaped
 *     text holds no byte that needs escaping.
 * fuzz-proto also parses these lines (with the membership script as its
 * other half); this target checks the replies' round trip and the server's
 * encoders, which fuzz-proto does not.
 * Any violation aborts, so the fuzzer reports it like a crash.
 * Built only with ./configure --enable-fuzzing CC=clang; run by tests/fuzz/run-fuzz. */
#include "fuzz-common.h"
#include "apiproto.h"

#include <stdlib.h>
#include <string.h>

static gboolean
no_control_bytes (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        {
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- requests --------------------------------------------------------------------------- */

static void
check_hold (const HbApiRequest *req)
{
  HbApiHold hold;

  if ((req->verb != HB_API_REQ_STANDBY && req->verb != HB_API_REQ_TAKEOVER)
      || !hb_api_hold_from_string (req->args[0], &hold))
    {
      return;
    }
  require (strcmp (hb_api_hold_to_string (hold), req->args[0]) == 0);
}

static void
check_request (const char *line, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiRequest) req = hb_api_request_parse (line, len, &error);
  g_autoptr (HbApiRequest) again = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *encoded2 = NULL;
  const char *args[HB_API_MAX_ARGS + 1] = { NULL };

  require ((req == NULL) == (error != NULL));
  if (req == NULL)
    {
      require (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST));
      require (no_control_bytes (error->message));
      return;
    }
  require (req->n_args == hb_api_verb_n_args (req->verb));
  for (guint i = 0; i < req->n_args; i++)
    {
      args[i] = req->args[i];
    }
  check_hold (req);
  encoded = hb_api_request_encode (req->verb, args, NULL);
  /* The parsed line fitted, and escaping what was parsed never lengthens it. */
  require (encoded != NULL && strlen (encoded) - 1 <= len);
  again = hb_api_request_parse (encoded, strlen (encoded) - 1, NULL);
  require (again != NULL && again->verb == req->verb && again->n_args == req->n_args);
  for (guint i = 0; i < req->n_args; i++)
    {
      require (strcmp (again->args[i], req->args[i]) == 0);
    }
  for (guint i = 0; i < again->n_args; i++)
    {
      args[i] = again->args[i];
    }
  encoded2 = hb_api_request_encode (again->verb, args, NULL);
  require (encoded2 != NULL && strcmp (encoded, encoded2) == 0);
}

/* ---- replies ---------------------------------------------------------------------------- */

/* RESPONSE (complete) as the server would send it. */
static GString *
encode_response (const HbApiResponse *response)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < response->rows->len; i++)
    {
      const char *const *fields = g_ptr_array_index (response->rows, i);
      g_autoptr (GError) error = NULL;

      require (hb_api_response_append_row (out, fields, &error) && error == NULL);
    }
  if (response->ok)
    {
      hb_api_response_append_ok (out);
    }
  else
    {
      hb_api_response_append_error (out, response->code, response->message);
    }
  return out;
}

static void
feed_all (HbApiResponse *response, const char *text, gsize len)
{
  gsize begin = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\n')
        {
          require (hb_api_response_feed_line (response, text + begin, i - begin, NULL));
          begin = i + 1;
        }
    }
  require (begin == len && response->complete);
}

static void
check_reply (const HbApiResponse *response, gsize source_len)
{
  g_autoptr (GString) out = encode_response (response);
  g_autoptr (HbApiResponse) back = hb_api_response_new ();
  g_autoptr (GError) check = NULL;

  require (out->len <= source_len);
  feed_all (back, out->str, out->len);
  require (back->ok == response->ok && back->rows->len == response->rows->len);
  if (!response->ok)
    {
      require (back->code == response->code && strcmp (back->message, response->message) == 0);
    }
  for (guint i = 0; i < response->rows->len; i++)
    {
      const char *const *a = g_ptr_array_index (response->rows, i);
      const char *const *b = g_ptr_array_index (back->rows, i);

      require (g_strv_equal (a, b));
    }
  require (hb_api_response_check (back, &check) == back->ok);
  require (back->ok == (check == NULL));
  if (check != NULL)
    {
      require (check->domain == HB_API_ERROR && (HbApiError) check->code == back->code);
    }
}

/* Each line in turn; a completed or failed response starts a new one. */
static void
check_replies (const char *text, gsize size)
{
  g_autoptr (HbApiResponse) response = hb_api_response_new ();
  gsize begin = 0;
  gsize start = 0; /* where the current response's lines began */

  for (gsize i = 0; i <= size; i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok;

      if (i < size && text[i] != '\n')
        {
          continue;
        }
      ok = hb_api_response_feed_line (response, text + begin, i - begin, &error);
      require (ok == (error == NULL));
      require (ok || g_error_matches (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL));
      if (ok && response->complete)
        {
          /* its lines with their LFs (the last line's LF may be missing) */
          check_reply (response, i - start + 1);
        }
      if (!ok || response->complete)
        {
          g_clear_pointer (&response, hb_api_response_free);
          response = hb_api_response_new ();
          start = i + 1;
        }
      begin = i + 1;
    }
}

/* ---- escaping ----------------------------------------------------------------------------- */

static void
check_escaping (const char *text, gsize size)
{
  g_autofree char *string = g_strndup (text, size);
  g_autofree char *escaped = hb_api_escape (string);
  g_autofree char *back = hb_api_unescape (escaped, strlen (escaped), NULL);

  require (back != NULL && strcmp (back, string) == 0);
  for (const guchar *p = (const guchar *) escaped; *p != '\0'; p++)
    {
      require (*p > 0x20 && *p != 0x7f);
    }
  g_free (hb_api_unescape (text, size, NULL));
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *) data;
  gsize begin = 0;

  for (gsize i = 0; i <= size; i++)
    {
      if (i == size || text[i] == '\n')
        {
          check_request (text + begin, i - begin);
          begin = i + 1;
        }
    }
  check_replies (text, size);
  check_escaping (text, size);
  return 0;
}
