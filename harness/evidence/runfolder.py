"""The compiler evidence of one run, written into its folder:

  vectorization.csv, vectorization_loops.csv, vecreport/   vecreport
  asm.csv, asm/                                            asmreport
  fold.csv                                                 fold (the seed's experiment)
  ergonomics.csv                                           ergonomics
  evidence.txt                                             what ran, with which flags, what was skipped and why
"""
import os
import subprocess
import time

from evidence import asmreport, ergonomics, fold, vecreport
from evidence.errors import ToolError

PARTS = ["vec", "asm", "fold", "ergonomics"]


def write(outdir, build, root, table, opts, compilers=("gcc", "clang"), skip=(), log=print):
    """Writes the parts not skipped into outdir (created if needed; files of the same name are
    replaced). Returns 0 when everything was written, 1 when a tool failed or a function named
    in the table was not found (what was finished stays on disk)."""
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
        except (ToolError, OSError) as e:
            failed = True
            notice(f"{name}: FAILED: {e}")
            return
        log(f"evidence: {name} done ({time.time() - t0:.1f} s)")

    errors = []

    def vec():
        rows, loops = [], []
        for opt in opts:
            r, lp = vecreport.report(outdir, build, root, table, opt, compilers, notice, errors)
            rows += r
            loops += lp
        vecreport.write(outdir, rows)
        vecreport.write_loops(outdir, loops)

    def asm():
        nonlocal failed
        rows = []
        for opt in opts:
            rows += asmreport.report(outdir, build, root, table, opt, compilers, notice, errors)
        asmreport.write(outdir, rows)
        if any(r["status"] != "ok" for r in rows):
            failed = True

    def fold_matrix():
        fold.write(outdir, fold.matrix(build, root, compilers))

    def ergo():
        ergonomics.write(outdir, ergonomics.report(root, table, notice))

    for name, fn in zip(PARTS, (vec, asm, fold_matrix, ergo)):
        step(name, fn)
    failed = failed or bool(errors)
    with open(os.path.join(outdir, "evidence.txt"), "w") as f:
        f.write(f"evidence: table {os.path.relpath(table, root)}, opts {' '.join(opts)}, "
                f"compilers {' '.join(compilers)}, flags {' '.join(build.flags_at(opts[0])[1:])} "
                f"(from {build.dir})\n")
        for cc in compilers:
            r = subprocess.run([cc, "--version"], capture_output=True, text=True)
            f.write(f"{cc}: {r.stdout.splitlines()[0] if r.returncode == 0 and r.stdout else 'not found'}\n")
        f.write("".join(f"{n}\n" for n in notes))
    return 1 if failed else 0
