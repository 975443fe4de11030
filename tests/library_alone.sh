#!/usr/bin/env bash
# library_alone.sh LIBRARY_SOURCE_DIR WORK_DIR CC — the library as an adopter builds it: a
# fresh configure of secondstack/ on its own with google-benchmark hidden (none of the suite's
# tools), a build, its ctest (its test_install installs it and checks that the installed tree
# holds the public headers and no internal one), then `cmake --install` into a prefix.
set -u
src=$1 work=$2 cc=$3
rm -rf "$work"
pass=0 fail=0
step() { # step DESCRIPTION -- command...
  local what=$1; shift 2
  if out=$("$@" 2>&1); then
    echo "ok: $what"; pass=$((pass + 1))
  else
    echo "FAILED: $what"; echo "$out" | tail -30; fail=$((fail + 1))
  fi
}
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
step "configure secondstack/ alone" -- cmake -S "$src" -B "$work/build" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON
step "build" -- cmake --build "$work/build"
# its stress and fuzz labels (minutes) are .ci/run's, as they are left out of `make test`
step "its tests" -- ctest --test-dir "$work/build" -j2 --output-on-failure --timeout 300 -LE '^(stress|fuzz)$'
step "cmake --install" -- cmake --install "$work/build" --prefix "$work/prefix"
installed=$(cd "$work/prefix" && find . -type f -path './include/*' | sort | tr '\n' ' ')
step "installed headers: $installed" -- test "$installed" = "./include/secondstack/secondstack.h ./include/secondstack/ss_region.h "
# A shared library on request, with its SONAME (major.minor: before 1.0 a minor version
# may change the ABI).
step "configure with BUILD_SHARED_LIBS=ON" -- cmake -S "$src" -B "$work/shared" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
  -DBUILD_SHARED_LIBS=ON -DSECONDSTACK_BUILD_TESTS=OFF -DSECONDSTACK_BUILD_EXAMPLES=OFF
step "build the shared libraries" -- cmake --build "$work/shared"
version=$(sed -n 's/^#define SS_VERSION_\(MAJOR\|MINOR\) \([0-9]*\)$/\2/p' "$src/include/secondstack/secondstack.h" | paste -sd.)
step "SONAME libsecondstack.so.$version" -- \
  sh -c "objdump -p '$work/shared/libsecondstack.so' | grep -q 'SONAME *libsecondstack.so.$version\$'"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && rm -rf "$work"
[ $fail -eq 0 ]
