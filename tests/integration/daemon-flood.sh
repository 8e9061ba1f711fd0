#!/bin/bash
# What a LAN attacker can make alpha spend (issue 9): log lines and
# retransmissions stay bounded by the budgets of heartbeat/daemon-budget.h
# however many packets arrive.
#  1. junk without the key from 355 spoofed source addresses, round-robin
#     (more sources than the per-source table holds);
#  2. replays of alpha's own packets of an earlier generation (forged here
#     with alpha's key: to alpha they are exactly a capture replayed after
#     its restart);
#  3. one NS_rexmit replayed (for seq 0, below alpha's history: the same
#     path as a request whose packet left the history), and one for seqs
#     1..50 replayed in rounds.
# Each bound is the budget times the windows the run spans, plus summary
# lines; the old code logged (and answered) once per packet.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
INJECT=$abs_top_builddir/tests/tools/hb-inject
[ -x "$INJECT" ] || skip_all "tests/tools/hb-inject not built"
dl_setup

# Budgets (heartbeat/daemon-budget.h).
LOG_BURST=10 LOG_PERIOD=60 RESEND_PER_S=50 NAK_PER_S=20

lab_switch
lab_node a 192.0.2.11/24
lab_node b 192.0.2.12/24
# The attacker's addresses: TEST-NET-1 and TEST-NET-2, in b's namespace.
SOURCES=
for i in $(seq 100 254); do SOURCES+=192.0.2.$i,; done
for i in $(seq 1 200); do SOURCES+=198.51.100.$i,; done
SOURCES=${SOURCES%,}
{
  for a in ${SOURCES//,/ }; do echo "address add $a/32 dev eth0"; done
} | lab_exec b ip -batch - 2>/dev/null
# alpha must see the 198.51.100.x sources too (no reverse-path filter).
lab_exec a sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
lab_exec a ip route add 198.51.100.0/24 dev eth0
dl_conf a "auth 1" "1 sha1 s3cret" -- "keepalive 100ms" "deadtime 3" "warntime 1" \
  "initdead 3" "udpport 10694" "syslogmsgfmt false" \
  "node alpha" "node beta" "ucast eth0 192.0.2.12" >/dev/null
dl_start a alpha
started=$(date +%s)
check "alpha is up" -- dl_wait_log 10 a "Local status now set to: 'up'"
LOG=$(dl_log a)
GEN=$(sed -n 's/.*Heartbeat generation: \([0-9]*\).*/\1/p' "$LOG" | head -1)

inject() { lab_exec b "$INJECT" "$@" 192.0.2.11 10694; }
count() { grep -cE -- "$1" "$LOG"; }
# Events spread over L ms open at most L / W + 1 windows of W ms.
# bound PER_WINDOW WINDOW_S SPAN_MS: the most a fixed-window budget lets
# through; now_ms: the clock the spans are measured with (t0 is taken
# before the first packet, the end after the last was handled).
bound() { echo $(( $1 * ($3 / ($2 * 1000) + 1) )); }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- 1. junk from many sources ----
t0=$(now_ms)
# Signed with a key alpha does not have: every datagram fails authentication.
lab_exec b "$INJECT" -k 1:sha1:not-the-key -n 14 -i 2000 -b "$SOURCES" 192.0.2.11 10694 \
  t=status st=active src=beta seq=1 hg=1
sleep 1
span=$(( $(now_ms) - t0 ))
n=$(count "Dropped packet from")
max=$(bound $LOG_BURST $LOG_PERIOD "$span")
ok $(( n >= 1 && n <= max ? 0 : 1 )) \
  "4970 junk datagrams from 355 sources: $n 'Dropped packet' lines (bound $max)"

# ---- 2. replays of alpha's own packets of an earlier generation ----
t0=$(now_ms)
lab_exec b "$INJECT" -k 1:sha1:s3cret -n 2000 -i 200 192.0.2.11 10694 \
  t=status st=active src=alpha seq=5 hg=$(printf %x $((GEN - 1))) dt=bb8
sleep 1
span=$(( $(now_ms) - t0 ))
n=$(count "attempted replay attack \[alpha\]")
max=$(bound $LOG_BURST $LOG_PERIOD "$span")
ok $(( n >= 1 && n <= max ? 0 : 1 )) "2000 replays: $n replay lines (bound $max)"

# ---- 3. replayed NS_rexmit ----
# Alpha's seqs 1..0x32 must be history (keepalive 100 ms: 8 s is ~80 packets).
while [ $(( $(date +%s) - started )) -lt 8 ]; do sleep 0.5; done
lab_spawn b beta timeout 60 tcpdump -l -n -A -i eth0 "udp and src host 192.0.2.11" \
  >"$DL_TMP/cap" 2>/dev/null
CAP_PID=$LAB_LAST_PID
sleep 1
t0=$(now_ms)
lab_exec b "$INJECT" -k 1:sha1:s3cret -n 500 -i 200 192.0.2.11 10694 \
  t=NS_rexmit src=beta dest=alpha firstseq=0 lastseq=0
# alpha has sent well over 50 sequenced packets by now (keepalive 100 ms).
for r in $(seq 1 16); do
  lab_exec b "$INJECT" -k 1:sha1:s3cret -n 20 192.0.2.11 10694 \
    t=NS_rexmit src=beta dest=alpha firstseq=1 lastseq=50
  sleep 0.3
done
sleep 1.5
span=$(( $(now_ms) - t0 ))
kill -TERM "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null
naks=$(grep -c "t=NS_nak_rexmit" "$DL_TMP/cap")
max=$(bound $NAK_PER_S 1 "$span")
ok $(( naks >= 1 && naks <= max ? 0 : 1 )) "500 replayed NS_rexmit for seq 0: $naks NAKs sent (bound $max)"
# A resend is one of alpha's first 50 packets again: seq 1..0x32.
resends=$(grep -cxE "seq=([1-9a-f]|[12][0-9a-f]|3[0-2])" "$DL_TMP/cap")
max=$(bound $RESEND_PER_S 1 "$span")
ok $(( resends >= 1 && resends <= max ? 0 : 1 )) \
  "16 rounds of a replayed NS_rexmit for 50 seqs: $resends resends (bound $max)"
n=$(count "Cannot rexmit pkt|Not resending pkt|Not sending NS_nak_rexmit|Rexmit of seq")
max=$(bound $LOG_BURST $LOG_PERIOD "$span")
ok $(( n >= 1 && n <= max ? 0 : 1 )) "rexmit serving: $n log lines (bound $max)"

ok "$(kill -0 "$DL_PID_a" 2>/dev/null; echo $?)" "alpha still runs"
[ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
dl_stop_check a "after the floods"
# At shutdown each class reports what it suppressed, once.
for class in "Dropped packets" "Replay warnings" "Rexmit messages"; do
  n=$(grep -c "$class: suppressed [0-9]* similar messages in the last" "$LOG")
  ok $(( n >= 1 && n <= 2 ? 0 : 1 )) "'$class: suppressed K similar messages' reported ($n lines)"
done
done_testing
