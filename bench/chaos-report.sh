# shellcheck shell=bash
# The verdict of bench/chaos: reads the journal ($CH_JOURNAL), the sampler's
# picture ($CH_WATCH_OUT), the client's probes ($CH_PROBE_OUT), the RSS
# samples and the daemons' logs and stderr, and prints the summary table, one
# line per violation (with its episode, so a run can be replayed and cut
# down), and a machine-readable $DL_TMP/summary ("KEY VALUE" lines) for
# tests/integration/chaos.sh. Returns 1 when an invariant was violated.

# ch_expect_results: one line per expectation of the journal:
#   EP NODE IMPL SOFT found|missing REGEX
ch_expect_results() {
  local ep rec rest node impl soft log off re tmp
  # A run judged again from its --out copy: the logs are there now.
  tmp=$(grep -m1 '^[0-9]* 0 run ' "$CH_JOURNAL" | sed -n 's/.* tmp=\([^ ]*\).*/\1/p')
  while read -r _ ep rec rest; do
    [ "$rec" = expect ] || continue
    node=${rest#node=}; node=${node%% *}
    impl=${rest#*impl=}; impl=${impl%% *}
    soft=${rest#*soft=}; soft=${soft%% *}
    log=${rest#*log=}; log=${log%% off=*}
    off=${rest#*off=}; off=${off%% *}
    re=${rest#* re=}
    [ -n "$tmp" ] && [ "$tmp" != "$DL_TMP" ] && log=$DL_TMP/${log#"$tmp"/}
    if tail -n +"$((off + 1))" "$log" 2>/dev/null | grep -qE -- "$re"; then
      echo "$ep $node $impl $soft found $re"
    else
      echo "$ep $node $impl $soft missing $re"
    fi
  done < "$CH_JOURNAL"
}

# ch_sanitizer_reports: "FILE: first line" of every sanitizer report, and
# every distinct failed GLib assertion (a programming error, fatal under
# G_DEBUG=fatal-criticals as in make check) in our daemons' logs and stderr.
ch_sanitizer_reports() {
  local f
  for f in "$DL_TMP"/alpha/stderr "$DL_TMP"/beta/stderr "$DL_TMP"/alpha/log "$DL_TMP"/beta/log; do
    [ -f "$f" ] || continue
    grep -m1 -E "ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:" "$f" | sed "s|^|${f#"$DL_TMP"/}: |"
    grep -oE "[A-Za-z_]+: assertion .* failed" "$f" | sort -u | sed "s|^|${f#"$DL_TMP"/}: GLib critical: |"
  done
}

# ch_daemon_stalls: "EPOCH_US FILE" for every "No local heartbeat" of our
# daemons: a daemon that could not send its own heartbeat for deadtime was
# not scheduled (or blocked); its peer's takeover is then a partition's.
ch_daemon_stalls() {
  local f line
  for f in "$DL_TMP"/alpha/log "$DL_TMP"/beta/log; do
    [ -f "$f" ] || continue
    grep -F "No local heartbeat" "$f" | while read -r line; do
      echo "$(date -d "$(echo "$line" | awk '{ print $1, $2, $3 }')" +%s)000000 ${f#"$DL_TMP"/}"
    done
  done
}

ch_report() {
  local exp=$DL_TMP/expect.results san=$DL_TMP/sanitizer rss_limit_kb
  ch_expect_results > "$exp"
  ch_sanitizer_reports > "$san"
  [ -f "$DL_TMP/loglines" ] || : > "$DL_TMP/loglines"
  ch_daemon_stalls > "$DL_TMP/stalls"
  if [ -n "$CH_SANITIZED" ]; then rss_limit_kb=32768; else rss_limit_kb=8192; fi
  awk -v keepalive="$CH_KEEPALIVE_MS" -v slack="$CH_HEAL_SLACK_MS" -v seed="$CH_SEED" \
      -v hb306slack="$CH_HB306_SLACK_MS" -v startup="$CH_STARTUP_SLACK_MS" \
      -v minutes="$CH_MINUTES" -v af="$CH_AUTO_FAILBACK" -v build="$CH_BUILDDIR" \
      -v rss_limit="$rss_limit_kb" -v sanitized="${CH_SANITIZED:-0}" \
      -v summary="$DL_TMP/summary" -v deadtime="$CH_DEADTIME_MS" '
    function kv(s, key,   i, n, a) {   # value of key=... in a journal line
      n = split(s, a, " ")
      for (i = 1; i <= n; i++) if (index(a[i], key "=") == 1) return substr(a[i], length(key) + 2)
      return ""
    }
    function ms(us) { return int((us + 500) / 1000) }
    function nodes(list, set,   n, a, i) { if (list == "-") return 0; n = split(list, a, ","); for (i = 1; i <= n; i++) if (a[i] != "?") set[a[i]] = 1; return n }
    function viol(inv, ep, text) {
      nviol[inv]++; vline[++nv] = inv " ep " ep " " eptype[ep] (epphase[ep] == "hb306" ? " (beta: Heartbeat 3.0.6)" : "") " " text
      if (ep in eptype) tv[eptype[ep], inv]++
    }
    function episode_at(t,   i, e) { e = 0; for (i = 1; i <= nb; i++) if (bt[i] <= t) e = bep[i]; else break; return e }
    # The worst sampler gap (µs) reported for the span [a, b] (a T line covers
    # the second before it): the machine itself stalled when it is large.
    function stall_in(a, b,   k, m) { m = 0; for (k = 1; k <= nstall; k++) if (stallt[k] >= a && stallt[k] <= b + 1000000 && stallg[k] > m) m = stallg[k]; return m }
    # A fault healed by restarting a daemon (kill9, an exit of its own, a
    # stop that had to be killed) is over only once the new daemon is up
    # and has heard its peer: that takes one more start-up allowance.
    function restart_extra(key) { return key ~ /^(kill9|daemon-exit|stop-timeout)\// ? startup * 1000 : 0 }
    function median(list,   n, a, i, j, x) {
      n = split(list, a, " "); if (n == 0) return "-"
      for (i = 2; i <= n; i++) { x = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
      return a[int((n + 1) / 2)]
    }
    FILENAME == ARGV[1] {          # the journal
      t = $1; ep = $2; rec = $3
      if (rec == "run") t0 = t
      if (rec == "begin") {
        nb++; bt[nb] = t; bep[nb] = ep; eptype[ep] = kv($0, "type"); epnode[ep] = kv($0, "node")
        epphase[ep] = kv($0, "phase"); epimpl[ep] = kv($0, "impl"); episodes++
        types[eptype[ep]] = 1; tn[eptype[ep]]++
        if (epphase[ep] == "hb306") mixed++
      }
      if (rec == "act") { sub(/^[0-9]+ [0-9]+ act /, ""); epact[ep] = $0 }
      if (rec == "fault" && kv($0, "allow_overlap") == "1") {
        nw++; ws[nw] = t; we[nw] = 9e18; wkey[nw] = kv($0, "kind") "/" kv($0, "node"); wep[nw] = ep
      }
      if (rec == "heal") {
        k = kv($0, "kind") "/" kv($0, "node")
        for (i = nw; i >= 1; i--) if (wkey[i] == k && we[i] == 9e18) { we[i] = t; break }
      }
      if (rec == "due") { nd++; dt[nd] = t; dep[nd] = ep; dbud[nd] = kv($0, "budget_ms"); dtimpl[nd] = kv($0, "taker_impl"); dfrom[nd] = kv($0, "from"); dto[nd] = kv($0, "to") }
      if (rec == "exit") {
        how = kv($0, "how"); st = kv($0, "status")
        if (how == "unexpected" && kv($0, "impl") == "ours") viol("d", ep, "daemon on " kv($0, "node") " (pid " kv($0, "pid") ") exited by itself, status " st)
        else if (how == "unexpected") peerexit++
        else if (how == "stop" && st != "0" && kv($0, "impl") == "ours") viol("d", ep, "daemon on " kv($0, "node") " exited " st " after SIGTERM")
      }
      if (rec == "note" && $4 == "stop-timeout") {
        if (kv($0, "impl") == "hb306") peerslow++
        else viol("d", ep, "daemon on " kv($0, "node") " did not stop within 30 s of SIGTERM")
      }
      if (rec == "start") { startimpl[kv($0, "pid")] = kv($0, "impl"); startnode[kv($0, "pid")] = kv($0, "node") }
      if (rec == "settled" && ep == 0 && tready == "") tready = t
      if (rec == "settled") { settle[eptype[ep]] = settle[eptype[ep]] " " kv($0, "ms") }
      if (rec == "unsettled") { uns[eptype[ep]]++; nuns++; viol("u", ep, "not settled " kv($0, "after_ms") " ms after the fault: vip " kv($0, "vip") " agent " kv($0, "agent") " alive " kv($0, "alive") " probe " kv($0, "probe")) }
      if (rec == "fence") fences[eptype[ep]]++
      if (rec == "note" && $4 == "flood") {
        nflood++; la = kv($0, "lines_alpha") + 0; lb = kv($0, "lines_beta") + 0
        if (la > floodmax) floodmax = la
        if (kv($0, "impl_beta") == "ours" && lb > floodmax) floodmax = lb
        if (kv($0, "impl_beta") == "hb306" && lb > floodpeer) floodpeer = lb
      }
      if (rec == "finish") tend = t
      next
    }
    FILENAME == ARGV[2] {          # the sampler
      if ($1 == "T") {
        samples += $3; if ($4 > worstgap) worstgap = $4; if ($4 > 50000) stalls++
        if ($4 >= 100000) { nstall++; stallt[nstall] = $2; stallg[nstall] = $4 }
        next
      }
      t = $2
      delete hv; delete ha; delete hg
      nodes($3, hv); nodes($4, ha)
      for (x in hv) hg[x] = 1
      for (x in ha) hg[x] = 1
      c = 0; for (x in hg) c++
      # (a) two holders
      if (c >= 2 && os == "") { os = t; oep = episode_at(t) }
      if (c < 2 && os != "") { no++; ost[no] = os; oen[no] = t; oepi[no] = oep; os = "" }
      # (c) an agent where the VIP is not
      for (x in ha) if (!(x in hv)) { if (!(x in cs)) { cs[x] = t; cep[x] = episode_at(t) } }
      for (x in cs) if (!((x in ha) && !(x in hv))) { nc++; cst[nc] = cs[x]; cen[nc] = t; cnode[nc] = x; cepi[nc] = cep[x]; delete cs[x] }
      lastt = t
      next
    }
    FILENAME == ARGV[3] {          # the client: SENT DONE ok|fail ...
      np++; ps[np] = $1; pd[np] = $2; pok[np] = ($3 == "ok"); next
    }
    FILENAME == ARGV[4] {          # RSS: T NODE PID KB
      p = $3
      if (!(p in rfirst)) { rfirst[p] = $4; rt0[p] = $1 }
      rlast[p] = $4; rt1[p] = $1; if ($4 > rmax[p]) rmax[p] = $4
      if ($4 > rssmax) rssmax = $4
      next
    }
    FILENAME == ARGV[5] {          # expectations: EP NODE IMPL SOFT found|missing REGEX
      nexp++
      if ($5 == "missing") {
        re = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", re)
        if ($4 == "1") softmiss++
        else viol("e", $1, "no line /" re "/ in the log of " $2 " (" $3 ")")
      }
      next
    }
    FILENAME == ARGV[6] { viol("d", 0, "sanitizer report: " $0); next }
    FILENAME == ARGV[8] { ndst++; dstt[ndst] = $1; dstf[ndst] = $2; next }   # daemon stalls
    FILENAME == ARGV[7] {          # log lengths: T L FILE LINES, every 2 s
      f = $3; sub(/.*\/systole-[^\/]*\//, "", f)
      if ((f in llast) && $1 > lt[f]) { r = ($4 - llast[f]) * 1e6 / ($1 - lt[f]); if (r > lrate[f]) lrate[f] = r }
      llast[f] = $4; lt[f] = $1; next
    }
    END {
      if (os != "") { no++; ost[no] = os; oen[no] = lastt; oepi[no] = oep }
      for (x in cs) { nc++; cst[nc] = cs[x]; cen[nc] = lastt; cnode[nc] = x; cepi[nc] = cep[x] }
      grace = (keepalive + slack) * 1000
      # (a): two holders are allowed while a fault keeps the nodes apart
      # (partition, loss, a daemon killed or dead with its resources left),
      # and for one keepalive + slack after it heals. Two holders that no
      # fault explains are a violation from the first sample, unless the
      # machine itself stalled for about a dead interval just before (the
      # sampler saw it): that is the environment, reported apart.
      for (i = 1; i <= no; i++) {
        s = ost[i]; e = oen[i]; base = ""; why = ""
        ep = oepi[i]; g = grace + (epphase[ep] == "hb306" ? hb306slack * 1000 : 0); wstart = 0
        for (w = 1; w <= nw; w++) if (ws[w] <= s && s <= we[w] + g + restart_extra(wkey[w])) {
          if (base == "" || we[w] + restart_extra(wkey[w]) > base) { base = we[w] + restart_extra(wkey[w]); healt = we[w]; why = "heal of " wkey[w] " (ep " wep[w] ")" }
        }
        ep = oepi[i]
        odur[eptype[ep]] = odur[eptype[ep]] " " ms(e - s); to_[eptype[ep]]++
        if (base == "") {
          stall = stall_in(s - 3000000, s)
          dstall = ""; for (k = 1; k <= ndst; k++) if (dstt[k] >= s - 3000000 && dstt[k] <= s + 2000000) dstall = dstf[k]
          if (stall >= (deadtime - keepalive) * 1000)
            olist[++nol] = sprintf("ep %d %s: %d ms with no fault, excused: the machine stalled %d ms", ep, eptype[ep], ms(e - s), ms(stall))
          else if (dstall != "")
            olist[++nol] = sprintf("ep %d %s: %d ms with no fault, excused: %s says \"No local heartbeat\" (the daemon was not scheduled for deadtime)", ep, eptype[ep], ms(e - s), dstall)
          else
            viol("a", ep, sprintf("two holders for %d ms from +%.3f s that no fault explains [%s]", ms(e - s), (s - t0) / 1e6, epact[ep]))
          continue
        }
        if (base > e) base = e
        excess = e - base; past = e > healt ? e - healt : 0
        if (excess > grace + (epphase[ep] == "hb306" ? hb306slack * 1000 : 0) && (stall = stall_in(base, e)) >= 100000)
          olist[++nol] = sprintf("ep %d %s: %d ms, %d ms past the %s, excused: the machine stalled %d ms", ep, eptype[ep], ms(e - s), ms(past), why, ms(stall))
        else if (excess > grace + (epphase[ep] == "hb306" ? hb306slack * 1000 : 0))
          viol("a", ep, sprintf("two holders for %d ms from +%.3f s, %d ms past the %s [%s]", ms(e - s), (s - t0) / 1e6, ms(past), why, epact[ep]))
        else
          olist[++nol] = sprintf("ep %d %s: %d ms (%d ms past the %s)", ep, eptype[ep], ms(e - s), ms(past), why)
      }
      # (b): from each due move to the client answered again, looking no
      # further than the next episode (its faults are its own).
      for (i = 1; i <= nd; i++) {
        t = dt[i]; lim = t + dbud[i] * 1000; served = 0; outage = 0; ep = dep[i]
        stop = 9e18; for (b = 1; b <= nb; b++) if (bep[b] > ep) { stop = bt[b]; break }
        for (k = 1; k <= np; k++) {
          if (ps[k] < t) continue
          if (ps[k] >= stop) break
          if (ps[k] > lim && !outage) break
          if (!pok[k] && !outage && ps[k] <= lim) { outage = 1; continue }
          if (outage && pok[k]) { served = pd[k] - t; outage = 0; if (ps[k] > lim) break }
        }
        if (outage) served = -1
        td[eptype[ep]]++
        if (dtimpl[i] == "hb306") { peerdue++ }
        if (served < 0 || served > dbud[i] * 1000) {
          txt = sprintf("%s -> %s: client not answered again within %d ms (%s) [%s]", dfrom[i], dto[i], dbud[i], served < 0 ? "not at all before the probe ended" : ms(served) " ms", epact[ep])
          if (dtimpl[i] == "hb306") { peermiss++; plist[++npl] = "ep " ep " " eptype[ep] " " txt }
          else if ((stall = stall_in(t, served < 0 ? lim : t + served)) >= 100000)
            olist[++nol] = sprintf("ep %d %s: %s, excused: the machine stalled %d ms", ep, eptype[ep], txt, ms(stall))
          else viol("b", ep, txt)
        } else if (dtimpl[i] != "hb306") servedlist[eptype[ep]] = servedlist[eptype[ep]] " " ms(served)
        if (dtimpl[i] == "hb306" && served >= 0) peerserved = peerserved " " ms(served)
      }
      # Availability, measured: every stretch without an answer (by sent time).
      unserved = 0; worsto = 0; ostart = ""; k0 = 0
      for (k = 1; k <= np; k++) {
        if (ps[k] < tready) continue
        if (!k0) k0 = k
        if (!pok[k] && ostart == "") ostart = ps[k]
        if (pok[k] && ostart != "") { d = ps[k] - ostart; unserved += d; if (d > worsto) { worsto = d; worstoat = ostart }; ostart = "" }
      }
      # (c)
      for (i = 1; i <= nc; i++) viol("c", cepi[i], sprintf("agent running on %s without the VIP for %d ms from +%.3f s [%s]", cnode[i], ms(cen[i] - cst[i]), (cst[i] - t0) / 1e6, epact[cepi[i]]))
      # (d) RSS growth of each of our daemons over its life.
      for (p in rfirst) {
        if (startimpl[p] != "ours") continue
        g = rlast[p] - rfirst[p]; life = (rt1[p] - rt0[p]) / 1e6
        if (g > worstg) { worstg = g; worstgp = p; worstlife = life }
        if (g > rss_limit) viol("d", 0, sprintf("RSS of our daemon pid %s on %s grew %d KiB in %.0f s (%d -> %d KiB)", p, startnode[p], g, life, rfirst[p], rlast[p]))
      }
      printf "\nbench/chaos: seed %s, %d episodes in %.1f min (%d with Heartbeat 3.0.6 on beta), auto_failback %s\n", seed, episodes, (tend - t0) / 6e7, mixed, af
      printf "build %s%s; sampler: %d samples, worst gap %d ms, %d gaps > 50 ms\n", build, sanitized ? " (sanitizers)" : "", samples, ms(worstgap), stalls
      printf "\n%-44s %8s %10s\n", "invariant", "checked", "violations"
      printf "%-44s %8d %10d\n", "a  two holders (no fault, or heal + " keepalive + slack " ms)", no, nviol["a"]
      printf "   (+ %d ms when the heal is a daemon restart%s)\n", startup, mixed ? sprintf(", + %d ms while beta runs Heartbeat 3.0.6", hb306slack) : ""
      printf "%-44s %8d %10d\n", "b  answered within deadtime+100 ms of a move", nd - peerdue, nviol["b"]
      printf "%-44s %8s %10d\n", "c  agent on a node without the VIP", "-", nviol["c"]
      printf "%-44s %8s %10d\n", "d  daemon crash, sanitizer, RSS", "-", nviol["d"]
      printf "%-44s %8d %10d\n", "e  the event in the daemons logs", nexp - softmiss, nviol["e"]
      printf "%-44s %8d %10d\n", "   episodes that did not settle", episodes, nviol["u"]
      printf "(%d soft log expectations unmet, not counted; peer takeovers by Heartbeat 3.0.6: %d, %d over the budget, not counted)\n", softmiss, peerdue, peermiss
      printf "client (after the first settle): unanswered %.1f s of %.1f s; longest outage %.1f s from +%.1f s (ep %d %s)\n", unserved / 1e6, (ps[np] - ps[k0]) / 1e6, worsto / 1e6, (worstoat - t0) / 1e6, episode_at(worstoat), eptype[episode_at(worstoat)]
      if (peerdue) printf "Heartbeat 3.0.6 taking over: answered again after %s ms (median of %d)\n", median(peerserved), peerdue
      printf "log lines:"; for (f in llast) printf " %s %d (worst %.0f/s over 2 s);", f, llast[f], lrate[f]; printf "\n"
      if (nflood) printf "replay floods (1000 old frames in 1 s): %d, worst %d log lines written by one of our daemons for one%s\n", nflood, floodmax, floodpeer ? sprintf(" (Heartbeat 3.0.6: %d)", floodpeer) : ""
      if (ndst) printf "our daemons logged \"No local heartbeat\" (stalled for deadtime) %d time(s)\n", ndst
      if (peerslow) printf "Heartbeat 3.0.6 did not stop within 30 s of SIGTERM %d time(s) (killed; a peer figure)\n", peerslow
      if (peerexit) printf "Heartbeat 3.0.6 exited by itself %d time(s) (a peer figure, not a violation)\n", peerexit
      printf "RSS: largest %d KiB; largest growth of one daemon %d KiB over %.0f s (limit %d KiB)\n", rssmax, worstg, worstlife, rss_limit
      printf "\n%-11s %4s %5s %3s %4s %3s %3s %3s %3s %5s %14s %14s %14s\n", "event", "n", "ovl", "a", "due", "b", "c", "e", "uns", "fence", "overlap ms med/max", "served ms med/max", "settle ms med/max"
      for (ty in types) {
        split(odur[ty], oa, " "); omax = 0; for (q in oa) if (oa[q] + 0 > omax) omax = oa[q] + 0
        split(servedlist[ty], sa, " "); smax = 0; for (q in sa) if (sa[q] + 0 > smax) smax = sa[q] + 0
        split(settle[ty], ta, " "); tmax = 0; for (q in ta) if (ta[q] + 0 > tmax) tmax = ta[q] + 0
        printf "%-11s %4d %5d %3d %4d %3d %3d %3d %3d %5d %14s %14s %14s\n", ty, tn[ty], to_[ty], tv[ty, "a"], td[ty], tv[ty, "b"], tv[ty, "c"], tv[ty, "e"], uns[ty], fences[ty], \
          median(odur[ty]) "/" omax, median(servedlist[ty]) "/" smax, median(settle[ty]) "/" tmax
      }
      if (nol) { printf "\noverlaps within the allowance, and what a stall of the machine excuses:\n"; for (i = 1; i <= nol; i++) print "  " olist[i] }
      if (npl) { printf "\nHeartbeat 3.0.6 takeovers over the budget (peer figures, not violations):\n"; for (i = 1; i <= npl; i++) print "  " plist[i] }
      if (nv) { printf "\nviolations:\n"; for (i = 1; i <= nv; i++) print "  " vline[i] }
      tot = nviol["a"] + nviol["b"] + nviol["c"] + nviol["d"] + nviol["e"]
      printf "\n%s: %d violation(s) of the invariants, %d unsettled episode(s)\n", tot ? "FAIL" : "PASS", tot, nviol["u"]
      print "episodes " episodes > summary
      print "mixed " mixed > summary
      print "overlaps " no > summary
      print "due " nd - peerdue > summary
      print "expectations " nexp - softmiss > summary
      split("a b c d e u", inv, " ")
      for (q = 1; q <= 6; q++) print "violations_" inv[q], nviol[inv[q]] + 0 > summary
      for (i = 1; i <= nv; i++) print "violation " vline[i] > summary
      exit tot ? 1 : 0
    }' "$CH_JOURNAL" "$CH_WATCH_OUT" "$CH_PROBE_OUT" "$DL_TMP/rss" "$exp" "$san" "$DL_TMP/loglines" "$DL_TMP/stalls" | tee "$DL_TMP/report"
  return "${PIPESTATUS[0]}"
}
