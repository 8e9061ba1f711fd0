#!/bin/bash
# Two of our nodes over each kind of medium (bcast, ucast, mcast): each
# reports the other active; kill -9 of one is logged dead by the other,
# no earlier than deadtime and within a generous bound (the precise figure
# is a benchmark, not a test).
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
dl_setup

DEADTIME_S=1
common=("keepalive 200ms" "deadtime ${DEADTIME_S}" "warntime 600ms" "initdead 3"
        "udpport 10694" "auto_failback on" "syslogmsgfmt false" "node alpha" "node beta")

run_case() { # run_case KIND HA.CF-MEDIA-LINE... (the same ha.cf media on both nodes)
  local kind=$1; shift
  lab_switch
  lab_node a 192.0.2.11/24
  lab_node b 192.0.2.12/24
  dl_conf a "auth 1" "1 crc" -- "${common[@]}" "$@" >/dev/null
  dl_conf b "auth 1" "1 crc" -- "${common[@]}" "$@" >/dev/null

  dl_start a alpha
  dl_start b beta
  check "$kind: alpha sees beta active" -- dl_wait_log 10 a "Status update for node beta: status active"
  check "$kind: beta sees alpha active" -- dl_wait_log 10 b "Status update for node alpha: status active"
  check "$kind: link beta:eth0 up on alpha" -- dl_wait_log 5 a "Link beta:eth0 up."
  # For its first 5 s a node advertises deadtime + 2 s (docs/PROTOCOL.md,
  # "Status packets"); kill after that, so the peer applies the plain deadtime.
  sleep 5
  local t0; t0=$(date +%s)
  kill -9 "$DL_PID_b" 2>/dev/null; wait "$DL_PID_b" 2>/dev/null
  check "$kind: alpha logs beta dead after kill -9" -- dl_wait_log 10 a "node beta: is dead"
  local t1; t1=$(dl_log_epoch a "node beta: is dead")
  # Log stamps have 1 s resolution: dead no earlier than t0 (second of the
  # kill) and no later than t0 + deadtime + 1 s (+1 s for the rounding).
  ok $(( t1 >= t0 && t1 <= t0 + DEADTIME_S + 2 ? 0 : 1 )) "$kind: declared dead within deadtime + 1 s (kill $t0, dead $t1)"
  dl_stop_check a "$kind"
  check "$kind: the shutdown is logged" -- dl_wait_log 2 a "alpha Heartbeat shutdown complete."
  [ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
  lab_cleanup_noexit
  rm -rf "${DL_TMP:?}"/a "${DL_TMP:?}"/b
}

run_case bcast "bcast eth0"
# One ha.cf line per peer on both nodes: each skips the line naming itself.
run_case ucast "ucast eth0 192.0.2.11" "ucast eth0 192.0.2.12"
run_case mcast "mcast eth0 239.0.2.1 10695 1 0"
# The netstring framing that Heartbeat 3.0.6 itself sends (docs/PROTOCOL.md,
# "Which encoding is sent").
run_case netstring "bcast eth0" "msgfmt netstring"
done_testing
