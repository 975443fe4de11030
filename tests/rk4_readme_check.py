#!/usr/bin/env python3
"""rk4_readme_check — the README's RK4 example is the real impl_bump/rk4.c.

    rk4_readme_check.py README.md impl_bump/rk4.c

Takes the README's first C block that defines rk4_steps; every line of it that is code (not
a comment on its own) must occur in rk4.c, in the same order (whitespace aside).
"""
import re
import sys


def norm(line):
    return re.sub(r"\s+", " ", line.strip())


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    readme, src = open(argv[0]).read(), open(argv[1]).read()
    blocks = [b for b in re.findall(r"```c\n(.*?)```", readme, re.S) if "rk4_steps(" in b]
    if not blocks:
        print("FAILED: no C block defining rk4_steps in the README")
        print("0 passed, 1 failed")
        return 1
    code = [norm(l) for l in src.splitlines()]
    pos, missing, checked = 0, [], 0
    for line in blocks[0].splitlines():
        l = norm(line)
        if not l or l.startswith("/*"):
            continue
        checked += 1
        try:
            pos = code.index(l, pos) + 1
        except ValueError:
            missing.append(line)
    for m in missing:
        print(f"README line not in {argv[1]} (or out of order): {m.strip()}")
    ok = not missing
    print(f"{checked} lines checked, {len(missing)} missing")
    print(f"{int(ok)} passed, {int(not ok)} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
