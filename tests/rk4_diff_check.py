#!/usr/bin/env python3
"""rk4_diff_check — the parallel implementations differ only in their memory strategy.

    rk4_diff_check.py MAX_LINES FILE_A FILE_B

Passes if the two files define the same functions (same names, same order) and a line diff
between them has at most MAX_LINES changed lines (removed + added). The budget is what the
memory strategy costs today (naming every temporary to free it, the allocator argument);
a change that makes the files drift apart structurally exceeds it.
"""
import difflib
import re
import sys

DEF = re.compile(r"^(?:[A-Za-z_][\w\s\*\(\)]*?)\b([A-Za-z_]\w*)\s*\([^;]*$")


def functions(lines):
    names = []
    for ln in lines:
        if ln.startswith((" ", "\t", "#", "/", "*", "}", "{")) or not ln.strip():
            continue
        m = DEF.match(re.sub(r"__attribute__\(\(.*?\)\)\s*", "", ln))
        if m and not ln.lstrip().startswith(("typedef", "return")):
            names.append(m.group(1))
    return names


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    budget, fa, fb = int(argv[0]), argv[1], argv[2]
    a, b = open(fa).read().splitlines(), open(fb).read().splitlines()
    changed = sum(1 for d in difflib.unified_diff(a, b, lineterm="", n=0)
                  if d[:1] in "+-" and not d.startswith(("+++", "---")))
    fa_names, fb_names = functions(a), functions(b)
    ok = True
    print(f"{fa}: functions {fa_names}")
    print(f"{fb}: functions {fb_names}")
    if fa_names != fb_names:
        print("FAILED: the files do not define the same functions in the same order")
        ok = False
    print(f"changed lines: {changed} (budget {budget})")
    if changed > budget:
        print("FAILED: the diff is larger than the memory strategy explains")
        ok = False
    print(f"{int(ok)} passed, {int(not ok)} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
