#!/usr/bin/env python3
"""Synthesizes the recorded run folder tests/figures/run/ that the figure tests draw.

    make_fixture.py [OUT_DIR]     (default: tests/figures/run)

The numbers are made up (a smooth model plus seeded noise) and meta.json says so; what is
real is the shape: the files are written by the harness's own writers (summary.csv,
vectorization.csv, asm.csv, meta.json), with the columns and metric names plots/figures.py
reads, a few rows for every figure, and the gaps a real run has — malloc libraries not
installed (mimalloc, tcmalloc), a stack build missing at the largest n, a failed check, a
physics case not measured by clang. fold.csv is recorded from `python3 -m evidence.fold --out
DIR` (gcc 12, clang 14) and is not regenerated here. Rerun this (harness/ on PYTHONPATH)
after a contract change and commit the result.
"""
import math
import os
import random
import sys

from evidence import asmreport, vecreport
from ssbench import meta as M
from ssbench import results as R

HERE = os.path.dirname(os.path.abspath(__file__))

rng = random.Random(20261125)
rows = []


def ctx_of(impl, workload, case, n, compiler, variant="default", malloc_lib="glibc", call="", mode="", engine="",
           level="-O2"):
    if workload == "rk4":
        call, mode = call or "static", mode or "final"
    if workload == "physics":
        engine = engine or "loop"
    return {"impl": impl, "workload": workload, "case": case, "call": call, "mode": mode, "engine": engine, "n": n,
            "compiler": compiler, "level": level, "variant": variant, "malloc_lib": malloc_lib}


def add(impl, workload, case, n, compiler, metric, value, unit, spread="", variant="default", malloc_lib="glibc",
        tool="gbench", reps=9, call="", mode=""):
    rows.append(R.row(ctx_of(impl, workload, case, n, compiler, variant, malloc_lib, call, mode), metric, value, unit,
                      reps, spread, tool=tool))


def noisy(v, rel=0.03):
    return v * (1 + rng.gauss(0, rel))


#~ RK4: ns per step = fixed cost (allocations) + per-element cost
PROBLEMS = {"decay": 1.0, "oscillators": 1.1, "lorenz96": 1.6, "heat1d": 1.3}
NS = [4, 16, 64, 256, 1024, 4096]
RK4_IMPLS = {  # impl -> (fixed ns, ns per element)
    "bump": (9.0, 0.50), "stack": (6.0, 0.46), "malloc-once": (12.0, 0.55), "bump-fixedn": (7.5, 0.47)}
MALLOC_FIXED = {"glibc": 260.0, "jemalloc": 150.0}  # mimalloc, tcmalloc: "not installed"
COMPILER = {"gcc": 1.0, "clang": 0.93}


def rk4_time(impl, lib, problem, n, compiler, variant="default"):
    a, b = RK4_IMPLS[impl] if impl != "malloc" else (MALLOC_FIXED[lib], 0.62)
    if variant == "noinline":
        a += 11 * 2.0 if impl == "bump" else 0
    if variant == "nobuiltin" and impl == "malloc":
        a *= 1.05
    if variant == "lto":
        a *= 0.97
    return (a + b * n * PROBLEMS[problem]) * COMPILER[compiler]


for compiler in COMPILER:
    for problem in PROBLEMS:
        for n in NS:
            for impl in ["bump", "malloc", "stack", "malloc-once", "bump-fixedn"]:
                if impl == "stack" and n > 1024:
                    continue  # the stack build is made for a size list that stops at 1024
                for lib in (MALLOC_FIXED if impl == "malloc" else ["glibc"]):
                    t = noisy(rk4_time(impl, lib, problem, n, compiler))
                    sd = t * abs(rng.gauss(0.02, 0.01))
                    for call, mode, f in (("static", "final", 1.0), ("fnptr", "final", 1.15), ("static", "full", 1.3)):
                        if (call, mode) != ("static", "final") and n not in (16, 1024):
                            continue
                        add(impl, "rk4", problem, n, compiler, "ns_per_step", f"{t * f:.5g}", "ns", f"{sd * f:.3g}",
                            malloc_lib=lib, call=call, mode=mode)
                        add(impl, "rk4", problem, n, compiler, "time_cv", f"{sd / t:.3g}", "ratio", malloc_lib=lib,
                            call=call, mode=mode)
# the visibility axis (gcc): the allocation out of line, -fno-builtin-malloc, LTO
for variant in ["noinline", "nobuiltin", "lto"]:
    for n in NS:
        for impl in ["bump", "malloc"]:
            t = noisy(rk4_time(impl, "glibc", "decay", n, "gcc", variant))
            add(impl, "rk4", "decay", n, "gcc", "ns_per_step", f"{t:.5g}", "ns", f"{t * 0.02:.3g}", variant=variant)

#~ callgrind: instructions per step
INSTR = {"bump": (40, 3.2), "stack": (30, 3.0), "malloc-once": (60, 3.3), "bump-fixedn": (35, 3.0),
         "malloc": (11 * 140, 3.6)}
for compiler in COMPILER:
    for problem in PROBLEMS:
        for n in (16, 256):
            for impl, (a, b) in INSTR.items():
                ips = int((a + b * n * PROBLEMS[problem]) * (1.0 if compiler == "gcc" else 0.95))
                add(impl, "rk4", problem, n, compiler, "instructions_per_step", ips, "Ir", tool="callgrind", reps=1)
                add(impl, "rk4", problem, n, compiler, "instructions", ips * 1000, "Ir", tool="callgrind", reps=1)

#~ physics: steps per second vs bodies
SCENES = {"rain": 1.0, "billiards": 0.9, "cloth": 1.4, "nbody": 3.0}
PHYS = {"bump": (900.0, 60.0), "malloc": (2600.0, 61.0), "stack": (850.0, 59.0)}
for compiler in COMPILER:
    for scene, f in SCENES.items():
        for n in [64, 256, 1024, 4096]:
            if compiler == "clang" and scene == "nbody" and n == 4096:
                continue  # not measured: the quick mode stops earlier for O(n^2) scenes
            for impl, (a, b) in PHYS.items():
                if (compiler, scene, n, impl) == ("clang", "cloth", 1024, "malloc"):
                    rows.append(R.failed(ctx_of(impl, "physics", scene, n, compiler),
                                         "energy drift 3.1e-2 > bound 1e-2", "gbench"))
                    continue
                per = b * n * (math.log2(n) / 6 if scene != "nbody" else n / 64) * f
                ns = noisy((a + per) * COMPILER[compiler])
                add(impl, "physics", scene, n, compiler, "ns_per_step", f"{ns:.5g}", "ns", f"{ns * 0.03:.3g}")
                add(impl, "physics", scene, n, compiler, "steps_per_second", f"{1e9 / ns:.5g}", "1/s",
                    f"{1e9 / ns * 0.03:.3g}")
        if compiler == "gcc" and scene in ("rain", "cloth"):
            for impl, (a, b) in PHYS.items():
                n = 256
                ips = int((a + b * n * 1.3) * 3.1 * f)
                add(impl, "physics", scene, n, compiler, "instructions_per_step", ips, "Ir", tool="callgrind",
                    reps=1)

#~ region growth: filling n bytes
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
            fill = noisy(fill)
            add(impl, "growth", case, n, "gcc", "fill_seconds", f"{fill:.4g}", "s", f"{fill * 0.04:.3g}",
                tool="hyperfine", reps=5)
            add(impl, "growth", case, n, "gcc", "ns_per_growth_step", f"{noisy(step):.4g}", "ns",
                f"{step * 0.05:.3g}", tool="ss-run", reps=5)
            faults = pages if case == "thp-off" else max(n // (2 << 20), 1) + 40
            add(impl, "growth", case, n, "gcc", "minor_faults", int(faults * (2 if impl == "realloc" else 1)),
                "count", tool="process", reps=1)
            add(impl, "growth", case, n, "gcc", "peak_rss", n // 1024 + 1800, "KiB", tool="process", reps=1)
            add(impl, "growth", case, n, "gcc", "committed_as", n // 1024 + (0 if impl != "realloc" else n // 2048),
                "KiB", tool="process", reps=1)

#~ the allocation microbenchmark: 1000 rounds of 8 blocks
for compiler in COMPILER:
    for impl, lib, per in [("bump", "glibc", 2.1), ("malloc", "glibc", 38.0), ("malloc", "jemalloc", 21.0)]:
        t = noisy(per * 8 * 1000 * COMPILER[compiler])
        add(impl, "alloc", "k8", 64, compiler, "time_median", f"{t:.5g}", "ns", f"{t * 0.02:.3g}", malloc_lib=lib)
        add(impl, "alloc", "k8", 64, compiler, "items_per_second", f"{8000 / t * 1e9:.5g}", "1/s", malloc_lib=lib)


def write(out):
    os.makedirs(out, exist_ok=True)
    summary = R.Summary(out, append=False)
    summary.add(rows)
    summary.close()
    vec = []
    for compiler in COMPILER:
        for impl in ["bump", "malloc", "stack"]:
            for fn, loops in [("rk4_step", 6), ("add_vv", 1), ("mul_vs", 1), ("dydt_heat1d", 1), ("phys_step", 5)]:
                if impl == "stack" and fn in ("add_vv", "mul_vs"):
                    missed = 0  # stack style writes into a given array: the same loops, fully visible
                elif impl == "malloc" and fn == "rk4_step":
                    missed = 2 if compiler == "gcc" else 1
                elif fn == "phys_step":
                    missed = 3 if impl != "stack" else 2
                else:
                    missed = 0
                reason = {0: "", 1: "loop contains function calls", 2: "possible aliasing: runtime check too costly",
                          3: "control flow in loop"}[min(missed, 3)]
                vec.append({"function": fn, "impl": impl, "compiler": compiler, "loops_vectorized": loops - missed,
                            "loops_missed": missed, "width": 8 if loops - missed else "", "reason": reason,
                            "opt": "-O2", "workload": "physics" if fn == "phys_step" else "rk4",
                            "compiled": "alone", "symbol": fn})
    vecreport.write(out, vec)
    asm = []
    for compiler in COMPILER:
        for impl, calls, targets in [("bump", 0, ""), ("malloc", 22, "malloc;free"), ("stack", 0, "")]:
            for fn, ins in [("rk4_step", 180), ("add_vv", 24)]:
                c = calls if fn == "rk4_step" else (1 if impl == "malloc" else 0)
                asm.append({"function": fn, "impl": impl, "compiler": compiler,
                            "instructions": ins + (c * 6) + (2 if impl == "bump" else 0), "calls": c,
                            "call_targets": targets if c else "", "xmm": 4, "ymm": ins // 6, "zmm": 0,
                            "frame_bytes": 0 if impl != "stack" else 2048,
                            "opt": "-O2", "workload": "rk4", "compiled": "alone", "symbol": fn, "status": "ok"})
    asmreport.write(out, asm)
    meta = {
        "mode": "fixture", "status": "complete", "date_utc": "2026-11-25T09:00:00+00:00",
        "note": "SYNTHETIC: made by tests/figures/make_fixture.py for the figure tests; not a measurement",
        "machine": {"cpu_model": "synthetic fixture (not measured)", "cores": 2, "memory_kib": 24 * 1024 * 1024,
                    "kernel": "6.1.0", "os": "Debian GNU/Linux 12 (bookworm)",
                    "transparent_hugepage": "always [madvise] never"},
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
