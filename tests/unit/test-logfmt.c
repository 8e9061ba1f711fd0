/* Unit tests for lib/logfmt (docs/PROTOCOL.md, "Log format"). */
#include "logfmt.h"

#include <syslog.h>

static GDateTime *
sample_time (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new (utc, 2015, 6, 16, 1, 48, 13);
}

typedef struct
{
  HbLogPrio prio;
  const char *word;
} PrioCase;

static const PrioCase prio_cases[] = {
  { HB_LOG_EMERG, "EMERG" }, { HB_LOG_ALERT, "ALERT" },   { HB_LOG_CRIT, "CRIT" },
  { HB_LOG_ERR, "ERROR" },   { HB_LOG_WARNING, "WARN" }, { HB_LOG_NOTICE, "notice" },
  { HB_LOG_INFO, "info" },   { HB_LOG_DEBUG, "debug" },  { (HbLogPrio) 8, NULL },
  { (HbLogPrio) -1, NULL },
};

static void
test_prio (gconstpointer data)
{
  const PrioCase *c = data;

  g_assert_cmpstr (hb_logfmt_prio_word (c->prio), ==, c->word);
}

static void
test_prio_is_syslog (void)
{
  /* The enum is passed straight to syslog(3). */
  g_assert_cmpint (HB_LOG_EMERG, ==, LOG_EMERG);
  g_assert_cmpint (HB_LOG_ERR, ==, LOG_ERR);
  g_assert_cmpint (HB_LOG_WARNING, ==, LOG_WARNING);
  g_assert_cmpint (HB_LOG_DEBUG, ==, LOG_DEBUG);
}

typedef struct
{
  HbLogPrio prio;
  gboolean syslogmsgfmt;
  const char *message;
  const char *expected;
} LineCase;

static const LineCase line_cases[] = {
  { HB_LOG_INFO, FALSE, "Received shutdown notice from 'ld_192_168_3_87'.",
    "heartbeat[10414]: 2015/06/16_01:48:13 info: Received shutdown notice from 'ld_192_168_3_87'.\n" },
  { HB_LOG_WARNING, FALSE, "node ld_192_168_3_87: is dead",
    "heartbeat[10414]: 2015/06/16_01:48:13 WARN: node ld_192_168_3_87: is dead\n" },
  { HB_LOG_CRIT, FALSE, "Late heartbeat: Node x: interval 3000 ms (> deadtime)",
    "heartbeat[10414]: 2015/06/16_01:48:13 CRIT: Late heartbeat: Node x: interval 3000 ms (> deadtime)\n" },
  { HB_LOG_INFO, TRUE, "Link node2:eth0 up.",
    "Jun 16 01:48:13 node1 heartbeat: [10414]: info: Link node2:eth0 up.\n" },
  { HB_LOG_ERR, TRUE, "", "Jun 16 01:48:13 node1 heartbeat: [10414]: ERROR: \n" },
  { (HbLogPrio) 42, FALSE, "x", "heartbeat[10414]: 2015/06/16_01:48:13 info: x\n" },
  /* Peer-chosen text (a node name, a status, a rexmit requester) must not
   * start a forged line of its own: control bytes are shown escaped. */
  { HB_LOG_WARNING, FALSE,
    "node [x\nheartbeat[1]: 2015/06/16_01:48:13 CRIT: node y: is dead] failed authentication",
    "heartbeat[10414]: 2015/06/16_01:48:13 WARN: node [x\\nheartbeat[1]: 2015/06/16_01:48:13 "
    "CRIT: node y: is dead] failed authentication\n" },
  { HB_LOG_INFO, TRUE, "Status update for node n2: status a\r\x1b[2J\x7f\tb",
    "Jun 16 01:48:13 node1 heartbeat: [10414]: info: Status update for node n2: status "
    "a\\r\\x1b[2J\\x7f\\tb\n" },
  /* Bytes above 0x7f (UTF-8 file names) and backslashes pass unchanged. */
  { HB_LOG_INFO, FALSE, "r\xc3\xa9sum\xc3\xa9 C:\\tmp",
    "heartbeat[10414]: 2015/06/16_01:48:13 info: r\xc3\xa9sum\xc3\xa9 C:\\tmp\n" },
};

static void
test_line (gconstpointer data)
{
  const LineCase *c = data;
  g_autoptr (GDateTime) when = sample_time ();
  g_autofree char *line
      = hb_logfmt_file_line ("heartbeat", 10414, when, c->prio, c->syslogmsgfmt, "node1", c->message);

  g_assert_cmpstr (line, ==, c->expected);
}

static void
test_syslog_day_padding (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) when = g_date_time_new (utc, 2026, 1, 5, 9, 3, 7);
  g_autofree char *line = hb_logfmt_file_line ("heartbeat", 1, when, HB_LOG_NOTICE, TRUE, NULL, "m");

  g_assert_cmpstr (line, ==, "Jan  5 09:03:07 localhost heartbeat: [1]: notice: m\n");
}

static void
test_long_message (void)
{
  g_autoptr (GDateTime) when = sample_time ();
  g_autofree char *big = g_strnfill (100000, 'x');
  g_autofree char *line = hb_logfmt_file_line ("heartbeat", 1, when, HB_LOG_INFO, FALSE, NULL, big);

  g_assert_true (g_str_has_suffix (line, "xxx\n"));
  g_assert_cmpuint (strlen (line), ==, strlen ("heartbeat[1]: 2015/06/16_01:48:13 info: \n") + 100000);
}

static void
test_syslog_text (void)
{
  g_autofree char *text = hb_logfmt_syslog_text (77, HB_LOG_WARNING, "node a: is dead");

  g_assert_cmpstr (text, ==, "[77]: WARN: node a: is dead");
}

/* syslog(3) does not escape either: a newline would split the record. */
static void
test_syslog_text_escaped (void)
{
  g_autofree char *text = hb_logfmt_syslog_text (77, HB_LOG_WARNING, "node a\nb: is dead");

  g_assert_cmpstr (text, ==, "[77]: WARN: node a\\nb: is dead");
}

typedef struct
{
  const char *name;
  gboolean ok;
  int value;
} FacilityCase;

static const FacilityCase facility_cases[] = {
  { "local0", TRUE, LOG_LOCAL0 }, { "LOCAL7", TRUE, LOG_LOCAL7 }, { "daemon", TRUE, LOG_DAEMON },
  { "authpriv", TRUE, LOG_AUTHPRIV }, { "none", FALSE, 0 },    { "local8", FALSE, 0 },
  { "", FALSE, 0 },               { NULL, FALSE, 0 },
};

static void
test_facility (gconstpointer data)
{
  const FacilityCase *c = data;
  int value = -1;

  g_assert_cmpint (hb_logfmt_facility (c->name, &value), ==, c->ok);
  g_assert_cmpint (value, ==, c->ok ? c->value : -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (prio_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/logfmt/prio/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (name, &prio_cases[i], test_prio);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/logfmt/line/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (name, &line_cases[i], test_line);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (facility_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/logfmt/facility/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (name, &facility_cases[i], test_facility);
    }
  g_test_add_func ("/logfmt/prio-is-syslog", test_prio_is_syslog);
  g_test_add_func ("/logfmt/syslog-day-padding", test_syslog_day_padding);
  g_test_add_func ("/logfmt/long-message", test_long_message);
  g_test_add_func ("/logfmt/syslog-text", test_syslog_text);
  g_test_add_func ("/logfmt/syslog-text-escaped", test_syslog_text_escaped);
  return g_test_run ();
}
