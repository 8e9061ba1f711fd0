#!/bin/bash
# auto_failback on / off / legacy in namespaces (docs/PROTOCOL.md, "Startup
# acquisition", "Node death", "auto_failback"; issue 5): alpha is the home node
# of the VIP group; both nodes start, alpha serves; alpha crashes (every process
# killed, link down), beta takes over; alpha reboots (addresses and agent state
# gone) and its daemon starts again:
#   on      the group returns home through the standby exchange
#           (beta: `ask_resources rsc_hold=foreign`);
#   off     it stays on beta; alpha acquires nothing
#           (`Local Resource acquisition completed. (none)`);
#   legacy  alpha asks for it with `ip-request`; beta gives it up and answers,
#           alpha takes it back; the deprecation warning is logged at start.
# Every step asserts who answers at the VIP for the client, and the logs.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
cl_setup
rt_init
KEY=$CL_VIP/24/eth0

# start_cluster MODE: both nodes with auto_failback MODE; alpha serves.
start_cluster() {
  local mode=$1
  CL_AUTO_FAILBACK=$mode cl_conf
  cl_start alpha
  cl_start beta
  check "$mode: the client is served by alpha (home) after start" -- cl_wait_holder 30 alpha
  check "$mode: only alpha holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  if [ "$mode" = legacy ]; then
    check "$mode: deprecation warning logged" -- \
      cl_wait_log 5 alpha "WARN: Deprecated 'legacy' auto_failback option selected."
    check "$mode: conversion advice logged" -- rt_log_has alpha "Please convert to 'auto_failback on'."
    # Legacy has no resource exchange: wait until beta surely had comm up.
    check "$mode: beta's comm is up" -- cl_wait_log 10 beta "Comm_now_up(): updating status to active"
  else
    check "$mode: beta's initial acquisition is complete" -- \
      cl_wait_log 10 beta "Initial resource acquisition complete"
    check "$mode: no deprecation warning" -- rt_log_lacks alpha "Deprecated 'legacy'"
  fi
}

# crash_alpha MODE: alpha dies; beta takes the group.
crash_alpha() {
  local mode=$1 t0
  cl_mark beta
  t0=$(date +%s%N)
  cl_crash alpha
  check "$mode: beta serves after alpha's crash" -- cl_wait_holder 10 beta
  diag "$mode: crash to beta serving: $(rt_elapsed_ms "$t0") ms (deadtime $CL_DEADTIME s)"
  check "$mode: beta logs alpha dead" -- cl_wait_new_log 5 beta "node alpha: is dead"
  check "$mode: beta logs the acquisition" -- cl_wait_new_log 5 beta "Resources being acquired from alpha."
  check "$mode: beta logs the takeover complete" -- \
    cl_wait_new_log 5 beta "mach_down takeover complete"
}

# reboot_alpha: alpha comes back clean and its daemon starts again; from
# then on, who holds the VIP is sampled into $DL_TMP/watch (rt_watch_stop).
reboot_alpha() {
  rt_wipe alpha
  cl_revive alpha
  rt_watch_start "$DL_TMP/watch" alpha beta
  rt_probe_start client "$CL_VIP" "$CL_PORT" "$DL_TMP/probe"
  : > "$(cl_log alpha)"
  cl_mark alpha; cl_mark beta
  cl_start alpha
  check "$1: alpha's daemon back up, comm up" -- \
    cl_wait_log 15 alpha "Comm_now_up(): updating status to active"
}

# rscstatus_are A B: cl_status rscstatus says A on alpha and B on beta.
rscstatus_are() { [ "$(cl_rscstatus alpha 2>/dev/null)/$(cl_rscstatus beta 2>/dev/null)" = "$1/$2" ]; }

# end_case MODE: sanitizer check, and the logs when something failed.
end_case() {
  local n
  for n in alpha beta; do check "$1: no sanitizer report from $n" -- cl_no_sanitizer_report "$n"; done
  [ "$TAP_FAILED" -eq 0 ] || cl_dump
}

# ---- on: the group goes home ---------------------------------------------------
case_on() {
  start_cluster on
  crash_alpha on
  reboot_alpha on
  check "on: the client is served by alpha again" -- cl_wait_holder 30 alpha
  check "on: only alpha holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  rt_watch_stop
  rt_probe_stop
  diag "on: longest client outage during the failback: $(rt_probe_outage "$DL_TMP/probe") ms (probes every ~20 ms)"
  ok "$([ "$(rt_watch_max "$DL_TMP/watch")" -le 1 ]; echo $?)" \
    "on: during the failback the VIP was never on both nodes (ip addr every 50 ms)"
  check "on: beta asks to give back its foreign groups" -- \
    cl_wait_new_log 5 beta "beta wants to go standby [foreign]"
  check "on: alpha sees the standby request" -- cl_wait_new_log 5 alpha "beta wants to go standby [foreign]"
  check "on: beta gives up the foreign group" -- cl_new_log_has beta "give up foreign HA resources (standby)."
  check "on: alpha completes the acquisition" -- \
    cl_wait_new_log 5 alpha "Standby resource acquisition done [foreign]."
  check "on: beta logs the failback done" -- \
    cl_wait_new_log 5 beta "Other node completed standby takeover of foreign resources."
  check "on: beta released the group" -- cl_new_log_has beta "Releasing resource group: alpha $KEY service"
  check "on: cl_status rscstatus: alpha local, beta none" -- wait_for 5 rscstatus_are local none
  end_case on
}

# ---- off: the group stays where it is ------------------------------------------
case_off() {
  start_cluster off
  crash_alpha off
  reboot_alpha off
  check "off: alpha acquires nothing" -- cl_wait_new_log 10 alpha "Local Resource acquisition completed. (none)"
  rt_watch_stop
  rt_probe_stop
  ok "$([ "$(rt_probe_outage "$DL_TMP/probe")" -lt 1000 ]; echo $?)" \
    "off: the client kept being answered while alpha came back (no outage of a second)"
  ok "$([ "$(rt_watch_max "$DL_TMP/watch")" -le 1 ]; echo $?)" \
    "off: while alpha came back the VIP was never on both nodes (ip addr every 50 ms)"
  sleep 2 # would a failback happen, it would have by now (failback retry 1 s)
  check "off: the client is still served by beta" -- _cl_holder_is beta "$CL_PORT"
  check "off: only beta holds the VIP" -- rt_wait_addr_holders 1 "$CL_VIP" beta alpha beta
  check "off: beta gave nothing up" -- rt_log_lacks beta "Releasing resource group"
  check "off: no standby exchange" -- rt_log_lacks beta "wants to go standby"
  check "off: cl_status rscstatus: alpha none, beta foreign" -- wait_for 5 rscstatus_are none foreign
  end_case off
}

# ---- legacy: ip-request failback ----------------------------------------------
case_legacy() {
  start_cluster legacy
  crash_alpha legacy
  reboot_alpha legacy
  check "legacy: the client is served by alpha again" -- cl_wait_holder 30 alpha
  check "legacy: only alpha holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  rt_watch_stop
  rt_probe_stop
  diag "legacy: longest client outage during the failback: $(rt_probe_outage "$DL_TMP/probe") ms (probes every ~20 ms)"
  ok "$([ "$(rt_watch_max "$DL_TMP/watch")" -le 1 ]; echo $?)" \
    "legacy: during the failback the VIP was never on both nodes (ip addr every 50 ms)"
  check "legacy: deprecation warning logged again at restart" -- \
    cl_new_log_has alpha "Deprecated 'legacy' auto_failback option selected."
  check "legacy: beta released the group for alpha's ip-request" -- \
    cl_wait_new_log 5 beta "Releasing resource group: alpha $KEY service"
  check "legacy: alpha got beta's answer (ip-request-resp weown=yes)" -- \
    cl_wait_new_log 5 alpha "received ip-request-resp $KEY OK yes"
  check "legacy: no standby exchange" -- rt_log_lacks beta "wants to go standby"
  end_case legacy
}

rt_case on case_on
rt_case off case_off
rt_case legacy case_legacy
done_testing
