# shellcheck shell=bash
# The demo's timeline: what the script did ($DL_TMP/events), what the client
# saw ($DL_TMP/probe, bench/probe tcp output) and the interesting lines of both
# nodes' logs ($DL_TMP/NODE.tlog, stamped by sc_follow), merged by time and
# printed relative to the start of the demo:
#
#   +12.345  ld2     heartbeat: WARN: node ld1: is dead
#
#   tl_init              time zero is now
#   tl_event TEXT        record (and print) something the demo does
#   tl_show FROM_US TO_US
#                        print the merged timeline of that window

TL_T0=
TL_CLIENT_STATE=  # carried between windows: what the client last saw

tl_init() { TL_T0=$(sc_now); : > "$DL_TMP/events"; }

# tl_rel US: "+SS.mmm" relative to time zero.
tl_rel() { awk -v t="$1" -v z="$TL_T0" 'BEGIN { printf "+%6.3f", (t - z) / 1e6 }'; }

tl_event() {
  local now; now=$(sc_now)
  echo "$now $*" >> "$DL_TMP/events"
  printf '\n%s  %-6s  %s\n' "$(tl_rel "$now")" demo "$*"
}

# Log lines worth a newcomer's attention (the rest stays in the log files).
TL_KEEP='is dead|declared dead|Link .* (up|dead)|Status update for node|Resources being acquired|Taking over resource group|Acquiring resource group|Releasing resource group|Running .* (start|stop)$|inet addr (add|del)|virtual services|running [0-9]+ ms after|takeover complete[.]|Local Resource acquisition completed|Initial resource acquisition complete|remote resource transition|hb_takeover|standby|Standby|shutdown|Shutdown|ERROR|CRIT|late heartbeat'
TL_DROP='No STONITH|Shared disks|debug:'

# tl_logs FROM TO: "TIME NODE TEXT" for the kept lines of both nodes' logs.
tl_logs() {
  local n
  for n in ld1 ld2; do
    [ -f "$DL_TMP/$n.tlog" ] || continue
    awk -v from="$1" -v to="$2" -v node="$n" -v keep="$TL_KEEP" -v drop="$TL_DROP" \
        -v tmp="$DL_TMP/$n/etc/" -v build="$SC_BUILD/" '
      $1 < from || $1 > to { next }
      {
        t = $1; line = substr($0, length($1) + 2)
        if (line !~ keep || line ~ drop) next
        # "Nov 22 18:20:52 ld2 heartbeat: [20782]: info: x" -> "heartbeat: info: x"
        sub(/^[A-Z][a-z][a-z] +[0-9]+ [0-9:]+ [^ ]+ /, "", line)
        sub(/: \[[0-9]+\]:/, ":", line)
        # "IPaddr[24852]: 2026/11/22_18:20:52 INFO: x" -> "IPaddr: INFO: x"
        sub(/\[[0-9]+\]: [0-9\/]+_[0-9:]+ /, ": ", line)
        # The demo keeps each node'"'"'s /etc/ha.d in a temp dir; show the real names.
        while ((i = index(line, tmp)) > 0) line = substr(line, 1, i - 1) "/etc/ha.d/" substr(line, i + length(tmp))
        while ((i = index(line, build)) > 0) line = substr(line, 1, i - 1) substr(line, i + length(build))
        if (length(line) > 100) line = substr(line, 1, 97) "..."
        print t, node, line
      }' "$DL_TMP/$n.tlog"
  done
}

# tl_client FROM TO: "TIME client TEXT" each time what the client sees
# changes: who answers, or no answer (and why); with the measured gap (the
# longest wait between two answers) when answers come back or change director.
tl_client() {
  awk -v from="$1" -v to="$2" -v state="$TL_CLIENT_STATE" -v statefile="$DL_TMP/client.state" "$SC_AWK_DIRECTOR"'
    BEGIN { split(state, s, "|"); cur = s[1]; maxdone = s[2] + 0 }
    $1 > to { exit }
    {
      first = (maxdone == 0)
      if ($3 == "ok") {
        if (maxdone > 0 && $2 - maxdone > gap) gap = $2 - maxdone
        if ($2 > maxdone) maxdone = $2
      }
      if ($1 < from) next
      now = ($3 == "ok") ? "via " director($4, $5) : "none"
      if (now == cur) next
      if (now == "none") {
        reason = $4; for (i = 5; i <= NF; i++) reason = reason " " $i
        printf "%s client  no answer (%s)\n", $1, reason
      } else if (first) {
        printf "%s client  answered by %s %s (and every 10 ms from now on, alternating real servers)\n", $2, $4, now
      } else {
        printf "%s client  answered by %s %s: first answer after %.3f s without one\n", $2, $4, now, gap / 1e6
      }
      cur = now; gap = 0
    }
    END { printf "%s|%s\n", cur, maxdone > statefile }' "$DL_TMP/probe"
}

tl_show() {
  local from=$1 to=$2
  {
    awk -v from="$from" -v to="$to" '$1 >= from && $1 <= to { t = $1; $1 = ""; print t, "demo", substr($0, 2) }' "$DL_TMP/events"
    tl_client "$from" "$to"
    tl_logs "$from" "$to"
  } | sort -n -k1,1 -s | while read -r t who text; do
    [ "$who" = demo ] && continue   # already printed when it happened
    printf '%s  %-6s  %s\n' "$(tl_rel "$t")" "$who" "$text"
  done
  # tl_client ran in the pipeline's subshell: pick up what it saw last.
  TL_CLIENT_STATE=$(cat "$DL_TMP/client.state" 2>/dev/null)
}
