#!/bin/bash
# The daemon's own files on one node in a namespace: a damaged hb_generation
# or hb_uuid does not prevent a start (issue 9, item 7); log files are not
# followed through symbolic links nor taken from other users (item 9); the
# pid file is locked, so a stale pid now used by a process that merely calls
# itself heartbeat is neither "running" for -s nor signalled by -k (item 10).
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
dl_setup

lab_switch
lab_node a 192.0.2.11/24
conf=("keepalive 200ms" "deadtime 1" "warntime 600ms" "initdead 3" "udpport 10694"
      "auto_failback on" "node alpha" "bcast eth0")
dir=$(dl_conf a "auth 1" "1 sha1 localfiles-key" -- "${conf[@]}")
state=$dir/state log=$(dl_log a)

# hb NODE-ARGS...: our heartbeat as alpha, on alpha's files.
hb() {
  lab_run_as_host a alpha "$HB_BIN" -c "$dir/etc" --statedir "$state" --rundir "$dir/run" "$@"
}

# started PID: the daemon logged its generation, or it is gone.
started() { grep -q "Heartbeat generation:" "$log" || ! kill -0 "$1" 2>/dev/null; }

# start LABEL: dl_start alpha with a fresh log; ok if it runs.
start() {
  : > "$log"; : > "$dir/stderr"
  dl_start a alpha
  wait_for 10 started "$DL_PID_a"
  kill -0 "$DL_PID_a" 2>/dev/null
  ok $? "$1: the daemon starts" || diag "$(cat "$dir/stderr" "$log")"
}

record_ok() { grep -Eqx ' *[0-9]+' "$state/hb_generation" && [ "$(wc -c < "$state/hb_generation")" = 16 ]; }

# ---- item 7: hb_generation / hb_uuid damaged by a crash or a full disk ----
mkdir -p "$state"
: > "$state/hb_generation"
start "empty hb_generation"
check "empty hb_generation: warned, naming the file" -- \
  grep -qF "Ignoring generation file $state/hb_generation: generation file is empty" "$log"
check "empty hb_generation: seeded as Heartbeat does" -- grep -q "No Previous generation - starting at [0-9]" "$log"
check "empty hb_generation: rewritten as a 16-byte record" -- record_ok
dl_stop_check a "empty hb_generation"

printf '\001\377garbage' > "$state/hb_generation"
printf 'short' > "$state/hb_uuid"
start "garbage hb_generation and a cut hb_uuid"
check "garbage hb_generation: warned, naming the file" -- \
  grep -qF "Ignoring generation file $state/hb_generation: generation is not a decimal number" "$log"
check "garbage hb_generation: seeded" -- grep -q "No Previous generation - starting at [0-9]" "$log"
check "cut hb_uuid: warned, naming the file" -- \
  grep -qF "Ignoring node UUID file $state/hb_uuid: 5 bytes instead of 16" "$log"
ok $([ "$(wc -c < "$state/hb_uuid")" = 16 ]; echo $?) "cut hb_uuid: replaced by a 16-byte UUID"
check "garbage hb_generation: rewritten as a 16-byte record" -- record_ok
dl_stop_check a "garbage hb_generation"

gen=$(tr -d ' \n' < "$state/hb_generation")
uuid=$(od -An -tx1 "$state/hb_uuid")
start "good state files"
ok $([ "$(tr -d ' \n' < "$state/hb_generation")" = "$((${gen:-0} + 1))" ]; echo $?) "a good hb_generation is incremented"
ok $([ "$(od -An -tx1 "$state/hb_uuid")" = "$uuid" ]; echo $?) "a good hb_uuid is kept"
check "a good hb_generation: no warning" -- bash -c "! grep -q 'Ignoring\|No Previous generation' '$log'"
ok $(ls -A "$state" | grep -q '^\.'; [ $? = 1 ]; echo $?) "no temporary file left in the state directory"

# ---- item 10: the pid file is locked; a decoy named heartbeat is not us ----
# (each part starts from a fresh state directory, so it fails on its own)
dl_stop_check a "good state files"
rm -rf "$state"
cp "$(command -v sleep)" "$DL_TMP/heartbeat"
"$DL_TMP/heartbeat" 300 &
decoy=$!
LAB_PIDS+=("$decoy")
# (until the forked shell has exec'ed the copy, its comm is still bash's)
wait_for 5 grep -qx heartbeat "/proc/$decoy/comm"; ok $? "the decoy's comm is heartbeat"
mkdir -p "$dir/run"; echo "$decoy" > "$dir/run/heartbeat.pid"
out=$(hb -s); rc=$?
ok $(( rc == 1 ? 0 : 1 )) "-s with the decoy's pid in the file: 1, stale pid file (got $rc)" || diag "$out"
[ "$out" = "heartbeat is stopped. No process" ]; ok $? "-s prints Heartbeat's stopped line" || diag "$out"
out=$(hb -k 2>&1); rc=$?
ok $rc "-k with the decoy's pid: exits 0"
[ "$out" = "INFO: Heartbeat already stopped." ]; ok $? "-k says already stopped" || diag "$out"
kill -0 "$decoy" 2>/dev/null; ok $? "-k did not signal the decoy"

start "a start over the decoy's pid file"
pid=$DL_PID_a
out=$(hb -s); rc=$?
ok $rc "-s: running" || diag "$out"
[ "$out" = "heartbeat OK [pid $pid et al] is running on alpha [alpha]..." ]; ok $? "-s names the daemon's pid" || diag "$out"
out=$(hb 2>&1); rc=$?
ok $rc "a second start exits 0" || diag "$out"
echo "$out" | grep -qF "heartbeat: already running [pid $pid]."; ok $? "a second start says already running" || diag "$out"
kill -0 "$decoy" 2>/dev/null || { "$DL_TMP/heartbeat" 300 & decoy=$!; LAB_PIDS+=("$decoy"); }
echo "$decoy" > "$dir/run/heartbeat.pid"
out=$(hb -s); rc=$?
[ "$out" = "heartbeat OK [pid $pid et al] is running on alpha [alpha]..." ]
ok $? "-s: the lock holder, not the pid written over the file" || diag "$out"
out=$(hb -k 2>&1); rc=$?
ok $rc "-k stops the daemon" || diag "$out"
kill -0 "$decoy" 2>/dev/null; ok $? "-k signalled the daemon, not the decoy"
kill -TERM "$pid" 2>/dev/null; wait "$pid"; rc=$? # gone already, unless -k missed it
ok $rc "the daemon exited 0 (got $rc)"
ok $([ ! -e "$dir/run/heartbeat.pid" ]; echo $?) "the pid file is removed at exit"
kill "$decoy"; wait "$decoy" 2>/dev/null

# ---- item 8: a reload onto files others can change is refused ----
rm -rf "$state"
start "a daemon for the reloads"
chmod 666 "$dir/etc/haresources"
kill -HUP "$DL_PID_a"
check "SIGHUP with a world-writable haresources: refused, naming it" -- dl_wait_log 5 a \
  "$dir/etc/haresources:0: Bad permissions on configuration file [$dir/etc/haresources]: mode 0666 lets others write it"
check "SIGHUP refused: keeps the old configuration" -- dl_wait_log 5 a "NOT restarted; keeping the old configuration"
kill -0 "$DL_PID_a" 2>/dev/null; ok $? "the daemon still runs after the refused reload"
out=$(hb -r 2>&1); rc=$?
ok $(( rc == 6 ? 0 : 1 )) "-r with a world-writable haresources: exits 6 (got $rc)" || diag "$out"
echo "$out" | grep -qF "ERROR: $dir/etc/haresources:0: Bad permissions"; ok $? "-r prints the problem" || diag "$out"
chmod 644 "$dir/etc/haresources"
kill -HUP "$DL_PID_a"
check "SIGHUP once the mode is fixed: reloaded" -- dl_wait_log 5 a "Configuration reloaded from"
dl_stop_check a "the reloads"

# ---- item 9: log files in a world-writable directory ----
rm -rf "$state"
logdir=$DL_TMP/logdir precious=$DL_TMP/precious
mkdir -p "$logdir"; chmod 1777 "$logdir"
echo "root's data" > "$precious"
ln -s "$precious" "$logdir/ha-log"
: > "$logdir/ha-debug"; chown 65534 "$logdir/ha-debug"
printf '%s\n' "${conf[@]}" "debugfile $logdir/ha-debug" > "$dir/etc/ha.cf"
: > "$dir/stderr"
lab_spawn a alpha "$HB_BIN" -f -c "$dir/etc" --statedir "$state" --rundir "$dir/run" \
  --logfile "$logdir/ha-log" 2>>"$dir/stderr"
DL_PID_a=$LAB_LAST_PID
check "symlinked logfile: the daemon runs without it" -- wait_for 10 hb -s
check "symlinked logfile: refused, naming it" -- \
  grep -qF "Not logging to $logdir/ha-log: it is a symbolic link" "$dir/stderr"
check "debugfile of another user: refused, naming it" -- \
  grep -qF "Not logging to $logdir/ha-debug: owned by uid 65534, not by uid 0" "$dir/stderr"
ok $([ "$(cat "$precious")" = "root's data" ]; echo $?) "the symlink's target was not written"
ok $([ -s "$logdir/ha-debug" ]; [ $? = 1 ]; echo $?) "the other user's file was not written"
dl_stop_check a "refused log files"

rm -f "$logdir/ha-log"; ln "$precious" "$logdir/ha-log"
: > "$dir/stderr"
lab_spawn a alpha "$HB_BIN" -f -c "$dir/etc" --statedir "$state" --rundir "$dir/run" \
  --logfile "$logdir/ha-log" 2>>"$dir/stderr"
DL_PID_a=$LAB_LAST_PID
check "hard-linked logfile: the daemon runs without it" -- wait_for 10 hb -s
check "hard-linked logfile: refused, naming it" -- \
  grep -qF "Not logging to $logdir/ha-log: it has 2 hard links" "$dir/stderr"
ok $([ "$(cat "$precious")" = "root's data" ]; echo $?) "the hard link's other name was not written"
dl_stop_check a "hard-linked logfile"

rm -f "$logdir/ha-log"
printf '%s\n' "${conf[@]}" > "$dir/etc/ha.cf"
: > "$dir/stderr"
lab_spawn a alpha "$HB_BIN" -f -c "$dir/etc" --statedir "$state" --rundir "$dir/run" \
  --logfile "$logdir/ha-log" 2>>"$dir/stderr"
DL_PID_a=$LAB_LAST_PID
check "a new logfile in that directory: used" -- wait_for 10 grep -q "Heartbeat generation:" "$logdir/ha-log"
ok $(grep -q "Not logging" "$dir/stderr"; [ $? = 1 ]; echo $?) "a new logfile: no complaint"
dl_stop_check a "a new logfile"

[ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
done_testing
