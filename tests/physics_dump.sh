#!/usr/bin/env bash
# physics_dump.sh RUNNER... — the dump formats of `ss-run physics --dump` (harness/run_physics.c):
# binary: magic, header fields, radii and frames of the documented sizes; CSV: the comment,
# the column header and one row per body per frame. A dump never destroys a file: an existing
# one is refused unless --force, a symbolic link is never followed. A run whose dump cannot be
# written stops, exits 2 without a result line, and loses nothing it wrote before.
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

# Refused: an existing file (kept as it was), a symbolic link with or without --force (its
# target untouched), a dangling one (nothing created). --force replaces a file.
run() { out=$("$@" 2>&1); rc=$?; }
echo keep >"$t/old.bin"
run "$@" --impl bump --scene rain -n $n --steps 1 --dump "$t/old.bin"
ok "an existing file is refused: exit 2" '[ $rc -eq 2 ]'
ok "... naming it" 'printf "%s" "$out" | grep -q "old.bin. exists: not replaced without --force"'
ok "... and keeping it" '[ "$(cat "$t/old.bin")" = keep ]'
echo target >"$t/target"
ln -s "$t/target" "$t/link.bin"
for force in "" --force; do
  run "$@" --impl bump --scene rain -n $n --steps 1 --dump "$t/link.bin" $force
  ok "a symbolic link is not followed ${force:+with }${force:-without --force}: exit 2" '[ $rc -eq 2 ]'
  ok "... naming it" 'printf "%s" "$out" | grep -q "link.bin. is a symbolic link: not followed"'
  ok "... its target untouched" '[ "$(cat "$t/target")" = target ]'
done
ln -s "$t/nowhere" "$t/dangling.bin"
run "$@" --impl bump --scene rain -n $n --steps 1 --dump "$t/dangling.bin"
ok "a dangling symbolic link: exit 2, nothing created" '[ $rc -eq 2 ] && [ ! -e "$t/nowhere" ]'
run "$@" --impl bump --scene rain -n $n --steps $steps --every $every --dump "$t/old.bin" --force --quiet
ok "--force replaces a file" '[ $rc -eq 0 ] && [ "$(stat -c %s "$t/old.bin")" -eq $size ]'

# A write error: exit 2, the file and the error named, no result line and no checksum.
run "$@" --impl bump --scene rain -n $n --steps $steps --dump /dev/full --force --checksum
ok "a write error (/dev/full): exit 2" '[ $rc -eq 2 ]'
ok "... naming the file and the error" 'printf "%s" "$out" | grep -q "writing ./dev/full. failed: No space left on device"'
ok "... and no result" '! printf "%s" "$out" | grep -Eq "^(physics|checksum) "'
# Mid-run (a file size limit of 8 KiB; SIGXFSZ ignored, so the write fails with EFBIG): the run
# stops, and the 8 KiB written before stay.
out=$(trap '' XFSZ; ulimit -f 8; "$@" --impl bump --scene rain -n 64 --steps 1000 --dump "$t/big.bin" 2>&1)
rc=$?
ok "a write error mid-run: exit 2" '[ $rc -eq 2 ]'
ok "... naming the error" 'printf "%s" "$out" | grep -q "big.bin. failed: File too large"'
ok "... and no result" '! printf "%s" "$out" | grep -q "^physics "'
ok "... what was written stays" '[ "$(stat -c %s "$t/big.bin")" -eq 8192 ] && [ "$(head -c 8 "$t/big.bin")" = SSPHYS1 ]'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
