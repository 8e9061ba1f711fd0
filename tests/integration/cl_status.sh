#!/bin/bash
# The installed-form tools (cl_status, hb_standby, hb_takeover) as real
# binaries against fake-hb-api, a small server with canned cluster state
# (tests/unit/fake-hb-state.h), on a socket in a temporary directory.
# Covers what in-process tests cannot: real argv, exit statuses, HA_RUNDIR,
# and, when run as root, a non-root caller refused by file mode and by the
# server's SO_PEERCRED check.
set -u
. "$abs_top_srcdir/tests/lib/tap.sh"

B=$abs_top_builddir
CL=$B/heartbeat/cl_status
STANDBY=$B/heartbeat/hb_standby
TAKEOVER=$B/heartbeat/hb_takeover
FAKE=$B/tests/unit/fake-hb-api
for f in "$CL" "$STANDBY" "$TAKEOVER" "$FAKE"; do
  [ -x "$f" ] || bail "$f not built"
done

TMP=$(mktemp -d /tmp/systole-clstatus.XXXXXX) || bail "mktemp"
RUN=$TMP/run
FAKE_PID=
cleanup() {
  local rc=$?
  [ -z "$FAKE_PID" ] || { kill -TERM "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_fake [OPTIONS...]: runs fake-hb-api on $RUN and waits until it listens.
start_fake() {
  # The previous server's "ready" must not be mistaken for this one's: the
  # background child truncates the file only when it gets to run.
  rm -f "$TMP/fake.out"
  "$FAKE" --rundir "$RUN" "$@" >"$TMP/fake.out" 2>"$TMP/fake.err" &
  FAKE_PID=$!
  local i
  for i in $(seq 100); do
    grep -q ready "$TMP/fake.out" 2>/dev/null && return 0
    sleep 0.05
  done
  bail "fake-hb-api did not start: $(cat "$TMP/fake.err")"
}

stop_fake() {
  kill -TERM "$FAKE_PID"
  wait "$FAKE_PID"
  local rc=$?
  FAKE_PID=
  return "$rc"
}

# expect DESC WANT_RC WANT_STDOUT CMD...: exit status and exact stdout.
expect() {
  local desc=$1 want_rc=$2 want_out=$3; shift 3
  local out rc
  out=$("$@" 2>"$TMP/stderr"); rc=$?
  if [ "$rc" -eq "$want_rc" ] && [ "$out" = "$want_out" ]; then
    ok 0 "$desc"
  else
    ok 1 "$desc"
    diag "command: $*"
    diag "exit $rc (want $want_rc)"
    diag "stdout: $out"
    diag "want:   $want_out"
    diag "stderr: $(cat "$TMP/stderr")"
  fi
}

# stderr_has TEXT: the last expect's stderr contains TEXT.
stderr_has() {
  grep -qF -- "$1" "$TMP/stderr"
  ok $? "stderr says '$1'" || diag "stderr: $(cat "$TMP/stderr")"
}

export HA_RUNDIR=$RUN
start_fake

# ---- cl_status against a running daemon
expect "hbstatus" 0 "Heartbeat is running on this machine." "$CL" hbstatus
expect "listnodes" 0 $'node1\nnode2\nnode3\n192.0.2.254' "$CL" listnodes
expect "listnodes -p" 0 "192.0.2.254" "$CL" listnodes -p
expect "listnodes -n -m" 0 $'The nodes are as follow:\nnode1\nnode2\nnode3' "$CL" listnodes -n -m
expect "nodestatus active node" 0 "active" "$CL" nodestatus node1
expect "nodestatus dead node exits 1" 1 "dead" "$CL" nodestatus node2
expect "nodestatus ping node" 0 "ping" "$CL" nodestatus 192.0.2.254
expect "nodestatus -m" 0 "The cluster node node1 is active" "$CL" nodestatus -m node1
expect "nodestatus unknown node exits 11" 11 "" "$CL" nodestatus nosuch
stderr_has "unknown node 'nosuch'"
expect "nodetype -m" 0 "The node 192.0.2.254's type: ping" "$CL" nodetype -m 192.0.2.254
expect "listhblinks -v" 0 $'\teth0\tup\n\teth1\tup' "$CL" listhblinks -v node1
expect "hblinkstatus up" 0 "up" "$CL" hblinkstatus node1 eth0
expect "hblinkstatus dead exits 1" 1 "dead" "$CL" hblinkstatus node2 eth0
expect "hblinkstatus -m" 0 "The node node1's heartbeat link eth1 is up" "$CL" hblinkstatus -m node1 eth1
expect "rscstatus -m" 0 "This node is holding local resources." "$CL" rscstatus -m
expect "hbparameter" 0 "30" "$CL" hbparameter -p deadtime
expect "hbparameter -m" 0 "Heartbeat parameter keepalive's value: 2" "$CL" hbparameter -m -p keepalive
expect "hbparameter unknown exits 1" 1 "" "$CL" hbparameter -p nosuch
expect "hbparameter without -p exits 11" 11 "" "$CL" hbparameter
expect "invalid sub-command exits 11" 11 "" "$CL" frobnicate
stderr_has "frobnicate: invalid sub-command."
expect "no arguments prints usage" 0 "$("$CL" -h)" "$CL"
expect "--rundir overrides HA_RUNDIR" 1 "Heartbeat is stopped on this machine." \
  "$CL" --rundir "$TMP/elsewhere" hbstatus

# ---- hb_standby / hb_takeover
expect "hb_standby" 0 "Going standby [all]." "$STANDBY"
expect "hb_standby foreign" 0 "Going standby [foreign]." "$STANDBY" foreign
expect "hb_standby failback means foreign" 0 "Going standby [foreign]." "$STANDBY" failback
expect "hb_takeover failback is passed on" 0 "Takeover requested [failback]." "$TAKEOVER" failback
expect "hb_standby bad argument exits 1" 1 "" "$STANDBY" everything
stderr_has "usage: hb_standby"
expect "hb_takeover local" 0 "Takeover requested [local]." "$TAKEOVER" local
expect "hb_takeover bad argument exits 1" 1 "" "$TAKEOVER" all more
stderr_has "usage: hb_takeover"

# ---- a caller who is not root
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  # The temp dir (0700) and the socket (0600) keep the caller out.
  expect "non-root: hbstatus refused by file mode" 0 \
    "Heartbeat is apparently running on this machine, but refuses my connection" \
    "${NOBODY[@]}" "$CL" hbstatus
  expect "non-root: nodestatus cannot sign on" 1 "" "${NOBODY[@]}" "$CL" nodestatus node1
  stderr_has "Cannot signon with heartbeat"
  expect "non-root: hb_standby refused" 1 "" "${NOBODY[@]}" "$STANDBY"
  stderr_has "only root may do this"
  # Open the file modes: now the server's own peer check must refuse.
  chmod 0755 "$TMP" "$RUN"
  chmod 0666 "$RUN/api.sock"
  out=$("${NOBODY[@]}" "$CL" hbstatus -v 2>&1); rc=$?
  [ "$rc" = 0 ] && [[ "$out" == *"refuses my connection"*"permission denied: uid 65534"* ]]
  ok $? "non-root: server's SO_PEERCRED check refuses uid 65534" || diag "exit $rc: $out"
  expect "non-root: server refusal fails nodestatus" 1 "" "${NOBODY[@]}" "$CL" nodestatus node1
  stderr_has "REASON: permission denied: uid 65534"
  expect "root still served after refusals" 0 "active" "$CL" nodestatus node1
  chmod 0700 "$TMP"
else
  skip "non-root checks need root and setpriv"
fi

# ---- daemon stopped
stop_fake
ok $? "fake server stops cleanly on SIGTERM"
[ ! -e "$RUN/api.sock" ]
ok $? "socket file removed on shutdown"
expect "hbstatus when stopped exits 1" 1 "Heartbeat is stopped on this machine." "$CL" hbstatus
expect "nodestatus when stopped exits 1" 1 "" "$CL" nodestatus node1
stderr_has "Cannot signon with heartbeat"
expect "hb_standby when stopped exits 1" 1 "" "$STANDBY"
stderr_has "heartbeat is not running"
expect "hb_takeover when stopped exits 1" 1 "" "$TAKEOVER" foreign

# ---- a daemon that refuses standby (legacy auto_failback)
start_fake --refuse-standby
expect "hb_standby refused by the daemon exits 1" 1 "" "$STANDBY" local
stderr_has "Standby mode only implemented when nice_failback on"
stop_fake

# ---- a daemon that never answers
start_fake --mute
expect "nodestatus against a mute daemon times out with 12" 12 "" \
  "$CL" --timeout=300 nodestatus node1
stderr_has "timed out after 300 ms"
expect "hbstatus against a mute daemon times out with 12" 12 "" "$CL" --timeout 300 hbstatus
expect "hb_standby against a mute daemon exits 1" 1 "" "$STANDBY" --timeout=300 all
stderr_has "did not answer"
stop_fake

done_testing
