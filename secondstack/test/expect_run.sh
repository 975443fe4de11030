#!/usr/bin/env bash
# expect_run.sh STATUS REGEX -- COMMAND...
# Runs COMMAND; passes only if it exits with STATUS ("nonzero" for any non-zero status)
# and its output (stdout and stderr) matches the extended regular expression REGEX.
set -u
want=$1 re=$2
shift 3
out=$("$@" 2>&1)
got=$?
ok=1
if [ "$want" = nonzero ]; then [ "$got" -ne 0 ] || ok=0; else [ "$got" -eq "$want" ] || ok=0; fi
printf '%s\n' "$out" | grep -Eq -- "$re" || ok=0
if [ $ok -eq 1 ]; then
  echo "expected: exit $want and /$re/: got exit $got"
  echo "1 passed, 0 failed"
  exit 0
fi
printf '%s\n' "$out" | tail -40
echo "expect_run: wanted exit $want and output matching /$re/, got exit $got: $*"
echo "0 passed, 1 failed"
exit 1
