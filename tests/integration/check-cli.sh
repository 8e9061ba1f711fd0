#!/bin/bash
# systole: the real `heartbeat -t` binary on good, bad and sample configurations.
# No network, no root: runs everywhere, distcheck included.
set -u
. "$abs_top_srcdir/tests/lib/tap.sh"

HB="$abs_top_builddir/heartbeat/heartbeat"
DATA="$abs_top_srcdir/tests/data/config"
GOLDEN="$DATA/golden"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/systole-check-cli.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# confdir NAME SRC [HACF]: copies SRC's three files into $TMP/NAME, authkeys
# 0600 (git cannot store that mode), HACF naming the file to use as ha.cf.
confdir() {
  local dir="$TMP/$1"
  mkdir -p "$dir" || return 1
  cp "$2/${3:-ha.cf}" "$dir/ha.cf" && cp "$2/haresources" "$2/authkeys" "$dir/" || return 1
  chmod 600 "$dir/authkeys"
  echo "$dir"
}

# run DIR ARGS...: runs the binary, stdout in $OUT, stderr in $ERR, status in $RC.
run() {
  OUT="$TMP/out" ERR="$TMP/err"
  "$HB" "$@" >"$OUT" 2>"$ERR"
  RC=$?
}

# ---- the reference scenario, verbatim, as its primary node ----
seed=$(confdir seed "$DATA/seed")
run -t -c "$seed" -n LD_192_168_3_87
ok $((RC != 0)) "seed: -t exits 0" || cat "$ERR" | sed 's/^/# /'
check "seed: prints configuration OK" -- grep -qx 'configuration OK' "$OUT"
check "seed: warns that crc is no authentication" -- grep -q "^WARN: $seed/authkeys:2: .*crc gives integrity only, no authentication: use sha1" "$ERR"
check "seed: no error printed" -- bash -c "! grep -q '^ERROR' '$ERR'"

run -t -v -c "$seed" -n ld_192_168_3_87
{ cat "$GOLDEN/seed.dump"; echo 'configuration OK'; } >"$TMP/expected"
check "seed: -t -v matches golden" -- diff -u "$TMP/expected" "$OUT"

run -t -v -c "$seed" --nodename=ld_192_168_3_88
ok $((RC != 0)) "seed: the backup node checks OK too"

# ---- golden dumps of the other fixtures and of the shipped samples ----
for spec in full:good/full:alpha minimal:good/minimal:alpha; do
  IFS=: read -r name path node <<<"$spec"
  dir=$(confdir "$name" "$DATA/$path")
  run -t -v -c "$dir" -n "$node"
  { cat "$GOLDEN/$name.dump"; echo 'configuration OK'; } >"$TMP/expected"
  check "$name: -t -v matches golden" -- diff -u "$TMP/expected" "$OUT"
done
for hacf in ha.cf ha.cf.sample; do
  dir=$(confdir "sample-$hacf" "$abs_top_srcdir/ha.d" "$hacf")
  run -t -v -c "$dir" -n ld_192_0_2_87
  { cat "$GOLDEN/sample.dump"; echo 'configuration OK'; } >"$TMP/expected"
  ok $((RC != 0)) "ha.d/$hacf: -t exits 0"
  check "ha.d/$hacf: -t -v matches golden" -- diff -u "$TMP/expected" "$OUT"
done

# ---- host facts: the real resolver and interface table ----
# ucast to a host name (Heartbeat resolves them), on loopback only.
lo=$(confdir lo "$DATA/good/minimal")
printf 'node alpha\nucast lo localhost\nucast lo 198.51.100.7\nlogfile /dev/null\nauto_failback off\n' >"$lo/ha.cf"
run -t -v -c "$lo" -n alpha
ok $((RC != 0)) "ucast host name: -t exits 0" || sed 's/^/# /' "$ERR"
check "ucast host name: resolved, name kept as a comment" -- grep -qx 'ucast lo 127.0.0.1 # localhost' "$OUT"
check "ucast on the interface's network: no warning" -- bash -c "! grep -q 'ha.cf:2:' '$ERR'"
check "ucast off the interface's network: warned" -- grep -q "^WARN: $lo/ha.cf:3: ucast peer \[198.51.100.7\] is not on the network of interface \[lo\]" "$ERR"

# ---- every problem of all three files, with file:line, exit 78 ----
bad=$(confdir bad "$DATA/bad/all")
run -t -c "$bad" -n alpha
ok $((RC != 78)) "bad: exits 78 (got $RC)"
grep -v '^WARN: ' "$ERR" | sed "s|$bad|@DIR@|g" >"$TMP/got"
check "bad: prints every problem with file:line" -- diff -u "$GOLDEN/bad-all.err" "$TMP/got"
check "bad: does not print configuration OK" -- test ! -s "$OUT"
check "bad: never echoes a key" -- bash -c "! grep -q secret-text '$ERR'"

# authkeys readable by others: refused with Heartbeat's words.
chmod 644 "$seed/authkeys"
run -t -c "$seed" -n ld_192_168_3_87
ok $((RC != 78)) "authkeys 0644: exits 78"
check "authkeys 0644: says why" -- grep -q "^ERROR: $seed/authkeys:0: Bad permissions on keyfile \[$seed/authkeys\], 600 recommended." "$ERR"
chmod 600 "$seed/authkeys"

# The node name defaults to uname -n, which is not in the seed's ha.cf here.
run -t -c "$seed"
node=$(uname -n | tr '[:upper:]' '[:lower:]')
ok $((RC != 78)) "unlisted node (uname -n): exits 78"
check "unlisted node: names it" -- grep -q "Current node \[$node\] not in configuration!" "$ERR"

run -t -c "$TMP/nonexistent" -n alpha
ok $((RC != 78)) "missing confdir: exits 78"
check "missing confdir: names each file" -- bash -c "grep -q 'Cannot open config file \[$TMP/nonexistent/ha.cf\]' '$ERR' && grep -q 'Cannot open keyfile' '$ERR' && grep -q 'Cannot open resources file' '$ERR'"

# ---- command line ----
run -t --no-such-option
ok $((RC != 2)) "unknown option: exits 2 (got $RC)"
check "unknown option: says so" -- grep -q 'Unknown option --no-such-option' "$ERR"
run -t extra-argument
ok $((RC != 2)) "extra argument: exits 2"
run --help
ok $((RC != 0)) "--help: exits 0"
check "--help: lists -t" -- grep -q -- '-t, --test' "$OUT"
run -V
ok $((RC != 0)) "-V: exits 0"
check "-V: prints the version" -- grep -q '^systole .* (heartbeat-compatible)$' "$OUT"
run -c "$seed" -n not-in-the-seed --statedir "$(mktemp -d)" --rundir "$(mktemp -d)"
ok $((RC != 6)) "daemon start with a configuration that does not name this node: exits 6 (not configured)"
check "daemon start refused: says why" -- grep -q 'not-in-the-seed' "$ERR"

done_testing
