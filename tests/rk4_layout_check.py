#!/usr/bin/env python3
"""rk4_layout_check — the layout control is what it claims to be (harness/ssbench/claims.py).

    rk4_layout_check.py BENCH_RK4 BENCH_RK4_LAYOUT

bench_rk4_layout must time the same code as bench_rk4 in another place: rk4_run_bump has the
same size and the same instructions in both (addresses taken out), but another address, and
the RK4 entry points come in another order; bump is named aa_layout there and aa_control only
in bench_rk4. Pointed at one binary twice, the check fails.
"""
import re
import subprocess
import sys

from evidence.objdump import disassemble

FN = "rk4_run_bump"


def symbols(binary):
    """{name: (address, size)} of the global functions of binary (nm -S)."""
    out = {}
    r = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True)
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] == "T":
            out[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
    return out


def normalized(insns):
    """Instructions without what linking decides: branch and call targets' addresses, RIP
    offsets, objdump's address comments."""
    out = []
    for i in insns:
        i = re.sub(r"\s*#.*$", "", i)
        i = re.sub(r"\[rip\+0x[0-9a-f]+\]", "[rip+X]", i)
        i = re.sub(r"^((?:j\w+|call|jmp)\s+)[0-9a-f]+\s+<", r"\1<", i)
        out.append(i)
    return out


def entry_order(syms):
    """The RK4 entry points (rk4_run_*) in address order."""
    return [f for f, _ in sorted(syms.items(), key=lambda kv: kv[1][0]) if f.startswith("rk4_run_")]


def listed(binary):
    r = subprocess.run([binary, "--benchmark_list_tests"], capture_output=True, text=True, check=True)
    return r.stdout.split()


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    base, layout = argv
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(f"{'ok' if ok else 'FAILED'}: {what}")
        passed += ok
        failed += not ok

    sb, sl = symbols(base), symbols(layout)
    check(FN in sb and FN in sl, f"{FN} in both binaries")
    if FN in sb and FN in sl:
        check(sb[FN][1] == sl[FN][1], f"{FN}: the same size in both ({sb[FN][1]} and {sl[FN][1]} bytes)")
        db, dl = disassemble(base), disassemble(layout)
        check(normalized(db.get(FN, [])) == normalized(dl.get(FN, [1])),
              f"{FN}: the same instructions in both, addresses taken out ({len(db.get(FN, []))} instructions)")
        check(sb[FN][0] != sl[FN][0], f"{FN} at another address ({sb[FN][0]:#x} and {sl[FN][0]:#x}; "
                                      f"{sb[FN][0] % 64} and {sl[FN][0] % 64} bytes into a cache line)")
    ob, ol = entry_order(sb), entry_order(sl)
    check(ob and sorted(ob) == sorted(ol) and ob != ol,
          f"the RK4 entry points in another order: {' '.join(ob[:4])} ... against {' '.join(ol[:4])} ...")
    lb, ll = listed(base), listed(layout)
    name = "rk4/decay/{}/static/final/64"
    check(name.format("bump") in lb and name.format("aa_control") in lb, "bench_rk4 times bump and aa_control")
    check(name.format("aa_layout") in ll and name.format("bump") not in ll and name.format("aa_control") not in ll,
          "bench_rk4_layout times bump as aa_layout, and no aa_control")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
