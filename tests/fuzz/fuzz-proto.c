/* libFuzzer target for the two other inputs a peer controls, chosen by the
 * first byte of the input:
 *
 *   even: the local API line protocol (lib/apiproto). Every line is parsed as
 *         a request and fed as a response line; properties: a parsed request
 *         re-encodes and re-parses to itself, escape/unescape round-trips, an
 *         ERR or DATA line we build parses back to what we put in, and errors
 *         are set exactly when a call fails.
 *   odd:  the membership receive path (lib/membership, seqtrack): the rest of
 *         the input is a script of packets with arbitrary seq/hg/dt/dest/st,
 *         clock moves anywhere in the gint64 range (back too), ticks, local
 *         status changes, shutdowns and rexmit NAKs. Properties: no crash or
 *         sanitizer report (signed overflow aborts), verdicts and events are
 *         well-formed, an unconfigured sender is always refused, and ticking
 *         at hb_membership_next_deadline_us() always makes progress.
 *
 * Any violation aborts, so the fuzzer reports it like a crash. Built only with
 * ./configure --enable-fuzzing CC=clang; run by tests/fuzz/run-fuzz. */
#include "fuzz-common.h"
#include "apiproto.h"
#include "membership.h"

#include <stdlib.h>
#include <string.h>

/* ---- API protocol ---------------------------------------------------------------------- */

static void
check_request (const char *line, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiRequest) req = hb_api_request_parse (line, len, &error);
  g_autoptr (HbApiRequest) again = NULL;
  g_autofree char *encoded = NULL;
  const char *args[HB_API_MAX_ARGS + 1] = { NULL };

  require ((req == NULL) == (error != NULL));
  if (req == NULL)
    {
      return;
    }
  require (req->n_args == hb_api_verb_n_args (req->verb));
  for (guint i = 0; i < req->n_args; i++)
    {
      require (req->args[i] != NULL && req->args[i][0] != '\0');
      args[i] = req->args[i];
    }
  encoded = hb_api_request_encode (req->verb, args, &error);
  if (encoded == NULL)
    {
      /* Only the line limit may refuse: escaping can lengthen the line. */
      require (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_BAD_REQUEST));
      return;
    }
  require (g_str_has_suffix (encoded, "\n"));
  again = hb_api_request_parse (encoded, strlen (encoded) - 1, NULL);
  require (again != NULL && again->verb == req->verb && again->n_args == req->n_args);
  for (guint i = 0; i < req->n_args; i++)
    {
      require (strcmp (again->args[i], req->args[i]) == 0);
    }
}

/* A line we build must parse back: a row to its fields, an error to a prefix
 * of its text (it may be cut to fit the line limit). */
static void
check_built_lines (const char *text)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (HbApiResponse) err = hb_api_response_new ();
  g_autoptr (HbApiResponse) rows = hb_api_response_new ();
  g_auto (GStrv) fields = g_strsplit (text, "\t", 4);
  g_autoptr (GError) error = NULL;
  const GStrv *row;

  hb_api_response_append_error (out, HB_API_ERROR_FAILED, text);
  require (out->len >= 1 && out->len <= HB_API_MAX_LINE + 1 && out->str[out->len - 1] == '\n');
  require (hb_api_response_feed_line (err, out->str, out->len - 1, NULL));
  require (err->complete && !err->ok && err->code == HB_API_ERROR_FAILED);
  require (g_str_has_prefix (text, err->message));

  g_string_truncate (out, 0);
  if (!hb_api_response_append_row (out, (const char *const *) fields, &error))
    {
      require (out->len == 0 && error != NULL);
      return;
    }
  require (hb_api_response_feed_line (rows, out->str, out->len - 1, NULL));
  require (rows->rows->len == 1);
  row = (const GStrv *) &g_ptr_array_index (rows->rows, 0);
  require (g_strv_length (*row) == g_strv_length (fields));
  for (guint i = 0; fields[i] != NULL; i++)
    {
      require (strcmp ((*row)[i], fields[i]) == 0);
    }
}

static void
fuzz_api (const guint8 *data, gsize size)
{
  const char *text = (const char *) data;
  g_autoptr (HbApiResponse) response = hb_api_response_new ();
  g_autofree char *string = g_strndup (text, size);
  g_autofree char *escaped = hb_api_escape (string);
  g_autofree char *unescaped = hb_api_unescape (escaped, strlen (escaped), NULL);
  gsize begin = 0;

  require (unescaped != NULL && strcmp (unescaped, string) == 0);
  g_free (hb_api_unescape (text, size, NULL));
  check_built_lines (string);
  for (gsize i = 0; i <= size; i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok;

      if (i < size && text[i] != '\n')
        {
          continue;
        }
      check_request (text + begin, i - begin);
      ok = hb_api_response_feed_line (response, text + begin, i - begin, &error);
      require (ok == (error == NULL));
      if (!ok || response->complete)
        {
          g_autoptr (GError) check = NULL;

          require (hb_api_response_check (response, &check) == (check == NULL));
          g_clear_pointer (&response, hb_api_response_free);
          response = hb_api_response_new ();
        }
      begin = i + 1;
    }
}

/* ---- membership -------------------------------------------------------------------------- */

typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
} Script;

static guint8
take_u8 (Script *s)
{
  return s->pos < s->len ? s->data[s->pos++] : 0;
}

static guint64
take_u64 (Script *s)
{
  guint64 v = 0;

  for (int i = 0; i < 8; i++)
    {
      v = v << 8 | take_u8 (s);
    }
  return v;
}

static const HbMemberNodeParam nodes[] = {
  { "node1", HB_MEMBER_NODE_NORMAL },
  { "node2", HB_MEMBER_NODE_NORMAL },
  { "node3", HB_MEMBER_NODE_NORMAL },
  { "192.0.2.254", HB_MEMBER_NODE_PING },
};
/* The configured nodes, then names nobody configured. */
static const char *const senders[] = { "node1", "node2", "node3", "192.0.2.254", "node4", "" };
static const char *const links[] = { "eth0", "eth1", NULL };
static const char *const packet_links[] = { "eth0", "eth1", "eth9", NULL };
static const char *const statuses[] = { "active", "up", "dead", "init", "ping", "x\ny", NULL };
static const char *const local_statuses[] = { "up", "active", "dead", "init" };
static const guint dts[] = { 0, 1, 10000, G_MAXUINT };

/* Deterministic "random" delays from the script, deliberately out of range
 * at times: membership must clamp them. */
static guint
script_random (guint lo, guint hi, gpointer user_data)
{
  Script *s = user_data;
  guint8 b = take_u8 (s);

  return b == 255 ? G_MAXUINT : lo + b % (hi - lo + 2);
}

static void
check_events (GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      const HbMemberEvent *e = g_ptr_array_index (events, i);

      require (strcmp (hb_member_event_type_to_string (e->type), "invalid") != 0);
      require (strcmp (hb_member_severity_to_string (e->severity), "invalid") != 0);
      require (e->node != NULL && e->message != NULL && e->message[0] != '\0');
      require (e->node_type != HB_MEMBER_NODE_UNKNOWN);
    }
  g_ptr_array_set_size (events, 0);
}

static void
script_packet (Script *s, HbMembership *m, gint64 now, guint64 *seqs, GPtrArray *events)
{
  /* One statement per byte taken: initializers are not sequenced. */
  guint who = take_u8 (s) % G_N_ELEMENTS (senders);
  guint8 flags = take_u8 (s);
  guint8 seq_mode = take_u8 (s);
  HbMemberPacket pkt = { .from_node = senders[who] };
  HbMemberVerdict verdict;

  pkt.link = packet_links[take_u8 (s) % G_N_ELEMENTS (packet_links)];
  pkt.is_status = flags & 1;
  pkt.is_ns = (flags & 2) != 0;
  pkt.has_seq = (flags & 4) != 0;
  pkt.has_gen = (flags & 8) != 0;
  pkt.dest = (flags & 16) ? senders[take_u8 (s) % G_N_ELEMENTS (senders)] : NULL;
  pkt.status = (flags & 32) ? statuses[take_u8 (s) % G_N_ELEMENTS (statuses)] : NULL;
  pkt.dt_ms = dts[(flags >> 6) & 3];
  /* Mostly in order (so the tracker gets deep), sometimes anywhere. */
  seqs[who] = seq_mode < 200 ? seqs[who] + seq_mode % 8 : take_u64 (s);
  pkt.seq = seqs[who];
  pkt.gen = take_u8 (s) < 250 ? 5 + (seq_mode >> 6) : take_u64 (s);
  verdict = hb_membership_receive (m, now, &pkt, events);
  require (strcmp (hb_member_verdict_to_string (verdict), "invalid") != 0);
  require ((verdict == HB_MEMBER_DROP_UNKNOWN_NODE) == (who >= G_N_ELEMENTS (nodes)));
}

/* The documented contract: ticking at the returned instant makes progress. */
static void
script_tick_deadline (HbMembership *m, gint64 *now, GPtrArray *events)
{
  gint64 due = hb_membership_next_deadline_us (m);

  if (due == G_MAXINT64)
    {
      return;
    }
  *now = MAX (*now, due);
  hb_membership_tick (m, *now, events);
  require (*now == G_MAXINT64 || hb_membership_next_deadline_us (m) > *now);
}

static void
script_step (Script *s, HbMembership *m, gint64 *now, guint64 *seqs, GPtrArray *events)
{
  guint8 op = take_u8 (s);

  switch (op % 8)
    {
    case 0:
    case 1:
      script_packet (s, m, *now, seqs, events);
      break;
    case 2:
      /* Small steps mostly; sometimes anywhere, backwards included. */
      if (op < 128)
        {
          gint64 step = (gint64) take_u8 (s) * 100 * G_TIME_SPAN_MILLISECOND;

          *now = *now > G_MAXINT64 - step ? G_MAXINT64 : *now + step;
        }
      else
        {
          *now = (gint64) take_u64 (s);
        }
      break;
    case 3:
      hb_membership_tick (m, *now, events);
      break;
    case 4:
      script_tick_deadline (m, now, events);
      break;
    case 5:
      hb_membership_set_local_status (m, *now, local_statuses[take_u8 (s) % 4], events);
      hb_membership_local_heartbeat (m, *now);
      break;
    case 6:
      hb_membership_node_left (m, *now, senders[take_u8 (s) % G_N_ELEMENTS (senders)], events);
      break;
    default:
      {
        guint who = take_u8 (s) % G_N_ELEMENTS (senders);

        hb_membership_rexmit_nak (m, senders[who], seqs[who] - take_u8 (s) % 8);
      }
      break;
    }
  check_events (events);
}

static void
fuzz_membership (const guint8 *data, gsize size)
{
  Script s = { data, size, 0 };
  HbMembershipParams p = {
    .local_node = "node1",
    .local_generation = 7,
    .nodes = nodes,
    .n_nodes = G_N_ELEMENTS (nodes),
    .links = links,
    .keepalive_ms = 1000,
    .deadtime_ms = 10000,
    .warntime_ms = 5000,
    .initdead_ms = 30000,
    .deadping_ms = 20000,
    .max_rexmit_delay_ms = 250,
    .random = script_random,
    .random_data = &s,
  };
  g_autoptr (GPtrArray) events = hb_member_events_new ();
  g_autoptr (HbMembership) m = NULL;
  guint64 seqs[G_N_ELEMENTS (senders)] = { 0 };
  gint64 now = (gint64) take_u64 (&s);

  m = hb_membership_new (&p, now, NULL);
  require (m != NULL);
  for (guint steps = 0; s.pos < s.len && steps < 4096; steps++)
    {
      script_step (&s, m, &now, seqs, events);
    }
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      require (hb_membership_node_status (m, nodes[i].name) != NULL);
    }
  g_strfreev (hb_membership_list_nodes (m));
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  if (size == 0)
    {
      return 0;
    }
  if (data[0] % 2 == 0)
    {
      fuzz_api (data + 1, size - 1);
    }
  else
    {
      fuzz_membership (data + 1, size - 1);
    }
  return 0;
}
