#!/bin/bash
# A replayed shutdone must not split a group (issue 9, item 1). An attacker on
# the LAN (the client namespace) captures the heartbeat traffic while beta
# restarts normally (tcpdump), and later sends beta's captured frame again
# byte for byte (bench/chaos-replay); later, while alpha starts and beta holds the group,
# it sends beta's old `shutdone` again and again. Heartbeat 3.0.6 (and
# systole before) accepted it at start, logged "Received shutdown notice",
# took the live group, and both nodes held it.
#   1. alpha remembers beta's generation (hb_peer_generations): the old
#      shutdone is dropped as a replay;
#   2. without that file (a first start), the shutdone is held until beta's
#      run shows a live status, which the replayed run never does: dropped.
# In both, beta's packets are kept from alpha for the first second, so the
# replay is the first thing alpha hears of beta. The VIP never has two
# holders (sampled every 50 ms) and the client is served by beta throughout.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
. "$abs_top_srcdir/tests/integration/rsctests-lib.sh"
command -v nft >/dev/null || skip_all "needs nft (tests/deps/rsctests.txt)"
command -v tcpdump >/dev/null || skip_all "needs tcpdump (tests/deps/daemon.txt)"
REPLAY=$abs_top_builddir/bench/chaos-replay
[ -x "$REPLAY" ] || skip_all "bench/chaos-replay not built"
cl_setup
rt_init
CAP=$DL_TMP/capture.pcap
WATCH=$DL_TMP/holders
CL_AUTO_FAILBACK=off
CL_INITDEAD=6 # beta is kept from alpha for 1 s at alpha's start: far from initdead
cl_conf

# beta's generation of its current run, from its log.
beta_generation() { sed -n 's/.*Heartbeat generation: \([0-9]*\)$/\1/p' "$(cl_log beta)" | tail -1; }

# block_beta / unblock_beta: beta's heartbeats do not leave it (the replayed
# frames, with beta's addresses, come from the client and do reach alpha).
block_beta() {
  lab_exec beta nft -f - <<'NFT'
table inet replay_test {
  chain out { type filter hook output priority 0; udp dport 10694 drop; }
}
NFT
}
unblock_beta() { lab_exec beta nft delete table inet replay_test; }

cl_start alpha
cl_start beta
check "alpha serves the group" -- cl_wait_holder 15 alpha
lab_spawn client capture tcpdump -U --immediate-mode -n -i eth0 -w "$CAP" "udp port 10694"
CAP_PID=$LAB_LAST_PID
sleep 1
cl_mark alpha
cl_stop beta 30 # not inside check: its subshell could not wait for the daemon
ok $? "beta restarts normally (its shutdone goes out)"
cl_start beta
check "beta is back" -- cl_wait_new_log 10 alpha "Heartbeat restart on node beta"
sleep 0.5
kill -INT "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null
check "the capture holds beta's shutdone" -- \
  bash -c "tcpdump -r '$CAP' -A 2>/dev/null | grep -aq 't=shutdone'" ||
  diag "$(tcpdump -r "$CAP" -A 2>&1 | grep -a '^t=\|IP ' | sort | uniq -c | sort -rn | head)"
beta_gen=$(beta_generation)
# the index of beta's shutdone in the capture (chaos-replay list: INDEX TIME
# SRC_IP TYPE SRC_NODE GEN SEQ)
shutdone_index=$("$REPLAY" list "$CAP" | awk '$4 == "shutdone" && $5 == "beta" {i = $1} END {print i}')
ok "$( [ -n "$shutdone_index" ]; echo $?)" "chaos-replay finds beta's shutdone (frame ${shutdone_index:-none})"

cl_stop alpha 30
ok $? "alpha stops; beta takes the group (auto_failback off keeps it there)"
check "beta serves" -- cl_wait_holder 10 beta
check "alpha recorded beta's generation of its current run" -- \
  grep -qx "beta $beta_gen" "$(cl_dir alpha)/state/hb_peer_generations"

# attack NAME: start alpha while the old shutdone is replayed to it.
attack() {
  local name=$1
  cl_mark alpha
  block_beta || bail "nft failed in beta"
  rt_watch_start "$WATCH" alpha beta
  # beta's frame as captured (its MAC and address), from the client's port
  lab_exec client "$REPLAY" send eth0 "$CAP" -r 60 -i 50 "$shutdone_index" &
  local replay_pid=$!
  LAB_PIDS+=("$replay_pid")
  cl_start alpha
  sleep 1
  unblock_beta
  wait "$replay_pid"
  ok $? "$name: the attacker replayed beta's captured shutdone for 3 s"
  sleep 2
  rt_watch_stop
  check "$name: alpha never took the shutdown notice" -- \
    rt_new_log_lacks alpha "Received shutdown notice from 'beta'"
  check "$name: alpha never took a group over" -- rt_new_log_lacks alpha "Resources being acquired from beta"
  ok "$( [ "$(rt_watch_max "$WATCH")" -le 1 ]; echo $?)" \
    "$name: the VIP never had two holders ($(rt_watch_max "$WATCH") at most)"
  check "$name: beta still serves" -- cl_wait_holder 5 beta
  check "$name: alpha runs" -- cl_running alpha
  [ "$TAP_FAILED" -eq 0 ] ||
    diag "$(grep -vF 'attempted replay attack' "$(cl_log alpha)" | grep -E 'is dead|Comm_now|acquired|Split|shutdown notice|Ignored|restart' | tail -15)"
}

attack "with beta's generation remembered"
check "the replay was dropped as one" -- cl_new_log_has alpha "attempted replay attack [beta]?"
cl_stop alpha 30
ok $? "alpha stops again"
rm -f "$(cl_dir alpha)/state/hb_peer_generations"
attack "first start (no remembered generation)"
check "the held shutdone of the replayed run was dropped, saying why" -- \
  cl_new_log_has alpha "Ignored t=shutdone from beta: its run (generation"
check "alpha remembers beta's generation again" -- \
  wait_for 5 grep -qx "beta $beta_gen" "$(cl_dir alpha)/state/hb_peer_generations"
check "no sanitizer report from alpha" -- cl_no_sanitizer_report alpha
check "no sanitizer report from beta" -- cl_no_sanitizer_report beta
[ "$TAP_FAILED" -eq 0 ] || cl_dump
done_testing
