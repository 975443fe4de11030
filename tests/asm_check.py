#!/usr/bin/env python3
"""The assembly check: ss_alloc adds no call, no branch and at most 3 instructions.

    asm_check.py SOURCE_DIR                     passes when every check holds
    asm_check.py SOURCE_DIR --noinline          builds with ss_alloc out of line and passes
                                                only if the check catches it (so it can fail)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
import ssasm  # noqa: E402

COMPILERS = ["gcc", "clang"]


def check(cc, root, defines):
    src = os.path.join(root, "tests", "asm", "alloc_probe.c")
    m = ssasm.function_metrics(cc, src, ["probe_alloc", "probe_add_vv", "probe_add_ref", "probe_loop"],
                               defines=defines, includes=[os.path.join(root, "impl_bump")])
    bad = []
    a, v, r, loop = m["probe_alloc"], m["probe_add_vv"], m["probe_add_ref"], m["probe_loop"]
    # Alone: load, zero-extend, shift, subtract, store, ret.
    if a["calls"] or a["branches"] or a["instructions"] > 6:
        bad.append(f"probe_alloc: {a['instructions']} instructions, {a['calls']} calls, "
                   f"{a['branches']} branches (want <= 6, 0, 0)")
    if v["calls"]:
        bad.append(f"probe_add_vv calls {v['call_targets']}")
    if v["branches"] != r["branches"]:
        bad.append(f"probe_add_vv has {v['branches']} branches, the work alone {r['branches']}")
    extra = v["instructions"] - r["instructions"]
    if extra > 3:
        bad.append(f"probe_add_vv has {extra} instructions beyond the work (want <= 3)")
    # In a loop the pointer stays in a register: one load before, one store after.
    touches = sum("QWORD PTR [rdi]" in i for i in loop["asm"])
    if loop["calls"] or touches > 2:
        bad.append(f"probe_loop: {loop['calls']} calls, {touches} loads/stores of the bump pointer (want 0, <= 2)")
    print(f"{cc}: ss_alloc alone {a['instructions']} instructions; add_vv {v['instructions']} vs work "
          f"{r['instructions']} (+{extra}), calls {v['calls']}, branches {v['branches']} vs {r['branches']}; "
          f"loop: {touches} accesses of the bump pointer, calls {loop['calls']}")
    return bad


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..")
    noinline = "--noinline" in sys.argv
    defines = ["SS_NOINLINE_ALLOC"] if noinline else []
    failures = 0
    for cc in COMPILERS:
        try:
            bad = check(cc, root, defines)
        except ssasm.ToolError as e:
            print(f"{cc}: {e}")
            failures += 1
            continue
        for b in bad:
            print(f"  {cc}: {b}")
        if noinline:
            # the out-of-line build must be caught, and caught for its call
            caught = any("calls" in b and "ss_alloc" in b for b in bad)
            print(f"  {cc}: noinline build {'caught' if caught else 'NOT caught'} by the check")
            failures += not caught
        else:
            failures += bool(bad)
    n = len(COMPILERS)
    print(f"{n - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
