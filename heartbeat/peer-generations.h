/* systole: STATEDIR/hb_peer_generations, the last generation each peer was
 * seen live with, kept across our restarts (format: lib/generation.h).
 *
 * Read once at start; rewritten whenever a peer's confirmed generation rises
 * (once per peer restart), atomically (temp file, fsync, rename, fsync of the
 * directory) and in a worker thread, so that a slow disk never delays a
 * heartbeat. A crash before the write lands only costs the newest value. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HB_PEER_GENERATIONS_FILE "hb_peer_generations"

typedef struct _HbPeerGenerations HbPeerGenerations;

/* Loads STATEDIR/hb_peer_generations. A missing file is an empty table; an
 * unreadable or partly corrupt one is what could be read, with one message
 * per problem in `warnings` (char*, naming the file): never fatal. */
HbPeerGenerations *hb_peer_generations_load (const char *statedir, GPtrArray *warnings);
void hb_peer_generations_free (HbPeerGenerations *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HbPeerGenerations, hb_peer_generations_free)

/* The generation recorded for `node`, 0 when none. */
guint32 hb_peer_generations_get (const HbPeerGenerations *store, const char *node);
/* Records a higher generation and schedules the rewrite; lower or equal
 * ones change nothing. FALSE if nothing changed. */
gboolean hb_peer_generations_raise (HbPeerGenerations *store, const char *node, guint32 gen);
/* The path, for messages. */
const char *hb_peer_generations_path (const HbPeerGenerations *store);

G_END_DECLS
