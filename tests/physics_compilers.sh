#!/usr/bin/env bash
# physics_compilers.sh SOURCE_DIR GEN_INCLUDE_DIR "FLAGS" THIS_BUILD_CHECKSUMS_PROGRAM LIBSECONDSTACK
# The physics engine computes the same bits under gcc and clang at -O2 and -O3: builds
# tests/physics_checksums.c with both engines' sources (loop and array, all three
# implementations) using gcc -O2, gcc -O3, clang -O2 and clang -O3 (FLAGS: this build's flags
# but the level, e.g. -march=x86-64-v3 -ffp-contract=off -fno-fast-math), and compares their
# output with each other and with this build's program (each program also requires its six
# engines to agree). To show the comparison can fail, a build with -ffp-contract=fast (FMA
# contraction, which x86-64-v3 allows) must differ. The sizes are this build's
# (GEN_INCLUDE_DIR/ss_sizes.h); the regions are its LIBSECONDSTACK.
set -u
src=$1 gen=$2 codegen=$3 this=$4 lib=$5
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
sizes=$(sed -n 's/^#define PHYS_STACK_SIZES(X)//p' "$gen/ss_sizes.h" | grep -oE '[0-9]+')
[ -n "$sizes" ] || { echo "physics_compilers: no PHYS_STACK_SIZES in $gen/ss_sizes.h"; exit 1; }
build() { # build NAME CC FLAGS...
  local name=$1 cc=$2; shift 2
  local d="$t/$name" inc=(-I"$src/workloads" -I"$gen" -I"$src/secondstack/include/secondstack")
  mkdir -p "$d"
  command -v "$cc" >/dev/null || { echo "physics_compilers: $cc not found (install it: make test does)"; return 1; }
  "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/workloads/physics_scenes.c" -o "$d/scenes.o" &&
  "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/tests/physics_checksums.c" -o "$d/main.o" || return 1
  for engine in physics physics_array; do
    "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/impl_bump/$engine.c" -o "$d/bump_$engine.o" &&
    "$cc" -std=c17 "$@" "${inc[@]}" -c "$src/impl_malloc/$engine.c" -o "$d/malloc_$engine.o" || return 1
    for n in $sizes; do
      "$cc" -std=c17 "$@" "${inc[@]}" -DPHYS_N="$n" -c "$src/impl_stack/$engine.c" -o "$d/stack_${engine}_$n.o" || return 1
    done
  done
  "$cc" "$d"/*.o "$lib" -lm -pthread -o "$d/prog" && "$d/prog" >"$d/out"
}
# FLAGS carries -ffp-contract=off; a later -ffp-contract=fast wins (the contract build).
read -r -a flags <<<"$codegen"
flags+=(-Wall -Wextra -Werror)
fail=0
"$this" >"$t/this.out" || { echo "this build's physics_checksums failed"; fail=1; }
for b in "gcc-O2 gcc -O2" "gcc-O3 gcc -O3" "clang-O2 clang -O2" "clang-O3 clang -O3"; do
  set -- $b
  if ! build "$1" "$2" "$3" "${flags[@]}"; then
    echo "FAIL: $1 build or run failed"; fail=1; continue
  fi
  if cmp -s "$t/this.out" "$t/$1/out"; then
    echo "ok: $1 computes the same $(wc -l <"$t/$1/out") checksums as this build"
  else
    echo "FAIL: $1 differs from this build:"; diff "$t/this.out" "$t/$1/out" | head; fail=1
  fi
done
if build contract gcc -O2 "${flags[@]}" -ffp-contract=fast 2>/dev/null; cmp -s "$t/this.out" "$t/contract/out"; then
  echo "FAIL: gcc -ffp-contract=fast gives the same checksums: the comparison cannot see a change of rounding"; fail=1
else
  echo "ok: gcc -ffp-contract=fast differs, as it must (FMA rounds once)"
fi
[ $fail -eq 0 ] && { echo "5 passed, 0 failed"; exit 0; }
echo "some failed"; exit 1
