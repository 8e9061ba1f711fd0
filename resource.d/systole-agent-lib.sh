# systole-agent-lib.sh: shell helpers shared by systole's resource agents.
# Pasted into each agent at build time (see mk/agents.am), so an installed
# agent never needs to locate this file. POSIX sh.
#
# Logging (documented in the agents' usage text):
#   - every message goes to $HA_LOGFILE when it is set, as
#     `AGENT[PID]: YYYY/MM/DD_HH:MM:SS LEVEL: message` (Heartbeat's format);
#   - to syslog through logger(1) when $HA_LOGFACILITY is set (and not "none");
#   - ERROR and WARN messages always also go to stderr, and every message goes
#     to stderr when neither of the above is configured.

# OCF return codes (OCF RA API; ECOSYSTEM §3.2).
OCF_SUCCESS=0
OCF_ERR_GENERIC=1
OCF_ERR_ARGS=2
OCF_ERR_UNIMPLEMENTED=3
OCF_ERR_PERM=4
OCF_ERR_INSTALLED=5
OCF_ERR_CONFIGURED=6
OCF_NOT_RUNNING=7

# LSB status codes for the Heartbeat `status` action.
LSB_STATUS_RUNNING=0
LSB_STATUS_STOPPED=3

: "${AGENT_LOG_NAME:=$(basename "$0")}"

# ha_log LEVEL MESSAGE...
ha_log() {
  _level=$1; shift
  _line="$AGENT_LOG_NAME[$$]: $(date '+%Y/%m/%d_%H:%M:%S') $_level: $*"
  _told=
  if [ -n "${HA_LOGFILE:-}" ]; then
    printf '%s\n' "$_line" >> "$HA_LOGFILE" 2>/dev/null && _told=1
  fi
  if [ -n "${HA_LOGFACILITY:-}" ] && [ "$HA_LOGFACILITY" != none ]; then
    logger -t "$AGENT_LOG_NAME[$$]" -p "$HA_LOGFACILITY.$(syslog_level "$_level")" -- "$_level: $*" \
      2>/dev/null && _told=1
  fi
  case $_level in
    ERROR|WARN) printf '%s\n' "$_line" >&2 ;;
    *) [ -n "$_told" ] || printf '%s\n' "$_line" >&2 ;;
  esac
}

syslog_level() {
  case $1 in
    ERROR) echo err ;;
    WARN) echo warning ;;
    DEBUG) echo debug ;;
    *) echo info ;;
  esac
}

# ha_log_stream LEVEL PREFIX: logs every line read from stdin (used for the
# output of background helpers, whose failures must not go unnoticed).
ha_log_stream() {
  while IFS= read -r _l; do
    ha_log "$1" "$2$_l"
  done
}

# pidfile_kill FILE NAME: ends the process whose pid FILE holds, if it still
# runs a program called NAME (a stale pid may belong to someone else now).
pidfile_kill() {
  [ -f "$1" ] || return 0
  _pid=$(cat "$1" 2>/dev/null)
  case $_pid in ''|*[!0-9]*) rm -f "$1"; return 0 ;; esac
  if [ "$(cat "/proc/$_pid/comm" 2>/dev/null)" = "$2" ]; then
    kill -TERM "$_pid" 2>/dev/null
    _n=0
    # Wait for it to go (a zombie counts as gone: its parent may be init).
    while [ $_n -lt 50 ] && [ -d "/proc/$_pid" ] \
        && [ "$(cut -d' ' -f3 "/proc/$_pid/stat" 2>/dev/null)" != Z ]; do
      sleep 0.02; _n=$((_n + 1))
    done
  fi
  rm -f "$1"
}
