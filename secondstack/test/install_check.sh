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
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
