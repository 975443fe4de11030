"""The seed's experiment: does `main` of "add two vectors, return the first element"
(harness/seed_fold.c) fold to a constant? Compiled over compilers x levels x forms x helpers
with the build's flags at each level. EXPECT holds the cells known to be true here (gcc 12,
clang 14): gcc folds the seed's form (extern helpers) at -O3 but not at -O2, and the static
form at -O2; at -O3 gcc folds every form but malloc with extern helpers; clang folds every
form at -O2, malloc included (LLVM removes a malloc/free pair it sees through).

    python3 -m evidence.fold [--build DIR] [--root DIR] [--out DIR]

prints the matrix and checks EXPECT (exit 1 when a cell differs); --out also writes
DIR/fold.csv.
"""
import argparse
import os
import re
import sys
import tempfile

from evidence import args as A
from evidence.asm import metrics, real
from evidence.compile import compile_object
from evidence.errors import ToolError
from evidence.objdump import disassemble
from ssbench.results import write_csv

LEVELS = ["-O0", "-O1", "-O2", "-O3", "-Os"]
FORMS = ["bump", "malloc", "stack"]
HELPERS = ["extern", "static"]
EXPECT = {  # (compiler, form, helpers, level) -> folds
    ("gcc", "bump", "extern", "-O3"): True,
    ("gcc", "bump", "extern", "-O2"): False,
    ("gcc", "bump", "static", "-O2"): True,
    ("clang", "bump", "extern", "-O2"): True,
    # the rest of gcc's -O3 column and clang's -O2 column
    ("gcc", "bump", "static", "-O3"): True,
    ("gcc", "malloc", "extern", "-O3"): False,
    ("gcc", "malloc", "static", "-O3"): True,
    ("gcc", "stack", "extern", "-O3"): True,
    ("gcc", "stack", "static", "-O3"): True,
    ("clang", "bump", "static", "-O2"): True,
    ("clang", "malloc", "extern", "-O2"): True,
    ("clang", "malloc", "static", "-O2"): True,
    ("clang", "stack", "extern", "-O2"): True,
    ("clang", "stack", "static", "-O2"): True,
}
FIELDS = ["compiler", "form", "helpers", "level", "folds", "instructions", "calls", "call_targets"]


def source(root):
    return os.path.join(root, "harness", "seed_fold.c")


def folds_to_constant(m, value):
    """main folded: no call, `mov eax, value` and `ret` and nothing else."""
    return m["calls"] == 0 and m["instructions"] <= 2 and any(
        re.match(rf"mov eax,{value:#x}$", i) for i in m["asm"])


def main_metrics(cc, build, src, level, defines):
    with tempfile.TemporaryDirectory() as d:
        obj = os.path.join(d, "probe.o")
        compile_object(cc, build, src, level, obj, defines)
        dis = disassemble(obj)
    if "main" not in dis:
        raise ToolError(f"main not found in {src} compiled by {cc} {' '.join(build.flags_at(level))}")
    return dict(metrics(dis["main"]), asm=real(dis["main"]))


def matrix(build, root, compilers=("gcc", "clang")):
    """One row per cell: compiler, form, helpers, level, folds (bool), the metrics of main."""
    src = source(root)
    rows = []
    for cc in compilers:
        for form in FORMS:
            for helpers in HELPERS:
                for level in LEVELS:
                    defines = [f"FORM_{form.upper()}"] + (["HELPER=static"] if helpers == "static" else [])
                    m = main_metrics(cc, build, src, level, defines)
                    rows.append({"compiler": cc, "form": form, "helpers": helpers, "level": level,
                                 "folds": folds_to_constant(m, 4), "instructions": m["instructions"],
                                 "calls": m["calls"], "call_targets": " ".join(m["call_targets"])})
    return rows


def write(outdir, rows):
    """outdir/fold.csv: the matrix, one row per cell; folds as yes/no."""
    write_csv(os.path.join(outdir, "fold.csv"), FIELDS,
              ({**r, "folds": "yes" if r["folds"] else "no"} for r in rows))


def report(rows):
    """(text, failed): the matrix (folds/instructions per level) and the check of EXPECT,
    as printed and kept in a run folder's fold.txt."""
    out = [f"{'compiler':8} {'form':7} {'helpers':8} " + " ".join(f"{lv:>8}" for lv in LEVELS)]
    for cc in dict.fromkeys(r["compiler"] for r in rows):
        for form in FORMS:
            for helpers in HELPERS:
                cells = [r for r in rows if (r["compiler"], r["form"], r["helpers"]) == (cc, form, helpers)]
                out.append(f"{cc:8} {form:7} {helpers:8} " + " ".join(
                    f"{('yes' if r['folds'] else 'no') + '/' + str(r['instructions']):>8}" for r in cells))
    failed = 0
    cell = {(r["compiler"], r["form"], r["helpers"], r["level"]): r for r in rows}
    expect = {k: v for k, v in EXPECT.items() if k in cell}
    for key, want in expect.items():
        r = cell[key]
        if r["folds"] != want:
            failed += 1
            out.append(f"expected {key} folds={want}, got folds={r['folds']} ({r['instructions']} instructions)")
    out.append(f"{len(expect) - failed} passed, {failed} failed")
    return "\n".join(out) + "\n", failed


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m evidence.fold", description=__doc__.split("\n\n")[0])
    A.add_build(ap)
    ap.add_argument("--out", help="also write OUT/fold.csv")
    a = ap.parse_args(argv)
    build, root = A.open_build(a, "evidence.fold")
    try:
        rows = matrix(build, root)
    except ToolError as e:
        print(f"evidence.fold: {e}", file=sys.stderr)
        return 1
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        write(a.out, rows)
    text, failed = report(rows)
    print(text, end="")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
