#!/usr/bin/env python3
"""Synthesizes the recorded run folder tests/figures/run/ that the figure tests draw.

    make_fixture.py [OUT_DIR]     (default: tests/figures/run)

The numbers are made up (a smooth model plus seeded noise, nine "repetitions" a point) and
meta.json says so; what is real is the shape: the files are written by the harness's own
writers and statistics (summary.csv with its medians, intervals and ratio rows from
ssbench.parsers and ssbench.ratios, vectorization.csv, asm.csv, meta.json), with the columns
and metric names plots/figures.py reads, a few rows for every figure, and the gaps a real run
has — malloc libraries not installed (mimalloc, tcmalloc), a stack build missing at the
largest n, a failed check, a physics case not measured by clang. It has both levels (-O2,
-O3), both physics engines (loop, array), the tuned and checked implementations and the
controls (aa_control, aa_layout). fold.csv is recorded from `python3 -m evidence.fold --out
DIR` (gcc 12, clang 14) and is not regenerated here. Rerun this (harness/ on PYTHONPATH) after
a contract change and commit the result.
"""
import math
import os
import random
import sys

from evidence import asmreport, vecreport
from ssbench import meta as M
from ssbench import parsers as P
from ssbench import ratios
from ssbench import results as R
from ssbench.results import KEY

HERE = os.path.dirname(os.path.abspath(__file__))

rng = random.Random(20261125)
rows, samples = [], []


def ctx_of(impl, workload, case, n, compiler, variant="default", malloc_lib="glibc", call="", mode="", engine="",
           level="-O2"):
    if workload == "rk4":
        call, mode = call or "static", mode or "final"
    if workload == "physics":
        engine = engine or "loop"
    return {"impl": impl, "workload": workload, "case": case, "call": call, "mode": mode, "engine": engine, "n": n,
            "compiler": compiler, "level": level, "variant": variant, "malloc_lib": malloc_lib}


def add(impl, workload, case, n, compiler, metric, value, unit, spread="", variant="default", malloc_lib="glibc",
        tool="gbench", reps=9, call="", mode="", engine="", level="-O2"):
    rows.append(R.row(ctx_of(impl, workload, case, n, compiler, variant, malloc_lib, call, mode, engine, level), metric,
                      value, unit, reps, spread, tool=tool))


def timed(ctx, t, rel=0.02, reps=9):
    """Nine repetitions around t ns per step: the median row with its IQR and interval, and the
    sample the ratio rows are computed from (as ssbench.ratios does from the raw JSON)."""
    xs = [t * rng.lognormvariate(0, rel) for _ in range(reps)]
    rows.append(P.sample_row(ctx, "ns_per_step", xs, "ns", "gbench"))
    if ctx["workload"] == "physics":
        rows.append(P.sample_row(ctx, "steps_per_second", [1e9 / x for x in xs], "1/s", "gbench"))
    samples.append(ratios.Sample(tuple(str(ctx.get(c, "")) for c in KEY), xs, "ns", "gbench", "fixture"))


#~ RK4: ns per step = fixed cost (allocations) + per-element cost, vectorized or not
PROBLEMS = {"decay": 1.0, "oscillators": 1.1, "lorenz96": 1.6, "heat1d": 1.3}
NS = [4, 16, 64, 256, 1024, 4096]
RK4_IMPLS = {  # impl -> (fixed ns, ns per element)
    "bump": (9.0, 0.50), "stack": (6.0, 0.46), "malloc-once": (12.0, 0.55), "bump-fixedn": (7.5, 0.47),
    "bump_tuned": (8.0, 0.30), "malloc_tuned": (150.0, 0.32), "bump_checked": (10.0, 0.52)}
MALLOC_FIXED = {"glibc": 260.0, "jemalloc": 150.0}  # mimalloc, tcmalloc: "not installed"
COMPILER = {"gcc": 1.0, "clang": 0.93}
LEVEL = {"-O2": 1.0, "-O3": 0.7}
CONTROL_POINTS = (16, 256)  # the controls are measured at a few RK4 points


def rk4_time(impl, lib, problem, n, compiler, variant="default", level="-O2"):
    a, b = RK4_IMPLS[impl] if impl != "malloc" else (MALLOC_FIXED[lib], 0.62)
    if variant == "noinline":
        a += 11 * 2.0 if impl == "bump" else 0
    if variant == "nobuiltin" and impl == "malloc":
        a *= 1.05
    if variant == "lto":
        a *= 0.97
    return (a + b * n * PROBLEMS[problem] * LEVEL[level]) * COMPILER[compiler]


for compiler in COMPILER:
    for level in LEVEL:
        for problem in PROBLEMS if level == "-O2" else ["decay", "lorenz96"]:
            for n in NS:
                for impl in ["bump", "malloc", "stack", "malloc-once", "bump-fixedn", "bump_tuned", "malloc_tuned",
                             "bump_checked"]:
                    if impl == "stack" and n > 1024:
                        continue  # the stack build is made for a size list that stops at 1024
                    for lib in (MALLOC_FIXED if impl == "malloc" else ["glibc"]):
                        t = rk4_time(impl, lib, problem, n, compiler, level=level)
                        for call, mode, f in (("static", "final", 1.0), ("fnptr", "final", 1.15), ("static", "full", 1.3)):
                            if (call, mode) != ("static", "final") and (n not in (16, 1024) or level != "-O2"):
                                continue
                            timed(ctx_of(impl, "rk4", problem, n, compiler, "default", lib, call, mode, level=level), t * f)
                # the controls: the same binary again, and the same source in another link order
                if problem == "decay" and n in CONTROL_POINTS and level == "-O2":
                    t = rk4_time("bump", "glibc", problem, n, compiler)
                    timed(ctx_of("aa_control", "rk4", problem, n, compiler, level=level), t)
                    timed(ctx_of("aa_layout", "rk4", problem, n, compiler, level=level), t * 1.03)
# the visibility axis (gcc -O2): the allocation out of line, -fno-builtin-malloc, LTO
for variant in ["noinline", "nobuiltin", "lto"]:
    for n in NS:
        for impl in ["bump", "malloc"]:
            timed(ctx_of(impl, "rk4", "decay", n, "gcc", variant), rk4_time(impl, "glibc", "decay", n, "gcc", variant))

#~ callgrind: instructions per step
INSTR = {"bump": (40, 3.2), "stack": (30, 3.0), "malloc-once": (60, 3.3), "bump-fixedn": (35, 3.0),
         "malloc": (11 * 140, 3.6), "bump_tuned": (42, 1.1), "malloc_tuned": (11 * 150, 1.2)}
for compiler in COMPILER:
    for level in LEVEL:
        for problem in PROBLEMS:
            for n in (16, 256):
                for impl, (a, b) in INSTR.items():
                    ips = int((a + b * n * PROBLEMS[problem] * LEVEL[level]) * (1.0 if compiler == "gcc" else 0.95))
                    add(impl, "rk4", problem, n, compiler, "instructions_per_step", ips, "Ir", tool="callgrind", reps=1,
                        level=level)
                    add(impl, "rk4", problem, n, compiler, "instructions", ips * 1000, "Ir", tool="callgrind", reps=1,
                        level=level)

#~ physics: ns per step vs bodies, two engines
SCENES = {"rain": 1.0, "billiards": 0.9, "cloth": 1.4, "nbody": 3.0}
PHYS = {"loop": {"bump": (900.0, 60.0), "malloc": (2600.0, 61.0), "stack": (850.0, 59.0)},
        "array": {"bump": (700.0, 30.0), "malloc": (5200.0, 38.0), "stack": (650.0, 29.0)}}
for engine, impls in PHYS.items():
    for compiler in COMPILER:
        for scene, f in SCENES.items():
            for n in [64, 256, 1024, 4096]:
                if compiler == "clang" and scene == "nbody" and n == 4096:
                    continue  # not measured: the quick mode stops earlier for O(n^2) scenes
                for impl, (a, b) in impls.items():
                    c = ctx_of(impl, "physics", scene, n, compiler, engine=engine)
                    if (engine, compiler, scene, n, impl) == ("loop", "clang", "cloth", 1024, "malloc"):
                        rows.append(R.failed(c, "energy drift 3.1e-2 > bound 1e-2", "gbench"))
                        continue
                    per = b * n * (math.log2(n) / 6 if scene != "nbody" else n / 64) * f
                    timed(c, (a + per) * COMPILER[compiler], rel=0.03)
            if compiler == "gcc" and scene in ("rain", "cloth") and engine == "loop":
                for impl, (a, b) in impls.items():
                    n = 256
                    ips = int((a + b * n * 1.3) * 3.1 * f)
                    add(impl, "physics", scene, n, compiler, "instructions_per_step", ips, "Ir", tool="callgrind",
                        reps=1)

#~ whole processes: hyperfine's wall time and one run's peak RSS (one of them too short)
for impl, wall, rss in (("bump", 0.42, 5200), ("malloc", 0.61, 5400), ("stack", 0.38, 4900)):
    for workload, case, n, scale in (("rk4", "decay", 4096, 1.0), ("physics", "rain", 16, 0.1)):
        c = ctx_of(impl, workload, case, n, "gcc")
        times = [wall * scale * rng.lognormvariate(0, 0.03) for _ in range(5)]
        rows.append(P.sample_row(c, "wall_median", times, "s", "hyperfine"))
        rows.append(R.row(c, "peak_rss", int(rss * (1 if workload == "rk4" else 0.4)), "KiB", 1, tool="process"))
        rows.append(R.row(c, "minor_faults", 300 + int(rss / 4), "count", 1, tool="process"))
        samples.append(ratios.Sample(tuple(str(c.get(k, "")) for k in KEY), times, "s", "hyperfine", "fixture"))

#~ region growth: filling n bytes, medians of five runs (too few for an interval)
PAGE = 4096
for case in ["thp-off", "thp-on"]:
    for n in [1 << 20, 1 << 24, 1 << 28, 1 << 30]:
        pages = n // PAGE
        fault_ns = 250.0 if case == "thp-off" else 30.0  # per 4 KiB committed
        for impl in ["reserve", "grow", "realloc"]:
            fill = pages * fault_ns * 1e-9 + n * 0.08e-9
            if impl == "grow":
                fill *= 1.08
                step = 1.6 * fault_ns * 16  # a geometric step commits 16 pages on average here
            elif impl == "reserve":
                step = fault_ns
            else:
                fill += n * 0.12e-9  # the copies
                step = 0.2 * n / math.log2(n / 4096 + 2)
            c = ctx_of(impl, "growth", case, n, "gcc")
            rows.append(P.sample_row(c, "fill_seconds", [fill * rng.lognormvariate(0, 0.04) for _ in range(5)], "s",
                                     "bench_growth"))
            rows.append(P.sample_row(c, "ns_per_growth_step", [step * rng.lognormvariate(0, 0.05) for _ in range(5)],
                                     "ns", "bench_growth"))
            faults = pages if case == "thp-off" else max(n // (2 << 20), 1) + 40
            add(impl, "growth", case, n, "gcc", "minor_faults", int(faults * (2 if impl == "realloc" else 1)),
                "count", tool="bench_growth", reps=1)
            add(impl, "growth", case, n, "gcc", "peak_rss", n // 1024 + 1800, "KiB", tool="bench_growth", reps=1)
            add(impl, "growth", case, n, "gcc", "committed_as", n // 1024 + (0 if impl != "realloc" else n // 2048),
                "KiB", tool="bench_growth", reps=1)

#~ the allocation microbenchmark: 1000 rounds of 8 blocks
for compiler in COMPILER:
    for impl, lib, per in [("bump", "glibc", 2.1), ("malloc", "glibc", 38.0), ("malloc", "jemalloc", 21.0)]:
        c = ctx_of(impl, "alloc", "k8", 64, compiler, malloc_lib=lib)
        xs = [per * 8 * 1000 * COMPILER[compiler] * rng.lognormvariate(0, 0.02) for _ in range(9)]
        rows.append(P.sample_row(c, "time_median", xs, "ns", "gbench"))
        rows.append(P.sample_row(c, "items_per_second", [8000 / x * 1e9 for x in xs], "1/s", "gbench"))
        samples.append(ratios.Sample(tuple(str(c.get(k, "")) for k in KEY), xs, "ns", "gbench", "fixture"))

rows += ratios.ratio_rows(samples)


#~ Compiler evidence: the timed steps compiled in context (and the functions alone)
STEP_LOOPS = {  # (workload, impl) -> loops of the inlined step; (compiler, level) -> loops vectorized
    ("rk4", "bump"): (72, {("gcc", "-O2"): 0, ("gcc", "-O3"): 66, ("clang", "-O2"): 72, ("clang", "-O3"): 72}),
    ("rk4", "malloc"): (72, {("gcc", "-O2"): 0, ("gcc", "-O3"): 60, ("clang", "-O2"): 72, ("clang", "-O3"): 72}),
    ("rk4", "stack"): (64, {("gcc", "-O2"): 60, ("gcc", "-O3"): 64, ("clang", "-O2"): 64, ("clang", "-O3"): 64}),
    ("rk4", "bump_n"): (84, {("gcc", "-O2"): 47, ("gcc", "-O3"): 80, ("clang", "-O2"): 84, ("clang", "-O3"): 84}),
    ("rk4", "bump_tuned"): (72, {("gcc", "-O2"): 72, ("gcc", "-O3"): 72, ("clang", "-O2"): 72, ("clang", "-O3"): 72}),
    ("rk4", "malloc_tuned"): (72, {("gcc", "-O2"): 70, ("gcc", "-O3"): 72, ("clang", "-O2"): 72, ("clang", "-O3"): 72}),
    ("physics", "bump"): (21, {("gcc", "-O2"): 0, ("gcc", "-O3"): 2, ("clang", "-O2"): 3, ("clang", "-O3"): 3}),
    ("physics", "malloc"): (21, {("gcc", "-O2"): 0, ("gcc", "-O3"): 2, ("clang", "-O2"): 3, ("clang", "-O3"): 3}),
    ("physics", "stack"): (21, {("gcc", "-O2"): 1, ("gcc", "-O3"): 3, ("clang", "-O2"): 3, ("clang", "-O3"): 3}),
    ("physics_array", "bump"): (30, {("gcc", "-O2"): 4, ("gcc", "-O3"): 24, ("clang", "-O2"): 22, ("clang", "-O3"): 24}),
    ("physics_array", "malloc"): (30, {("gcc", "-O2"): 4, ("gcc", "-O3"): 20, ("clang", "-O2"): 18, ("clang", "-O3"): 20}),
    ("physics_array", "stack"): (30, {("gcc", "-O2"): 26, ("gcc", "-O3"): 28, ("clang", "-O2"): 26, ("clang", "-O3"): 28}),
}
ALLOC_CALLS = {"malloc": (124, 76), "malloc_tuned": (124, 76)}  # (malloc-family, free) call sites in rk4_run


def write(out):
    os.makedirs(out, exist_ok=True)
    summary = R.Summary(out, append=False)
    summary.add(rows)
    summary.close()
    vec, asm = [], []
    for compiler in COMPILER:
        for level in LEVEL:
            for (wl, impl), (loops, done) in STEP_LOOPS.items():
                v = done[(compiler, level)]
                fn = "rk4_run" if wl == "rk4" else "phys_step"
                reason = "" if v == loops else ("versioning for alias required: can't determine dependence between _ "
                                                "and _ | not vectorized: loop nest containing two or more consecutive "
                                                "inner loops cannot be vectorized")
                vec.append({"compiler": compiler, "opt": level, "workload": wl, "impl": impl, "function": fn,
                            "compiled": "context", "symbol": f"{fn}_{impl}", "loops_vectorized": v,
                            "width": "32B" if v else "", "loops_missed": loops - v, "slp_blocks": 0, "reason": reason})
                calls = ALLOC_CALLS.get(impl, (0, 0))
                asm.append({"compiler": compiler, "opt": level, "workload": wl, "impl": impl, "function": fn,
                            "compiled": "context", "symbol": f"{fn}_{impl}", "status": "ok",
                            "instructions": 900 + 20 * v + 6 * sum(calls), "calls": sum(calls) + 7,
                            "alloc_calls": calls[0], "free_calls": calls[1],
                            "call_targets": f"free:{calls[1]} malloc:{calls[0]}" if calls[0] else "memcpy:5",
                            "branches": 100, "xmm": 4, "ymm": 10 * v, "zmm": 0, "scalar_fp": 200,
                            "frame_bytes": 4912 if impl == "stack" else 216})
            for impl in ["bump", "malloc", "stack"]:  # a function compiled alone (not what the figures count)
                vec.append({"compiler": compiler, "opt": level, "workload": "rk4", "impl": impl, "function": "add_vv",
                            "compiled": "alone", "symbol": "add_vv", "loops_vectorized": 0, "width": "",
                            "loops_missed": 1, "slp_blocks": 0, "reason": "versioning for alias required"})
    vecreport.write(out, vec)
    asmreport.write(out, asm)
    meta = {
        "mode": "fixture", "status": "complete", "date_utc": "2026-11-25T09:00:00+00:00",
        "note": "SYNTHETIC: made by tests/figures/make_fixture.py for the figure tests; not a measurement",
        "machine": {"cpu_model": "synthetic fixture (not measured)", "cores": 2, "memory_kib": 24 * 1024 * 1024,
                    "kernel": "6.1.0", "os": "Debian GNU/Linux 12 (bookworm)",
                    "transparent_hugepage": "always [madvise] never",
                    "cpu": {"vendor": "made up", "family": "0", "model": "0", "stepping": "0", "hypervisor": True,
                            "extensions": ["avx2", "avx512f"]},
                    "caches": [{"level": 1, "type": "Data", "size_bytes": 49152, "line_bytes": 64},
                               {"level": 2, "type": "Unified", "size_bytes": 1 << 20, "line_bytes": 64}],
                    "frequency": {"cpuinfo_mhz": [2000.0, 2000.0]}},
        "git": {"commit": "0" * 40, "short": "fixture", "dirty": False},
        "compilers": {"gcc": {"version": "gcc (Debian 12.2.0-14) 12.2.0",
                              "flags": {"default": "-O2 -march=x86-64-v3 -ffp-contract=off -fno-fast-math -std=c17"}},
                      "clang": {"version": "Debian clang version 14.0.6",
                                "flags": {"default": "-O2 -march=x86-64-v3 -ffp-contract=off -fno-fast-math -std=c17"}}},
        "variants": {"default": [], "noinline": ["-DSS_NOINLINE_ALLOC=ON"],
                     "nobuiltin": ["-DSS_EXTRA_FLAGS=-fno-builtin-malloc"], "lto": ["-DSS_LTO=ON"]},
        "malloc_libs_found": {"glibc": True, "mimalloc": False, "jemalloc": True, "tcmalloc": False},
        "matrix": {"compilers": ["gcc", "clang"], "malloc_libs": ["glibc", "mimalloc", "jemalloc", "tcmalloc"]},
        "skipped": ["mimalloc not installed", "tcmalloc not installed"],
        "failed_checks": 1,
        # what a run records of its load and toolchain (made up like everything here)
        "load_average_before": {"1min": 0.31, "5min": 0.4, "15min": 0.52},
        "load_average_after": {"1min": 1.87, "5min": 1.42, "15min": 0.9},
        "packages": {"clang-14": "1:14.0.6-12", "gcc-12": "12.2.0-14+deb12u1", "libbenchmark1debian": "1.7.1-1",
                     "libc6": "2.36-9+deb12u14", "libjemalloc2": "5.3.0-1"},
        "google_benchmark": {"version": "1.7.1-1", "library_build_type": "debug", "debug_build": True, "files": 14,
                             "load_avg_1min_at_file_start": {"min": 0.31, "max": 1.9}, "mhz_per_cpu": 2596,
                             "cpu_scaling_enabled": False, "caches": []},
    }
    M.write(out, meta)


if __name__ == "__main__":
    write(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "run"))
