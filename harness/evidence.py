#!/usr/bin/env python3
"""evidence — the compiler evidence of one run, written into its run folder.

    evidence.py OUTDIR [--root DIR] [--table FILE] [--opts=-O2[,-O3]] [--compilers gcc,clang]
                       [--skip vec,asm,fold,ergonomics]

Writes into OUTDIR (created if needed; files of the same name are replaced):
  vectorization.csv, vectorization_loops.csv, vecreport/   harness/vecreport.py
  asm.csv, asm/                                            harness/asmreport.py
  fold.csv                                                 tests/fold_check.py (the seed's experiment)
  ergonomics.csv                                           harness/ergonomics.py
  evidence.txt                                             what ran, what was skipped and why
Exit status: 0 when everything was written, 1 when a tool failed or a function named in the
table was not found (what was finished stays on disk), 2 on bad arguments.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import asmreport  # noqa: E402
import ergonomics  # noqa: E402
import ssasm  # noqa: E402
import vecreport  # noqa: E402

PARTS = ["vec", "asm", "fold", "ergonomics"]


def run(outdir, root, table, opts=("-O2",), compilers=("gcc", "clang"), skip=(), log=print):
    os.makedirs(outdir, exist_ok=True)
    notes, failed = [], False

    def notice(m):
        notes.append(m)
        log(f"  {m}")

    def step(name, fn):
        nonlocal failed
        if name in skip:
            notice(f"{name}: skipped (--skip)")
            return
        t0 = time.time()
        log(f"evidence: {name} ...")
        try:
            fn()
        except (ssasm.ToolError, OSError) as e:
            failed = True
            notice(f"{name}: FAILED: {e}")
            return
        log(f"evidence: {name} done ({time.time() - t0:.1f} s)")

    errors = []

    def vec():
        rows, loops = [], []
        for opt in opts:
            r, lp = vecreport.report(outdir, root, table, opt, compilers, notice, errors)
            rows += r
            loops += lp
        vecreport.write_csv(os.path.join(outdir, "vectorization.csv"), vecreport.FUNC_FIELDS, rows)
        vecreport.write_csv(os.path.join(outdir, "vectorization_loops.csv"), vecreport.LOOP_FIELDS, loops)

    def asm():
        nonlocal failed
        rows = []
        for opt in opts:
            rows += asmreport.report(outdir, root, table, opt, compilers, notice, errors)
        vecreport.write_csv(os.path.join(outdir, "asm.csv"), asmreport.ASM_FIELDS, rows)
        if any(r["status"] != "ok" for r in rows):
            failed = True

    def fold():
        import fold_check
        fold_check.write_csv(fold_check.fold_matrix(root, compilers), os.path.join(outdir, "fold.csv"))

    def ergo():
        ergonomics.report(outdir, root, table, notice)

    for name, fn in zip(PARTS, (vec, asm, fold, ergo)):
        step(name, fn)
    failed = failed or bool(errors)
    with open(os.path.join(outdir, "evidence.txt"), "w") as f:
        f.write(f"evidence: table {os.path.relpath(table, root)}, opts {' '.join(opts)}, "
                f"compilers {' '.join(compilers)}, flags {' '.join(ssasm.opt_flags(opts[0])[1:])}\n")
        for cc in compilers:
            r = subprocess.run([cc, "--version"], capture_output=True, text=True)
            f.write(f"{cc}: {r.stdout.splitlines()[0] if r.returncode == 0 and r.stdout else 'not found'}\n")
        f.write("".join(f"{n}\n" for n in notes))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--root", default=os.path.join(HERE, ".."))
    ap.add_argument("--table", default=None, help="default: ROOT/harness/evidence_table.txt")
    ap.add_argument("--opts", default="-O2", help="comma-separated, e.g. -O2,-O3 (write --opts=-O2)")
    ap.add_argument("--compilers", default="gcc,clang")
    ap.add_argument("--skip", default="", help="comma-separated parts: " + ",".join(PARTS))
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    table = a.table or os.path.join(root, "harness", "evidence_table.txt")
    skip = [s for s in a.skip.split(",") if s]
    bad = [s for s in skip if s not in PARTS]
    compilers = a.compilers.split(",")
    if bad or any(c not in ("gcc", "clang") for c in compilers):
        print(f"evidence: unknown part {bad} or compiler in {compilers} (parts: {', '.join(PARTS)}; "
              f"compilers: gcc, clang)", file=sys.stderr)
        return 2
    if not os.path.exists(table):
        print(f"evidence: table {table} not found", file=sys.stderr)
        return 2
    return run(a.outdir, root, table, a.opts.split(","), compilers, skip)


if __name__ == "__main__":
    sys.exit(main())
