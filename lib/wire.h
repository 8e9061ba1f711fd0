/* systole: the Heartbeat 3.0.6 message (HbMsg) and its two wire encodings.
 *
 * A message is an ordered list of named, typed fields (docs/PROTOCOL.md, "Messages and fields").
 * Order matters: signatures cover the serialized fields in order.
 *
 * Encodings (docs/PROTOCOL.md, "Classic encoding", "Netstring encoding"):
 *   classic:   ">>>\n" "name=value\n"... "<<<\n"  (binary: "(1)name=<base64>")
 *   netstring: "###\n" "<L>:(<t>)name=value,"... "%%%\n" [+ "<L>:<n> <digest>,"]
 * Decoding dispatches on the first four bytes, like Heartbeat's receiver.
 *
 * Pure code: no I/O, no clock. Bad input is reported in HB_WIRE_ERROR with a
 * message naming what is wrong; the decoders never read past `len`.
 */
#pragma once

#include <glib.h>

#include "config.h" /* HbAuthKey, HB_AUTH_MAX_KEYS */

G_BEGIN_DECLS

/* ---- limits (docs/PROTOCOL.md, "Size limits") -------------------------------- */

#define HB_WIRE_MAXMSG (256 * 1024)  /* largest datagram on the wire (MAXMSG) */
#define HB_WIRE_HOSTLENG 100         /* node names are shorter than this */
#define HB_WIRE_STATUSLENG 32        /* status strings are shorter than this */
#define HB_WIRE_MAXLINE 512          /* longest line on the FIFO (MAXMSGLINE) */
/* Ours, not Heartbeat's (its messages grow without bound): the most fields a
 * received message may have. The largest 3.0.6 message of a haresources
 * cluster has 14 (ip-request-resp in tests/data/hb306; a status has 12),
 * and Heartbeat itself starts a message with room for 30 (MINFIELDS). The
 * cap bounds what a datagram costs before its signature is checked. */
#define HB_WIRE_MAX_FIELDS 128

/* Node names: 1..HOSTLENG-1 bytes of printable ASCII without blanks;
 * status strings: 1..STATUSLENG-1 such bytes. For checking peers' fields. */
gboolean hb_wire_node_name_is_valid (const char *name);
gboolean hb_wire_status_is_valid (const char *status);

/* ---- errors --------------------------------------------------------------------- */

#define HB_WIRE_ERROR (hb_wire_error_quark ())
GQuark hb_wire_error_quark (void);

typedef enum
{
  HB_WIRE_ERROR_NO_HEADER,        /* neither ">>>\n" nor "###\n" at the start */
  HB_WIRE_ERROR_NO_TRAILER,       /* "<<<" / "%%%\n" missing (truncated message) */
  HB_WIRE_ERROR_BAD_FIELD,        /* a line without '=', bad "(N)" prefix, junk */
  HB_WIRE_ERROR_EMPTY_NAME,       /* "=value" */
  HB_WIRE_ERROR_UNSUPPORTED_TYPE, /* struct/list/compressed fields (types 2..5) or unknown */
  HB_WIRE_ERROR_BAD_LENGTH,       /* netstring length not a number, too big, past the end */
  HB_WIRE_ERROR_BAD_VALUE,        /* bad base64, NUL inside a string value, ... */
  HB_WIRE_ERROR_TOO_BIG,          /* more than HB_WIRE_MAXMSG bytes */
  HB_WIRE_ERROR_TRAILING_DATA,    /* bytes after the end of the message */
  HB_WIRE_ERROR_UNENCODABLE,      /* encode: a value the chosen format cannot carry */
  HB_WIRE_ERROR_TOO_MANY_FIELDS,  /* more than HB_WIRE_MAX_FIELDS fields (decode and encode) */
} HbWireError;

/* ---- the message ------------------------------------------------------------------- */

typedef enum
{
  HB_FIELD_STRING = 0, /* FT_STRING */
  HB_FIELD_BINARY = 1, /* FT_BINARY */
} HbFieldType;

/* One field. Read-only for callers: change a message through hb_msg_* only.
 * `value` always has a NUL byte after `len` bytes, so a string field's value
 * can be used as a C string (string fields never contain NUL). */
typedef struct
{
  char *name;
  HbFieldType type;
  guint8 *value;
  gsize len;
} HbField;

typedef struct _HbMsg HbMsg;

HbMsg *hb_msg_new (void);
void hb_msg_free (HbMsg *msg);
HbMsg *hb_msg_copy (const HbMsg *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbMsg, hb_msg_free)

/* Field names must be non-empty and hold no '=', '\n', '\r', ',' or NUL
 * (programmer error otherwise: g_return_if_fail). Duplicated names are allowed,
 * as in Heartbeat; lookups return the first. */
gboolean hb_msg_name_is_valid (const char *name);

void hb_msg_add_string (HbMsg *msg, const char *name, const char *value);
void hb_msg_add_binary (HbMsg *msg, const char *name, const void *value, gsize len);
void hb_msg_add_printf (HbMsg *msg, const char *name, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Heartbeat writes seq, hg, ts and dt in lowercase hex without "0x", and ttl,
 * firstseq/lastseq of NS_rexmit in decimal (docs/PROTOCOL.md, "Control fields",
 * "Status packets", "Retransmission"). */
void hb_msg_add_hex (HbMsg *msg, const char *name, guint64 value);
void hb_msg_add_uint (HbMsg *msg, const char *name, guint64 value);

/* Replaces the first field called `name` in place (keeping its position), or
 * appends it when absent. */
void hb_msg_set_string (HbMsg *msg, const char *name, const char *value);
void hb_msg_set_binary (HbMsg *msg, const char *name, const void *value, gsize len);

/* Removes the first field called `name`; FALSE if there was none. */
gboolean hb_msg_remove (HbMsg *msg, const char *name);

guint hb_msg_n_fields (const HbMsg *msg);
const HbField *hb_msg_nth (const HbMsg *msg, guint index);      /* NULL if out of range */
const HbField *hb_msg_lookup (const HbMsg *msg, const char *name); /* first match or NULL */

/* Value of the first string field `name`; NULL if absent or binary. */
const char *hb_msg_get (const HbMsg *msg, const char *name);
/* First binary field `name`; NULL if absent or a string. */
const guint8 *hb_msg_get_binary (const HbMsg *msg, const char *name, gsize *len_out);
/* Parse a whole string field as hex (no "0x", no sign) / decimal; FALSE if the
 * field is absent, empty, not all digits, or does not fit in 64 bits. */
gboolean hb_msg_get_hex (const HbMsg *msg, const char *name, guint64 *value_out);
gboolean hb_msg_get_uint (const HbMsg *msg, const char *name, guint64 *value_out);

/* Human-readable one-line form for logs: "t=status st=active (1)srcuuid=<16 bytes> ...". */
char *hb_msg_to_log_string (const HbMsg *msg);

/* ---- encoding and decoding ------------------------------------------------------- */

typedef enum
{
  HB_WIRE_CLASSIC,   /* the default `msgfmt classic` */
  HB_WIRE_NETSTRING, /* `msgfmt netstring` */
} HbWireFormat;

/* The exact UDP payload, unsigned. Classic: the text plus its terminating NUL
 * (Heartbeat sends strlen + 1). Netstring: "###\n" ... "%%%\n" with no
 * auth trailer. Fails (HB_WIRE_ERROR_TOO_BIG / _UNENCODABLE / _TOO_MANY_FIELDS)
 * when the result is HB_WIRE_MAXMSG bytes or more (Heartbeat refuses to send
 * those), a classic string value holds byte 0x13, or the message has more
 * than HB_WIRE_MAX_FIELDS fields (we would refuse it ourselves). */
GBytes *hb_wire_encode (const HbMsg *msg, HbWireFormat format, GError **error);

/* Classic text without the trailing NUL (what child processes write to the FIFO). */
char *hb_wire_encode_text (const HbMsg *msg, GError **error);

/* Classic field lines "name=value\n" for every field except those called
 * `skip` (may be NULL), without ">>>"/"<<<" and without NUL: the input of the
 * classic `auth` digest (docs/PROTOCOL.md, "Authentication"). */
char *hb_wire_classic_fields (const HbMsg *msg, const char *skip, GError **error);

/* Where a decoded datagram's parts are (for signature checks). */
typedef struct
{
  HbWireFormat format;
  gsize body_len;          /* netstring: bytes from "###\n" through "%%%\n"; classic: through "<<<\n" */
  const guint8 *trailer;   /* netstring: the auth netstring's payload "<n> <digest>" (points into data), else NULL */
  gsize trailer_len;
} HbWireFrame;

/* Decodes one datagram of either format (at most HB_WIRE_MAXMSG bytes, the
 * receive buffer size). A classic datagram may end with its NUL; a netstring
 * one may end with one auth trailer netstring. `frame` may be NULL. */
HbMsg *hb_wire_decode (const guint8 *data, gsize len, HbWireFrame *frame, GError **error);

/* ---- signed messages (see auth.h for the digests) -------------------------------- */

/* Decodes and authenticates one received datagram against the receiver's key
 * table (index 0..15, HB_AUTH_NONE = not configured). Netstring packets are
 * verified by their trailer; classic packets by their `auth` field.
 * Returns the auth index that verified, or -1 with `error` set
 * (HB_WIRE_ERROR for undecodable bytes, HB_AUTH_ERROR for authentication). */
gint hb_wire_decode_and_verify (const guint8 *data, gsize len,
                                const HbAuthKey keys[HB_AUTH_MAX_KEYS],
                                HbMsg **msg_out, GError **error);

/* Signs `msg` with key `active_index` and encodes it, as a 3.0.6 sender does.
 * Both formats first set the classic `auth` field (replaced in place, or
 * appended last), so `msg` is modified. Netstring then also gets the trailer
 * over "###\n".."%%%\n": this reproduces real 3.0.6 packets byte for byte
 * (see the vectors in tests/data/hb306). */
gboolean hb_wire_encode_signed (HbMsg *msg, const HbAuthKey keys[HB_AUTH_MAX_KEYS],
                                guint active_index, HbWireFormat format,
                                GBytes **out_bytes, GError **error);

G_END_DECLS
