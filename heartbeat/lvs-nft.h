/* systole: nftables commands run in-process through libnftables, the library the
 * nft program is itself built on: the same command language and the same kernel
 * transaction, without an exec and nft's dynamic loading (~2 ms per command).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs COMMANDS (nft syntax; several lines are one transaction, as `nft -f`).
 * *OUT (may be NULL) gets what nft would print. On failure: FALSE, ERROR says
 * "'nft WHAT' failed: <nft's message>", and *ERR_OUT (may be NULL) gets nft's
 * message alone, so callers can tell "No such file or directory" (no such table)
 * and "File exists" from real failures. WHAT names the command in that message. */
gboolean hb_lvs_nft_run (const char *commands, const char *what, char **out, char **err_out, GError **error);

G_END_DECLS
