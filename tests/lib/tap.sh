# shellcheck shell=bash
# Minimal TAP producer for shell tests: source it, call plan or let done_testing count.
TAP_N=0
TAP_FAILED=0

plan() { echo "1..$1"; TAP_PLANNED=1; }

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION  (use: ok $? "desc" or check CMD...)
  local rc=$1; shift
  TAP_N=$((TAP_N + 1))
  if [ "$rc" -eq 0 ]; then echo "ok $TAP_N - $*"; else echo "not ok $TAP_N - $*"; TAP_FAILED=$((TAP_FAILED + 1)); fi
  return "$rc"
}

# check DESCRIPTION -- CMD ARGS...: runs the command, one test point.
check() {
  local desc=$1; shift
  [ "$1" = "--" ] && shift
  local out rc
  out=$("$@" 2>&1); rc=$?
  ok "$rc" "$desc" || printf '%s\n' "$out" | sed 's/^/# /'
  return "$rc"
}

skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $* # SKIP"; }

diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

done_testing() { [ -n "${TAP_PLANNED:-}" ] || echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; }

bail() { echo "Bail out! $*"; exit 1; }
