# shellcheck shell=bash
# shellcheck disable=SC2034  # CH_* tables are read by bench/chaos and chaos-report.sh
# The lab and the faults of bench/chaos: node life cycle (ours or Debian's
# Heartbeat 3.0.6 on a lab node), the event journal, and one function per
# event type (ev_TYPE NODE R1 R2 R3). Sourced by bench/chaos after
# tests/lib/lab.sh, daemon-lib.sh, cluster-lib.sh, interop-lib.sh and
# rsctests-lib.sh.
#
# Everything here runs in the harness's main shell: the daemons are its
# children, so it alone can reap them and tell an exit it caused (stop,
# kill, crash) from one it did not (a daemon crash, invariant d).

CH_NODES=(alpha beta)
declare -A CH_IMPL=([alpha]=ours [beta]=ours)  # ours | hb306, per lab node
declare -A CH_PID=()       # running daemon (empty: none)
declare -A CH_START_US=()  # when the running daemon was started
declare -A CH_EXPECT=()    # 1 while the harness itself is ending that daemon
declare -A CH_DOWN=()      # 1 when the daemon ended by itself (restarted by ch_revive)
declare -A CH_KILLED_STOP=() # 1 when a stop timed out and the daemon was killed
declare -A CH_WARN_MS=()   # the warntime in the node's ha.cf now
CH_EP=0                    # the episode running (0: setup)

# ---- clock, journal, sleeping without forks ------------------------------------

# ch_now: sets T to wall-clock µs (the clock of bench/probe and chaos-watch).
ch_now() { T=${EPOCHREALTIME/./}; }

# ch_journal RECORD KEY=VALUE...: one line of the event journal, stamped.
ch_journal() {
  local T; ch_now
  printf '%s %s %s\n' "$T" "$CH_EP" "$*" >> "$CH_JOURNAL"
  [ -z "$CH_VERBOSE" ] || printf 'chaos: %s ep %s %s\n' "$(date +%T.%3N)" "$CH_EP" "$*" >&2
}

# A pipe nobody writes to: `read -t` on it sleeps without a fork.
exec {CH_SLEEP_FD}<> <(:)
ch_nap() { read -r -t "$1" -u "$CH_SLEEP_FD" _ 2>/dev/null; return 0; }

# ch_sleep_ms MS: sleep, watching the daemons every 50 ms meanwhile.
ch_sleep_ms() {
  local T end left frac; ch_now; end=$((T + $1 * 1000))
  while ch_now; [ "$T" -lt "$end" ]; do
    ch_watch_daemons
    left=$(( (end - T) / 1000 ))
    [ "$left" -gt 50 ] && left=50
    printf -v frac '0.%03d' "$left"
    ch_nap "$frac"
  done
}

# ch_until SECONDS CMD...: poll CMD every 50 ms (watching the daemons) until it
# succeeds; false on timeout.
ch_until() {
  local limit=$1 T end; shift
  ch_now; end=$((T + limit * 1000000))
  until "$@"; do
    ch_watch_daemons
    ch_now; [ "$T" -lt "$end" ] || return 1
    ch_nap 0.05
  done
}

# R LO HI RAND: maps a schedule random number into [LO, HI].
R() { echo $(( $1 + $3 % ($2 - $1 + 1) )); }

# ---- where things are -----------------------------------------------------------

ch_dir() { if [ "${CH_IMPL[$1]}" = hb306 ]; then echo "$DL_TMP/$1-hb306"; else cl_dir "$1"; fi; }
ch_log() { echo "$(ch_dir "$1")/log"; }
ch_other() { if [ "$1" = alpha ]; then echo beta; else echo alpha; fi; }
ch_alive() { local p=${CH_PID[$1]:-}; [ -n "$p" ] && ch_pid_alive "$p"; }
# A process exists and is no zombie (read from /proc: no fork).
ch_pid_alive() {
  local stat
  { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# ch_holders: sets HOLD_VIP and HOLD_AGENT from the sampler's last line
# ("-" none, else comma separated) and HOLD_SINCE (µs of that line).
ch_holders() {
  local line
  line=$(grep '^S ' "$CH_WATCH_OUT" | tail -n 1)
  read -r _ HOLD_SINCE HOLD_VIP HOLD_AGENT <<< "$line"
  HOLD_SINCE=${HOLD_SINCE:-0} HOLD_VIP=${HOLD_VIP:--} HOLD_AGENT=${HOLD_AGENT:--}
}

# ch_holder: sets HOLDER to the one node holding the group (VIP and agent),
# else "" (and the HOLD_* variables as ch_holders does).
ch_holder() {
  ch_holders
  HOLDER=
  if [ "$HOLD_VIP" = "$HOLD_AGENT" ] && [ "$HOLD_VIP" != - ] && [ "${HOLD_VIP#*,}" = "$HOLD_VIP" ]; then
    HOLDER=$HOLD_VIP
  fi
}

# ch_log_lines NODE: how many lines NODE's current log has (expectation offsets).
ch_log_lines() { local f; f=$(ch_log "$1"); if [ -f "$f" ]; then wc -l < "$f"; else echo 0; fi; }

# ch_expect NODE SOFT REGEX: NODE's log must get a line matching REGEX (ERE)
# after this point (checked at the end; SOFT=1: reported, not a violation).
ch_expect() { ch_expect_at "$1" "$2" "$(ch_log_lines "$1")" "$3"; }
# ch_expect_at NODE SOFT OFFSET REGEX: the same from an earlier log length.
ch_expect_at() {
  ch_journal "expect node=$1 impl=${CH_IMPL[$1]} soft=$2 log=$(ch_log "$1") off=$3 re=$4"
}

# ---- daemons ---------------------------------------------------------------------

# ch_start NODE: start the node's implementation (ours or Debian's) now.
ch_start() {
  local n=$1 T
  if [ "${CH_IMPL[$n]}" = hb306 ]; then ch_hb306_start "$n"; else
    cl_start "$n"
    eval "CH_PID[\$n]=\$DL_PID_$n"
  fi
  ch_now; CH_START_US[$n]=$T; CH_EXPECT[$n]=; CH_DOWN[$n]=
  echo "${CH_PID[$n]}" > "$DL_TMP/pids/$n"
  ch_journal "start node=$n impl=${CH_IMPL[$n]} pid=${CH_PID[$n]}"
  if [ -n "${CH_KILLED_STOP[$n]:-}" ]; then CH_KILLED_STOP[$n]=; ch_journal "heal kind=stop-timeout node=$n"; fi
}

# ch_reap NODE HOW: the daemon is gone (or going): wait for it and journal
# its exit status. HOW: stop|kill|crash|unexpected.
ch_reap() {
  local n=$1 how=$2 p=${CH_PID[$1]:-} rc
  [ -n "$p" ] || return 0
  { wait "$p"; } 2>/dev/null; rc=$?
  ch_journal "exit node=$n impl=${CH_IMPL[$n]} pid=$p how=$how status=$rc"
  CH_PID[$n]=; rm -f "$DL_TMP/pids/$n"
  return 0
}

# ch_stop NODE: graceful stop (SIGTERM, as `service heartbeat stop`), waiting
# for the process to end (at most 30 s, then kill -9, journaled).
ch_stop() {
  local n=$1 p=${CH_PID[$1]:-}
  [ -n "$p" ] || return 0
  CH_EXPECT[$n]=1
  kill -TERM "$p" 2>/dev/null
  if ! ch_until 30 ch_gone "$p"; then
    ch_journal "note stop-timeout node=$n impl=${CH_IMPL[$n]} pid=$p"
    # Killed with its resources in place, as kill9: allowed until restarted.
    ch_journal "fault kind=stop-timeout node=$n allow_overlap=1"
    CH_KILLED_STOP[$n]=1
    kill -KILL "$p" 2>/dev/null
    [ "${CH_IMPL[$n]}" = hb306 ] && ch_kill_ns_heartbeats "$n"
  fi
  ch_reap "$n" stop
}
ch_gone() { ! ch_pid_alive "$1"; }

# ch_kill9 NODE: kill -9 of the daemon alone (its resources stay, as after a
# crash of heartbeat itself). Debian's daemon has helper processes: they go too.
ch_kill9() {
  local n=$1 p=${CH_PID[$1]:-}
  [ -n "$p" ] || return 0
  CH_EXPECT[$n]=1
  kill -KILL "$p" 2>/dev/null
  [ "${CH_IMPL[$n]}" = hb306 ] && ch_kill_ns_heartbeats "$n"
  ch_reap "$n" kill
}
# ch_hb306_master NODE: the pid of the Debian heartbeat master running in
# NODE's namespace (a heartbeat whose parent is not one), or "".
ch_hb306_master() {
  local q pp
  for q in $(ip netns pids "$(lab_ns "$1")" 2>/dev/null); do
    [ "$(readlink "/proc/$q/exe" 2>/dev/null)" = "$DEB_HB" ] || continue
    pp=$(awk '{ print $4 }' "/proc/$q/stat" 2>/dev/null)
    [ "$(readlink "/proc/$pp/exe" 2>/dev/null)" = "$DEB_HB" ] && continue
    echo "$q"; return 0
  done
}
ch_kill_ns_heartbeats() {
  local q exe
  for q in $(ip netns pids "$(lab_ns "$1")" 2>/dev/null); do
    exe=$(readlink "/proc/$q/exe" 2>/dev/null)
    [ "$exe" = "$DEB_HB" ] && kill -KILL "$q" 2>/dev/null
  done
}

# ch_crash NODE: the machine dies: every process of its namespace is killed,
# its link goes down, and what a reboot loses is lost (the VIP and other
# eth0 addresses, agent state, run directory).
ch_crash() {
  local n=$1 q pids
  CH_EXPECT[$n]=1
  pids=$(ip netns pids "$(lab_ns "$n")" 2>/dev/null)
  for q in $pids; do [ "$q" = "${CH_PID[$n]:-}" ] || kill -KILL "$q" 2>/dev/null; done
  [ -n "${CH_PID[$n]:-}" ] && kill -KILL "${CH_PID[$n]}" 2>/dev/null
  ch_reap "$n" crash
  # Reap our own children among them quietly (bash reports killed jobs).
  for q in $pids; do { wait "$q"; } 2>/dev/null; done
  lab_exec "$n" ip link set eth0 down
  # The agent's state before the address: the sampler must never see an
  # agent without its address because of the order of this wipe.
  rm -f "$RT_DIR/state/$n".*
  rt_wipe "$n"
  rm -f "$DL_TMP/$n-hb306/reboot-requested"
}

# ch_boot NODE: the machine comes back: link, its name server, its daemon.
ch_boot() {
  lab_exec "$1" ip link set eth0 up
  ch_serve_start "$1"
  ch_start "$1"
}

# ch_serve_start NODE: NODE answers "NODE CLIENT" on port 80 of any of its
# addresses: whoever holds the VIP answers the client there.
ch_serve_start() { lab_spawn "$1" "$1" "$CH_PROBE" serve "$CH_PORT" "$1"; }

# ch_watch_daemons: notice a daemon that ended without the harness ending it
# (invariant d): it stays down until the episode's fault is undone
# (ch_revive), as an administrator would restart it, and meanwhile its
# resources stay where they are, as after kill9. Also answer fence requests
# (the fence command of a node that could not stop a resource) as a machine
# would: by a reboot.
ch_watch_daemons() {
  local n
  for n in "${CH_NODES[@]}"; do
    if [ -n "${CH_PID[$n]:-}" ] && [ -z "${CH_EXPECT[$n]:-}" ] && ! ch_pid_alive "${CH_PID[$n]}"; then
      # Heartbeat 3.0.6 restarts itself (after a partition, "Performing
      # heartbeat restart exec."): the exec'd master forks a new one and
      # exits. That is the same daemon going on under another pid.
      if [ "${CH_IMPL[$n]}" = hb306 ]; then
        local m; m=$(ch_hb306_master "$n")
        if [ -n "$m" ]; then
          wait "${CH_PID[$n]}" 2>/dev/null
          ch_journal "note hb306-reexec node=$n old=${CH_PID[$n]} new=$m"
          CH_PID[$n]=$m; echo "$m" > "$DL_TMP/pids/$n"
          continue
        fi
      fi
      ch_reap "$n" unexpected
      ch_journal "fault kind=daemon-exit node=$n allow_overlap=1"
      CH_DOWN[$n]=1
    fi
    if [ -e "$(cl_dir "$n")/fenced" ] || [ -e "$DL_TMP/$n-hb306/reboot-requested" ]; then
      rm -f "$(cl_dir "$n")/fenced"
      ch_journal "fence node=$n impl=${CH_IMPL[$n]}"
      ch_crash "$n"
      # A reboot takes longer than the dead interval (even a fresh node's):
      # the peer sees a death, not a restart (that quicker case is
      # tests/integration/rsc-standby-restart.sh).
      ch_nap 3
      ch_boot "$n"
    fi
  done
}

# ch_revive: restart the daemons that ended by themselves (after the fault
# that may have caused it is undone).
ch_revive() {
  local n
  for n in "${CH_NODES[@]}"; do
    [ -n "${CH_DOWN[$n]:-}" ] || continue
    ch_start "$n"
    ch_journal "heal kind=daemon-exit node=$n"
  done
}

# ---- Debian's Heartbeat 3.0.6 on a lab node --------------------------------------

# ch_hb306_conf NODE: its own /etc/ha.d and /var/lib/heartbeat copies under
# $DL_TMP/NODE-hb306 with the cluster's ha.cf, authkeys and haresources, and
# the recording agent in its resource.d. Its generation and UUID are the
# node's (from our state directory): one machine, one identity, whichever
# implementation runs on it.
ch_hb306_conf() {
  local n=$1 dir=$DL_TMP/$1-hb306 keep=$DL_TMP/$1-hb306.keep f
  # deb_conf starts from an empty directory: keep the logs of an earlier
  # phase (the journal's expectations count their lines).
  mkdir -p "$keep"
  for f in log debug stderr; do [ -f "$dir/$f" ] && mv "$dir/$f" "$keep/$f"; done
  _cl_hacf
  deb_conf "$n-hb306" "auth 1" "1 sha1 systole-test" -- "${CL_HACF[@]}" \
    "use_logd no" "crm off" "realtime off"
  printf '%s\n' "${CL_HARESOURCES[@]}" > "$dir/etc-ha.d/haresources"
  [ -n "$CH_CRC_KEY" ] && echo "2 crc" >> "$dir/etc-ha.d/authkeys"
  install -m 755 "$RT_AGENT_SRC" "$dir/etc-ha.d/resource.d/rsctest"
  for f in log debug stderr; do [ -f "$keep/$f" ] && mv "$keep/$f" "$dir/$f"; done
  rmdir "$keep"
  cp "$(cl_dir "$n")/state/hb_generation" "$(cl_dir "$n")/state/hb_uuid" "$dir/var-lib/" 2>/dev/null
  # Heartbeat 3.0.6 answers a failed stop with `pkill -9 heartbeat` and
  # `reboot -nf` (ResourceManager RecoverFromFailedStop): in its mount
  # namespace those commands only record the request (the harness then
  # reboots the lab node), so no host process or machine is ever touched.
  cat > "$dir/fake-reboot" <<EOF
#!/bin/sh
echo "\$0 \$*" >> '$dir/reboot-requested'
exit 0
EOF
  chmod 755 "$dir/fake-reboot"
}

# ch_hb306_start NODE: interop-lib.sh's deb_start in lab node NODE, plus the
# state directory Debian's IPaddr2 wants and the fake reboot/pkill.
ch_hb306_start() {
  local n=$1 dir=$DL_TMP/$1-hb306
  ip netns exec "$(lab_ns "$n")" unshare --mount --uts sh -c '
    dir=$1 host=$2 bin=$3
    hostname "$host" || exit 1
    mount --bind "$dir/etc-ha.d" /etc/ha.d || exit 1
    mount --bind "$dir/var-lib" /var/lib/heartbeat || exit 1
    for f in /sbin/reboot /sbin/init /usr/bin/pkill /usr/bin/killall; do
      [ -e "$f" ] && { mount --bind "$dir/fake-reboot" "$f" || exit 1; }
    done
    mount -t tmpfs -o mode=755 tmpfs /run || exit 1
    mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/lock /run/resource-agents
    chown -R hacluster:haclient /run/heartbeat/ccm /run/heartbeat/crm
    exec "$bin" -f' sh "$dir" "$n" "$DEB_HB" >>"$dir/stderr" 2>&1 &
  CH_PID[$n]=$!
  LAB_PIDS+=("$!")
  eval "DEB_PID_$n=\$!"
}

# ch_tool NODE hb_standby|hb_takeover ARGS: the node's own command.
ch_tool() {
  local n=$1 prog=$2; shift 2
  if [ "${CH_IMPL[$n]}" = hb306 ]; then
    nsenter -t "${CH_PID[$n]}" -m -n -u "/usr/share/heartbeat/$prog" "$@"
  else
    cl_tool "$n" "$prog" "$@"
  fi
}

# ch_phase ours|hb306: beta runs ours or Debian's Heartbeat 3.0.6 (alpha
# always runs ours): a graceful stop of one, a start of the other, as an
# upgrade (or downgrade) of one node of a running cluster would be.
ch_phase() {
  local want=$1 n=beta
  [ "${CH_IMPL[$n]}" = "$want" ] && return 0
  ch_journal "phase from=${CH_IMPL[$n]} to=$want node=$n"
  ch_stop "$n"
  if [ "$want" = hb306 ]; then
    CH_IMPL[$n]=hb306
    ch_hb306_conf "$n"
  else
    cp "$DL_TMP/$n-hb306/var-lib/hb_generation" "$(cl_dir "$n")/state/" 2>/dev/null
    CH_IMPL[$n]=ours
  fi
  ch_start "$n"
}

# ---- nftables faults --------------------------------------------------------------
# Heartbeat traffic only (UDP to the cluster's port); the client's TCP and ARP
# pass. In the switch: a bridge table on the forwarding path between the two
# nodes' ports. On a node: an inet table on its input/output hooks.

ch_port() { local p="v${1}eth0"; echo "${p:0:15}"; }

# ch_nft_switch NAME RULE-BODY...: add a bridge table NAME in the switch.
ch_nft_switch() {
  local name=$1; shift
  { echo "table bridge $name {"; echo "  chain cut { type filter hook forward priority 0;"
    printf '    %s\n' "$@"; echo "  }"; echo "}"; } | lab_exec sw nft -f -
}
# ch_nft_node NODE NAME IN-RULE OUT-RULE: an inet table on NODE ("" = none).
ch_nft_node() {
  local n=$1 name=$2
  { echo "table inet $name {"
    [ -n "$3" ] && echo "  chain in { type filter hook input priority 0; $3; }"
    [ -n "$4" ] && echo "  chain out { type filter hook output priority 0; $4; }"
    echo "}"; } | lab_exec "$n" nft -f -
}
ch_nft_clear() {
  lab_exec sw nft delete table bridge chaos 2>/dev/null
  local n
  for n in "${CH_NODES[@]}"; do lab_exec "$n" nft delete table inet chaos 2>/dev/null; done
  return 0
}

# ---- the events -------------------------------------------------------------------
# ev_TYPE NODE R1 R2 R3: perform one fault on NODE with the schedule's random
# numbers, journal "fault" when it begins (allow_overlap=1 where the nodes
# cannot hear each other, so two holders are expected until "heal"), journal
# "heal" when it is undone, and say which log lines must follow (ch_expect).
# The peer is $PEER; deadline checks use CH_BUDGET_MS set by the caller.

# ch_due NODE WHY: if this event needs the group to move (NODE holds it and
# is going away, or NODE does not hold it and takes it), the client must be
# answered again within the dead interval + 100 ms (invariant b). The dead
# interval is deadtime, or deadtime + 2 s when the leaving node is in its
# first 5 s (it advertises that, docs/PROTOCOL.md, "Status packets") and must be
# detected as dead (crash).
ch_due() {
  local n=$1 why=$2 h T budget=$((CH_DEADTIME_MS + 100))
  ch_holder; h=$HOLDER
  case $why in
  leave) [ "$n" = "$h" ] || return 0 ;;
  take) [ -n "$h" ] && [ "$n" != "$h" ] || return 0 ;;
  dead)
    [ "$n" = "$h" ] || return 0
    ch_now
    [ $(( (T - ${CH_START_US[$n]:-0}) / 1000 )) -lt 5300 ] && budget=$((CH_DEADTIME_MS + 2000 + 100))
    ;;
  esac
  ch_alive "$(ch_other "$n")" || return 0
  ch_journal "due node=$n from=$h to=$(if [ "$why" = take ]; then echo "$n"; else ch_other "$n"; fi) taker_impl=${CH_IMPL[$(if [ "$why" = take ]; then echo "$n"; else ch_other "$n"; fi)]} budget_ms=$budget"
}

# ch_dead_ms NODE: the dead interval NODE's peer applies to it now: deadtime,
# or deadtime + 2 s while NODE's daemon is in its first 5 s (docs/PROTOCOL.md, "Status
# packets"; 5.3 s
# here, for the heartbeat sent just before the 5 s are over).
ch_dead_ms() {
  local T; ch_now
  if [ $(( (T - ${CH_START_US[$1]:-0}) / 1000 )) -lt 5300 ]; then echo $((CH_DEADTIME_MS + 2000)); else echo "$CH_DEADTIME_MS"; fi
}

# What the peer logs when NODE's heartbeats stop for good.
ch_dead_re() { echo "node $1: is dead|Node $1: is dead"; }

ev_crash() { # the holder (or the other) loses power for 0.3-3 s, then boots
  local n=$1 hold; hold=$(R 300 3000 "$2")
  ch_journal "act crash node=$n hold_ms=$hold"
  # Dead, or back before its dead interval was over (a restart then).
  ch_alive "$PEER" && ch_expect "$PEER" 0 "$(ch_dead_re "$n")|Heartbeat restart on node $n"
  ch_journal "fault kind=crash node=$n"
  ch_due "$n" dead
  ch_crash "$n"
  ch_sleep_ms "$hold"
  ch_boot "$n"
  ch_journal "heal kind=crash node=$n"
}

ev_kill9() { # kill -9 of the daemon alone; restarted after 0.1-1.5 s
  local n=$1 hold; hold=$(R 100 1500 "$2")
  ch_journal "act kill9 node=$n hold_ms=$hold"
  # The resources stay on the node: the peer may take them meanwhile, and the
  # restarted daemon must resolve that with it (allowed until it is back).
  ch_journal "fault kind=kill9 node=$n allow_overlap=1"
  ch_alive "$PEER" && ch_expect "$PEER" 0 "$(ch_dead_re "$n")|Heartbeat restart on node $n"
  ch_kill9 "$n"
  ch_sleep_ms "$hold"
  ch_start "$n"
  ch_journal "heal kind=kill9 node=$n"
}

ev_stop() { # graceful stop; back after 0-3 s (0 = a restart)
  local n=$1 hold; hold=$(( $(R 0 3 "$2") * 1000 ))
  ch_journal "act stop node=$n hold_ms=$hold"
  ch_alive "$PEER" && ch_expect "$PEER" 0 "Received shutdown notice from '$n'"
  ch_expect "$n" 0 "Heartbeat shutdown complete"
  ch_due "$n" leave
  ch_stop "$n"
  ch_sleep_ms "$hold"
  ch_start "$n"
}

ev_standby() { # hb_standby on the node
  local n=$1 out rc
  ch_journal "act standby node=$n"
  ch_alive "$PEER" && ch_expect "$PEER" 0 "$n wants to go standby|Standby in progress- new request from $n"
  ch_due "$n" leave
  out=$(ch_tool "$n" hb_standby all 2>&1); rc=$?
  ch_journal "note standby-cmd node=$n rc=$rc out=$(echo "$out" | tr '\n' ' ' | cut -c1-120)"
}

ev_takeover() { # hb_takeover on the node
  local n=$1 out rc
  ch_journal "act takeover node=$n"
  ch_holder
  [ "$HOLDER" = "$PEER" ] && ch_alive "$PEER" && ch_expect "$PEER" 0 "$PEER wants to go standby|standby: $n can take our|Standby in progress"
  ch_due "$n" take
  out=$(ch_tool "$n" hb_takeover all 2>&1); rc=$?
  ch_journal "note takeover-cmd node=$n rc=$rc out=$(echo "$out" | tr '\n' ' ' | cut -c1-120)"
}

# partition: heartbeat traffic dropped for 0.2-3 s, in the switch or on the
# node, both ways or one way only (R3 picks).
ev_partition() {
  local n=$1 dur way where p_n p_o dir
  dur=$(R 200 3000 "$2"); way=$(( $3 % 3 )); where=$(( ($3 / 3) % 2 ))
  case $way in 0) dir=both ;; 1) dir=from-$n ;; 2) dir=to-$n ;; esac
  if [ "$where" = 0 ]; then
    p_n=$(ch_port "$n"); p_o=$(ch_port "$PEER")
    local rules=()
    [ "$dir" != to-$n ] && rules+=("iifname \"$p_n\" oifname \"$p_o\" udp dport $CH_UDPPORT drop")
    [ "$dir" != from-$n ] && rules+=("iifname \"$p_o\" oifname \"$p_n\" udp dport $CH_UDPPORT drop")
    ch_journal "act partition node=$n where=switch dir=$dir dur_ms=$dur"
    ch_journal "fault kind=partition node=$n allow_overlap=1"
    ch_nft_switch chaos "${rules[@]}"
  else
    local in="" out=""
    [ "$dir" != from-$n ] && in="udp dport $CH_UDPPORT drop"
    [ "$dir" != to-$n ] && out="udp dport $CH_UDPPORT drop"
    ch_journal "act partition node=$n where=node dir=$dir dur_ms=$dur"
    ch_journal "fault kind=partition node=$n allow_overlap=1"
    ch_nft_node "$n" chaos "$in" "$out"
  fi
  # Silence longer than the dead interval (and a keepalive, and a margin):
  # the deaf side declares the other dead; above warntime it is late.
  local dead_n dead_p
  dead_n=$(ch_dead_ms "$n"); dead_p=$(ch_dead_ms "$PEER")
  if [ "$dir" != to-$n ] && ch_alive "$PEER"; then
    if [ "$dur" -gt $((dead_n + CH_KEEPALIVE_MS + 50)) ]; then ch_expect "$PEER" 0 "$(ch_dead_re "$n")"
    elif [ "$dur" -gt $((CH_WARN_MAX_MS + CH_KEEPALIVE_MS)) ]; then ch_expect "$PEER" 1 "Late heartbeat: Node $n|$(ch_dead_re "$n")"; fi
  fi
  if [ "$dir" != from-$n ] && [ "$dur" -gt $((dead_p + CH_KEEPALIVE_MS + 50)) ]; then
    ch_expect "$n" 0 "$(ch_dead_re "$PEER")"
  fi
  ch_sleep_ms "$dur"
  ch_nft_clear
  ch_journal "heal kind=partition node=$n"
}

# loss: 5-30 % of heartbeat packets dropped at random for 2-8 s (nft numgen;
# netem is not available here), into the node or in the switch both ways.
ev_loss() {
  local n=$1 pct dur where
  pct=$(R 5 30 "$2"); dur=$(R 2000 8000 "$3"); where=$(( $3 % 2 ))
  ch_journal "act loss node=$n pct=$pct dur_ms=$dur where=$([ "$where" = 0 ] && echo switch || echo node-in)"
  ch_journal "fault kind=loss node=$n allow_overlap=1"
  if [ "$where" = 0 ]; then
    ch_nft_switch chaos "udp dport $CH_UDPPORT numgen random mod 100 < $pct drop"
  else
    ch_nft_node "$n" chaos "udp dport $CH_UDPPORT numgen random mod 100 < $pct drop" ""
  fi
  ch_expect "$n" 1 "lost packet|Late heartbeat|is dead|rexmit"
  ch_sleep_ms "$dur"
  ch_nft_clear
  ch_journal "heal kind=loss node=$n"
}

# sigstop: the daemon is frozen for 100-350 ms (less than deadtime minus one
# keepalive, so no death is due), then continues.
ev_sigstop() {
  local n=$1 dur p=${CH_PID[$1]:-}
  dur=$(R 100 $((CH_DEADTIME_MS - CH_KEEPALIVE_MS - 50)) "$2")
  ch_journal "act sigstop node=$n dur_ms=$dur"
  [ -n "$p" ] || return 0
  kill -STOP "$p"
  ch_sleep_ms "$dur"
  kill -CONT "$p"
  ch_journal "heal kind=sigstop node=$n"
  [ "$dur" -gt $((CH_WARN_MAX_MS + 30)) ] && ch_alive "$PEER" && ch_expect "$PEER" 1 "Late heartbeat: Node $n"
  return 0
}

# ch_write_hacf NODE [SED-EXPR]: rewrite NODE's ha.cf from the cluster's
# knobs (with its current warntime), then apply SED-EXPR (a fault).
ch_write_hacf() {
  local n=$1 f; f=$(cl_dir "$1")/etc/ha.cf
  _cl_hacf
  printf '%s\n' "${CL_HACF[@]}" | sed "s/^warntime .*/warntime ${CH_WARN_MS[$n]}ms/${2:+;$2}" > "$f"
}

# hup-good: SIGHUP with a configuration that passes the check: the same
# files, or a changed warntime (then membership restarts).
ev_hup_good() {
  local n=$1 variant=$(( $3 % 2 ))
  if [ "$variant" = 1 ]; then
    if [ "${CH_WARN_MS[$n]}" = "$CH_WARN_MIN_MS" ]; then CH_WARN_MS[$n]=$CH_WARN_MAX_MS; else CH_WARN_MS[$n]=$CH_WARN_MIN_MS; fi
  fi
  ch_write_hacf "$n"
  ch_journal "act hup-good node=$n variant=$([ "$variant" = 1 ] && echo "warntime=${CH_WARN_MS[$n]}ms" || echo same)"
  ch_expect "$n" 0 "Configuration reloaded from"
  kill -HUP "${CH_PID[$n]}"
}

# hup-bad: SIGHUP with a broken ha.cf for 1-3 s: a typo in the medium's
# interface name (bcast eht0), or a bad keepalive value; then the good file
# and SIGHUP again.
ev_hup_bad() {
  local n=$1 dur variant=$(( $3 % 2 )) sedx what
  dur=$(R 1000 3000 "$2")
  if [ "$variant" = 0 ]; then sedx='s/^bcast eth0$/bcast eht0/'; what=iface; else sedx='s/^keepalive .*/keepalive 100xs/'; what=syntax; fi
  ch_write_hacf "$n" "$sedx"
  ch_journal "act hup-bad node=$n variant=$what dur_ms=$dur"
  if [ "$what" = iface ]; then
    ch_expect "$n" 0 "eht0"
  else
    ch_expect "$n" 0 "Config errors|keepalive"
  fi
  kill -HUP "${CH_PID[$n]}"
  ch_sleep_ms "$dur"
  ch_write_hacf "$n"
  # (A daemon that died of the bad file is restarted on the good one.)
  if ch_alive "$n"; then
    ch_expect "$n" 0 "Configuration reloaded from"
    kill -HUP "${CH_PID[$n]}"
  fi
  ch_journal "heal kind=hup-bad node=$n"
}

# agent-fail / agent-hang: the recording agent's start (on the node that is
# to receive the group) or stop (on the holder) fails or hangs; hb_standby
# on the holder then moves the group. A stop that cannot be done ends in the
# node's fence command (the harness reboots the node). Never a failing stop
# on Debian's node (its answer is `reboot -nf`; faked, but no need).
ev_agent() {
  local kind=$1 n=$2 holder mode action
  ch_holder; holder=$HOLDER
  mode=$kind; [ "$kind" = hang ] && [ "${CH_IMPL[$n]}" = hb306 ] && mode=fail
  if [ "$n" = "$holder" ] && [ "${CH_IMPL[$n]}" = ours ]; then
    action=stop
    ch_journal "act agent-$kind node=$n action=stop mode=$mode holder=$holder"
    rt_mode "$n" app stop "$mode"
    local off; off=$(ch_log_lines "$n")
    ch_tool "$n" hb_standby all >/dev/null 2>&1
    # Retries and timeouts, until the fence has rebooted the node (or 30 s).
    # The stop only runs if the peer accepted the standby request: when it
    # did not (it ignores requests while an earlier exchange is pending),
    # there is no failure to log, and the refusal is journaled instead.
    if ch_until 30 ch_fenced_now "$n" || ch_log_since "$n" "$off" "standby: $PEER can take our"; then
      ch_expect_at "$n" 0 "$off" "Resource STOP failure"
    else
      ch_journal "note standby-not-accepted node=$n peer=$PEER"
      ch_expect_at "$n" 1 "$off" "Resource STOP failure"
    fi
  else
    action=start
    ch_journal "act agent-$kind node=$n action=start mode=$mode holder=${holder:-none}"
    rt_mode "$n" app start "$mode"
    local off_n off_p; off_n=$(ch_log_lines "$n"); off_p=$(ch_log_lines "$PEER")
    if [ "$n" = "$holder" ]; then
      # Away first, then back: the start that fails is the one coming home.
      ch_tool "$n" hb_standby all >/dev/null 2>&1
      ch_sleep_ms 1500
      ch_tool "$n" hb_takeover all >/dev/null 2>&1
    elif [ -n "$holder" ]; then
      ch_tool "$holder" hb_standby all >/dev/null 2>&1
    fi
    ch_sleep_ms $((CH_AGENT_TIMEOUT_MS + 3000))
    # The start only runs if the group was handed over: a request ignored
    # as "Standby in progress" (an earlier exchange pending) starts nothing.
    if ch_log_since "$n" "$off_n" "Standby in progress" || ch_log_since "$PEER" "$off_p" "Standby in progress"; then
      ch_journal "note standby-not-accepted node=$n peer=$PEER"
      ch_expect_at "$n" 1 "$off_n" "Giving up resources due to failure|failure of"
    else
      ch_expect_at "$n" 0 "$off_n" "Giving up resources due to failure|failure of"
    fi
  fi
  rt_mode "$n" app "$action" ""
  ch_journal "note agent-restored node=$n action=$action"
}
# ch_log_since NODE OFFSET ERE: NODE's log got a matching line after OFFSET lines.
ch_log_since() { tail -n +"$(($2 + 1))" "$(ch_log "$1")" 2>/dev/null | grep -qE -- "$3"; }
ch_fenced_now() { grep -q "^[0-9]* $CH_EP fence node=$1 " "$CH_JOURNAL"; }
ev_agent_fail() { ev_agent fail "$1"; }
ev_agent_hang() { ev_agent hang "$1"; }

# replay: captured heartbeat frames sent again from the switch, byte for
# byte. Variants (R3 % 4):
#   0 shutdone-restart  the node stops (a fresh shutdone goes on the wire) and
#                       starts again 0.4 s later; the newest shutdone of the
#                       node itself or of its peer (R2) is sent 25 times 20 ms
#                       apart from -300..+700 ms around the start (the window
#                       before the restarted node has heard the peer, or the
#                       peer has heard the new generation)
#   1 old-burst         5-30 frames of any kind, 5 s old or more
#   2 last-second       the frames of the last second (same generation, old
#                       sequence numbers)
#   3 old-shutdone      one shutdone of any node, 2 s old or more
#   4 flood             one old status frame of the node 1000 times, 1 ms
#                       apart: the log lines it costs are measured (journal
#                       "note flood"), a log flood is an attacker's tool
ev_replay() {
  local n=$1 variant=$(( $4 % 5 )) list=$DL_TMP/replay.list idx="" T
  case $variant in
  0)
    local delay whose
    delay=$(( $(R 0 1000 "$2") - 300 ))
    if [ $(( ($3 / 7) % 2 )) = 0 ]; then whose=$n; else whose=$PEER; fi
    ch_journal "act replay node=$n variant=shutdone-restart whose=$whose delay_ms=$delay"
    ch_due "$n" leave
    ch_stop "$n"
    ch_nap 0.05
    ch_replay_pick shutdone "$whose" 0
    if [ "$delay" -lt 0 ]; then
      ch_sleep_ms $((350 + delay)); ch_replay_send "$n" bg -r 25 -i 20; ch_sleep_ms $((-delay)); ch_start "$n"
    else
      ch_sleep_ms 350; ch_start "$n"; ch_sleep_ms "$delay"; ch_replay_send "$n" bg -r 25 -i 20
    fi
    ch_replay_wait
    return 0 ;;
  1)
    local k; k=$(R 5 30 "$2")
    ch_journal "act replay node=$n variant=old-burst count=$k"
    ch_now; "$CH_REPLAY" list "$CH_PCAP" > "$list" 2>/dev/null
    idx=$(awk -v before=$((T - 5000000)) -v k="$k" -v r="$3" '
      $2 < before { c[++m] = $1 } END { if (m) for (i = 0; i < k; i++) { r = (r * 16807) % 2147483647; print c[1 + r % m] } }' "$list" | tr '\n' ' ')
    ;;
  2)
    ch_journal "act replay node=$n variant=last-second"
    ch_now; "$CH_REPLAY" list "$CH_PCAP" > "$list" 2>/dev/null
    idx=$(awk -v since=$((T - 1000000)) '$2 >= since { print $1 }' "$list" | tr '\n' ' ')
    ;;
  4)
    ch_journal "act replay node=$n variant=flood"
    # A status of an earlier generation of the node if there is one (what
    # receivers must drop as a replay), else an old one of this generation.
    ch_now; "$CH_REPLAY" list "$CH_PCAP" > "$list" 2>/dev/null
    CH_REPLAY_IDX=$(awk -v n="$n" -v before=$((T - 5000000)) '
      $4 == "status" && $5 == n { last = $6; if ($2 <= before) { i[$6] = $1; g[++k] = $6 } }
      END { for (j = k; j >= 1; j--) if (g[j] != last) { print i[g[j]]; exit } if (k) print i[g[k]] }' "$list")
    local m before=() after=()
    for m in "${CH_NODES[@]}"; do before+=("$(ch_log_lines "$m")"); done
    ch_replay_send "$n" -r 1000 -i 1
    ch_sleep_ms 1000
    for m in "${CH_NODES[@]}"; do after+=("$(ch_log_lines "$m")"); done
    ch_journal "note flood frames=1000 lines_alpha=$((after[0] - before[0])) lines_beta=$((after[1] - before[1])) impl_beta=${CH_IMPL[beta]}"
    return 0 ;;
  3)
    ch_journal "act replay node=$n variant=old-shutdone"
    ch_replay_pick shutdone "" 2000000 "$3"
    ch_replay_expect
    ch_replay_send "$n"
    return 0 ;;
  esac
  CH_REPLAY_IDX=$idx
  ch_replay_expect
  ch_replay_send "$n"
}

# ch_replay_expect: old generations must be dropped loudly (soft: a frame of
# a current generation is dropped as old without a word, and the line is
# rate-limited).
ch_replay_expect() {
  local m
  for m in "${CH_NODES[@]}"; do
    ch_alive "$m" && ch_expect "$m" 1 "replay attack|Dropped packet"
  done
  return 0
}

# ch_replay_pick TYPE NODE MIN_AGE_US [RAND]: choose a captured frame of TYPE
# (from NODE, "" any) at least MIN_AGE_US old: the newest, or with RAND a
# random one. Sets CH_REPLAY_IDX.
ch_replay_pick() {
  local T list=$DL_TMP/replay.list
  ch_now; "$CH_REPLAY" list "$CH_PCAP" > "$list" 2>/dev/null
  CH_REPLAY_IDX=$(awk -v ty="$1" -v n="$2" -v before=$((T - $3)) -v r="${4:-}" '
    $4 == ty && (n == "" || $5 == n) && $2 <= before { c[++m] = $1 }
    END { if (!m) exit; if (r == "") print c[m]; else print c[1 + r % m] }' "$list")
}

# ch_replay_send NODE [bg] [-r COUNT -i MS]: send the frames CH_REPLAY_IDX
# names (journaling which), in the background with "bg" (ch_replay_wait).
ch_replay_send() {
  local idx=$CH_REPLAY_IDX list=$DL_TMP/replay.list n=$1 bg=; shift
  [ "${1:-}" = bg ] && { bg=1; shift; }
  if [ -z "${idx// /}" ]; then ch_journal "note replay-nothing-captured node=$n"; return 0; fi
  local rep="$*"; rep=${rep// /}
  # shellcheck disable=SC2086
  ch_journal "note replay-sent frames=$(echo $idx | wc -w) ${rep:+repeat=$rep} what=$(awk -v want=" $idx " 'index(want, " " $1 " ") { print $4 "/" $5 "/hg=" $6 "/seq=" $7 }' "$list" | sort | uniq -c | awk '{ printf "%s%s*%s", s, $1, $2; s = "," }')"
  if [ -n "$bg" ]; then
    # shellcheck disable=SC2086
    lab_exec sw "$CH_REPLAY" send br0 "$CH_PCAP" "$@" $idx &
    CH_REPLAY_PID=$!
  else
    # shellcheck disable=SC2086
    lab_exec sw "$CH_REPLAY" send br0 "$CH_PCAP" "$@" $idx
  fi
}
ch_replay_wait() { [ -n "${CH_REPLAY_PID:-}" ] && wait "$CH_REPLAY_PID" 2>/dev/null; CH_REPLAY_PID=; return 0; }

# forge (with --crc-key): an attacker on the client's LAN, who knows no
# secret, signs a shutdone "from" the node with the crc key left in
# authkeys, with the node's current generation and a sequence number ahead
# of its last (both read off the wire): the peer must not take the group
# from a node that is still running.
ev_forge() {
  local n=$1 list=$DL_TMP/replay.list gen seq
  "$CH_REPLAY" list "$CH_PCAP" > "$list" 2>/dev/null
  read -r gen seq < <(awk -v n="$n" '$4 == "status" && $5 == n { g = $6; s = $7 } END { print g, s }' "$list")
  ch_journal "act forge node=$n gen=${gen:-?} after_seq=${seq:-?}"
  [ -n "$gen" ] && [ -n "$seq" ] || { ch_journal "note forge-nothing-captured node=$n"; return 0; }
  lab_exec client "$CH_INJECT" -k 2:crc 192.0.2.255 "$CH_UDPPORT" t=shutdone st=dead "src=$n" \
    "seq=$(printf '%x' $((16#$seq + 5)))" "hg=$gen" "ts=$(printf '%x' "$(date +%s)")" ttl=3 \
    2>&1 | head -3 | sed 's/^/chaos: forge: /' >&2
}
