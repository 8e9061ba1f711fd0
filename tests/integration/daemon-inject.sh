#!/bin/bash
# A peer that says exactly what the test needs, with valid signatures
# (tests/tools/hb-inject plays "beta"): a gap in its seq makes alpha ask for
# the missing packets, and beta's NS_nak_rexmit ("cannot retransmit") makes
# alpha give up on that one packet, once, and only on packets it was missing.
# Then authenticated packets with a bad source name or a bad status are
# dropped with a line naming the sender's address; alpha keeps running.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
INJECT=$abs_top_builddir/tests/tools/hb-inject
[ -x "$INJECT" ] || skip_all "tests/tools/hb-inject not built"
dl_setup

lab_switch
lab_node a 192.0.2.11/24
lab_node b 192.0.2.12/24
dl_conf a "auth 1" "1 sha1 s3cret" -- "keepalive 200ms" "deadtime 3" "warntime 1" \
  "initdead 3" "udpport 10694" "auto_failback on" "syslogmsgfmt false" \
  "node alpha" "node beta" "ucast eth0 192.0.2.12" >/dev/null
dl_start a alpha
check "alpha is up" -- dl_wait_log 10 a "Local status now set to: 'up'"

# inject FIELDS...: one packet from beta (b) to alpha's heartbeat port.
inject() { lab_exec b "$INJECT" -k 1:sha1:s3cret 192.0.2.11 10694 "$@"; }
status() { inject t=status st=active src=beta "seq=$1" hg=1 dt=bb8 protocol=1; }

check "a signed status from beta is accepted" -- status 1
check "alpha sees beta active" -- dl_wait_log 5 a "Status update for node beta: status active"
# seq 5 after 1: 2, 3 and 4 are missing; alpha asks beta for them.
status 5
lab_spawn b beta timeout 5 tcpdump -l -n -A -i eth0 "udp and src host 192.0.2.11" >"$DL_TMP/cap" 2>/dev/null
check "alpha asks beta to retransmit the missing packets (NS_rexmit)" -- \
  wait_for 5 grep -q "t=NS_rexmit" "$DL_TMP/cap"
# beta cannot retransmit seq 2: alpha gives that one up, saying so.
inject t=NS_nak_rexmit src=beta dest=alpha firstseq=2
check "NS_nak_rexmit for a missing packet is logged as lost" -- \
  dl_wait_log 5 a "Irretrievably lost packet: node beta seq 2"
# A nak for a packet alpha never missed changes nothing and logs nothing.
inject t=NS_nak_rexmit src=beta dest=alpha firstseq=9
inject t=NS_nak_rexmit src=beta dest=alpha firstseq=2
sleep 0.5
n=$(grep -c "Irretrievably lost packet" "$(dl_log a)")
ok $(( n == 1 ? 0 : 1 )) "a nak for a packet not (or no longer) missing is ignored (lines: $n)"
ok "$(inject t=NS_nak_rexmit src=beta dest=alpha >/dev/null; dl_wait_log 5 a "Bad NS_nak_rexmit from beta: no firstseq"; echo $?)" \
  "a nak without firstseq is reported"

# Signed but malformed: a source name with a blank, and a status with a
# control byte. Each is dropped with one line naming the sender's address.
inject t=status st=active "src=be ta" seq=6 hg=1
check "a bad source node name is dropped and logged" -- \
  dl_wait_log 5 a "Dropped packet from 192.0.2.12:"
grep -F "Dropped packet from 192.0.2.12:" "$(dl_log a)" | grep -q "no valid source node name"
ok $? "the line says the source name is bad"
inject t=status "st=act$(printf '\001')ive" src=beta seq=7 hg=1
check "a bad status is dropped and logged" -- \
  wait_for 5 grep -q "Dropped packet from 192.0.2.12:.*bad status field" "$(dl_log a)"
! grep -q "Status update for node beta: status act" <(grep -v "status active" "$(dl_log a)")
ok $? "the bad status never became beta's status"
ok "$(kill -0 "$DL_PID_a" 2>/dev/null; echo $?)" "alpha still runs"
[ "$TAP_FAILED" -eq 0 ] || { dl_dump_logs; diag "$(cat "$DL_TMP/cap" | head -20)"; }
dl_stop_check a "after injected packets"
done_testing
