# shellcheck shell=bash
# The reference scenario (docs: SEED-SCENARIO.md) in network namespaces, for
# demo/run and bench/failover. TEST-NET addresses only:
#
#                      client 192.0.2.10  (probes VIP:80 every 10 ms)
#                            │  br0: front, 192.0.2.0/24, VIP 192.0.2.100
#                 ┌──────────┴──────────┐
#          ld1 eth0 192.0.2.1      ld2 eth0 192.0.2.2       the two directors
#          ld1 eth1 198.51.100.1   ld2 eth1 198.51.100.2    (heartbeat: bcast eth1)
#                 └──────────┬──────────┘
#                            │  br1: back, 198.51.100.0/24
#            rs1 198.51.100.11:8080    rs2 198.51.100.12:8080
#
# The real servers answer "rsN <address the connection came from>". The
# directors masquerade what they forward to the back network, so that address
# is the forwarding director's (198.51.100.1 = ld1): the client's answer says
# which director served it, and the real servers need no route that would
# have to follow the VIP. In "vip" mode (no LVS) each director answers
# "ldN <client>" on port 80 itself, as in keepalived's VIP-only case.
#
# Crashes are whole-node: every process of the namespace is killed (-9) and
# the namespace deleted (power off: the VIP and the nftables table vanish with
# it); sc_boot recreates it as a fresh machine.
#
#   sc_init SRCDIR BUILDDIR        lab, temp dir ($DL_TMP), cleanup on EXIT
#   sc_topology lvs|vip            switch, client, directors, real servers
#   sc_ours_conf NODE HARESOURCES-LINE TIMERS...   our heartbeat's /etc/ha.d
#   sc_ours_start NODE             our daemon in NODE (host name NODE)
#   sc_follow NAME FILE            stamp FILE's new lines into $DL_TMP/NAME.tlog
#   sc_probe_start / sc_sniff_start udp PORT|vrrp

SC_VIP=192.0.2.100
SC_PORT=80
SC_RS_PORT=8080
SC_UDPPORT=10694
SC_MODE=lvs
SC_HOST_PIDS=()
declare -A SC_FRONT=([ld1]=192.0.2.1 [ld2]=192.0.2.2)
declare -A SC_BACK=([ld1]=198.51.100.1 [ld2]=198.51.100.2)

# The demo is not a TAP test: lab.sh's and daemon-lib.sh's error paths call
# these; give them plain messages.
bail() { echo "error: $*" >&2; exit 1; }
skip_all() { echo "cannot run: $*" >&2; exit 77; }
diag() { printf '%s\n' "$*" >&2; }
ok() { return "$1"; }

sc_init() {
  SC_SRC=$1 SC_BUILD=$2
  export abs_top_srcdir=$SC_SRC abs_top_builddir=$SC_BUILD
  SC_PROBE=$SC_BUILD/bench/probe
  HB_BIN=$SC_BUILD/heartbeat/heartbeat
  . "$SC_SRC/tests/lib/lab.sh"
  . "$SC_SRC/tests/integration/daemon-lib.sh"
  lab_require
  command -v nft >/dev/null || skip_all "needs nft (Debian package nftables)"
  [ -x "$SC_PROBE" ] && [ -x "$HB_BIN" ] || skip_all "not built: $SC_PROBE, $HB_BIN"
  lab_init
  DL_TMP=$(mktemp -d /tmp/systole-demo.XXXXXX)
  trap 'sc_cleanup' EXIT
}

sc_cleanup() {
  local rc=$? pid
  trap - EXIT
  for pid in "${SC_HOST_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  { lab_cleanup_noexit; } 2>/dev/null   # quiet: bash reports every killed job
  for pid in "${SC_HOST_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  if [ -n "${SC_KEEP:-}" ]; then
    echo "(kept $DL_TMP)" >&2
  else
    rm -rf "$DL_TMP"
  fi
  exit "$rc"
}

# sc_now: wall-clock microseconds, the clock bench/probe stamps with.
sc_now() { local t=${EPOCHREALTIME/./}; echo "$t"; }

sc_topology() {
  SC_MODE=$1
  lab_switch
  lab_bridge br1
  lab_node client 192.0.2.10/24
  local n
  for n in 1 2; do
    lab_add_ns rs$n
    lab_link rs$n eth0 none br1
    lab_exec rs$n ip addr add 198.51.100.1$n/24 brd + dev eth0
    [ "$SC_MODE" = lvs ] && lab_spawn rs$n rs$n "$SC_PROBE" serve "$SC_RS_PORT" rs$n
  done
  sc_boot ld1
  sc_boot ld2
}

# sc_boot NODE: a director as after power-on: addresses, forwarding, the
# masquerade of forwarded connections, and in vip mode its own name server.
sc_boot() {
  local n=$1
  lab_add_ns "$n"
  # With a broadcast address ("brd +"), as a booted machine has: Heartbeat's
  # bcast medium sends to the interface's broadcast address.
  lab_link "$n" eth0 none br0
  lab_link "$n" eth1 none br1
  lab_exec "$n" ip addr add "${SC_FRONT[$n]}/24" brd + dev eth0
  lab_exec "$n" ip addr add "${SC_BACK[$n]}/24" brd + dev eth1
  lab_exec "$n" sysctl -qw net.ipv4.ip_forward=1
  lab_exec "$n" nft -f - <<'EOF'
table ip demo_masq {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" ct status dnat masquerade
	}
}
EOF
  [ "$SC_MODE" = vip ] && lab_spawn "$n" "$n" "$SC_PROBE" serve "$SC_PORT" "$n"
  return 0
}

# sc_poweroff NODE: kill -9 everything running in NODE, then remove the
# machine (its addresses, VIP and nftables table go with the namespace).
sc_poweroff() { _sc_poweroff "$1" 2>/dev/null; }  # quiet: bash reports killed jobs
_sc_poweroff() {
  local ns pids p
  ns=$(lab_ns "$1")
  pids=$(ip netns pids "$ns" 2>/dev/null)
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  # Reap our own children quietly (bash would report "Killed").
  for p in $pids; do { wait "$p"; } 2>/dev/null; done
  return 0
}

sc_lvs_conf() {
  cat > "$1" <<EOF
# The seed's LVS table, on the nftables backend (this kernel has no IPVS).
backend nftables
virtual_server $SC_VIP $SC_PORT {
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    real_server 198.51.100.11 $SC_RS_PORT {
        weight 1
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 198.51.100.12 $SC_RS_PORT {
        weight 1
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
EOF
}

# sc_agent_wrapper DIR AGENT: DIR/etc/resource.d/AGENT runs the build tree's
# agent with this node's own state directories (namespaces share the host's
# /run) and the build tree's helpers, whatever environment the caller gives
# (Heartbeat 3.0.6 passes no SYSTOLE_* variables to its scripts).
sc_agent_wrapper() {
  local dir=$1 agent=$2
  mkdir -p "$dir/etc/resource.d" "$dir/rsctmp" "$dir/lvs"
  cat > "$dir/etc/resource.d/$agent" <<EOF
#!/bin/sh
export SYSTOLE_LIBEXEC='$SC_BUILD/resource.d'
export SYSTOLE_LVS_STATEDIR='$dir/lvs' HA_RSCTMP='$dir/rsctmp'
: "\${HA_LOGFILE:=$dir/log}"; export HA_LOGFILE
exec '$SC_BUILD/resource.d/$agent' "\$@"
EOF
  chmod 755 "$dir/etc/resource.d/$agent"
}

# sc_agent_link DIR AGENT: DIR/etc/resource.d/AGENT is the build tree's agent
# itself, as an installed one would be (no shell in between); our daemon
# passes the node's directories in the environment (sc_ours_start).
sc_agent_link() {
  mkdir -p "$1/etc/resource.d" "$1/lvs"
  ln -sf "$SC_BUILD/resource.d/$2" "$1/etc/resource.d/$2"
}

# sc_ours_conf NODE HARESOURCES-LINE HA.CF-LINES...: NODE's config tree under
# $DL_TMP/NODE (etc/ha.cf, authkeys, haresources, resource.d/, lvs.conf).
sc_ours_conf() {
  local n=$1 line=$2 dir; shift 2
  dir=$(dl_conf "$n" "auth 1" "1 crc" -- "$@" "udpport $SC_UDPPORT" "bcast eth1" \
    "auto_failback off" "node ld1" "node ld2")
  printf '%s\n' "$line" > "$dir/etc/haresources"
  sc_lvs_conf "$dir/etc/lvs.conf"
  sc_agent_link "$dir" IPaddr
  sc_agent_link "$dir" LVS
  mkdir -p "$dir/init.d"
}

# sc_ours_start NODE: our heartbeat in NODE, host name NODE; Sets DL_PID_NODE.
sc_ours_start() {
  local dir=$DL_TMP/$1
  SYSTOLE_LIBEXEC=$SC_BUILD/resource.d SYSTOLE_LVS_STATEDIR=$dir/lvs \
    dl_start "$1" "$1" --initdir "$dir/init.d"
}

# sc_tool NODE PROG ARGS...: cl_status / hb_standby / hb_takeover in NODE.
sc_tool() {
  local n=$1 prog=$2; shift 2
  lab_exec "$n" "$SC_BUILD/heartbeat/$prog" --rundir="$DL_TMP/$n/run" "$@"
}

# sc_follow NAME FILE: every line appended to FILE (also before it exists)
# goes to $DL_TMP/NAME.tlog prefixed with the wall-clock µs it was written.
# The file is created first: tail -F follows an existing file through
# inotify (sub-ms), but polls once a second for one that does not exist yet.
sc_follow() {
  mkdir -p "$(dirname "$2")"; touch "$2"
  tail -n +1 -F "$2" 2>/dev/null > >("$SC_PROBE" stamp >> "$DL_TMP/$1.tlog") &
  SC_HOST_PIDS+=("$!")
}

# sc_probe_start: the client probes VIP:80 every 10 ms into $DL_TMP/probe.
sc_probe_start() {
  lab_spawn client client "$SC_PROBE" tcp "$SC_VIP" "$SC_PORT" 10 100 > "$DL_TMP/probe"
}

# sc_sniff_start udp PORT | vrrp: rs1 (on the heartbeat network) records
# when each heartbeat / VRRP advertisement arrives, into $DL_TMP/sniff.
sc_sniff_start() {
  lab_spawn rs1 rs1 "$SC_PROBE" sniff "$@" >> "$DL_TMP/sniff"
}

# director(NAME, FROM): which director served an answer of bench/probe tcp
# ("rsN 198.51.100.X" through LVS, "ldN ..." in vip mode). An awk function,
# prepended to the scripts' awk programs: the one definition of the map.
SC_AWK_DIRECTOR='
function director(answer_name, answer_from) {
  if (answer_name ~ /^ld[0-9]$/) return answer_name
  if (answer_from == "198.51.100.1") return "ld1"
  if (answer_from == "198.51.100.2") return "ld2"
  return "?"
}'

# sc_wait_served SECONDS NODE [SINCE_US]: until the client got an answer via
# NODE (sent after SINCE_US, default now).
sc_wait_served() {
  local limit=$1 node=$2 since=${3:-$(sc_now)}
  wait_for "$limit" sc_served_since "$node" "$since"
}
sc_served_since() {
  awk -v node="$1" -v since="$2" "$SC_AWK_DIRECTOR"'
    $1 >= since && $3 == "ok" && director($4, $5) == node { found = 1; exit }
    END { exit !found }' "$DL_TMP/probe"
}

# sc_gap SINCE_US NODE: "FIRST GAP" (µs) for a move to NODE that started at
# SINCE_US: FIRST is when the client received its first answer via NODE (from
# a probe sent after SINCE_US); GAP the longest the client waited between two
# answers from a second before SINCE_US up to FIRST. Answers count when they
# arrive: a probe held in an ARP queue during the move shows as a gap. Prints
# nothing if NODE never answered.
sc_gap() {
  awk -v since="$1" -v to="$2" "$SC_AWK_DIRECTOR"'
    $3 == "ok" { n++; sent[n] = $1; done[n] = $2; who[n] = director($4, $5) }
    END {
      for (i = 1; i <= n; i++) if (sent[i] >= since && who[i] == to) { f = done[i]; break }
      if (f == "") exit
      m = 0
      for (i = 1; i <= n; i++) if (done[i] >= since - 1000000 && done[i] <= f) d[++m] = done[i]
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (d[j] < d[i]) { t = d[i]; d[i] = d[j]; d[j] = t }
      g = 0; for (i = 2; i <= m; i++) if (d[i] - d[i - 1] > g) g = d[i] - d[i - 1]
      print f, g
    }' "$DL_TMP/probe"
}
