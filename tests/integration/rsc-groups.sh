#!/bin/bash
# Resource groups (docs/PROTOCOL.md, "haresources", "Group start and stop";
# issue 5):
#   order   one group `alpha VIP service r1 r2 r3` (r* = the rsctest trace
#           agent): start is left to right, stop right to left, each resource
#           after the previous one finished, on both nodes across a graceful
#           takeover (alpha stops: `Received shutdown notice`) and the failback
#           (auto_failback on);
#   two     two groups homed on different nodes (VIP1 on alpha, VIP2 on beta):
#           each node holds its own after start; alpha crashes: its group moves
#           to beta while beta's group is left alone; alpha comes back: only its
#           group moves home (auto_failback on); alpha stops gracefully: its
#           group moves again; when beta then stops, it releases both groups in
#           parallel (their stops overlap).
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
cl_setup
rt_init
KEY=$CL_VIP/24/eth0
VIP2=192.0.2.101
PORT2=9001
KEY2=$VIP2/24/eth0

finish() {
  local n
  for n in alpha beta; do check "$1: no sanitizer report from $n" -- cl_no_sanitizer_report "$n"; done
  [ "$TAP_FAILED" -eq 0 ] || cl_dump
}

# in_sequence NODE ACTION NAME...: NODE ran ACTION on each NAME (last run of
# each), every one starting after the previous one finished.
in_sequence() {
  local node=$1 action=$2 prev_done='' n begin
  shift 2
  for n in "$@"; do
    begin=$(rt_stamp "$node" "$action" "$n") || return 1
    [ -n "$begin" ] || { echo "no $action of $n on $node"; return 1; }
    if [ -n "$prev_done" ] && awk -v a="$begin" -v b="$prev_done" 'BEGIN { exit !(a < b) }'; then
      echo "$action $n began at $begin before the previous one finished at $prev_done"
      return 1
    fi
    prev_done=$(rt_stamp "$node" "done-$action" "$n")
    [ -n "$prev_done" ] || { echo "$action of $n on $node did not finish"; return 1; }
  done
}

# rscstatus_is NODE WANT: cl_status rscstatus on NODE prints WANT.
rscstatus_is() { [ "$(cl_rscstatus "$1" 2>/dev/null)" = "$2" ]; }

both_local() { rscstatus_is alpha local && rscstatus_is beta local; }

# seq_is NODE ACTION EXPECTED: the order NODE ran ACTION in (rt_seq).
seq_is() {
  local got; got=$(rt_seq "$1" "$2")
  [ "$got" = "$3" ] || { echo "$1 $2 order: '$got', expected '$3'"; return 1; }
}

# ---- order -----------------------------------------------------------------------------
case_order() {
  CL_AUTO_FAILBACK=on
  CL_HARESOURCES=("alpha $KEY service $(rt_res r1) $(rt_res r2) $(rt_res r3)")
  cl_conf
  rt_install_agent
  cl_start alpha
  cl_start beta
  check "order: the client is served by alpha" -- cl_wait_holder 30 alpha
  check "order: r3 runs on alpha" -- wait_for 5 rt_running alpha r3
  check "order: alpha started r1 r2 r3, left to right" -- seq_is alpha start "r1 r2 r3"
  check "order: each start after the previous one finished" -- in_sequence alpha start r1 r2 r3
  check "order: beta settled" -- cl_wait_log 10 beta "Initial resource acquisition complete"

  cl_mark beta
  rt_clear_trace alpha beta
  rt_probe_start client "$CL_VIP" "$CL_PORT" "$DL_TMP/probe"
  sleep 0.3
  cl_stop alpha 30 # not inside check: its subshell could not wait for the daemon
  ok $? "order: alpha stops gracefully (exit 0)"
  check "order: alpha stopped r3 r2 r1, right to left" -- seq_is alpha stop "r3 r2 r1"
  check "order: each stop after the previous one finished" -- in_sequence alpha stop r3 r2 r1
  check "order: beta got the shutdown notice" -- cl_wait_new_log 5 beta "Received shutdown notice from 'alpha'."
  check "order: the client is served by beta" -- cl_wait_holder 10 beta
  check "order: r3 runs on beta" -- wait_for 5 rt_running beta r3
  check "order: beta started r1 r2 r3, left to right" -- seq_is beta start "r1 r2 r3"
  check "order: each start on beta after the previous one finished" -- in_sequence beta start r1 r2 r3
  rt_probe_stop
  diag "order: longest client outage over the graceful takeover: $(rt_probe_outage "$DL_TMP/probe") ms" \
    "(five agents stopped on alpha, five started on beta; probes every ~20 ms)"

  cl_mark beta
  rt_clear_trace alpha beta
  cl_start alpha
  check "order: the group fails back to alpha" -- cl_wait_holder 30 alpha
  check "order: r3 runs on alpha again" -- wait_for 5 rt_running alpha r3
  check "order: beta stopped r3 r2 r1 for the failback" -- seq_is beta stop "r3 r2 r1"
  check "order: each stop on beta after the previous one finished" -- in_sequence beta stop r3 r2 r1
  check "order: alpha started r1 r2 r3 again" -- seq_is alpha start "r1 r2 r3"
  check "order: beta finished stopping before alpha started" -- \
    awk -v a="$(rt_stamp alpha start r1)" -v b="$(rt_stamp beta done-stop r1)" 'BEGIN { exit !(a > b) }'
  check "order: only alpha holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  finish order
}

# ---- two groups homed on different nodes ----------------------------------------
case_two() {
  CL_AUTO_FAILBACK=on
  CL_HARESOURCES=("alpha $KEY service $(rt_res a)" "beta $KEY2 service::$PORT2::$VIP2 $(rt_res b)")
  cl_conf
  rt_install_agent
  cl_start alpha
  cl_start beta
  check "two: the client is served by alpha at VIP1" -- cl_wait_holder 30 alpha
  check "two: the client is served by beta at VIP2" -- rt_wait_holder_at 30 beta "$PORT2" "$VIP2"
  check "two: each node runs only its own group" -- \
    sh -c "[ -f '$RT_DIR/state/alpha.a' ] && [ -f '$RT_DIR/state/beta.b' ] && [ ! -f '$RT_DIR/state/alpha.b' ] && [ ! -f '$RT_DIR/state/beta.a' ]"
  check "two: only alpha holds VIP1" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  check "two: only beta holds VIP2" -- rt_wait_addr_holders 5 "$VIP2" beta alpha beta
  check "two: cl_status rscstatus is local on both" -- wait_for 10 both_local

  cl_mark beta
  cl_crash alpha
  check "two: the client is served by beta at VIP1" -- cl_wait_holder 10 beta
  check "two: beta still serves VIP2" -- rt_wait_holder_at 2 beta "$PORT2" "$VIP2"
  check "two: beta runs a and b" -- wait_for 5 sh -c "[ -f '$RT_DIR/state/beta.a' ] && [ -f '$RT_DIR/state/beta.b' ]"
  check "two: beta's own group was started once" -- rt_lines_are 1 "$RT_DIR/trace.beta" "^[0-9.]+ start b$"
  check "two: and never stopped" -- rt_lines_are 0 "$RT_DIR/trace.beta" "^[0-9.]+ stop b$"
  check "two: beta took over only alpha's group" -- cl_wait_new_log 5 beta "Taking over resource group $KEY"
  check "two: beta did not take over its own group" -- rt_new_log_lacks beta "Taking over resource group $KEY2"
  check "two: beta's rscstatus is all" -- wait_for 5 rscstatus_is beta all

  # alpha comes back (auto_failback on): only its own group moves.
  rt_wipe alpha
  cl_revive alpha
  : > "$(cl_log alpha)"
  cl_start alpha
  check "two: alpha's group fails back: the client is served by alpha at VIP1" -- cl_wait_holder 20 alpha
  check "two: beta keeps serving VIP2" -- rt_wait_holder_at 2 beta "$PORT2" "$VIP2"
  check "two: only alpha holds VIP1 again" -- rt_wait_addr_holders 5 "$CL_VIP" alpha alpha beta
  check "two: beta's group was still never stopped" -- rt_lines_are 0 "$RT_DIR/trace.beta" "^[0-9.]+ stop b$"
  check "two: nor started again" -- rt_lines_are 1 "$RT_DIR/trace.beta" "^[0-9.]+ start b$"
  check "two: cl_status rscstatus is local on both again" -- wait_for 10 both_local

  # alpha stops gracefully: beta takes its group at once, its own untouched.
  cl_mark beta
  cl_stop alpha 30
  ok $? "two: alpha stops gracefully (exit 0)"
  check "two: beta got the shutdown notice" -- cl_wait_new_log 5 beta "Received shutdown notice from 'alpha'."
  check "two: the client is served by beta at VIP1 again" -- cl_wait_holder 10 beta
  check "two: beta's group was never stopped through all this" -- \
    rt_lines_are 0 "$RT_DIR/trace.beta" "^[0-9.]+ stop b$"

  # Both stops take 2 s: released one after the other they would not overlap.
  rt_mode beta a stop sleep:2
  rt_mode beta b stop sleep:2
  t0=$(date +%s%N)
  cl_stop beta 30
  ok $? "two: beta stops gracefully (exit 0)"
  diag "two: beta's graceful stop with two 2 s stops took $(rt_elapsed_ms "$t0") ms"
  sa=$(rt_stamp beta stop a); sb=$(rt_stamp beta stop b)
  da=$(rt_stamp beta done-stop a); db=$(rt_stamp beta done-stop b)
  check "two: both groups were stopped" -- sh -c "[ -n '$da' ] && [ -n '$db' ]"
  check "two: the two stops ran in parallel (overlap)" -- \
    awk -v sa="$sa" -v sb="$sb" -v da="$da" -v db="$db" 'BEGIN { exit !(sa < db && sb < da) }'
  diag "two: stop a $sa..$da, stop b $sb..$db"
  check "two: beta holds neither VIP after stopping" -- rt_wait_addr_holders 5 "$CL_VIP" "" beta
  check "two: nor VIP2" -- rt_wait_addr_holders 5 "$VIP2" "" beta
  finish two
}

rt_case order case_order
rt_case two case_two
done_testing
