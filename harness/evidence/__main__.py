"""evidence — the compiler evidence of one run, written into its run folder (runfolder).

    python3 -m evidence OUTDIR [--build DIR] [--root DIR] [--table FILE] [--opts=-O2[,-O3]]
                        [--compilers gcc,clang] [--skip vec,asm,fold,ergonomics]

Exit status: 0 when everything was written, 1 when a tool failed or a function named in the
table was not found (what was finished stays on disk), 2 on bad arguments.
"""
import argparse
import os
import sys

from evidence import args as A
from evidence import runfolder


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m evidence", description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    A.add_build(ap, table=True)
    ap.add_argument("--opts", default=None, help="comma-separated, e.g. -O2,-O3 (write --opts=-O2); "
                                                 "default: the build's level")
    ap.add_argument("--compilers", default="gcc,clang")
    ap.add_argument("--skip", default="", help="comma-separated parts: " + ",".join(runfolder.PARTS))
    a = ap.parse_args(argv)
    skip = [s for s in a.skip.split(",") if s]
    bad = [s for s in skip if s not in runfolder.PARTS]
    compilers = a.compilers.split(",")
    if bad or any(c not in ("gcc", "clang") for c in compilers):
        print(f"evidence: unknown part {bad} or compiler in {compilers} (parts: {', '.join(runfolder.PARTS)}; "
              f"compilers: gcc, clang)", file=sys.stderr)
        return 2
    build, root = A.open_build(a, "evidence")
    table = A.table_path(a, root)
    if not os.path.exists(table):
        print(f"evidence: table {table} not found", file=sys.stderr)
        return 2
    opts = a.opts.split(",") if a.opts else [build.opt]
    return runfolder.write(a.outdir, build, root, table, opts, compilers, skip)


if __name__ == "__main__":
    sys.exit(main())
