#!/bin/bash
# Debian's ocf-tester (package resource-agents) against the build-tree
# IPaddr and IPaddr2 as ocf:systole agents, inside a namespace where they
# really add and remove the address (docs/PROTOCOL.md, "OCF and LSB conventions").
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/ipaddr-lib.sh"

lab_require
command -v ocf-tester >/dev/null || skip_all "needs ocf-tester (package resource-agents, tests/deps/agents.txt)"
lab_init
agents_init
lab_switch
lab_node a 192.0.2.11/24

# ocf-tester runs meta-data as nobody: if nobody cannot reach the build
# tree, hand it a copy of the build-tree scripts in a world-readable dir.
dir=$AGENT_BIN
if ! su nobody -s /bin/sh -c "test -x '$AGENT_BIN/IPaddr'" 2>/dev/null; then
  dir=$AGENT_STATE/agents; mkdir -p "$dir"
  cp "$AGENT_BIN/IPaddr" "$AGENT_BIN/IPaddr2" "$dir/" && chmod 755 "$dir" "$dir"/*
  diag "build tree not readable by nobody: testing a copy in $dir"
fi

# tester NAME PARAMS...: runs ocf-tester in node a, one test point.
tester() {
  local name=$1 out rc; shift
  mkdir -p "$AGENT_STATE/a"
  out=$(lab_exec a env SYSTOLE_LIBEXEC="$AGENT_BIN" HA_RSCTMP="$AGENT_STATE/a" \
    HA_LOGFILE="$AGENT_STATE/a.log" ocf-tester -n vip "$@" "$dir/$name" 2>&1); rc=$?
  ok "$([ $rc = 0 ] && grep -q "$dir/$name passed all tests" <<<"$out"; echo $?)" \
    "ocf-tester $name $* (rc=$rc)" || printf '%s\n' "$out" | sed 's/^/# /'
}

tester IPaddr -o ip=192.0.2.100
tester IPaddr2 -o ip=192.0.2.101
tester IPaddr -o ip=192.0.2.102 -o cidr_netmask=255.255.255.0 -o nic=eth0 -o arp_mode=reply
tester IPaddr2 -o ip=192.0.2.103 -o cidr_netmask=24 -o nic=eth0 -o broadcast=192.0.2.255 \
  -o arp_count=2 -o arp_interval=50 -o arp_mode=request
check "nothing left on eth0 after the runs" -- sh -c "! ip netns exec $(lab_ns a) ip -o addr | grep -q 'inet 192.0.2.10[0-3]/'"
# send_arp removes its pid file as it exits, a moment after stop returns.
check "no send_arp pid file left" -- wait_for 5 sh -c "! ls '$AGENT_STATE/a' | grep -q send_arp"
done_testing
