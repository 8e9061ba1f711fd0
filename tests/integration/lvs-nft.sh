#!/bin/bash
# The LVS agent with the nftables backend, in namespaces:
#
#   client 192.0.2.10 ── br0 ── director 192.0.2.1 + VIP 192.0.2.100
#                                director 198.51.100.1 ── br1 ── rs1 198.51.100.11
#                                                             └─ rs2 198.51.100.12
# The real servers answer their own name on port 8080 and route back through the
# director (NAT). Checks: wrr 3:1 spread, a real server taken out by its TCP check
# and put back, status running/stopped/degraded, idempotent start/stop, and stop
# leaving an unrelated nftables table alone.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"

lab_require
command -v nft >/dev/null || skip_all "needs nft (Debian package nftables)"
command -v socat >/dev/null || skip_all "needs socat"
lab_init

agent=$abs_top_builddir/resource.d/LVS
tmp=$(mktemp -d)
trap 'lab_cleanup_all' EXIT
lab_cleanup_all() { local rc=$?; rm -rf "$tmp"; trap - EXIT; (exit $rc); lab_cleanup; }

export SYSTOLE_LVS_STATEDIR=$tmp/state HA_LOGFILE=$tmp/ha-log
conf=$tmp/lvs.conf
cat > "$conf" <<'EOF'
backend nftables
virtual_server 192.0.2.100 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    real_server 198.51.100.11 8080 {
        weight 3
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
            retry 2
            delay_before_retry 1
        }
    }
    real_server 198.51.100.12 8080 {
        weight 1
        TCP_CHECK {
            connect_port 8080
            connect_timeout 1
            retry 2
            delay_before_retry 1
        }
    }
}
EOF

lab_switch
lab_bridge br1
lab_node client 192.0.2.10/24
lab_node dir 192.0.2.1/24
lab_exec dir ip addr add 192.0.2.100/24 dev eth0
lab_link dir eth1 198.51.100.1/24 br1
lab_exec dir sysctl -qw net.ipv4.ip_forward=1
for n in 1 2; do
  lab_add_ns rs$n
  lab_link rs$n eth0 198.51.100.1$n/24 br1
  lab_exec rs$n ip route add default via 198.51.100.1
done

serve() { # serve N: rs N answers "rsN" on port 8080; sets SERVER_PID_N
  lab_spawn rs"$1" rs"$1" socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:"echo rs$1"
  eval "SERVER_PID_$1=$LAB_LAST_PID"
  wait_for 5 lab_exec dir socat -T1 /dev/null TCP:198.51.100.1"$1":8080
}
serve 1
serve 2

run_dir() { lab_exec dir "$@"; }
agent_do() { run_dir "$agent" "$conf" "$1"; }
ask() { lab_exec client socat -T2 - TCP:192.0.2.100:80 </dev/null 2>/dev/null; }
in_table() { run_dir nft list table ip systole_lvs_lvs 2>/dev/null | grep -q "$1"; }
not_in_table() { ! in_table "$1"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# An unrelated table that stop must not touch.
run_dir nft -f - <<'EOF'
table ip unrelated {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 9 counter
	}
}
EOF

out=$(agent_do status); rc=$?
[ "$rc" = 3 ] && [ "$out" = stopped ]
ok $? "status before start: 'stopped', exit 3 (got '$out', $rc)"

check "start succeeds" -- agent_do start
out=$(agent_do status); rc=$?
[ "$rc" = 0 ] && [ "${out#running}" != "$out" ]
ok $? "status after start: 'running', exit 0 (got '$out', $rc)"
check "start again succeeds (idempotent)" -- agent_do start
checker_pid=$(cat "$SYSTOLE_LVS_STATEDIR"/*.pid 2>/dev/null)
[ -n "$checker_pid" ] && kill -0 "$checker_pid" 2>/dev/null
ok $? "one health checker runs (pid ${checker_pid:-none})"
[ "$(ls "$SYSTOLE_LVS_STATEDIR"/*.pid | wc -l)" = 1 ]
ok $? "second start did not start a second checker"

count() { # count N: N connections, prints "rs1 rs2" counts
  local a=0 b=0 i r
  for ((i = 0; i < $1; i++)); do
    r=$(ask)
    case $r in rs1) a=$((a + 1)) ;; rs2) b=$((b + 1)) ;; esac
  done
  echo "$a $b"
}
read -r c1 c2 < <(count 40)
diag "40 connections: rs1=$c1 rs2=$c2 (weights 3:1)"
[ "$c1" -ge 24 ] && [ "$c1" -le 36 ] && [ "$c2" -ge 4 ] && [ "$c2" -le 16 ] && [ $((c1 + c2)) = 40 ]
ok $? "wrr 3:1 spreads 40 connections about 3:1 (rs1=$c1 rs2=$c2)"

# rs2 dies: after 1 + retry failed checks (retry 2 x delay_before_retry 1 s, plus
# connect time and up to delay_loop 1 s until the first check) it leaves the map.
kill "$SERVER_PID_2"; wait "$SERVER_PID_2" 2>/dev/null
t0=$(now_ms)
# The poll bound is ten times that (timing figures are printed, not asserted).
wait_for 40 not_in_table 198.51.100.12
ok $? "failed real server rs2 removed from the nft map"
t1=$(now_ms)
diag "real server failover (taken out): $((t1 - t0)) ms (bound: retry*delay_before_retry + connect_timeout + delay_loop = 4000 ms)"
grep -q "real server 198.51.100.12:8080 of tcp 192.0.2.100:80 is down after 3 failed TCP checks" "$HA_LOGFILE"
ok $? "the log says rs2 is down and why"
grep -q "removed from the service" "$HA_LOGFILE"
ok $? "the log says rs2 was removed (no inhibit_on_failure)"
read -r c1 c2 < <(count 8)
[ "$c1" = 8 ] && [ "$c2" = 0 ]
ok $? "all new connections go to rs1 (rs1=$c1 rs2=$c2)"
out=$(agent_do status); rc=$?
[ "$rc" = 0 ]
ok $? "status is still running with a failed real server (got '$out')"

serve 2
t0=$(now_ms)
wait_for 40 in_table 198.51.100.12
ok $? "recovered real server rs2 back in the nft map"
t1=$(now_ms)
diag "real server recovery (put back): $((t1 - t0)) ms"
grep -q "real server 198.51.100.12:8080 of tcp 192.0.2.100:80 is up again" "$HA_LOGFILE"
ok $? "the log says rs2 is up again"
read -r c1 c2 < <(count 8)
[ "$c2" -ge 1 ]
ok $? "rs2 gets connections again (rs1=$c1 rs2=$c2)"

# Somebody empties our chain: none of our services is there any more.
run_dir nft flush chain ip systole_lvs_lvs prerouting
out=$(agent_do status); rc=$?
[ "$rc" = 3 ] && [ "$out" = stopped ]
ok $? "status with our services gone from the table: 'stopped', exit 3 (got '$out', $rc)"
check "start repairs the table" -- agent_do start

# Somebody reprograms the map with rs1 only, weight 1: degraded, not held.
tool=$abs_top_builddir/heartbeat/systole-lvs
run_dir "$tool" show "$conf" \
  | sed -e 's/0-2 : 198.51.100.11 . 8080, 3 : 198.51.100.12 . 8080/0 : 198.51.100.11 . 8080/' -e 's/mod 4/mod 1/' \
  | run_dir nft -f -
out=$(agent_do status); rc=$?
diag "$out"
[ "$rc" = 1 ] && [ "${out#stopped (degraded}" != "$out" ] && ! echo "$out" | grep -qi running
ok $? "status of a changed table: 'stopped (degraded...)', exit 1"
echo "$out" | grep -q "tcp 192.0.2.100:80: real server 198.51.100.12:8080 missing"
ok $? "status names the missing real server"
echo "$out" | grep -q "real server 198.51.100.11:8080 has NAT weight 1, wanted NAT weight 3"
ok $? "status names the wrong weight"
grep -q "WARN: .*degraded" "$HA_LOGFILE"
ok $? "degraded status is logged"
check "start repairs the table" -- agent_do start
out=$(agent_do status); rc=$?
[ "$rc" = 0 ]
ok $? "status after repair: running (got '$out')"

check "stop succeeds" -- agent_do stop
! run_dir nft list table ip systole_lvs_lvs >/dev/null 2>&1
ok $? "stop deleted table ip systole_lvs_lvs"
run_dir nft list table ip unrelated | grep -q "tcp dport 9 counter"
ok $? "stop left the unrelated table alone"
! kill -0 "$checker_pid" 2>/dev/null || grep -q '^State:.*Z' "/proc/$checker_pid/status" 2>/dev/null
ok $? "stop ended the health checker"
[ -z "$(ls "$SYSTOLE_LVS_STATEDIR")" ]
ok $? "stop removed the state files"
check "stop again succeeds" -- agent_do stop
out=$(agent_do status); rc=$?
[ "$rc" = 3 ] && [ "$out" = stopped ]
ok $? "status after stop: 'stopped', exit 3"
grep -q "LVS\|systole-lvs" "$HA_LOGFILE"
ok $? "actions were logged to HA_LOGFILE"
done_testing
