#!/bin/bash
# A stand-in for ipvsadm (this kernel has no IPVS): keeps the table in
# $LVS_STUB_DIR/table in `ipvsadm -S -n` format and records every command it is
# given in $LVS_STUB_DIR/commands, so tests see the exact stream and its effect.
# Supports what systole-lvs uses: -S -n, and -R with -A/-E/-D/-a/-e/-d lines.
table=$LVS_STUB_DIR/table
touch "$table"

keep_unless_prefix() { awk -v p="$1" 'index($0, p) != 1' "$table" > "$table.new" && mv "$table.new" "$table"; }
replace_prefix() { awk -v p="$1" -v n="$2" 'index($0, p) == 1 { print n; next } { print }' "$table" > "$table.new" && mv "$table.new" "$table"; }

apply() {
  local line=$1 cmd proto svc rs
  read -r cmd proto svc _ rs _ <<< "$line"
  case $cmd in
    -A) grep -q -- "^-A $proto $svc " "$table" && { echo "Service already exists" >&2; return 1; }
        echo "$line" >> "$table" ;;
    -E) replace_prefix "-A $proto $svc " "-A ${line#-E }" ;;
    -D) keep_unless_prefix "-A $proto $svc "; keep_unless_prefix "-a $proto $svc " ;;
    -a) echo "$line" >> "$table" ;;
    -e) replace_prefix "-a $proto $svc -r $rs " "-a ${line#-e }" ;;
    -d) keep_unless_prefix "-a $proto $svc -r $rs " ;;
    *) echo "stub ipvsadm: unsupported line: $line" >&2; return 1 ;;
  esac
}

case "$1" in
  -S) cat "$table" ;;
  -R) while IFS= read -r line; do
        [ -z "$line" ] && continue
        echo "$line" >> "$LVS_STUB_DIR/commands"
        apply "$line" || exit 1
      done ;;
  *) echo "$*" >> "$LVS_STUB_DIR/commands"; echo "stub ipvsadm: unsupported: $*" >&2; exit 2 ;;
esac
