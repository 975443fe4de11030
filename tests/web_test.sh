#!/usr/bin/env bash
# web_test.sh node|browser|node-mutant ROOT OUT NATIVE OPT — the WebAssembly page's tests.
#   ROOT: the source tree; OUT: where `make web` puts the page (its build tree beside it,
#   OUT-build; incremental); NATIVE: the native runner, e.g. "build/release/ss-run physics";
#   OPT: the native build's level, which the wasm build takes too.
# Needs emscripten (and chromium for `browser`): missing ones are installed through
# harness/deps.sh (as root). Exit 77 (ctest: skipped), with a notice saying why, only when
# they are missing and cannot be installed; any other problem is a failure.
set -u
mode=$1 root=$2 out=$3 native=$4 opt=${5:--O2}

need=(emscripten)
[ "$mode" = browser ] && need+=(chromium)
missing() {
    command -v emcc >/dev/null || return 0
    command -v node >/dev/null || return 0
    [ "$mode" = browser ] && ! [ -x /usr/bin/chromium ] && return 0
    return 1
}
if missing; then
    echo "web: emcc, node or chromium missing; installing the Debian packages ${need[*]}"
    if ! "$root/harness/deps.sh" "${need[@]}"; then
        echo "web: SKIPPED: ${need[*]} cannot be installed here (see above); the WebAssembly page is not tested" >&2
        exit 77
    fi
    if missing; then
        echo "web: ${need[*]} installed, but emcc, node or /usr/bin/chromium is still missing" >&2
        exit 1
    fi
fi

# Debian's emcc runs its JS tools with the first node on PATH; its acorn is in /usr/share/nodejs.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
make -s -C "$root" web WEB_OUT="$out" WEB_BUILD="$out-build" SS_OPT="$opt" >/dev/null ||
    { echo "web: the emscripten build failed" >&2; exit 1; }

case $mode in
node) exec node "$root/tests/web_node.js" "$out/phys-node.js" "$native" ;;
node-mutant)
    # The native side one step further: every checksum comparison must fail, and only those.
    res=$(node "$root/tests/web_node.js" "$out/phys-node.js" "$native" --native-steps-offset 1)
    rc=$?
    printf '%s\n' "$res"
    if [ $rc -eq 1 ] && printf '%s\n' "$res" | grep -q '^FAIL .* wasm ' && ! printf '%s\n' "$res" | grep -q '^ok .* wasm ' &&
        [ "$(printf '%s\n' "$res" | grep -c '^FAIL')" -eq "$(printf '%s\n' "$res" | grep -c '^FAIL .* wasm ')" ]; then
        echo "web: the mutant is caught: every checksum comparison failed"
        exit 0
    fi
    echo "web: the mutant (native one step further) was not caught by every comparison" >&2
    exit 1 ;;
browser) exec python3 "$root/tests/web_browser.py" --web "$out" --native "$native" --out "$out" \
    --scene rain -n 1024 --steps 600 ;;
*) echo "web_test.sh: unknown mode '$mode' (node, node-mutant, browser)" >&2; exit 2 ;;
esac
