#!/usr/bin/env bash
# physics_diff.sh SOURCE_DIR — the three implementations differ only in their memory strategy.
#   loop engine (physics.c) and what both engines share (physics_common.h): the same functions
#     in the same order (physics.c: between "//~ Forces" and "//~ Engine lifetime";
#     physics_common.h: from "//~ Sequential impulses" on), and `diff` against impl_bump's
#     changes at most MAX lines.
#   array engine (physics_array.c), where every line allocates: the same functions in the same
#     order; the same operations in the same order (each `result = operation`); and, once the
#     memory strategy's spelling is taken out of every line (the allocator argument, the cleanup
#     markers, a fixed array's declaration and the `_to` form that fills it: `normalize`), a
#     diff of at most MAX lines.
# Then copies with two functions swapped (each engine) and with two operations swapped (array)
# must fail: the checks can see a change.
set -u
src=$1
MAX=140
functions() { # functions FILE FROM TO: the phys_ function names defined between the markers
  sed -n "/^\/\/~ $2/,/^\/\/~ $3/p" "$1" | grep -oE '^static [^(=]*\bphys_[a-z_]+\(' | grep -oE 'phys_[a-z_]+\($' | tr -d '('
}
normalize() { # normalize FILE: the array engine without its memory strategy's spelling
  sed -E -e 's/ss_allocator t(_[a-z]+)?, //g' -e 's/\(t(_[a-z]+)?, /(/g' \
    -e 's/^( *)(VEC|IDX) /\1/' -e 's/PHYS_FREED\([a-z]+\) //' "$1" |
    awk '
      pending != "" {
        if (match($0, "^ *[a-z_0-9]+_to\\(" name ", ")) {
          op = $0; sub("^ *", "", op); sub("_to\\(" name ", ", "(", op)
          print indent type " *" name " = " op; pending = ""; next
        }
        print pending; pending = ""
      }
      /^ *PHYS_TEMP (float|unsigned) [a-z_0-9]+\[[^]]*\];$/ {
        pending = $0; indent = $0; sub("[^ ].*", "", indent)
        type = $2; name = $3; sub("\\[.*", "", name); next
      }
      { print }
      END { if (pending != "") print pending }'
}
operations() { # operations FILE: `result = operation` of every vector operation, in order (an
  # array only made, new_vector or new_indices, and filled by a loop is none)
  normalize "$1" | sed -nE 's/^ +(float|unsigned) \*([a-z_0-9]+) = ([a-z_0-9]+)\(.*/\2 = \3/p' | grep -vE ' = (phys_|new_)'
}
compare() { # compare KIND A B FROM TO: 0 if B is parallel to A
  local kind=$1 a=$2 b=$3 from=$4 to=$5 ok=0 lines name
  name="$(basename "$(dirname "$b")")/$(basename "$b")"
  if ! diff <(functions "$a" "$from" "$to") <(functions "$b" "$from" "$to") >/dev/null; then
    echo "  $name: functions differ from $a:"
    diff <(functions "$a" "$from" "$to") <(functions "$b" "$from" "$to") | head -5
    ok=1
  fi
  if [ "$kind" = array ]; then
    if ! diff <(operations "$a") <(operations "$b") >/dev/null; then
      echo "  $name: operations differ from $a:"
      diff <(operations "$a") <(operations "$b") | head -5
      ok=1
    fi
    lines=$(diff <(normalize "$a") <(normalize "$b") | grep -c '^[<>]')
  else
    lines=$(diff "$a" "$b" | grep -c '^[<>]')
  fi
  [ "$lines" -le $MAX ] || { echo "  $name: $lines changed lines against $a (at most $MAX)"; ok=1; }
  echo "  $name: $(functions "$b" "$from" "$to" | wc -l) functions in bump's order," \
    "$([ "$kind" = array ] && echo "$(operations "$b" | wc -l) operations in bump's order, normalized: ")$lines changed lines (at most $MAX)"
  return $ok
}
# file, kind, the markers of the compared part, the fewest functions it must find
parts=("physics.c loop Forces Engine_lifetime 10" "physics_common.h loop Sequential_impulses $ 6"
  "physics_array.c array Forces Engine_lifetime 12")
fail=0
for part in "${parts[@]}"; do
  set -- $part
  file=$1 kind=$2 from=${3//_/ } to=${4//_/ } least=$5
  bump=$src/impl_bump/$file
  [ "$(functions "$bump" "$from" "$to" | wc -l)" -ge "$least" ] ||
    { echo "FAIL: found too few functions in $bump"; fail=1; continue; }
  [ "$kind" = loop ] || [ "$(operations "$bump" | wc -l)" -ge 100 ] ||
    { echo "FAIL: found too few operations in $bump"; fail=1; continue; }
  for impl in malloc stack; do
    compare "$kind" "$bump" "$src/impl_$impl/$file" "$from" "$to" || fail=1
  done
done
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/impl_swapped"
# Move phys_drift after phys_clamp in a copy of each malloc engine.
for file in physics.c physics_array.c; do
  kind=loop
  [ $file = physics_array.c ] && kind=array
  awk '/^static void phys_drift/{grab=1} grab{buf=buf $0 "\n"; if ($0 == "}") {grab=0; getline; next} next}
       {print} /^static void phys_clamp\(/{inclamp=1} inclamp && $0 == "}" {printf "\n%s", buf; inclamp=0}' \
    "$src/impl_malloc/$file" >"$t/impl_swapped/$file"
  if compare $kind "$src/impl_bump/$file" "$t/impl_swapped/$file" Forces "Engine lifetime" >/dev/null; then
    echo "FAIL: a copy of $file with two functions swapped passed"; fail=1
  else
    echo "  ok: a copy of $file with phys_drift moved after phys_clamp is caught"
  fi
done
# Swap the kick's first two operations in a copy of the malloc array engine.
awk '/^static void phys_kick/{kick=1} kick && /VEC float \*ax = /{held=$0; next}
     kick && held != "" {print; print held; held=""; kick=0; next} {print}' \
  "$src/impl_malloc/physics_array.c" >"$t/impl_swapped/physics_array.c"
if cmp -s "$src/impl_malloc/physics_array.c" "$t/impl_swapped/physics_array.c"; then
  echo "FAIL: the operation-swapping copy is unchanged (update physics_diff.sh)"; fail=1
elif compare array "$src/impl_bump/physics_array.c" "$t/impl_swapped/physics_array.c" Forces "Engine lifetime" >/dev/null; then
  echo "FAIL: a copy of physics_array.c with two operations swapped passed"; fail=1
else
  echo "  ok: a copy of physics_array.c with the kick's ax and ay swapped is caught"
fi
[ $fail -eq 0 ] && { echo "9 passed, 0 failed"; exit 0; }
echo "some failed"; exit 1
