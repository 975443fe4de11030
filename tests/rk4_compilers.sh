#!/usr/bin/env bash
# rk4_compilers.sh SRC_DIR GEN_INCLUDE_DIR "CODEGEN_FLAGS" BUILT_TEST_RK4 LIBSECONDSTACK BUILT_CC BUILT_LEVEL
#                  [EXTRA_FLAGS_FOR_CLANG]
#
# RK4's results are the same bits with gcc and clang, at -O2 and at -O3: compiles every
# implementation and tests/test_rk4.c with each compiler at each level (CODEGEN_FLAGS: the
# flags of every checked build but the level), runs `test_rk4 --digest` from each (one hash
# of the whole trajectory per problem × size × impl × call × mode) and compares them with
# BUILT_TEST_RK4, the one this build made (compiler BUILT_CC, gcc or clang, at BUILT_LEVEL):
# that combination is not built again. With EXTRA_FLAGS_FOR_CLANG (the mutant test, e.g.
# -ffp-contract=fast) only clang is built, at BUILT_LEVEL with those flags, and compared with
# BUILT_TEST_RK4: it must differ.
# Every compile of every combination runs in one queue, as many at once as there are cores.
# The sizes are those of this build (GEN_INCLUDE_DIR/ss_sizes.h). The library's regions are
# this build's LIBSECONDSTACK (no arithmetic of the workloads happens there).
set -u
src=$1 gen=$2 flags=$3 built=$4 lib=$5 built_cc=$6 built_level=$7 extra=${8:-}
sizes=$(sed -n 's/^#define RK4_SIZES(X)//p' "$gen/ss_sizes.h" | grep -o '[0-9][0-9]*' | tr '\n' ' ')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inc="-I$src/workloads -I$gen -I$src/secondstack/include/secondstack -I$src/impl_bump -I$src/harness -I$src/secondstack/test"
cores=$(nproc 2>/dev/null || echo 2)

# At most $cores background jobs: wait for one to end before starting another.
queue() {
  while [ "$(jobs -rp | wc -l)" -ge "$cores" ]; do wait -n; done
  "$@" &
}

compile() { # compile DIR CC LEVEL MORE -- compiler arguments (LEVEL: commas for spaces)
  local dir=$1 cc=$2 level=${3//,/ } more=$4
  shift 5
  # shellcheck disable=SC2086
  $cc -std=c17 $flags $level $more $inc "$@" 2>>"$dir/log" || echo "compile failed: $cc $level $*" >>"$dir/log"
}

sources() { # sources DIR CC LEVEL MORE: every object of test_rk4, queued
  local d=$1
  mkdir -p "$d"
  queue compile "$@" -- -c "$src/tests/test_rk4.c" -o "$d/t.o"
  queue compile "$@" -- -c "$src/harness/rk4_impls.c" -o "$d/i.o"
  queue compile "$@" -- -c "$src/workloads/rk4_problems.c" -o "$d/p.o"
  queue compile "$@" -- -c "$src/impl_bump/rk4.c" -o "$d/b.o"
  queue compile "$@" -- -DSS_CHECKED -c "$src/impl_bump/rk4.c" -o "$d/bc.o"
  queue compile "$@" -- -c "$src/impl_bump/rk4_tuned.c" -o "$d/bt.o"
  queue compile "$@" -- -c "$src/impl_malloc/rk4.c" -o "$d/m.o"
  queue compile "$@" -- -c "$src/impl_malloc/rk4_tuned.c" -o "$d/mt.o"
  queue compile "$@" -- -c "$src/impl_malloc/rk4_once.c" -o "$d/o.o"
  for n in $sizes; do
    queue compile "$@" -- -DRK4_N="$n" -c "$src/impl_stack/rk4.c" -o "$d/s$n.o"
    queue compile "$@" -- -DRK4_N="$n" -c "$src/impl_bump/rk4.c" -o "$d/bn$n.o"
  done
}

# The combinations: NAME CC LEVEL (words; a level of several flags joined by commas)
built_word=${built_level// /,}
if [ -n "$extra" ]; then
  combos="clang$built_word clang $built_word"
else
  combos=""
  for cc in gcc clang; do
    for level in -O2 -O3; do
      [ "$cc" = "$built_cc" ] && [ "$level" = "$built_level" ] && continue
      combos="$combos $cc$level $cc $level"
    done
  done
fi
set -- $combos
while [ $# -gt 0 ]; do
  sources "$work/$1" "$2" "$3" "$extra"
  shift 3
done
wait
set -- $combos
names=""
while [ $# -gt 0 ]; do
  names="$names $1"
  queue sh -c "$2 \"$work/$1\"/*.o \"$lib\" -lm -pthread -o \"$work/$1/test_rk4\" 2>>\"$work/$1/log\""
  shift 3
done
wait

for c in $names; do
  if [ ! -x "$work/$c/test_rk4" ]; then
    cat "$work/$c/log"
    echo "rk4_compilers: the $c build failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
done
for c in $names built; do
  exe="$work/$c/test_rk4"
  [ $c = built ] && exe=$built
  queue sh -c "\"$exe\" --digest >\"$work/$c.txt\" || echo failed >\"$work/$c.failed\""
done
wait
for c in $names built; do
  [ -e "$work/$c.failed" ] && { echo "rk4_compilers: $c's test_rk4 --digest failed"; exit 1; }
done
cases=$(wc -l <"$work/built.txt")

if [ -n "$extra" ]; then
  c=$(echo $names)
  if diff -q "$work/$c.txt" "$work/built.txt" >/dev/null; then
    echo "clang with $extra agrees with this build on all $cases cases"
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "clang with $extra differs from this build in $(diff "$work/$c.txt" "$work/built.txt" | grep -c '^<') of $cases cases"
  echo "1 passed, 0 failed"
  exit 0
fi
ok=1
for c in $names; do
  if ! diff -q "$work/$c.txt" "$work/built.txt" >/dev/null; then
    echo "$c and this build ($built_cc $built_level) differ in $(diff "$work/$c.txt" "$work/built.txt" | grep -c '^<') of $cases cases, e.g.:"
    diff "$work/$c.txt" "$work/built.txt" | head -6
    ok=0
  fi
done
# Within one build every implementation must agree too (test_rk4 checks it by memcmp);
# here: one hash per problem × size × mode, whatever the implementation and call.
distinct=$(awk '{print $1, $2, $5, $6}' "$work/built.txt" | sort -u | awk '{print $1, $2, $3}' | uniq -d | wc -l)
if [ "$distinct" -ne 0 ]; then
  echo "implementations disagree within this build in $distinct problem × size × mode groups"
  ok=0
fi
if [ $ok -eq 1 ]; then
  echo "gcc and clang at -O2 and -O3 ($(echo $names) and this build, $built_cc $built_level) agree bit for bit on all $cases cases"
  echo "1 passed, 0 failed"
  exit 0
fi
echo "0 passed, 1 failed"
exit 1
