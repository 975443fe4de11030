#!/usr/bin/env python3
"""The fast path's assembly: ss_alloc adds no call, no branch and at most 3 instructions;
ss_new's request check costs nothing with a constant count and one compare-and-branch to a
cold call with a run-time count; under SS_CHECKED ss_alloc is exactly one compare and one
branch more, to the out-of-line refill.

    asm_check.py --include DIR              passes when every check holds, for gcc and for
                                            clang (each where it is installed)
    asm_check.py --include DIR --noinline   builds with ss_alloc out of line and passes only
                                            if the check catches it (so the check can fail)
    asm_check.py --include DIR --unchecked  builds the checked probe without SS_CHECKED and
                                            passes only if the check catches it

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
FLAGS = ["-O2", "-std=c17", "-Werror=implicit-function-declaration"]
FUNCS = ["probe_alloc", "probe_add_vv", "probe_add_ref", "probe_loop"]
NEW_FUNCS = ["probe_new_const", "probe_new_const_ref", "probe_new_var", "probe_new_var_ref"]
# the refusal ss_new jumps to: by name, or by its section where the relocation names only that
COLD_TARGET = re.compile(r"<(ss__request_refused[^>]*|\.text\.unlikely[^>]*)>")
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


def split_hot(insns):
    """The instructions up to the first ret (the path both compilers lay out first) and the rest."""
    for i, insn in enumerate(insns):
        if insn.startswith("ret"):
            return insns[:i + 1], insns[i + 1:]
    return insns, []


def check_new(cc, dis):
    """ss_new: with a constant count, exactly the bump alone; with a run-time count, the bump
    plus one cmp and one conditional branch on the hot path, the call to the refusal cold."""
    missing = [f for f in NEW_FUNCS if f not in dis]
    if missing:
        raise RuntimeError(f"{cc}: {', '.join(missing)} not in the object")
    const, const_ref, var, var_ref = (dis[f] for f in NEW_FUNCS)
    bad = []
    c, cr = metrics(const), metrics(const_ref)
    if c["calls"] or c["branches"] or c["instructions"] != cr["instructions"]:
        bad.append(f"probe_new_const: {c['instructions']} instructions (the bump alone {cr['instructions']}), "
                   f"calls {c['calls']}, {c['branches']} branches (want the same, none, 0)")
    hot, cold = split_hot(var)
    cold = cold + dis.get("probe_new_var.cold", [])
    ref_hot, _ = split_hot(var_ref)
    h = metrics(hot)
    extra = len(hot) - len(ref_hot)
    branches = [i for i, insn in enumerate(hot) if BRANCH.match(insn)]
    cmp_branch = len(branches) == 1 and branches[0] > 0 and hot[branches[0] - 1].startswith("cmp")
    refusal = [i for i in cold if (i.startswith("call") or i.startswith("jmp")) and COLD_TARGET.search(i)]
    if h["calls"] or extra != 2 or not cmp_branch or not refusal:
        bad.append(f"probe_new_var: hot path {len(hot)} instructions vs the bump alone {len(ref_hot)} (+{extra}, "
                   f"want +2: cmp, branch), calls {h['calls']}, compare-and-branch {cmp_branch}, "
                   f"cold refusal {refusal or 'missing'}; asm {var + dis.get('probe_new_var.cold', [])}")
    print(f"{cc}: ss_new, constant count: {c['instructions']} instructions (the bump alone "
          f"{cr['instructions']}), {c['branches']} branches; run-time count: +{extra} on the hot path "
          f"({', '.join(hot[b - 1] + ' / ' + hot[b] for b in branches[:1])}), refusal cold: "
          f"{refusal[0] if refusal else 'none'}")
    return bad


def check_checked(cc, include, plain, checked_defines):
    """probe_alloc under SS_CHECKED against the plain one: its hot path has exactly one `cmp`
    and one conditional jump more, and the refill is reached from the function (gcc moves the
    cold path into probe_alloc.cold)."""
    dis = disassemble(cc, include, checked_defines)
    insns = dis.get("probe_alloc", []) + dis.get("probe_alloc.cold", [])
    hot, _ = split_hot(dis.get("probe_alloc", []))
    mnem = lambda x: x.split(" ", 1)[0]
    extra = [mnem(i) for i in hot]
    for i in plain:
        if mnem(i) in extra:
            extra.remove(mnem(i))
    bad = []
    one_cmp_one_jcc = len(extra) == 2 and "cmp" in extra and any(BRANCH.match(e) for e in extra)
    if len(hot) != len(plain) + 2 or not one_cmp_one_jcc:
        bad.append(f"probe_alloc (SS_CHECKED): hot path {len(hot)} instructions against {len(plain)} plain, "
                   f"extra {extra} (want exactly one cmp and one conditional jump): {hot}")
    if not any("ss__checked_refill" in i for i in insns):
        bad.append("probe_alloc (SS_CHECKED): no path to ss__checked_refill")
    print(f"{cc}: SS_CHECKED ss_alloc hot path {len(hot)} instructions (plain {len(plain)}), extra {extra}")
    return bad


def check(cc, include, defines, checked_defines=("SS_CHECKED",)):
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
    bad += check_new(cc, dis)
    if checked_defines is not None:
        bad += check_checked(cc, include, a["asm"], checked_defines)
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--include", required=True, help="the folder holding secondstack.h")
    ap.add_argument("--noinline", action="store_true")
    ap.add_argument("--unchecked", action="store_true")
    args = ap.parse_args()
    compilers = [c for c in ("gcc", "clang") if shutil.which(c)]
    if not shutil.which("objdump") or not compilers:
        print("skipped: objdump (binutils) or a compiler (gcc, clang) is missing")
        return 77
    for c in ("gcc", "clang"):
        if c not in compilers:
            print(f"notice: {c} not found: checked with {', '.join(compilers)} only")
    defines = ["SS_NOINLINE_ALLOC"] if args.noinline else []
    # --noinline: only the inline check is asked to fail; --unchecked: only the checked one
    checked = None if args.noinline else ([] if args.unchecked else ["SS_CHECKED"])
    failures = 0
    for cc in compilers:
        try:
            bad = check(cc, args.include, defines, checked)
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
        elif args.unchecked:
            caught = any("SS_CHECKED" in b for b in bad)
            print(f"  {cc}: build without SS_CHECKED {'caught' if caught else 'NOT caught'} by the checked check")
            failures += not caught
        else:
            failures += bool(bad)
    print(f"{len(compilers) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
