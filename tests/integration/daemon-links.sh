#!/bin/bash
# Two media on two independent segments (bridges br0 and br1): cutting one
# marks only that link dead, the node stays up; restoring it brings the
# link back. Then three nodes over bcast: kill -9 of one is logged dead by
# both others, which keep seeing each other. Then ping nodes.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
dl_setup

common=("keepalive 200ms" "deadtime 1" "warntime 600ms" "initdead 3" "udpport 10694"
        "auto_failback on" "syslogmsgfmt false")

# ---- two media, one cut ----
lab_switch
lab_bridge br1
lab_node a 192.0.2.11/24
lab_node b 192.0.2.12/24
lab_link a eth1 198.51.100.11/24 br1
lab_link b eth1 198.51.100.12/24 br1
for n in a b; do
  dl_conf $n "auth 3" "3 sha1 s3cret" -- "${common[@]}" "node alpha" "node beta" \
    "bcast eth0" "ucast eth1 198.51.100.11" "ucast eth1 198.51.100.12" >/dev/null
done
dl_start a alpha
dl_start b beta
check "alpha sees beta active" -- dl_wait_log 10 a "Status update for node beta: status active"
check "link beta:eth0 up" -- dl_wait_log 5 a "Link beta:eth0 up."
check "link beta:eth1 up" -- dl_wait_log 5 a "Link beta:eth1 up."
# Bad packets: junk and a forged status (wrong key) from beta's address are
# dropped with one rate-limited line per source and kind of problem; nothing
# else. Each round differs (junk length, claimed sender), as a flood would:
# the error texts differ, the kinds do not. (cat sends each file in one
# write, so one datagram.)
for i in 1 2 3; do
  printf 'junk%*s' "$i" '' > "$DL_TMP/junk"
  printf '>>>\nt=status\nst=active\nsrc=beta%s\nseq=1\nhg=1\nauth=3 0123456789abcdef0123456789abcdef01234567\n<<<\n' "$i" > "$DL_TMP/forged"
  for f in junk forged; do
    lab_exec b bash -c "cat '$DL_TMP/$f' > /dev/udp/192.0.2.11/10694"
  done
done
check "junk is dropped and logged naming the source" -- \
  dl_wait_log 5 a "Dropped packet from 192.0.2.12:"
sleep 0.5
n=$(grep -c "Dropped packet from 192.0.2.12:" "$(dl_log a)")
ok $(( n == 2 ? 0 : 1 )) "one log line per source and reason for 6 bad packets (got $n)"
grep "Dropped packet" "$(dl_log a)" | sed 's/^/# /'
sleep 5 # past the startup deadtime bonus (docs/PROTOCOL.md, "Status packets")
ip -n "$(lab_ns b)" link set eth1 down
check "cutting eth1 marks link beta:eth1 dead" -- dl_wait_log 10 a "Link beta:eth1 dead."
sleep 2
ok $(grep -c "node beta: is dead" "$(dl_log a)" | grep -qx 0; echo $?) "beta is not declared dead while eth0 carries heartbeats"
ip -n "$(lab_ns b)" link set eth1 up
check "restoring eth1 brings link beta:eth1 up again" -- \
  wait_for 10 sh -c "[ \$(grep -c 'Link beta:eth1 up.' '$(dl_log a)') -ge 2 ]"
[ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
lab_cleanup_noexit
rm -rf "${DL_TMP:?}"/a "${DL_TMP:?}"/b

# ---- three nodes ----
lab_switch
nodes=(a b c); names=(alpha beta gamma)
for i in 0 1 2; do
  lab_node ${nodes[$i]} 192.0.2.1$((i + 1))/24
  dl_conf ${nodes[$i]} "auth 2" "2 md5 k3y" -- "${common[@]}" "node alpha" "node beta" \
    "node gamma" "bcast eth0" >/dev/null
done
for i in 0 1 2; do dl_start ${nodes[$i]} ${names[$i]}; done
for i in 0 1 2; do
  for j in 0 1 2; do
    [ $i = $j ] && continue
    check "3 nodes: ${names[$i]} sees ${names[$j]} active" -- \
      dl_wait_log 10 ${nodes[$i]} "Status update for node ${names[$j]}: status active"
  done
done
sleep 5
t0=$(date +%s)
kill -9 "$DL_PID_c" 2>/dev/null; wait "$DL_PID_c" 2>/dev/null
for n in a b; do
  check "3 nodes: $n logs gamma dead" -- dl_wait_log 10 $n "node gamma: is dead"
  t1=$(dl_log_epoch $n "node gamma: is dead")
  ok $(( t1 >= t0 && t1 <= t0 + 3 ? 0 : 1 )) "3 nodes: $n declared gamma dead within deadtime + 1 s"
done
ok $(grep -q "node beta: is dead" "$(dl_log a)"; [ $? = 1 ]; echo $?) "3 nodes: alpha still has beta"
[ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
lab_cleanup_noexit
rm -rf "${DL_TMP:?}"/a "${DL_TMP:?}"/b "${DL_TMP:?}"/c

# ---- a ping node (ICMP echo) and a ping group ----
lab_switch
lab_node a 192.0.2.11/24
lab_node g 192.0.2.1/24   # the "gateway": the kernel answers echo requests
lab_node h 192.0.2.2/24
dl_conf a "auth 1" "1 crc" -- "${common[@]}" "node alpha" "bcast eth0" "ping 192.0.2.1" \
  "ping_group pg 192.0.2.2 192.0.2.3" >/dev/null
dl_start a alpha
check "ping: the ping node answers" -- dl_wait_log 10 a "Status update for node 192.0.2.1: status ping"
check "ping: the ping group answers" -- dl_wait_log 10 a "Status update for node pg: status ping"
ip -n "$(lab_ns g)" link set eth0 down
check "ping: an unreachable ping node is dead" -- dl_wait_log 10 a "node 192.0.2.1: is dead"
ok $(grep -q "node pg: is dead" "$(dl_log a)"; [ $? = 1 ]; echo $?) "ping: the group stays alive"
[ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
done_testing
