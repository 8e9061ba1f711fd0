#!/bin/bash
# send_arp on the wire: a capture on a neighbour shows request/reply pairs
# announcing the VIP (sender IP = target IP = VIP, Ethernet broadcast, zero
# target MAC in requests, the announced MAC in replies), the -A / -m modes, the
# pid file, SIGTERM, and clear errors for bad input (docs/PROTOCOL.md, "send_arp").
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/ipaddr-lib.sh"

lab_require
command -v tcpdump >/dev/null || skip_all "needs tcpdump (tests/deps/agents.txt)"
lab_init
agents_init
lab_switch
lab_node a 192.0.2.11/24
lab_node c 192.0.2.20/24
SA=$AGENT_BIN/send_arp
CAP=$AGENT_STATE/cap.pcap
MAC_A=$(mac_of a eth0)
PID=$AGENT_STATE/send_arp.pid

capture_start c "$CAP"
check "3 rounds of request+reply exit 0" -- lab_exec a "$SA" -i 100 -r 3 -p "$PID" eth0 192.0.2.100 auto 192.0.2.255 255.255.255.0
check "pid file removed at exit" -- test ! -e "$PID"
check "-A sends replies only" -- lab_exec a "$SA" -A -i 20 -r 2 -p "$PID" eth0 192.0.2.101 auto x y
check "-m request sends requests only" -- lab_exec a "$SA" -m request -i 20 -r 2 -p "$PID" eth0 192.0.2.102 auto x y
check "explicit MAC" -- lab_exec a "$SA" -m reply -r 1 -p "$PID" eth0 192.0.2.103 02:00:00:00:5e:01 x y
capture_stop
tcpdump -r "$CAP" -e -n 2>/dev/null | sed 's/^/# /' | head -20

# Requests: gratuitous (sender IP = target IP), target MAC zero, broadcast.
req="ether dst ff:ff:ff:ff:ff:ff and ether src $MAC_A and arp[6:2] = 1 and arp[14:4] = arp[24:4] and arp[18:4] = 0 and arp[22:2] = 0"
# Replies: sender IP = target IP, target MAC = sender MAC, broadcast.
rep="ether dst ff:ff:ff:ff:ff:ff and ether src $MAC_A and arp[6:2] = 2 and arp[14:4] = arp[24:4] and arp[8:4] = arp[18:4] and arp[12:2] = arp[22:2]"
vip() { echo "arp[14:4] = 0x$(printf '%02x' ${1//./ })"; }
ok "$([ "$(capture_count "$CAP" "$req and $(vip 192.0.2.100)")" = 3 ]; echo $?)" "3 gratuitous requests for 192.0.2.100"
ok "$([ "$(capture_count "$CAP" "$rep and $(vip 192.0.2.100)")" = 3 ]; echo $?)" "3 gratuitous replies for 192.0.2.100"
order=$(tcpdump -r "$CAP" -n "$(vip 192.0.2.100)" 2>/dev/null | awk '{ print $3 }' | tr '\n' ' ')
ok "$([ "$order" = "Request Reply Request Reply Request Reply " ]; echo $?)" "request then reply in each round ($order)"
check "replies announce the interface MAC" -- sh -c "tcpdump -r '$CAP' -n '$(vip 192.0.2.100) and arp[6:2] = 2' 2>/dev/null | grep -q 'is-at $MAC_A'"
ok "$([ "$(capture_count "$CAP" "$(vip 192.0.2.101)")" = 2 ] && [ "$(capture_count "$CAP" "$rep and $(vip 192.0.2.101)")" = 2 ]; echo $?)" "-A: 2 packets, both replies"
ok "$([ "$(capture_count "$CAP" "$(vip 192.0.2.102)")" = 2 ] && [ "$(capture_count "$CAP" "$req and $(vip 192.0.2.102)")" = 2 ]; echo $?)" "-m request: 2 packets, both requests"
check "explicit MAC is the ARP sender" -- sh -c "tcpdump -r '$CAP' -n '$(vip 192.0.2.103)' 2>/dev/null | grep -q 'is-at 02:00:00:00:5e:01'"

# SIGTERM ends a long run with status 0 and removes the pid file.
lab_exec a "$SA" -i 100 -r 1000 -p "$PID" eth0 192.0.2.104 auto x y &
bg=$!
wait_for 5 test -s "$PID"
check "pid file holds the pid" -- test -d "/proc/$(cat "$PID")"
kill -TERM "$(cat "$PID")"
wait "$bg"; ok $? "exit 0 on SIGTERM"
check "pid file removed after SIGTERM" -- test ! -e "$PID"

# expect_error DESC RC PATTERN CMD...: exit status RC and PATTERN on stderr.
expect_error() {
  local desc=$1 want=$2 pattern=$3 out rc; shift 3
  out=$("$@" 2>&1 >/dev/null); rc=$?; out=${out//$'\n'/ }
  [ "$rc" = "$want" ] && grep -q -- "$pattern" <<<"$out"
  ok $? "$desc (rc=$rc: $out)"
}
expect_error "unknown interface" 1 "unknown interface 'eth9'" lab_exec a "$SA" -p "$PID" eth9 192.0.2.100 auto x y
expect_error "bad address" 1 "bad address '192.0.2.300'" lab_exec a "$SA" -p "$PID" eth0 192.0.2.300 auto x y
expect_error "hostname is not an address" 1 "bad address" lab_exec a "$SA" -p "$PID" eth0 localhost auto x y
expect_error "bad MAC" 1 "bad MAC" lab_exec a "$SA" -p "$PID" eth0 192.0.2.100 02:00:00:00:5e x y
expect_error "bad mode" 1 "bad -m value" lab_exec a "$SA" -m both2 -p "$PID" eth0 192.0.2.100 auto x y
expect_error "bad count" 2 "-r >= 1" lab_exec a "$SA" -r 0 -p "$PID" eth0 192.0.2.100 auto x y
expect_error "missing arguments" 2 "Usage: send_arp" lab_exec a "$SA" eth0 192.0.2.100
if command -v setpriv >/dev/null; then
  expect_error "no privileges" 1 "CAP_NET_RAW" lab_exec a setpriv --reuid=65534 --regid=65534 \
    --clear-groups --inh-caps=-all --bounding-set=-all "$SA" -p "$AGENT_STATE/x.pid" eth0 192.0.2.100 auto x y
else
  skip "no privileges (needs setpriv)"
fi
done_testing
