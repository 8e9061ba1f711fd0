#!/bin/bash
# Bad input to IPaddr/IPaddr2, in both conventions: each case exits with the
# documented code and says what failed and why on stderr and in the log.
# Also: the OCF monitor contract for a stopped VIP, a VIP found on the wrong
# interface, missing helpers, and meta-data validity against ra-api-1.dtd.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/ipaddr-lib.sh"

lab_require
lab_init
agents_init
lab_switch
lab_bridge br1
lab_node a 192.0.2.11/24                     # one LAN only
lab_node m 192.0.2.12/24                     # two LANs
lab_link m eth1 198.51.100.12/24 br1

# expect NAME DESC RC PATTERN NODE AGENT ARGS...: exit status RC, PATTERN on
# stderr and (for errors) in the node's log.
expect() {
  local desc=$1 want=$2 pattern=$3 node=$4 out rc; shift 4
  out=$(agent "$node" "$@" 2>&1 >/dev/null); rc=$?
  out=${out//$'\n'/ }
  [ "$rc" = "$want" ] && grep -qF -- "$pattern" <<<"$out"
  ok $? "$desc (rc=$rc: ${out:0:300})"
}
expect_logged() { check "$1 is logged" -- grep -qF -- "$2" "$AGENT_STATE/$3.log"; }

for ag in IPaddr IPaddr2; do
  # Heartbeat convention: argument shape.
  expect "$ag: no arguments" 2 "usage: $ag" a "$ag"
  expect "$ag: three arguments" 2 "usage: $ag" a "$ag" 192.0.2.100 eth0 start
  expect "$ag: unknown action" 2 "usage: $ag" a "$ag" 192.0.2.100 frobnicate
  # Bad values.
  expect "$ag: bad address" 6 "'192.0.2.300' is not an IPv4 address" a "$ag" 192.0.2.300 start
  expect "$ag: bad netmask" 6 "'40' is not a netmask" a "$ag" 192.0.2.100/40 start
  expect "$ag: unknown interface" 6 "unknown interface 'eth9'" a "$ag" 192.0.2.100/24/eth9 start
  expect "$ag: unreachable subnet" 6 "No route to 198.51.100.50" a "$ag" 198.51.100.50 start
  expect "$ag: nic contradicts routing table" 6 "nic [eth1] Calculated nic: [eth0]" m "$ag" 192.0.2.100/24/eth1 start
  check "$ag: nothing was added by the failed starts" -- sh -c "! ip netns exec $(lab_ns a) ip -o addr | grep -q 192.0.2.100"
done
expect_logged "No route" "ERROR: No route to 198.51.100.50" a
expect_logged "bad address" "ERROR: '192.0.2.300' is not an IPv4 address" a

# OCF convention.
ocf() { local node=$1; shift; AGENT_ENV="OCF_ROOT=/usr/lib/ocf $OCF_ENV" agent "$node" "$@"; }
OCF_ENV=""
out=$(ocf a IPaddr2 validate-all 2>&1); rc=$?
ok "$([ $rc = 6 ] && grep -q 'required parameter ip' <<<"$out"; echo $?)" "OCF: missing ip is OCF_ERR_CONFIGURED (rc=$rc)"
OCF_ENV="OCF_RESKEY_ip=192.0.2.999"
out=$(ocf a IPaddr2 start 2>&1); rc=$?
ok "$([ $rc = 6 ] && grep -q 'not an IPv4 address' <<<"$out"; echo $?)" "OCF: bad ip is OCF_ERR_CONFIGURED (rc=$rc)"
OCF_ENV="OCF_RESKEY_ip=192.0.2.100 OCF_RESKEY_nic=eth9"
out=$(ocf a IPaddr start 2>&1); rc=$?
ok "$([ $rc = 6 ] && grep -q "unknown interface 'eth9'" <<<"$out"; echo $?)" "OCF: unknown nic is OCF_ERR_CONFIGURED (rc=$rc)"
OCF_ENV="OCF_RESKEY_ip=192.0.2.100 OCF_RESKEY_arp_mode=loud"
out=$(ocf a IPaddr2 validate-all 2>&1); rc=$?
ok "$([ $rc = 6 ] && grep -q 'arp_mode \[loud\]' <<<"$out"; echo $?)" "OCF: bad arp_mode is OCF_ERR_CONFIGURED (rc=$rc)"
OCF_ENV="OCF_RESKEY_ip=192.0.2.100 OCF_RESKEY_arp_count=0"
out=$(ocf a IPaddr2 validate-all 2>&1); rc=$?
ok "$([ $rc = 6 ] && grep -q 'arp_count \[0\]' <<<"$out"; echo $?)" "OCF: arp_count 0 is OCF_ERR_CONFIGURED (rc=$rc)"
OCF_ENV="OCF_RESKEY_ip=192.0.2.100"
ocf a IPaddr2 promote 2>/dev/null; rc=$?
ok "$([ $rc = 3 ]; echo $?)" "OCF: unsupported action is OCF_ERR_UNIMPLEMENTED (rc=$rc)"
ocf a IPaddr2 monitor 2>/dev/null; rc=$?
ok "$([ $rc = 7 ]; echo $?)" "OCF: monitor of a never-started VIP is OCF_NOT_RUNNING (rc=$rc)"
check "OCF: stop of a never-started VIP succeeds" -- ocf a IPaddr2 stop
check "OCF: validate-all succeeds with good parameters" -- ocf a IPaddr validate-all

# Missing helpers: OCF_ERR_INSTALLED, naming the path.
out=$(lab_exec a env SYSTOLE_LIBEXEC=/nonexistent HA_RSCTMP="$AGENT_STATE/a" "$AGENT_BIN/IPaddr2" 192.0.2.100 start 2>&1); rc=$?
ok "$([ $rc = 5 ] && grep -q '/nonexistent/send_arp not found' <<<"$out"; echo $?)" "missing send_arp is OCF_ERR_INSTALLED (rc=$rc)"

# Failures of the background send_arp reach the log (a stand-in send_arp
# that fails the way a real one would when its device vanishes).
fake=$AGENT_STATE/fake-libexec; mkdir -p "$fake"
ln -s "$AGENT_BIN/findif" "$fake/findif"
printf '#!/bin/sh\necho "cannot send ARP request on eth0: device gone" >&2\nexit 1\n' > "$fake/send_arp"
chmod 755 "$fake/send_arp"
lab_exec a env SYSTOLE_LIBEXEC="$fake" HA_RSCTMP="$AGENT_STATE/a" HA_LOGFILE="$AGENT_STATE/a.log" \
  "$AGENT_BIN/IPaddr2" 192.0.2.105 start 2>/dev/null
ok $? "start succeeds although the ARP sender fails in the background"
check "the ARP sender's failure is logged" -- wait_for 5 grep -q "ERROR: send_arp: cannot send ARP request on eth0: device gone" "$AGENT_STATE/a.log"
check "stop after a failed ARP sender" -- agent a IPaddr2 192.0.2.105 stop

# The VIP present on another interface than the routing table says.
lab_exec m ip addr add 192.0.2.100/32 dev eth1
out=$(agent m IPaddr2 192.0.2.100/24 monitor 2>&1); rc=$?
ok "$([ $rc = 1 ] && grep -q '192.0.2.100 is on eth1 instead of eth0' <<<"$out"; echo $?)" "monitor: VIP on the wrong interface is an error (rc=$rc)"
out=$(agent m IPaddr2 192.0.2.100/24 status 2>/dev/null); rc=$?
ok "$([ "$out" = unknown ] && [ $rc = 4 ]; echo $?)" "status: VIP on the wrong interface is not 'running' (got '$out' $rc)"
lab_exec m ip addr del 192.0.2.100/32 dev eth1

# Unprivileged start: ip's refusal is reported as OCF_ERR_PERM.
if command -v setpriv >/dev/null; then
  mkdir -p "$AGENT_STATE/nobody" && chmod 777 "$AGENT_STATE/nobody"
  out=$(lab_exec a setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
    env SYSTOLE_LIBEXEC="$AGENT_BIN" HA_RSCTMP="$AGENT_STATE/nobody" "$AGENT_BIN/IPaddr2" 192.0.2.100 start 2>&1); rc=$?
  ok "$([ $rc = 4 ] && grep -q 'Operation not permitted' <<<"$out"; echo $?)" "unprivileged start is OCF_ERR_PERM (rc=$rc: ${out//$'\n'/ })"
else
  skip "unprivileged start (needs setpriv)"
fi

# meta-data: no parameters needed, valid against the OCF 1.0 DTD.
for ag in IPaddr IPaddr2; do
  out=$("$AGENT_BIN/$ag" meta-data); rc=$?
  ok "$([ $rc = 0 ] && head -1 <<<"$out" | grep -q '^<?xml'; echo $?)" "$ag: meta-data exits 0 with XML"
  if [ -r /usr/share/resource-agents/ra-api-1.dtd ] && command -v xmllint >/dev/null; then
    check "$ag: meta-data valid against ra-api-1.dtd" -- sh -c "cd /usr/share/resource-agents && printf '%s\n' \"\$1\" | xmllint --noout --valid -" sh "$out"
  else
    skip "$ag: meta-data DTD check (needs resource-agents and xmllint)"
  fi
done
done_testing
