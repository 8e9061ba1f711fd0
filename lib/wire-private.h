/* systole: internals shared by lib/wire*.c (not for other modules). */
#pragma once

#include "wire.h"

G_BEGIN_DECLS

#define HB_WIRE_CLASSIC_START ">>>\n"
#define HB_WIRE_CLASSIC_END "<<<\n"
#define HB_WIRE_NETSTRING_START "###\n"
#define HB_WIRE_NETSTRING_END "%%%\n"
#define HB_WIRE_MARK_LEN 4
/* Error texts quote at most this much of a peer's field name: names are
 * unbounded on the wire and the texts end up in the log. */
#define HB_WIRE_NAME_SHOWN 64

/* Classic (docs/PROTOCOL.md, "Classic encoding"). `data` starts with ">>>\n". */
HbMsg *hb_wire_classic_decode (const guint8 *data, gsize len, HbWireFrame *frame, GError **error);
/* Appends ">>>\n" fields "<<<\n" (no NUL) to `out`. */
gboolean hb_wire_classic_append (GString *out, const HbMsg *msg, GError **error);

/* Netstring (docs/PROTOCOL.md, "Netstring encoding"). `data` starts with "###\n". */
HbMsg *hb_wire_netstring_decode (const guint8 *data, gsize len, HbWireFrame *frame, GError **error);
/* Appends "###\n" fields "%%%\n" to `out`. */
void hb_wire_netstring_append (GString *out, const HbMsg *msg);
/* Appends one netstring "<len>:<data>,". */
void hb_wire_netstring_append_one (GString *out, const void *data, gsize len);

/* Parses one netstring "<digits>:<payload>," at data[*pos]: points `payload`
 * into data and moves *pos past the ','. `error` may be NULL. */
gboolean hb_wire_netstring_peel (const guint8 *data, gsize len, gsize *pos, const guint8 **payload,
                                 gsize *payload_len, GError **error);

/* What a first pass over a received datagram found (wire-scan.c), all
 * pointing into the datagram. */
typedef struct
{
  guint n_fields;
  const guint8 *signed_data; /* the bytes the signature covers, when known before
                              * decoding; NULL when only the decoded message tells */
  gsize signed_len;
  const guint8 *token;       /* with signed_data: "<index> <digest>", NULL if absent */
  gsize token_len;
  const guint8 *src;         /* the raw `src` value (for error texts), NULL if not found */
  gsize src_len;
} HbWireScan;

/* Fails only with HB_WIRE_ERROR_TOO_MANY_FIELDS: anything else malformed is
 * left for the decoder to name. */
gboolean hb_wire_scan (const guint8 *data, gsize len, HbWireScan *scan, GError **error);

/* Fails with HB_WIRE_ERROR_TOO_MANY_FIELDS when a received message would
 * have `n_fields` > HB_WIRE_MAX_FIELDS fields. */
gboolean hb_wire_check_field_count (guint n_fields, GError **error);

/* Strict standard base64 (RFC 4648 alphabet, '=' padding, no blanks):
 * GLib's decoder silently skips invalid characters, which would let two
 * different texts decode to the same value. NULL on malformed input. */
guint8 *hb_wire_base64_decode (const char *text, gsize text_len, gsize *out_len);

/* Fails with HB_WIRE_ERROR_TOO_BIG when `len` does not fit in a datagram that
 * Heartbeat would send (it refuses messages of MAXMSG bytes or more). */
gboolean hb_wire_check_size (gsize len, GError **error);

G_END_DECLS
