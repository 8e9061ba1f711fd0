#!/bin/bash
# The LVS agent with the IPVS backend. This kernel has no IPVS, so the agent runs
# against tests/integration/lvs-ipvsadm-stub.sh, which records the exact ipvsadm
# command stream and keeps a fake table; the real ipvsadm is used too when
# /proc/net/ip_vs exists. Checks: automatic backend choice, the start stream (no
# -C), a failed check setting weight 0 (inhibit_on_failure) with `-e`, status, and
# stop deleting only this configuration's services.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"

lab_require
command -v socat >/dev/null || skip_all "needs socat"
lab_init

agent=$abs_top_builddir/resource.d/LVS
tmp=$(mktemp -d)
trap 'lab_cleanup_all' EXIT
lab_cleanup_all() { local rc=$?; rm -rf "$tmp"; trap - EXIT; (exit $rc); lab_cleanup; }

# One namespace; the real servers are addresses on its loopback, so checks stay in it.
lab_add_ns dir
lab_exec dir ip addr add 198.51.100.11/32 dev lo
lab_exec dir ip addr add 198.51.100.12/32 dev lo
lab_spawn dir dir socat TCP-LISTEN:8080,bind=198.51.100.11,fork,reuseaddr SYSTEM:"echo rs1"
wait_for 5 lab_exec dir socat -T1 /dev/null TCP:198.51.100.11:8080

conf=$tmp/lvs.conf
cat > "$conf" <<'EOF'
virtual_server 192.0.2.100 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind DR
    real_server 198.51.100.11 8080 {
        weight 3
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 0.5
            retry 1
            delay_before_retry 0.2
        }
    }
    real_server 198.51.100.12 8080 {
        weight 1
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 0.5
            retry 1
            delay_before_retry 0.2
        }
    }
}
EOF
cp "$conf" "$tmp/base.conf"
cat >> "$conf" <<'EOF'
virtual_server 192.0.2.100 8443 {
    lb_algo rr
    real_server 198.51.100.11 8443 {
    }
}
EOF

# ---- against the stub --------------------------------------------------------------
export LVS_STUB_DIR=$tmp/stub
mkdir -p "$LVS_STUB_DIR"
touch "$tmp/ip_vs"
printf '%s\n' "-A -t 192.0.2.50:80 -s wlc" "-a -t 192.0.2.50:80 -r 198.51.100.7:80 -m -w 1" > "$LVS_STUB_DIR/table"
stubenv=(env SYSTOLE_LVS_STATEDIR="$tmp/state" HA_LOGFILE="$tmp/ha-log" SYSTOLE_LVS_PROC_IP_VS="$tmp/ip_vs"
         SYSTOLE_IPVSADM="$abs_top_srcdir/tests/integration/lvs-ipvsadm-stub.sh" LVS_STUB_DIR="$LVS_STUB_DIR")
agent_do() { lab_exec dir "${stubenv[@]}" "$agent" "$conf" "$1"; }

check "start (backend chosen automatically: ipvs, since ip_vs exists)" -- agent_do start
want="-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 198.51.100.11:8080 -g -w 3
-a -t 192.0.2.100:80 -r 198.51.100.12:8080 -g -w 1"
[ "$(head -3 "$LVS_STUB_DIR/commands")" = "$want" ]
ok $? "start ran exactly the expected ipvsadm stream" || sed 's/^/# /' "$LVS_STUB_DIR/commands"
grep -q "backend ipvs" "$tmp/ha-log"
ok $? "the log names the ipvs backend"

has_cmd() { grep -qxF -- "$1" "$LVS_STUB_DIR/commands"; }
wait_for 10 has_cmd "-e -t 192.0.2.100:80 -r 198.51.100.12:8080 -g -w 0"
ok $? "failed real server .12 set to weight 0 (inhibit_on_failure) with ipvsadm -e"
# (the stub logs a command before it rewrites its table)
wait_for 5 grep -qxF -- "-a -t 192.0.2.100:80 -r 198.51.100.12:8080 -g -w 0" "$LVS_STUB_DIR/table"
ok $? "the table holds .12 with weight 0"
out=$(agent_do status); rc=$?
[ "$rc" = 0 ] && [ "$out" = running ]
ok $? "status: running with one real server inhibited (got '$out', $rc)"
check "start again succeeds" -- agent_do start

lab_spawn dir dir socat TCP-LISTEN:8080,bind=198.51.100.12,fork,reuseaddr SYSTEM:"echo rs2"
wait_for 10 has_cmd "-e -t 192.0.2.100:80 -r 198.51.100.12:8080 -g -w 1"
ok $? "recovered real server .12 back to weight 1"

# lvs.conf edited while held: start drops only the service that left the file
# and restarts the checker on the new file.
old_checker=$(cat "$tmp"/state/*.pid)
cp "$tmp/base.conf" "$conf"
: > "$LVS_STUB_DIR/commands"
check "start after editing lvs.conf" -- agent_do start
[ "$(grep -- '^-D' "$LVS_STUB_DIR/commands")" = "-D -t 192.0.2.100:8443" ]
ok $? "only the removed service was deleted (-D -t 192.0.2.100:8443)" || sed 's/^/# /' "$LVS_STUB_DIR/commands"
new_checker=$(cat "$tmp"/state/*.pid)
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
[ -n "$new_checker" ] && [ "$new_checker" != "$old_checker" ] && gone "$old_checker"
ok $? "the health checker was restarted on the new file ($old_checker -> $new_checker)"
out=$(agent_do status); rc=$?
[ "$rc" = 0 ]
ok $? "status after the edit: running (got '$out')"

check "stop succeeds" -- agent_do stop
grep -qxF -- "-D -t 192.0.2.100:80" "$LVS_STUB_DIR/commands"
ok $? "stop deleted our virtual service with -D"
! grep -q -- "-C" "$LVS_STUB_DIR/commands"
ok $? "no ipvsadm -C was ever run"
[ "$(cat "$LVS_STUB_DIR/table")" = "$(printf '%s\n' "-A -t 192.0.2.50:80 -s wlc" "-a -t 192.0.2.50:80 -r 198.51.100.7:80 -m -w 1")" ]
ok $? "the other service on the host is untouched"
out=$(agent_do status); rc=$?
[ "$rc" = 3 ] && [ "$out" = stopped ]
ok $? "status after stop: stopped, exit 3"

# ---- against real IPVS, where the kernel has it ------------------------------------------------
if [ -e /proc/net/ip_vs ] && command -v ipvsadm >/dev/null; then
  real() { lab_exec dir env SYSTOLE_LVS_STATEDIR="$tmp/state2" HA_LOGFILE="$tmp/ha-log" "$agent" "$conf" "$1"; }
  check "real IPVS: start" -- real start
  lab_exec dir ipvsadm -S -n | grep -q -- "-A -t 192.0.2.100:80 -s wrr"
  ok $? "real IPVS: service programmed"
  out=$(real status)
  [ "$out" = running ]
  ok $? "real IPVS: status running"
  check "real IPVS: stop" -- real stop
  ! lab_exec dir ipvsadm -S -n | grep -q "192.0.2.100:80"
  ok $? "real IPVS: service removed"
else
  skip "real IPVS: start (no /proc/net/ip_vs in this kernel)"
  skip "real IPVS: service programmed"
  skip "real IPVS: status running"
  skip "real IPVS: stop"
  skip "real IPVS: service removed"
fi
done_testing
