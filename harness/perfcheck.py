#!/usr/bin/env python3
"""perfcheck.py — the performance regression check, on instruction counts.

    perfcheck.py [--build DIR] [--baseline DIR] [--threshold PCT] [--only SUBSTR]
    perfcheck.py --write-baseline [--build DIR] [--baseline DIR]

This machine has no hardware counters and a noisy clock, so regressions are judged on the
instructions callgrind counts in a fixed set of small cases (CASES below), counted around the
kernel only (--toggle-collect), allocator calls included. Each count is compared with
results/baseline/perf.csv; a case more than THRESHOLD % (default 2) above its baseline fails.

Beside the gate, the thesis checks are reported as "holds" or "refuted" and never fail:
bump executes fewer instructions than malloc (glibc) on each case that has both.
The ss_alloc invariant (inlined: no call, no branch) is checked from the assembly and does
fail.
"""
import argparse
import csv
import glob
import re
import datetime
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench  # noqa: E402
import ssasm  # noqa: E402
import results as R  # noqa: E402

# The fixed small cases are bench.callgrind_cases(): the same list `make bench` counts.
# A case's group is its name without the implementation: bump and malloc of one group are
# compared for the thesis.
CASES = [(name, name.rsplit("/", 1)[0], impl, args, toggle)
         for name, _w, _c, impl, _n, _s, args, toggle in bench.callgrind_cases()]
FIELDS = ["case", "group", "impl", "instructions"]


def count(build, case):
    name, group, impl, args, toggle = case
    ssrun = os.path.join(build, "ss-run")
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg.out")
        env = dict(os.environ, GLIBC_TUNABLES=bench.GLIBC_TUNABLES)
        r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                            f"--toggle-collect={toggle}", "--error-exitcode=97", ssrun, *args],
                           capture_output=True, text=True, env=env)
        if r.returncode != 0 or not os.path.exists(out):
            # valgrind aborted or the workload failed its check: a failure, never a count
            raise RuntimeError(f"{name}: exit {r.returncode}: {r.stderr.strip().splitlines()[-1:] }")
        return R.callgrind_total(out)


def run_cases(build, only):
    cases = [c for c in CASES if only in c[0]]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        counts = list(ex.map(lambda c: count(build, c), cases))
    return [{"case": c[0], "group": c[1], "impl": c[2], "instructions": n} for c, n in zip(cases, counts)]


def read_baseline(d):
    p = os.path.join(d, "perf.csv")
    if not os.path.exists(p):
        raise SystemExit(f"perfcheck: no baseline at {p}: run `make perf-baseline` to record one")
    with open(p, newline="") as f:
        rd = csv.DictReader(f)
        missing = [c for c in FIELDS if c not in (rd.fieldnames or [])]
        if missing:
            raise SystemExit(f"perfcheck: {p}: missing column(s) {', '.join(missing)}")
        return {r["case"]: r for r in rd}


def write_baseline(d, rows, build):
    os.makedirs(d, exist_ok=True)
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import fold_check
    fold_check.write_csv(fold_check.fold_matrix(ROOT), os.path.join(d, "fold.csv"))
    R.write_csv(os.path.join(d, "perf.csv"), FIELDS, rows)
    g = bench.git_meta()
    meta = {"written_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "git": g, "machine": bench.machine_meta(), "build": os.path.relpath(build, ROOT),
            "flags": bench.build_flags(build), "compiler": bench.first_line(["gcc", "--version"]),
            "valgrind": bench.first_line(["valgrind", "--version"]), "glibc_tunables": bench.GLIBC_TUNABLES}
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)


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


def fold_vs_baseline(base_dir):
    """The fold matrix now against the baseline's, for the cells that folded there."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import fold_check
    p = os.path.join(base_dir, "fold.csv")
    if not os.path.exists(p):
        return [("-", "-", "-", "-", "-", "-", f"no {os.path.relpath(p, ROOT)}")]
    with open(p, newline="") as f:
        base = {(r["compiler"], r["form"], r["helpers"], r["level"]): r["folds"] == "yes" for r in csv.DictReader(f)}
    now = {(r["compiler"], r["form"], r["helpers"], r["level"]): r["folds"] for r in fold_check.fold_matrix(ROOT)}
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


# The objects whose every function is hot (the bump implementations and the allocation
# kernels) and the calls the fast path must never make from them: the allocation, typed
# allocation and scopes are inline. Region set-up and the array's cold growth path may be
# calls.
HOT_OBJECTS = ["impl_bump/CMakeFiles/rk4_bump*.dir/rk4.c.o", "CMakeFiles/phys_bump.dir/impl_bump/physics.c.o",
               "harness/CMakeFiles/alloc_kernels.dir/alloc_kernels.c.o"]
FORBIDDEN_CALL = re.compile(r"^(ss_alloc|ss_new|ss_scope|ss_push|ss__debug)")


def asm_invariant(build):
    """ss_alloc inlined: the probe functions (secondstack/test/asm_check.py: no call, no branch,
    at most 3 instructions beyond the work, gcc and clang) and, in this build's hot objects, no
    call to an allocation or scope function."""
    lib = os.path.join(ROOT, "secondstack")
    r = subprocess.run([sys.executable, os.path.join(lib, "test", "asm_check.py"),
                        "--include", os.path.join(lib, "include", "secondstack")],
                       capture_output=True, text=True)
    ok, lines = r.returncode == 0, [r.stdout.strip()]
    objs = [o for pat in HOT_OBJECTS for o in sorted(glob.glob(os.path.join(build, pat)))]
    if not objs:
        return False, f"no hot objects found in {build} ({', '.join(HOT_OBJECTS)})"
    for o in objs:
        for fn, insns in ssasm.disassemble(o).items():
            bad = [t for t in ssasm.metrics(insns)["call_targets"] if FORBIDDEN_CALL.match(t)]
            if bad:
                ok = False
                lines.append(f"{os.path.relpath(o, build)}: {fn} calls {', '.join(sorted(set(bad)))}")
    lines.append(f"{len(objs)} hot objects disassembled")
    return ok, "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--baseline", default=os.path.join(ROOT, "results", "baseline"))
    ap.add_argument("--threshold", type=float, default=float(os.environ.get("PERF_THRESHOLD", "2")))
    ap.add_argument("--only", default="")
    ap.add_argument("--write-baseline", action="store_true")
    a = ap.parse_args(argv)
    if not os.path.exists(os.path.join(a.build, "ss-run")):
        print(f"perfcheck: {a.build}/ss-run not built (run `make build`)", file=sys.stderr)
        return 2
    try:
        rows = run_cases(a.build, a.only)
    except RuntimeError as e:
        print(f"perfcheck: a case failed under callgrind: {e}", file=sys.stderr)
        return 1
    if a.write_baseline:
        write_baseline(a.baseline, rows, a.build)
        print(f"perfcheck: baseline of {len(rows)} cases written to {a.baseline}")
        return 0
    base = read_baseline(a.baseline)
    table, regressions = compare(rows, base, a.threshold)
    print(f"instruction counts (callgrind) against {os.path.relpath(a.baseline, ROOT)}, threshold {a.threshold}%")
    print_table(("case", "baseline", "now", "change", "verdict"), table)
    print("\nthesis: bump executes fewer instructions than malloc (glibc) — reported, never gating")
    print_table(("case", "bump", "malloc", "stack", "malloc/bump", "thesis"), thesis(rows))
    ok, text = asm_invariant(a.build)
    print(f"\nss_alloc invariant (inlined, no call, no branch): {'holds' if ok else 'BROKEN'}")
    print(text)
    folds = fold_vs_baseline(a.baseline)
    print("\nthe seed's experiment folds where it folded in the baseline — reported, never gating")
    print_table(("compiler", "form", "helpers", "level", "baseline", "now", "thesis"), folds)
    failed = regressions + (not ok)
    compared = sum(1 for t in table if t[4] in ("ok", "improved"))
    print(f"\n{compared + ok} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
