/* systole: the local API line protocol (cl_status, hb_standby, hb_takeover <-> daemon).
 *
 * Pure encode/parse, no I/O. One request per line, answered by zero or more
 * DATA rows and exactly one terminating OK or ERR line:
 *
 *   request  = VERB *( SP ARG ) LF                 e.g. "node-status node1\n"
 *   response = *( "DATA" *( SP FIELD ) LF )
 *              ( "OK" LF / "ERR" SP CODE SP TEXT LF )
 *
 * ARG, FIELD and TEXT are escaped: every byte below 0x21, 0x7f and '%' is
 * written as %XX (two upper-case hex digits), so a token never contains a
 * space or a line break. Arguments must be non-empty; fields may be empty
 * ("DATA " is a row with one empty field, "DATA" a row with none). CODE is one
 * of the tokens of HbApiError that can travel (see hb_api_error_to_token).
 * A connection carries any number of requests, answered in order.
 *
 * Lines are limited to HB_API_MAX_LINE bytes (without the LF) in both
 * directions and a response to HB_API_MAX_ROWS rows, so neither side ever
 * buffers an unbounded amount from a peer.
 *
 * Heartbeat 3 used a message-based API over /var/run/heartbeat/register
 * (docs/PROTOCOL.md, "Files and paths"); only its CLI behaviour is
 * user-visible (same file, "cl_status"), so the transport is our own.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_API_MAX_LINE 1024
#define HB_API_MAX_ROWS 4096
#define HB_API_MAX_ARGS 2
/* The socket file inside the runtime directory. */
#define HB_API_SOCKET_NAME "api.sock"

#define HB_API_ERROR (hb_api_error_quark ())
GQuark hb_api_error_quark (void);

/* Errors of both sides. The first block travels on the wire as ERR CODE
 * tokens; the second is produced locally by the client. */
typedef enum
{
  HB_API_ERROR_BAD_REQUEST,       /* "bad-request": malformed, unknown verb, wrong arity, too long */
  HB_API_ERROR_UNKNOWN_NODE,      /* "unknown-node" */
  HB_API_ERROR_UNKNOWN_LINK,      /* "unknown-link" */
  HB_API_ERROR_UNKNOWN_PARAMETER, /* "unknown-parameter" */
  HB_API_ERROR_REFUSED,           /* "refused": peer is not root */
  HB_API_ERROR_BUSY,              /* "busy": too many clients */
  HB_API_ERROR_FAILED,            /* "failed": the daemon could not do it (standby refused, ...) */
  HB_API_ERROR_INTERNAL,          /* "internal": a bug or an oversized answer on the server */
  /* local only */
  HB_API_ERROR_NOT_RUNNING,       /* no socket, or nobody listening */
  HB_API_ERROR_PERMISSION,        /* the socket exists but we may not connect */
  HB_API_ERROR_TIMEOUT,           /* no complete answer before the deadline */
  HB_API_ERROR_PROTOCOL,          /* the peer sent something we cannot parse */
  HB_API_ERROR_IO,                /* any other socket error */
} HbApiError;

/* "bad-request" etc.; NULL for the local-only codes. */
const char *hb_api_error_to_token (HbApiError code);
/* FALSE if the token is unknown or local-only. */
gboolean hb_api_error_from_token (const char *token, HbApiError *code_out);

/* ---- requests ----------------------------------------------------------------- */

/* One entry per request; the wire names are in the table of apiproto.c. */
typedef enum
{
  HB_API_REQ_STATUS,       /* "status": rows "version V", "managed-by M" */
  HB_API_REQ_NODES,        /* "nodes": one row "NAME TYPE STATUS" per node, config order */
  HB_API_REQ_NODE_STATUS,  /* "node-status NODE": one row "STATUS" */
  HB_API_REQ_NODE_TYPE,    /* "node-type NODE": one row "TYPE" */
  HB_API_REQ_LINKS,        /* "links NODE": one row "LINK STATUS" per link */
  HB_API_REQ_LINK_STATUS,  /* "link-status NODE LINK": one row "STATUS" */
  HB_API_REQ_RSC_STATUS,   /* "rsc-status": one row "none|local|foreign|all|transition" */
  HB_API_REQ_PARAMETER,    /* "parameter NAME": one row "VALUE" */
  HB_API_REQ_STANDBY,      /* "standby all|local|foreign|failback": one row "MESSAGE" */
  HB_API_REQ_TAKEOVER,     /* "takeover all|local|foreign|failback": one row "MESSAGE" */
} HbApiVerb;

typedef struct
{
  HbApiVerb verb;
  guint n_args;
  char *args[HB_API_MAX_ARGS]; /* unescaped, owned; NULL beyond n_args */
} HbApiRequest;

void hb_api_request_free (HbApiRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbApiRequest, hb_api_request_free)

const char *hb_api_verb_to_string (HbApiVerb verb);
/* Number of arguments the verb takes. */
guint hb_api_verb_n_args (HbApiVerb verb);

/* The complete request line including the LF. `args` is a NULL-terminated
 * array (or NULL for none) of exactly hb_api_verb_n_args(verb) non-empty strings. Fails (HB_API_ERROR_BAD_REQUEST)
 * on a wrong argument count, an empty argument, or a line over the limit. */
char *hb_api_request_encode (HbApiVerb verb, const char *const *args, GError **error);

/* Parses one request line of `len` bytes, without its LF (a trailing CR is
 * tolerated for humans typing into socat). Never reads beyond `len`; NUL bytes
 * are an error. Fails with HB_API_ERROR_BAD_REQUEST and a message that can be
 * sent back to the peer. */
HbApiRequest *hb_api_request_parse (const char *line, gsize len, GError **error);

/* ---- resource-hold argument of standby/takeover (docs/PROTOCOL.md, "Standby and takeover") */

typedef enum
{
  HB_API_HOLD_ALL,
  HB_API_HOLD_LOCAL,
  HB_API_HOLD_FOREIGN,
  HB_API_HOLD_FAILBACK, /* passed through unchanged: its meaning differs per tool */
} HbApiHold;

const char *hb_api_hold_to_string (HbApiHold hold);
gboolean hb_api_hold_from_string (const char *text, HbApiHold *hold_out);

/* ---- responses: encoding (server side) ------------------------------------------ */

/* Appends one "DATA ..." line with the escaped fields (NULL-terminated array).
 * Fails with HB_API_ERROR_INTERNAL, appending nothing, if the line would exceed
 * HB_API_MAX_LINE. */
gboolean hb_api_response_append_row (GString *out, const char *const *fields, GError **error);
void hb_api_response_append_ok (GString *out);
/* "ERR CODE TEXT"; a text too long for the line is cut (never inside a %XX
 * of the escaped form, nor inside a UTF-8 character) rather than failing, so
 * an error can always be sent. `code` must be a wire code. */
void hb_api_response_append_error (GString *out, HbApiError code, const char *message);

/* ---- responses: parsing (client side) -------------------------------------------- */

typedef struct
{
  GPtrArray *rows;   /* of GStrv (unescaped fields) */
  gboolean complete; /* the OK or ERR line was seen */
  gboolean ok;       /* TRUE for OK, FALSE for ERR */
  HbApiError code;   /* when !ok */
  char *message;     /* when !ok: the server's text */
} HbApiResponse;

HbApiResponse *hb_api_response_new (void);
void hb_api_response_free (HbApiResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbApiResponse, hb_api_response_free)

/* Feeds one response line (without LF). Fails with HB_API_ERROR_PROTOCOL on a
 * malformed line, a line after completion, too many rows, or an unknown code. */
gboolean hb_api_response_feed_line (HbApiResponse *response,
                                    const char *line,
                                    gsize len,
                                    GError **error);

/* For a complete response: TRUE if OK; else FALSE with `error` set to the
 * server's code and text (domain HB_API_ERROR). */
gboolean hb_api_response_check (const HbApiResponse *response, GError **error);

/* ---- escaping, exposed for tests and for log messages ------------------------------ */

char *hb_api_escape (const char *text);
/* NULL (with HB_API_ERROR_PROTOCOL) on a bad %XX sequence, a decoded NUL or a
 * raw byte that should have been escaped. */
char *hb_api_unescape (const char *text, gsize len, GError **error);

G_END_DECLS
