#!/bin/bash
# A reload that cannot be applied changes nothing (issue 9, item 3). alpha
# holds the group; its ha.cf is edited and SIGHUP sent:
#   - a typo in the medium's interface (eth9),
#   - udpport moved to a port another program holds (the new socket cannot
#     bind: only opening it tells);
# each time alpha keeps heartbeating on its old medium, beta never declares it
# dead, the VIP stays on alpha alone, and cl_status says heartbeat runs. The
# previous main closed every old medium first, logged "Configuration
# reloaded", went silent and kept the group while beta took it too. A good
# edit afterwards is applied.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
cl_setup
rt_init
WATCH=$DL_TMP/holders
HACF=$(cl_dir alpha)/etc/ha.cf
cl_conf
cp "$HACF" "$DL_TMP/ha.cf.good"
cl_start alpha
cl_start beta
check "alpha serves the group" -- cl_wait_holder 15 alpha
check "beta sees alpha active" -- cl_wait_log 10 beta "Status update for node alpha: status active"

# refused: alpha logged, since cl_mark, that it keeps its old configuration
# (the configuration check's words, or the media's).
refused() { cl_new_log_has alpha "Reload refused" || cl_new_log_has alpha "NOT restarted"; }

# bad_reload NAME SED-EXPR: edit alpha's ha.cf, SIGHUP, and check nothing moved.
bad_reload() {
  local name=$1
  cp "$DL_TMP/ha.cf.good" "$HACF"
  sed -i "$2" "$HACF"
  cl_mark alpha; cl_mark beta
  rt_watch_start "$WATCH" alpha beta
  kill -HUP "$(cl_pid alpha)"
  check "$name: alpha refuses the reload and says why" -- wait_for 5 refused
  sleep 3 # three deadtimes
  rt_watch_stop
  check "$name: alpha did not claim a reload" -- rt_new_log_lacks alpha "Configuration reloaded"
  check "$name: beta never declared alpha dead" -- rt_new_log_lacks beta "node alpha: is dead"
  check "$name: beta took nothing over" -- rt_new_log_lacks beta "Resources being acquired from alpha"
  ok "$( [ "$(rt_watch_max "$WATCH")" -le 1 ]; echo $?)" \
    "$name: the VIP never had two holders ($(rt_watch_max "$WATCH") at most)"
  check "$name: the client is still served by alpha" -- cl_wait_holder 2 alpha
  out=$(cl_tool alpha cl_status hbstatus 2>&1)
  [ "$out" = "Heartbeat is running on this machine." ]
  ok $? "$name: cl_status hbstatus: $out"
}

bad_reload "interface typo" 's/^bcast eth0$/bcast eth9/'

# Another program holds UDP 10695 in alpha (no SO_REUSEADDR, so our socket
# cannot share it).
lab_exec alpha socat -u UDP4-RECV:10695 /dev/null &
LAB_PIDS+=("$!")
wait_for 5 bash -c "ip netns exec '$(lab_ns alpha)' ss -Hlun 'sport = :10695' | grep -q ." ||
  bail "socat did not bind UDP 10695 in alpha"
bad_reload "port in use" 's/^udpport 10694$/udpport 10695/'
check "port in use: the refusal names ha.cf and the line" -- \
  cl_new_log_has alpha "ha.cf:6:"

cp "$DL_TMP/ha.cf.good" "$HACF"
sed -i 's/^warntime .*/warntime 700ms/' "$HACF"
cl_mark alpha
kill -HUP "$(cl_pid alpha)"
check "a good edit is reloaded" -- cl_wait_new_log 5 alpha "Configuration reloaded"
check "alpha still serves" -- cl_wait_holder 2 alpha
check "no sanitizer report from alpha" -- cl_no_sanitizer_report alpha
[ "$TAP_FAILED" -eq 0 ] || cl_dump
done_testing
