/* Tests for the API server, client and CLI tools together: a server with the
 * canned state of fake-hb-state.c runs on its own GMainContext in a thread,
 * on a socket in a temporary directory; the tools run in-process against it
 * with their output captured. Raw sockets probe the server's handling of bad
 * and hostile clients. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "api-cli.h"
#include "api-client.h"
#include "fake-hb-state.h"

/* ---- fixture: a server thread ------------------------------------------------------------ */

typedef struct
{
  char *rundir;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  HbApiServer *server;
  FakeHbState state;
} Fixture;

static gpointer
server_thread (gpointer data)
{
  Fixture *fx = data;

  g_main_context_push_thread_default (fx->context);
  g_main_loop_run (fx->loop);
  g_main_context_pop_thread_default (fx->context);
  return NULL;
}

static char *
make_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("systole-api-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes a temporary directory and the files directly in it. */
static void
remove_tmpdir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
start_server (Fixture *fx, const HbApiHandler *handler, guint idle_timeout_ms)
{
  g_autoptr (GError) error = NULL;

  fx->server = hb_api_server_new (fx->context, fx->rundir, handler, &fx->state, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->server);
  if (idle_timeout_ms > 0)
    {
      hb_api_server_set_idle_timeout_ms (fx->server, idle_timeout_ms);
    }
  fx->thread = g_thread_new ("api-server", server_thread, fx);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  (void) data;
  memset (fx, 0, sizeof *fx);
  fx->rundir = make_tmpdir ();
  fx->context = g_main_context_new ();
  fx->loop = g_main_loop_new (fx->context, FALSE);
}

static void
fixture_setup_running (Fixture *fx, gconstpointer data)
{
  fixture_setup (fx, data);
  start_server (fx, &fake_hb_handler, 0);
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Quitting from the loop's own context: a g_main_loop_quit before the
 * thread reached g_main_loop_run would be forgotten. */
static void
stop_server_thread (Fixture *fx)
{
  g_main_context_invoke (fx->context, quit_loop, fx->loop);
  g_thread_join (fx->thread);
  fx->thread = NULL;
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  (void) data;
  if (fx->thread != NULL)
    {
      stop_server_thread (fx);
    }
  g_clear_pointer (&fx->server, hb_api_server_free);
  g_main_loop_unref (fx->loop);
  g_main_context_unref (fx->context);
  remove_tmpdir (fx->rundir);
  g_free (fx->rundir);
}

/* ---- running a tool in-process -------------------------------------------------------------- */

typedef struct
{
  int rc;
  char *out;
  char *err;
} ToolResult;

static void
tool_result_clear (ToolResult *r)
{
  g_free (r->out);
  g_free (r->err);
}

typedef enum
{
  TOOL_CL_STATUS,
  TOOL_HB_STANDBY,
  TOOL_HB_TAKEOVER,
} Tool;

/* Runs TOOL --rundir=DIR [EXTRA] ARGS (space-separated). */
static ToolResult
run_tool (Tool tool, const char *rundir, const char *extra, const char *args)
{
  static const char *const names[] = { "cl_status", "hb_standby", "hb_takeover" };
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) words = g_strsplit (args, " ", -1);
  g_auto (GStrv) argv = NULL;
  g_autofree char *rundir_opt = g_strdup_printf ("--rundir=%s", rundir);
  ToolResult r = { 0 };
  size_t out_len = 0, err_len = 0;
  FILE *out = open_memstream (&r.out, &out_len);
  FILE *err = open_memstream (&r.err, &err_len);

  g_strv_builder_add_many (builder, names[tool], rundir_opt, NULL);
  if (extra != NULL)
    {
      g_strv_builder_add (builder, extra);
    }
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0')
        {
          g_strv_builder_add (builder, words[i]);
        }
    }
  argv = g_strv_builder_end (builder);
  if (tool == TOOL_CL_STATUS)
    {
      r.rc = hb_cl_status_main ((int) g_strv_length (argv), argv, NULL, out, err);
    }
  else
    {
      r.rc = hb_rsc_request_main (tool == TOOL_HB_STANDBY, (int) g_strv_length (argv), argv, NULL,
                                  out, err);
    }
  fclose (out);
  fclose (err);
  return r;
}

static void
assert_contains (const char *haystack, const char *needle, const char *what)
{
  if (needle != NULL && strstr (haystack, needle) == NULL)
    {
      g_error ("%s '%s' lacks '%s'", what, haystack, needle);
    }
}

/* ---- cl_status against the canned state ------------------------------------------------------ */

#define VERBOSE_NODES                                                                         \
  "\nnode1\tactive\t(nodetype: normal)\n\teth0\tup\n\teth1\tup\n"                             \
  "\nnode2\tdead\t(nodetype: normal)\n\teth0\tdead\n\teth1\tdead\n"                           \
  "\nnode3\tinit\t(nodetype: normal)\n\teth0\tdead\n"                                         \
  "\n192.0.2.254\tping\t(nodetype: ping)\n\t192.0.2.254\tup\n"
#define LINKS_HDR "\tthis node has the following heartbeat links:\n"
#define VERBOSE_NODES_HUMAN                                                                   \
  "The nodes are as follow:\n"                                                                \
  "\nnode1\tactive\t(nodetype: normal)\n" LINKS_HDR "\teth0\tup\n\teth1\tup\n"                \
  "\nnode2\tdead\t(nodetype: normal)\n" LINKS_HDR "\teth0\tdead\n\teth1\tdead\n"              \
  "\nnode3\tinit\t(nodetype: normal)\n" LINKS_HDR "\teth0\tdead\n"                            \
  "\n192.0.2.254\tping\t(nodetype: ping)\n" LINKS_HDR "\t192.0.2.254\tup\n"

typedef struct
{
  const char *args;
  const char *out;      /* exact stdout; NULL: not checked */
  int rc;
  const char *err_part; /* substring of stderr; NULL: stderr must be empty */
  const char *out_part; /* substring of stdout when `out` is NULL */
} ClCase;

static const ClCase cl_cases[] = {
  /* hbstatus */
  { "hbstatus", "Heartbeat is running on this machine.\n", 0 },
  { "hbstatus -m", "Heartbeat is running on this machine.\n", 0 },
  { "hbstatus -v", "version:\t" HB_VERSION "\nmanaged by:\t\"haresources\"\n" VERBOSE_NODES, 0 },
  { "hbstatus -mv",
    "Heartbeat version " HB_VERSION "\nResources controlled by \"haresources\"\n"
    VERBOSE_NODES_HUMAN, 0 },
  { "hbstatus -p", "", 11, "invalid option -- 'p'" },
  /* listnodes */
  { "listnodes", "node1\nnode2\nnode3\n192.0.2.254\n", 0 },
  { "listnodes -p", "192.0.2.254\n", 0 },
  { "listnodes -n", "node1\nnode2\nnode3\n", 0 },
  { "listnodes -p -n", "node1\nnode2\nnode3\n192.0.2.254\n", 0 },
  { "listnodes -pn", "node1\nnode2\nnode3\n192.0.2.254\n", 0 },
  { "listnodes -m", "The nodes are as follow:\nnode1\nnode2\nnode3\n192.0.2.254\n", 0 },
  { "listnodes -m -p", "The nodes are as follow:\n192.0.2.254\n", 0 },
  { "listnodes -v", VERBOSE_NODES, 0 },
  { "listnodes -x", "", 11, "invalid option -- 'x'" },
  { "listnodes node1", "", 11, "unexpected argument 'node1'" },
  /* nodestatus: 0 for active/up/ping, 1 otherwise, 11 for an unknown node */
  { "nodestatus node1", "active\n", 0 },
  { "nodestatus node2", "dead\n", 1 },
  { "nodestatus node3", "init\n", 1 },
  { "nodestatus 192.0.2.254", "ping\n", 0 },
  { "nodestatus -m node1", "The cluster node node1 is active\n", 0 },
  { "nodestatus node2 -m", "The cluster node node2 is dead\n", 1 },
  { "nodestatus -- node1", "active\n", 0 },
  { "nodestatus nosuch", "", 11, "unknown node 'nosuch'" },
  { "nodestatus", "", 11, "not enough arguments" },
  { "nodestatus node1 node2", "", 11, "unexpected argument 'node2'" },
  { "nodestatus -v node1", "", 11, "invalid option -- 'v'" },
  /* nodetype */
  { "nodetype node1", "normal\n", 0 },
  { "nodetype 192.0.2.254", "ping\n", 0 },
  { "nodetype -m node2", "The node node2's type: normal\n", 0 },
  { "nodetype -m 192.0.2.254", "The node 192.0.2.254's type: ping\n", 0 },
  { "nodetype nosuch", "", 11, "unknown node" },
  /* listhblinks */
  { "listhblinks node1", "\teth0\n\teth1\n", 0 },
  { "listhblinks -v node2", "\teth0\tdead\n\teth1\tdead\n", 0 },
  { "listhblinks -m node1", LINKS_HDR "\teth0\n\teth1\n", 0 },
  { "listhblinks -m -v 192.0.2.254", LINKS_HDR "\t192.0.2.254\tup\n", 0 },
  { "listhblinks nosuch", "", 13, "unknown node" },
  { "listhblinks", "", 11, "not enough arguments" },
  /* hblinkstatus: 0 up, 1 dead */
  { "hblinkstatus node1 eth0", "up\n", 0 },
  { "hblinkstatus node2 eth1", "dead\n", 1 },
  { "hblinkstatus -m node1 eth1", "The node node1's heartbeat link eth1 is up\n", 0 },
  { "hblinkstatus -m node3 eth0", "The node node3's heartbeat link eth0 is dead\n", 1 },
  { "hblinkstatus node1 eth9", "", 13, "node 'node1' has no link 'eth9'" },
  { "hblinkstatus nosuch eth0", "", 13, "unknown node 'nosuch'" },
  { "hblinkstatus node1", "", 11, "not enough arguments" },
  /* rscstatus */
  { "rscstatus", "local\n", 0 },
  { "rscstatus -m", "This node is holding local resources.\n", 0 },
  /* hbparameter: unknown parameter 1, missing name 11 */
  { "hbparameter -p deadtime", "30\n", 0 },
  { "hbparameter -pkeepalive", "2\n", 0 },
  { "hbparameter -m -p udpport", "Heartbeat parameter udpport's value: 694\n", 0 },
  { "hbparameter -mp auto_failback", "Heartbeat parameter auto_failback's value: on\n", 0 },
  { "hbparameter -p apiauth", "ipfail gid=haclient\n", 0 },
  { "hbparameter -p hbversion", HB_VERSION "\n", 0 },
  { "hbparameter -p nosuch", "", 1, "Cannot get parameter nosuch's value" },
  { "hbparameter", "", 11, "parameter name required" },
  { "hbparameter -p", "", 11, "option -p needs a value" },
  /* the command line itself */
  { "", NULL, 0, NULL, "Usage: cl_status" },
  { "-h", NULL, 0, NULL, "hbparameter [-m] -p <name>" },
  { "bogus", "", 11, "bogus: invalid sub-command." },
  { "clientstatus node1 ipfail", "", 11, "invalid sub-command" },
};

static void
test_cl_status (Fixture *fx, gconstpointer data)
{
  const ClCase *c = data;
  ToolResult r = run_tool (TOOL_CL_STATUS, fx->rundir, NULL, c->args);

  if (c->out != NULL)
    {
      g_assert_cmpstr (r.out, ==, c->out);
    }
  else
    {
      assert_contains (r.out, c->out_part, "stdout");
    }
  if (c->err_part == NULL)
    {
      g_assert_cmpstr (r.err, ==, "");
    }
  assert_contains (r.err, c->err_part, "stderr");
  g_assert_cmpint (r.rc, ==, c->rc);
  tool_result_clear (&r);
}

static void
test_cl_status_bad_common_options (Fixture *fx, gconstpointer data)
{
  static const char *const bad[] = { "--timeout=abc", "--timeout=0", "--bogus", "--rundir=" };

  (void) data;
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ToolResult r = run_tool (TOOL_CL_STATUS, fx->rundir, bad[i], "hbstatus");

      g_assert_cmpint (r.rc, ==, 11);
      assert_contains (r.err, "bad option", "stderr");
      g_assert_cmpstr (r.out, ==, "");
      tool_result_clear (&r);
    }
}

/* Many requests over one connection (hbstatus -v asks one per node) and
 * many tools in a row must leave no connection behind. */
static void
test_cl_status_repeated (Fixture *fx, gconstpointer data)
{
  (void) data;
  for (guint i = 0; i < 200; i++)
    {
      ToolResult r = run_tool (TOOL_CL_STATUS, fx->rundir, NULL, "hbstatus -v");

      g_assert_cmpint (r.rc, ==, 0);
      tool_result_clear (&r);
    }
}

/* ---- without a daemon ------------------------------------------------------------------- */

typedef struct
{
  const char *args;
  const char *out;
  int rc;
  const char *err_part;
} DownCase;

static const DownCase down_cases[] = {
  { "hbstatus", "Heartbeat is stopped on this machine.\n", 1, NULL },
  { "hbstatus -m", "Heartbeat is stopped on this machine.\n", 1, NULL },
  { "listnodes", "", 1, "Cannot signon with heartbeat" },
  { "nodestatus node1", "", 1, "Cannot signon with heartbeat" },
  { "rscstatus", "", 1, "REASON: cannot connect to" },
  { "hbparameter -p deadtime", "", 1, "Cannot signon with heartbeat" },
  /* usage errors are found before connecting */
  { "nodestatus", "", 11, "not enough arguments" },
};

static void
test_cl_status_down (Fixture *fx, gconstpointer data)
{
  const DownCase *c = data;
  ToolResult r = run_tool (TOOL_CL_STATUS, fx->rundir, NULL, c->args);

  g_assert_cmpstr (r.out, ==, c->out);
  if (c->err_part == NULL)
    {
      g_assert_cmpstr (r.err, ==, "");
    }
  assert_contains (r.err, c->err_part, "stderr");
  g_assert_cmpint (r.rc, ==, c->rc);
  tool_result_clear (&r);
}

/* A socket file nobody listens on (a crashed daemon) means stopped too. */
static void
test_cl_status_stale_socket (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = hb_api_socket_path (fx->rundir);
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr (GSocket) socket
      = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  ToolResult r;

  (void) data;
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  r = run_tool (TOOL_CL_STATUS, fx->rundir, NULL, "hbstatus -v");
  g_assert_cmpint (r.rc, ==, 1);
  assert_contains (r.out, "Heartbeat is stopped on this machine.\n(cannot connect", "stdout");
  tool_result_clear (&r);
}

/* ---- a daemon that never answers: exit 12 ------------------------------------------------------ */

static GSocket *
listen_mute (const char *rundir)
{
  g_autofree char *path = hb_api_socket_path (rundir);
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  GSocket *socket
      = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  g_assert_true (g_socket_listen (socket, NULL));
  return socket;
}

static const char *const timeout_args[] = {
  "hbstatus", "listnodes -v", "nodestatus node1", "hbparameter -p deadtime", "rscstatus",
};

static void
test_cl_status_timeout (Fixture *fx, gconstpointer data)
{
  const char *args = data;
  g_autoptr (GSocket) mute = listen_mute (fx->rundir);
  gint64 start = g_get_monotonic_time ();
  ToolResult r = run_tool (TOOL_CL_STATUS, fx->rundir, "--timeout=200", args);
  gint64 elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_cmpint (r.rc, ==, 12);
  g_assert_cmpstr (r.out, ==, "");
  assert_contains (r.err, "timed out after 200 ms", "stderr");
  /* Generous bound: an order of magnitude above the deadline. */
  g_assert_cmpint (elapsed_ms, >=, 150);
  g_assert_cmpint (elapsed_ms, <, 2000);
  tool_result_clear (&r);
}

static void
test_rsc_request_timeout (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSocket) mute = listen_mute (fx->rundir);
  ToolResult r = run_tool (TOOL_HB_STANDBY, fx->rundir, "--timeout=100", "");

  (void) data;
  g_assert_cmpint (r.rc, ==, 1);
  assert_contains (r.err, "heartbeat did not answer", "stderr");
  tool_result_clear (&r);
}

/* ---- hb_standby / hb_takeover -------------------------------------------------------------- */

typedef struct
{
  Tool tool;
  const char *args;
  const char *out;
  int rc;
  const char *err_part;
  int hold; /* expected last hold, -1: no request expected */
} RscCase;

static const RscCase rsc_cases[] = {
  { TOOL_HB_STANDBY, "", "Going standby [all].\n", 0, NULL, HB_API_HOLD_ALL },
  { TOOL_HB_STANDBY, "all", "Going standby [all].\n", 0, NULL, HB_API_HOLD_ALL },
  { TOOL_HB_STANDBY, "local", "Going standby [local].\n", 0, NULL, HB_API_HOLD_LOCAL },
  { TOOL_HB_STANDBY, "foreign", "Going standby [foreign].\n", 0, NULL, HB_API_HOLD_FOREIGN },
  { TOOL_HB_STANDBY, "failback", "Going standby [foreign].\n", 0, NULL, HB_API_HOLD_FOREIGN },
  { TOOL_HB_STANDBY, "-- local", "Going standby [local].\n", 0, NULL, HB_API_HOLD_LOCAL },
  { TOOL_HB_STANDBY, "both", "", 1, "usage: hb_standby", -1 },
  { TOOL_HB_STANDBY, "ALL", "", 1, "usage: hb_standby", -1 },
  { TOOL_HB_STANDBY, "all local", "", 1, "usage: hb_standby", -1 },
  { TOOL_HB_STANDBY, "-v", "", 1, "usage: hb_standby", -1 },
  { TOOL_HB_TAKEOVER, "", "Takeover requested [all].\n", 0, NULL, HB_API_HOLD_ALL },
  { TOOL_HB_TAKEOVER, "foreign", "Takeover requested [foreign].\n", 0, NULL, HB_API_HOLD_FOREIGN },
  { TOOL_HB_TAKEOVER, "failback", "Takeover requested [failback].\n", 0, NULL,
    HB_API_HOLD_FAILBACK },
  { TOOL_HB_TAKEOVER, "nothing", "", 1, "usage: hb_takeover", -1 },
};

static void
test_rsc_request (Fixture *fx, gconstpointer data)
{
  const RscCase *c = data;
  ToolResult r = run_tool (c->tool, fx->rundir, NULL, c->args);
  guint n = c->tool == TOOL_HB_STANDBY ? fx->state.n_standby : fx->state.n_takeover;

  g_assert_cmpstr (r.out, ==, c->out);
  if (c->err_part == NULL)
    {
      g_assert_cmpstr (r.err, ==, "");
    }
  assert_contains (r.err, c->err_part, "stderr");
  g_assert_cmpint (r.rc, ==, c->rc);
  g_assert_cmpuint (n, ==, c->hold >= 0 ? 1 : 0);
  if (c->hold >= 0)
    {
      g_assert_cmpint (fx->state.last_hold, ==, c->hold);
    }
  tool_result_clear (&r);
}

static void
test_rsc_request_refused_by_daemon (Fixture *fx, gconstpointer data)
{
  ToolResult r;

  (void) data;
  fx->state.refuse_rsc_requests = TRUE;
  start_server (fx, &fake_hb_handler, 0);
  r = run_tool (TOOL_HB_STANDBY, fx->rundir, NULL, "foreign");
  g_assert_cmpint (r.rc, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  assert_contains (r.err, "hb_standby: Standby mode only implemented when nice_failback on",
                   "stderr");
  g_assert_cmpint (fx->state.last_hold, ==, HB_API_HOLD_FOREIGN);
  tool_result_clear (&r);
}

static void
test_rsc_request_down (Fixture *fx, gconstpointer data)
{
  ToolResult r = run_tool (GPOINTER_TO_INT (data), fx->rundir, NULL, "");

  g_assert_cmpint (r.rc, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  assert_contains (r.err, "heartbeat is not running", "stderr");
  tool_result_clear (&r);
}

/* ---- raw clients: what the server does with bad input --------------------------------------------- */

static GSocket *
raw_connect (const char *rundir)
{
  g_autofree char *path = hb_api_socket_path (rundir);
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr (GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_DEFAULT, &error);

  g_assert_no_error (error);
  g_socket_set_timeout (socket, 10);
  /* A full listen backlog fails a UNIX connect with EAGAIN instead of
   * waiting; the server thread drains it quickly. */
  for (guint tries = 0; !g_socket_connect (socket, address, NULL, &error) && tries < 500; tries++)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      g_usleep (2000);
    }
  g_assert_no_error (error);
  return socket;
}

static void
raw_send (GSocket *socket, const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  while (len > 0)
    {
      gssize sent = g_socket_send (socket, data, len, NULL, &error);

      g_assert_no_error (error);
      data += sent;
      len -= (gsize) sent;
    }
}

static guint
count_terminal_lines (const char *text)
{
  guint n = 0;

  for (const char *line = text; *line != '\0';)
    {
      const char *nl = strchr (line, '\n');

      if (nl == NULL)
        {
          break;
        }
      if (g_str_has_prefix (line, "OK\n") || g_str_has_prefix (line, "ERR "))
        {
          n++;
        }
      line = nl + 1;
    }
  return n;
}

/* Reads until `n_responses` responses are complete or the peer closes;
 * *eof tells which. */
static char *
raw_read (GSocket *socket, guint n_responses, gboolean *eof)
{
  GString *text = g_string_new (NULL);

  *eof = FALSE;
  while (count_terminal_lines (text->str) < n_responses)
    {
      char buf[4096];
      g_autoptr (GError) error = NULL;
      gssize got = g_socket_receive (socket, buf, sizeof buf, NULL, &error);

      /* A peer that closes with our unread bytes in its queue resets the
       * connection: for us that is the end, as EOF. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        {
          got = 0;
          g_clear_error (&error);
        }
      g_assert_no_error (error);
      if (got == 0)
        {
          *eof = TRUE;
          break;
        }
      g_string_append_len (text, buf, got);
    }
  return g_string_free (text, FALSE);
}

static void
assert_eof (GSocket *socket)
{
  gboolean eof;
  g_autofree char *rest = raw_read (socket, G_MAXUINT, &eof);

  g_assert_true (eof);
  g_assert_cmpstr (rest, ==, "");
}

typedef struct
{
  const char *input;
  gsize len; /* 0: strlen */
  const char *reply;
} RawCase;

static const RawCase raw_cases[] = {
  { "hello\n", 0, "ERR bad-request unknown%20request%20'hello'\n" },
  { "\n", 0, "ERR bad-request unknown%20request%20''\n" },
  { "status status\n", 0, "ERR bad-request request%20'status'%20takes%200%20argument(s)\n" },
  { "node-status\n", 0, "ERR bad-request request%20'node-status'%20takes%201%20argument(s)\n" },
  { "node-status a\0b\n", 16, "ERR bad-request line%20contains%20a%20NUL%20or%20LF%20byte\n" },
  { "node-status %zz\n", 0, "ERR bad-request argument%201:%20bad%20escape%20sequence%20at%20byte%201\n" },
  { "node-status nosuch\n", 0, "ERR unknown-node unknown%20node%20'nosuch'\n" },
  { "link-status node1 eth7\n", 0, "ERR unknown-link node%20'node1'%20has%20no%20link%20'eth7'\n" },
  { "parameter nosuch\n", 0, "ERR unknown-parameter unknown%20parameter%20'nosuch'\n" },
  { "standby both\n", 0,
    "ERR bad-request 'both'%20is%20not%20one%20of%20all,%20local,%20foreign,%20failback\n" },
  { "\xff\xfe\n", 0, "ERR bad-request unknown%20request%20'\xff\xfe'\n" },
  { "status\r\n", 0, "DATA version " HB_VERSION "\nDATA managed-by haresources\nOK\n" },
  { "nodes\n", 0,
    "DATA node1 normal active\nDATA node2 normal dead\nDATA node3 normal init\n"
    "DATA 192.0.2.254 ping ping\nOK\n" },
  { "links node1\n", 0, "DATA eth0 up\nDATA eth1 up\nOK\n" },
  { "parameter apiauth\n", 0, "DATA ipfail%20gid=haclient\nOK\n" },
};

/* Each bad line gets its error and the connection stays usable. */
static void
test_raw_request (Fixture *fx, gconstpointer data)
{
  const RawCase *c = data;
  g_autoptr (GSocket) socket = raw_connect (fx->rundir);
  gboolean eof;
  g_autofree char *reply = NULL;
  g_autofree char *after = NULL;

  raw_send (socket, c->input, c->len != 0 ? c->len : strlen (c->input));
  reply = raw_read (socket, 1, &eof);
  g_assert_false (eof);
  g_assert_cmpstr (reply, ==, c->reply);
  raw_send (socket, "rsc-status\n", 11);
  after = raw_read (socket, 1, &eof);
  g_assert_cmpstr (after, ==, "DATA local\nOK\n");
}

/* A line over the limit is answered and the connection closed, whether or
 * not its end has arrived. */
static void
test_raw_oversized (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSocket) socket = raw_connect (fx->rundir);
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  gboolean eof;
  g_autofree char *reply = NULL;

  (void) data;
  /* The server stops reading after the limit: send only what fits in the
   * socket buffers, without a newline. */
  raw_send (socket, big, 8 * 1024);
  reply = raw_read (socket, 1, &eof);
  g_assert_cmpstr (reply, ==, "ERR bad-request request%20line%20too%20long\n");
  assert_eof (socket);
}

static void
test_raw_over_limit_with_newline (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSocket) socket = raw_connect (fx->rundir);
  g_autofree char *line = g_strnfill (HB_API_MAX_LINE + 1, 'x');
  gboolean eof;
  g_autofree char *reply = NULL;

  (void) data;
  line[HB_API_MAX_LINE] = '\n'; /* HB_API_MAX_LINE bytes + LF: the largest legal line */
  memcpy (line, "nodes ", 6);
  raw_send (socket, line, HB_API_MAX_LINE + 1);
  reply = raw_read (socket, 1, &eof);
  g_assert_true (g_str_has_prefix (reply, "ERR bad-request request%20'nodes'%20takes%200"));
}

static void
test_raw_pipelined (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSocket) socket = raw_connect (fx->rundir);
  const char *requests = "rsc-status\nnode-status node2\nbogus\nnode-type 192.0.2.254\n";
  gboolean eof;
  g_autofree char *reply = NULL;

  (void) data;
  raw_send (socket, requests, strlen (requests));
  reply = raw_read (socket, 4, &eof);
  g_assert_cmpstr (reply, ==,
                   "DATA local\nOK\nDATA dead\nOK\nERR bad-request unknown%20request%20'bogus'\n"
                   "DATA ping\nOK\n");
}

/* A client that sends many requests before reading anything: the server
 * must not buffer without bound, nor lose or reorder answers. */
static void
test_raw_backpressure (Fixture *fx, gconstpointer data)
{
  const guint n = 3000; /* ~200 KB of answers, more than a socket buffer */
  g_autoptr (GSocket) socket = raw_connect (fx->rundir);
  g_autoptr (GString) requests = g_string_new (NULL);
  gboolean eof;
  g_autofree char *reply = NULL;
  g_autofree char *expected_one = NULL;

  (void) data;
  for (guint i = 0; i < n; i++)
    {
      g_string_append (requests, "nodes\n");
    }
  raw_send (socket, requests->str, requests->len);
  reply = raw_read (socket, n, &eof);
  g_assert_false (eof);
  g_assert_cmpuint (count_terminal_lines (reply), ==, n);
  expected_one = g_strdup ("DATA node1 normal active\nDATA node2 normal dead\n"
                           "DATA node3 normal init\nDATA 192.0.2.254 ping ping\nOK\n");
  g_assert_cmpuint (strlen (reply), ==, n * strlen (expected_one));
  g_assert_true (g_str_has_suffix (reply, expected_one));
}

/* A client gone before its answer must not hurt the server. */
static void
test_raw_disconnect_early (Fixture *fx, gconstpointer data)
{
  (void) data;
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (GSocket) socket = raw_connect (fx->rundir);
      g_autoptr (GString) requests = g_string_new (NULL);

      for (guint j = 0; j < 100; j++)
        {
          g_string_append (requests, "nodes\n");
        }
      raw_send (socket, requests->str, i % 2 == 0 ? requests->len : 3);
      g_socket_close (socket, NULL);
    }
  {
    ToolResult r = run_tool (TOOL_CL_STATUS, fx->rundir, NULL, "nodestatus node1");

    g_assert_cmpint (r.rc, ==, 0);
    tool_result_clear (&r);
  }
}

static void
test_raw_idle_timeout (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSocket) silent = NULL;
  g_autoptr (GSocket) partial = NULL;
  g_autoptr (GSocket) answered = NULL;
  gboolean eof;
  g_autofree char *reply = NULL;
  gint64 start;

  (void) data;
  start_server (fx, &fake_hb_handler, 200);
  start = g_get_monotonic_time ();
  silent = raw_connect (fx->rundir);
  partial = raw_connect (fx->rundir);
  raw_send (partial, "node-sta", 8);
  answered = raw_connect (fx->rundir);
  raw_send (answered, "rsc-status\n", 11);
  reply = raw_read (answered, 1, &eof);
  g_assert_cmpstr (reply, ==, "DATA local\nOK\n");
  assert_eof (silent);
  assert_eof (partial);
  assert_eof (answered); /* idle again after its answer */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 5000);
}

static void
test_raw_many_clients (Fixture *fx, gconstpointer data)
{
  GSocket *sockets[HB_API_SERVER_MAX_CLIENTS];
  g_autoptr (GSocket) extra = NULL;
  gboolean eof;
  g_autofree char *reply = NULL;

  (void) data;
  /* All connected at once, then all served. */
  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      sockets[i] = raw_connect (fx->rundir);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      g_autofree char *answer = NULL;

      raw_send (sockets[i], "node-status node1\n", 18);
      answer = raw_read (sockets[i], 1, &eof);
      g_assert_cmpstr (answer, ==, "DATA active\nOK\n");
    }
  /* One more than the limit is turned away with a reason. */
  extra = raw_connect (fx->rundir);
  reply = raw_read (extra, 1, &eof);
  g_assert_cmpstr (reply, ==, "ERR busy too%20many%20clients\n");
  assert_eof (extra);
  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      g_object_unref (sockets[i]);
    }
}

/* ---- the server's socket file and startup rules ---------------------------------------------- */

static void
test_socket_file (Fixture *fx, gconstpointer data)
{
  GStatBuf st;
  g_autofree char *path = hb_api_socket_path (fx->rundir);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiServer) second = NULL;

  (void) data;
  start_server (fx, &fake_hb_handler, 0);
  g_assert_cmpstr (hb_api_server_get_path (fx->server), ==, path);
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISSOCK (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  /* A second daemon on the same directory is refused, the first untouched. */
  second = hb_api_server_new (NULL, fx->rundir, &fake_hb_handler, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  {
    ToolResult r = run_tool (TOOL_CL_STATUS, fx->rundir, NULL, "hbstatus");

    g_assert_cmpint (r.rc, ==, 0);
    tool_result_clear (&r);
  }
  /* Shutdown removes the file. */
  stop_server_thread (fx);
  g_clear_pointer (&fx->server, hb_api_server_free);
  g_assert_cmpint (g_lstat (path, &st), !=, 0);
}

static void
test_socket_stale_replaced (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = hb_api_socket_path (fx->rundir);
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr (GSocket) stale
      = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  ToolResult r;

  (void) data;
  g_assert_true (g_socket_bind (stale, address, FALSE, NULL));
  g_socket_close (stale, NULL); /* the file stays, nobody listens */
  start_server (fx, &fake_hb_handler, 0);
  r = run_tool (TOOL_CL_STATUS, fx->rundir, NULL, "nodestatus node1");
  g_assert_cmpint (r.rc, ==, 0);
  tool_result_clear (&r);
}

static void
test_socket_not_a_socket (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = hb_api_socket_path (fx->rundir);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiServer) server = NULL;
  g_autofree char *contents = NULL;

  (void) data;
  g_assert_true (g_file_set_contents (path, "precious", -1, NULL));
  server = hb_api_server_new (NULL, fx->rundir, &fake_hb_handler, NULL, &error);
  g_assert_null (server);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  assert_contains (error->message, "is not a socket", "error");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
}

static void
test_socket_creates_rundir (Fixture *fx, gconstpointer data)
{
  g_autofree char *nested = g_build_filename (fx->rundir, "sub", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiServer) server = NULL;
  GStatBuf st;

  (void) data;
  server = hb_api_server_new (NULL, nested, &fake_hb_handler, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (nested, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0750);
  g_clear_pointer (&server, hb_api_server_free);
  g_rmdir (nested);
}

static void
test_socket_bad_rundir (Fixture *fx, gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->rundir, "file", NULL);
  g_autofree char *below = g_build_filename (file, "dir", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiServer) server = NULL;

  (void) data;
  g_assert_true (g_file_set_contents (file, "", -1, NULL));
  server = hb_api_server_new (NULL, below, &fake_hb_handler, NULL, &error);
  g_assert_null (server);
  g_assert_nonnull (error);
  assert_contains (error->message, "cannot create runtime directory", "error");
}

/* ---- a daemon that implements only part of the handler ------------------------------------------ */

static char *
long_parameter (const char *name, gpointer user_data)
{
  (void) user_data;
  return strcmp (name, "long") == 0 ? g_strnfill (HB_API_MAX_LINE, 'z') : NULL;
}

static const HbApiHandler sparse_handler = { .parameter = long_parameter };

static void
test_sparse_handler (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSocket) socket = NULL;
  const char *requests = "nodes\nnode-status node1\nlinks node1\nlink-status a b\nrsc-status\n"
                         "standby all\ntakeover local\nparameter hbversion\nparameter long\n"
                         "status\n";
  gboolean eof;
  g_autofree char *reply = NULL;

  (void) data;
  start_server (fx, &sparse_handler, 0);
  socket = raw_connect (fx->rundir);
  raw_send (socket, requests, strlen (requests));
  reply = raw_read (socket, 10, &eof);
  g_assert_cmpstr (reply, ==,
                   "ERR failed not%20supported%20by%20this%20daemon\n"
                   "ERR failed not%20supported%20by%20this%20daemon\n"
                   "ERR failed not%20supported%20by%20this%20daemon\n"
                   "ERR failed not%20supported%20by%20this%20daemon\n"
                   "ERR failed not%20supported%20by%20this%20daemon\n"
                   "ERR failed not%20supported%20by%20this%20daemon\n"
                   "ERR failed not%20supported%20by%20this%20daemon\n"
                   "DATA " HB_VERSION "\nOK\n"
                   "ERR internal response%20row%20longer%20than%201024%20bytes\n"
                   "DATA version " HB_VERSION "\nDATA managed-by haresources\nOK\n");
}

/* ---- the client ------------------------------------------------------------------------ */

static void
test_client_call_value_shape (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiClient) client = hb_api_client_connect (fx->rundir, 5000, &error);
  g_autofree char *value = NULL;
  g_autoptr (HbApiResponse) response = NULL;
  const char *args[] = { "node1", NULL };

  (void) data;
  g_assert_no_error (error);
  /* "nodes" has four rows: not a single value. */
  value = hb_api_client_call_value (client, HB_API_REQ_NODES, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_PROTOCOL);
  g_clear_error (&error);
  /* The connection is still in step afterwards. */
  value = hb_api_client_call_value (client, HB_API_REQ_NODE_STATUS, args, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "active");
  response = hb_api_client_call (client, HB_API_REQ_LINKS, args, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->rows->len, ==, 2);
}

static void
test_client_not_running (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiClient) client = hb_api_client_connect (fx->rundir, 1000, &error);
  g_autofree char *missing = g_build_filename (fx->rundir, "missing", NULL);

  (void) data;
  g_assert_null (client);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_NOT_RUNNING);
  g_clear_error (&error);
  client = hb_api_client_connect (missing, 1000, &error);
  g_assert_null (client);
  g_assert_error (error, HB_API_ERROR, HB_API_ERROR_NOT_RUNNING);
}

/* ---- the access rule -------------------------------------------------------------------- */

typedef struct
{
  uid_t peer;
  uid_t own;
  gboolean allowed;
} CredCase;

static const CredCase cred_cases[] = {
  { 0, 0, TRUE },        /* root talking to the root daemon */
  { 1000, 0, FALSE },    /* a user talking to the root daemon */
  { 65534, 0, FALSE },   /* nobody */
  { 1000, 1000, TRUE },  /* a test server run by that user */
  { 0, 1000, TRUE },     /* root may always talk */
  { 1001, 1000, FALSE }, /* another user of a user's server */
};

static void
test_credentials (gconstpointer data)
{
  const CredCase *c = data;
  g_autoptr (GCredentials) credentials = g_credentials_new ();
  g_autoptr (GError) error = NULL;
  gboolean allowed;

  g_assert_true (g_credentials_set_unix_user (credentials, c->peer, &error));
  g_assert_no_error (error);
  allowed = hb_api_server_check_credentials (credentials, c->own, &error);
  g_assert_cmpint (allowed, ==, c->allowed);
  if (!c->allowed)
    {
      g_autofree char *uid_text = g_strdup_printf ("uid %u", (guint) c->peer);

      g_assert_error (error, HB_API_ERROR, HB_API_ERROR_REFUSED);
      assert_contains (error->message, uid_text, "error");
    }
  else
    {
      g_assert_no_error (error);
    }
}

/* ---- registration -------------------------------------------------------------------------- */

typedef void (*FixtureFunc) (Fixture *, gconstpointer);

static void
add_fixture (const char *name, gconstpointer data, gboolean running, FixtureFunc func)
{
  g_test_add (name, Fixture, data, running ? fixture_setup_running : fixture_setup, func,
              fixture_teardown);
}

static void
add_table (const char *prefix, gconstpointer table, gsize n, gsize size, gboolean running,
           FixtureFunc func)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%" G_GSIZE_FORMAT, prefix, i);

      add_fixture (name, (const char *) table + i * size, running, func);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_table ("/api/cl_status/running", cl_cases, G_N_ELEMENTS (cl_cases), sizeof cl_cases[0], TRUE,
             test_cl_status);
  add_fixture ("/api/cl_status/bad-common-options", NULL, TRUE, test_cl_status_bad_common_options);
  add_fixture ("/api/cl_status/repeated", NULL, TRUE, test_cl_status_repeated);
  add_table ("/api/cl_status/down", down_cases, G_N_ELEMENTS (down_cases), sizeof down_cases[0],
             FALSE, test_cl_status_down);
  add_fixture ("/api/cl_status/stale-socket", NULL, FALSE, test_cl_status_stale_socket);
  for (gsize i = 0; i < G_N_ELEMENTS (timeout_args); i++)
    {
      g_autofree char *name = g_strdup_printf ("/api/cl_status/timeout/%" G_GSIZE_FORMAT, i);
      add_fixture (name, timeout_args[i], FALSE, test_cl_status_timeout);
    }
  add_table ("/api/rsc-request", rsc_cases, G_N_ELEMENTS (rsc_cases), sizeof rsc_cases[0], TRUE,
             test_rsc_request);
  add_fixture ("/api/rsc-request/refused-by-daemon", NULL, FALSE,
               test_rsc_request_refused_by_daemon);
  add_fixture ("/api/rsc-request/down/standby", GINT_TO_POINTER (TOOL_HB_STANDBY), FALSE,
               test_rsc_request_down);
  add_fixture ("/api/rsc-request/down/takeover", GINT_TO_POINTER (TOOL_HB_TAKEOVER), FALSE,
               test_rsc_request_down);
  add_fixture ("/api/rsc-request/timeout", NULL, FALSE, test_rsc_request_timeout);
  add_table ("/api/server/raw", raw_cases, G_N_ELEMENTS (raw_cases), sizeof raw_cases[0], TRUE,
             test_raw_request);
  add_fixture ("/api/server/oversized", NULL, TRUE, test_raw_oversized);
  add_fixture ("/api/server/over-limit-with-newline", NULL, TRUE, test_raw_over_limit_with_newline);
  add_fixture ("/api/server/pipelined", NULL, TRUE, test_raw_pipelined);
  add_fixture ("/api/server/backpressure", NULL, TRUE, test_raw_backpressure);
  add_fixture ("/api/server/disconnect-early", NULL, TRUE, test_raw_disconnect_early);
  add_fixture ("/api/server/idle-timeout", NULL, FALSE, test_raw_idle_timeout);
  add_fixture ("/api/server/many-clients", NULL, TRUE, test_raw_many_clients);
  add_fixture ("/api/server/sparse-handler", NULL, FALSE, test_sparse_handler);
  add_fixture ("/api/socket/file", NULL, FALSE, test_socket_file);
  add_fixture ("/api/socket/stale-replaced", NULL, FALSE, test_socket_stale_replaced);
  add_fixture ("/api/socket/not-a-socket", NULL, FALSE, test_socket_not_a_socket);
  add_fixture ("/api/socket/creates-rundir", NULL, FALSE, test_socket_creates_rundir);
  add_fixture ("/api/socket/bad-rundir", NULL, FALSE, test_socket_bad_rundir);
  add_fixture ("/api/client/call-value-shape", NULL, TRUE, test_client_call_value_shape);
  add_fixture ("/api/client/not-running", NULL, FALSE, test_client_not_running);
  for (gsize i = 0; i < G_N_ELEMENTS (cred_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/api/credentials/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (name, &cred_cases[i], test_credentials);
    }
  return g_test_run ();
}
