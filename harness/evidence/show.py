"""One function's assemblies, one column per implementation, with metrics.

    python3 -m evidence.show FUNCTION [--workload W] [--compiler gcc|clang|both] [--opt=-O2]
                             [--width COLUMNS] [--build DIR] [--root DIR] [--table FILE]
    make evidence FUNC=add_vv [COMPILER=clang] [OPT=-O3]

FUNCTION is a logical name of harness/evidence_table.txt (e.g. add_vv, rk4, phys_step),
compiled with the build's flags at --opt (default: the build's level). The assembly is
normalized as in asm/ of a run folder (asmreport).
"""
import argparse
import shutil
import sys
import tempfile

from evidence import args as A
from evidence.asmreport import function_rows
from evidence.compile import compile_probe
from evidence.errors import ToolError
from evidence.objdump import disassemble_lines
from evidence.table import hot_entries


def cut(s, w):
    return s if len(s) <= w else s[:w - 1] + "~"


def side_by_side(columns, width):
    """columns: [(title, [metric lines], [asm lines])] -> text, each column `width` wide."""
    out = []
    heads = [[t, "-" * len(t)] + m + [""] for t, m, _ in columns]
    for block in (heads, [c[2] for c in columns]):
        for i in range(max(len(b) for b in block)):
            out.append("  ".join(cut(b[i] if i < len(b) else "", width).ljust(width) for b in block).rstrip())
    return "\n".join(out)


def metric_lines(row):
    if row["status"] != "ok":
        return [f"not found: {row['symbol']}"]
    return [f"{row['instructions']} instructions, {row['branches']} branches",
            f"calls: {row['call_targets'] or 'none'}",
            f"vector: ymm {row['ymm']}, xmm {row['xmm']}, zmm {row['zmm']}; scalar fp {row['scalar_fp']}",
            f"frame: {row['frame_bytes']} bytes"]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m evidence.show", description=__doc__.split("\n\n")[0])
    ap.add_argument("function")
    ap.add_argument("--workload")
    ap.add_argument("--compiler", default="gcc", choices=["gcc", "clang", "both"])
    ap.add_argument("--opt", default=None, help="default: the build's level")
    ap.add_argument("--width", type=int, default=shutil.get_terminal_size((180, 40)).columns)
    A.add_build(ap, table=True)
    a = ap.parse_args(argv)
    build, root = A.open_build(a, "evidence.show")
    table = A.table_path(a, root)
    opt = a.opt or build.opt
    try:
        entries = hot_entries(root, table)
    except (ToolError, OSError) as e:
        print(f"evidence.show: {e}", file=sys.stderr)
        return 2
    known = sorted({f for e in entries for f in e.functions})
    rows = [e for e in entries if a.function in e.functions and (a.workload in (None, e.workload))]
    if not rows:
        print(f"evidence.show: no function {a.function!r}{' in workload ' + a.workload if a.workload else ''} "
              f"in {table}; known: {', '.join(known) or '(none: no source of the table exists yet)'}",
              file=sys.stderr)
        return 2
    workload = rows[0].workload
    rows = [e for e in rows if e.workload == workload]
    compilers = ["gcc", "clang"] if a.compiler == "both" else [a.compiler]
    width = max(30, (a.width - 4) // len(rows))
    for cc in compilers:
        cols = []
        for e in rows:
            one = e.only(a.function)
            with tempfile.TemporaryDirectory() as d:
                try:
                    obj, _ = compile_probe(cc, build, root, one, opt, d)
                    row, lines = function_rows(disassemble_lines(obj), one)[a.function]
                except ToolError as err:
                    print(f"evidence.show: {err}", file=sys.stderr)
                    return 1
            cols.append((f"{e.impl} ({cc} {opt}, {e.files[0]})", metric_lines(row), lines))
        print(f"== {a.function} ({workload}) — {cc} {' '.join(build.flags_at(opt))}\n")
        print(side_by_side(cols, width))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
