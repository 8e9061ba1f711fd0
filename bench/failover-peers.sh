# shellcheck shell=bash
# shellcheck disable=SC2034  # the *_dead_re variables are read by bench/failover through eval
# The peers bench/failover compares us with, run in the same lab as ours
# (demo/scenario.sh): Debian's Heartbeat 3.0.6 and keepalived 2.2.7.
# Every implementation offers the same verbs, called as IMPL_VERB NODE:
#   conf NODE      write NODE's configuration for the current timers ($T_*)
#   start NODE     start it in NODE (host name NODE)
#   stop NODE      graceful stop (SIGTERM, as `service ... stop` does)
#   standby NODE   hand the resources to the peer (hb_standby), or return 2
#                  when the implementation has no such command
#   log NODE       its log file (for sc_follow)
#   dead_re        regex of the log line that declares the peer dead
# Timers come from T_KEEPALIVE T_DEADTIME T_WARNTIME T_INITDEAD (ha.cf
# syntax) and, for keepalived, T_ADVERT_INT and T_DOWN_ADVERTS.

# ---- ours ------------------------------------------------------------------------
# The group is the seed's shape: the VIP, then the LVS table (lvs mode), or
# the VIP alone (vip mode, like keepalived's case).
ours_group() {
  if [ "$SC_MODE" = lvs ]; then echo "ld1 $SC_VIP LVS::$DL_TMP/$1/etc/lvs.conf"; else echo "ld1 $SC_VIP"; fi
}
ours_conf() {
  sc_ours_conf "$1" "$(ours_group "$1")" "keepalive $T_KEEPALIVE" "deadtime $T_DEADTIME" \
    "warntime $T_WARNTIME" "initdead $T_INITDEAD" >/dev/null
}
ours_start() { sc_ours_start "$1"; }
ours_stop() { local p; eval "p=\${DL_PID_$1:-}"; [ -n "$p" ] && kill -TERM "$p"; }
ours_standby() { sc_tool "$1" hb_standby >/dev/null 2>&1; }
ours_log() { echo "$DL_TMP/$1/log"; }
ours_dead_re='node ld[12]: is dead'
# Our daemon is stopped once its process is gone.
ours_pid() { eval "echo \${DL_PID_$1:-}"; }

# ---- Heartbeat 3.0.6 (Debian) -----------------------------------------------------
# interop-lib.sh's approach: the Debian daemon in its own mount namespace with
# private copies of /etc/ha.d and /var/lib/heartbeat. Its own IPaddr (ifconfig,
# net-tools) holds the VIP; in lvs mode our LVS agent follows, as a
# Heartbeat-style script in its resource.d (the same script users would add).
hb306_conf() {
  local n=$1 dir=$DL_TMP/$1
  deb_conf "$n" "auth 1" "1 crc" -- "keepalive $T_KEEPALIVE" "deadtime $T_DEADTIME" \
    "warntime $T_WARNTIME" "initdead $T_INITDEAD" "udpport $SC_UDPPORT" "bcast eth1" \
    "auto_failback off" "node ld1" "node ld2"
  if [ "$SC_MODE" = lvs ]; then
    sc_lvs_conf "$dir/lvs.conf"
    sc_agent_wrapper "$dir" LVS
    mv "$dir/etc/resource.d/LVS" "$dir/etc-ha.d/resource.d/LVS"
    echo "ld1 $SC_VIP/24/eth0 LVS::$dir/lvs.conf" > "$dir/etc-ha.d/haresources"
  else
    echo "ld1 $SC_VIP/24/eth0" > "$dir/etc-ha.d/haresources"
  fi
}
# interop-lib.sh's deb_start, plus /run/resource-agents (the OCF IPaddr's
# state directory, which a booted Debian has and the fresh /run tmpfs lacks).
hb306_start() {
  local node=$1 dir=$DL_TMP/$1
  ip netns exec "$(lab_ns "$node")" unshare --mount --uts sh -c '
    dir=$1 host=$2 bin=$3
    hostname "$host" || exit 1
    mount --bind "$dir/etc-ha.d" /etc/ha.d || exit 1
    mount --bind "$dir/var-lib" /var/lib/heartbeat || exit 1
    mount -t tmpfs -o mode=755 tmpfs /run || exit 1
    mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/lock /run/resource-agents
    chown -R hacluster:haclient /run/heartbeat/ccm /run/heartbeat/crm
    exec "$bin" -f' sh "$dir" "$node" "$DEB_HB" >>"$dir/stderr" 2>&1 &
  LAB_PIDS+=("$!")
  eval "DEB_PID_$node=$!"
}
hb306_pid() { eval "echo \${DEB_PID_$1:-}"; }
hb306_stop() { local p; p=$(hb306_pid "$1"); [ -n "$p" ] && kill -TERM "$p"; }
hb306_standby() { deb_exec "$1" /usr/share/heartbeat/hb_standby >/dev/null 2>&1; }
hb306_log() { echo "$DL_TMP/$1/log"; }
hb306_dead_re='node ld[12]: is dead'

# ---- keepalived 2.2.7 (Debian), VIP only --------------------------------------------
# VRRPv3 (sub-second adverts) on the heartbeat network, the VIP on the front;
# both BACKUP + nopreempt = auto_failback off. down_timer_adverts sets the
# detection time to the same budget as heartbeat's deadtime (keepalived.conf(5)).
ka_conf() {
  local n=$1 dir=$DL_TMP/$1 prio=100
  [ "$n" = ld1 ] && prio=150
  mkdir -p "$dir"
  cat > "$dir/keepalived.conf" <<EOF
global_defs {
    router_id $n
    vrrp_version 3
}
vrrp_instance VI_1 {
    state BACKUP
    nopreempt
    interface eth1
    virtual_router_id 51
    priority $prio
    advert_int $T_ADVERT_INT
    down_timer_adverts $T_DOWN_ADVERTS
    virtual_ipaddress {
        $SC_VIP/24 dev eth0
    }
}
EOF
}
ka_start() {
  local dir=$DL_TMP/$1
  # A rebooted machine has an empty /run: no pid files of the killed instance.
  rm -f "$dir/keepalived.pid" "$dir/vrrp.pid"
  lab_spawn "$1" "$1" keepalived -n -P -l -G -D -f "$dir/keepalived.conf" \
    -p "$dir/keepalived.pid" -r "$dir/vrrp.pid" 2>>"$dir/log" >/dev/null
  eval "KA_PID_$1=$LAB_LAST_PID"
}
ka_pid() { eval "echo \${KA_PID_$1:-}"; }
ka_stop() { local p; p=$(ka_pid "$1"); [ -n "$p" ] && kill -TERM "$p"; }
ka_standby() { return 2; }
ka_log() { echo "$DL_TMP/$1/log"; }
ka_dead_re='Receive advertisement timeout'
