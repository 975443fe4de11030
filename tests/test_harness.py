#!/usr/bin/env python3
"""The harness's parsers on recorded inputs (tests/harness/), and its errors.

    test_harness.py              parser tests
    test_harness.py --smoke BUILD_DIR
                                 runs `python3 -m ssbench --mode smoke` end to end on BUILD_DIR
                                 and checks the run folder's contents and summary.csv's columns
(harness/ on PYTHONPATH: ctest sets it.)
"""
import csv
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from ssbench import claims, ratios
from ssbench import meta as M
from ssbench import parsers as P
from ssbench import perfcheck
from ssbench import results as R
from ssbench import stats as S
from ssbench.build import Build
from ssbench.jobs import alloc, physics, rk4

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "harness")
BENCH = [sys.executable, "-m", "ssbench"]

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def expect_error(fn, needle, what):
    try:
        fn()
    except R.ParseError as e:
        check(needle in str(e), f"{what}: error '{e}' should name '{needle}'")
        return
    check(False, f"{what}: no error raised")


def numeric_or_empty(v):
    if v == "":
        return True
    try:
        float(v)
        return True
    except ValueError:
        return False


def schema(rows, what):
    """What every summary row promises (docs/harness.md): exactly the columns, a number or
    nothing in the numeric columns, ok or failed in check."""
    check(all(list(r) == R.COLUMNS for r in rows), f"{what}: every row has exactly the summary columns")
    bad = [(r["metric"], c, r[c]) for r in rows for c in ("value", "spread", "ci_low", "ci_high")
           if not numeric_or_empty(str(r[c]))]
    check(not bad, f"{what}: value, spread, ci_low and ci_high are numbers or empty: {bad[:3]}")
    check(all(r["check"] in ("ok", "failed") for r in rows), f"{what}: check is ok or failed on every row")
    check(all(r["value"] == "" for r in rows if r["check"] == "failed"), f"{what}: a failed case is never timed")


def parsers(work):
    # the parsers write an index beside each raw file: they read copies of the recorded inputs
    fix = os.path.join(work, "fixtures")
    shutil.copytree(FIX, fix)
    ctx = {"compiler": "gcc", "level": "-O2", "variant": "default", "malloc_lib": "glibc"}
    rows = P.gbench_rows(os.path.join(fix, "gbench_push.json"), ctx, alloc.name_fields)
    schema(rows, "gbench_push.json")
    by = {(r["impl"], r["case"], r["n"], r["metric"]): r for r in rows}
    med = by.get(("bump", "one", "1000", "time_median"))
    check(med is not None and float(med["value"]) > 0 and med["unit"] == "ns" and med["repetitions"] == 2,
          f"gbench median row of BM_push_ss/count:1000/two:0: {med}")
    check(med is not None and med["check"] == "ok" and med["level"] == "-O2", f"rows carry check and level: {med}")
    check(med is not None and float(med["spread"]) > 0, f"the spread of two repetitions is half their range: {med}")
    check(med is not None and med["ci_low"] == "" and med["ci_high"] == "",
          "two repetitions give no 95 % interval of the median")
    check(("bump", "one", "1000", "time_cv") in by and ("bump", "one", "1000", "items_per_second") in by,
          "gbench cv and items_per_second rows")
    mf = by.get(("bump", "one", "1000", "minor_faults_per_iteration"))
    check(mf is not None and mf["unit"] == "count", f"the user counter minor_faults is per iteration, a count: {mf}")
    check(not any(r["metric"] == "check" for r in rows if r["check"] == "ok"),
          "a case that passed has no check row of its own (check=ok on its rows)")
    bad = [r for r in rows if r["impl"] == "bump" and r["case"] == "two"]
    check(len(bad) == 1 and bad[0]["metric"] == "check" and bad[0]["check"] == "failed" and bad[0]["value"] == ""
          and "push result wrong" in bad[0]["note"], f"a SkipWithError benchmark is one failed row: {bad}")
    keys = P.read_keys(os.path.join(fix, "gbench_push.json"))
    check(keys is not None and set(keys) == {"BM_push_realloc/count:1000/two:1", "BM_push_ss/count:1000/two:0",
                                             "BM_push_ss/count:1000/two:1"} and
          keys["BM_push_ss/count:1000/two:0"]["impl"] == "bump", f"the JSON file's index names its benchmarks: {keys}")
    check(alloc.name_fields("BM_alloc_malloc/n:1024/k:8") ==
          {"impl": "malloc", "workload": "alloc", "case": "k8", "n": "1024"}, "alloc benchmark names")
    check(alloc.name_fields("BM_unknown/3") is None, "unknown names are skipped")

    # RK4, recorded with 9 repetitions: call and mode come from the name, the per-step time from
    # each repetition's CPU time and its steps counter
    path = os.path.join(fix, "gbench_rk4.json")
    rows = P.gbench_rows(path, ctx, rk4.name_fields)
    schema(rows, "gbench_rk4.json")
    by = {(r["impl"], r["metric"]): r for r in rows}
    st = by.get(("bump", "ns_per_step"))
    check(st is not None and (st["case"], st["call"], st["mode"], st["n"]) == ("decay", "static", "final", "4"),
          f"rk4/decay/bump/static/final/4: case, call, mode and n columns: {st}")
    with open(path) as f:
        data = json.load(f)
    reps = [b for b in data["benchmarks"] if b["run_name"] == "rk4/decay/bump/static/final/4"
            and b["run_type"] == "iteration"]
    per = sorted(b["cpu_time"] / b["steps"] for b in reps)
    check(len(reps) == 9 and st is not None and abs(float(st["value"]) / per[4] - 1) < 1e-5,
          f"ns_per_step is the median of the repetitions' CPU time per step ({per[4]:.6g}): {st}")
    check(st is not None and abs(float(st["ci_low"]) / per[1] - 1) < 1e-5 and abs(float(st["ci_high"]) / per[7] - 1)
          < 1e-5, f"its 95 % interval is the 2nd and 8th of the 9 ({per[1]:.6g}, {per[7]:.6g}): {st}")
    q1, q3 = statistics.quantiles(per, n=4, method="inclusive")[0], statistics.quantiles(per, n=4, method="inclusive")[2]
    check(st is not None and abs(float(st["spread"]) / (q3 - q1) - 1) < 1e-3,
          f"its spread is the interquartile range ({q3 - q1:.4g}): {st['spread'] if st else None}")
    tps = by.get(("bump", "time_per_step"))
    check(tps is not None and tps["unit"] == "s" and abs(float(tps["value"]) * 1e9 / per[4] - 1) < 1e-3,
          f"the counter time_per_step is seconds per step: {tps}")
    check(("bump", "steps_per_iteration") in by and ("bump", "n") not in by, "steps counter named, n not repeated")
    check(by.get(("malloc-once", "ns_per_step")) is not None, "the job's impl names are kept (malloc-once)")

    rows = P.gbench_rows(os.path.join(fix, "gbench_physics.json"), ctx, physics.name_fields)
    schema(rows, "gbench_physics.json")
    sps = [r for r in rows if r["metric"] == "steps_per_second"]
    check(len(sps) == 2 and all((r["engine"], r["case"], r["n"]) == ("loop", "rain", "16") for r in sps),
          f"physics/rain/<impl>/16: engine loop, case rain, steps per second: {[(r['impl'], r['engine']) for r in sps]}")
    check(P.gbench_name_columns("physics/array/cloth/bump/1024") == {"engine": "array", "case": "cloth"},
          "physics/<engine>/<scene>/<impl>/<n>: the engine from the name")
    check(P.gbench_name_columns("rk4/heat1d/stack/fnptr/full/64") ==
          {"case": "heat1d", "call": "fnptr", "mode": "full"}, "rk4 names: call and mode")

    rows = P.hyperfine_rows(os.path.join(fix, "hyperfine_true.json"), ctx)
    schema(rows, "hyperfine_true.json")
    m = {r["metric"]: r for r in rows}
    w = m.get("wall_median")
    check(w is not None and w["unit"] == "s" and w["repetitions"] == 3 and abs(float(w["value"]) - 0.000690474) < 1e-9,
          f"hyperfine median: {w}")
    check(w is not None and abs(float(w["spread"]) - (0.00141668 - 0.000671121)) < 1e-7,
          f"hyperfine spread: the IQR of the three runs: {w}")
    rows = P.hyperfine_rows(os.path.join(fix, "hyperfine_false.json"), ctx)
    check(len(rows) == 1 and rows[0]["check"] == "failed" and rows[0]["value"] == "",
          "a command that exits non-zero is a failed check")

    total = P.callgrind_total(os.path.join(fix, "callgrind_alloc_malloc.out"))
    check(total == 1449842, f"callgrind total {total}")
    with open(os.path.join(fix, "callgrind_alloc_malloc.annotate.txt")) as f:
        funcs = P.parse_callgrind_annotate(f.read())
    check(funcs.get("_int_free") == 562000 and funcs.get("kern_malloc_free") == 209039 and
          funcs.get("malloc") == 330023 and funcs.get("free") == 192000, f"callgrind_annotate functions: {funcs}")
    check(sum(funcs.values()) == total, "per-function self costs add up to the total")

    # row(): the older call forms the tools use come out in this schema
    r = R.row(ctx, "instructions:malloc", 330023, "Ir", 1, tool="callgrind")
    check((r["metric"], r["function"], r["check"]) == ("instructions", "malloc", "ok"),
          f"instructions:<fn> is metric instructions, function <fn>: {r}")
    r = R.row(ctx, "check", "failed", "", spread="exit 3", tool="process")
    check((r["metric"], r["value"], r["check"], r["note"], r["spread"]) == ("check", "", "failed", "exit 3", ""),
          f"the older failed-check row: check=failed, the message in note: {r}")
    expect_error(lambda: R.row(ctx, "time_median", "fast", "ns"), "not a number", "a word in the value column")

    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "not.json")
        with open(p, "w") as f:
            f.write("{oops")
        expect_error(lambda: P.gbench_rows(p, ctx, alloc.name_fields), "not.json", "bad gbench JSON")
        expect_error(lambda: P.callgrind_total(p), "not a callgrind output", "bad callgrind file")
        s = os.path.join(d, "summary.csv")
        with open(s, "w") as f:
            f.write("impl,workload,value\nbump,rk4,1\n")
        expect_error(lambda: R.read_summary(s), "summary.csv: missing column(s) case", "summary without columns")
        # a summary.csv of the first schema is read in this one
        with open(s, "w") as f:
            f.write("impl,workload,case,n,compiler,variant,malloc_lib,metric,value,unit,repetitions,spread,tool\n"
                    "bump,rk4,decay+fnptr,4,gcc,default,glibc,ns_per_step,51.7,ns,9,3.1,gbench\n"
                    "bump,rk4,decay,4,gcc,default,glibc,instructions:rk4_run_bump,120,Ir,1,,callgrind\n"
                    "malloc,physics,rain,256,gcc,default,glibc,check,failed,,,energy drift,ss-run\n"
                    "bump,rk4,decay,4,gcc,default,glibc,time_per_step,5e-8,per_iteration,9,0,gbench\n")
        old = R.read_summary(s, level="-O2")
        schema(old, "an upgraded summary.csv of the first schema")
        check((old[0]["case"], old[0]["call"], old[0]["mode"], old[0]["level"], old[0]["spread"]) ==
              ("decay", "fnptr", "final", "-O2", ""), f"+fnptr becomes call=fnptr: {old[0]}")
        check((old[1]["metric"], old[1]["function"]) == ("instructions", "rk4_run_bump"), f"upgraded: {old[1]}")
        check((old[2]["check"], old[2]["value"], old[2]["note"], old[2]["engine"]) ==
              ("failed", "", "energy drift", "loop"), f"upgraded failed check: {old[2]}")
        check((old[3]["metric"], old[3]["unit"]) == ("time_per_step", "s"), f"upgraded counter unit: {old[3]}")
        run = os.path.join(d, "run")
        os.makedirs(run)
        for append in (True, True, False):
            sm = R.Summary(run, append=append)
            sm.add([R.row(ctx, "x", 1, "u")])
            sm.close()
        check(len(R.read_summary(os.path.join(run, "summary.csv"))) == 1,
              "Summary writes a readable CSV; append=False starts it afresh")


#~ Statistics: the Hodges-Lehmann interval against scipy, its coverage on simulated A/A data

# scipy's Mann-Whitney test is the reference; it runs in a child interpreter (this one, else
# Debian's: python3-scipy installs into /usr/bin/python3) and is given the shifted samples
SCIPY_REFERENCE = """
import json, sys
import numpy as np
from scipy.stats import mannwhitneyu
out = []
for x, y, d, method in json.load(sys.stdin):
    if d is None:
        out.append(float(np.median(np.subtract.outer(np.array(x), np.array(y)))))
    else:
        out.append(float(mannwhitneyu([a - d for a in x], y, alternative="two-sided", method=method).pvalue))
json.dump(out, sys.stdout)
"""


def scipy_reference(queries):
    for py in dict.fromkeys([sys.executable, "/usr/bin/python3"]):
        try:
            r = subprocess.run([py, "-c", SCIPY_REFERENCE], input=json.dumps(queries), capture_output=True, text=True)
        except OSError:
            continue
        if r.returncode == 0:
            return json.loads(r.stdout)
    return None


def statistics_tests():
    rng = random.Random(20261130)
    c = S.critical(9, 9)
    check((c.k, c.method, round(c.coverage, 5)) == (18, "exact", 0.96002),
          f"9 against 9 at 95 %: exact, the 18th and 64th of 81 differences, coverage 96.0 %: {c}")
    check(S.critical(5, 5).k == 3 and S.critical(3, 3).k == 0, "5 against 5: k = 3; 3 against 3: no 95 % interval")
    check(sum(S.mann_whitney_counts(9, 7)) == math.comb(16, 9) and S.mann_whitney_counts(9, 7) ==
          tuple(reversed(S.mann_whitney_counts(9, 7))), "the null distribution of U: C(m+n, m) orderings, symmetric")
    check(S.critical(60, 60).method == "normal" and S.critical(50, 50).method == "exact",
          "exact up to 50 x 50 pairs, the normal approximation beyond")
    xs = [5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 7.0, 8.0, 6.0]
    check(S.median_ci(xs) == (2.0, 8.0) and S.median_ci(xs[:5]) is None,
          "the median's interval: 2nd and 8th of 9; none of 5")
    check(S.iqr([1.0, 2.0, 3.0, 4.0]) == 1.5 and S.iqr([3.0]) is None, "IQR by linear interpolation; none of one")

    # the interval is the inversion of the test: just outside each end scipy's test rejects at
    # 5 %, just inside it does not (exact for small samples, the normal approximation for large)
    queries, cases = [], []
    for m, n, method in ((9, 9, "exact"), (9, 9, "exact"), (5, 5, "exact"), (12, 7, "exact"), (60, 60, "asymptotic")):
        x = [rng.lognormvariate(0.1, 0.3) for _ in range(m)]
        y = [rng.lognormvariate(0.0, 0.3) for _ in range(n)]
        h = S.hodges_lehmann(x, y)
        d = sorted({a - b for a in x for b in y})
        eps = min(b - a for a, b in zip(d, d[1:])) / 4
        cases.append((m, n, h))
        queries += [[x, y, None, method], [x, y, h.low - eps, method], [x, y, h.low + eps, method],
                    [x, y, h.high - eps, method], [x, y, h.high + eps, method]]
    ref = scipy_reference(queries)
    check(ref is not None, "scipy answers (Debian's python3-scipy: make test installs it)")
    for i, (m, n, h) in enumerate(cases if ref else []):
        med, lo_out, lo_in, hi_in, hi_out = ref[5 * i:5 * i + 5]
        check(abs(med - h.estimate) < 1e-12, f"{m} vs {n}: the estimate is the median of the differences ({med})")
        check(lo_out < 0.05 <= lo_in and hi_out < 0.05 <= hi_in,
              f"{m} vs {n} ({h.critical.method}): scipy rejects just outside the interval and not inside: "
              f"p = {lo_out:.4f} | {lo_in:.4f} ... {hi_in:.4f} | {hi_out:.4f}")

    # coverage on simulated A/A data: two samples of one distribution, the ratio's interval
    # covers 1 in about 96 % of trials (the exact coverage above), whatever the distribution
    trials = 2000
    for what, draw in (("log-normal", lambda: rng.lognormvariate(0, 0.05)),
                       ("log-normal with 10 % outliers 1.5x", lambda: rng.lognormvariate(0, 0.05) *
                        (1.5 if rng.random() < 0.1 else 1.0))):
        cover = sum(S.ratio([draw() for _ in range(9)], [draw() for _ in range(9)]).covers_one
                    for _ in range(trials))
        check(abs(cover / trials - c.coverage) < 0.013 and 0.94 <= cover / trials <= 0.98,
              f"A/A coverage, {what}: {cover} of {trials} ({cover / trials:.3f}; exact {c.coverage:.3f})")
    # and a true ratio of 1.2 is covered as often, and found
    hits, est = 0, []
    for _ in range(trials):
        r = S.ratio([1.2 * rng.lognormvariate(0, 0.05) for _ in range(9)], [rng.lognormvariate(0, 0.05) for _ in range(9)])
        hits += r.low <= 1.2 <= r.high
        est.append(r.value)
    check(abs(hits / trials - c.coverage) < 0.013, f"coverage of a true ratio 1.2: {hits / trials:.3f}")
    check(abs(statistics.median(est) - 1.2) < 0.005, f"the estimate of a ratio 1.2: median {statistics.median(est):.4f}")


#~ Ratio rows of a run folder, the claim rule

def gbench_file(path, benches, level_avg=0.5):
    """A google-benchmark JSON file of repetitions: {name: [CPU ns per iteration]} (100 steps
    an iteration, as bench_rk4 counts them)."""
    entries = []
    for name, times in benches.items():
        for i, t in enumerate(times):
            entries.append({"name": name, "run_name": name, "run_type": "iteration", "repetitions": len(times),
                            "repetition_index": i, "threads": 1, "iterations": 10, "real_time": t * 1.01,
                            "cpu_time": t, "time_unit": "ns", "steps": 100.0})
    with open(path, "w") as f:
        json.dump({"context": {"library_build_type": "debug", "load_avg": [level_avg, 0.4, 0.3]},
                   "benchmarks": entries}, f)


def synthetic_run(d, rng, scale=1.0, reps=9):
    """A run folder whose gbench/ holds RK4 cases with known ratios, indexed and summarized as
    the harness does."""
    os.makedirs(os.path.join(d, "gbench"))
    os.makedirs(os.path.join(d, "hyperfine"))
    noise = lambda: rng.lognormvariate(0, 0.02)
    name = "rk4/decay/{}/static/final/4"
    files = [  # (tag, context, {impl: true time per iteration})
        ("rk4-gcc-default", {"compiler": "gcc", "level": "-O2", "variant": "default"},
         {"bump": 5000, "malloc": 15000, "stack": 2500, "aa_control": 5000, "aa_layout": 5150, "bump_tuned": 4000,
          "malloc_tuned": 6000, "bump_checked": 5500}),
        ("rk4-gcc-noinline", {"compiler": "gcc", "level": "-O2", "variant": "noinline"}, {"bump": 6000, "malloc": 15000}),
        ("rk4-gcc-O3-default", {"compiler": "gcc", "level": "-O3", "variant": "default"}, {"bump": 2000, "malloc": 12000}),
        ("rk4-clang-default", {"compiler": "clang", "level": "-O2", "variant": "default"}, {"bump": 2500}),
    ]
    rows = []
    for tag, ctx, impls in files:
        for lib in ("glibc", "jemalloc") if tag == "rk4-gcc-default" else ("glibc",):
            chosen = impls if lib == "glibc" else {"malloc": 9000}
            p = os.path.join(d, "gbench", f"{tag}-{lib}.json")
            gbench_file(p, {name.format(i.replace("-", "_")): [t * scale * noise() for _ in range(reps)]
                            for i, t in chosen.items()})
            rows += P.gbench_rows(p, dict(ctx, malloc_lib=lib), rk4.name_fields)
    for impl, t in (("bump", 0.2), ("malloc", 0.3)):
        p = os.path.join(d, "hyperfine", f"rk4-{impl}.json")
        times = [t * scale * noise() for _ in range(reps)]
        with open(p, "w") as f:
            json.dump({"results": [{"command": "x", "mean": sum(times) / reps, "stddev": 0.0, "median": sorted(times)[reps // 2],
                                    "min": min(times), "max": max(times), "times": times, "exit_codes": [0] * reps}]}, f)
        rows += P.hyperfine_rows(p, {"impl": impl, "workload": "rk4", "case": "decay", "n": "4", "compiler": "gcc",
                                     "level": "-O2", "variant": "default", "malloc_lib": "glibc"})
    for impl, ir in (("bump", 40000), ("malloc", 290000)):
        c = {"impl": impl, "workload": "rk4", "case": "decay", "call": "static", "mode": "final", "n": "4",
             "compiler": "gcc", "level": "-O2", "variant": "default", "malloc_lib": "glibc"}
        rows.append(R.row(c, "instructions_per_step", round(ir * (1.02 if scale > 1 else 1)), "Ir", 1, tool="callgrind"))
        rows.append(R.row(c, "peak_rss", 1800, "KiB", 1, tool="process"))
    sm = R.Summary(d, append=False)
    sm.add(rows)
    sm.close()


def ratio_tests(work):
    rng = random.Random(7)
    d = os.path.join(work, "ratios-run")
    synthetic_run(d, rng)
    added = ratios.add(d, log=lambda m: None)
    rows = R.read_summary(os.path.join(d, "summary.csv"))
    schema(rows, "a summary.csv with ratio rows")
    rr = [r for r in rows if r["metric"] == "ratio"]
    check(added == len(rr) and added > 0, f"ratios.add reports the rows it added ({added}, {len(rr)} in the file)")
    by = {(r["impl"], r["variant"], r["level"], r["compiler"], r["malloc_lib"], r["tool"]): r for r in rr}
    m = by.get(("malloc/bump", "default", "-O2", "gcc", "glibc", "gbench"))
    check(m is not None and m["unit"] == "ratio" and m["repetitions"] == "9" and m["spread"] == "" and
          float(m["ci_low"]) < 3 < float(m["ci_high"]) and 2.9 < float(m["value"]) < 3.1 and float(m["ci_low"]) > 1,
          f"malloc/bump of a 3x slower malloc: about 3, its interval around 3 and above 1: {m}")
    # the value is stats.ratio of the per-repetition CPU times per step in the raw JSON
    with open(os.path.join(d, "gbench", "rk4-gcc-default-glibc.json")) as f:
        data = json.load(f)["benchmarks"]
    per = {i: [e["cpu_time"] / e["steps"] for e in data if e["name"] == f"rk4/decay/{i}/static/final/4"]
           for i in ("malloc", "bump")}
    ref = S.ratio(per["malloc"], per["bump"])
    check(m is not None and abs(float(m["value"]) / ref.value - 1) < 1e-5 and abs(float(m["ci_low"]) / ref.low - 1) < 1e-5,
          f"the ratio row is stats.ratio of the raw repetitions ({ref})")
    for key, what in ((("aa_control/bump", "default", "-O2", "gcc", "glibc", "gbench"), "the in-run A/A"),
                      (("aa_layout/bump", "default", "-O2", "gcc", "glibc", "gbench"), "the layout control"),
                      (("bump_checked/bump", "default", "-O2", "gcc", "glibc", "gbench"), "bump_checked against bump"),
                      (("malloc_tuned/bump_tuned", "default", "-O2", "gcc", "glibc", "gbench"), "malloc_tuned/bump_tuned"),
                      (("stack/bump_tuned", "default", "-O2", "gcc", "glibc", "gbench"), "stack/bump_tuned"),
                      (("malloc/bump", "default", "-O2", "gcc", "jemalloc", "gbench"), "malloc under jemalloc / bump"),
                      (("bump", "noinline/default", "-O2", "gcc", "glibc", "gbench"), "a variant against the default"),
                      (("malloc", "default", "-O2/-O3", "gcc", "glibc", "gbench"), "-O2 against -O3"),
                      (("bump", "default", "-O2", "gcc/clang", "glibc", "gbench"), "gcc against clang"),
                      (("malloc/bump", "default", "-O2", "gcc", "glibc", "hyperfine"), "hyperfine's wall times")):
        check(key in by, f"ratio row of {what}: {key}")
    j = by.get(("malloc/bump", "default", "-O2", "gcc", "jemalloc", "gbench"))
    check(j is not None and 1.6 < float(j["value"]) < 2.0, f"malloc (jemalloc) is compared with bump under glibc: {j}")
    lv = by.get(("bump", "default", "-O2/-O3", "gcc", "glibc", "gbench"))
    check(lv is not None and 2.3 < float(lv["value"]) < 2.7, f"-O2/-O3 of bump 5000 vs 2000 ns: 2.5: {lv}")
    check(("malloc", "default", "-O2", "gcc/clang", "glibc", "gbench") not in by, "no ratio without both sides")
    ratios.add(d, log=lambda m: None)
    again = [r for r in R.read_summary(os.path.join(d, "summary.csv")) if r["metric"] == "ratio"]
    check(len(again) == len(rr), f"ratios.add replaces its earlier rows: {len(again)} after a second pass")
    # two repetitions give a ratio without an interval
    d2 = os.path.join(work, "ratios-2reps")
    synthetic_run(d2, random.Random(8), reps=2)
    ratios.add(d2, log=lambda m: None)
    two = [r for r in R.read_summary(os.path.join(d2, "summary.csv")) if r["metric"] == "ratio"]
    check(two and all(r["ci_low"] == r["ci_high"] == "" and r["value"] for r in two),
          "a ratio of two repetitions has an estimate and no 95 % interval")
    # a raw file without its index is named and left out
    os.remove(P.keys_path(os.path.join(d2, "gbench", "rk4-clang-default-glibc.json")))
    notes = []
    ratios.add(d2, log=notes.append)
    check(any("rk4-clang-default-glibc.json: no index" in n for n in notes), f"a file without index is named: {notes}")
    r = subprocess.run([sys.executable, "-m", "ssbench.ratios", os.path.join(work, "no-such-run")],
                       capture_output=True, text=True)
    check(r.returncode == 2 and "no-such-run" in r.stderr and "not a run folder" in r.stderr,
          f"ratios on a missing folder: exit 2, named: {r.stderr.strip()}")

    # the claim rule on these rows: malloc/bump is claimed (bump faster), the A/A is not, and a
    # ratio within the layout control's effect is not
    floor = claims.Floor(rr)
    tau = floor.tau("gcc", "-O2")
    lay = by[("aa_layout/bump", "default", "-O2", "gcc", "glibc", "gbench")]
    check(floor.present and abs(tau - abs(math.log(float(lay["value"])))) < 1e-12,
          f"the layout floor is the layout control's |ln ratio|: {tau:.4f}")
    check(claims.verdict(m, floor) == claims.FASTER, "a 3x slower malloc: bump is claimed faster")
    fake = dict(m, value="1.02", ci_low="1.01", ci_high="1.03")
    check(claims.verdict(fake, floor) == claims.WITHIN_LAYOUT, f"1.02 [1.01, 1.03] is within a layout effect of {tau:.3f}")
    check(claims.verdict(dict(m, value="0.5", ci_low="0.45", ci_high="0.55"), floor) == claims.SLOWER,
          "0.5 [0.45, 0.55]: bump claimed slower")
    check(claims.verdict(dict(m, value="1.3", ci_low="0.9", ci_high="1.6"), floor) == claims.COVERS_ONE,
          "an interval that covers 1 claims nothing")
    check(claims.verdict(dict(m, ci_low="", ci_high=""), floor) == claims.NO_INTERVAL, "no interval, no claim")
    check(claims.verdict(fake, claims.Floor([])) == claims.FASTER, "without a layout control, the floor is 0")
    check(claims.Floor(rr).tau("clang", "-O3") == tau, "a compiler and level without layout rows use the run's")
    cover, total = claims.aa_coverage(rr)
    check(total == 1 and cover in (0, 1), f"A/A coverage counts the aa_control rows: {cover} of {total}")


def compare_tests(work):
    a, b, c = (os.path.join(work, f"cmp-{x}") for x in "abc")
    synthetic_run(a, random.Random(1))
    synthetic_run(b, random.Random(2))  # the same "commit" again: a between-run A/A
    synthetic_run(c, random.Random(3), scale=1.25)  # everything 25 % slower
    os.remove(os.path.join(c, "gbench", "rk4-clang-default-glibc.json"))
    cmp = [sys.executable, "-m", "ssbench.compare"]
    r = subprocess.run(cmp + [a, b], capture_output=True, text=True)
    out = r.stdout
    check(r.returncode == 0, f"compare of two runs: exit 0 ({r.returncode}: {r.stderr.strip()[-300:]})")
    check("== google-benchmark's compare.py" in out and "-- gbench/rk4-gcc-default-glibc.json" in out and
          "rk4/decay/malloc/static/final/4" in out, "compare.py's table for each pair of JSON files")
    check(re.search(r"gbench: rk4/decay/static/final n=4 malloc gcc -O2 default glibc .* covers 1", out) is not None,
          "the HL ratio B/A per case, with its verdict")
    m = re.search(r"(\d+) of (\d+) intervals cover 1", out)
    check(m is not None and int(m.group(2)) >= 15 and int(m.group(1)) >= int(m.group(2)) - 2,
          f"two runs of one commit: (nearly) every interval covers 1: {m.group(0) if m else out[-500:]}")
    check("== callgrind: instructions" in out and re.search(r"instructions_per_step: .* 290,000 Ir +290,000 Ir +\+0\.00%", out)
          is not None, "the callgrind rows side by side, with the change")
    check("peak_rss: " in out and "wall_median: " in out, "the whole-process rows side by side")
    r = subprocess.run(cmp + [a, c], capture_output=True, text=True)
    m = re.search(r"(\d+) of (\d+) intervals cover 1", r.stdout)
    check(r.returncode == 0 and m is not None and int(m.group(1)) == 0, f"a 25 % slower run: no interval covers 1: "
          f"{m.group(0) if m else r.stdout[-300:]}")
    check(re.search(r"B/A .*\n.*1\.2[45]\d* +\[1\.2", r.stdout) is not None or "B slower" in r.stdout,
          "a 25 % slower run is B slower")
    check("only in A: gbench/rk4-clang-default-glibc.json" in r.stdout, "a file only one run has is listed")
    check(re.search(r"instructions_per_step: .* \+2\.00%", r.stdout) is not None, "a 2 % change of instructions")
    for args, needle, what in (([a, os.path.join(work, "nope")], "B=", "a missing run folder"),
                               ([work, a], "no summary.csv", "a folder without summary.csv")):
        r = subprocess.run(cmp + args, capture_output=True, text=True)
        check(r.returncode == 2 and needle in r.stderr, f"{what}: exit 2, named ({r.returncode}: {r.stderr.strip()})")
    r = subprocess.run(cmp + [a, b], capture_output=True, text=True, env=dict(os.environ, GBENCH_COMPARE="/nonexistent"))
    check(r.returncode == 2 and "libbenchmark-tools" in r.stderr, f"compare.py missing: named ({r.stderr.strip()})")


def publish_tests(work):
    """ssbench.publish: a run made fit to commit, raw JSON compressed, and every reader reads it."""
    a, pub = os.path.join(work, "cmp-a"), os.path.join(work, "pub-a")
    os.makedirs(os.path.join(a, "callgrind"), exist_ok=True)
    with open(os.path.join(a, "callgrind", "cg.out"), "w") as f:
        f.write("x" * 1000)
    pubcmd = [sys.executable, "-m", "ssbench.publish"]
    r = subprocess.run(pubcmd + [a, pub], capture_output=True, text=True)
    check(r.returncode == 0, f"publish a run: exit 0 ({r.returncode}: {r.stderr.strip()})")
    raw = sorted(os.listdir(os.path.join(pub, "gbench")))
    check(raw and all(f.endswith((".json.gz", ".keys.csv")) for f in raw) and any(f.endswith(".json.gz") for f in raw),
          f"published raw files are compressed, beside their indexes: {raw}")
    check(not os.path.exists(os.path.join(pub, "callgrind")), "callgrind's output files are not published")
    notes_a, notes_p = [], []
    sa = sorted((x.key, tuple(x.values)) for x in ratios.samples(a, notes_a))
    sp = sorted((x.key, tuple(x.values)) for x in ratios.samples(pub, notes_p))
    check(sa and sa == sp and not notes_p, f"the ratios read the compressed files as the plain ones ({len(sa)} samples, "
          f"{len(sp)} published, notices {notes_p})")
    r = subprocess.run([sys.executable, "-m", "ssbench.compare", a, pub], capture_output=True, text=True)
    m = re.search(r"(\d+) of (\d+) intervals cover 1", r.stdout)
    check(r.returncode == 0 and "-- gbench/rk4-gcc-default-glibc.json" in r.stdout and m is not None and
          m.group(1) == m.group(2), f"make compare of a run and its published copy: every interval covers 1 "
          f"({r.returncode}: {m.group(0) if m else r.stderr.strip()[-300:]})")
    r = subprocess.run(pubcmd + [a, pub], capture_output=True, text=True)
    check(r.returncode == 2 and "exists" in r.stderr, f"an existing destination is refused: {r.stderr.strip()}")
    first = {f: open(os.path.join(pub, "gbench", f), "rb").read() for f in raw}
    time.sleep(1.1)  # gzip stamps seconds: a header with the time would now differ
    r = subprocess.run(pubcmd + [a, pub, "--force"], capture_output=True, text=True)
    again = {f: open(os.path.join(pub, "gbench", f), "rb").read() for f in raw}
    check(r.returncode == 0 and first == again, "publishing a run again writes the same bytes (no time in the gzip header)")
    r = subprocess.run(pubcmd + [a, pub, "--force", "--max-mb", "0.001"], capture_output=True, text=True)
    check(r.returncode == 2 and "above the limit" in r.stderr and not os.path.exists(pub),
          f"a result above the size limit is refused and removed: {r.stderr.strip()}")
    r = subprocess.run(pubcmd + [work, pub], capture_output=True, text=True)
    check(r.returncode == 2 and "not a run folder" in r.stderr, f"a folder without summary.csv: {r.stderr.strip()}")


def meta_tests(work):
    d = os.path.join(work, "meta-run")
    os.makedirs(os.path.join(d, "gbench"))
    M.write(d, {"status": "running"})
    first = json.load(open(os.path.join(d, "meta.json")))
    check(isinstance(first.get("load_average_before"), dict) and "1min" in first["load_average_before"],
          f"the first write records the load average before the run: {first.get('load_average_before')}")
    check("libc6" in first.get("packages", {}), f"and the toolchain's Debian packages: {first.get('packages')}")
    M.write(d, {"status": "complete"})
    again = json.load(open(os.path.join(d, "meta.json")))
    check(again["load_average_before"] == first["load_average_before"] and again["status"] == "complete",
          "a rewrite keeps the load before the run")
    shutil.copy(os.path.join(FIX, "gbench_rk4.json"), os.path.join(d, "gbench", "rk4.json"))
    a = M.after(d)
    gb = a.get("google_benchmark") or {}
    check(gb.get("library_build_type") == "debug" and gb.get("debug_build") is True and gb.get("files") == 1,
          f"google-benchmark's build type is read from the run's JSON (Debian's is a debug build): {gb}")
    check(a.get("load_average_after") and gb.get("load_avg_1min_at_file_start", {}).get("max") == 17.2393,
          f"the load after the run and at each file's start: {a}")
    mc = M.machine()
    check(mc.get("cpu_model") and mc.get("caches") and "extensions" in mc.get("cpu", {}) and "frequency" in mc,
          f"meta.json's machine: model name, caches, extensions, frequency: {mc}")
    check(M.level_of({"compilers": {"gcc": {"flags": {"default": "-march=x86-64-v3 -O2"}}}}) == "-O2" and
          M.level_of({"compilers": {"gcc": {"flags": {"default": "-O2"}}, "clang": {"flags": {"default": "-O3"}}}})
          == "", "the level of a run of the first schema: the flags' level, if they agree")


def perfcheck_logic():
    rows = [{"case": "a/bump", "group": "a", "impl": "bump", "instructions": 1021},
            {"case": "a/malloc", "group": "a", "impl": "malloc", "instructions": 900},
            {"case": "b/bump", "group": "b", "impl": "bump", "instructions": 1000}]
    base = {"a/bump": {"instructions": "1000"}, "a/malloc": {"instructions": "1000"},
            "b/bump": {"instructions": "1000"}, "c/bump": {"instructions": "5"}}
    table, regressions = perfcheck.compare(rows, base, 2.0)
    verdict = {t[0]: t[4] for t in table}
    check(regressions == 1 and verdict["a/bump"] == "REGRESSION", f"+2.1 % over a 2 % threshold regresses: {table}")
    check(verdict["a/malloc"] == "improved" and verdict["b/bump"] == "ok", f"improved and ok verdicts: {table}")
    check(verdict["c/bump"] == "not run", "a baseline case not run is named")
    _, regressions = perfcheck.compare(rows, base, 2.5)
    check(regressions == 0, "the threshold is honoured")
    th = perfcheck.thesis(rows)
    check(th == [("a", 1021, 900, "-", "0.88x", "refuted")], f"the thesis is reported refuted, with figures: {th}")
    names = [c[0] for c in perfcheck.CASES]
    check(len(names) == len(set(names)) and any(n.startswith("physics/") for n in names) and
          any(n.startswith("rk4/") for n in names), "perfcheck cases: unique names, rk4 and physics")

    # the ss_alloc invariant scans the objects a build names as hot: a call to an allocation
    # or scope function from one of them breaks it, a call to anything else does not
    class HotObjects:
        def __init__(self, d, objs):
            self.dir, self.objs = d, objs

        def hot_objects(self):
            return self.objs
    with tempfile.TemporaryDirectory() as d:
        objs = {}
        for name, callee in (("clean", "ss_region_grow"), ("calls", "ss_alloc_out_of_line")):
            src = os.path.join(d, f"{name}.c")
            with open(src, "w") as f:
                f.write(f"float *{callee}(float **s, unsigned n);\n"
                        f"float *hot_{name}(float **s) {{ return {callee}(s, 4) + 1; }}\n")
            objs[name] = os.path.join(d, f"{name}.o")
            subprocess.run(["gcc", "-O2", "-c", src, "-o", objs[name]], check=True)
        ok, text = perfcheck.asm_invariant(HotObjects(d, [objs["clean"]]))
        check(ok and "1 hot objects disassembled" in text, f"a call to ss_region_grow is allowed: {text}")
        ok, text = perfcheck.asm_invariant(HotObjects(d, [objs["clean"], objs["calls"]]))
        check(not ok and "calls.o: hot_calls calls ss_alloc_out_of_line" in text,
              f"a call to an ss_alloc function breaks the invariant, named: {text}")
        ok, text = perfcheck.asm_invariant(HotObjects(d, [os.path.join(d, "gone.o")]))
        check(not ok and "gone.o" in text, f"a hot object not built is named, never skipped: {text}")


def smoke(build_dir):
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run(BENCH + ["--mode", "smoke", "--build-dir", build_dir, "--results", d],
                           capture_output=True, text=True)
        print(r.stdout[-3000:], r.stderr[-3000:])
        check(r.returncode == 0, f"ssbench --mode smoke exit {r.returncode}")
        run = os.path.join(d, "latest")
        check(os.path.islink(run), "results/latest points to the run")
        for f in ("meta.json", "summary.csv", "gbench", "hyperfine", "callgrind", "logs"):
            check(os.path.exists(os.path.join(run, f)), f"run folder has {f}")
        meta = json.load(open(os.path.join(run, "meta.json")))
        for k in ("machine", "git", "compilers", "mode", "date_utc", "malloc_libs_found", "load_average_before",
                  "load_average_after", "packages", "google_benchmark"):
            check(k in meta, f"meta.json has {k}")
        check((meta.get("google_benchmark") or {}).get("library_build_type") in ("debug", "release"),
              f"meta.json names google-benchmark's build type: {meta.get('google_benchmark')}")
        check(meta.get("status") == "complete", f"meta.json status {meta.get('status')}")
        with open(os.path.join(build_dir, "ss_build.json")) as f:
            flags = json.load(f)["flags"]
        got = meta.get("compilers", {}).get("gcc", {}).get("flags", {}).get("default")
        check(got == flags, f"meta.json records the flags of the build measured ({flags!r}): {got!r}")
        with open(os.path.join(run, "fold.csv"), newline="") as f:
            fold = list(csv.DictReader(f))
        check(len(fold) == 60 and {r["folds"] for r in fold} == {"yes", "no"},
              f"fold.csv: the seed's experiment, 60 cells compiled with the build's flags ({len(fold)} rows)")
        check(os.path.exists(os.path.join(run, "fold.txt")), "fold.txt: the matrix as printed")
        # perf-check's invariant on this build: every hot object ss_build.json names is scanned,
        # and it holds where the build optimizes (at -O0 nothing is inlined)
        build = Build(build_dir)
        ok, text = perfcheck.asm_invariant(build)
        check(f"{len(build.hot_objects())} hot objects disassembled" in text and len(build.hot_objects()) >= 3,
              f"the ss_alloc invariant scans every hot object of the build: {text}")
        check(ok or "-O0" in build.info["level_flags"], f"the ss_alloc invariant holds on this build: {text}")
        with open(os.path.join(run, "summary.csv"), newline="") as f:
            rd = csv.DictReader(f)
            rows = list(rd)
            check(rd.fieldnames == R.COLUMNS, f"summary.csv columns {rd.fieldnames}")
        tools = {r["tool"] for r in rows}
        check({"gbench", "hyperfine", "callgrind"} <= tools, f"rows from every tool: {tools}")
        check(not any(r["check"] == "failed" for r in rows), "no failed checks")
        schema(rows, "the smoke run's summary.csv")
        # the run ends with the ratio rows: two repetitions give estimates without intervals
        rr = [r for r in rows if r["metric"] == "ratio"]
        check(any(r["impl"] == "malloc/bump" and r["workload"] == "rk4" and r["value"] for r in rr),
              f"the smoke run has its ratio rows: {[r['impl'] for r in rr]}")
        keys = [f for f in os.listdir(os.path.join(run, "gbench")) if f.endswith(".keys.csv")]
        check(keys and len(keys) == len([f for f in os.listdir(os.path.join(run, "gbench")) if f.endswith(".json")]),
              f"every google-benchmark JSON has its index: {keys}")
        rss = [float(r["value"]) for r in rows if r["metric"] == "peak_rss" and r["tool"] == "process"]
        # a 16-body run needs about 2 MiB; 19 MiB would be the forked harness counted in
        check(rss and max(rss) < 10240, f"peak RSS is the workload's, not the harness's: {rss} KiB")
        # the run folder draws: figures and a report that opens with its conclusions
        fig = subprocess.run([sys.executable, "-m", "figures", run], capture_output=True, text=True)
        report = os.path.join(run, "report.md")
        check(fig.returncode == 0 and os.path.exists(report) and
              open(report).read().split("\n## ")[1].startswith("Conclusions"),
              f"make figures on the smoke run: exit {fig.returncode}, a report opening with Conclusions: "
              f"{fig.stderr.strip()[-500:]}")
        # a second run never overwrites the first
        r2 = subprocess.run(BENCH + ["--mode", "smoke", "--build-dir", build_dir, "--results", d],
                            capture_output=True, text=True)
        runs = [e for e in os.listdir(d) if e != "latest"]
        check(r2.returncode == 0 and len(runs) == 2, f"two runs, two folders: {runs}")
        bad = subprocess.run(BENCH + ["--mode", "fast"], capture_output=True, text=True)
        check(bad.returncode == 2 and "unknown mode 'fast'" in bad.stderr, "an unknown mode is refused")
        bad = subprocess.run(BENCH + ["--compilers", "icc", "--dry-run"], capture_output=True, text=True)
        check(bad.returncode == 2 and "unknown compiler 'icc'" in bad.stderr, "an unknown compiler is refused")
        bad = subprocess.run(BENCH + ["--workloads", "rk4,fft", "--dry-run"], capture_output=True, text=True)
        check(bad.returncode == 2 and "unknown workload 'fft'" in bad.stderr, "an unknown workload is refused")


if __name__ == "__main__":
    if "--smoke" in sys.argv:
        smoke(os.path.abspath(sys.argv[sys.argv.index("--smoke") + 1]))
    else:
        with tempfile.TemporaryDirectory() as work:
            parsers(work)
            statistics_tests()
            ratio_tests(work)
            meta_tests(work)
            compare_tests(work)
            publish_tests(work)
        perfcheck_logic()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
