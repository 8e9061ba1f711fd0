#!/bin/bash
# The LSB init script (ha.d/heartbeat.init, run from the source tree with
# env overrides) inside a namespace: start/status/reload/stop with the
# outputs and exit codes of docs/PROTOCOL.md, "heartbeat command line" and
# "Init script"; a bad
# configuration fails start with 6; SIGHUP with a broken ha.cf keeps the old
# configuration; the peer sees the shutdown notice.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
dl_setup

INIT=$abs_top_srcdir/ha.d/heartbeat.init
lab_switch
lab_node a 192.0.2.11/24
lab_node b 192.0.2.12/24
conf=("keepalive 200ms" "deadtime 1" "warntime 600ms" "initdead 3" "udpport 10694"
      "auto_failback on" "syslogmsgfmt false" "node alpha" "node beta" "bcast eth0")
dir=$(dl_conf a "auth 1" "1 crc" -- "${conf[@]}" "logfile $DL_TMP/a/log")
dl_conf b "auth 1" "1 crc" -- "${conf[@]}" >/dev/null
dl_start b beta

svc() { # svc ACTION: the init script as `service heartbeat ACTION` on alpha
  lab_run_as_host a alpha env HEARTBEAT="$HB_BIN" HA_DIR="$dir/etc" HA_STATEDIR="$dir/state" \
    HA_RUNDIR="$dir/run" sh "$INIT" "$1"
}

# ---- a bad configuration: start fails with 6 and says why ----
cp "$dir/etc/ha.cf" "$dir/ha.cf.good"
grep -v '^node alpha' "$dir/ha.cf.good" > "$dir/etc/ha.cf"
out=$(svc start 2>&1); rc=$?
ok $(( rc == 6 ? 0 : 1 )) "start with alpha missing from ha.cf exits 6 (got $rc)"
echo "$out" | grep -q "alpha" ; ok $? "start prints the -t error naming the node" || diag "$out"
cp "$dir/ha.cf.good" "$dir/etc/ha.cf"

# ---- start / status ----
out=$(svc start 2>&1); rc=$?
ok $rc "start exits 0" || diag "$out"
echo "$out" | grep -q "Starting High-Availability services: Done." ; ok $? "start prints Done." || diag "$out"
out=$(svc status 2>&1); rc=$?
ok $rc "status exits 0 while running" || diag "$out"
echo "$out" | grep -Eq '^heartbeat OK \[pid [0-9]+ et al\] is running on alpha \[alpha\]\.\.\.$'
ok $? "status line as Heartbeat's" || diag "$out"
pid=$(cat "$dir/run/heartbeat.pid")
tr '\0' ' ' < /proc/"$pid"/cmdline | grep -q '^heartbeat: master control process'
ok $? "process title is 'heartbeat: master control process'" || diag "$(tr '\0' ' ' < /proc/"$pid"/cmdline)"
check "beta sees alpha active" -- dl_wait_log 10 b "Status update for node alpha: status active"

# ---- reload: a broken ha.cf is refused, the daemon keeps running ----
echo "bogus_directive 1" >> "$dir/etc/ha.cf"
out=$(svc reload 2>&1); rc=$?
ok $(( rc == 6 ? 0 : 1 )) "reload with a broken ha.cf exits 6 (got $rc)"
kill -HUP "$pid"
check "SIGHUP with a broken ha.cf is logged and refused" -- \
  dl_wait_log 5 a "NOT restarted; keeping the old configuration"
kill -0 "$pid"; ok $? "daemon still runs after the refused reload"
cp "$dir/ha.cf.good" "$dir/etc/ha.cf"
sed -i 's/^warntime 600ms/warntime 700ms/' "$dir/etc/ha.cf"
out=$(svc reload 2>&1); rc=$?
ok $rc "reload of a good ha.cf exits 0" || diag "$out"
check "the reload is logged" -- dl_wait_log 5 a "Configuration reloaded from"
sleep 1
ok $(grep -q "node alpha: is dead" "$(dl_log b)"; [ $? = 1 ]; echo $?) "heartbeats did not pause over the reloads"

# ---- debug level by signal ----
kill -USR1 "$pid"
check "SIGUSR1 raises the debug level" -- dl_wait_log 5 a "debug level now 1"
kill -USR2 "$pid"
check "SIGUSR2 lowers it" -- dl_wait_log 5 a "debug level now 0"

# ---- stop ----
out=$(svc stop 2>&1); rc=$?
ok $rc "stop exits 0" || diag "$out"
# Gone, or a zombie waiting for a parent that does not reap (PID 1 here).
st=$(ps -o stat= -p "$pid" 2>/dev/null)
case "$st" in ''|Z*) ok 0 "daemon is gone after stop" ;; *) ok 1 "daemon is gone after stop (state $st)" ;; esac
check "beta got the shutdown notice" -- dl_wait_log 5 b "Received shutdown notice from 'alpha'."
check "beta marks alpha dead at once" -- dl_wait_log 5 b "Status update for node alpha: status dead"
out=$(svc status 2>&1); rc=$?
ok $(( rc == 3 ? 0 : 1 )) "status exits 3 when stopped (got $rc)"
[ "$out" = "heartbeat is stopped. No process" ]; ok $? "stopped status line" || diag "$out"
out=$(svc stop 2>&1); rc=$?
ok $rc "stop when stopped exits 0"
echo "$out" | grep -q "INFO: Heartbeat already stopped." ; ok $? "stop when stopped says so" || diag "$out"
echo 999999 > "$dir/run/heartbeat.pid"
svc status >/dev/null 2>&1; rc=$?
ok $(( rc == 1 ? 0 : 1 )) "status with a stale pid file exits 1 (got $rc)"
grep -q "alpha Heartbeat shutdown complete." "$(dl_log a)"; ok $? "shutdown complete is logged"
[ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
done_testing
