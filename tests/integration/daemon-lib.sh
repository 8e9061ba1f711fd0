# shellcheck shell=bash
# Helpers for the daemon's namespace tests: write a node's configuration,
# start our heartbeat in a lab node, wait for log lines.
#   . daemon-lib.sh; dl_setup  (after tap.sh and lab.sh)

HB_BIN=${HB_BIN:-$abs_top_builddir/heartbeat/heartbeat}
DL_TMP=

dl_setup() {
  lab_require
  [ -x "$HB_BIN" ] || skip_all "heartbeat not built"
  lab_init
  DL_TMP=$(mktemp -d /tmp/systole-daemon.XXXXXX)
  # lab_cleanup runs on EXIT; chain the removal of our temp dir after it.
  trap 'rc=$?; dl_cleanup; exit $rc' EXIT
}

dl_cleanup() {
  lab_cleanup_noexit
  [ -n "$DL_TMP" ] && rm -rf "$DL_TMP"
}

# lab.sh's cleanup ends with exit; run its body without exiting.
lab_cleanup_noexit() { (lab_cleanup) ; LAB_NAMESPACES=(); LAB_PIDS=(); }

# dl_conf NODE AUTHLINE KEYLINE -- HA.CF-LINES...: CONFDIR for NODE under $DL_TMP.
dl_conf() {
  local node=$1 auth=$2 key=$3; shift 3; [ "$1" = -- ] && shift
  local dir=$DL_TMP/$node
  mkdir -p "$dir/etc" "$dir/state" "$dir/run"
  printf '%s\n' "$@" > "$dir/etc/ha.cf"
  printf '%s\n%s\n' "$auth" "$key" > "$dir/etc/authkeys"
  chmod 600 "$dir/etc/authkeys"
  : > "$dir/etc/haresources"
  echo "$dir"
}

# dl_start NODE HOSTNAME [ARGS...]: heartbeat -f in lab node NODE, logging to
# $DL_TMP/NODE/log. Sets DL_PID_<NODE>.
dl_start() {
  local node=$1 host=$2; shift 2
  local dir=$DL_TMP/$node
  lab_spawn "$node" "$host" "$HB_BIN" -f -c "$dir/etc" --statedir "$dir/state" \
    --rundir "$dir/run" --logfile "$dir/log" "$@" 2>>"$dir/stderr"
  eval "DL_PID_$node=$LAB_LAST_PID"
}

# dl_log NODE: path of NODE's log.
dl_log() { echo "$DL_TMP/$1/log"; }

# dl_wait_log SECONDS NODE FIXED-STRING: wait until NODE's log holds it.
dl_wait_log() {
  local limit=$1 node=$2 text=$3
  wait_for "$limit" grep -qF -- "$text" "$(dl_log "$node")"
}

# dl_log_epoch NODE FIXED-STRING: epoch seconds of the first line holding it
# (2.x log format "heartbeat[PID]: YYYY/MM/DD_HH:MM:SS prio: msg").
dl_log_epoch() {
  local stamp
  stamp=$(grep -F -- "$2" "$(dl_log "$1")" | head -1 | awk '{print $2}')
  [ -n "$stamp" ] || return 1
  date -d "$(echo "$stamp" | sed 's|/|-|g; s|_| |')" +%s
}

dl_dump_logs() {
  local f
  for f in "$DL_TMP"/*/log; do
    [ -f "$f" ] && { diag "---- $f"; diag "$(tail -25 "$f")"; }
  done
}

# dl_stop_check NODE LABEL: SIGTERM NODE's daemon, wait for it, and check
# that it exited 0 and printed no sanitizer report (ASan/LSan/UBSan builds).
dl_stop_check() {
  local node=$1 label=$2 pid rc
  eval "pid=\$DL_PID_$node"
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"; rc=$?
  ok "$rc" "$label: SIGTERM shuts $node down cleanly (exit $rc)"
  ! grep -qE "Sanitizer|runtime error" "$DL_TMP/$node/stderr" 2>/dev/null
  ok $? "$label: no sanitizer report from $node" || diag "$(head -30 "$DL_TMP/$node/stderr")"
}
