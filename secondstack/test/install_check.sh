#!/usr/bin/env bash
# install_check.sh BUILD_DIR TEST_DIR CC
# Installs the build into a temporary prefix, checks that it holds the public headers and
# no internal one, then builds and runs a consumer against it: with find_package(secondstack),
# with pkg-config (release and debug; skipped with a notice without pkg-config), and
# header-only, through both include forms (<secondstack/ss_region.h> and <ss_region.h>).
set -u
build=$1 src=$2 cc=$3
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
step() { # step DESCRIPTION -- command...
  local what=$1; shift 2
  if out=$("$@" 2>&1); then
    echo "ok: $what"; pass=$((pass + 1))
  else
    echo "FAILED: $what"; echo "$out" | tail -15; fail=$((fail + 1))
  fi
}
step "cmake --install" -- cmake --install "$build" --prefix "$t/prefix"
headers=$(cd "$t/prefix/include" && find . -type f | sort | tr '\n' ' ')
step "installed headers are the public ones: $headers" -- \
  test "$headers" = "./secondstack/secondstack.h ./secondstack/ss_region.h "
# Built for the baseline target: no VEX-encoded (AVX) instruction, which older x86-64 lack.
if command -v objdump >/dev/null && [ "$(uname -m)" = x86_64 ]; then
  for a in $(find "$t/prefix" -name 'libsecondstack*.a'); do
    step "$(basename "$a") runs on any x86-64 (no AVX instruction)" -- \
      sh -c "! objdump -d --no-show-raw-insn '$a' | grep -qE '[[:space:]]v[a-z0-9]+[[:space:]].*%[xyz]mm'"
  done
fi
step "installed the licence" -- test -f "$t/prefix/share/doc/secondstack/LICENSE"
pcdir=$(dirname "$(find "$t/prefix" -name secondstack.pc | head -1)")
step "installed secondstack.pc" -- test -f "$pcdir/secondstack.pc"

step "find_package: configure" -- cmake -S "$src/consumer" -B "$t/consumer" -G Ninja \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$t/prefix"
step "find_package: build" -- cmake --build "$t/consumer"
step "find_package: run (release)" -- "$t/consumer/consumer"
step "find_package: run (debug)" -- "$t/consumer/consumer_debug"

if ! command -v pkg-config >/dev/null; then
  echo "notice: pkg-config not found (Debian package pkgconf): the pkg-config steps are skipped"
else
  export PKG_CONFIG_PATH=$pcdir
  step "pkg-config --cflags --libs secondstack" -- pkg-config --cflags --libs secondstack
  # shellcheck disable=SC2046
  step "pkg-config: build" -- "$cc" -std=c17 $(pkg-config --cflags secondstack) "$src/consumer/main.c" \
    $(pkg-config --libs secondstack) -o "$t/pc"
  step "pkg-config: run" -- "$t/pc"
  # shellcheck disable=SC2046
  step "pkg-config secondstack_debug: build" -- "$cc" -std=c17 $(pkg-config --cflags secondstack_debug) \
    "$src/consumer/main.c" $(pkg-config --libs secondstack_debug) -o "$t/pcd"
  step "pkg-config secondstack_debug: run" -- "$t/pcd"
fi
step "header-only: build" -- "$cc" -std=c17 -O2 -I"$t/prefix/include/secondstack" "$src/consumer/header_only.c" \
  -o "$t/ho"
step "header-only: run" -- "$t/ho"
step "<secondstack/ss_region.h>: build" -- "$cc" -std=c17 -O2 -DSS_INCLUDE_PREFIXED -I"$t/prefix/include" \
  "$src/consumer/main.c" -L"$(dirname "$(find "$t/prefix" -name libsecondstack.a | head -1)")" -lsecondstack -pthread \
  -o "$t/prefixed"
step "<secondstack/ss_region.h>: run" -- "$t/prefixed"

# C++17, every macro of the headers, with each C++ compiler present, release and debug.
libdir=$(dirname "$(find "$t/prefix" -name libsecondstack.a | head -1)")
for cxx in g++ clang++; do
  if ! command -v $cxx >/dev/null; then echo "notice: $cxx not found: its C++ build is skipped"; continue; fi
  step "C++17 ($cxx, -Wall -Wextra -Werror): build" -- $cxx -std=c++17 -Wall -Wextra -Werror -I"$t/prefix/include" \
    "$src/consumer/main.cpp" -L"$libdir" -lsecondstack -pthread -o "$t/cpp_$cxx"
  step "C++17 ($cxx): run" -- "$t/cpp_$cxx"
  step "C++17 ($cxx, debug mode): build" -- $cxx -std=c++17 -Wall -Wextra -Werror -DSS_DEBUG -I"$t/prefix/include" \
    "$src/consumer/main.cpp" -L"$libdir" -lsecondstack_debug -pthread -o "$t/cppd_$cxx"
  step "C++17 ($cxx, debug mode): run" -- "$t/cppd_$cxx"
done

# A program built with ASan against the installed libraries (built without it): a use after
# a scope reset is reported, release and debug (the poisoning is inline, in the program).
if echo 'int main(void){return 0;}' | "$cc" -fsanitize=address -x c - -o "$t/asan_probe" 2>/dev/null; then
  for mode in release debug; do
    lib=secondstack def=""
    [ $mode = debug ] && lib=secondstack_debug def=-DSS_DEBUG
    step "ASan + installed $lib: build" -- "$cc" -std=c17 -g -fsanitize=address $def -I"$t/prefix/include" \
      "$src/consumer/use_after_reset.c" -L"$libdir" -l$lib -pthread -o "$t/uar_$mode"
    step "ASan + installed $lib: the use after reset is reported" -- \
      sh -c "ASAN_OPTIONS=detect_leaks=0 '$t/uar_$mode' 2>&1 | grep -q 'use-after-poison'"
  done
else
  echo "notice: $cc cannot build with -fsanitize=address: the ASan steps are skipped"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
