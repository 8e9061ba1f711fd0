/* systole: cl_status, hb_standby and hb_takeover; see api-cli.h.
 *
 * Output strings and exit codes are those users' scripts parse
 * (docs/PROTOCOL.md, "cl_status", checked against HB3 tools/cl_status.c).
 */
#include "api-cli.h"

#include <string.h>

#include "api-client.h"

/* ---- common options ------------------------------------------------------------------ */

typedef struct
{
  const char *prog;
  const char *rundir;
  guint timeout_ms;
} CommonOpts;

static gboolean
parse_timeout (const char *text, guint *ms_out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    {
      return FALSE;
    }
  *ms_out = (guint) value;
  return TRUE;
}

/* `--name=VALUE` or `--name VALUE`; advances *i past what it used. */
static const char *
long_option_value (const char *name, int argc, char **argv, int *i)
{
  gsize len = strlen (name);

  if (strncmp (argv[*i], name, len) != 0)
    {
      return NULL;
    }
  if (argv[*i][len] == '=')
    {
      return argv[*i] + len + 1;
    }
  if (argv[*i][len] == '\0' && *i + 1 < argc)
    {
      return argv[++*i];
    }
  return NULL;
}

/* Consumes the leading --rundir/--timeout options; returns the index of the
 * first other argument, or -1 after printing an error. */
static int
parse_common (CommonOpts *opts, int argc, char **argv, FILE *err)
{
  int i;

  for (i = 1; i < argc && g_str_has_prefix (argv[i], "--") && strcmp (argv[i], "--") != 0; i++)
    {
      const char *value;

      if ((value = long_option_value ("--rundir", argc, argv, &i)) != NULL && value[0] != '\0')
        {
          opts->rundir = value;
        }
      else if ((value = long_option_value ("--timeout", argc, argv, &i)) != NULL
               && parse_timeout (value, &opts->timeout_ms))
        {
          continue;
        }
      else
        {
          fprintf (err, "%s: bad option '%s' (known: --rundir=DIR, --timeout=MS)\n", opts->prog,
                   argv[i]);
          return -1;
        }
    }
  return i;
}

static void
common_init (CommonOpts *opts, char **argv, const char *env_rundir)
{
  const char *slash = strrchr (argv[0], '/');

  opts->prog = slash != NULL ? slash + 1 : argv[0];
  opts->rundir = env_rundir != NULL && env_rundir[0] != '\0' ? env_rundir : HB_RUNDIR;
  opts->timeout_ms = HB_API_CLIENT_TIMEOUT_MS;
}

/* ---- cl_status: context and helpers ----------------------------------------------------- */

typedef struct
{
  CommonOpts common;
  FILE *out;
  FILE *err;
  HbApiClient *client; /* NULL until signed on */
  GError *signon_error;
  gboolean human;      /* -m */
  gboolean verbose;    /* -v */
  gboolean only_ping;  /* -p (listnodes) */
  gboolean only_normal;/* -n */
  const char *param;   /* -p NAME (hbparameter) */
  const char *pos[2];  /* positional arguments */
  guint n_pos;
} ClCtx;

static gboolean
is_signon_failure (const GError *error)
{
  static const HbApiError codes[] = { HB_API_ERROR_NOT_RUNNING, HB_API_ERROR_PERMISSION,
                                      HB_API_ERROR_REFUSED, HB_API_ERROR_BUSY };

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      if (g_error_matches (error, HB_API_ERROR, codes[i]))
        {
          return TRUE;
        }
    }
  return FALSE;
}

/* Exit code for a failed request, with the reason on stderr: timeout 12,
 * no daemon (or not allowed to talk to it) 1 with Heartbeat's
 * "Cannot signon with heartbeat", unknown node/link `code_if_unknown`,
 * anything else 13 (docs/PROTOCOL.md, "cl_status"). */
static int
request_failed (ClCtx *ctx, const char *what, const GError *error, int code_if_unknown)
{
  if (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_TIMEOUT))
    {
      fprintf (ctx->err, "%s: %s: timed out after %u ms\n", ctx->common.prog, what,
               ctx->common.timeout_ms);
      return HB_CL_EXIT_TIMEOUT;
    }
  if (is_signon_failure (error))
    {
      fprintf (ctx->err, "%s: Cannot signon with heartbeat\n%s: REASON: %s\n", ctx->common.prog,
               ctx->common.prog, error->message);
      return HB_CL_EXIT_FAIL;
    }
  fprintf (ctx->err, "%s: %s: %s\n", ctx->common.prog, what, error->message);
  if (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_UNKNOWN_NODE)
      || g_error_matches (error, HB_API_ERROR, HB_API_ERROR_UNKNOWN_LINK))
    {
      return code_if_unknown;
    }
  return HB_CL_EXIT_UNKNOWN;
}

static HbApiResponse *
call (ClCtx *ctx, HbApiVerb verb, const char *a, const char *b, GError **error)
{
  const char *args[] = { a, b, NULL };

  return hb_api_client_call (ctx->client, verb, args, error);
}

static char *
call_value (ClCtx *ctx, HbApiVerb verb, const char *a, const char *b, GError **error)
{
  const char *args[] = { a, b, NULL };

  return hb_api_client_call_value (ctx->client, verb, args, error);
}

/* Prints one node's links; `links` rows are LINK STATUS. */
static void
print_links (ClCtx *ctx, const HbApiResponse *links, gboolean verbose)
{
  if (ctx->human)
    {
      fprintf (ctx->out, "\tthis node has the following heartbeat links:\n");
    }
  for (guint i = 0; i < links->rows->len; i++)
    {
      char **row = g_ptr_array_index (links->rows, i);

      if (g_strv_length (row) < 2)
        {
          continue;
        }
      if (verbose)
        {
          fprintf (ctx->out, "\t%s\t%s\n", row[0], row[1]);
        }
      else
        {
          fprintf (ctx->out, "\t%s\n", row[0]);
        }
    }
}

static const char *
row_value (const HbApiResponse *response, const char *key)
{
  for (guint i = 0; i < response->rows->len; i++)
    {
      char **row = g_ptr_array_index (response->rows, i);

      if (g_strv_length (row) == 2 && strcmp (row[0], key) == 0)
        {
          return row[1];
        }
    }
  return NULL;
}

/* ---- cl_status: sub-commands ------------------------------------------------------------ */

static gboolean
node_is_listed (ClCtx *ctx, char **row)
{
  /* -p and -n together mean no filter, as in Heartbeat. */
  if (g_strv_length (row) < 3 || ctx->only_ping == ctx->only_normal)
    {
      return g_strv_length (row) >= 3;
    }
  return strcmp (row[1], ctx->only_ping ? "ping" : "normal") == 0;
}

static int
list_nodes (ClCtx *ctx, gboolean verbose)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiResponse) nodes = call (ctx, HB_API_REQ_NODES, NULL, NULL, &error);

  if (nodes == NULL)
    {
      return request_failed (ctx, "cannot list nodes", error, HB_CL_EXIT_UNKNOWN);
    }
  if (ctx->human)
    {
      fprintf (ctx->out, "The nodes are as follow:\n");
    }
  for (guint i = 0; i < nodes->rows->len; i++)
    {
      char **row = g_ptr_array_index (nodes->rows, i);
      g_autoptr (HbApiResponse) links = NULL;

      if (!node_is_listed (ctx, row))
        {
          continue;
        }
      if (!verbose)
        {
          fprintf (ctx->out, "%s\n", row[0]);
          continue;
        }
      fprintf (ctx->out, "\n%s\t%s\t(nodetype: %s)\n", row[0], row[2], row[1]);
      links = call (ctx, HB_API_REQ_LINKS, row[0], NULL, &error);
      if (links == NULL)
        {
          return request_failed (ctx, "cannot list heartbeat links", error, HB_CL_EXIT_UNKNOWN);
        }
      print_links (ctx, links, TRUE);
    }
  return HB_CL_EXIT_OK;
}

static int
cmd_listnodes (ClCtx *ctx)
{
  return list_nodes (ctx, ctx->verbose);
}

static int
hbstatus_verbose (ClCtx *ctx, const HbApiResponse *status)
{
  const char *version = row_value (status, "version");
  const char *managed_by = row_value (status, "managed-by");

  if (ctx->human)
    {
      fprintf (ctx->out, "Heartbeat version %s\n", version != NULL ? version : "unknown");
      fprintf (ctx->out, "Resources controlled by \"%s\"\n",
               managed_by != NULL ? managed_by : "haresources");
    }
  else
    {
      fprintf (ctx->out, "version:\t%s\n", version != NULL ? version : "unknown");
      fprintf (ctx->out, "managed by:\t\"%s\"\n", managed_by != NULL ? managed_by : "haresources");
    }
  /* The node filter options are listnodes'; hbstatus lists all. */
  ctx->only_ping = ctx->only_normal = FALSE;
  list_nodes (ctx, TRUE);
  return HB_CL_EXIT_OK;
}

/* hbstatus without a daemon: a socket we may not use means running but
 * refusing us, which Heartbeat reports with exit 0. */
static int
hbstatus_not_answering (ClCtx *ctx, const GError *error)
{
  if (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_TIMEOUT))
    {
      return request_failed (ctx, "hbstatus", error, HB_CL_EXIT_UNKNOWN);
    }
  if (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_PERMISSION)
      || g_error_matches (error, HB_API_ERROR, HB_API_ERROR_REFUSED)
      || g_error_matches (error, HB_API_ERROR, HB_API_ERROR_BUSY))
    {
      fprintf (ctx->out,
               "Heartbeat is apparently running on this machine, but refuses my connection\n");
      if (ctx->verbose)
        {
          fprintf (ctx->out, "(%s)\n", error->message);
        }
      return HB_CL_EXIT_OK;
    }
  fprintf (ctx->out, "Heartbeat is stopped on this machine.\n");
  if (ctx->verbose)
    {
      fprintf (ctx->out, "(%s)\n", error->message);
    }
  return HB_CL_EXIT_FAIL;
}

/* Running means: the daemon answers a status request. */
static int
cmd_hbstatus (ClCtx *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiResponse) status = NULL;

  if (ctx->client == NULL)
    {
      return hbstatus_not_answering (ctx, ctx->signon_error);
    }
  status = call (ctx, HB_API_REQ_STATUS, NULL, NULL, &error);
  if (status == NULL)
    {
      return hbstatus_not_answering (ctx, error);
    }
  if (!ctx->verbose)
    {
      fprintf (ctx->out, "Heartbeat is running on this machine.\n");
      return HB_CL_EXIT_OK;
    }
  return hbstatus_verbose (ctx, status);
}

/* Exit 0 when `value` is one of `good` (NULL-terminated), else 1. */
static int
exit_for (const char *value, const char *const *good)
{
  return g_strv_contains (good, value) ? HB_CL_EXIT_OK : HB_CL_EXIT_FAIL;
}

static int
cmd_nodestatus (ClCtx *ctx)
{
  static const char *const alive[] = { "active", "up", "ping", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *status = call_value (ctx, HB_API_REQ_NODE_STATUS, ctx->pos[0], NULL, &error);

  if (status == NULL)
    {
      return request_failed (ctx, "cannot get node status", error, HB_CL_EXIT_PARAMETER);
    }
  if (ctx->human)
    {
      fprintf (ctx->out, "The cluster node %s is %s\n", ctx->pos[0], status);
    }
  else
    {
      fprintf (ctx->out, "%s\n", status);
    }
  return exit_for (status, alive);
}

static int
cmd_nodetype (ClCtx *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *type = call_value (ctx, HB_API_REQ_NODE_TYPE, ctx->pos[0], NULL, &error);

  if (type == NULL)
    {
      return request_failed (ctx, "cannot get node type", error, HB_CL_EXIT_PARAMETER);
    }
  if (ctx->human)
    {
      fprintf (ctx->out, "The node %s's type: %s\n", ctx->pos[0], type);
    }
  else
    {
      fprintf (ctx->out, "%s\n", type);
    }
  return HB_CL_EXIT_OK;
}

/* Heartbeat fails a link walk on an unknown node with its generic 13. */
static int
cmd_listhblinks (ClCtx *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiResponse) links = call (ctx, HB_API_REQ_LINKS, ctx->pos[0], NULL, &error);

  if (links == NULL)
    {
      return request_failed (ctx, "cannot list heartbeat links", error, HB_CL_EXIT_UNKNOWN);
    }
  print_links (ctx, links, ctx->verbose);
  return HB_CL_EXIT_OK;
}

static int
cmd_hblinkstatus (ClCtx *ctx)
{
  static const char *const up[] = { "up", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *status
      = call_value (ctx, HB_API_REQ_LINK_STATUS, ctx->pos[0], ctx->pos[1], &error);

  if (status == NULL)
    {
      return request_failed (ctx, "cannot get heartbeat link status", error, HB_CL_EXIT_UNKNOWN);
    }
  if (ctx->human)
    {
      fprintf (ctx->out, "The node %s's heartbeat link %s is %s\n", ctx->pos[0], ctx->pos[1],
               status);
    }
  else
    {
      fprintf (ctx->out, "%s\n", status);
    }
  return exit_for (status, up);
}

static int
cmd_rscstatus (ClCtx *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *status = call_value (ctx, HB_API_REQ_RSC_STATUS, NULL, NULL, &error);

  if (status == NULL)
    {
      return request_failed (ctx, "cannot get cluster resource status", error, HB_CL_EXIT_UNKNOWN);
    }
  if (ctx->human)
    {
      fprintf (ctx->out, "This node is holding %s resources.\n", status);
    }
  else
    {
      fprintf (ctx->out, "%s\n", status);
    }
  return HB_CL_EXIT_OK;
}

static int
cmd_hbparameter (ClCtx *ctx)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;

  if (ctx->param == NULL)
    {
      fprintf (ctx->err, "%s: hbparameter: parameter name required (-p NAME)\n", ctx->common.prog);
      return HB_CL_EXIT_PARAMETER;
    }
  value = call_value (ctx, HB_API_REQ_PARAMETER, ctx->param, NULL, &error);
  if (value == NULL && g_error_matches (error, HB_API_ERROR, HB_API_ERROR_UNKNOWN_PARAMETER))
    {
      /* Heartbeat: a parameter without a value is a "normal" failure. */
      fprintf (ctx->err, "%s: Cannot get parameter %s's value: %s\n", ctx->common.prog,
               ctx->param, error->message);
      return HB_CL_EXIT_FAIL;
    }
  if (value == NULL)
    {
      return request_failed (ctx, "cannot get parameter", error, HB_CL_EXIT_UNKNOWN);
    }
  if (ctx->human)
    {
      fprintf (ctx->out, "Heartbeat parameter %s's value: %s\n", ctx->param, value);
    }
  else
    {
      fprintf (ctx->out, "%s\n", value);
    }
  return HB_CL_EXIT_OK;
}

/* ---- cl_status: command table and argument parsing ----------------------------------------- */

typedef struct
{
  const char *name;
  const char *options; /* getopt-style; "p:" takes an argument */
  guint n_pos;         /* exact number of positional arguments */
  const char *synopsis;
  int (*run) (ClCtx *ctx);
} ClCommand;

static const ClCommand cl_commands[] = {
  { "hbstatus", "mv", 0, "hbstatus [-m] [-v]", cmd_hbstatus },
  { "listnodes", "mpnv", 0, "listnodes [-m] [-p|-n] [-v]", cmd_listnodes },
  { "nodestatus", "m", 1, "nodestatus [-m] <node>", cmd_nodestatus },
  { "nodetype", "m", 1, "nodetype [-m] <node>", cmd_nodetype },
  { "listhblinks", "mv", 1, "listhblinks [-m] [-v] <node>", cmd_listhblinks },
  { "hblinkstatus", "m", 2, "hblinkstatus [-m] <node> <link>", cmd_hblinkstatus },
  { "rscstatus", "m", 0, "rscstatus [-m]", cmd_rscstatus },
  { "hbparameter", "mp:", 0, "hbparameter [-m] -p <name>", cmd_hbparameter },
};

static void
cl_status_usage (FILE *to, const char *prog)
{
  fprintf (to,
           "Usage: %s [--rundir=DIR] [--timeout=MS] <sub-command> [<options>] [<arguments>]\n"
           "\n"
           "Queries the local heartbeat daemon. Sub-commands:\n",
           prog);
  for (gsize i = 0; i < G_N_ELEMENTS (cl_commands); i++)
    {
      fprintf (to, "  %s\n", cl_commands[i].synopsis);
    }
  fprintf (to, "\n-m prints sentences instead of bare values; -v adds detail;\n"
               "listnodes -p / -n lists only ping / normal nodes.\n");
}

static gboolean
set_flag (ClCtx *ctx, char flag)
{
  switch (flag)
    {
    case 'm':
      ctx->human = TRUE;
      return TRUE;
    case 'v':
      ctx->verbose = TRUE;
      return TRUE;
    case 'p':
      ctx->only_ping = TRUE;
      return TRUE;
    case 'n':
      ctx->only_normal = TRUE;
      return TRUE;
    default:
      return FALSE;
    }
}

/* One "-xyz" cluster; "p:" consumes the rest of the cluster or the next
 * argument. FALSE after printing an error. */
static gboolean
parse_cluster (ClCtx *ctx, const ClCommand *cmd, int argc, char **argv, int *i)
{
  for (const char *c = argv[*i] + 1; *c != '\0'; c++)
    {
      const char *spec = strchr (cmd->options, *c);

      if (*c == ':' || spec == NULL)
        {
          fprintf (ctx->err, "%s: %s: invalid option -- '%c'\n", ctx->common.prog, cmd->name, *c);
          return FALSE;
        }
      if (spec[1] != ':')
        {
          set_flag (ctx, *c);
          continue;
        }
      if (c[1] == '\0' && *i + 1 >= argc)
        {
          fprintf (ctx->err, "%s: %s: option -%c needs a value\n", ctx->common.prog, cmd->name, *c);
          return FALSE;
        }
      ctx->param = c[1] != '\0' ? c + 1 : argv[++*i];
      return TRUE;
    }
  return TRUE;
}

static gboolean
parse_command_args (ClCtx *ctx, const ClCommand *cmd, int argc, char **argv, int first)
{
  gboolean options_done = FALSE;

  for (int i = first; i < argc; i++)
    {
      if (!options_done && strcmp (argv[i], "--") == 0)
        {
          options_done = TRUE;
        }
      else if (!options_done && argv[i][0] == '-' && argv[i][1] != '\0')
        {
          if (!parse_cluster (ctx, cmd, argc, argv, &i))
            {
              return FALSE;
            }
        }
      else if (ctx->n_pos < cmd->n_pos)
        {
          ctx->pos[ctx->n_pos++] = argv[i];
        }
      else
        {
          fprintf (ctx->err, "%s: %s: unexpected argument '%s'\n", ctx->common.prog, cmd->name,
                   argv[i]);
          return FALSE;
        }
    }
  if (ctx->n_pos < cmd->n_pos)
    {
      fprintf (ctx->err, "%s: %s: not enough arguments; usage: %s\n", ctx->common.prog,
               cmd->name, cmd->synopsis);
      return FALSE;
    }
  return TRUE;
}

static const ClCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cl_commands); i++)
    {
      if (strcmp (cl_commands[i].name, name) == 0)
        {
          return &cl_commands[i];
        }
    }
  return NULL;
}

/* Connects; hbstatus judges a failure itself, the others report it. */
static int
cl_status_run (ClCtx *ctx, const ClCommand *cmd)
{
  ctx->client = hb_api_client_connect (ctx->common.rundir, ctx->common.timeout_ms,
                                       &ctx->signon_error);
  if (ctx->client == NULL && cmd->run != cmd_hbstatus)
    {
      return request_failed (ctx, cmd->name, ctx->signon_error, HB_CL_EXIT_UNKNOWN);
    }
  return cmd->run (ctx);
}

int
hb_cl_status_main (int argc, char **argv, const char *env_rundir, FILE *out, FILE *err)
{
  ClCtx ctx = { .out = out, .err = err };
  const ClCommand *cmd;
  int first;
  int rc;

  common_init (&ctx.common, argv, env_rundir);
  first = parse_common (&ctx.common, argc, argv, err);
  if (first < 0)
    {
      return HB_CL_EXIT_PARAMETER;
    }
  if (first >= argc || strcmp (argv[first], "-h") == 0 || strcmp (argv[first], "--help") == 0)
    {
      cl_status_usage (out, ctx.common.prog);
      return HB_CL_EXIT_OK;
    }
  cmd = find_command (argv[first]);
  if (cmd == NULL)
    {
      fprintf (err, "%s: %s: invalid sub-command.\n", ctx.common.prog, argv[first]);
      cl_status_usage (err, ctx.common.prog);
      return HB_CL_EXIT_PARAMETER;
    }
  if (!parse_command_args (&ctx, cmd, argc, argv, first + 1))
    {
      return HB_CL_EXIT_PARAMETER;
    }
  rc = cl_status_run (&ctx, cmd);
  g_clear_pointer (&ctx.client, hb_api_client_free);
  g_clear_error (&ctx.signon_error);
  return rc;
}

/* ---- hb_standby / hb_takeover ------------------------------------------------------------ */

static void
rsc_usage (FILE *err, const char *prog)
{
  fprintf (err, "usage: %s [--rundir=DIR] [--timeout=MS] [all|local|foreign|failback]\n", prog);
}

static int
rsc_failed (const CommonOpts *opts, const GError *error, FILE *err)
{
  const char *hint = "";

  if (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_NOT_RUNNING))
    {
      hint = "heartbeat is not running: ";
    }
  else if (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_PERMISSION)
           || g_error_matches (error, HB_API_ERROR, HB_API_ERROR_REFUSED))
    {
      hint = "only root may do this: ";
    }
  else if (g_error_matches (error, HB_API_ERROR, HB_API_ERROR_TIMEOUT))
    {
      hint = "heartbeat did not answer: ";
    }
  fprintf (err, "%s: %s%s\n", opts->prog, hint, error->message);
  return 1;
}

int
hb_rsc_request_main (gboolean standby,
                     int argc,
                     char **argv,
                     const char *env_rundir,
                     FILE *out,
                     FILE *err)
{
  CommonOpts opts;
  HbApiHold hold = HB_API_HOLD_ALL;
  g_autoptr (GError) error = NULL;
  g_autoptr (HbApiClient) client = NULL;
  g_autofree char *answer = NULL;
  const char *args[2] = { NULL, NULL };
  int first;

  common_init (&opts, argv, env_rundir);
  first = parse_common (&opts, argc, argv, err);
  if (first >= 0 && first < argc && strcmp (argv[first], "--") == 0)
    {
      first++;
    }
  /* Any argument but one of the four words is a usage error, exit 1
   * (docs/PROTOCOL.md, "Standby and takeover"). */
  if (first < 0 || argc - first > 1 || (argc - first == 1 && !hb_api_hold_from_string (argv[first], &hold)))
    {
      rsc_usage (err, opts.prog);
      return 1;
    }
  args[0] = hb_api_hold_to_string (hold);
  client = hb_api_client_connect (opts.rundir, opts.timeout_ms, &error);
  if (client != NULL)
    {
      answer = hb_api_client_call_value (client, standby ? HB_API_REQ_STANDBY : HB_API_REQ_TAKEOVER,
                                         args, &error);
    }
  if (answer == NULL)
    {
      return rsc_failed (&opts, error, err);
    }
  if (answer[0] != '\0')
    {
      fprintf (out, "%s\n", answer);
    }
  return 0;
}
