#!/bin/bash
# The IPaddr agents' background work does not hold their caller: start
# returns while send_arp still runs, even when the caller reads our stdout
# and stderr to EOF (the daemon's runner does), and send_arp runs in its own
# session. Also the alias label reservation: concurrent starts get distinct
# labels, a fresh reservation is respected, a stale one (over a minute old,
# label unused) is reclaimed with a warning.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/ipaddr-lib.sh"

lab_require
lab_init
agents_init
lab_switch
lab_node a 192.0.2.11/24
mkdir -p "$AGENT_STATE/a"

# A long ARP run, so that send_arp outlives the agent by far.
export AGENT_ENV="OCF_RESKEY_arp_count=300 OCF_RESKEY_arp_interval=100"
t0=$(date +%s%N)
out=$(agent a IPaddr2 192.0.2.100 start 2>&1 | cat); rc=${PIPESTATUS[0]}
ms=$((($(date +%s%N) - t0) / 1000000))
ok "$([ "$rc" = 0 ]; echo $?)" "start with stdout and stderr read to EOF succeeds (rc=$rc: $out)"
# Generous bound: the ARP run lasts 30 s; the start itself takes about 1 ms.
ok "$([ "$ms" -lt 5000 ]; echo $?)" "start returns at once although send_arp runs on (${ms} ms)"
pid=$(cat "$AGENT_STATE/a/send_arp-192.0.2.100" 2>/dev/null)
check "send_arp still runs after start returned" -- test -d "/proc/$pid"
check "send_arp is in a session of its own" -- sh -c "[ \"\$(ps -o sid= -p $pid | tr -d ' ')\" = $pid ]"
check "send_arp's stdin and stdout are /dev/null" -- sh -c "[ \"\$(readlink /proc/$pid/fd/0)\" = /dev/null ] && [ \"\$(readlink /proc/$pid/fd/1)\" = /dev/null ]"
check "stop ends it" -- agent a IPaddr2 192.0.2.100 stop
check "send_arp gone after stop" -- wait_for 2 sh -c "! test -d /proc/$pid || grep -q '^State:.*Z' /proc/$pid/status"
unset AGENT_ENV

# Concurrent IPaddr starts: distinct labels.
agent a IPaddr 192.0.2.101 start 2>/dev/null & p1=$!
agent a IPaddr 192.0.2.102 start 2>/dev/null & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
ok "$([ $r1 = 0 ] && [ $r2 = 0 ]; echo $?)" "two concurrent IPaddr starts succeed ($r1 $r2)"
labels=$(lab_exec a ip -o -f inet addr show dev eth0 | grep -oE 'eth0:[0-9]+' | sort | tr '\n' ' ')
ok "$([ "$labels" = "eth0:0 eth0:1 " ]; echo $?)" "they got eth0:0 and eth0:1 ($labels)"
agent a IPaddr 192.0.2.101 stop && agent a IPaddr 192.0.2.102 stop
ok $? "both stopped"
check "reservations released" -- sh -c "! ls '$AGENT_STATE/a' | grep -q 'IPaddr-eth0:'"

# A fresh reservation is another agent's: skip it. A stale one is reclaimed.
mkdir "$AGENT_STATE/a/IPaddr-eth0:0"
agent a IPaddr 192.0.2.103 start 2>/dev/null
check "a fresh reservation of eth0:0 is respected" -- sh -c "ip netns exec $(lab_ns a) ip -o addr show dev eth0 | grep -q '192.0.2.103/24 .*eth0:1\\\\'"
agent a IPaddr 192.0.2.103 stop
touch -d '-2 minutes' "$AGENT_STATE/a/IPaddr-eth0:0"
agent a IPaddr 192.0.2.104 start 2>/dev/null
check "a stale reservation of eth0:0 is reclaimed" -- sh -c "ip netns exec $(lab_ns a) ip -o addr show dev eth0 | grep -q '192.0.2.104/24 .*eth0:0\\\\'"
check "the reclaim is logged" -- grep -q "WARN: reclaimed stale alias reservation eth0:0" "$AGENT_STATE/a.log"
check "stop" -- agent a IPaddr 192.0.2.104 stop
done_testing
