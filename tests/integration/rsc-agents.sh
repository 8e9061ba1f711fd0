#!/bin/bash
# Agent failure and timeout (docs/PROTOCOL.md, "Group start and stop"; issue 5): the group
# `alpha VIP service rsctest::DIR::app` (app = tests/integration/agents/rsctest,
# told per node how to misbehave), auto_failback off:
#   start fails  alpha logs `Giving up resources due to failure of <app>`,
#                stops the group (right to left) and beta takes it;
#   start hangs  the agent (and its child) is killed as a process group after
#                the configured timeout, then the same hand-off;
#   stop fails   (hb_standby on alpha) retried, then CRIT `Resource STOP
#                failure. Reboot required!`, the configured fence command runs
#                (here: touch a file) and beta never starts the group.
# Each case asserts who answers at the VIP for the client and the logs.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
cl_setup
rt_init
KEY=$CL_VIP/24/eth0
TIMEOUT_MS=2000

conf() {
  CL_AUTO_FAILBACK=off
  CL_HARESOURCES=("alpha $KEY service $(rt_res app)")
  cl_conf
  rt_install_agent
}

finish() {
  local n
  for n in alpha beta; do check "$1: no sanitizer report from $n" -- cl_no_sanitizer_report "$n"; done
  [ "$TAP_FAILED" -eq 0 ] || cl_dump
}

# pids_gone FILE: every pid listed in FILE is gone (or a zombie).
pids_gone() {
  local p
  [ -s "$1" ] || return 1
  for p in $(cat "$1"); do _cl_gone "$p" || return 1; done
}

# stopped_after_start NODE NAME: NODE ran `stop` on NAME after its `start`.
stopped_after_start() {
  local st sp
  st=$(rt_stamp "$1" start "$2" 1); sp=$(rt_stamp "$1" stop "$2" 1)
  [ -n "$st" ] && [ -n "$sp" ] && awk -v a="$st" -v b="$sp" 'BEGIN { exit !(b > a) }'
}

# handed_to_beta LABEL T0: the group left alpha and runs on beta.
handed_to_beta() {
  local label=$1 t0=$2
  local t1
  check "$label: alpha gives up the group" -- \
    cl_wait_log 30 alpha "CRIT: Giving up resources due to failure of $(rt_res app)"
  t1=$(date +%s%N)
  check "$label: the client is served by beta" -- cl_wait_holder 20 beta
  diag "$label: from start to beta serving: $(rt_elapsed_ms "$t0") ms (simultaneous start: 10 s RQSTDELAY);" \
    "from the failure logged to beta serving: $(rt_elapsed_ms "$t1") ms"
  check "$label: only beta holds the VIP" -- rt_wait_addr_holders 5 "$CL_VIP" beta alpha beta
  check "$label: app runs on beta" -- wait_for 5 rt_running beta app
  check "$label: app does not run on alpha" -- sh -c "! [ -f '$RT_DIR/state/alpha.app' ]"
  check "$label: alpha stopped app after its failed start" -- stopped_after_start alpha app
  check "$label: alpha stopped the service too (the whole group)" -- \
    wait_for 5 sh -c "grep -E '^(start|stop) ' '$(cl_dir alpha)/svc/actions' | tail -1 | grep -q '^stop'"
  check "$label: beta is asked to take alpha's group" -- \
    cl_wait_log 5 beta "alpha wants to go standby [local]"
  # Heartbeat (docs/PROTOCOL.md, "Group start and stop"): one CRIT line, then
  # the group is stopped right to left once; the runner already stops it after
  # the failed start.
  check "$label: the failure is logged once" -- \
    rt_lines_are 1 "$(cl_log alpha)" "Giving up resources due to failure of"
  check "$label: app was stopped once after its failure" -- \
    rt_lines_are 1 "$RT_DIR/trace.alpha" "^[0-9.]+ stop app"
  check "$label: the failure did not loop back to alpha" -- \
    rt_lines_are 1 "$RT_DIR/trace.alpha" "^[0-9.]+ start app"
}

# ---- a start that fails ---------------------------------------------------------------
case_start_fails() {
  conf
  rt_mode alpha app start fail
  t0=$(date +%s%N)
  cl_start alpha
  cl_start beta
  handed_to_beta "start fails" "$t0"
  check "start fails: the agent's failure is logged" -- \
    rt_log_has alpha "Return code 1 from $(cl_dir alpha)/etc/resource.d/rsctest"
  finish "start fails"
}

# ---- a start that hangs -------------------------------------------------------------
case_start_hangs() {
  conf
  rt_mode alpha app start hang
  t0=$(date +%s%N)
  CL_DAEMON_ARGS=(--agent-timeout="${TIMEOUT_MS}ms")
  cl_start alpha
  cl_start beta
  CL_DAEMON_ARGS=()
  check "start hangs: the agent hangs (it and its child run)" -- wait_for 15 test -s "$RT_DIR/hang/alpha.app.start"
  t_hang=$(date +%s%N)
  check "start hangs: timeout logged" -- \
    cl_wait_log 15 alpha "start timed out after $TIMEOUT_MS ms: process group killed"
  diag "start hangs: hang seen to timeout logged: $(rt_elapsed_ms "$t_hang") ms (timeout $TIMEOUT_MS ms)"
  check "start hangs: the agent's whole process group is gone" -- wait_for 10 pids_gone "$RT_DIR/hang/alpha.app.start"
  handed_to_beta "start hangs" "$t0"
  finish "start hangs"
}

# ---- a stop that fails ---------------------------------------------------------------
case_stop_fails() {
  conf
  cl_start alpha
  check "stop fails: the client is served by alpha" -- cl_wait_holder 15 alpha
  cl_start beta
  check "stop fails: app runs on alpha" -- wait_for 5 rt_running alpha app
  check "stop fails: beta settled" -- cl_wait_log 10 beta "Initial resource acquisition complete"
  # alpha acts on a new run's resource messages once that run showed live
  # status packets over a keepalive (docs/HARDENING.md): until then beta
  # looks in flux to it, and hb_standby would be refused.
  check "stop fails: alpha sees beta settled" -- cl_wait_log 5 alpha "remote resource transition completed."
  rt_mode alpha app stop fail
  cl_mark alpha; cl_mark beta
  rt_clear_trace beta
  cl_tool alpha hb_standby all >/dev/null 2>&1 &
  standby_pid=$!
  check "stop fails: beta is asked to take over" -- cl_wait_new_log 10 beta "alpha wants to go standby [all]"
  check "stop fails: the stop is retried" -- \
    cl_wait_new_log 10 alpha "Retrying failed stop operation [$(rt_res app)]"
  check "stop fails: CRIT Resource STOP failure" -- \
    cl_wait_new_log 20 alpha "CRIT: Resource STOP failure. Reboot required!"
  check "stop fails: the fence command ran" -- wait_for 10 cl_fenced alpha
  wait "$standby_pid" 2>/dev/null
  sleep 3 # deadtime, failback retry and standby steps would have acted by now
  check "stop fails: app still runs on alpha (it could not be stopped)" -- rt_running alpha app
  check "stop fails: beta never started app" -- rt_lines_are 0 "$RT_DIR/trace.beta" "^[0-9.]+ start app"
  check "stop fails: only alpha holds the VIP" -- rt_wait_addr_holders 1 "$CL_VIP" alpha alpha beta
  check "stop fails: beta did not acquire anything" -- rt_new_log_lacks beta "standby: acquire ["
  check "stop fails: beta did not run the group" -- rt_new_log_lacks beta "Acquiring resource group"
  holder=$(cl_vip_holder)
  ok "$([ "$holder" != beta ]; echo $?)" "stop fails: the client is not served by beta (sees: $holder)"
  finish "stop fails"
}

# ---- a stop that fails during shutdown ------------------------------------------
# SIGTERM: the release fails, so no shutdown notice may go out (beta would take
# the group at once); the node fences itself and keeps heartbeating meanwhile.
case_stop_fails_shutdown() {
  conf
  cl_start alpha
  check "stop fails/shutdown: the client is served by alpha" -- cl_wait_holder 15 alpha
  cl_start beta
  check "stop fails/shutdown: beta settled" -- cl_wait_log 10 beta "Initial resource acquisition complete"
  rt_mode alpha app stop fail
  cl_mark alpha; cl_mark beta
  rt_clear_trace beta
  kill -TERM "$(cl_pid alpha)"
  check "stop fails/shutdown: CRIT Resource STOP failure" -- \
    cl_wait_new_log 20 alpha "CRIT: Resource STOP failure. Reboot required!"
  check "stop fails/shutdown: the fence command ran" -- wait_for 10 cl_fenced alpha
  sleep 3 # a shutdown notice or deadtime would have moved the group by now
  check "stop fails/shutdown: no shutdown notice reached beta" -- \
    rt_new_log_lacks beta "Received shutdown notice from 'alpha'."
  check "stop fails/shutdown: alpha's daemon still runs (heartbeats: beta does not declare it dead)" -- \
    rt_new_log_lacks beta "node alpha: is dead"
  check "stop fails/shutdown: beta never started app" -- rt_lines_are 0 "$RT_DIR/trace.beta" "^[0-9.]+ start app"
  check "stop fails/shutdown: only alpha holds the VIP" -- rt_wait_addr_holders 1 "$CL_VIP" alpha alpha beta
  finish "stop fails/shutdown"
}

rt_case start-fails case_start_fails
rt_case start-hangs case_start_hangs
rt_case stop-fails case_stop_fails
rt_case stop-fails-shutdown case_stop_fails_shutdown
done_testing
