#!/usr/bin/env python3
"""rk4_vectorized — every element-wise loop of the tuned RK4 step is vectorized, by gcc and by
clang, at -O2 (and -O3).

    rk4_vectorized.py BUILD_DIR

Compiles impl_bump/rk4_tuned.c (bump_tuned) and impl_malloc/rk4_tuned.c (malloc_tuned) as
they are, so the step is seen in context: the step loop with everything it calls inlined, as
in the real build and in the evidence table's `@` rows. The flags are this build's
(BUILD_DIR/ss_build.json: codegen_flags) with -O2 and -O3. Fails if, in any function of the
object:
  - an innermost loop moves vector elements one at a time (v?(mov|add|sub|mul|div)ss with an
    operand in memory other than the stack or a constant): an element-wise loop left scalar,
    or unrolled into scalar statements;
  - the step calls memmove or memset (a rotation, shift or clear turned into a library call;
    memcpy is set_col's, into a column of the trajectory, which is not fresh);
  - gcc reports a lane loop as not vectorized (the inner loop of SS_LANES_FOR, the kernel
    pattern, where the loop over blocks around it is reported at the same place, and the
    lanes of a copy or a clear), or none vectorized, or none in the copy of the rotations and
    shifts (ss_lanes_copy: they would have become calls).
Prints what each compiler said (-fopt-info-vec, -Rpass=loop-vectorize|slp-vectorizer).

It then shows that the check can fail, on the reproducer of what breaks the pattern: a flat
loop over the padded length (a multiple of 8 lanes the compiler cannot see through), inside
an outer loop, is left scalar by gcc -O2, while the same loop written over blocks of 8 lanes
is vectorized. Self-contained: it reads the build's JSON and runs the compilers and objdump.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# A scalar single-precision instruction with an operand in memory that is neither the stack
# (a spilled h/2) nor a constant: an element of a vector, loaded or stored one at a time.
SCALAR = re.compile(r"^v?(mov|add|sub|mul|div|min|max|sqrt)ss\b.*PTR \[(?!rsp|rbp|rip)")
COPIES = ("memmove", "memset")
IMPLS = [("bump_tuned", "impl_bump/rk4_tuned.c", "rk4_run_bump_tuned"),
         ("malloc_tuned", "impl_malloc/rk4_tuned.c", "rk4_run_malloc_tuned")]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {name}" + (f"\n    {detail}" if detail else ""))


def compile_c(cc, src, obj, flags, includes, report):
    cmd = [cc, "-std=c17", *flags, "-c", src, "-o", obj] + [f"-I{i}" for i in includes]
    if cc == "gcc":
        cmd.append(f"-fopt-info-vec-all={report}")
    else:
        cmd += ["-Rpass=loop-vectorize|slp-vectorizer", "-Rpass-missed=loop-vectorize"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr}")
    if cc != "gcc":
        with open(report, "w") as f:
            f.write(r.stderr)
    with open(report) as f:
        return f.read()


def functions(obj):
    """{function: [(address, instruction), ...]}, relocation targets appended (`call <memcpy>`)."""
    out = subprocess.run(["objdump", "-d", "-r", "--no-show-raw-insn", "-M", "intel", obj],
                         capture_output=True, text=True, check=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) <([^>]+)>:$", line)
        if m:
            cur = funcs.setdefault(m.group(2), [])
            continue
        if cur is None:
            continue
        rel = re.match(r"^\s+[0-9a-f]+: R_X86_64_\S+\s+(\S+)", line)
        if rel and cur:
            a, t = cur[-1]
            cur[-1] = (a, f"{t} <{re.sub(r'[-+]0x[0-9a-f]+$', '', rel.group(1))}>")
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)$", line)
        if m:
            cur.append((int(m.group(1), 16), re.sub(r"\s+", " ", m.group(2).strip())))
    return funcs


def innermost_loops(insns):
    """[(start, end)] of the backward jumps that enclose no other backward jump."""
    loops = []
    for addr, text in insns:
        m = re.match(r"^j[a-z]+ ([0-9a-f]+) <", text)
        if m and int(m.group(1), 16) <= addr:
            loops.append((int(m.group(1), 16), addr))
    return [lp for lp in loops if not any(o != lp and lp[0] <= o[0] and o[1] <= lp[1] for o in loops)]


def scalar_loops(funcs):
    """[(function, first scalar instructions)] of innermost loops that do scalar float work."""
    bad = []
    for name, insns in funcs.items():
        for lo, hi in innermost_loops(insns):
            scalar = [t for a, t in insns if lo <= a <= hi and SCALAR.match(t)]
            if scalar:
                bad.append((name, scalar[:3]))
    return bad


def library_calls(funcs, allowed_in):
    return [(name, t) for name, insns in funcs.items() if name not in allowed_in
            for _, t in insns if any(f"<{c}>" in t or f"<{c}@" in t for c in COPIES)]


def source_line(root, loc):
    """The text of file:line (a path ending as the remark names it)."""
    f, line = loc
    for cand in (f, os.path.join(root, f)):
        if os.path.exists(cand):
            with open(cand) as fh:
                lines = fh.read().splitlines()
            return lines[line - 1] if 0 < line <= len(lines) else ""
    return ""


def is_lane_loop(text):
    return re.search(r"for \((size_t|unsigned) j = 0; j < (SS_)?LANES; j\+\+\)", text) is not None


def is_lanes_for(text):
    return re.search(r"\b(SS_)?LANES_FOR\(", text) is not None


def lane_loop_ok(text, statuses):
    """An explicit lane loop: every report says vectorized. SS_LANES_FOR: each expansion is
    a vectorized lane loop and the loop over blocks around it, reported at the same place."""
    vec = statuses.count("vectorized")
    if is_lanes_for(text):
        return vec > 0 and vec >= statuses.count("missed")
    return vec > 0 and "missed" not in statuses


def gcc_loops(report):
    """{(file, line): [statuses]} of gcc's loop remarks: vectorized or missed. A loop that gcc
    unrolled completely first (-O3 does so with the 8 lanes of a block) is vectorized if its
    statements are: "basic block part vectorized" at its line."""
    loops = {}
    for m in re.finditer(r"^(\S+?):(\d+):\d+: (optimized|missed): (loop vectorized|couldn't vectorize loop|"
                         r"basic block part vectorized)", report, re.M):
        loops.setdefault((m.group(1), int(m.group(2))), []).append(
            "vectorized" if m.group(3) == "optimized" else "missed")
    return loops


def summary(cc, report):
    if cc == "gcc":
        return (f"{report.count('optimized: loop vectorized')} loops vectorized, "
                f"{report.count(': missed: couldn' + chr(39) + 't vectorize loop')} not (the loops over blocks)")
    return (f"{len(re.findall(r'remark: vectorized loop', report))} loops vectorized, "
            f"{len(re.findall(r'remark: .*SLP vectorized', report))} SLP groups, "
            f"{len(re.findall(r'remark: loop not vectorized', report))} loops not (over blocks of copies)")


def check_tuned(root, flags, includes_for, work):
    for cc in ("gcc", "clang"):
        for level in ("-O2", "-O3"):
            for impl, src, entry in IMPLS:
                path = os.path.join(root, src)
                obj = os.path.join(work, f"{impl}-{cc}{level}.o")
                report = compile_c(cc, path, obj, [level, *flags], includes_for(path), obj + ".txt")
                funcs = functions(obj)
                where = f"{impl}, {cc} {level}"
                bad = scalar_loops(funcs)
                check(f"{where}: no innermost loop does scalar float work", not bad, bad[:4])
                calls = library_calls(funcs, {entry})
                check(f"{where}: the step calls no memmove or memset", not calls, calls[:4])
                if cc == "gcc":
                    loops = gcc_loops(report)
                    lanes = {loc: st for loc, st in loops.items()
                             if is_lane_loop(source_line(root, loc)) or is_lanes_for(source_line(root, loc))}
                    missed = [loc for loc, st in lanes.items() if not lane_loop_ok(source_line(root, loc), st)]
                    check(f"{where}: gcc vectorizes every lane loop", lanes and not missed,
                          f"lane loops {len(lanes)}, not vectorized at {missed[:4]}")
                    copies = [loc for loc in lanes if "to[k" in source_line(root, loc)]
                    check(f"{where}: the rotations' and shifts' copies are vectorized loops", copies,
                          "no lane loop of the block copy in gcc's report")
                n = sum(len(innermost_loops(i)) for i in funcs.values())
                print(f"{where}: {n} innermost loops, none scalar; {summary(cc, report)}")


REPRODUCER = r"""
#include <stddef.h>
/* A padded length: a multiple of 8, so no remainder is ever needed, but the compiler cannot
   see that through the division. */
static inline size_t padded(size_t n) { return (n + 7) / 8 * 8; }

static inline void add_flat(float *restrict r, const float *a, const float *b, size_t n) {
    for (size_t i = 0; i < padded(n); i++) r[i] = a[i] + b[i];
}

static inline void add_blocks(float *restrict r, const float *a, const float *b, size_t n) {
    for (size_t k = 0; k < padded(n) / 8; k++)
        for (size_t j = 0; j < 8; j++) r[8 * k + j] = a[8 * k + j] + b[8 * k + j];
}

void steps_flat(float *x, float *y, const float *c, size_t n, unsigned steps) {
    for (unsigned s = 0; s < steps; s++) add_flat(s & 1 ? x : y, s & 1 ? y : x, c, n);
}

void steps_blocks(float *x, float *y, const float *c, size_t n, unsigned steps) {
    for (unsigned s = 0; s < steps; s++) add_blocks(s & 1 ? x : y, s & 1 ? y : x, c, n);
}
"""


def check_reproducer(flags, work):
    src = os.path.join(work, "flat_in_outer_loop.c")
    with open(src, "w") as f:
        f.write(REPRODUCER)
    obj = os.path.join(work, "flat.o")
    report = compile_c("gcc", src, obj, ["-O2", *flags], [], obj + ".txt")
    funcs = functions(obj)
    flat = [b for b in scalar_loops(funcs) if b[0] == "steps_flat"]
    blocks = [b for b in scalar_loops(funcs) if b[0] == "steps_blocks"]
    check("reproducer: gcc -O2 leaves the flat padded loop in an outer loop scalar (the check catches it)",
          bool(flat), "steps_flat has no scalar innermost loop: gcc now vectorizes it")
    check("reproducer: the same loop over blocks of 8 lanes is vectorized", not blocks, blocks)
    said = sorted(set(re.findall(r"flat_in_outer_loop\.c:(\d+):\d+: (missed: couldn't vectorize loop|"
                                 r"optimized: loop vectorized[^\n]*)", report)))
    print(f"reproducer, gcc -O2: steps_flat {'scalar' if flat else 'vectorized'}, steps_blocks "
          f"{'scalar' if blocks else 'vectorized'}; gcc says: {said}")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = os.path.abspath(sys.argv[1])
    try:
        with open(os.path.join(build, "ss_build.json")) as f:
            info = json.load(f)
    except OSError as e:
        print(f"rk4_vectorized: cannot read {build}/ss_build.json: {e}", file=sys.stderr)
        return 2
    root = info["source_dir"]
    flags = info["codegen_flags"]

    def includes_for(path):
        return [os.path.dirname(path), os.path.join(root, "secondstack", "include", "secondstack"),
                os.path.join(root, "workloads"), os.path.join(build, "workloads")]

    with tempfile.TemporaryDirectory() as work:
        try:
            check_tuned(root, flags, includes_for, work)
            check_reproducer(flags, work)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            check("the compilers and objdump ran", False, e)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
