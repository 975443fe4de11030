#!/usr/bin/env python3
"""The fast path's assembly: ss_alloc adds no call, no branch and at most 3 instructions.

    asm_check.py --include DIR              passes when every check holds, for gcc and for
                                            clang (each where it is installed)
    asm_check.py --include DIR --noinline   builds with ss_alloc out of line and passes only
                                            if the check catches it (so the check can fail)

Compiles alloc_probe.c at -O2 (the level the benchmarks time first) and reads the functions
from `objdump -d -M intel`. Exit 77 (skipped) when objdump or every compiler is missing.
Self-contained: nothing outside this folder and the public headers.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FLAGS = ["-O2", "-std=c17"]
FUNCS = ["probe_alloc", "probe_add_vv", "probe_add_ref", "probe_loop"]
PADDING = re.compile(r"^(nop|xchg\s+ax,\s*ax|data16|cs nop|int3)")
BRANCH = re.compile(r"^(j[a-z]+|loop[a-z]*)\b")


def disassemble(cc, include, defines):
    """{function: [instruction, ...]} of alloc_probe.c compiled by cc, padding dropped; a
    relocation's target is appended to the instruction it belongs to (`call <ss_alloc>`)."""
    with tempfile.TemporaryDirectory() as d:
        obj = os.path.join(d, "probe.o")
        cmd = [cc, *FLAGS, *[f"-D{x}" for x in defines], f"-I{include}", "-c",
               os.path.join(HERE, "alloc_probe.c"), "-o", obj]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr}")
        r = subprocess.run(["objdump", "-d", "-r", "--no-show-raw-insn", "-M", "intel", obj],
                           capture_output=True, text=True, check=True)
    funcs, cur = {}, None
    for line in r.stdout.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
        elif cur is not None and (rel := re.match(r"^\s+[0-9a-f]+: R_X86_64_\S+\s+(\S+)", line)):
            if cur:
                cur[-1] += f" <{re.sub(r'[-+]0x[0-9a-f]+$', '', rel.group(1))}>"
        elif cur is not None and (m := re.match(r"^\s+[0-9a-f]+:\s+(.*)$", line)):
            insn = re.sub(r"\s+", " ", m.group(1).strip())
            if not PADDING.match(insn):
                cur.append(insn)
    return funcs


def metrics(insns):
    # a tail call is a jmp to a relocated (external) symbol
    calls = [i for i in insns if i.startswith("call") or (i.startswith("jmp") and i.count("<") >= 2)]
    return {"instructions": len(insns), "calls": calls,
            "branches": sum(1 for i in insns if BRANCH.match(i) and i not in calls), "asm": insns}


def check(cc, include, defines):
    dis = disassemble(cc, include, defines)
    missing = [f for f in FUNCS if f not in dis]
    if missing:
        raise RuntimeError(f"{cc}: {', '.join(missing)} not in the object")
    a, v, r, loop = (metrics(dis[f]) for f in FUNCS)
    bad = []
    # Alone: load, zero-extend, shift, subtract, store, ret.
    if a["calls"] or a["branches"] or a["instructions"] > 6:
        bad.append(f"probe_alloc: {a['instructions']} instructions, calls {a['calls']}, "
                   f"{a['branches']} branches (want <= 6, none, 0)")
    if v["calls"]:
        bad.append(f"probe_add_vv calls {v['calls']}")
    if v["branches"] != r["branches"]:
        bad.append(f"probe_add_vv has {v['branches']} branches, the work alone {r['branches']}")
    extra = v["instructions"] - r["instructions"]
    if extra > 3:
        bad.append(f"probe_add_vv has {extra} instructions beyond the work (want <= 3)")
    # In a loop the pointer stays in a register: one load before, one store after.
    touches = sum("QWORD PTR [rdi]" in i for i in loop["asm"])
    if loop["calls"] or touches > 2:
        bad.append(f"probe_loop: calls {loop['calls']}, {touches} loads/stores of the bump pointer "
                   f"(want none, <= 2)")
    print(f"{cc}: ss_alloc alone {a['instructions']} instructions; add_vv {v['instructions']} vs work "
          f"{r['instructions']} (+{extra}), calls {len(v['calls'])}, branches {v['branches']} vs "
          f"{r['branches']}; loop: {touches} accesses of the bump pointer, calls {len(loop['calls'])}")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--include", required=True, help="the folder holding secondstack.h")
    ap.add_argument("--noinline", action="store_true")
    args = ap.parse_args()
    compilers = [c for c in ("gcc", "clang") if shutil.which(c)]
    if not shutil.which("objdump") or not compilers:
        print("skipped: objdump (binutils) or a compiler (gcc, clang) is missing")
        return 77
    for c in ("gcc", "clang"):
        if c not in compilers:
            print(f"notice: {c} not found: checked with {', '.join(compilers)} only")
    defines = ["SS_NOINLINE_ALLOC"] if args.noinline else []
    failures = 0
    for cc in compilers:
        try:
            bad = check(cc, args.include, defines)
        except RuntimeError as e:
            print(e)
            failures += 1
            continue
        for b in bad:
            print(f"  {cc}: {b}")
        if args.noinline:
            # the out-of-line build must be caught, and caught for its call
            caught = any("calls" in b and "ss_alloc" in b for b in bad)
            print(f"  {cc}: noinline build {'caught' if caught else 'NOT caught'} by the check")
            failures += not caught
        else:
            failures += bool(bad)
    print(f"{len(compilers) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
