#!/usr/bin/env bash
# cli_help.sh SOURCE FLAGS -- PROGRAM... — a C program's --help and --version (harness/ss_cli.c):
# --help on stdout alone, exit 0, its exit statuses listed; --version exits 0 and names the
# suite's version and FLAGS, the build's flags as CMake defines them; and the options --help
# lists are those the top-of-file comment of SOURCE documents, no more, no fewer.
set -u
src=$1 flags=$2
shift 3
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass + 1)); echo "ok: $1"; else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

"$@" --help >"$t/help" 2>"$t/err"
rc=$?
ok "--help exits 0" '[ $rc -eq 0 ]'
ok "--help writes to stdout only" '[ -s "$t/help" ] && [ ! -s "$t/err" ]'
ok "--help starts with the usage" 'head -1 "$t/help" | grep -q "^usage: "'
ok "--help lists the exit statuses" 'grep -q "^exit status: 0 .*2 bad input" "$t/help"'

"$@" --version >"$t/version" 2>"$t/err"
rc=$?
ok "--version exits 0" '[ $rc -eq 0 ] && [ ! -s "$t/err" ]'
ok "--version names the version" 'head -1 "$t/version" | grep -Eq " [0-9]+\.[0-9]+\.[0-9]+$"'
ok "--version names the build's flags ($flags)" 'grep -Fqx "flags: $flags" "$t/version"'

# Options are words that start with - or -- after a space or punctuation (not x86-64 or
# fault-driven); the top-of-file comment ends at the first */.
options() { grep -oE '(^|[^A-Za-z0-9_-])--?[a-z][a-z0-9-]*' | sed -E 's/^[^-]*//' | sort -u; }
options <"$t/help" >"$t/in_help"
sed -n '1,/\*\//p' "$src" | options >"$t/in_comment"
ok "the top comment of $(basename "$src") documents the options --help lists" \
   'diff "$t/in_help" "$t/in_comment" >"$t/diff"'
[ -s "$t/diff" ] && { echo "  (< in --help only, > in the comment only)"; sed 's/^/  /' "$t/diff"; }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
