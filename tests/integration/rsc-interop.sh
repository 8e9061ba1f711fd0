#!/bin/bash
# A mixed cluster (issue 5): our daemon on alpha, Debian's Heartbeat 3.0.6 on
# beta (tests/integration/interop-lib.sh runs it in its own mount namespace),
# the same haresources on both: `alpha VIP/24/eth0 service` (Debian's own
# resource.d/IPaddr on beta, ours on alpha; `service` answers the serving
# node's name at the VIP). The group moves both ways:
#   off  alpha crashes -> Heartbeat 3.0.6 takes the VIP (`mach_down`); alpha
#        comes back and leaves it there (auto_failback off); Heartbeat stops
#        gracefully -> ours takes it (`Received shutdown notice from 'beta'.`);
#   on   alpha crashes -> Heartbeat takes it; alpha comes back -> Heartbeat
#        gives it back through the standby exchange (failback).
# Skipped (not failed) when the Debian package is not installed.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/interop-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
deb_require
[ -x /etc/ha.d/resource.d/IPaddr ] || skip_all "Debian heartbeat's resource.d/IPaddr is missing"
command -v ifconfig >/dev/null || skip_all "Debian's IPaddr needs ifconfig (net-tools)"
command -v nsenter >/dev/null || skip_all "needs nsenter (util-linux)"
cl_setup
rt_init
KEY=$CL_VIP/24/eth0
DEB_LOG=$DL_TMP/beta/log

# conf MODE: both nodes' files (cluster-lib writes beta's ha.cf from the same
# knobs when it starts Debian's heartbeat there).
conf() {
  CL_AUTO_FAILBACK=$1
  CL_HARESOURCES=("alpha $KEY service")
  cl_conf
}

# deb_up: start Debian's heartbeat on beta, and give its IPaddr the state
# directory it expects (/run/resource-agents), inside beta's own /run only.
deb_up() {
  cl_deb_start beta
  check "deb: heartbeat 3.0.6 runs on beta" -- wait_for 10 deb_is_heartbeat
  if deb_is_heartbeat && [ "$(readlink "/proc/$DEB_PID_beta/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]; then
    deb_exec beta mkdir -p /run/resource-agents
  fi
}
deb_is_heartbeat() { [ "$(readlink "/proc/$DEB_PID_beta/exe" 2>/dev/null)" = "$DEB_HB" ]; }

# deb_log_has TEXT / deb_wait_log SECONDS TEXT: Debian's log (fixed strings).
deb_log_has() { grep -qF -- "$1" "$DEB_LOG" 2>/dev/null; }
deb_wait_log() { wait_for "$1" deb_log_has "$2"; }

# deb_no_errors: Heartbeat 3.0.6 logged no ERROR or CRIT line (it would
# for a message of ours it rejects, or its audits: "Both machines own ...").
deb_no_errors() {
  ! grep -E '(ERROR|CRIT):' "$DEB_LOG" | grep -v 'harc' | grep . 
}

finish() {
  check "$1: Heartbeat 3.0.6 logged no ERROR/CRIT" -- deb_no_errors
  check "$1: no sanitizer report from alpha" -- cl_no_sanitizer_report alpha
  [ "$TAP_FAILED" -eq 0 ] || { cl_dump; diag "---- beta (Heartbeat 3.0.6)"; diag "$(grep -v 'harc\|debug' "$DEB_LOG" | tail -40)"; }
}

# start_both MODE: alpha serves; Heartbeat is settled.
start_both() {
  conf "$1"
  cl_start alpha
  deb_up
  check "$1: the client is served by alpha (ours)" -- cl_wait_holder 30 alpha
  check "$1: only alpha holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  check "$1: Heartbeat sees alpha active" -- deb_wait_log 10 "Status update for node alpha: status active"
  check "$1: Heartbeat completed its initial acquisition" -- \
    deb_wait_log 15 "Initial resource acquisition complete"
  check "$1: we see Heartbeat active" -- cl_wait_log 10 alpha "Status update for node beta: status active"
}

# crash_ours MODE: alpha crashes; Heartbeat 3.0.6 takes the group.
crash_ours() {
  local t0
  t0=$(date +%s%N)
  cl_crash alpha
  check "$1: Heartbeat takes the VIP: the client is served by beta" -- cl_wait_holder 20 beta
  diag "$1: our crash to Heartbeat serving: $(rt_elapsed_ms "$t0") ms (deadtime $CL_DEADTIME s)"
  check "$1: Heartbeat declares alpha dead" -- deb_wait_log 5 "node alpha: is dead"
  check "$1: Heartbeat acquires from alpha" -- deb_wait_log 5 "Resources being acquired from alpha."
  check "$1: Heartbeat completes the takeover" -- deb_wait_log 10 "mach_down takeover complete"
  check "$1: Heartbeat's IPaddr put the VIP on beta" -- wait_for 5 cl_has_vip beta
}

# reboot_ours MODE: alpha comes back clean with our daemon.
reboot_ours() {
  rt_wipe alpha
  cl_revive alpha
  : > "$(cl_log alpha)"
  cl_mark alpha
  cl_start alpha
  check "$1: our comm comes up with Heartbeat" -- cl_wait_log 15 alpha "Comm_now_up(): updating status to active"
}

# ---- auto_failback off: ours -> Heartbeat by crash, Heartbeat -> ours by stop ------
case_off() {
  start_both off
  crash_ours off
  reboot_ours off
  check "off: we acquire nothing (Heartbeat holds our group)" -- \
    cl_wait_new_log 15 alpha "Local Resource acquisition completed. (none)"
  sleep 2
  check "off: the client is still served by beta" -- _cl_holder_is beta "$CL_PORT"
  check "off: only beta holds the VIP" -- rt_wait_addr_holders 1 "$CL_VIP" beta alpha beta
  cl_mark alpha
  t0=$(date +%s%N)
  cl_stop beta 30 # not inside check: its subshell could not wait for the daemon
  ok "$([ $? != 124 ]; echo $?)" "off: Heartbeat stops gracefully (SIGTERM)"
  check "off: Heartbeat gave its resources up" -- deb_log_has "All HA resources relinquished."
  check "off: we got the shutdown notice" -- cl_wait_new_log 10 alpha "Received shutdown notice from 'beta'."
  check "off: we acquire from beta" -- cl_wait_new_log 5 alpha "Resources being acquired from beta."
  check "off: the client is served by alpha again" -- cl_wait_holder 15 alpha
  diag "off: Heartbeat's SIGTERM to us serving: $(rt_elapsed_ms "$t0") ms (its shell scripts included)"
  check "off: only alpha holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  finish off
}

# ---- auto_failback on: Heartbeat gives the group back ----------------------------
case_on() {
  start_both on
  crash_ours on
  reboot_ours on
  check "on: Heartbeat gives the group back: the client is served by alpha" -- cl_wait_holder 25 alpha
  check "on: only alpha holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  check "on: Heartbeat asked to go standby for our group" -- \
    cl_wait_new_log 5 alpha "beta wants to go standby [foreign]"
  check "on: we completed the acquisition" -- cl_wait_new_log 10 alpha "Standby resource acquisition done [foreign]."
  finish on
}

rt_case off case_off
rt_case on case_on
done_testing
