# shellcheck shell=bash
# Runs a Debian heartbeat 3.0.6 node inside a lab node. It only knows the
# fixed paths /etc/ha.d, /var/lib/heartbeat and /var/run/heartbeat, so it runs
# in its own mount namespace where temporary copies are bound over them and
# /run is a fresh tmpfs (its pid file /var/run/heartbeat.pid lands there):
# nothing of the host's files is touched.

DEB_HB=/usr/libexec/heartbeat/heartbeat

deb_require() {
  [ -x "$DEB_HB" ] || skip_all "Debian heartbeat 3.0.6 is not installed (tests/deps/daemon.txt)"
}

# deb_conf NODE AUTHLINE KEYLINE -- HA.CF-LINES...: writes NODE's config tree.
deb_conf() {
  local node=$1 auth=$2 key=$3; shift 3; [ "$1" = -- ] && shift
  local dir=$DL_TMP/$node
  rm -rf "$dir"; mkdir -p "$dir"
  cp -a /etc/ha.d "$dir/etc-ha.d"
  cp -a /var/lib/heartbeat "$dir/var-lib"
  { printf '%s\n' "$@"; echo "logfile $dir/log"; echo "debugfile $dir/debug"; } > "$dir/etc-ha.d/ha.cf"
  printf '%s\n%s\n' "$auth" "$key" > "$dir/etc-ha.d/authkeys"
  chmod 600 "$dir/etc-ha.d/authkeys"
  : > "$dir/etc-ha.d/haresources"
}

# deb_start NODE HOSTNAME: the Debian daemon in the foreground (-f would not
# matter: the master keeps the PID lab_spawn returns either way when it
# does not fork). Sets DEB_PID_<NODE>.
deb_start() {
  local node=$1 host=$2 dir=$DL_TMP/$1
  ip netns exec "$(lab_ns "$node")" unshare --mount --uts sh -c '
    dir=$1 host=$2 bin=$3
    hostname "$host" || exit 1
    mount --bind "$dir/etc-ha.d" /etc/ha.d || exit 1
    mount --bind "$dir/var-lib" /var/lib/heartbeat || exit 1
    mount -t tmpfs -o mode=755 tmpfs /run || exit 1
    mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/lock
    chown -R hacluster:haclient /run/heartbeat/ccm /run/heartbeat/crm
    exec "$bin" -f' sh "$dir" "$host" "$DEB_HB" >>"$dir/stderr" 2>&1 &
  LAB_PIDS+=("$!")
  eval "DEB_PID_$node=$!"
}

# deb_exec NODE CMD...: CMD inside the Debian node's namespaces (for cl_status).
deb_exec() {
  local pid; eval "pid=\$DEB_PID_$1"; shift
  nsenter -t "$pid" -m -n -u "$@"
}
