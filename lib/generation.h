/* systole: the generation number file (pure parse/format; no I/O, no clock).
 *
 * Facts: docs/PROTOCOL.md, "Generations". The file holds a decimal number; it is
 * rewritten on each start as the number right-aligned in 15 columns plus
 * "\n" (16 bytes). A missing file seeds the generation with time(NULL).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_GENERATION_ERROR (hb_generation_error_quark ())
GQuark hb_generation_error_quark (void);

typedef enum
{
  HB_GENERATION_ERROR_EMPTY,
  HB_GENERATION_ERROR_SYNTAX,
  HB_GENERATION_ERROR_RANGE,
} HbGenerationError;

/* Size of the record written back. */
#define HB_GENERATION_RECORD_LEN 16

/* Parses the file contents (`len` bytes, not necessarily NUL-terminated):
 * optional blanks, decimal digits, optional blanks/newline. The value must
 * fit in 32 bits, as it travels as `hg` in hex and Heartbeat stores it in a
 * seqno_t-sized field. */
gboolean hb_generation_parse (const char *text, gsize len, guint32 *gen_out, GError **error);

/* The 16-byte record (15 columns + "\n") for `gen`, NUL-terminated. */
char *hb_generation_format (guint32 gen);

/* The generation of this run: previous + 1, or `now_s` + 1 when there was
 * no previous one (Heartbeat seeds with time(NULL) and then increments).
 * Wraps from G_MAXUINT32 to 1 rather than 0 (0 means "unknown" to peers). */
guint32 hb_generation_next (gboolean have_previous, guint32 previous, gint64 now_s);

/* ---- the peers' generations ------------------------------------------------------
 *
 * STATEDIR/hb_peer_generations remembers, across our own restarts, the last
 * generation each peer was seen live with, so that a packet of an earlier run
 * of the peer is a replay even in the first seconds after we start (Heartbeat
 * 3.0.6 knows nothing at start and accepts it). One line per peer:
 * "NODE GENERATION\n", node names as in ha.cf (lower case), decimal. */

/* Parses the file: a table node -> GUINT_TO_POINTER (generation). A line
 * that is not "NODE GENERATION" (1..4294967295) is skipped, and described in
 * `problems` (char*, "line N: ...") when given; a node listed twice keeps its
 * highest generation. */
GHashTable *hb_peer_generations_parse (const char *text, gsize len, GPtrArray *problems);

/* The file's contents for `table` (as parsed), nodes sorted by name. */
char *hb_peer_generations_format (GHashTable *table);

/* The generation of this start from what the file held: `text` NULL when
 * there was no file. A missing file, and also an empty or unparsable one
 * (a crash or a full disk while an older version rewrote it in place),
 * mean "no previous generation": the result is seeded from `now_s` and
 * *seeded_out is TRUE. For an empty or unparsable file `problem` is set
 * too (HB_GENERATION_ERROR), so the caller can warn loudly: refusing to
 * start would need a human to delete the file, and time(NULL) is above
 * any generation counted up from an earlier time(NULL) unless the node
 * restarted more than once a second on average since. */
guint32 hb_generation_recover (const char *text, gsize len, gint64 now_s, gboolean *seeded_out,
                               GError **problem);

G_END_DECLS
