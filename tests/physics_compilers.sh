#!/usr/bin/env bash
# physics_compilers.sh SOURCE_DIR THIS_BUILD_CHECKSUMS_PROGRAM
# The physics engine computes the same bits under gcc and clang: builds tests/physics_checksums.c
# with the engine's sources using gcc -O2, clang -O2 and clang -O3 (the project's flags:
# -march=x86-64-v3 -ffp-contract=off -fno-fast-math), and compares their output with each
# other and with this build's program. To show the comparison can fail, a build with
# -ffp-contract=fast (FMA contraction, which x86-64-v3 allows) must differ.
set -u
src=$1 this=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
sizes=$(sed -n 's/^#define PHYS_STACK_SIZES(X) //p' "$src/workloads/physics_scenes.h" | grep -oE '[0-9]+')
[ -n "$sizes" ] || { echo "physics_compilers: no PHYS_STACK_SIZES in physics_scenes.h"; exit 1; }
build() { # build NAME CC FLAGS...
  local name=$1 cc=$2; shift 2
  local d="$t/$name" inc=(-I"$src/workloads" -I"$src/impl_bump")
  mkdir -p "$d"
  command -v "$cc" >/dev/null || { echo "physics_compilers: $cc not found (install it: make test does)"; return 1; }
  "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/workloads/physics_scenes.c" -o "$d/scenes.o" &&
  "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/impl_bump/physics.c" -o "$d/bump.o" &&
  for f in ss_region ss_fault ss_os_posix; do
    "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/impl_bump/$f.c" -o "$d/$f.o" || return 1
  done
  "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/impl_malloc/physics.c" -o "$d/malloc.o" &&
  "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/tests/physics_checksums.c" -o "$d/main.o" || return 1
  for n in $sizes; do
    "$cc" -std=c17 "$@" "${inc[@]}" -DPHYS_N="$n" -c "$src/impl_stack/physics.c" -o "$d/stack_$n.o" || return 1
  done
  "$cc" "$d"/*.o -lm -pthread -o "$d/prog" && "$d/prog" >"$d/out"
}
flags=(-march=x86-64-v3 -fno-fast-math -Wall -Wextra -Werror)
fail=0
"$this" >"$t/this.out" || { echo "this build's physics_checksums failed"; fail=1; }
for b in "gcc-O2 gcc -O2" "clang-O2 clang -O2" "clang-O3 clang -O3"; do
  set -- $b
  if ! build "$1" "$2" "$3" -ffp-contract=off "${flags[@]}"; then
    echo "FAIL: $1 build or run failed"; fail=1; continue
  fi
  if cmp -s "$t/this.out" "$t/$1/out"; then
    echo "ok: $1 computes the same $(wc -l <"$t/$1/out") checksums as this build"
  else
    echo "FAIL: $1 differs from this build:"; diff "$t/this.out" "$t/$1/out" | head; fail=1
  fi
done
if build contract gcc -O2 -ffp-contract=fast "${flags[@]}" 2>/dev/null; cmp -s "$t/this.out" "$t/contract/out"; then
  echo "FAIL: gcc -ffp-contract=fast gives the same checksums: the comparison cannot see a change of rounding"; fail=1
else
  echo "ok: gcc -ffp-contract=fast differs, as it must (FMA rounds once)"
fi
[ $fail -eq 0 ] && { echo "4 passed, 0 failed"; exit 0; }
echo "some failed"; exit 1
