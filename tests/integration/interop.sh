#!/bin/bash
# Interoperability with Debian's heartbeat 3.0.6 (package `heartbeat`, listed
# in tests/deps/daemon.txt): one of our nodes and one Debian node over bcast,
# for each authentication method of authkeys (`1 crc`, `2 md5 KEY`,
# `3 sha1 KEY`). Each reports the other `active` (Debian's cl_status, ours);
# kill -9 of either is detected by the other.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/interop-lib.sh"
deb_require
command -v nsenter >/dev/null || skip_all "needs nsenter (util-linux)"
dl_setup
CL_STATUS=$abs_top_builddir/heartbeat/cl_status

conf=("keepalive 200ms" "deadtime 1" "warntime 600ms" "initdead 2" "udpport 10694"
      "bcast eth0" "auto_failback on" "node alpha" "node deb")

our_status() { # our_status NODE: cl_status nodestatus against our daemon
  lab_exec a "$CL_STATUS" --rundir "$DL_TMP/a/run" nodestatus "$1"
}

run_case() { # run_case LABEL AUTHLINE KEYLINE
  local label=$1 auth=$2 key=$3
  lab_switch
  lab_node a 192.0.2.11/24
  lab_node d 192.0.2.12/24
  # Heartbeat's bcast plugin sends to the interface's configured broadcast
  # address: give it one.
  ip -n "$(lab_ns d)" addr del 192.0.2.12/24 dev eth0
  ip -n "$(lab_ns d)" addr add 192.0.2.12/24 brd + dev eth0
  dl_conf a "$auth" "$key" -- "${conf[@]}" "syslogmsgfmt false" >/dev/null
  deb_conf d "$auth" "$key" -- "${conf[@]}" "use_logd no" "crm off" "realtime off"
  dl_start a alpha
  deb_start d deb
  check "$label: we see deb active" -- dl_wait_log 15 a "Status update for node deb: status active"
  check "$label: deb sees us active" -- wait_for 15 grep -qF "Status update for node alpha: status active" "$DL_TMP/d/log"
  check "$label: deb reaches comm up" -- wait_for 15 grep -qF "Comm_now_up(): updating status to active" "$DL_TMP/d/log"
  check "$label: deb's cl_status nodestatus alpha = active" -- \
    wait_for 10 sh -c "[ \"\$(nsenter -t $DEB_PID_d -m -n -u cl_status nodestatus alpha 2>/dev/null)\" = active ]"
  if [ -x "$CL_STATUS" ]; then
    check "$label: our cl_status nodestatus deb = active" -- \
      wait_for 10 sh -c "[ \"\$(ip netns exec $(lab_ns a) $CL_STATUS --rundir $DL_TMP/a/run nodestatus deb 2>/dev/null)\" = active ]"
  else
    skip "$label: our cl_status is not built"
  fi
  ok $(grep -qE "Dropped packet|failed authentication|Invalid authentication" "$(dl_log a)"; [ $? = 1 ]; echo $?) \
    "$label: we dropped none of deb's packets"
  ok $(grep -qiE "failed authentication|Bad/invalid auth|Invalid authentication" "$DL_TMP/d/log"; [ $? = 1 ]; echo $?) \
    "$label: deb rejected none of ours"
  sleep 5 # both past their startup deadtime bonus (docs/PROTOCOL.md, "Status packets")
  # Ours dies: deb notices; ours comes back with a new generation.
  kill -9 "$DL_PID_a" 2>/dev/null; wait "$DL_PID_a" 2>/dev/null
  check "$label: deb logs alpha dead after kill -9" -- wait_for 10 grep -qF "node alpha: is dead" "$DL_TMP/d/log"
  : > "$(dl_log a)"
  dl_start a alpha
  check "$label: deb sees alpha back" -- \
    wait_for 15 sh -c "[ \$(grep -c 'Status update for node alpha: status active' '$DL_TMP/d/log') -ge 2 ]"
  check "$label: we see deb active again" -- dl_wait_log 15 a "Status update for node deb: status active"
  sleep 5
  # Deb dies (every process of its namespace): we notice.
  for pid in $(ip netns pids "$(lab_ns d)"); do kill -9 "$pid" 2>/dev/null; done
  check "$label: we log deb dead after kill -9" -- dl_wait_log 10 a "node deb: is dead"
  [ "$TAP_FAILED" -eq 0 ] || { dl_dump_logs; diag "---- deb"; diag "$(grep -v harc "$DL_TMP/d/log" | tail -30)"; }
  lab_cleanup_noexit
  rm -rf "${DL_TMP:?}"/a "${DL_TMP:?}"/d
}

run_case crc "auth 1" "1 crc"
run_case md5 "auth 2" "2 md5 interop-md5-key"
run_case sha1 "auth 3" "3 sha1 interop-sha1-key"
done_testing
