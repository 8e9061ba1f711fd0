#!/bin/bash
# Resource management end to end, as a client of the VIP sees it: two
# daemons (alpha, beta) and one group `alpha 192.0.2.100/24/eth0 fail service`
# (IPaddr, the test agent `fail`, a TCP service answering the node's name),
# auto_failback off. hb_standby and hb_takeover move the group; a start that
# fails on the peer gives the group back; a graceful stop hands it over at
# once (shutdown notice); kill -9 of the holder hands it over after deadtime;
# a restarted node finds the group it left running and stops it; a holder
# that loses its ping node (nftables drop) hands the group to a peer that
# still reaches it; a resource that cannot be stopped runs the fence command;
# cl_status rscstatus tells who holds what. Each step checks the client's
# view and the log lines users know.
. "$abs_top_srcdir/tests/lib/tap.sh"
. "$abs_top_srcdir/tests/lib/lab.sh"
. "$abs_top_srcdir/tests/integration/daemon-lib.sh"
. "$abs_top_srcdir/tests/integration/cluster-lib.sh"
cl_setup
CL_AUTO_FAILBACK=off
# `fail` succeeds until told otherwise (the last step makes its stop fail).
CL_HARESOURCES=("alpha $CL_VIP/24/eth0 fail service")
CL_DAEMON_ARGS=(--shutdown-timeout 5)
# The client is both nodes' ping node (ipfail-like rule, last steps).
CL_HACF_EXTRA=("ping $CL_ADDR_client" "deadping 1")
cl_conf

# ---- start: alpha first (it takes its group), then beta joins ----
cl_start alpha
check "alpha alone serves the VIP" -- cl_wait_holder 15 alpha
cl_start beta
check "beta joins: initial acquisition done" -- cl_wait_log 15 beta "Initial resource acquisition complete"
# alpha acts on a new run's resource messages once that run showed live
# status packets over a keepalive (docs/HARDENING.md): wait until it did.
check "alpha sees beta settled" -- cl_wait_log 5 alpha "remote resource transition completed."
check "client still served by alpha" -- cl_wait_holder 5 alpha
cl_is "$(cl_rscstatus alpha)" local "cl_status rscstatus on alpha: local"
cl_is "$(cl_rscstatus beta)" none "cl_status rscstatus on beta: none"

# ---- hb_standby on the holder: the group goes to beta ----
cl_mark alpha; cl_mark beta
out=$(cl_tool alpha hb_standby 2>&1)
ok $? "hb_standby accepted ($out)"
check "after hb_standby beta serves" -- cl_wait_holder 10 beta
check "alpha logs 'Going standby [all].'" -- cl_new_log_has alpha "Going standby [all]."
check "beta logs 'Standby resource acquisition done'" -- \
  cl_wait_new_log 5 beta "Standby resource acquisition done"
check "alpha logs the release" -- cl_new_log_has alpha "Releasing resource group: alpha 192.0.2.100/24/eth0 fail service"
check "alpha no longer has the VIP" -- wait_for 5 cl_lacks_vip alpha
cl_is "$(cl_rscstatus beta)" foreign "cl_status rscstatus on beta after standby: foreign"
cl_is "$(cl_rscstatus alpha)" none "cl_status rscstatus on alpha after standby: none"

# ---- hb_takeover on alpha: it takes the group back ----
cl_mark alpha; cl_mark beta
out=$(cl_tool alpha hb_takeover 2>&1)
ok $? "hb_takeover accepted ($out)"
check "after hb_takeover alpha serves" -- cl_wait_holder 10 alpha
check "beta goes standby on alpha's request" -- cl_wait_new_log 5 beta "Going standby [all]."
check "alpha logs 'Standby resource acquisition done'" -- \
  cl_wait_new_log 5 alpha "Standby resource acquisition done"
check "beta no longer has the VIP" -- wait_for 5 cl_lacks_vip beta
cl_is "$(cl_rscstatus alpha)" local "cl_status rscstatus on alpha after takeover: local"

# ---- a start that fails on the peer: the group comes back ----
# (docs/PROTOCOL.md, "Group start and stop")
cl_mark alpha; cl_mark beta
cl_make_fail beta start
cl_tool alpha hb_standby >/dev/null
check "beta's start fails: it gives up the group" -- \
  cl_wait_new_log 10 beta "CRIT: Giving up resources due to failure of fail"
check "alpha takes its group back" -- cl_wait_new_log 15 alpha "Standby resource acquisition done [foreign]."
check "the client is served by alpha again" -- cl_wait_holder 10 alpha
check "beta released the VIP" -- cl_lacks_vip beta
cl_make_fail beta start off

# ---- graceful stop of the holder: the peer takes over on the notice ----
cl_mark beta
t0=$(date +%s%N)
cl_stop alpha 60
ok $? "SIGTERM: alpha releases its group and exits 0"
check "after alpha's stop beta serves" -- cl_wait_holder 10 beta
t1=$(date +%s%N)
diag "graceful stop: SIGTERM to the client served by beta: $(( (t1 - t0) / 1000000 )) ms (incl. polling)"
check "beta logs the shutdown notice" -- cl_new_log_has beta "Received shutdown notice from 'alpha'."
check "beta logs 'Resources being acquired from alpha.'" -- cl_new_log_has beta "Resources being acquired from alpha."
check "alpha logs 'All HA resources relinquished.'" -- grep -qF "All HA resources relinquished." "$(cl_log alpha)"
check "alpha logs 'Heartbeat shutdown complete.'" -- grep -qF "alpha Heartbeat shutdown complete." "$(cl_log alpha)"
check "the runner logged the start on beta" -- \
  cl_new_log_has beta "Running $(cl_dir beta)/etc/resource.d/IPaddr 192.0.2.100/24/eth0 start"
check "alpha released the VIP" -- cl_lacks_vip alpha
grep -F "ms after alpha's" "$(cl_log beta)" | sed 's/^/# /'

# ---- alpha comes back (auto_failback off): nothing moves ----
cl_mark alpha
cl_start alpha
check "alpha back: initial acquisition done" -- cl_wait_new_log 15 alpha "Initial resource acquisition complete"
check "auto_failback off: beta keeps serving" -- cl_wait_holder 5 beta
cl_is "$(cl_rscstatus alpha)" none "cl_status rscstatus on the returning alpha: none"

# ---- kill -9 of the holder: alpha takes over after deadtime ----
# Past the restarted alpha's startup deadtime bonus (docs/PROTOCOL.md,
# "Status packets"): measure steady state.
sleep 5
cl_mark alpha
t0=$(date +%s%N)
cl_kill beta
check "after kill -9 of beta alpha serves" -- cl_wait_holder 10 alpha
t1=$(date +%s%N)
diag "kill -9: client served by alpha after $(( (t1 - t0) / 1000000 )) ms (deadtime 1 s, incl. polling)"
check "alpha logs 'node beta: is dead'" -- cl_new_log_has alpha "node beta: is dead"
check "alpha logs 'Resources being acquired from beta.'" -- cl_new_log_has alpha "Resources being acquired from beta."
check "alpha logs 'mach_down takeover complete.'" -- cl_wait_new_log 5 alpha "mach_down takeover complete."
check "alpha logs the takeover time" -- cl_new_log_has alpha "ms after beta's death."
_cl_new_lines alpha | grep -F "ms after beta's death." | sed 's/^/# /'
cl_is "$(cl_rscstatus alpha)" local "cl_status rscstatus on alpha after the takeover: local"

# ---- beta restarts with the group still up (kill -9 left it): it stops it ----
cl_mark beta
cl_start beta
check "restarted beta finds the group it left running and stops it" -- \
  wait_for 20 cl_lacks_vip beta
check "restarted beta: initial acquisition done" -- cl_wait_new_log 15 beta "Initial resource acquisition complete"
check "client still served by alpha" -- cl_wait_holder 5 alpha
cl_is "$(cl_rscstatus beta)" none "cl_status rscstatus on the restarted beta: none"

# ---- the init script's standby refuses legacy mode (docs/PROTOCOL.md, "Init script") ----
mkdir -p "$DL_TMP/legacy"
printf 'keepalive 1\nnode alpha\n' > "$DL_TMP/legacy/ha.cf"
out=$(HA_DIR=$DL_TMP/legacy HA_RUNDIR=$DL_TMP/legacy HB_STANDBY=$CL_BIN/hb_standby \
  sh "$abs_top_builddir/ha.d/heartbeat" standby 2>&1)
rc=$?
cl_is "$rc/$out" "1/auto_failback is set to legacy.  Cannot enter standby." \
  "init script standby without auto_failback refuses"

# ---- the holder loses its ping node, its peer does not: the group moves ----
cl_mark alpha
lab_exec alpha nft add table inet rsccore
lab_exec alpha nft add chain inet rsccore in '{ type filter hook input priority 0; }'
lab_exec alpha nft add rule inet rsccore in ip saddr "$CL_ADDR_client" icmp type echo-reply drop
check "alpha cannot ping the client: beta serves" -- cl_wait_holder 10 beta
check "alpha logs why it gives its groups away" -- \
  cl_new_log_has alpha "No ping node reachable (0/1), beta reaches 1/1: giving all resources to beta."
lab_exec alpha nft delete table inet rsccore
check "alpha's ping node answers again" -- \
  cl_wait_new_log 10 alpha "Status update for node $CL_ADDR_client: status ping"
cl_tool alpha hb_takeover >/dev/null
check "hb_takeover brings the group back to alpha" -- cl_wait_holder 10 alpha

cl_stop beta 60
ok $? "beta stops cleanly"
check "no sanitizer report from beta" -- cl_no_sanitizer_report beta

# ---- a resource that cannot be stopped: CRIT, the fence command, no shutdone ----
cl_mark alpha
cl_make_fail alpha stop
cl_stop alpha 60
ok $? "alpha exits after the shutdown timeout"
check "alpha logs 'Resource STOP failure. Reboot required!'" -- \
  cl_new_log_has alpha "CRIT: Resource STOP failure. Reboot required!"
check "alpha ran its fence command" -- cl_fenced alpha
check "alpha logs the fence command" -- cl_new_log_has alpha "Self-fencing"
check "alpha sent no shutdown notice" -- eval '! cl_new_log_has alpha "All HA resources relinquished."'
check "the VIP was not released (stop stopped at the failing resource)" -- cl_has_vip alpha
check "no sanitizer report from alpha" -- cl_no_sanitizer_report alpha
[ "$TAP_FAILED" -eq 0 ] || cl_dump
[ -n "${RSC_KEEP_LOGS:-}" ] && cp -r "$DL_TMP" "$RSC_KEEP_LOGS"
done_testing
