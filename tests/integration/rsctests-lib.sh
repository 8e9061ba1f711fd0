# shellcheck shell=bash
# Helpers shared by the takeover scenario tests (tests/integration/rsc-*.sh),
# on top of cluster-lib.sh (the two-node cluster alpha/beta + client, the VIP
# responder): the rsctest agent (tests/integration/agents/rsctest) and its
# trace, heartbeat partitions with nftables, exact ownership checks with
# `ip addr`, and a client probe that timestamps who answers at the VIP.
#   . tap.sh; . lab.sh; . daemon-lib.sh; . cluster-lib.sh; . rsctests-lib.sh

RT_AGENT_SRC=$abs_top_srcdir/tests/integration/agents/rsctest
RT_DIR=   # the agent's shared directory (state, trace, modes), under $DL_TMP

# rt_init: the rsctest directory; call after the cluster's temp dir exists.
rt_init() {
  RT_DIR=$DL_TMP/rsctest
  mkdir -p "$RT_DIR/mode" "$RT_DIR/state" "$RT_DIR/hang"
}

# rt_res NAME: the haresources spec of rsctest resource NAME.
rt_res() { echo "rsctest::$RT_DIR::$1"; }

# rt_mode NODE NAME ACTION MODE: make NAME's ACTION behave as MODE on NODE
# (host name); MODE "" restores normal behaviour.
rt_mode() {
  if [ -n "$4" ]; then echo "$4" > "$RT_DIR/mode/$1.$2.$3"; else rm -f "$RT_DIR/mode/$1.$2.$3"; fi
}

# rt_running NODE NAME: NAME is held on NODE (its state file exists).
rt_running() { [ -f "$RT_DIR/state/$1.$2" ]; }

# rt_actions NODE [ACTION-REGEX]: "ACTION NAME" lines from NODE's trace, in order.
rt_actions() {
  [ -f "$RT_DIR/trace.$1" ] || return 0
  awk -v re="^(${2:-start|stop})$" '$2 ~ re {print $2, $3}' "$RT_DIR/trace.$1"
}

# rt_seq NODE ACTION: the NAMEs NODE ran ACTION on, space separated, in order.
rt_seq() { rt_actions "$1" "$2" | awk '{printf "%s%s", sep, $2; sep=" "} END {print ""}'; }

# rt_stamp NODE ACTION NAME [N]: timestamp (s.ns) of the Nth (default last)
# ACTION of NAME on NODE.
rt_stamp() {
  [ -f "$RT_DIR/trace.$1" ] || return 1
  awk -v a="$2" -v n="$3" '$2 == a && $3 == n {print $1}' "$RT_DIR/trace.$1" |
    if [ -n "${4:-}" ]; then sed -n "${4}p"; else tail -1; fi
}

# rt_clear_trace NODE...: forget what the trace recorded so far.
rt_clear_trace() { local n; for n in "$@"; do rm -f "$RT_DIR/trace.$n"; done; }

# ---- ownership, as the kernel sees it ------------------------------------------

# rt_has_addr LABNODE ADDR: LABNODE has ADDR configured on some interface.
rt_has_addr() { lab_exec "$1" ip -o -4 addr show | grep -qF " inet $2/"; }

# rt_addr_holders ADDR LABNODE...: the LABNODEs holding ADDR, space separated.
rt_addr_holders() {
  local addr=$1 n out=; shift
  for n in "$@"; do rt_has_addr "$n" "$addr" && out="$out${out:+ }$n"; done
  echo "$out"
}

# rt_wait_addr_holders SECONDS ADDR EXPECTED LABNODE...: until exactly
# EXPECTED (space separated, in LABNODE order; "" = none) hold ADDR.
rt_wait_addr_holders() {
  local limit=$1 addr=$2 want=$3; shift 3
  wait_for "$limit" rt__holders_are "$addr" "$want" "$@"
}
rt__holders_are() { local a=$1 w=$2; shift 2; [ "$(rt_addr_holders "$a" "$@")" = "$w" ]; }

# ---- heartbeat partition ------------------------------------------------------

# rt_partition LABNODE PORT: drop heartbeat UDP (PORT) into and out of LABNODE.
rt_partition() {
  lab_exec "$1" nft -f - <<NFT
table inet rsctest_partition {
  chain in { type filter hook input priority 0; udp dport $2 drop; }
  chain out { type filter hook output priority 0; udp dport $2 drop; }
}
NFT
}

# rt_heal LABNODE: remove the partition again.
rt_heal() { lab_exec "$1" nft delete table inet rsctest_partition; }

# ---- the client's view over time ------------------------------------------------

# rt_probe_start LABNODE VIP PORT FILE: a background loop in LABNODE connects
# to VIP:PORT every 20 ms and appends "EPOCH_NS ANSWER" to FILE (ANSWER "-"
# when nobody answered within 200 ms). Sets RT_PROBE_PID.
rt_probe_start() {
  local node=$1 vip=$2 port=$3 file=$4
  : > "$file"
  lab_exec "$node" bash -c '
    while :; do
      t=$(date +%s%N)
      a=$(timeout 0.3 socat -T0.2 - "TCP:$1:$2,connect-timeout=0.2" </dev/null 2>/dev/null | head -1)
      echo "$t ${a:--}" >> "$3"
      sleep 0.02
    done' rt-probe "$vip" "$port" "$file" &
  RT_PROBE_PID=$!
  LAB_PIDS+=("$RT_PROBE_PID")
}

rt_probe_stop() { kill "$RT_PROBE_PID" 2>/dev/null; wait "$RT_PROBE_PID" 2>/dev/null; }

# rt_probe_gap FILE SINCE_NS KEEPER: milliseconds from SINCE_NS to the first
# probe after which every answer came from KEEPER ("" if KEEPER never answered
# steadily by the end of the file).
rt_probe_gap() {
  awk -v since="$2" -v k="$3" '
    $1 >= since { if ($2 == k) { if (first == "") first = $1 } else first = "" }
    END { if (first != "") printf "%d\n", (first - since) / 1000000 }' "$1"
}

# rt_probe_answers FILE SINCE_NS: the distinct answers after SINCE_NS.
rt_probe_answers() { awk -v since="$2" '$1 >= since {print $2}' "$1" | sort -u | tr '\n' ' '; }

# ---- cluster life cycle beyond cluster-lib.sh ------------------------------------

# rt_install_agent: put rsctest into both nodes' resource.d (after cl_conf).
rt_install_agent() { cl_agent all rsctest < "$RT_AGENT_SRC"; }

# rt_wipe NODE: what a reboot loses: every address on eth0 but the node's
# own, the test agents' state and the run directory. Call it while NODE's
# processes are dead (after cl_crash or cl_kill).
rt_wipe() {
  local n=$1 own a dir
  eval "own=\$CL_ADDR_$n"
  for a in $(lab_exec "$n" ip -o -4 addr show dev eth0 | awk '{print $4}'); do
    [ "${a%/*}" = "$own" ] || lab_exec "$n" ip addr del "$a" dev eth0
  done
  dir=$(cl_dir "$n")
  rm -f "$dir"/svc/*.pid "$dir/svc/fail.state" "$RT_DIR/state/$n".*
  rm -rf "${dir:?}"/run/*
}

# rt_reset: a fresh cluster for the next case of a script: kill everything
# in both nodes, undo partitions, remove configuration, logs and agent state.
# Call cl_conf (and rt_install_agent) again afterwards.
rt_reset() {
  local n p
  for n in "${CL_NODES[@]}"; do
    for p in $(ip netns pids "$(lab_ns "$n")" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    p=$(cl_pid "$n"); [ -n "$p" ] && wait "$p" 2>/dev/null
    lab_exec "$n" nft delete table inet rsctest_partition 2>/dev/null
    lab_exec "$n" ip link set eth0 up
    rt_wipe "$n"
    rm -rf "$(cl_dir "$n")"
    eval "DL_PID_$n="
  done
  lab_exec client ip neigh flush dev eth0
  rm -rf "$RT_DIR"; rt_init
}

# rt_holder_at PORT ADDR: the node answering at ADDR:PORT for the client
# ("none" if nobody does).
rt_holder_at() { cl_vip_holder "$1" "$2"; }

# rt_wait_holder_at SECONDS NODE PORT ADDR: wait until the client sees NODE there.
rt_wait_holder_at() {
  wait_for "$1" rt__holder_at_is "$2" "$3" "$4" || {
    diag "client sees $(rt_holder_at "$3" "$4") at $4:$3, wanted $2"
    return 1
  }
}
rt__holder_at_is() { [ "$(rt_holder_at "$2" "$3")" = "$1" ]; }

# rt_log_has NODE TEXT: NODE's log holds TEXT (fixed string).
rt_log_has() { grep -qF -- "$2" "$(cl_log "$1")" 2>/dev/null; }

# rt_log_lacks NODE TEXT: NODE's log does not hold TEXT.
rt_log_lacks() { ! rt_log_has "$1" "$2"; }

# rt_watch_start FILE LABNODE...: sample every 50 ms which LABNODEs hold
# $CL_VIP (`ip addr`), one line "EPOCH_NS HOLDERS" per sample, in the
# background (RT_WATCH_PID) until rt_watch_stop.
rt_watch_start() {
  local file=$1; shift
  : > "$file"
  ( while :; do echo "$(date +%s%N) $(rt_addr_holders "$CL_VIP" "$@")" >> "$file"; sleep 0.05; done ) &
  RT_WATCH_PID=$!
  LAB_PIDS+=("$RT_WATCH_PID")
}
rt_watch_stop() { kill "$RT_WATCH_PID" 2>/dev/null; wait "$RT_WATCH_PID" 2>/dev/null; }

# rt_watch_max FILE: the largest number of simultaneous holders sampled.
rt_watch_max() { awk '{ if (NF - 1 > m) m = NF - 1 } END { print m + 0 }' "$1"; }

# rt_elapsed_ms SINCE_NS: milliseconds since SINCE_NS (from date +%s%N).
rt_elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# rt_new_log_lacks NODE TEXT: NODE did not log TEXT since cl_mark NODE.
rt_new_log_lacks() { ! cl_new_log_has "$1" "$2"; }

# rt_case NAME FUNCTION: run one case of a script on a fresh cluster, unless
# RSC_CASES (space separated names, for debugging) leaves it out; RSC_DUMP=1
# shows the end of the logs after every case.
rt_case() {
  case " ${RSC_CASES:-$1} " in *" $1 "*) ;; *) return 0 ;; esac
  rt_reset
  "$2"
  [ -z "${RSC_DUMP:-}" ] || cl_dump
}

# rt_lines_are WANT FILE ERE: exactly WANT lines of FILE match ERE (says how
# many did otherwise).
rt_lines_are() {
  local got; got=$(grep -cE -- "$3" "$2" 2>/dev/null); got=${got:-0}
  [ "$got" = "$1" ] || { echo "$got lines of $2 match '$3', expected $1"; grep -E -- "$3" "$2" 2>/dev/null; return 1; }
}

# rt_probe_outage FILE: the longest stretch (ms) in which no probe was
# answered, measured between the last answer before it and the first after.
rt_probe_outage() {
  awk '$2 != "-" { if (last != "" && $1 - last > worst) worst = $1 - last; last = $1 }
       END { printf "%d\n", worst / 1000000 }' "$1"
}
