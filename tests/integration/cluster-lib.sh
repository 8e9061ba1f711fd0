# shellcheck shell=bash
# A two-node cluster with resources, in network namespaces, for scenario
# tests: nodes alpha (192.0.2.11) and beta (192.0.2.12) and a client
# (192.0.2.50) on one switch (br0); one resource group by default, the VIP
# 192.0.2.100/24 plus a tiny TCP service bound to it that answers the name
# of the node serving it. Built on daemon-lib.sh (which builds on lab.sh).
#
# A scenario in a few lines:
#   . "$abs_top_srcdir/tests/lib/tap.sh"
#   . "$abs_top_srcdir/tests/lib/lab.sh"
#   . "$abs_top_srcdir/tests/integration/daemon-lib.sh"
#   . "$abs_top_srcdir/tests/integration/cluster-lib.sh"
#   cl_setup                               # lab, alpha, beta, client
#   CL_AUTO_FAILBACK=off cl_conf           # ha.cf/haresources/authkeys/resource.d
#   cl_start alpha; cl_start beta
#   check "alpha serves" -- cl_wait_holder 15 alpha
#   cl_kill alpha
#   check "beta serves" -- cl_wait_holder 10 beta
#   check "beta logs it" -- cl_wait_log 5 beta "mach_down takeover complete."
#
# Node names are both the lab node (namespace suffix) and the host name
# (uname -n) the daemon runs under: alpha, beta; the client is `client`.
# Every function documents its arguments; the CL_* variables below are read
# by cl_conf and cl_start and may be set before calling them.

# ---- knobs (set before cl_conf / cl_start) ---------------------------------------
CL_NODES=(alpha beta)
CL_KEEPALIVE=${CL_KEEPALIVE:-200ms}
CL_DEADTIME=${CL_DEADTIME:-1}
CL_WARNTIME=${CL_WARNTIME:-600ms}
CL_INITDEAD=${CL_INITDEAD:-2}
CL_AUTO_FAILBACK=${CL_AUTO_FAILBACK:-on}
CL_VIP=${CL_VIP:-192.0.2.100}
CL_PORT=${CL_PORT:-9000}
# The haresources lines (one array element per line). Default: one group
# homed on alpha, the VIP (IPaddr, found on eth0) then the service on it.
CL_HARESOURCES=("alpha $CL_VIP/24/eth0 service")
# More ha.cf lines (e.g. "ping 192.0.2.50", "debug 1").
CL_HACF_EXTRA=()
# More daemon options for every cl_start (e.g. --agent-timeout=5s).
CL_DAEMON_ARGS=()

CL_ADDR_alpha=192.0.2.11
CL_ADDR_beta=192.0.2.12
CL_ADDR_client=192.0.2.50
CL_BIN=$abs_top_builddir/heartbeat
CL_AGENTS=$abs_top_builddir/resource.d

# cl_setup: skip unless root/netns/socat and a built daemon; create the lab
# (switch br0, nodes alpha, beta, client on eth0) and the temp dir ($DL_TMP,
# removed on exit together with every namespace and process).
cl_setup() {
  command -v socat >/dev/null || skip_all "needs socat (tests/deps/rsc.txt)"
  dl_setup
  [ -x "$CL_AGENTS/IPaddr" ] || bail "$CL_AGENTS/IPaddr not built"
  lab_switch
  local n addr
  for n in alpha beta client; do
    eval "addr=\$CL_ADDR_$n/24"
    lab_node "$n" "$addr"
    # With a broadcast address: Heartbeat 3.0.6's bcast plugin sends to the
    # interface's configured one (a mixed cluster needs it; ours does not).
    lab_exec "$n" ip addr del "$addr" dev eth0
    lab_exec "$n" ip addr add "$addr" brd + dev eth0
  done
}

# cl_dir NODE: NODE's directory ($DL_TMP/NODE with etc/ state/ run/ log).
cl_dir() { echo "$DL_TMP/$1"; }

# cl_conf: write both nodes' ha.cf (bcast eth0, the CL_* timers and
# auto_failback, CL_HACF_EXTRA), authkeys (sha1), haresources
# (CL_HARESOURCES), resource.d/ (symlinks to the build-tree IPaddr, IPaddr2,
# LVS, plus the test agents `service` and `fail`) and an empty init.d/.
# Call it again after changing a knob; it rewrites the files.
cl_conf() {
  local n dir
  _cl_hacf
  for n in "${CL_NODES[@]}"; do
    dir=$(dl_conf "$n" "auth 1" "1 sha1 systole-test" -- "${CL_HACF[@]}")
    printf '%s\n' "${CL_HARESOURCES[@]}" > "$dir/etc/haresources"
    mkdir -p "$dir/etc/resource.d" "$dir/init.d" "$dir/svc"
    local a
    for a in IPaddr IPaddr2 LVS; do
      [ -e "$CL_AGENTS/$a" ] && ln -sfn "$CL_AGENTS/$a" "$dir/etc/resource.d/$a"
    done
    _cl_write_service "$dir/etc/resource.d/service" "$dir/svc"
    _cl_write_fail "$dir/etc/resource.d/fail" "$dir/svc"
  done
}

# The ha.cf lines both nodes share (from the knobs above).
_cl_hacf() {
  CL_HACF=("keepalive $CL_KEEPALIVE" "deadtime $CL_DEADTIME" "warntime $CL_WARNTIME"
           "initdead $CL_INITDEAD" "udpport 10694" "bcast eth0"
           "auto_failback $CL_AUTO_FAILBACK" "node alpha" "node beta" "${CL_HACF_EXTRA[@]}")
}

# cl_deb_start NODE: run Debian's Heartbeat 3.0.6 as NODE instead of ours (a
# mixed cluster; source interop-lib.sh and call deb_require first). Same
# ha.cf knobs, authkeys and haresources as cl_conf, the test agents in its
# /etc/ha.d/resource.d (Debian's own IPaddr needs ifconfig: use IPaddr2 in
# CL_HARESOURCES for mixed clusters). cl_kill, cl_stop, cl_log, cl_actions,
# cl_make_fail work on it; cl_deb_tool runs its tools.
cl_deb_start() {
  local n=$1 dir; dir=$(cl_dir "$1")
  _cl_hacf
  deb_conf "$n" "auth 1" "1 sha1 systole-test" -- "${CL_HACF[@]}" "use_logd no" "crm off" "realtime off"
  printf '%s\n' "${CL_HARESOURCES[@]}" > "$dir/etc-ha.d/haresources"
  mkdir -p "$dir/svc"
  _cl_write_service "$dir/etc-ha.d/resource.d/service" "$dir/svc"
  _cl_write_fail "$dir/etc-ha.d/resource.d/fail" "$dir/svc"
  deb_start "$n" "$n"
  eval "DL_PID_$n=\$DEB_PID_$n"
}

# cl_deb_tool NODE PROG ARGS...: hb_standby / hb_takeover / cl_status of the
# Debian node, inside its namespaces.
cl_deb_tool() {
  local n=$1 prog=$2; shift 2
  [ "$prog" = cl_status ] || prog=/usr/share/heartbeat/$prog
  deb_exec "$n" "$prog" "$@"
}

# cl_agent NODE|all NAME: install the script read from stdin as agent NAME
# in NODE's (or both nodes') resource.d, executable. E.g.
#   cl_agent all slow <<'EOF'
#   #!/bin/sh
#   sleep 5
#   EOF
cl_agent() {
  local target=$1 name=$2 n body
  body=$(cat)
  for n in "${CL_NODES[@]}"; do
    [ "$target" = all ] || [ "$target" = "$n" ] || continue
    printf '%s\n' "$body" > "$(cl_dir "$n")/etc/resource.d/$name"
    chmod 755 "$(cl_dir "$n")/etc/resource.d/$name"
  done
}

# The test service, Heartbeat style: `service [PORT [ADDR]] start|stop|status`
# (haresources: service, service::9001, service::9001::192.0.2.101). start
# runs socat listening on ADDR:PORT (default VIP:9000) that answers each
# connection with `uname -n`; binding fails, and so does start, when ADDR is
# not on the node. Every action is appended to SVC/actions ("start 9000").
_cl_write_service() {
  cat > "$1" <<EOF
#!/bin/bash
svc=$2
port=$CL_PORT; addr=$CL_VIP
[ \$# -ge 2 ] && { port=\$1; shift; }
[ \$# -ge 2 ] && { addr=\$1; shift; }
pidf=\$svc/service-\$port.pid
# Alive = exists and is no zombie (orphans may wait for a reaper that never comes).
alive() {
  [ -s "\$pidf" ] || return 1
  p=\$(cat "\$pidf")
  [ -r /proc/\$p/status ] && ! grep -q '^State:[[:space:]]*Z' /proc/\$p/status
}
echo "\$1 \$port" >> "\$svc/actions"
case \$1 in
start)
  alive && exit 0
  setsid socat TCP-LISTEN:\$port,bind=\$addr,reuseaddr,fork SYSTEM:'uname -n' \\
    </dev/null >/dev/null 2>"\$svc/socat-\$port.err" &
  echo \$! > "\$pidf"
  # Up once it listens; socat exits at once when it cannot bind.
  for i in \$(seq 50); do
    alive || { echo "service \$port: socat failed" >&2; exit 1; }
    ss -Hltn "sport = :\$port" | grep -q . && exit 0
    sleep 0.02
  done
  exit 1 ;;
stop)
  alive && { kill "\$(cat "\$pidf")"; for i in \$(seq 50); do alive || break; sleep 0.02; done; }
  rm -f "\$pidf"; exit 0 ;;
status)
  if alive; then echo "service \$port is running"; exit 0; fi
  echo "service \$port is stopped"; exit 3 ;;
*) echo "usage: \$0 [PORT [ADDR]] start|stop|status" >&2; exit 1 ;;
esac
EOF
  chmod 755 "$1"
}

# The failing agent: `fail start|stop|status`; an action fails (exit 1)
# while the file SVC/fail-ACTION exists (create it with cl_make_fail).
# Otherwise it succeeds and tracks its state in SVC/fail.state.
_cl_write_fail() {
  cat > "$1" <<EOF
#!/bin/sh
svc=$2
echo "fail \$1" >> "\$svc/actions"
[ -e "\$svc/fail-\$1" ] && { echo "fail: \$1 fails on purpose" >&2; exit 1; }
case \$1 in
start) touch "\$svc/fail.state" ;;
stop) rm -f "\$svc/fail.state" ;;
status) if [ -e "\$svc/fail.state" ]; then echo running; else echo stopped; fi ;;
esac
exit 0
EOF
  chmod 755 "$1"
}

# cl_make_fail NODE ACTION [on|off]: make the `fail` agent's ACTION fail on NODE.
cl_make_fail() {
  if [ "${3:-on}" = on ]; then touch "$(cl_dir "$1")/svc/fail-$2"; else rm -f "$(cl_dir "$1")/svc/fail-$2"; fi
}

# cl_actions NODE: the test agents' action log on NODE ("start 9000", "fail stop").
cl_actions() { cat "$(cl_dir "$1")/svc/actions" 2>/dev/null; }

# cl_start NODE [ARGS...]: start heartbeat in NODE (host name NODE) in the
# foreground, agents from the build tree (SYSTOLE_LIBEXEC), init scripts
# from NODE's init.d, fencing replaced by `touch DIR/fenced`, fast stop
# retries; CL_DAEMON_ARGS and ARGS are appended. Sets DL_PID_<NODE>.
cl_start() {
  local n=$1; shift
  local dir; dir=$(cl_dir "$n")
  SYSTOLE_LIBEXEC=$CL_AGENTS dl_start "$n" "$n" --initdir "$dir/init.d" \
    --fence-command "touch $dir/fenced" --stop-retries 3 --stop-retry-delay 200ms \
    "${CL_DAEMON_ARGS[@]}" "$@"
}

# cl_pid NODE: the daemon's PID (empty if never started).
cl_pid() { eval "echo \${DL_PID_$1:-}"; }

# cl_running NODE: true while NODE's daemon process exists.
cl_running() { local p; p=$(cl_pid "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# cl_kill NODE: kill -9 NODE's daemon (by PID) and reap it. Its agents'
# children (the VIP, socat) stay, as after a crash of heartbeat alone.
cl_kill() {
  local p; p=$(cl_pid "$1")
  [ -n "$p" ] || return 1
  kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null
  return 0
}

# cl_crash NODE: the whole node dies: kill -9 every process in its
# namespace, then cut its link (the VIP it held stays configured but is
# unreachable). cl_revive NODE reconnects it (processes are not restarted).
cl_crash() {
  local p
  for p in $(ip netns pids "$(lab_ns "$1")" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  p=$(cl_pid "$1"); [ -n "$p" ] && wait "$p" 2>/dev/null
  lab_exec "$1" ip link set eth0 down
}
cl_revive() { lab_exec "$1" ip link set eth0 up; }

# cl_stop NODE [SECONDS]: SIGTERM NODE's daemon and wait for it to exit
# (default 60 s, then kill -9 and fail). Returns the daemon's exit status.
cl_stop() {
  local n=$1 limit=${2:-60} p rc
  p=$(cl_pid "$n")
  [ -n "$p" ] || return 1
  kill -TERM "$p" 2>/dev/null
  if ! wait_for "$limit" _cl_gone "$p"; then
    kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null
    return 124
  fi
  wait "$p"; rc=$?
  return "$rc"
}
# A reaped-or-zombie check: kill -0 succeeds on zombies, so ask ps.
_cl_gone() { ! ps -o stat= -p "$1" 2>/dev/null | grep -qv Z; }

# cl_vip_holder [PORT] [ADDR]: what the client sees: connect to ADDR:PORT
# (default VIP:9000) from the client and print the node name answering, or
# "none" when nothing answers within 1 s.
cl_vip_holder() {
  local out
  out=$(lab_exec client timeout 2 socat -T1 -u \
    "TCP:${2:-$CL_VIP}:${1:-$CL_PORT},connect-timeout=1" STDOUT 2>/dev/null)
  echo "${out:-none}"
}

# cl_wait_holder SECONDS NODE|none [PORT]: wait until the client sees NODE.
cl_wait_holder() {
  wait_for "$1" _cl_holder_is "$2" "${3:-$CL_PORT}" || {
    diag "client sees $(cl_vip_holder "${3:-$CL_PORT}"), wanted $2"
    return 1
  }
}
_cl_holder_is() { [ "$(cl_vip_holder "$2")" = "$1" ]; }

# cl_has_vip NODE [ADDR]: true when NODE has ADDR (default the VIP) configured.
cl_has_vip() { lab_exec "$1" ip -o -f inet addr show | grep -qF " inet ${2:-$CL_VIP}/"; }

# cl_lacks_vip NODE [ADDR]: true when NODE does not have ADDR (default the VIP).
cl_lacks_vip() { ! cl_has_vip "$@"; }

# cl_is GOT WANT DESCRIPTION...: one TAP line, ok when GOT equals WANT.
cl_is() {
  local got=$1 want=$2; shift 2
  [ "$got" = "$want" ]
  ok $? "$* (got '$got')"
}

# cl_tool NODE PROG ARGS...: run cl_status / hb_standby / hb_takeover inside
# NODE against its daemon (e.g. cl_tool alpha cl_status rscstatus).
cl_tool() {
  local n=$1 prog=$2; shift 2
  lab_exec "$n" "$CL_BIN/$prog" --rundir="$(cl_dir "$n")/run" "$@"
}

# cl_rscstatus NODE: cl_status rscstatus on NODE (all|local|foreign|none|...).
cl_rscstatus() { cl_tool "$1" cl_status rscstatus; }

# ---- logs ---------------------------------------------------------------------------
# cl_log NODE: path of NODE's heartbeat log (agents log there too).
cl_log() { dl_log "$1"; }

# cl_wait_log SECONDS NODE TEXT: wait until NODE's log holds TEXT (fixed string).
cl_wait_log() { dl_wait_log "$@"; }

# cl_log_count NODE TEXT: how many lines of NODE's log hold TEXT.
cl_log_count() { grep -cF -- "$2" "$(cl_log "$1")" 2>/dev/null || true; }

# cl_mark NODE: remember the current end of NODE's log; cl_wait_new_log and
# cl_new_log_has then look only at lines written after it.
cl_mark() {
  local c; c=$(wc -l < "$(cl_log "$1")" 2>/dev/null || echo 0)
  eval "CL_MARK_$1=$c"
}
_cl_new_lines() { local m; eval "m=\${CL_MARK_$1:-0}"; tail -n +"$((m + 1))" "$(cl_log "$1")" 2>/dev/null; }

# cl_new_log_has NODE TEXT: NODE logged TEXT since cl_mark NODE.
cl_new_log_has() { _cl_new_lines "$1" | grep -qF -- "$2"; }

# cl_wait_new_log SECONDS NODE TEXT: wait until NODE logs TEXT after its mark.
cl_wait_new_log() { wait_for "$1" cl_new_log_has "$2" "$3"; }

# cl_dump: show the end of every node's log and stderr as TAP diagnostics.
cl_dump() {
  dl_dump_logs
  local n
  for n in "${CL_NODES[@]}"; do
    [ -s "$(cl_dir "$n")/stderr" ] && diag "---- $n stderr" && diag "$(tail -15 "$(cl_dir "$n")/stderr")"
  done
}

# cl_no_sanitizer_report NODE: true unless NODE's stderr holds an ASan/UBSan report.
cl_no_sanitizer_report() { ! grep -qE "Sanitizer|runtime error" "$(cl_dir "$1")/stderr" 2>/dev/null; }

# cl_fenced NODE: true once NODE ran its (test) fence command.
cl_fenced() { [ -e "$(cl_dir "$1")/fenced" ]; }
