#!/bin/bash
# The LVS agent as ocf:systole:LVS and its bad-input behaviour: Debian's ocf-tester
# against the build-tree agent inside a namespace (nftables backend), meta-data
# against ra-api-1.dtd, and clear errors with the right OCF/LSB codes for a
# malformed lvs.conf, a missing file and a scheduler nftables cannot do.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"

lab_require
command -v nft >/dev/null || skip_all "needs nft (Debian package nftables)"
lab_init

agent=$abs_top_builddir/resource.d/LVS
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'lab_cleanup_all' EXIT
lab_cleanup_all() { local rc=$?; rm -rf "$tmp"; trap - EXIT; (exit $rc); lab_cleanup; }
export SYSTOLE_LVS_STATEDIR=$tmp/state HA_LOGFILE=$tmp/ha-log

lab_switch
lab_node dir 192.0.2.1/24
lab_exec dir ip addr add 192.0.2.100/24 dev eth0

# Real servers that do not exist: their checks fail, which must not make the
# resource itself fail.
cat > "$tmp/good.conf" <<'EOF'
backend nftables
virtual_server 192.0.2.100 80 {
    delay_loop 1
    lb_algo rr
    real_server 198.51.100.11 80 {
        TCP_CHECK {
            connect_timeout 0.2
            retry 0
        }
    }
    real_server 198.51.100.12 80 {
        inhibit_on_failure
    }
}
EOF
cat > "$tmp/bad.conf" <<'EOF'
virtual_server 192.0.2.100 80 {
    lb_algo rr
    real_server 198.51.100.11 80 {
        weight heavy
    }
EOF
cat > "$tmp/wlc.conf" <<'EOF'
backend nftables
virtual_server 192.0.2.100 80 {
    lb_algo wlc
    real_server 198.51.100.11 80 {
    }
}
EOF

ocf() { # ocf CONFIG ACTION: OCF-style call in the director namespace
  lab_exec dir env OCF_ROOT=/usr/lib/ocf OCF_RESKEY_config="$1" "$agent" "$2"
}
hb() { lab_exec dir "$agent" "$@"; }

# ---- meta-data -------------------------------------------------------------------
if [ -f /usr/share/resource-agents/ra-api-1.dtd ] && command -v xmllint >/dev/null; then
  (cd /usr/share/resource-agents && "$agent" meta-data | xmllint --noout --valid -)
  ok $? "meta-data is valid against ra-api-1.dtd"
else
  skip "meta-data DTD check (needs resource-agents and xmllint)"
fi

# ---- ocf-tester ----------------------------------------------------------------------
if command -v ocf-tester >/dev/null; then
  out=$(lab_exec dir ocf-tester -n lvs -o config="$tmp/good.conf" "$agent" 2>&1); rc=$?
  ok $rc "ocf-tester passes" || printf '%s\n' "$out" | sed 's/^/# /'
  echo "$out" | grep -q "passed all tests"
  ok $? "ocf-tester says 'passed all tests'"
else
  skip "ocf-tester (needs Debian package resource-agents)"
  skip "ocf-tester output"
fi

# ---- OCF codes -----------------------------------------------------------------------
ocf "$tmp/good.conf" monitor >/dev/null 2>&1
ok $([ $? = 7 ]; echo $?) "OCF monitor of a stopped resource: 7"
ocf "$tmp/good.conf" start >/dev/null 2>&1
ok $? "OCF start: 0"
ocf "$tmp/good.conf" monitor >/dev/null 2>&1
ok $? "OCF monitor of a started resource: 0 (even with failing real servers)"
grep -q "WARN: .*good.conf: lb_kind NAT needs net.ipv4.ip_forward=1 on the director, but it is 0" "$HA_LOGFILE"
ok $? "start warns that NAT needs forwarding (ip_forward is 0 in this namespace)"
ocf "$tmp/good.conf" stop >/dev/null 2>&1
ok $? "OCF stop: 0"
ocf "$tmp/good.conf" reload >/dev/null 2>&1
ok $([ $? = 3 ]; echo $?) "OCF unsupported action: 3"

# ---- malformed lvs.conf ---------------------------------------------------------------
err=$(ocf "$tmp/bad.conf" start 2>&1 >/dev/null); rc=$?
[ "$rc" = 6 ]
ok $? "OCF start with a malformed lvs.conf: 6 (OCF_ERR_CONFIGURED), got $rc"
echo "$err" | grep -q "bad.conf:4: 'weight heavy': expected a whole number from 0 to 65535"
ok $? "the error names file, line and problem" || diag "$err"
echo "$err" | grep -q "bad.conf:1: virtual_server block opened here is not closed"
ok $? "every error of the file is reported (the unclosed block too)"
echo "$err" | grep -q "^ocf-exit-reason:"
ok $? "OCF failure gives an ocf-exit-reason"
grep -q "ERROR: start failed: .*bad.conf:4:" "$HA_LOGFILE"
ok $? "the error is in the log file"
ocf "$tmp/bad.conf" validate-all >/dev/null 2>&1
ok $([ $? = 6 ]; echo $?) "OCF validate-all of a malformed lvs.conf: 6"
err=$(hb "$tmp/bad.conf" start 2>&1 >/dev/null); rc=$?
[ "$rc" = 6 ] && echo "$err" | grep -q "bad.conf:4:"
ok $? "Heartbeat-style start with a malformed lvs.conf: exit 6 and file:line on stderr"

# ---- missing file ----------------------------------------------------------------------
err=$(ocf "$tmp/missing.conf" start 2>&1 >/dev/null); rc=$?
[ "$rc" = 5 ] && echo "$err" | grep -q "missing.conf: cannot read the configuration"
ok $? "OCF start with a missing lvs.conf: 5 (OCF_ERR_INSTALLED) and says which file (got $rc)"
err=$(hb "$tmp/missing.conf" start 2>&1 >/dev/null); rc=$?
[ "$rc" = 5 ] && echo "$err" | grep -q "missing.conf"
ok $? "Heartbeat-style start with a missing lvs.conf: exit 5 and the file named"
hb "$tmp/missing.conf" stop >/dev/null 2>&1
ok $? "stop with a missing lvs.conf succeeds (nothing was started)"
out=$(hb "$tmp/missing.conf" status 2>/dev/null); rc=$?
[ "$rc" = 4 ] && ! echo "$out" | grep -qi "running"
ok $? "Heartbeat-style status with a missing lvs.conf: not 'running', exit 4 (got '$out', $rc)"

# ---- scheduler nftables cannot do --------------------------------------------------------
err=$(ocf "$tmp/wlc.conf" start 2>&1 >/dev/null); rc=$?
[ "$rc" = 6 ] && echo "$err" | grep -q "wlc.conf:2: virtual_server 192.0.2.100 80: lb_algo wlc is not available with the nftables backend"
ok $? "lb_algo wlc with nftables: 6 and a clear message (got $rc)" || diag "$err"
! lab_exec dir nft list table ip systole_lvs_wlc >/dev/null 2>&1
ok $? "nothing was programmed for the refused configuration"

# ---- bad calls ---------------------------------------------------------------------------
lab_exec dir env OCF_RESKEY_config="$tmp/good.conf" OCF_RESKEY_backend=lvs "$agent" start >/dev/null 2>&1
ok $([ $? = 6 ]; echo $?) "OCF backend=lvs: 6"
hb "$tmp/good.conf" restartt >/dev/null 2>&1
ok $([ $? = 2 ]; echo $?) "Heartbeat-style unknown action: 2"
"$agent" >/dev/null 2>&1
ok $([ $? = 2 ]; echo $?) "no arguments: usage, 2"

# ---- the agent is systole-lvs itself -----------------------------------------------------
tool=$abs_top_builddir/heartbeat/systole-lvs
[ "$("$tool" agent meta-data)" = "$("$agent" meta-data)" ] && [ -n "$("$agent" meta-data)" ]
ok $? "'systole-lvs agent meta-data' is the agent's meta-data"
out=$(lab_exec dir "$tool" agent "$tmp/good.conf" status 2>/dev/null); rc=$?
[ "$rc" = 3 ] && [ "$out" = stopped ]
ok $? "'systole-lvs agent CONF status' speaks the Heartbeat convention (got '$out', $rc)"
# One call, one process: the tool's lines and the agent's own carry one pid.
: > "$HA_LOGFILE"
hb "$tmp/bad.conf" start >/dev/null 2>&1
pids=$(sed -n 's/^\(LVS\|systole-lvs\)\[\([0-9]*\)\].*/\2/p' "$HA_LOGFILE" | sort -u)
[ -n "$pids" ] && [ "$(echo "$pids" | wc -l)" = 1 ] && grep -q "^LVS\[$pids\]: .* ERROR: .*bad.conf: start failed (exit 6)" "$HA_LOGFILE"
ok $? "the agent runs the tool in-process (one pid in the log: ${pids//$'\n'/ })"

[ -z "$(lab_exec dir nft list tables | grep systole_lvs)" ]
ok $? "no systole table left behind"
done_testing
