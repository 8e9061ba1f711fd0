#!/bin/bash
# A split brain that only one side saw (found by bench/chaos, issue 9): when
# a partition makes one node declare its peer dead and take its group, while
# the peer never declares the first one dead, the group must still end on a
# single node once the partition heals. Two ways to get there, each on a
# fresh cluster (keepalive 100ms, deadtime 500ms, auto_failback off, the
# group `alpha VIP rsctest::DIR::app` held by beta):
#   bonus   alpha has just restarted: for its first 5 s it advertises
#           deadtime + 2 s (docs/PROTOCOL.md, "Status packets"), so a 1.5 s partition
#           both ways makes alpha declare beta dead (500 ms) but not beta
#           alpha (2.5 s);
#   oneway  beta's heartbeats to alpha are dropped for 1.5 s, alpha's reach
#           beta: alpha declares beta dead, beta hears alpha all along.
# Either way alpha takes the group while beta keeps it; after the heal one
# of them must stop it (the limit below is a generous bound on a wait, not a
# timing claim: the bug keeps both holders for good).
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
command -v nft >/dev/null || skip_all "needs nft (tests/deps/rsctests.txt)"
CL_KEEPALIVE=100ms CL_DEADTIME=500ms CL_WARNTIME=250ms CL_INITDEAD=2
cl_setup
rt_init
KEY=$CL_VIP/24/eth0

conf() {
  CL_AUTO_FAILBACK=off
  CL_HARESOURCES=("alpha $KEY $(rt_res app)")
  cl_conf
  rt_install_agent
}

# beta_holds LABEL: both up, the group moved to beta with hb_standby.
beta_holds() {
  conf
  cl_start alpha; cl_start beta
  check "$1: alpha serves first" -- rt_wait_addr_holders 20 "$CL_VIP" alpha alpha beta
  check "$1: beta settled" -- cl_wait_log 10 beta "Initial resource acquisition complete"
  cl_tool alpha hb_standby all >/dev/null
  check "$1: hb_standby moves the group to beta" -- rt_wait_addr_holders 10 "$CL_VIP" beta alpha beta
  check "$1: the agent runs on beta" -- wait_for 5 rt_running beta app
}

one_holder() { local h; h=$(rt_addr_holders "$CL_VIP" alpha beta); [ -n "$h" ] && [ "$h" = "${h% *}" ]; }
one_agent() { ! { rt_running alpha app && rt_running beta app; }; }

# single_holder_after_heal LABEL: the heal leaves the group on one node.
single_holder_after_heal() {
  local label=$1
  check "$label: alpha took the group (split brain)" -- rt_wait_addr_holders 5 "$CL_VIP" "alpha beta" alpha beta
  heal_now
  check "$label: a single node holds the VIP after the heal" -- wait_for 10 one_holder
  check "$label: the agent runs on one node only" -- wait_for 2 one_agent
  local n
  for n in alpha beta; do check "$label: no sanitizer report from $n" -- cl_no_sanitizer_report "$n"; done
  [ "$TAP_FAILED" -eq 0 ] || cl_dump
}

case_bonus() {
  beta_holds bonus
  cl_stop alpha
  ok $? "bonus: alpha stops"
  cl_mark alpha
  cl_start alpha
  check "bonus: alpha sees beta active again" -- cl_wait_new_log 5 alpha "Status update for node beta: status active"
  rt_partition alpha 10694 || bail "nft failed in alpha"
  check "bonus: alpha declares beta dead" -- cl_wait_new_log 3 alpha "node beta: is dead"
  sleep 1
  heal_now() { rt_heal alpha; }
  check "bonus: beta did not declare alpha dead (alpha advertised deadtime + 2 s)" -- \
    sh -c "! grep -q 'node alpha: is dead' '$(cl_log beta)'"
  single_holder_after_heal bonus
}

case_oneway() {
  beta_holds oneway
  sleep 5.5 # past both nodes' first 5 s: plain deadtime both ways
  cl_mark alpha; cl_mark beta
  lab_exec alpha nft -f - <<'NFT' || bail "nft failed in alpha"
table inet rsctest_partition {
  chain in { type filter hook input priority 0; ip saddr 192.0.2.12 udp dport 10694 drop; }
}
NFT
  check "oneway: alpha declares beta dead" -- cl_wait_new_log 3 alpha "node beta: is dead"
  sleep 1
  heal_now() { rt_heal alpha; }
  check "oneway: beta did not declare alpha dead (it heard alpha)" -- rt_new_log_lacks beta "node alpha: is dead"
  single_holder_after_heal oneway
}

rt_case bonus case_bonus
rt_case oneway case_oneway
done_testing
