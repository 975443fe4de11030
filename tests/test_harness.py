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
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from ssbench import parsers as P
from ssbench import perfcheck
from ssbench import results as R
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
        for k in ("machine", "git", "compilers", "mode", "date_utc", "malloc_libs_found"):
            check(k in meta, f"meta.json has {k}")
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
        rss = [float(r["value"]) for r in rows if r["metric"] == "peak_rss" and r["tool"] == "process"]
        # a 16-body run needs about 2 MiB; 19 MiB would be the forked harness counted in
        check(rss and max(rss) < 10240, f"peak RSS is the workload's, not the harness's: {rss} KiB")
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
        perfcheck_logic()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
