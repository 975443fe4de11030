#!/usr/bin/env bash
# rk4_compilers.sh SRC_DIR GEN_INCLUDE_DIR "FLAGS" BUILT_TEST_RK4 LIBSECONDSTACK [EXTRA_FLAGS_FOR_CLANG]
#
# gcc's RK4 results equal clang's, bit for bit: compiles every implementation and
# tests/test_rk4.c with gcc and with clang (FLAGS: the flags of every checked build), runs
# `test_rk4 --digest` from both (one hash of the whole trajectory per problem × size × impl ×
# call × mode) and compares them with each other and with BUILT_TEST_RK4, the one this build
# made. With EXTRA_FLAGS_FOR_CLANG (the mutant test, e.g. -ffp-contract=fast) only clang is
# built, with those flags, and compared with BUILT_TEST_RK4: it must differ.
# The sizes are those of this build (GEN_INCLUDE_DIR/ss_sizes.h). The library's regions are
# this build's LIBSECONDSTACK (no arithmetic of the workloads happens there).
set -u
src=$1 gen=$2 flags=$3 built=$4 lib=$5 extra=${6:-}
sizes=$(sed -n 's/^#define RK4_SIZES(X)//p' "$gen/ss_sizes.h" | grep -o '[0-9][0-9]*' | tr '\n' ' ')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inc="-I$src/workloads -I$gen -I$src/secondstack/include/secondstack -I$src/impl_bump -I$src/harness -I$src/secondstack/test"

build() { # build CC DIR EXTRA
  local cc=$1 dir=$2 more=$3 jobs=() i=0
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  compile() { $cc -std=c17 $flags $more $inc "$@" 2>>"$dir/log" || echo "compile failed: $cc $*" >>"$dir/log"; }
  compile -c "$src/tests/test_rk4.c" -o "$dir/t.o" &
  compile -c "$src/harness/rk4_impls.c" -o "$dir/i.o" &
  wait
  compile -c "$src/workloads/rk4_problems.c" -o "$dir/p.o" &
  compile -c "$src/impl_bump/rk4.c" -o "$dir/b.o" &
  compile -c "$src/impl_malloc/rk4.c" -o "$dir/m.o" &
  wait
  compile -c "$src/impl_malloc/rk4_once.c" -o "$dir/o.o" &
  for n in $sizes; do
    compile -DRK4_N="$n" -c "$src/impl_stack/rk4.c" -o "$dir/s$n.o" &
    compile -DRK4_N="$n" -c "$src/impl_bump/rk4.c" -o "$dir/bn$n.o"
    wait
  done
  wait
  $cc "$dir"/*.o "$lib" -lm -pthread -o "$dir/test_rk4" 2>>"$dir/log"
}

compilers="gcc clang"
[ -n "$extra" ] && compilers=clang
for c in $compilers; do
  if [ $c = clang ]; then build clang "$work/clang" "$extra"; else build gcc "$work/gcc" ""; fi
done
for c in $compilers; do
  if [ ! -x "$work/$c/test_rk4" ]; then
    cat "$work/$c/log"
    echo "rk4_compilers: the $c build failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
  "$work/$c/test_rk4" --digest >"$work/$c.txt" || { echo "rk4_compilers: $c's test_rk4 --digest failed"; exit 1; }
done
"$built" --digest >"$work/built.txt" || { echo "rk4_compilers: $built --digest failed"; exit 1; }

if [ -n "$extra" ]; then
  cases=$(wc -l <"$work/built.txt")
  if diff -q "$work/clang.txt" "$work/built.txt" >/dev/null; then
    echo "clang with $extra agrees with this build on all $cases cases"
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "clang with $extra differs from this build in $(diff "$work/clang.txt" "$work/built.txt" | grep -c '^<') of $cases cases"
  echo "1 passed, 0 failed"
  exit 0
fi
cases=$(wc -l <"$work/gcc.txt")
ok=1
if ! diff -q "$work/gcc.txt" "$work/clang.txt" >/dev/null; then
  echo "gcc and clang${extra:+ ($extra)} differ in $(diff "$work/gcc.txt" "$work/clang.txt" | grep -c '^<') of $cases cases, e.g.:"
  diff "$work/gcc.txt" "$work/clang.txt" | head -6
  ok=0
fi
if ! diff -q "$work/gcc.txt" "$work/built.txt" >/dev/null; then
  echo "this build's test_rk4 differs from gcc's in $(diff "$work/gcc.txt" "$work/built.txt" | grep -c '^<') of $cases cases"
  ok=0
fi
# Within one compiler every implementation must agree too (test_rk4 checks it by memcmp);
# here: one hash per problem × size × mode, whatever the implementation and call.
distinct=$(awk '{print $1, $2, $5, $6}' "$work/gcc.txt" | sort -u | awk '{print $1, $2, $3}' | uniq -d | wc -l)
if [ "$distinct" -ne 0 ]; then
  echo "implementations disagree within gcc in $distinct problem × size × mode groups"
  ok=0
fi
if [ $ok -eq 1 ]; then
  echo "gcc, clang and this build agree bit for bit on all $cases cases"
  echo "1 passed, 0 failed"
  exit 0
fi
echo "0 passed, 1 failed"
exit 1
