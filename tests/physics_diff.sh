#!/usr/bin/env bash
# physics_diff.sh SOURCE_DIR — the three engines differ only in their memory strategy:
# between "//~ Forces" and "//~ Engine lifetime" they define the same functions in the same
# order, and `diff` against impl_bump/physics.c changes at most MAX lines. Then the same
# comparison on a copy with two functions swapped must fail (the check can see a change).
set -u
src=$1
MAX=140
engine_functions() { # the engine part's function names, in order
  sed -n '/^\/\/~ Forces/,/^\/\/~ Engine lifetime/p' "$1" | grep -oE '^static [^(=]*\bphys_[a-z_]+\(' |
    grep -oE 'phys_[a-z_]+\($' | tr -d '('
}
compare() { # compare A B: 0 if parallel
  local a=$1 b=$2 ok=0 lines
  if ! diff <(engine_functions "$a") <(engine_functions "$b") >/dev/null; then
    echo "  $(basename "$(dirname "$b")")/physics.c: functions differ from $(basename "$(dirname "$a")")/physics.c:"
    diff <(engine_functions "$a") <(engine_functions "$b") | head -5
    ok=1
  fi
  lines=$(diff "$a" "$b" | grep -c '^[<>]')
  [ "$lines" -le $MAX ] || { echo "  $b: $lines changed lines against $a (at most $MAX)"; ok=1; }
  echo "  $(basename "$(dirname "$b")"): $(engine_functions "$b" | wc -l) engine functions in bump's order, $lines changed lines (at most $MAX)"
  return $ok
}
fail=0
bump=$src/impl_bump/physics.c
[ "$(engine_functions "$bump" | wc -l)" -ge 10 ] || { echo "FAIL: found too few functions in $bump"; exit 1; }
for impl in malloc stack; do
  compare "$bump" "$src/impl_$impl/physics.c" || fail=1
done
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/impl_swapped"
# Move phys_drift after phys_clamp in a copy of the malloc engine.
awk '/^static void phys_drift/{grab=1} grab{buf=buf $0 "\n"; if ($0 == "}") {grab=0; getline; next} next}
     {print} /^static void phys_clamp/{inclamp=1} inclamp && $0 == "}" {printf "\n%s", buf; inclamp=0}' \
  "$src/impl_malloc/physics.c" >"$t/impl_swapped/physics.c"
if compare "$bump" "$t/impl_swapped/physics.c" >/dev/null; then
  echo "FAIL: a copy with two functions swapped passed"; fail=1
else
  echo "  ok: a copy with phys_drift moved after phys_clamp is caught"
fi
[ $fail -eq 0 ] && { echo "3 passed, 0 failed"; exit 0; }
echo "some failed"; exit 1
