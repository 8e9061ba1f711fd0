# shellcheck shell=bash
# Helpers for the IPaddr/IPaddr2/send_arp namespace tests: run the agents and
# helpers from the BUILD TREE with a per-node state directory and log file.
# Source after tap.sh and lab.sh, then call agents_init after lab_init.

AGENT_BIN=$abs_top_builddir/resource.d
AGENT_STATE=

agents_cleanup() {
  local rc=$?
  [ -n "$AGENT_STATE" ] && rm -rf "$AGENT_STATE"
  (exit "$rc")
  lab_cleanup
}

agents_init() {
  local f
  for f in IPaddr IPaddr2 send_arp findif; do
    [ -x "$AGENT_BIN/$f" ] || bail "$AGENT_BIN/$f not built"
  done
  AGENT_STATE=$(mktemp -d) || bail "mktemp"
  chmod 755 "$AGENT_STATE"   # ocf-tester runs meta-data as nobody
  trap agents_cleanup EXIT
}

# agent NODE NAME ARGS...: runs the build-tree agent NAME inside NODE.
# Extra environment (OCF_RESKEY_*) may be passed with `env` in AGENT_ENV.
agent() {
  local node=$1 name=$2; shift 2
  mkdir -p "$AGENT_STATE/$node"
  lab_exec "$node" env SYSTOLE_LIBEXEC="$AGENT_BIN" HA_RSCTMP="$AGENT_STATE/$node" \
    HA_LOGFILE="$AGENT_STATE/$node.log" ${AGENT_ENV:-} "$AGENT_BIN/$name" "$@"
}

agent_log() { cat "$AGENT_STATE/$1.log" 2>/dev/null; }

# mac_of NODE IFNAME
mac_of() {
  lab_exec "$1" ip -o link show dev "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# addr_line NODE IP: the `ip -o` line holding IP in NODE (empty if none).
addr_line() { lab_exec "$1" ip -o -f inet addr show | grep -F " inet $2/"; }

# neigh_mac NODE IP: the MAC NODE's neighbour table holds for IP.
neigh_mac() {
  lab_exec "$1" ip neigh show "$2" | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p'
}

# capture_start NODE FILE: tcpdump of ARP on NODE's eth0 into FILE (pcap);
# sets CAPTURE_PID once tcpdump listens.
capture_start() {
  lab_spawn "$1" "$1" tcpdump --immediate-mode -Z root -U -i eth0 -w "$2" arp 2>"$2.err"
  CAPTURE_PID=$LAB_LAST_PID
  wait_for 10 grep -q listening "$2.err" || bail "tcpdump did not start: $(cat "$2.err")"
}

capture_stop() {
  sleep 0.2
  kill -INT "$CAPTURE_PID" 2>/dev/null
  wait "$CAPTURE_PID" 2>/dev/null
}

# capture_count FILE FILTER: number of captured packets matching FILTER.
capture_count() { tcpdump -r "$1" -n "$2" 2>/dev/null | wc -l; }
