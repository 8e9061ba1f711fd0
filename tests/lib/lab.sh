# shellcheck shell=bash
# A network lab made of namespaces: one "switch" namespace with a bridge, and
# nodes attached to it by veth pairs. Every namespace name carries a prefix
# unique to this test run, and lab_cleanup (run on EXIT, also on failure)
# kills what runs inside them, by PID, and deletes them.
#
#   . "$abs_top_srcdir/tests/lib/tap.sh"; . "$abs_top_srcdir/tests/lib/lab.sh"
#   lab_require                     # skips the test when not root / no netns
#   lab_init                        # prefix + EXIT trap
#   lab_switch                      # switch namespace with bridge br0
#   lab_node n1 192.0.2.11/24       # namespace n1 with eth0 on the switch
#   lab_link n1 eth1 198.51.100.11/24 br1   # a second interface on bridge br1
#   lab_exec n1 ip addr             # run a command in n1
#   lab_spawn n1 node1 CMD...       # background CMD in n1 with hostname node1
#
# Only TEST-NET addresses (192.0.2.0/24, 198.51.100.0/24) belong in labs.

LAB_PREFIX=
LAB_NAMESPACES=()
LAB_PIDS=()

lab_require() {
  [ -z "${SYSTOLE_SKIP_INTEGRATION:-}" ] || skip_all "namespace tests disabled (SYSTOLE_SKIP_INTEGRATION)"
  [ "$(id -u)" = 0 ] || skip_all "needs root for network namespaces"
  command -v ip >/dev/null || skip_all "needs iproute2"
  command -v unshare >/dev/null || skip_all "needs unshare (util-linux)"
  local probe="stprobe$$"
  ip netns add "$probe" 2>/dev/null || skip_all "cannot create network namespaces here"
  ip netns del "$probe"
}

lab_init() {
  LAB_PREFIX="st$$"
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
}

lab_ns() { echo "$LAB_PREFIX-$1"; }

lab_add_ns() {
  local ns; ns=$(lab_ns "$1")
  ip netns add "$ns" || bail "cannot create namespace $ns"
  LAB_NAMESPACES+=("$ns")
  ip -n "$ns" link set lo up
}

lab_switch() {
  lab_add_ns sw
  ip -n "$(lab_ns sw)" link add br0 type bridge
  ip -n "$(lab_ns sw)" link set br0 up
}

# lab_bridge NAME: another bridge (a second, independent network segment).
lab_bridge() {
  ip -n "$(lab_ns sw)" link add "$1" type bridge
  ip -n "$(lab_ns sw)" link set "$1" up
}

# lab_link NODE IFNAME ADDR/CIDR [BRIDGE]: attach NODE to the switch.
lab_link() {
  local node=$1 ifname=$2 addr=$3 bridge=${4:-br0}
  local ns sw peer
  ns=$(lab_ns "$node"); sw=$(lab_ns sw)
  peer="v${node}${ifname}"; peer=${peer:0:15}
  ip -n "$ns" link add "$ifname" type veth peer name "$peer" netns "$sw" || bail "veth $node:$ifname"
  ip -n "$sw" link set "$peer" master "$bridge"
  ip -n "$sw" link set "$peer" up
  [ "$addr" = none ] || ip -n "$ns" addr add "$addr" dev "$ifname"
  ip -n "$ns" link set "$ifname" up
}

# lab_node NODE ADDR/CIDR: a namespace with eth0 on br0.
lab_node() {
  lab_add_ns "$1"
  lab_link "$1" eth0 "$2" br0
}

lab_exec() { local node=$1; shift; ip netns exec "$(lab_ns "$node")" "$@"; }

# lab_spawn NODE HOSTNAME CMD...: start CMD in the background inside NODE, in its
# own UTS namespace whose hostname (uname -n) is HOSTNAME. Sets LAB_LAST_PID.
lab_spawn() {
  local node=$1 host=$2; shift 2
  ip netns exec "$(lab_ns "$node")" unshare --uts \
    sh -c 'hostname "$0" && exec "$@"' "$host" "$@" &
  LAB_LAST_PID=$!
  LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_run_as_host NODE HOSTNAME CMD...: like lab_spawn but in the foreground.
lab_run_as_host() {
  local node=$1 host=$2; shift 2
  ip netns exec "$(lab_ns "$node")" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$host" "$@"
}

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds.
wait_for() {
  local limit=$1; shift
  local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

lab_cleanup() {
  local rc=$? pid ns
  for pid in "${LAB_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for ns in "${LAB_NAMESPACES[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  done
  for pid in "${LAB_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  # A daemon told to stop may have started an agent (its own process group)
  # after the scan above: scan again until the namespaces are empty, or the
  # agent outlives the test and writes into its removed temp directory.
  for ns in "${LAB_NAMESPACES[@]}"; do
    local tries=0 left
    while left=$(ip netns pids "$ns" 2>/dev/null) && [ -n "$left" ] && [ $tries -lt 40 ]; do
      # shellcheck disable=SC2086
      kill -KILL $left 2>/dev/null; sleep 0.025; tries=$((tries + 1))
    done
  done
  for ns in "${LAB_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  LAB_NAMESPACES=(); LAB_PIDS=()
  exit "$rc"
}
