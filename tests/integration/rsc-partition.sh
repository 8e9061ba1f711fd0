#!/bin/bash
# Partition and heal (issue 5, split brain as an event): nftables inside
# alpha's namespace drops the heartbeat traffic (UDP 10694) both ways; each
# node declares the other dead and holds the VIP group (split brain). When
# the rule goes, exactly one keeps the group and the other stops it:
#   auto_failback on   the home node (alpha), although beta held it last;
#   auto_failback off  the node that held it before the partition (beta,
#                      which had taken it over earlier; alpha is its home).
# Both nodes log the split brain loudly, `ip addr` shows a single holder and
# the client is answered by the keeper: the gap from the heal until the
# keeper answers steadily is printed (a figure, not an assertion; the issue
# targets <= 1 s).
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
command -v nft >/dev/null || skip_all "needs nft (tests/deps/rsctests.txt)"
cl_setup
rt_init
KEY=$CL_VIP/24/eth0
PROBE=$DL_TMP/probe

# client_mac_is NODE: the client's neighbour entry for the VIP is NODE's eth0.
client_mac_is() {
  local want got
  want=$(lab_exec "$1" cat /sys/class/net/eth0/address)
  got=$(lab_exec client ip neigh show "$CL_VIP" | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p')
  [ -n "$want" ] && [ "$got" = "$want" ]
}

# split MODE HOLDER OTHER: cut the heartbeat path while HOLDER serves; OTHER
# takes the group too.
split() {
  local mode=$1 holder=$2 other=$3
  cl_mark alpha; cl_mark beta
  rt_partition alpha 10694 || bail "nft failed in alpha"
  check "$mode: $other declares $holder dead" -- cl_wait_new_log 10 "$other" "node $holder: is dead"
  check "$mode: $holder declares $other dead" -- cl_wait_new_log 10 "$holder" "node $other: is dead"
  check "$mode: $other takes the group over" -- cl_wait_new_log 10 "$other" "mach_down takeover complete"
  check "$mode: split brain: both nodes hold the VIP" -- \
    rt_wait_addr_holders 10 "$CL_VIP" "alpha beta" alpha beta
}

# heal MODE KEEPER LOSER: remove the rule; KEEPER keeps the group.
heal() {
  local mode=$1 keeper=$2 loser=$3 t_heal gap
  local line="Split brain: resource group $KEY is running on both $keeper and $loser: $keeper keeps it, $loser stops it."
  cl_mark alpha; cl_mark beta
  rt_probe_start client "$CL_VIP" "$CL_PORT" "$PROBE"
  sleep 0.3
  t_heal=$(date +%s%N)
  rt_heal alpha
  check "$mode: only $keeper holds the VIP after the heal" -- \
    rt_wait_addr_holders 10 "$CL_VIP" "$keeper" alpha beta
  diag "$mode: heal to a single holder (ip addr): $(rt_elapsed_ms "$t_heal") ms"
  check "$mode: the client is served by $keeper" -- cl_wait_holder 5 "$keeper"
  check "$mode: the client's ARP entry for the VIP is $keeper's MAC (re-announced)" -- \
    wait_for 3 client_mac_is "$keeper"
  sleep 1.5 # let the probe see the settled state
  rt_probe_stop
  gap=$(rt_probe_gap "$PROBE" "$t_heal" "$keeper")
  ok "$([ -n "$gap" ]; echo $?)" "$mode: the client's probes end answered by $keeper only" ||
    diag "answers after the heal: $(rt_probe_answers "$PROBE" "$t_heal")"
  diag "$mode: client gap after the heal: ${gap:-?} ms until $keeper answers steadily (target <= 1000 ms);" \
    "answers seen: $(rt_probe_answers "$PROBE" "$t_heal")"
  check "$mode: $keeper logs the split brain" -- cl_wait_new_log 5 "$keeper" "ERROR: $line"
  check "$mode: $loser logs the split brain" -- cl_wait_new_log 5 "$loser" "ERROR: $line"
  check "$mode: $loser stops the group" -- cl_wait_new_log 5 "$loser" "Releasing resource group: alpha $KEY service"
  check "$mode: $keeper does not stop it" -- rt_new_log_lacks "$keeper" "Releasing resource group"
  sleep 1
  check "$mode: still a single holder a second later" -- rt_wait_addr_holders 1 "$CL_VIP" "$keeper" alpha beta
  local n
  for n in alpha beta; do check "$mode: no sanitizer report from $n" -- cl_no_sanitizer_report "$n"; done
  [ "$TAP_FAILED" -eq 0 ] || cl_dump
}

# ---- auto_failback on: alpha (home) keeps it ----------------------------------------
case_on() {
  CL_AUTO_FAILBACK=on cl_conf
  cl_start alpha
  cl_start beta
  check "on: the client is served by alpha" -- cl_wait_holder 30 alpha
  check "on: beta settled" -- cl_wait_log 10 beta "Initial resource acquisition complete"
  split on alpha beta
  heal on alpha beta
}

# ---- auto_failback off: beta (holder before the partition) keeps it ---------------
case_off() {
  CL_AUTO_FAILBACK=off cl_conf
  cl_start beta
  check "off: beta alone takes alpha's group after initdead" -- cl_wait_holder 15 beta
  cl_start alpha
  check "off: alpha joins and acquires nothing" -- \
    cl_wait_log 15 alpha "Local Resource acquisition completed. (none)"
  check "off: beta keeps serving" -- cl_wait_holder 3 beta
  split off beta alpha
  heal off beta alpha
}

# ---- legacy: the home node asks for its group again (ip-request) -------------------
case_legacy() {
  CL_AUTO_FAILBACK=legacy cl_conf
  cl_start alpha
  cl_start beta
  check "legacy: the client is served by alpha" -- cl_wait_holder 30 alpha
  check "legacy: beta's comm is up" -- cl_wait_log 10 beta "Comm_now_up(): updating status to active"
  sleep 4 # past the startup deadtime bonus (docs/PROTOCOL.md, "Status packets")
  split legacy alpha beta
  heal legacy alpha beta
}

rt_case on case_on
rt_case off case_off
rt_case legacy case_legacy
done_testing
