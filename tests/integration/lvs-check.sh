#!/bin/bash
# systole-lvs check on lvs.conf files with odd bytes (issue 9): a vertical tab
# once made the lexer loop for ever (start/status hung until the agent timeout
# or OOM). Blanks are keepalived's (space, \t, \f, \n, \r, \v), so such a file is
# accepted and means what it means with spaces; a NUL byte is refused naming
# its line; other control bytes are shown escaped in the error. Every call is
# bounded by timeout(1), so a hang fails a test point instead of the suite.
# No network, no root: runs everywhere, distcheck included.
set -u
. "$abs_top_srcdir/tests/lib/tap.sh"

LVS="$abs_top_builddir/heartbeat/systole-lvs"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/systole-lvs-check.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
export SYSTOLE_LVS_STATEDIR=$TMP/state

# run FILE [-v]: systole-lvs check, stdout in $OUT, stderr in $ERR, status in $RC.
run() {
  OUT="$TMP/out" ERR="$TMP/err"
  timeout 20 "$LVS" check ${2:+"$2"} "$1" >"$OUT" 2>"$ERR"
  RC=$?
}

# The same configuration written with spaces, then with every other blank.
printf 'backend nftables\nvirtual_server 192.0.2.1 80 {\n lb_algo rr\n real_server 198.51.100.1 80 { weight 2 }\n}\n' \
  >"$TMP/spaces.conf"
printf 'backend\vnftables\v\nvirtual_server\f192.0.2.1\t80\r{\v\r\n\v lb_algo\vrr\f\n real_server 198.51.100.1\v80\v{\fweight\r2\v}\v\n}\v' \
  >"$TMP/blanks.conf"
run "$TMP/spaces.conf" -v
sed 's/^name spaces$/name blanks/' "$OUT" | grep -v 'configuration OK' >"$TMP/want"
run "$TMP/blanks.conf" -v
ok $((RC != 0)) "\\v \\f \\r \\t as blanks: check answers and accepts (rc $RC)" || sed 's/^/# /' "$ERR"
grep -v 'configuration OK' "$OUT" >"$TMP/got"
check "\\v \\f \\r \\t as blanks: the same dump as with spaces" -- diff -u "$TMP/want" "$TMP/got"

# Only blanks: an empty configuration, reported as such.
printf '\v\v\n\f\r\n\v' >"$TMP/only.conf"
run "$TMP/only.conf"
ok $((RC != 6)) "only blanks: refused as a bad configuration (rc $RC)"
check "only blanks: 'no virtual_server defined' naming the file" -- grep -q "$TMP/only.conf:0: no virtual_server defined" "$ERR"

# A NUL byte: refused, naming the line it is on.
printf 'virtual_server 192.0.2.1 80 {\n lb_algo rr\n\0}\n' >"$TMP/nul.conf"
run "$TMP/nul.conf"
ok $((RC != 6)) "NUL byte: refused as a bad configuration (rc $RC)"
check "NUL byte: the error names file:line" -- grep -q "$TMP/nul.conf:3: contains a NUL byte" "$ERR"

# An escape sequence in a word: refused naming file:line, shown escaped.
printf 'virtual_server 192.0.2.1 80 {\n lb_algo \033[2Jrr\n}\n' >"$TMP/esc.conf"
run "$TMP/esc.conf"
ok $((RC != 6)) "control byte: refused as a bad configuration (rc $RC)"
check "control byte: the error names file:line and shows \\x1b" -- \
  grep -qF "$TMP/esc.conf:2: 'lb_algo \\x1b[2Jrr': unknown scheduler" "$ERR"
check "control byte: no raw ESC byte on stderr" -- bash -c "! grep -q \$'\\033' '$ERR'"

done_testing
