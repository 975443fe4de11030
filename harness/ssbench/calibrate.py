"""python3 -m ssbench.calibrate — the short measured sample the plans and estimates of
`make bench` come from (ssbench/estimate.py), written to harness/ssbench/calibration.json.

    python3 -m ssbench.calibrate [--build DIR] [--out FILE] [--skip-builds] [--skip-evidence]

On one build (default: build/bench-gcc-O2-default, the matrix's first; configured and built if
missing), in about four minutes on 2 cores:

    rk4        every implementation x problem x size (dydt static, final state): 5 interleaved
               repetitions of T0 s; per point (problem, n) the median over the implementations of
               the (robust) coefficient of variation of the CPU time per step
    physics    every engine x scene x implementation x size, a scene and size per process: 5
               repetitions of a few steps; the time a step, its variance, the check's time
    process    `ss-run` at every whole-process point of the modes: the time a step and the
               start-up (wall time of the process minus the time it reports)
    callgrind  seconds of each fixed small case under valgrind, two at a time
    builds     configuring and building a default and a visibility-variant tree (--skip-builds:
               the earlier file's figures)
    evidence   the compiler evidence at one level (--skip-evidence: the earlier file's)

Run it on the machine that will run the benchmark, idle: the variance it measures sets the
repetition lengths (a loaded machine gives long ones). What it measured, with the machine's
load, goes into the file's "measured".
"""
import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from evidence import runfolder
from evidence.table import default_path
from ssbench import build as B
from ssbench import callgrind, meta
from ssbench import parsers as P
from ssbench.estimate import CALIBRATION, REP_FACTOR, RAMP_FACTOR
from ssbench.jobs import alloc, physics, rk4
from ssbench.modes import COMPILERS, ENGINES, MODES, PHYS_IMPLS, PHYS_SIZES, PROBLEMS, RK4_IMPLS, RK4_SIZES, SCENES

T0 = 0.01  # seconds a calibration repetition of RK4 lasts at least
REPS = 5


def log(msg):
    print(msg, flush=True)


def cv(xs):
    """The coefficient of variation of repetitions, robustly: 1.4826 MAD / median (the standard
    deviation's estimate for normal noise, unmoved by one repetition a neighbour slowed)."""
    m = statistics.median(xs)
    return 1.4826 * statistics.median(abs(x - m) for x in xs) / m if len(xs) > 1 and m > 0 else 0.0


def gbench(binary, lines, min_time, out):
    """Runs binary's benchmarks `lines` (--cases), REPS interleaved repetitions; (JSON, wall s)."""
    cases = out + ".cases"
    with open(cases, "w") as f:
        f.write("".join(x + "\n" for x in lines))
    cmd = [binary, f"--cases={cases}", f"--benchmark_min_time={min_time}", f"--benchmark_repetitions={REPS}",
           "--benchmark_enable_random_interleaving=true", "--benchmark_report_aggregates_only=false",
           f"--benchmark_out={out}", "--benchmark_out_format=json"]
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if r.returncode != 0:
        raise SystemExit(f"calibrate: {' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[-500:]}")
    return P.gbench_groups(P.load_gbench(out)), wall


def calibrate_rk4(d, work):
    lines = [f"rk4/{p}/{i}/static/final/{n}" for p in PROBLEMS for i in RK4_IMPLS for n in RK4_SIZES]
    groups, wall = gbench(os.path.join(d, "bench_rk4"), lines, T0, os.path.join(work, "rk4.json"))
    cvs, ns = {}, {}
    for name, entries in groups.items():
        reps = P.gbench_repetitions(entries)
        _, p, impl, _, _, n = name.split("/")
        per = [P.per_step_ns(e) for e in reps]
        cvs.setdefault(f"{p}/{n}", []).append(cv(per))
        ns[f"{p}/{impl}/{n}"] = round(statistics.median(per), 3)
    per_case = (REP_FACTOR * REPS + RAMP_FACTOR) * T0
    overhead = max(0.0, wall / len(lines) - per_case)
    return ({"t0": T0, "cv": {k: round(statistics.median(v), 5) for k, v in sorted(cvs.items())}, "ns_per_step": ns},
            round(overhead, 4))


def default_steps(scene, n):
    """bench_physics's own steps a repetition (its timed_steps)."""
    work = n * n / 8 if scene == "nbody" else n
    return int(min(max(1e6 / work, 10), 20000))


def calibrate_physics(d, work):
    out = {"cv": {}, "rep0_s": {}, "step_s": {}, "prepare_s": {}}
    for scene in SCENES:
        for n in PHYS_SIZES:
            if scene == "nbody" and n > 4096:
                continue
            k = max(2, default_steps(scene, n) // 16)
            lines = [f"physics/{e}/{scene}/{i}/{n} iterations={k}" for e in ENGINES for i in PHYS_IMPLS]
            groups, wall = gbench(os.path.join(d, "bench_physics"), lines, 0.01,
                                  os.path.join(work, f"physics-{scene}-{n}.json"))
            cvs, reps_s, timed = [], [], 0.0
            for name, entries in groups.items():
                reps = P.gbench_repetitions(entries)
                per = [P.per_step_ns(e) * 1e-9 for e in reps]
                e, _, impl = name.split("/")[1:4]
                out["step_s"][f"{e}/{scene}/{impl}/{n}"] = float(f"{statistics.median(per):.4g}")
                cvs.append(cv(per))
                reps_s.append(statistics.median(per) * k)
                timed += sum(r["real_time"] * P.TIME_UNITS[r.get("time_unit", "ns")] * 1e-9 * k for r in reps)
            key = f"{scene}/{n}"
            out["cv"][key] = round(statistics.median(cvs), 5)
            out["rep0_s"][key] = float(f"{statistics.median(reps_s):.4g}")
            out["prepare_s"][key] = round(max(0.0, wall - timed), 3)
            log(f"  physics {key}: {k} steps a repetition, cv {out['cv'][key]:.4f}, check {out['prepare_s'][key]} s")
    return out


def process_points():
    """{(workload, case, n): [(impl, engine)]} of every mode's whole-process points."""
    pts = {}
    for m in MODES.values():
        spec = m.get("process") or {}
        if spec.get("alloc"):
            pts.setdefault(("alloc", "k8", 64), {("bump", ""), ("malloc", "")})
        for case, n in (spec.get("rk4") or {}).get("points", []):
            pts.setdefault(("rk4", case, n), set()).update((i, "") for i in spec["rk4"]["impls"])
        for case, n in (spec.get("physics") or {}).get("points", []):
            pts.setdefault(("physics", case, n), set()).update(
                (i, e) for e in spec["physics"]["engines"] for i in spec["physics"]["impls"])
    return pts


def calibrate_process(d):
    ssrun = os.path.join(d, "ss-run")
    out = {"step_s": {}, "startup_s": {}}
    steps_of = {"rk4": 200, "physics": 10, "alloc": 100000}
    for (wl, case, n), whats in sorted(process_points().items()):
        starts = []
        for impl, engine in sorted(whats):
            s = steps_of[wl]
            cmd = {"rk4": lambda: rk4.process_cmd(ssrun, case, impl, n, s),
                   "physics": lambda: physics.process_cmd(ssrun, engine, case, impl, n, s),
                   "alloc": lambda: alloc.process_cmd(ssrun, case, impl, n, s)}[wl]()
            cmd = [a for a in cmd if a != "--quiet"]  # the result line: the time ss-run measured
            walls, secs = [], []
            for _ in range(3):
                t0 = time.monotonic()
                r = subprocess.run(cmd, capture_output=True, text=True)
                walls.append(time.monotonic() - t0)
                m = re.search(r"\bseconds=([0-9.e+-]+)", r.stdout)
                if r.returncode != 0 or not m:
                    raise SystemExit(f"calibrate: {' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[-300:]}")
                secs.append(float(m.group(1)))
            what = {"rk4": f"{case}/{impl}", "physics": f"{engine}/{case}/{impl}", "alloc": f"{case}/{impl}"}[wl]
            out["step_s"][f"{wl}/{what}/{n}"] = float(f"{statistics.median(secs) / s:.4g}")
            starts.append(statistics.median(walls) - statistics.median(secs))
        out["startup_s"][f"{wl}/{case}/{n}"] = round(max(0.0, statistics.median(starts)), 4)
        log(f"  process {wl}/{case}/{n}: start-up {out['startup_s'][f'{wl}/{case}/{n}']} s")
    return out


def calibrate_callgrind(d, work):
    ssrun = os.path.join(d, "ss-run")

    def one(c):
        outf = os.path.join(work, c.name.replace("/", "-") + ".cg")
        argv, env = callgrind.command([ssrun, *c.args], c.toggle, outf)
        t0 = time.monotonic()
        r = subprocess.run(argv, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise SystemExit(f"calibrate: callgrind {c.name}: exit {r.returncode}")
        return c.name, round(time.monotonic() - t0, 3)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        return dict(ex.map(one, callgrind.cases()))


def calibrate_builds(work):
    out = {}
    for kind, variant, args in (("default", "default", []), ("variant", "noinline", ["-DSS_NOINLINE_ALLOC=ON"])):
        d = os.path.join(work, f"build-{kind}")
        gen = ["-G", "Ninja"] if shutil.which("ninja") else []
        t0 = time.monotonic()
        for c in (["cmake", "-S", B.ROOT, "-B", d, *gen, "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_COMPILER=gcc",
                   "-DCMAKE_CXX_COMPILER=g++", "-DBUILD_TESTING=OFF", *args],
                  ["cmake", "--build", d, "-j", str(os.cpu_count() or 2), "--target", *B.TARGETS[kind]]):
            r = subprocess.run(c, capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"calibrate: {' '.join(c)}: {r.stderr[-500:]}")
        out[kind] = round(time.monotonic() - t0, 1)
        log(f"  build {kind} ({variant}): {out[kind]} s")
        shutil.rmtree(d, ignore_errors=True)
    return out


def calibrate_evidence(d, work):
    b = B.Build(d)
    t0 = time.monotonic()
    runfolder.write(os.path.join(work, "evidence"), b, b.source_dir, default_path(b.source_dir), [b.level],
                    skip=["fold"], log=lambda m: None)
    return {"per_level_s": round(time.monotonic() - t0, 1)}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m ssbench.calibrate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=B.build_dir("gcc", "-O2", "default"))
    ap.add_argument("--out", default=CALIBRATION)
    ap.add_argument("--skip-builds", action="store_true")
    ap.add_argument("--skip-evidence", action="store_true")
    a = ap.parse_args(argv)
    try:
        old = json.load(open(a.out))
    except (OSError, ValueError):
        old = {}
    d = os.path.abspath(a.build)
    if not os.path.exists(os.path.join(d, "bench_rk4")):
        log(f"calibrate: building {d}")
        with open(os.devnull, "w") as devnull:
            try:
                B.configure_and_build("gcc", "-O2", "default", *COMPILERS["gcc"], [], devnull)
            except B.BuildError as e:
                print(f"calibrate: {e}", file=sys.stderr)
                return 2
    before = meta.load_average()
    cal = {"about": "costs measured by python3 -m ssbench.calibrate; read by ssbench/estimate.py"}
    with tempfile.TemporaryDirectory() as work:
        log("calibrate: rk4 (google-benchmark)")
        cal["rk4"], overhead = calibrate_rk4(d, work)
        log("  rk4 cv per point: " + ", ".join(f"{k} {v:.3f}" for k, v in cal["rk4"]["cv"].items()))
        cal["gbench"] = {"overhead_s": overhead}
        log("calibrate: physics (google-benchmark)")
        cal["physics"] = calibrate_physics(d, work)
        log("calibrate: whole processes (ss-run)")
        cal["process"] = calibrate_process(d)
        log("calibrate: callgrind")
        cal["callgrind"] = calibrate_callgrind(d, work)
        cal["hyperfine_overhead_s"] = 0.3
        log("calibrate: builds")
        cal["builds"] = old.get("builds") if a.skip_builds and old.get("builds") else calibrate_builds(work)
        log("calibrate: evidence")
        cal["evidence"] = old.get("evidence") if a.skip_evidence and old.get("evidence") else \
            calibrate_evidence(d, work)
    cal["measured"] = {"date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                       "git": meta.git(), "build": B.Build(d).flags, "cpu": meta.machine()["cpu_model"],
                       "load_average": before, "load_average_after": meta.load_average()}
    with open(a.out, "w") as f:
        json.dump(cal, f, indent=1, sort_keys=True)
        f.write("\n")
    log(f"calibrate: written {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
