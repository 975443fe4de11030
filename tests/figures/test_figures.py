#!/usr/bin/env python3
"""The figures and the report, drawn from the recorded run folder tests/figures/run/.

    test_figures.py WORK_DIR

Each case copies the fixture into WORK_DIR, changes what it tests, runs `python3 -m figures`
(plots/figures.py; plots/ and harness/ on PYTHONPATH, as ctest sets them) and
checks what it wrote: every figure (PNG and SVG, with the caption line), the report in both
forms, a clear error naming the file and the column when a column is missing, a notice
instead of an empty figure when a workload has no data, a report that opens with conclusions
counted by the claim rule and follows the data, intervals drawn as the data has them (ratios
with their Hodges-Lehmann interval, no error bar below zero, targets only where they apply),
the compiler evidence counted in context, a run folder of the first summary schema still
read, and the fixture still matching its generator and the harness's columns.
"""
import csv
import os
import re
import shutil
import struct
import subprocess
import sys

import figures as F
from ssbench import claims as C
from ssbench import results as R

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "run")
FIGURES = [sys.executable, "-m", "figures"]

NAMES = ["rk4_time", "rk4_speedup", "instructions", "physics", "growth", "vectorization", "fold"]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def fresh(work, name):
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(FIXTURE, d)
    return d


def run(d):
    return subprocess.run(FIGURES + [d], capture_output=True, text=True)


def read(path):
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read()


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def edit_csv(path, fn):
    with open(path, newline="") as f:
        rd = csv.DictReader(f)
        cols, rows = list(rd.fieldnames), list(rd)
    cols, rows = fn(cols, rows)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def full_run(work):
    d = fresh(work, "full")
    r = run(d)
    check(r.returncode == 0, f"figures.py on the fixture exits 0 (got {r.returncode}: {r.stderr.strip()})")
    for name in NAMES:
        png, svg = os.path.join(d, "figures", name + ".png"), os.path.join(d, "figures", name + ".svg")
        size = png_size(png) if os.path.exists(png) else None
        check(size is not None and size[0] >= 800 and size[1] >= 400, f"{name}.png is a PNG of a useful size: {size}")
        text = read(svg) if os.path.exists(svg) else ""
        check("<svg" in text and "</svg>" in text, f"{name}.svg is an SVG")
        # the caption line: machine and commit, on every figure
        check("synthetic fixture (not measured)" in text and "commit fixture" in text,
              f"{name}.svg carries the caption with the machine and the commit")
        dats = [f for f in os.listdir(os.path.join(d, "figures", "data")) if re.match(rf"{name}_\d+\.dat$", f)]
        check(dats, f"{name}: its data files are written")
        for f in dats:  # a panel is drawn only from a file with data in it: no empty panel
            rows = [ln for ln in read(os.path.join(d, "figures", "data", f)).splitlines()
                    if ln.strip() and not ln.startswith("#")]
            check(any(re.search(r"\d", ln) for ln in rows), f"{f} has data rows")
    md = read(os.path.join(d, "report.md"))
    html = read(os.path.join(d, "report.html"))
    for name in NAMES:
        check(f"figures/{name}.png" in md and f"figures/{name}.png" in html, f"the report shows {name}.png")
    for needle, what in (("## The question", "the question"), ("synthetic fixture (not measured), 2 cores", "the machine"),
                         ("## The matrix", "the matrix"), ("energy drift 3.1e-2", "the failed check"),
                         ("### The fold-to-constant matrix", "the fold table"), ("### Vectorization", "the vectorization table"),
                         ("make figures RUN=", "the commands"), ("mimalloc (not installed)", "the absent malloc library"),
                         ("| gcc | bump | extern |", "a fold table row")):
        check(needle in md, f"report.md has {what} ({needle!r})")
    check("<table>" in html and "energy drift 3.1e-2" in html and "</html>" in html, "report.html has the tables")
    check("Not drawn" not in md, "every figure is drawn from the full fixture")
    # the report opens with its conclusions, computed with the claim rule
    heads = re.findall(r"^## (.+)$", md, re.M)
    check(heads[:2] == ["Conclusions", "The question"], f"the report opens with Conclusions: {heads[:3]}")
    rows = R.read_summary(os.path.join(FIXTURE, "summary.csv"))
    floor = C.Floor(rows)
    g = [r for r in rows if r["metric"] == "ratio" and r["impl"] == "malloc/bump" and r["workload"] == "rk4" and
         r["malloc_lib"] == "glibc" and r["variant"] == "default" and r["call"] == "static" and r["mode"] == "final"
         and r["tool"] == "gbench"]
    fast = sum(1 for r in g if C.verdict(r, floor) == C.FASTER)
    check(f"bump is claimed faster than malloc (glibc) at {fast} of {len(g)} points" in md,
          f"the speed-up sentence counts the claims ({fast} of {len(g)})")
    g2 = [r for r in g if (r["compiler"], r["level"]) == ("gcc", "-O2")]
    f2 = sum(1 for r in g2 if C.verdict(r, floor) == C.FASTER)
    check(f"**RK4, gcc -O2**: bump is claimed faster than per-operation malloc (glibc) at {f2} of {len(g2)} points" in md,
          "the conclusions count the claims per compiler and level")
    concl = md.split("## The question")[0]
    for needle, what in (("Cause: malloc's timed step calls the allocator from 200 places", "calls removed (asm.csv)"),
                         ("bump's instructions per step (callgrind", "instructions executed (callgrind)"),
                         ("loops vectorized in the inlined step: bump 0 of 72, malloc 0 of 72", "loops vectorized"),
                         ("gcc -O2 vectorizes 0 of the 72 loops of bump's inlined RK4 step", "why: gcc -O2"),
                         ("versioning for alias required", "the reason gcc gives"),
                         ("### Where it does not", "where it does not pay"),
                         ("Visibility, `noinline` against the default build, malloc (the control", "the visibility control"),
                         ("The level axis, bump with gcc: -O3 is claimed faster", "the level axis"),
                         ("in-run A/A control (`aa_control`, the same binary measured twice) has its interval cover 1 at 4 "
                          "of 4 points", "the A/A coverage"),
                         ("gcc -O2 ±4.0 %", "the layout control's effect"),
                         ("holds in 24 of 24 points (interval above 5)", "the 5x target, counted at n <= 16"),
                         ("is a debug build", "google-benchmark's debug build")):
        check(needle in concl, f"the conclusions name {what} ({needle!r})")
    check("refuted here" not in md and "the thesis holds in" in md, "captions count (holds in k of n), never 'refuted here'")
    check("| aa_layout | decay static final | 16 | gcc | -O2 | 1.04× [1.02, 1.07] | **no** | 4.0 % |" in md,
          "the controls table")
    check("peak RSS (MiB)" in md and "**short** (< 100 ms)" in md, "whole processes: peak RSS and the short ones flagged")
    check("load average (1, 5, 15 min): before 0.310 0.400 0.520" in md and "library build type debug" in md,
          "the machine: load before and after, google-benchmark's build type")
    data = os.path.join(d, "figures", "data")
    # targets only where they apply: the 5x line spans n <= 16 and no further
    blocks = blocks_of(os.path.join(data, "rk4_speedup_1.dat"))
    tgt = [b for t, b in blocks if t.startswith("target: bump 5×")]
    check(tgt and all(x <= 16 * 1.25 for b in tgt for x, *_ in b) and all(y == 5 for b in tgt for _, y, *_ in b),
          f"the 5x target is drawn at n <= 16 only: {tgt}")
    m = [b for t, b in blocks if t == "malloc (glibc) / bump"][0]
    check(all(lo <= y <= hi and lo < hi for _, y, lo, hi in m), f"each ratio is drawn with its interval: {m[:2]}")
    # physics as ratios to bump, with intervals
    pb = blocks_of(os.path.join(data, "physics_1.dat"))
    check(pb and pb[0][0] == "malloc (glibc) / bump" and all(0.5 < y < 5 for _, y, _, _ in pb[0][1]),
          f"physics is drawn as ratios to bump: {pb[0] if pb else None}")
    params = read(os.path.join(data, "physics.params.gp"))
    check("array engine" in params and "loop engine" in params, "physics: both engines")
    # no error bar below zero on a log axis: growth draws medians and intervals, never mean - sd
    for f in os.listdir(data):
        if f.startswith(("growth_", "rk4_time_")) and f.endswith(".dat"):
            lows = [lo for _, b in blocks_of(os.path.join(data, f)) for _, _, lo, _ in b]
            check(lows and min(lows) > 0, f"{f}: every error bar stays above zero ({min(lows) if lows else None})")
    # vectorization counted in context: the timed step, per impl, compiler and level
    vb = read(os.path.join(data, "vectorization_1.dat")).split("\n")
    check(vb[0].startswith('"bump" 0 72') and "rk4_run (gcc -O2)" in read(os.path.join(data, "vectorization.params.gp")),
          f"vectorization counts rk4_run compiled in context (gcc -O2, bump: 0 of 72): {vb[:2]}")
    check("(gcc -O3)" in read(os.path.join(data, "rk4_time.params.gp")), "a level axis: -O3 panels")
    return md


def blocks_of(path):
    """[(title, [(x, y, low, high)])] of a series file."""
    out = []
    for block in read(path).strip().split("\n\n\n"):
        lines = block.strip().splitlines()
        if not lines:
            continue
        title = lines[0][2:] if lines[0].startswith("# ") else ""
        pts = [tuple(float(v) for v in ln.split()) for ln in lines if ln and not ln.startswith("#")]
        out.append((title, pts))
    return out


def sentences_follow_data(work, md_full):
    d = fresh(work, "slow-bump")

    def slow(cols, rows):
        for r in rows:
            if r["metric"] == "ratio" and r["impl"] == "malloc/bump":
                r["value"], r["ci_low"], r["ci_high"] = "0.5", "0.45", "0.55"
        return cols, rows
    edit_csv(os.path.join(d, "summary.csv"), slow)
    r = run(d)
    md = read(os.path.join(d, "report.md")) if r.returncode == 0 else ""
    check(re.search(r"bump is claimed faster than malloc \(glibc\) at 0 of (\d+) points, slower at \1 ", md) is not None,
          "a 2x slower bump changes the speed-up sentence")
    check("Nowhere in this run" not in md and "**RK4, gcc -O2**: bump is claimed faster than per-operation malloc "
          "(glibc) at 0 of" in md, "and the conclusions move it to where it does not pay")
    check(md != md_full, "the report follows the data")


def first_schema(work):
    """A run folder of the first summary schema (no level, interval or ratio rows) still reports,
    with quotients of medians and no claim."""
    d = fresh(work, "first-schema")
    old = ["impl", "workload", "case", "n", "compiler", "variant", "malloc_lib", "metric", "value", "unit",
           "repetitions", "spread", "tool"]

    def downgrade(cols, rows):
        out = []
        for r in rows:
            if r["metric"] == "ratio" or r["level"] != "-O2" or r["check"] == "failed":
                continue
            r = dict(r)
            if r["workload"] == "rk4":
                r["case"] += ("+fnptr" if r["call"] == "fnptr" else "") + ("+traj" if r["mode"] == "full" else "")
            if r["function"]:
                r["metric"] = f"{r['metric']}:{r['function']}"
            out.append(r)
        return old, out
    edit_csv(os.path.join(d, "summary.csv"), downgrade)
    r = run(d)
    md = read(os.path.join(d, "report.md")) if r.returncode == 0 else ""
    check(r.returncode == 0, f"a run folder of the first schema is read (exit {r.returncode}: {r.stderr.strip()[-300:]})")
    check("quotients of medians, without intervals, and support no claim" in md and
          "bump is claimed faster than malloc (glibc) at 0 of" in md and "no interval" in md,
          "its ratios are medians' quotients and claim nothing")


def missing_columns(work):
    for fname, col in (("summary.csv", "spread"), ("summary.csv", "metric"), ("vectorization.csv", "loops_missed"),
                       ("fold.csv", "folds"), ("asm.csv", "frame_bytes")):
        d = fresh(work, f"missing-{col}")
        edit_csv(os.path.join(d, fname), lambda cols, rows: ([c for c in cols if c != col], rows))
        r = run(d)
        check(r.returncode == 2, f"without column {col} in {fname}: exit 2 (got {r.returncode})")
        check(fname in r.stderr and f"'{col}'" in r.stderr,
              f"without column {col} in {fname}: the error names the file and the column: {r.stderr.strip()!r}")
        check(not os.path.exists(os.path.join(d, "report.md")), f"without column {col}: no report written")


def absent_data(work):
    d = fresh(work, "no-physics")
    edit_csv(os.path.join(d, "summary.csv"), lambda cols, rows: (cols, [r for r in rows if r["workload"] != "physics"]))
    os.remove(os.path.join(d, "vectorization.csv"))
    r = run(d)
    check(r.returncode == 0, f"a run without physics and vectorization.csv still reports (exit {r.returncode})")
    md = read(os.path.join(d, "report.md")) if r.returncode == 0 else ""
    check(not os.path.exists(os.path.join(d, "figures", "physics.png")), "no physics figure without physics rows")
    check(not os.path.exists(os.path.join(d, "figures", "vectorization.png")), "no vectorization figure without its csv")
    check(re.search(r"Figure 4\. Physics[^\n]*\n\n\*\*Not drawn\*\*: no rows with workload=physics", md) is not None,
          "the report says why the physics figure is not drawn")
    check("**Not drawn**: no vectorization.csv" in md, "the report says why the vectorization figure is not drawn")
    check("notice: physics not drawn" in r.stdout, "figures.py prints the notice")
    check(os.path.exists(os.path.join(d, "figures", "rk4_time.png")), "the other figures are still drawn")
    # a panel whose only series has no data is dropped, not drawn empty
    d = fresh(work, "no-clang-physics")
    edit_csv(os.path.join(d, "summary.csv"), lambda cols, rows: (cols, [
        r for r in rows if not (r["workload"] == "physics" and r["compiler"] == "clang")]))
    r = run(d)
    params = read(os.path.join(d, "figures", "data", "physics.params.gp")) if r.returncode == 0 else ""
    check("npanels = 8" in params and "(clang" not in params,
          "physics without clang rows has 8 panels (2 engines x 4 scenes), none for clang")


def many_sizes(work):
    # a full run's size list (every power of two) must not crowd the x axis
    d = fresh(work, "many-sizes")

    def more(cols, rows):
        extra = []
        for r in rows:
            if r["workload"] == "rk4" and r["case"] == "decay" and r["n"] == "16":
                for n in (8, 32, 128, 512, 2048):
                    extra.append(dict(r, n=str(n)))
        return cols, rows + extra
    edit_csv(os.path.join(d, "summary.csv"), more)
    r = run(d)
    params = read(os.path.join(d, "figures", "data", "rk4_time.params.gp"))
    xv = re.findall(r"^xv\[\d+\] = (\S+)$", params, re.M)
    check(r.returncode == 0 and 2 <= len(xv) <= 7 and xv[-1] == "4096",
          f"11 sizes give at most 7 labelled x tics, the largest kept: {xv}")


def level_from_flags(work):
    """Rows that do not name their level take the run's, from the flags in meta.json, so the
    compiler evidence of that level still explains them."""
    d = fresh(work, "no-level")
    edit_csv(os.path.join(d, "summary.csv"), lambda cols, rows: (cols, [dict(r, level="" if r["level"] == "-O2"
                                                                             else r["level"]) for r in rows]))
    r = run(d)
    md = read(os.path.join(d, "report.md")) if r.returncode == 0 else ""
    check(re.search(r"\*\*RK4, gcc -O2\*\*: .* loops vectorized in the inlined step: bump 0 of 72", md) is not None,
          "rows without a level are the run's level (-O2 from its flags), explained by that level's evidence")


def bad_input(work):
    r = subprocess.run(FIGURES + [os.path.join(work, "no-such-run")], capture_output=True, text=True)
    check(r.returncode == 2 and "no-such-run" in r.stderr, f"a missing run folder is named: {r.stderr.strip()!r}")
    d = fresh(work, "no-summary")
    os.remove(os.path.join(d, "summary.csv"))
    r = run(d)
    check(r.returncode == 2 and "summary.csv" in r.stderr, f"a missing summary.csv is named: {r.stderr.strip()!r}")


def contract(work):
    # what figures.py reads of summary.csv is what the harness writes
    missing = [c for c in F.FILES["summary"][2].values() if c not in R.COLUMNS]
    check(not missing, f"figures.py reads only summary columns the harness writes (not: {missing})")
    # the recorded fixture is what its generator makes (fold.csv is recorded, not generated)
    out = os.path.join(work, "regenerated")
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(HERE, "make_fixture.py"), out], check=True)
    for f in ("summary.csv", "vectorization.csv", "asm.csv", "meta.json"):
        check(read(os.path.join(out, f)) == read(os.path.join(FIXTURE, f)),
              f"tests/figures/run/{f} matches make_fixture.py (rerun it after a contract change)")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    md = full_run(work)
    sentences_follow_data(work, md)
    missing_columns(work)
    absent_data(work)
    many_sizes(work)
    first_schema(work)
    level_from_flags(work)
    bad_input(work)
    contract(work)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
