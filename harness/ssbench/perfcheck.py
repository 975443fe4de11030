"""python3 -m ssbench.perfcheck — the performance regression check, on instruction counts.

    python3 -m ssbench.perfcheck [--build DIR] [--baseline DIR] [--threshold PCT] [--only SUBSTR]
    python3 -m ssbench.perfcheck --write-baseline [--build DIR] [--baseline DIR]

This machine has no hardware counters and a noisy clock, so regressions are judged on the
instructions callgrind counts in a fixed set of small cases (CASES below), counted around the
kernel only (--toggle-collect), allocator calls included. Each optimisation level keeps its own
baseline: the counts of a build at -O2 are compared with results/baseline/O2/perf.csv, at -O3
with results/baseline/O3/perf.csv (the level is the build's, from its ss_build.json); a case
more than THRESHOLD % (default 2) above its baseline fails.

Beside the gate, the thesis checks are reported as "holds" or "refuted" and never fail:
bump executes fewer instructions than malloc (glibc) on each case that has both, and the
seed's experiment folds where it folded in the baseline. The ss_alloc invariant (inlined: no
function of the build's hot objects calls an allocation or scope function) is checked from
the assembly and does fail; the library's own probes (no branch, at most 3 instructions) are
secondstack/test/asm_check.py, run by ctest.
"""
import argparse
import csv
import datetime
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from evidence import fold
from evidence.asm import metrics
from evidence.errors import ToolError
from evidence.objdump import disassemble
from ssbench import callgrind, meta
from ssbench.build import DEFAULT, ROOT, Build, BuildError
from ssbench.parsers import callgrind_total
from ssbench.results import write_csv

# The fixed small cases are callgrind.cases(): the same list `make bench` counts. A case's
# group is its name without the implementation: bump and malloc of one group are compared
# for the thesis.
CASES = [(c.name, c.group, c.impl, c.args, c.toggle) for c in callgrind.cases()]
FIELDS = ["case", "group", "impl", "instructions"]


def count(build, case):
    name, group, impl, args, toggle = case
    ssrun = os.path.join(build, "ss-run")
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg.out")
        argv, env = callgrind.command([ssrun, *args], toggle, out)
        r = subprocess.run(argv, capture_output=True, text=True, env=env)
        if r.returncode != 0 or not os.path.exists(out):
            # valgrind aborted or the workload failed its check: a failure, never a count
            raise RuntimeError(f"{name}: exit {r.returncode}: {r.stderr.strip().splitlines()[-1:] }")
        return callgrind_total(out)


def run_cases(build, only):
    cases = [c for c in CASES if only in c[0]]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        counts = list(ex.map(lambda c: count(build, c), cases))
    return [{"case": c[0], "group": c[1], "impl": c[2], "instructions": n} for c, n in zip(cases, counts)]


def level_dir(base, build):
    """The baseline folder of a build's level: <base>/O2 or <base>/O3."""
    return os.path.join(base, build.level.lstrip("-"))


def read_baseline(d):
    p = os.path.join(d, "perf.csv")
    if not os.path.exists(p):
        raise SystemExit(f"perfcheck: no baseline at {p}: run `make perf-baseline` to record one "
                         f"(each level has its own)")
    with open(p, newline="") as f:
        rd = csv.DictReader(f)
        missing = [c for c in FIELDS if c not in (rd.fieldnames or [])]
        if missing:
            raise SystemExit(f"perfcheck: {p}: missing column(s) {', '.join(missing)}")
        return {r["case"]: r for r in rd}


def write_baseline(base, rows, build):
    """<base>/<level>/perf.csv and meta.json (the counts and what they were measured with) and
    <base>/fold.csv (the seed's experiment: it compiles at every level itself)."""
    d = level_dir(base, build)
    os.makedirs(d, exist_ok=True)
    fold.write(base, fold.matrix(build, build.source_dir))
    write_csv(os.path.join(d, "perf.csv"), FIELDS, rows)
    meta.write(d, {"written_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                   "git": meta.git(), "machine": meta.machine(), "build": os.path.relpath(build.dir, ROOT),
                   "level": build.level, "flags": build.flags, "compiler": meta.first_line(["gcc", "--version"]),
                   "valgrind": meta.first_line(["valgrind", "--version"]),
                   "glibc_tunables": callgrind.GLIBC_TUNABLES})


def compare(rows, base, threshold):
    table, regressions = [], 0
    for r in rows:
        b = base.get(r["case"])
        if b is None:
            table.append((r["case"], "-", r["instructions"], "-", "new (not in baseline)"))
            continue
        old, now = int(b["instructions"]), r["instructions"]
        change = (now - old) / old * 100 if old else 0.0
        verdict = "REGRESSION" if change > threshold else ("improved" if change < -threshold else "ok")
        regressions += verdict == "REGRESSION"
        table.append((r["case"], old, now, f"{change:+.2f}%", verdict))
    for case in base:
        if case not in {r["case"] for r in rows}:
            table.append((case, base[case]["instructions"], "-", "-", "not run"))
    return table, regressions


def thesis(rows):
    by = {}
    for r in rows:
        by.setdefault(r["group"], {})[r["impl"]] = r["instructions"]
    out = []
    for group, impls in by.items():
        if "bump" in impls and "malloc" in impls:
            b, m = impls["bump"], impls["malloc"]
            stack = impls.get("stack", "-")
            out.append((group, b, m, stack, f"{m / b:.2f}x", "holds" if b < m else "refuted"))
    return out


def fold_vs_baseline(base_dir, build):
    """The fold matrix now against the baseline's, for the cells that folded there."""
    p = os.path.join(base_dir, "fold.csv")
    if not os.path.exists(p):
        return [("-", "-", "-", "-", "-", "-", f"no {os.path.relpath(p, ROOT)}")]
    with open(p, newline="") as f:
        base = {(r["compiler"], r["form"], r["helpers"], r["level"]): r["folds"] == "yes" for r in csv.DictReader(f)}
    now = {(r["compiler"], r["form"], r["helpers"], r["level"]): r["folds"]
           for r in fold.matrix(build, build.source_dir)}
    out = []
    for key, was in sorted(base.items()):
        if was:
            out.append((*key, "folds", "folds" if now.get(key) else "does not fold",
                        "holds" if now.get(key) else "refuted"))
    return out


def print_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(fmt.format(*header))
    for r in rows:
        print(fmt.format(*[str(x) for x in r]))


# The calls the fast path must never make from the hot objects (ss_build.json's hot_objects:
# the bump implementations and the allocation kernels): the allocation, typed allocation and
# scopes are inline. Region set-up and the array's cold growth path may be calls.
FORBIDDEN_CALL = re.compile(r"^(ss_alloc|ss_new|ss_scope|ss_push|ss__debug)")


def asm_invariant(build):
    """ss_alloc inlined: in this build's hot objects, no call to an allocation or scope
    function. (ok, text)."""
    ok, lines = True, []
    objs = build.hot_objects()
    missing = [o for o in objs if not os.path.exists(o)]
    if not objs or missing:
        return False, f"hot objects not built in {build.dir}: {', '.join(missing) or '(none listed in ss_build.json)'}"
    for o in objs:
        for fn, insns in disassemble(o).items():
            bad = [t for t in metrics(insns)["call_targets"] if FORBIDDEN_CALL.match(t)]
            if bad:
                ok = False
                lines.append(f"{os.path.relpath(o, build.dir)}: {fn} calls {', '.join(sorted(set(bad)))}")
    lines.append(f"{len(objs)} hot objects disassembled")
    return ok, "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m ssbench.perfcheck", description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=DEFAULT)
    ap.add_argument("--baseline", default=os.path.join(ROOT, "results", "baseline"))
    ap.add_argument("--threshold", type=float, default=float(os.environ.get("PERF_THRESHOLD", "2")))
    ap.add_argument("--only", default="")
    ap.add_argument("--write-baseline", action="store_true")
    a = ap.parse_args(argv)
    try:
        build = Build(a.build)
    except BuildError as e:
        print(f"perfcheck: {e}", file=sys.stderr)
        return 2
    if not os.path.exists(os.path.join(build.dir, "ss-run")):
        print(f"perfcheck: {build.dir}/ss-run not built (run `make build`)", file=sys.stderr)
        return 2
    try:
        rows = run_cases(build.dir, a.only)
    except RuntimeError as e:
        print(f"perfcheck: a case failed under callgrind: {e}", file=sys.stderr)
        return 1
    if a.write_baseline:
        try:
            write_baseline(a.baseline, rows, build)
        except ToolError as e:
            print(f"perfcheck: the seed's experiment did not compile: {e}", file=sys.stderr)
            return 1
        print(f"perfcheck: baseline of {len(rows)} cases written to {level_dir(a.baseline, build)}")
        return 0
    base = read_baseline(level_dir(a.baseline, build))
    table, regressions = compare(rows, base, a.threshold)
    print(f"instruction counts (callgrind) of {os.path.relpath(build.dir, ROOT)} ({build.level}) against "
          f"{os.path.relpath(level_dir(a.baseline, build), ROOT)}, threshold {a.threshold}%")
    print_table(("case", "baseline", "now", "change", "verdict"), table)
    print("\nthesis: bump executes fewer instructions than malloc (glibc) — reported, never gating")
    print_table(("case", "bump", "malloc", "stack", "malloc/bump", "thesis"), thesis(rows))
    ok, text = asm_invariant(build)
    print(f"\nss_alloc invariant (inlined: no call from the hot objects): {'holds' if ok else 'BROKEN'}")
    print(text)
    try:
        folds = fold_vs_baseline(a.baseline, build)
    except ToolError as e:
        folds = [("-", "-", "-", "-", "-", "-", f"not compiled: {e}")]
    print("\nthe seed's experiment folds where it folded in the baseline — reported, never gating")
    print_table(("compiler", "form", "helpers", "level", "baseline", "now", "thesis"), folds)
    failed = regressions + (not ok)
    compared = sum(1 for t in table if t[4] in ("ok", "improved"))
    print(f"\n{compared + ok} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
