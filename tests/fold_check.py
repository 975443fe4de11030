#!/usr/bin/env python3
"""The seed's experiment: does `main` of "add two vectors, return the first element" fold
to a constant? Prints the whole matrix, asserts the cells known to be true here (gcc 12,
clang 14): gcc folds the seed's form (extern helpers) at -O3 but not at -O2, and the static
form at -O2; at -O3 gcc folds every form but malloc with extern helpers; clang folds every
form at -O2, malloc included (LLVM removes a malloc/free pair it sees through).

    fold_check.py SOURCE_DIR [--csv FILE]      the matrix, also as CSV (harness/evidence.py
                                               writes it as fold.csv in the run folder)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
import results  # noqa: E402
import ssasm  # noqa: E402

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


def fold_matrix(root, compilers=("gcc", "clang")):
    src = os.path.join(root, "tests", "asm", "seed_fold.c")
    rows = []
    for cc in compilers:
        for form in FORMS:
            for helpers in HELPERS:
                for level in LEVELS:
                    defines = [f"FORM_{form.upper()}"] + (["HELPER=static"] if helpers == "static" else [])
                    flags = [level] + ssasm.FLAGS[1:]
                    m = ssasm.function_metrics(cc, src, ["main"], flags=flags, defines=defines)["main"]
                    rows.append({"compiler": cc, "form": form, "helpers": helpers, "level": level,
                                 "folds": ssasm.folds_to_constant(m, 4), "instructions": m["instructions"],
                                 "calls": m["calls"], "call_targets": " ".join(m["call_targets"])})
    return rows


def write_csv(rows, path):
    """The matrix, one row per cell; folds as yes/no."""
    results.write_csv(path, FIELDS, ({**r, "folds": "yes" if r["folds"] else "no"} for r in rows))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else os.path.join(HERE, "..")
    rows = fold_matrix(root)
    if "--csv" in sys.argv:
        write_csv(rows, sys.argv[sys.argv.index("--csv") + 1])
    print(f"{'compiler':8} {'form':7} {'helpers':8} " + " ".join(f"{lv:>8}" for lv in LEVELS))
    for cc in ("gcc", "clang"):
        for form in FORMS:
            for helpers in HELPERS:
                cells = [r for r in rows if (r["compiler"], r["form"], r["helpers"]) == (cc, form, helpers)]
                print(f"{cc:8} {form:7} {helpers:8} " + " ".join(
                    f"{('yes' if r['folds'] else 'no') + '/' + str(r['instructions']):>8}" for r in cells))
    failed = 0
    for key, want in EXPECT.items():
        r = next(r for r in rows if (r["compiler"], r["form"], r["helpers"], r["level"]) == key)
        if r["folds"] != want:
            failed += 1
            print(f"expected {key} folds={want}, got folds={r['folds']} ({r['instructions']} instructions)")
    print(f"{len(EXPECT) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
