#!/usr/bin/env python3
"""rk4_calls_check — which functions of compiled RK4 code call what.

    rk4_calls_check.py [--expect-calls] LIBRARY_OR_OBJECT...

Disassembles every function (harness/evidence/objdump.py) and lists the calls to malloc, calloc,
realloc, free or any ss_ function. Without --expect-calls (impl_stack): passes if there are
none. With --expect-calls (the same check pointed at impl_malloc, to show it can fail):
passes if there are some. memcpy and indirect calls (dydt through a pointer) are allowed.
"""
import os
import re
import sys

from evidence.asm import metrics
from evidence.objdump import disassemble

FORBIDDEN = re.compile(r"^(malloc|calloc|realloc|free|ss_\w*)(@\w+)?$")


def main(argv):
    expect = "--expect-calls" in argv
    files = [a for a in argv if a != "--expect-calls"]
    if not files:
        print(__doc__)
        return 2
    bad, nfuncs = [], 0
    for f in files:
        for name, insns in disassemble(f).items():
            nfuncs += 1
            m = metrics(insns)
            hits = sorted({t for t in m["call_targets"] if FORBIDDEN.match(t)})
            print(f"{os.path.basename(f)}: {name}: {m['instructions']} instructions, calls: "
                  f"{', '.join(m['call_targets']) or 'none'}")
            if hits:
                bad.append((name, hits))
    if nfuncs == 0:
        print("no functions found: wrong file?")
        print("0 passed, 1 failed")
        return 1
    for name, hits in bad:
        print(f"{name} calls {', '.join(hits)}")
    ok = bool(bad) if expect else not bad
    want = "some calls to malloc/free/ss_" if expect else "no call to malloc/free or any ss_ function"
    print(f"{'ok' if ok else 'FAILED'}: wanted {want}; found {len(bad)} functions with such calls")
    print(f"{int(ok)} passed, {int(not ok)} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
