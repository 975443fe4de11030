#!/usr/bin/env bash
# physics_dump.sh RUNNER... — the dump formats of `ss-run physics --dump` (harness/run_physics.c):
# binary: magic, header fields, radii and frames of the documented sizes; CSV: the comment,
# the column header and one row per body per frame. A run over a dump that cannot be written
# loses nothing it wrote before and exits 2.
set -u
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass + 1)); echo "ok: $1"; else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
n=16 steps=10 every=5
"$@" --impl bump --scene rain -n $n --steps $steps --every $every --dump "$t/d.bin" --quiet
frames=$((1 + steps / every))
size=$((52 + 4 * n + frames * (4 + 8 * n)))
ok "binary dump is $size bytes" '[ "$(stat -c %s "$t/d.bin")" -eq $size ]'
ok "binary dump starts with the magic" '[ "$(head -c 8 "$t/d.bin")" = "SSPHYS1" ]'
u32() { od -An -t u4 -j "$2" -N 4 "$1" | tr -d " "; }
ok "header: version 1, n, frames, every" '[ "$(u32 "$t/d.bin" 8) $(u32 "$t/d.bin" 12) $(u32 "$t/d.bin" 16) $(u32 "$t/d.bin" 20)" = "1 $n $frames $every" ]'
ok "header: scene name" '[ "$(dd if="$t/d.bin" bs=1 skip=36 count=4 2>/dev/null)" = rain ]'
ok "last frame is step $steps" '[ "$(u32 "$t/d.bin" $((52 + 4 * n + (frames - 1) * (4 + 8 * n))))" -eq $steps ]'
"$@" --impl malloc --scene cloth -n $n --steps $steps --every $every --dump "$t/d.csv" --quiet
ok "csv: comment, header and $((frames * n)) rows" '[ "$(wc -l <"$t/d.csv")" -eq $((2 + frames * n)) ]'
ok "csv: column header" '[ "$(sed -n 2p "$t/d.csv")" = "step,body,x,y,r" ]'
ok "csv: the comment names the scene" 'head -1 "$t/d.csv" | grep -q "^# scene=cloth impl=malloc n=16"'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
