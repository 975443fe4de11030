#!/usr/bin/env bash
# link_mix.sh CC INCLUDE_DIR LIB_RELEASE LIB_DEBUG [EXTRA_FLAGS]
# A program made of SS_DEBUG and release translation units must fail to link, naming the
# mode symbol; programs of one mode link. SS_CHECKED units share the release layout: they link
# with release units and the release library, and not with the debug one.
set -u
cc=$1 inc=$2 rel=$3 dbg=$4
read -r -a extra <<<"${5:-}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cat >"$t/a.c" <<'C'
#include "ss_region.h"
float *helper(ss_allocator s) { return ss_alloc(s, 4); }
C
cat >"$t/main.c" <<'C'
#include "ss_region.h"
float *helper(ss_allocator s);
int main(void) {
    ss_region r;
    if (ss_region_create(&r, "mix", 4096) != 0) return 2;
    float *p = helper(ss_region_allocator(&r));
    p[0] = 1.0f;
    ss_region_destroy(&r);
    return 0;
}
C
pass=0 fail=0
expect() { # expect ok|fail PATTERN DESCRIPTION -- link arguments
  local want=$1 pat=$2 what=$3; shift 4
  out=$("$cc" "${extra[@]}" "$@" -o "$t/prog" 2>&1); rc=$?
  if { [ "$want" = ok ] && [ $rc -eq 0 ] && "$t/prog"; } ||
     { [ "$want" = fail ] && [ $rc -ne 0 ] && grep -q -- "$pat" <<<"$out"; }; then
    echo "ok: $what"; pass=$((pass + 1))
  else
    echo "FAILED: $what (link exit $rc)"; echo "$out" | tail -5; fail=$((fail + 1))
  fi
}
"$cc" "${extra[@]}" -std=c17 -O2 -I"$inc" -c "$t/a.c" -o "$t/a_rel.o" || exit 1
"$cc" "${extra[@]}" -std=c17 -O2 -I"$inc" -DSS_DEBUG -c "$t/a.c" -o "$t/a_dbg.o" || exit 1
"$cc" "${extra[@]}" -std=c17 -O2 -I"$inc" -c "$t/main.c" -o "$t/m_rel.o" || exit 1
"$cc" "${extra[@]}" -std=c17 -O2 -I"$inc" -DSS_DEBUG -c "$t/main.c" -o "$t/m_dbg.o" || exit 1
"$cc" "${extra[@]}" -std=c17 -O2 -I"$inc" -DSS_CHECKED -c "$t/a.c" -o "$t/a_chk.o" || exit 1
expect ok "" "release units with the release library" -- "$t/m_rel.o" "$t/a_rel.o" "$rel"
expect ok "" "debug units with the debug library" -- "$t/m_dbg.o" "$t/a_dbg.o" "$dbg"
expect fail ss__built_with_SS_DEBUG "a debug unit among release ones, release library" -- "$t/m_rel.o" "$t/a_dbg.o" "$rel"
expect fail ss__built_without_SS_DEBUG "a release unit among debug ones, debug library" -- "$t/m_dbg.o" "$t/a_rel.o" "$dbg"
expect fail ss__one_mode_per_program "mixed units with both libraries" -- "$t/m_rel.o" "$t/a_dbg.o" "$rel" "$dbg"
expect ok "" "a checked unit among release ones, release library" -- "$t/m_rel.o" "$t/a_chk.o" "$rel"
expect fail ss__built_without_SS_DEBUG "a checked unit among debug ones, debug library" -- "$t/m_dbg.o" "$t/a_chk.o" "$dbg"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
