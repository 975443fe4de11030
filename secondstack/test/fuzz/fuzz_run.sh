#!/usr/bin/env bash
# fuzz_run.sh TARGET SECONDS SOURCE_DIR OUT_DIR [CLANG]
# Builds the libFuzzer target fuzz_TARGET.c (api: -fsanitize=fuzzer,address,undefined;
# grow: -fsanitize=fuzzer,undefined, so that regions are the real fault-driven kind) with the
# library's sources, then runs it for SECONDS from the committed corpus (test/fuzz/corpus/
# TARGET, read only: new inputs go to OUT_DIR). Exit 0 when nothing was found, 1 on a
# finding (the input is saved in OUT_DIR, the reproducer command printed), 77 (skipped) when
# clang cannot build libFuzzer targets here.
set -u
target=$1 seconds=$2 src=$3 out=$4 clang=${5:-clang}
case $target in
  api) sanitize=fuzzer,address,undefined ;;
  grow) sanitize=fuzzer,undefined ;;
  *) echo "fuzz_run.sh: unknown target '$target' (api or grow)" >&2; exit 2 ;;
esac
if ! command -v "$clang" >/dev/null 2>&1; then
  echo "skipped: clang not found (Debian packages clang, libclang-rt-14-dev)"
  exit 77
fi
mkdir -p "$out"
probe=$out/probe_$target
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
  > "$probe.c"
if ! "$clang" -fsanitize=$sanitize "$probe.c" -o "$probe" 2>"$probe.log"; then
  echo "skipped: $clang cannot build libFuzzer targets with -fsanitize=$sanitize (Debian: libclang-rt-14-dev):"
  head -3 "$probe.log"
  exit 77
fi

bin=$out/fuzz_$target
flags=(-g -O1 -std=c17 -Wall -Wextra -Werror -fsanitize=$sanitize -fno-sanitize-recover=undefined -pthread
       -I"$src/include" -I"$src/include/secondstack")
if ! "$clang" "${flags[@]}" "$src/test/fuzz/fuzz_$target.c" "$src/src/region.c" "$src/src/prim/posix/os.c" \
     "$src/src/prim/posix/fault.c" -o "$bin"; then
  echo "fuzz_run.sh: building fuzz_$target failed"
  exit 1
fi

corpus=$out/corpus_$target
rm -rf "$corpus"
mkdir -p "$corpus"
seeds=$src/test/fuzz/corpus/$target
log=$out/fuzz_$target.log
echo "fuzz_$target: $seconds s from $(ls "$seeds" | wc -l) committed inputs ($seeds)"
(cd "$out" && "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
   -artifact_prefix="$out/fuzz_$target-" "$corpus" "$seeds") >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
added=$(sed -n 's/^stat::new_units_added: *//p' "$log")
rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
if [ $rc -ne 0 ]; then
  grep -E "ERROR|SUMMARY|==[0-9]+==|Test unit written|runtime error" "$log" | head -20
  tail -30 "$log"
  echo "fuzz_$target: FOUND a failure (exit $rc) after ${execs:-?} runs; reproduce with: $bin $out/fuzz_$target-<artifact>"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "fuzz_$target: ${execs:-?} runs in $seconds s, ${added:-?} new inputs (in $corpus, not committed), peak RSS ${rss:-?} MiB: nothing found"
echo "1 passed, 0 failed"
