#!/bin/bash
# Restart reconciliation (issue 5): `kill -9` of the holder's daemon leaves
# its group running (the VIP stays configured, the service keeps listening).
# When the daemon starts again it finds the group with the agents' status
# (probe: `Resource group ... is already running at startup.`) and resolves
# it with the peer, so that after settling exactly one node holds the VIP
# (`ip addr` on both) and the client is answered by it:
#   quick   restarted within deadtime: beta never took over, alpha keeps it
#           without starting it again, the VIP is never on beta;
#   late    restarted after beta took over (two holders meanwhile, as after
#           any kill -9): auto_failback off: beta keeps it, alpha stops its copy;
#   late/on auto_failback on: beta keeps it first, then it fails back home;
#   late/legacy  the home node keeps it, beta stops its copy;
#   both    both daemons killed and restarted: alpha keeps its running group,
#           nothing is stopped or started.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
cl_setup
rt_init
KEY=$CL_VIP/24/eth0
WATCH=$DL_TMP/watch

# boot MODE LABEL: alpha first (it takes its group once initdead declares
# beta dead), then beta joins a stable node (no 10 s RQSTDELAY of a
# simultaneous start); alpha serves, beta settled.
boot() {
  CL_AUTO_FAILBACK=$1 cl_conf
  cl_start alpha
  check "$2: the client is served by alpha" -- cl_wait_holder 15 alpha
  cl_start beta
  check "$2: beta settled" -- cl_wait_log 10 beta "Initial resource acquisition complete"
}

# restart_alpha: start alpha's daemon again (its log starts empty).
restart_alpha() {
  : > "$(cl_log alpha)"
  cl_mark alpha; cl_mark beta
  cl_start alpha
}

finish() {
  local n
  for n in alpha beta; do check "$1: no sanitizer report from $n" -- cl_no_sanitizer_report "$n"; done
  [ "$TAP_FAILED" -eq 0 ] || cl_dump
}

# ---- quick: back within deadtime ------------------------------------------------
case_quick() {
  boot off quick
  rt_watch_start "$WATCH" alpha beta
  cl_kill alpha
  check "quick: the VIP survives kill -9 of the daemon" -- cl_has_vip alpha
  restart_alpha
  check "quick: alpha finds its group running" -- \
    cl_wait_log 10 alpha "Resource group $KEY is already running at startup."
  sleep 3 # settle: deadtime 1 s, failback retry 1 s
  rt_watch_stop
  check "quick: only alpha holds the VIP" -- rt_wait_addr_holders 1 "$CL_VIP" alpha alpha beta
  ok "$([ "$(rt_watch_max "$WATCH")" -le 1 ]; echo $?)" "quick: the VIP was never on two nodes (sampled every 50 ms)" ||
    diag "$(grep -c 'alpha beta' "$WATCH") samples with both"
  check "quick: beta never took it over" -- rt_new_log_lacks beta "Resources being acquired from alpha."
  check "quick: the client is served by alpha" -- cl_wait_holder 3 alpha
  check "quick: the service was started once" -- \
    rt_lines_are 1 "$(cl_dir alpha)/svc/actions" "^start "
  finish quick
}

# ---- late, auto_failback off: beta keeps it ---------------------------------------
case_late_off() {
  boot off late/off
  cl_mark beta
  cl_kill alpha
  check "late/off: beta takes over the group" -- cl_wait_new_log 10 beta "mach_down takeover complete"
  check "late/off: meanwhile both hold the VIP (kill -9 left alpha's)" -- \
    rt_wait_addr_holders 5 "$CL_VIP" "alpha beta" alpha beta
  restart_alpha
  check "late/off: alpha finds its group running" -- \
    cl_wait_log 10 alpha "Resource group $KEY is already running at startup."
  check "late/off: a single holder after settling: beta" -- rt_wait_addr_holders 10 "$CL_VIP" beta alpha beta
  check "late/off: alpha stopped its copy" -- cl_wait_new_log 5 alpha "Releasing resource group: alpha $KEY service"
  check "late/off: beta kept it" -- rt_new_log_lacks beta "Releasing resource group"
  check "late/off: the duplicate is logged as a split brain" -- \
    cl_wait_new_log 5 alpha "Split brain: resource group $KEY is running on both beta and alpha: beta keeps it, alpha stops it."
  check "late/off: the client is served by beta" -- cl_wait_holder 5 beta
  sleep 2
  check "late/off: still only beta two seconds later" -- rt_wait_addr_holders 1 "$CL_VIP" beta alpha beta
  finish late/off
}

# ---- late, auto_failback on: beta keeps it, then it goes home -------------------
case_late_on() {
  boot on late/on
  cl_mark beta
  cl_kill alpha
  check "late/on: beta takes over the group" -- cl_wait_new_log 10 beta "mach_down takeover complete"
  restart_alpha
  check "late/on: alpha finds its group running" -- \
    cl_wait_log 10 alpha "Resource group $KEY is already running at startup."
  check "late/on: the restarted node yields first" -- \
    cl_wait_new_log 10 beta "Split brain: resource group $KEY is running on both beta and alpha: beta keeps it, alpha stops it."
  check "late/on: then the group fails back: only alpha holds the VIP" -- \
    rt_wait_addr_holders 15 "$CL_VIP" alpha alpha beta
  check "late/on: the client is served by alpha" -- cl_wait_holder 5 alpha
  check "late/on: beta gave it back through standby" -- cl_wait_new_log 5 beta "beta wants to go standby [foreign]"
  sleep 2
  check "late/on: still only alpha two seconds later" -- rt_wait_addr_holders 1 "$CL_VIP" alpha alpha beta
  finish late/on
}

# ---- late, auto_failback legacy: the home node keeps it ---------------------------
case_late_legacy() {
  CL_AUTO_FAILBACK=legacy cl_conf
  cl_start alpha
  check "late/legacy: the client is served by alpha" -- cl_wait_holder 15 alpha
  cl_start beta
  check "late/legacy: beta's comm is up" -- cl_wait_log 10 beta "Comm_now_up(): updating status to active"
  sleep 1
  cl_mark beta
  cl_kill alpha
  check "late/legacy: beta takes over the group" -- cl_wait_new_log 10 beta "mach_down takeover complete"
  check "late/legacy: meanwhile both hold the VIP (kill -9 left alpha's)" -- \
    rt_wait_addr_holders 5 "$CL_VIP" "alpha beta" alpha beta
  restart_alpha
  check "late/legacy: alpha finds its group running" -- \
    cl_wait_log 10 alpha "Resource group $KEY is already running at startup."
  check "late/legacy: a single holder after settling: alpha (legacy: the home node)" -- \
    rt_wait_addr_holders 10 "$CL_VIP" alpha alpha beta
  check "late/legacy: beta stopped its copy" -- cl_wait_new_log 5 beta "Releasing resource group: alpha $KEY service"
  check "late/legacy: the duplicate is logged as a split brain" -- \
    cl_wait_new_log 5 alpha "Split brain: resource group $KEY is running on both alpha and beta: alpha keeps it, beta stops it."
  check "late/legacy: the client is served by alpha" -- cl_wait_holder 5 alpha
  sleep 2
  check "late/legacy: still only alpha two seconds later" -- rt_wait_addr_holders 1 "$CL_VIP" alpha alpha beta
  finish late/legacy
}

# ---- both daemons killed and restarted: nothing moves -------------------------------
case_both() {
  boot off both
  cl_kill alpha
  cl_kill beta
  check "both: the VIP survives kill -9 of both daemons" -- cl_has_vip alpha
  rt_watch_start "$WATCH" alpha beta
  restart_alpha
  : > "$(cl_log beta)"
  cl_mark beta
  cl_start beta
  check "both: alpha finds its group running" -- \
    cl_wait_log 10 alpha "Resource group $KEY is already running at startup."
  check "both: beta settles" -- cl_wait_log 20 beta "Initial resource acquisition complete"
  sleep 2
  rt_watch_stop
  check "both: only alpha holds the VIP" -- rt_wait_addr_holders 1 "$CL_VIP" alpha alpha beta
  ok "$([ "$(rt_watch_max "$WATCH")" -le 1 ]; echo $?)" "both: the VIP was never on two nodes (sampled every 50 ms)"
  check "both: the client is served by alpha" -- cl_wait_holder 3 alpha
  check "both: the service was started once (kept running)" -- \
    rt_lines_are 1 "$(cl_dir alpha)/svc/actions" "^start "
  check "both: and never stopped" -- rt_lines_are 0 "$(cl_dir alpha)/svc/actions" "^stop "
  check "both: beta started nothing" -- rt_new_log_lacks beta "Acquiring resource group"
  check "both: no split brain reported" -- rt_new_log_lacks alpha "Split brain"
  finish both
}

rt_case quick case_quick
rt_case late-off case_late_off
rt_case late-on case_late_on
rt_case late-legacy case_late_legacy
rt_case both case_both
done_testing
