/* systole: text from a configuration file made safe to print (pure).
 *
 * Diagnostics echo what the user wrote ("Illegal directive [x]"). A raw control
 * byte there would reach a terminal or a log as an escape sequence, and a byte
 * that is not UTF-8 garbles the rest of the line; hb_printable() shows such
 * bytes as \xNN instead, leaving everything else (UTF-8 text included) as is.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A copy of TEXT with every C0 control byte, DEL, C1 control character and
 * byte outside a valid UTF-8 sequence written as "\xNN" (lower-case hex). */
char *hb_printable (const char *text);

G_END_DECLS
