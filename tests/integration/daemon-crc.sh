#!/bin/bash
# A crc key left in authkeys does not open the cluster (issue 9, item 2).
# alpha signs with sha1 (`auth 1`) and still lists `2 crc` (a rollover that
# was never finished). Its medium stays on the host (multicast on lo; on a
# medium that leaves the host `heartbeat -t` refuses such a file), and the
# attacker is a program on the host sending to that group:
#   - a crc-signed status and hb_takeover "from beta" are dropped, naming the
#     reason; beta never becomes a member, alpha never goes standby;
#   - a sha1-signed status from beta is accepted;
#   - a generation beyond 32 bits or far ahead is dropped without becoming
#     beta's replay floor: the genuine next packet still passes.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
INJECT=$abs_top_builddir/tests/tools/hb-inject
[ -x "$INJECT" ] || skip_all "tests/tools/hb-inject not built"
dl_setup

GROUP=239.0.0.1
lab_add_ns a
lab_exec a ip link set lo multicast on
lab_exec a ip route add 224.0.0.0/4 dev lo
dl_conf a "auth 1" "1 sha1 s3cret" -- "keepalive 200ms" "deadtime 3" "warntime 1" \
  "initdead 3" "udpport 10694" "auto_failback on" "syslogmsgfmt false" \
  "node alpha" "node beta" "mcast lo $GROUP 10694 1 1" >/dev/null
printf '2 crc\n' >> "$DL_TMP/a/etc/authkeys"
dl_start a alpha
check "alpha is up" -- dl_wait_log 10 a "Local status now set to: 'up'"

# inject KEY FIELDS...: one packet "from beta" to alpha's group.
inject() { local k=$1; shift; lab_exec a "$INJECT" -k "$k" "$GROUP" 10694 "$@"; }
crc() { inject 2:crc "$@"; }
sha1() { inject 1:sha1:s3cret "$@"; }

crc t=status st=active src=beta seq=1 hg=5 dt=bb8 protocol=1
check "a crc-signed status is dropped with the reason" -- \
  wait_for 5 grep -q "Dropped packet from .*signed with crc (key 2), which is not the active method (auth 1)" "$(dl_log a)"
crc t=hb_takeover src=beta seq=2 hg=ffffffff rsc_hold=all
sleep 0.5
check "beta did not become a member" -- bash -c "! grep -q 'Status update for node beta' '$(dl_log a)'"
check "alpha did not go standby" -- bash -c "! grep -q 'Going standby' '$(dl_log a)'"

sha1 t=status st=active src=beta seq=3 hg=5 dt=bb8 protocol=1
check "a sha1-signed status is accepted" -- dl_wait_log 5 a "Status update for node beta: status active"
sha1 t=status st=active src=beta seq=4 hg=ffffffffffffffff dt=bb8 protocol=1
check "a generation beyond 32 bits is dropped" -- \
  dl_wait_log 5 a "Dropped packet from node beta: implausible generation 18446744073709551615 (last known 5)"
sha1 t=status st=active src=beta seq=5 hg=ffffffff dt=bb8 protocol=1
check "a jump to ffffffff is dropped" -- \
  dl_wait_log 5 a "Dropped packet from node beta: implausible generation 4294967295 (last known 5)"
sha1 t=status st=up src=beta seq=6 hg=5 dt=bb8 protocol=1
check "beta's genuine next packet still passes" -- dl_wait_log 5 a "Status update for node beta: status up"
check "no replay was seen" -- bash -c "! grep -q 'attempted replay attack' '$(dl_log a)'"
ok "$(kill -0 "$DL_PID_a" 2>/dev/null; echo $?)" "alpha still runs"
[ "$TAP_FAILED" -eq 0 ] || dl_dump_logs
dl_stop_check a "after crc and forged generations"
done_testing
