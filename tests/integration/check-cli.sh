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
# Its media name eth1 (the samples eth0..eth3), which this host may lack:
# those checks are for another host, --no-host-checks (the interface
# checks are tested below, on lo and on a name no host has).
seed=$(confdir seed "$DATA/seed")
run -t --no-host-checks -c "$seed" -n LD_192_168_3_87
ok $((RC != 0)) "seed: -t exits 0" || cat "$ERR" | sed 's/^/# /'
check "seed: prints configuration OK" -- grep -qx 'configuration OK' "$OUT"
check "seed: warns that crc is no authentication" -- grep -q "^WARN: $seed/authkeys:2: .*crc gives integrity only, no authentication: use sha1" "$ERR"
check "seed: no error printed" -- bash -c "! grep -q '^ERROR' '$ERR'"

run -t -v --no-host-checks -c "$seed" -n ld_192_168_3_87
{ cat "$GOLDEN/seed.dump"; echo 'configuration OK'; } >"$TMP/expected"
check "seed: -t -v matches golden" -- diff -u "$TMP/expected" "$OUT"

run -t -v --no-host-checks -c "$seed" --nodename=ld_192_168_3_88
ok $((RC != 0)) "seed: the backup node checks OK too"

# ---- golden dumps of the other fixtures and of the shipped samples ----
for spec in full:good/full:alpha minimal:good/minimal:alpha; do
  IFS=: read -r name path node <<<"$spec"
  dir=$(confdir "$name" "$DATA/$path")
  run -t -v --no-host-checks -c "$dir" -n "$node"
  { cat "$GOLDEN/$name.dump"; echo 'configuration OK'; } >"$TMP/expected"
  check "$name: -t -v matches golden" -- diff -u "$TMP/expected" "$OUT"
done
for hacf in ha.cf ha.cf.sample; do
  dir=$(confdir "sample-$hacf" "$abs_top_srcdir/ha.d" "$hacf")
  run -t -v --no-host-checks -c "$dir" -n ld_192_0_2_87
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
run -t --no-host-checks -c "$bad" -n alpha
ok $((RC != 78)) "bad: exits 78 (got $RC)"
grep -v '^WARN: ' "$ERR" | sed "s|$bad|@DIR@|g" >"$TMP/got"
check "bad: prints every problem with file:line" -- diff -u "$GOLDEN/bad-all.err" "$TMP/got"
check "bad: does not print configuration OK" -- test ! -s "$OUT"
check "bad: never echoes a key" -- bash -c "! grep -q secret-text '$ERR'"

# authkeys readable by others: refused with Heartbeat's words.
chmod 644 "$seed/authkeys"
run -t --no-host-checks -c "$seed" -n ld_192_168_3_87
ok $((RC != 78)) "authkeys 0644: exits 78"
check "authkeys 0644: says why" -- grep -q "^ERROR: $seed/authkeys:0: Bad permissions on keyfile \[$seed/authkeys\], 600 recommended." "$ERR"
chmod 600 "$seed/authkeys"

# The node name defaults to uname -n, which is not in the seed's ha.cf here.
run -t --no-host-checks -c "$seed"
node=$(uname -n | tr '[:upper:]' '[:lower:]')
ok $((RC != 78)) "unlisted node (uname -n): exits 78"
check "unlisted node: names it" -- grep -q "Current node \[$node\] not in configuration!" "$ERR"

run -t -c "$TMP/nonexistent" -n alpha
ok $((RC != 78)) "missing confdir: exits 78"
check "missing confdir: names each file" -- bash -c "grep -q 'Cannot open config file \[$TMP/nonexistent/ha.cf\]' '$ERR' && grep -q 'Cannot open keyfile' '$ERR' && grep -q 'Cannot open resources file' '$ERR'"

# ---- a leftover crc key next to a real one (key rollover) ----
roll=$(confdir roll "$DATA/seed")
printf 'auth 1\n1 sha1 rollover-secret\n2 crc\n' >"$roll/authkeys"
run -t --no-host-checks -c "$roll" -n ld_192_168_3_87
ok $((RC != 78)) "leftover crc key: exits 78 (got $RC)"
check "leftover crc key: names authkeys:3 and says why" -- \
  grep -q "^ERROR: $roll/authkeys:3: key 2 uses crc, and packets signed with any configured key are accepted, not only with auth 1 (sha1): crc has no secret, so any host on the network of ha.cf line 14 could sign packets" "$ERR"
sed -i 's/^bcast eth1$/bcast lo/' "$roll/ha.cf"
run -t -c "$roll" -n ld_192_168_3_87
ok $((RC != 0)) "leftover crc key, heartbeats on lo only: exits 0" || sed 's/^/# /' "$ERR"

# ---- this host's interfaces: a missing one is an error, as in Heartbeat ----
noif=$(confdir noif "$DATA/good/minimal")
printf 'node alpha\nbcast lo\nucast st-noif0 127.0.0.2\nlogfile /dev/null\nauto_failback off\n' >"$noif/ha.cf"
run -t -c "$noif" -n alpha
ok $((RC != 78)) "missing interface: exits 78 (got $RC)"
check "missing interface: names the line and the interface" -- \
  grep -q "^ERROR: $noif/ha.cf:3: ucast interface \[st-noif0\] does not exist on this host" "$ERR"
check "missing interface: no 'no IPv4 address' warning on top" -- bash -c "! grep -q 'st-noif0.*no IPv4' '$ERR'"
check "an existing interface (lo): no complaint" -- bash -c "! grep -q 'ha.cf:2:' '$ERR'"
run -t --no-host-checks -c "$noif" -n alpha
ok $((RC != 0)) "missing interface, -t --no-host-checks: exits 0" || sed 's/^/# /' "$ERR"
# The daemon fails on its configuration before any socket (timeout: should
# it ever start, it stops by itself).
OUT="$TMP/out" ERR="$TMP/err"
timeout 20 "$HB" -f -c "$noif" -n alpha --statedir "$TMP/st" --rundir "$TMP/rn" >"$OUT" 2>"$ERR"; RC=$?
ok $((RC != 6)) "daemon start with a missing interface: exits 6 (got $RC)"
check "daemon start refused: names the interface" -- grep -q "ucast interface \[st-noif0\] does not exist" "$ERR"
run --no-host-checks -c "$noif" -n alpha
ok $((RC != 2)) "--no-host-checks without -t: exits 2 (got $RC)"

# ---- owner and mode of what decides what root runs ----
perm=$(confdir perm "$DATA/good/minimal")
printf 'node alpha\nbcast lo\nlogfile /dev/null\nauto_failback off\n' >"$perm/ha.cf"
mkdir -p "$perm/resource.d"
printf '#!/bin/sh\nexit 0\n' >"$perm/resource.d/myop"; chmod 755 "$perm/resource.d/myop"
echo "alpha 192.0.2.10 myop" >"$perm/haresources"
# group-writable, but the group is root's
[ "$(id -g)" = 0 ] && chmod 664 "$perm/ha.cf"
run -t -c "$perm" -n alpha
ok $((RC != 0)) "safe files: exits 0" || sed 's/^/# /' "$ERR"
chmod 0777 "$perm" "$perm/resource.d"
chmod 0757 "$perm/resource.d/myop"
mv "$perm/authkeys" "$perm/authkeys.real"; ln -s authkeys.real "$perm/authkeys"
if [ "$(id -u)" = 0 ]; then
  chown 65534 "$perm/ha.cf"
  chgrp 65534 "$perm/haresources"; chmod 664 "$perm/haresources"
else
  chmod 666 "$perm/ha.cf" "$perm/haresources"
fi
run -t -c "$perm" -n alpha
ok $((RC != 78)) "unsafe files: exits 78 (got $RC)"
check "world-writable configuration directory: refused" -- \
  grep -q "^ERROR: $perm:0: Bad permissions on configuration directory \[$perm\]: mode 0777 lets others write it: whoever can change it decides what heartbeat runs as root" "$ERR"
check "world-writable resource.d: refused" -- \
  grep -q "^ERROR: $perm/resource.d:0: Bad permissions on resource directory \[$perm/resource.d\]: mode 0777 lets others write it" "$ERR"
check "world-writable agent: refused at the haresources line naming it" -- \
  grep -q "^ERROR: $perm/haresources:1: Bad permissions on resource agent \[$perm/resource.d/myop\]: mode 0757 lets others write it" "$ERR"
check "symlinked authkeys: refused" -- \
  grep -q "^ERROR: $perm/authkeys:0: Bad keyfile \[$perm/authkeys\]: it is a symbolic link" "$ERR"
if [ "$(id -u)" = 0 ]; then
  check "ha.cf owned by another user: refused" -- \
    grep -q "^ERROR: $perm/ha.cf:0: Bad owner of configuration file \[$perm/ha.cf\]: uid 65534; it must belong to root" "$ERR"
  check "haresources writable by a group other than root's: refused" -- \
    grep -q "^ERROR: $perm/haresources:0: Bad permissions on configuration file \[$perm/haresources\]: mode 0664 lets group 65534 write it" "$ERR"
else
  skip "ha.cf owned by another user (needs root)"
  skip "haresources writable by a group (needs root)"
fi
check "unsafe files: six problems, one run" -- test "$(grep -c '^ERROR: ' "$ERR")" = 6
OUT="$TMP/out" ERR="$TMP/err"
timeout 20 "$HB" -f -c "$perm" -n alpha --statedir "$TMP/st" --rundir "$TMP/rn" >"$OUT" 2>"$ERR"; RC=$?
ok $((RC != 6)) "daemon start on unsafe files: exits 6 (got $RC)"
check "daemon start refused: prints every problem" -- test "$(grep -c '^ERROR: ' "$ERR")" = 6
check "daemon start refused: says so" -- grep -q "Heartbeat not started: configuration error." "$ERR"

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
