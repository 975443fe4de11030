#!/usr/bin/env python3
"""bench.py — runs the benchmark matrix and records it in one self-describing run folder.

    bench.py [--mode quick|full|smoke] [--results DIR] [--compilers gcc,clang] [--dry-run]

`make bench` runs the quick mode; `make bench MODE=full` the paper's matrix. Each mode is a
table (MODES below): what it runs is data, and `--dry-run` prints the plan with its time
estimate. The run folder results/<UTC-time>-<git-short>/ gets:

    meta.json        machine, compilers and flags, git commit and dirty flag, mode, tools
    summary.csv      one row per measurement (results.COLUMNS), appended as the run goes
    gbench/          google-benchmark JSON (compare.py works on two of them)
    hyperfine/       hyperfine JSON
    callgrind/       callgrind outputs and callgrind_annotate text
    logs/            each step's output

A workload whose check fails is recorded as failed (metric "check") and not timed. Runs are
never overwritten; results/latest points to the newest.
"""
import argparse
import datetime
import errno
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import results as R  # noqa: E402

LIBDIR = "/usr/lib/x86_64-linux-gnu"
MALLOC_LIBS = {  # name -> LD_PRELOAD library (None: the C library's own)
    "glibc": None,
    "mimalloc": "libmimalloc.so.2",
    "jemalloc": "libjemalloc.so.2",
    "tcmalloc": "libtcmalloc_minimal.so.4",
}
COMPILERS = {"gcc": ("gcc", "g++"), "clang": ("clang", "clang++")}
VARIANTS = {  # the visibility axis: what the compiler is allowed to see
    "default": [],
    "noinline": ["-DSS_NOINLINE_ALLOC=ON"],
    "nobuiltin": ["-DSS_EXTRA_FLAGS=-fno-builtin-malloc"],
    "lto": ["-DSS_LTO=ON"],
}
# glibc picks memcpy/memset/strlen by CPU; pinned so instruction counts do not move between
# machines of different CPUs (valgrind also reports its own, fixed, CPU).
GLIBC_TUNABLES = "glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX2,-ERMS,-FSRM,-AVX_Fast_Unaligned_Load"
GBENCH_FLAGS = ["--benchmark_repetitions=9", "--benchmark_enable_random_interleaving=true",
                "--benchmark_report_aggregates_only=false"]

# What each mode runs. Sizes, problems and scenes are data; a workload whose binary does not
# exist in the build is reported and skipped, never silently.
MODES = {
    "quick": {
        "compilers": ["gcc", "clang"],
        "variants": {"gcc": ["default", "noinline", "nobuiltin", "lto"], "clang": ["default"]},
        "malloc_libs": ["glibc"],
        "gbench_min_time": 0.15,
        "alloc": {"sizes": [4, 64, 1024], "k": [8], "push": [1000000]},
        "rk4": {"problems": ["decay", "lorenz96"], "sizes": [4, 64, 1024],
                "impls": ["bump", "malloc", "stack", "malloc_once", "bump_n"], "calls": ["static"],
                "modes": ["final"]},
        "rk4_variants": {"problems": ["decay"], "sizes": [4, 64, 1024], "impls": ["bump", "malloc"]},
        "physics": {"scenes": ["rain"], "sizes": [256, 4096]},
        "growth": [["--bytes", str(64 << 20), "--reps", "3"], ["--bytes", str(256 << 20), "--reps", "3"]],
        "hyperfine": {"runs": 5, "warmup": 1},
        "callgrind": True,
    },
    "full": {
        "compilers": ["gcc", "clang"],
        "variants": {"gcc": list(VARIANTS), "clang": list(VARIANTS)},
        "malloc_libs": list(MALLOC_LIBS),
        "gbench_min_time": 0.2,
        "alloc": {"sizes": [4, 16, 64, 256, 1024, 4096, 16384], "k": [1, 8], "push": [1000, 1000000]},
        "rk4": {"problems": ["decay", "oscillators", "lorenz96", "heat1d"], "sizes": [4, 16, 64, 256, 1024, 4096],
                "impls": ["bump", "malloc", "stack", "malloc_once", "bump_n"], "calls": ["static", "fnptr"],
                "modes": ["final", "full"]},
        "rk4_variants": {"problems": ["decay", "lorenz96"], "sizes": [4, 16, 64, 256, 1024, 4096],
                         "impls": ["bump", "malloc", "stack"]},
        "physics": {"scenes": ["rain", "billiards", "cloth", "nbody"], "sizes": [16, 64, 256, 1024, 4096, 16384]},
        "growth": [["--bytes", str(b << 20), "--reps", "5"] for b in (64, 256, 1024)],
        "hyperfine": {"runs": 10, "warmup": 2},
        "callgrind": True,
    },
    "smoke": {  # seconds: the end-to-end test of the harness itself
        "compilers": ["gcc"],
        "variants": {"gcc": ["default"]},
        "malloc_libs": ["glibc"],
        "gbench_min_time": 0.001,
        "gbench_repetitions": 2,
        "alloc": {"sizes": [64], "k": [8], "push": [1000]},
        "rk4": {"problems": ["decay"], "sizes": [4], "impls": ["bump", "malloc", "stack"], "calls": ["static"],
                "modes": ["final"]},
        "rk4_variants": None,
        "physics": {"scenes": ["rain"], "sizes": [16]},
        "growth": [["--quick"]],
        "hyperfine": {"runs": 2, "warmup": 0},
        "callgrind": "rk4/decay/n4/",  # only the cases whose name contains this
        "evidence": None,  # a minute of compiling: tested on its own (tests/evidence.cmake)
        "build_dir": None,  # given on the command line (--build-dir): the test's own build
    },
}


WORKLOADS = ("alloc", "rk4", "physics", "growth", "fold", "evidence")


BUILD_EST = 20  # seconds to configure and build one variant, about (2 cores)


class Fatal(Exception):
    """An error that ends the run with a message (the run folder keeps what was measured)."""


#~ Progress

class Progress:
    def __init__(self, total_jobs, estimate_s, stream=sys.stdout):
        self.total, self.k, self.t0, self.est = total_jobs, 0, time.monotonic(), estimate_s
        self.stream, self.tty = stream, stream.isatty() and os.environ.get("CI") is None

    def start(self, what, est):
        self.k += 1
        el = time.monotonic() - self.t0
        left = max(self.est - el, 0)
        line = f"[{self.k}/{self.total}] {what}  (elapsed {fmt_s(el)}, about {fmt_s(left)} left)"
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, msg):
        self.stream.write(("\r\033[K" if self.tty else "") + msg + "\n")
        self.stream.flush()

    def done(self):
        if self.tty:
            self.stream.write("\n")


def fmt_s(s):
    s = int(s)
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


#~ Facts about the machine and the tree

def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def first_line(cmd):
    try:
        r = sh(cmd)
        return (r.stdout or r.stderr).splitlines()[0].strip() if r.returncode == 0 else "not found"
    except (OSError, IndexError):
        return "not found"


def machine_meta():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            cpu = m.group(1) if m else platform.processor()
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = re.search(r"MemTotal:\s*(\d+) kB", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    thp = ""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            thp = f.read().strip()
    except OSError:
        pass
    return {"cpu_model": cpu, "cores": os.cpu_count(), "memory_kib": int(mem) if mem else None,
            "kernel": platform.release(), "os": first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "transparent_hugepage": thp}


def git_meta():
    commit = sh(["git", "-C", ROOT, "rev-parse", "HEAD"]).stdout.strip() or "unknown"
    short = sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip() or "nogit"
    dirty = bool(sh(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]).stdout.strip())
    return {"commit": commit, "short": short, "dirty": dirty}


def malloc_libs_found():
    return {name: (lib is None or os.path.exists(os.path.join(LIBDIR, lib))) for name, lib in MALLOC_LIBS.items()}


#~ Building

def build_dir(compiler, variant):
    return os.path.join(ROOT, "build", f"bench-{compiler}-{variant}")


def configure_and_build(compiler, variant, log):
    d = build_dir(compiler, variant)
    cc, cxx = COMPILERS[compiler]
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    cmd = ["cmake", "-S", ROOT, "-B", d, *gen, "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_C_COMPILER={cc}",
           f"-DCMAKE_CXX_COMPILER={cxx}", "-DBUILD_TESTING=OFF", *VARIANTS[variant]]
    for c in (cmd, ["cmake", "--build", d, "-j", str(os.cpu_count() or 2)]):
        r = sh(c)
        log.write(f"$ {' '.join(c)}\n{r.stdout}{r.stderr}\n")
        if r.returncode != 0:
            raise Fatal(f"build {compiler}/{variant} failed: {' '.join(c)}\n{r.stderr[-2000:]}")
    return d


def build_flags(d):
    try:
        with open(os.path.join(d, "CMakeCache.txt")) as f:
            text = f.read()
        m = re.search(r"^SS_FLAGS_STRING:INTERNAL=(.*)$", text, re.M)
        return m.group(1) if m else ""
    except OSError:
        return ""


#~ Jobs: each knows its estimate and returns summary rows

class Job:
    def __init__(self, what, est, fn):
        self.what, self.est, self.fn = what, est, fn


def env_for(malloc_lib):
    env = dict(os.environ)
    lib = MALLOC_LIBS[malloc_lib]
    if lib:
        env["LD_PRELOAD"] = os.path.join(LIBDIR, lib)
    return env


def alloc_name_fields(run_name):
    # BM_alloc_bump/n:64/k:8 and BM_push_ss/count:1000/two:1
    m = re.match(r"BM_alloc_(\w+)/n:(\d+)/k:(\d+)$", run_name)
    if m:
        return {"impl": m.group(1), "workload": "alloc", "case": f"k{m.group(3)}", "n": m.group(2)}
    m = re.match(r"BM_push_(\w+)/count:(\d+)/two:(\d)$", run_name)
    if m:
        impl = "bump" if m.group(1) == "ss" else "malloc"
        return {"impl": impl, "workload": "push", "case": "two" if m.group(3) == "1" else "one", "n": m.group(2)}
    return None


RK4_IMPL = {"malloc_once": "malloc-once", "bump_n": "bump-fixedn"}


def rk4_name_fields(run_name):
    # rk4/<problem>/<impl>/<call>/<mode>/<n>
    m = re.match(r"rk4/(\w+)/(\w+)/(static|fnptr)/(final|full)/(\d+)$", run_name)
    if not m:
        return None
    problem, impl, call, mode, n = m.groups()
    case = problem + ("+fnptr" if call == "fnptr" else "") + ("+traj" if mode == "full" else "")
    return {"impl": RK4_IMPL.get(impl, impl), "workload": "rk4", "case": case, "n": n}


def physics_name_fields(run_name):
    # physics/<scene>/<impl>/<n>/iterations:K
    m = re.match(r"physics/(\w+)/(\w+)/(\d+)(?:/iterations:\d+)?$", run_name)
    if not m:
        return None
    return {"impl": m.group(2), "workload": "physics", "case": m.group(1), "n": m.group(3)}


def derive_per_step(rows):
    """Adds ns_per_step (CPU time: on a shared machine the time the process was not running is
    not the workload's) and, for physics, steps_per_second. An RK4 iteration is `steps` steps
    (its counter); a physics iteration is one step."""
    out = list(rows)
    keyf = lambda r: tuple(r[c] for c in R.COLUMNS if c not in ("metric", "value", "unit", "repetitions", "spread", "tool"))
    by = {}
    for r in rows:
        by.setdefault(keyf(r), {})[r["metric"]] = r
    for k, ms in by.items():
        cpu = ms.get("cpu_time_median")
        if cpu is None or cpu["workload"] not in ("rk4", "physics"):
            continue
        steps = float(ms["steps"]["value"]) if "steps" in ms else 1.0
        ctx = dict(cpu)
        v, sd = float(cpu["value"]) / steps, float(cpu["spread"] or 0) / steps
        out.append(R.row(ctx, "ns_per_step", f"{v:.6g}", "ns", cpu["repetitions"], f"{sd:.4g}", tool="gbench"))
        if cpu["workload"] == "physics" and v > 0:
            out.append(R.row(ctx, "steps_per_second", f"{1e9 / v:.6g}", "1/s", cpu["repetitions"],
                             f"{1e9 * sd / (v * v):.4g}", tool="gbench"))
    return out


def regex_alt(xs):
    return "(" + "|".join(str(x) for x in xs) + ")"


# Fixed small cases counted under callgrind, shared with the regression check (perfcheck.py):
# (name, workload, case, impl, n, steps, ss-run arguments, function whose calls are counted).
def callgrind_cases():
    cases = []
    for problem, n, steps in (("decay", 4, 400), ("decay", 64, 400), ("decay", 1024, 200), ("oscillators", 64, 200),
                              ("lorenz96", 64, 200), ("heat1d", 64, 200)):
        for impl in ("bump", "malloc", "stack"):
            # exact names: a pattern would also match a split-off .cold part, and entering it
            # toggles collection off
            fn = f"rk4_run_stack{n}" if impl == "stack" else f"rk4_run_{impl}"
            cases.append((f"rk4/{problem}/n{n}/{impl}", "rk4", problem, impl, n, steps,
                          ["rk4", "--impl", impl, "--problem", problem, "-n", str(n), "--steps", str(steps),
                           "--final-only"], fn))
    for scene, n, steps in (("rain", 256, 60), ("billiards", 256, 60), ("cloth", 256, 60), ("nbody", 64, 30)):
        for impl in ("bump", "malloc", "stack"):
            cases.append((f"physics/{scene}/n{n}/{impl}", "physics", scene, impl, n, steps,
                          ["physics", "--impl", impl, "--scene", scene, "-n", str(n), "--steps", str(steps),
                           "--quiet"], "phys_run"))
    for impl, alloc_fn, push_fn in (("bump", "kern_bump_alloc", "kern_push_ss"),
                                    ("malloc", "kern_malloc_free", "kern_push_realloc")):
        cases.append((f"alloc/k8/n64/{impl}", "alloc", "k8", impl, 64, 2000,
                      ["alloc", "--impl", impl, "-n", "64", "-k", "8", "--rounds", "2000"], alloc_fn))
        cases.append((f"push/two/1e5/{impl}", "push", "two", impl, 100000, 100000,
                      ["alloc", "--impl", impl, "--push", "100000", "--two"], push_fn))
    return cases


def gbench_job(run, binary, filt, ctx, name_fields, malloc_lib, tag, est):
    def fn():
        out = os.path.join(run.dir, "gbench", f"{tag}.json")
        reps = run.mode.get("gbench_repetitions", 9)
        cmd = [binary, f"--benchmark_filter={filt}", f"--benchmark_min_time={run.mode['gbench_min_time']}",
               f"--benchmark_out={out}", "--benchmark_out_format=json", *GBENCH_FLAGS,
               f"--benchmark_repetitions={reps}"]
        r = run.exec(cmd, tag, env=env_for(malloc_lib))
        if not os.path.exists(out):
            return [R.row(ctx, "check", "failed", "", spread=f"exit {r.returncode}", tool="gbench")]
        return derive_per_step(R.gbench_rows(out, dict(ctx, malloc_lib=malloc_lib), name_fields))
    return Job(f"gbench {tag}", est, fn)


def peak_rss_kib(cmd, env):
    """Runs cmd once under GNU time; returns (exit status, peak RSS in KiB, minor faults).
    Not wait4 from here: Linux counts the forked copy of this Python process, before exec,
    in the child's ru_maxrss (about 19 MiB); GNU time's own image before exec is small."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run(["/usr/bin/time", "-f", "%M %R", "-o", t.name, *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env=env)
        fields = t.read().split()
    if p.returncode != 0 or len(fields) < 2:
        return p.returncode or 1, 0, 0
    return 0, int(fields[-2]), int(fields[-1])


def hyperfine_job(run, cmd, ctx, malloc_lib, tag, est):
    def fn():
        env = env_for(malloc_lib)
        c = dict(ctx, malloc_lib=malloc_lib)
        # the check first: a failing workload is recorded and not timed
        code, rss, minflt = peak_rss_kib(cmd, env)
        if code != 0:
            return [R.row(c, "check", "failed", "", spread=f"exit {code}", tool="process")]
        out = os.path.join(run.dir, "hyperfine", f"{tag}.json")
        hf = run.mode["hyperfine"]
        quoted = " ".join(shlex.quote(a) for a in cmd)
        r = run.exec(["hyperfine", "-N", "--warmup", str(hf["warmup"]), "--runs", str(hf["runs"]),
                      "--export-json", out, quoted], tag, env=env)
        if r.returncode != 0 or not os.path.exists(out):
            return [R.row(c, "check", "failed", "", spread="hyperfine failed", tool="hyperfine")]
        return ([R.row(c, "peak_rss", rss, "KiB", 1, tool="process"),
                 R.row(c, "minor_faults", minflt, "count", 1, tool="process")] + R.hyperfine_rows(out, c))
    return Job(f"hyperfine {tag}", est, fn)


def callgrind_job(run, cmd, ctx, toggle, tag, est, steps=None):
    def fn():
        out = os.path.join(run.dir, "callgrind", f"{tag}.out")
        env = dict(os.environ, GLIBC_TUNABLES=GLIBC_TUNABLES)
        r = run.exec(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                      f"--toggle-collect={toggle}", "--error-exitcode=97", *cmd], tag, env=env)
        if r.returncode != 0 or not os.path.exists(out):
            # an aborted run (unrecognised instruction, non-zero exit) is a failure, not a count
            return [R.row(ctx, "check", "failed", "", spread=f"valgrind exit {r.returncode}", tool="callgrind")]
        total = R.callgrind_total(out)
        ann = sh(["callgrind_annotate", "--inclusive=no", "--threshold=100", "--auto=no", out])
        with open(out + ".annotate.txt", "w") as f:
            f.write(ann.stdout)
        rows = [R.row(ctx, "instructions", total, "Ir", 1, tool="callgrind")]
        if steps:
            rows.append(R.row(ctx, "instructions_per_step", f"{total / steps:.6g}", "Ir", 1, tool="callgrind"))
        for func, ir in sorted(R.parse_callgrind_annotate(ann.stdout).items(), key=lambda kv: -kv[1])[:12]:
            rows.append(R.row(ctx, f"instructions:{func}", ir, "Ir", 1, tool="callgrind"))
        return rows
    return Job(f"callgrind {tag}", est, fn)


#~ The plan

def plan(run):
    m = run.mode
    jobs = []
    # seconds a google-benchmark case takes, about (measured: quick mode's 30 RK4 cases, 16 s)
    per = m.get("gbench_repetitions", 9) * m["gbench_min_time"] * 1.1 + 0.05
    for compiler in m["compilers"]:
        for variant in m["variants"][compiler]:
            d = run.builds[(compiler, variant)]
            ctx = {"compiler": compiler, "variant": variant}
            # the malloc libraries are an axis of the default build only
            libs = [lib for lib in m["malloc_libs"] if run.libs_found[lib]] if variant == "default" else ["glibc"]
            jobs += alloc_jobs(run, d, ctx, variant, libs, per)
            jobs += rk4_jobs(run, d, ctx, variant, libs, per)
            jobs += physics_jobs(run, d, ctx, variant, libs)
            ssrun = os.path.join(d, "ss-run")
            if variant == "default":
                if run.has(ssrun):
                    jobs += process_jobs(run, ssrun, ctx, libs)
                else:
                    run.skip(f"{ssrun} not built")
    growth = os.path.join(run.builds[(m["compilers"][0], "default")], "bench_growth")
    if m.get("growth") and run.has(growth):
        jobs.append(growth_job(run, growth, {"compiler": m["compilers"][0], "variant": "default"}))
    elif m.get("growth"):
        run.skip(f"{growth} not built")
    if m.get("fold", True) is not None:
        jobs.append(fold_job(run))
    if m.get("evidence", True) is not None:
        jobs.append(evidence_job(run))
    return jobs


def alloc_jobs(run, d, ctx, variant, libs, per):
    m, jobs = run.mode, []
    spec = m.get("alloc")
    binary = os.path.join(d, "bench_alloc")
    if not spec:
        return jobs
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return jobs
    tag = f"{ctx['compiler']}-{variant}"
    filt = f"/n:{regex_alt(spec['sizes'])}/k:{regex_alt(spec['k'])}$"
    est = len(spec["sizes"]) * len(spec["k"]) * per
    jobs.append(gbench_job(run, binary, "BM_alloc_bump" + filt, ctx, alloc_name_fields, "glibc",
                           f"alloc-bump-{tag}", est))
    for lib in libs:
        jobs.append(gbench_job(run, binary, "BM_alloc_malloc" + filt, ctx, alloc_name_fields, lib,
                               f"alloc-malloc-{lib}-{tag}", est))
    if variant == "default":
        jobs.append(gbench_job(run, binary, f"BM_push_.*/count:{regex_alt(spec['push'])}/", ctx, alloc_name_fields,
                               "glibc", f"push-{tag}", len(spec["push"]) * 4 * per))
    return jobs


def rk4_jobs(run, d, ctx, variant, libs, per):
    m, jobs = run.mode, []
    binary = os.path.join(d, "bench_rk4")
    spec = m.get("rk4") if variant == "default" else m.get("rk4_variants")
    if not spec:
        return jobs
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return jobs
    calls, modes = spec.get("calls", ["static"]), spec.get("modes", ["final"])
    impls = spec["impls"]
    count = len(spec["problems"]) * len(spec["sizes"]) * len(calls) * len(modes)

    def filt(impl_list):
        return (f"rk4/{regex_alt(spec['problems'])}/{regex_alt(impl_list)}/{regex_alt(calls)}/{regex_alt(modes)}/"
                f"{regex_alt(spec['sizes'])}$")
    tag = f"rk4-{ctx['compiler']}-{variant}"
    jobs.append(gbench_job(run, binary, filt(impls), ctx, rk4_name_fields, "glibc", tag, count * len(impls) * per))
    mallocs = [i for i in impls if i.startswith("malloc")]
    for lib in libs:
        if lib != "glibc" and mallocs:
            jobs.append(gbench_job(run, binary, filt(mallocs), ctx, rk4_name_fields, lib, f"{tag}-{lib}",
                                   count * len(mallocs) * per))
    return jobs


def physics_jobs(run, d, ctx, variant, libs):
    m, jobs = run.mode, []
    spec = m.get("physics")
    binary = os.path.join(d, "bench_physics")
    if not spec or variant != "default":
        return jobs
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return jobs
    reps = m.get("gbench_repetitions", 9)
    # each repetition is a fixed number of steps, about 40 ms; the check and warm-up are untimed
    est = len(spec["scenes"]) * len(spec["sizes"]) * 3 * (reps * 0.05 + 0.3)
    filt = f"physics/{regex_alt(spec['scenes'])}/(bump|malloc|stack)/{regex_alt(spec['sizes'])}/"
    tag = f"physics-{ctx['compiler']}"
    jobs.append(gbench_job(run, binary, filt, ctx, physics_name_fields, "glibc", tag, est))
    for lib in libs:
        if lib != "glibc":
            f2 = f"physics/{regex_alt(spec['scenes'])}/malloc/{regex_alt(spec['sizes'])}/"
            jobs.append(gbench_job(run, binary, f2, ctx, physics_name_fields, lib, f"{tag}-{lib}", est / 3))
    return jobs


def process_jobs(run, ssrun, ctx, libs):
    """Whole processes: hyperfine (start-up, page faults, region growth included) and peak RSS;
    callgrind instruction counts of the fixed small cases."""
    m, jobs = run.mode, []
    runs = m["hyperfine"]["runs"] + m["hyperfine"]["warmup"]
    if m.get("alloc"):
        for impl in ("bump", "malloc"):
            cmd = [ssrun, "alloc", "--impl", impl, "-n", "64", "-k", "8", "--rounds", "200000"]
            c = dict(ctx, impl=impl, workload="alloc", case="k8", n=64)
            for lib in (libs if impl == "malloc" else ["glibc"]):
                jobs.append(hyperfine_job(run, cmd, c, lib, f"alloc-{impl}-{lib}-{ctx['compiler']}", runs * 0.1 + 0.5))
    spec_rk4, spec_ph = m.get("rk4") or {}, m.get("physics") or {}
    for n in spec_rk4.get("sizes", [])[-1:]:  # the largest size of each workload
        for impl in ("bump", "malloc", "stack"):
            cmd = [ssrun, "rk4", "--impl", impl, "--problem", spec_rk4["problems"][0], "-n", str(n), "--final-only"]
            c = dict(ctx, impl=impl, workload="rk4", case=spec_rk4["problems"][0], n=n)
            for lib in (libs if impl == "malloc" else ["glibc"]):
                jobs.append(hyperfine_job(run, cmd, c, lib, f"rk4-{impl}-{n}-{lib}-{ctx['compiler']}", runs * 0.3 + 1))
    for n in spec_ph.get("sizes", [])[-1:]:
        for impl in ("bump", "malloc", "stack"):
            cmd = [ssrun, "physics", "--impl", impl, "--scene", spec_ph["scenes"][0], "-n", str(n), "--steps", "100",
                   "--quiet"]
            c = dict(ctx, impl=impl, workload="physics", case=spec_ph["scenes"][0], n=n)
            for lib in (libs if impl == "malloc" else ["glibc"]):
                jobs.append(hyperfine_job(run, cmd, c, lib, f"physics-{impl}-{n}-{lib}-{ctx['compiler']}",
                                          runs * 0.5 + 1))
    if m["callgrind"]:
        for name, workload, case, impl, n, steps, args, toggle in callgrind_cases():
            if not m.get("rk4" if workload == "rk4" else "physics" if workload == "physics" else "alloc"):
                continue
            if isinstance(m["callgrind"], str) and m["callgrind"] not in name:
                continue
            c = dict(ctx, impl=impl, workload=workload, case=case, n=n, malloc_lib="glibc")
            jobs.append(callgrind_job(run, [ssrun, *args], c, toggle, f"{name.replace('/', '-')}-{ctx['compiler']}",
                                      0.6, steps))
    return jobs


def growth_job(run, binary, ctx):
    def fn():
        rows = []
        for k, args in enumerate(run.mode["growth"]):
            out = os.path.join(run.dir, "growth", str(k))
            os.makedirs(out, exist_ok=True)
            r = run.exec([binary, *args, "--out", out], f"growth-{k}")
            fill, steps = os.path.join(out, "growth_fill.csv"), os.path.join(out, "growth_steps.csv")
            if r.returncode != 0 or not os.path.exists(fill):
                rows.append(R.row(dict(ctx, workload="growth"), "check", "failed", "",
                                  spread=f"{' '.join(args)}: exit {r.returncode}", tool="bench_growth"))
            else:
                rows += R.growth_rows(fill, steps, ctx)
        return rows
    # about 0.1 s per 64 MiB filled, per strategy (five), THP setting (two) and run (with its warm-up)
    est = 0
    for args in run.mode["growth"]:
        mib = int(args[args.index("--bytes") + 1]) >> 20 if "--bytes" in args else 64
        reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 1
        est += 2 * 5 * 2 * reps * mib / 64 * 0.1 + 3
    return Job("bench_growth (reserve-all, fault-driven, realloc; THP off/on)", est, fn)


def evidence_job(run):
    """Vectorization reports, normalized assembly and its metrics, ergonomics counts
    (harness/evidence.py): vectorization.csv, asm/, asm.csv, ergonomics.csv."""
    def fn():
        r = run.exec([sys.executable, os.path.join(HERE, "evidence.py"), run.dir, "--skip", "fold"], "evidence")
        if r.returncode != 0:
            run.skip(f"evidence: exit {r.returncode} (see logs/evidence.log); what it wrote is kept")
        return []
    return Job("compiler evidence: vectorization, assembly, ergonomics", 70, fn)


def fold_job(run):
    def fn():
        r = run.exec([sys.executable, os.path.join(ROOT, "tests", "fold_check.py"), ROOT, "--csv",
                      os.path.join(run.dir, "fold.csv")], "fold")
        with open(os.path.join(run.dir, "fold.txt"), "w") as f:
            f.write(r.stdout)
        return []
    return Job("the seed's experiment: fold-to-constant matrix", 4, fn)


#~ The run

class Run:
    def __init__(self, args):
        if args.mode not in MODES:
            raise Fatal(f"unknown mode '{args.mode}' (modes: {', '.join(MODES)})")
        self.mode = dict(MODES[args.mode])
        self.mode_name = args.mode
        if args.compilers:
            wanted = args.compilers.split(",")
            for c in wanted:
                if c not in COMPILERS:
                    raise Fatal(f"unknown compiler '{c}' (compilers: {', '.join(COMPILERS)})")
            self.mode["compilers"] = wanted
            self.mode["variants"] = {c: self.mode["variants"].get(c, ["default"]) for c in wanted}
        if args.workloads:
            wanted = args.workloads.split(",")
            for w in wanted:
                if w not in WORKLOADS:
                    raise Fatal(f"unknown workload '{w}' (workloads: {', '.join(WORKLOADS)})")
            for w in WORKLOADS:
                if w not in wanted:
                    self.mode[w if w != "fold" else "fold"] = None
        self.args = args
        self.skipped = []
        self.libs_found = malloc_libs_found()

    def has(self, path):
        """A binary the plan can use (a dry run plans as if every build had succeeded)."""
        return self.args.dry_run or os.path.exists(path)

    def skip(self, why):
        if why not in self.skipped:
            self.skipped.append(why)

    def check_tools(self):
        need = {"cmake": "cmake", "hyperfine": "hyperfine", "valgrind": "valgrind", "/usr/bin/time": "time",
                "callgrind_annotate": "valgrind"}
        for c in self.mode["compilers"]:
            need[COMPILERS[c][0]] = c
            need[COMPILERS[c][1]] = "g++" if c == "gcc" else "clang"
        missing = [f"{tool} (Debian package {pkg})" for tool, pkg in need.items() if shutil.which(tool) is None]
        if missing:
            raise Fatal("missing tools: " + ", ".join(missing))

    def open_folder(self):
        g = git_meta()
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        base = os.path.abspath(self.args.results)
        d = os.path.join(base, f"{stamp}-{g['short']}")
        k = 1
        while os.path.exists(d):  # never overwrite a run
            k += 1
            d = os.path.join(base, f"{stamp}-{g['short']}-{k}")
        for sub in ("gbench", "hyperfine", "callgrind", "logs"):
            os.makedirs(os.path.join(d, sub))
        self.dir, self.git = d, g
        latest = os.path.join(base, "latest")
        try:
            if os.path.islink(latest) or os.path.exists(latest):
                os.remove(latest)
            os.symlink(os.path.basename(d), latest)
        except OSError:
            pass
        self.summary = R.Summary(os.path.join(d, "summary.csv"))

    def exec(self, cmd, tag, env=None):
        r = sh(cmd, env=env)
        with open(os.path.join(self.dir, "logs", f"{tag}.log"), "w") as f:
            f.write(f"$ {' '.join(cmd)}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}\n")
        return r

    def write_meta(self, status, extra=None):
        compilers = {c: {"version": first_line([COMPILERS[c][0], "--version"]),
                         "flags": {v: build_flags(build_dir(c, v)) for v in self.mode["variants"][c]}}
                     for c in self.mode["compilers"]}
        meta = {"mode": self.mode_name, "status": status,
                "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "machine": machine_meta(), "git": self.git, "compilers": compilers,
                "variants": {v: VARIANTS[v] for c in self.mode["compilers"] for v in self.mode["variants"][c]},
                "malloc_libs_found": self.libs_found, "glibc_tunables_for_callgrind": GLIBC_TUNABLES,
                "tools": {"hyperfine": first_line(["hyperfine", "--version"]),
                          "valgrind": first_line(["valgrind", "--version"]),
                          "cmake": first_line(["cmake", "--version"])},
                "gbench_flags": GBENCH_FLAGS, "matrix": {k: v for k, v in self.mode.items() if k != "build_dir"},
                "skipped": self.skipped}
        if extra:
            meta.update(extra)
        tmp = os.path.join(self.dir, "meta.json.tmp")
        with open(tmp, "w") as f:
            json.dump(meta, f, indent=2)
        os.replace(tmp, os.path.join(self.dir, "meta.json"))


def main(argv=None):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `bench.py --dry-run | head` ends quietly
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", default="quick")
    ap.add_argument("--results", default=os.path.join(ROOT, "results"))
    ap.add_argument("--compilers", default="")
    ap.add_argument("--workloads", default="", help=f"only these, comma-separated: {', '.join(WORKLOADS)}")
    ap.add_argument("--build-dir", default="", help="use this build (gcc/default) instead of building")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    try:
        run = Run(args)
        for lib, ok in run.libs_found.items():
            if not ok and lib in run.mode["malloc_libs"]:
                print(f"notice: {lib} not installed ({MALLOC_LIBS[lib]}): skipped")
        run.check_tools()
        run.open_folder() if not args.dry_run else None
        run.builds = {}
        builds = [(c, v) for c in run.mode["compilers"] for v in run.mode["variants"][c]]
        if args.dry_run:
            for c, v in builds:
                run.builds[(c, v)] = build_dir(c, v)
            jobs = plan(run)
            total = BUILD_EST * len(builds) + sum(j.est for j in jobs)
            print(f"mode {run.mode_name}: {len(builds)} builds, {len(jobs)} measurements, about {fmt_s(total)}")
            for j in jobs:
                print(f"  {j.what} (~{fmt_s(j.est)})")
            for s in run.skipped:
                print(f"  skipped: {s}")
            return 0
        run.write_meta("running")
        print(f"run folder: {run.dir}")
        prog = Progress(len(builds), BUILD_EST * len(builds))
        with open(os.path.join(run.dir, "logs", "build.log"), "w") as log:
            for c, v in builds:
                if args.build_dir and (c, v) == ("gcc", "default"):
                    run.builds[(c, v)] = os.path.abspath(args.build_dir)
                    continue
                prog.start(f"build {c}/{v}", BUILD_EST)
                run.builds[(c, v)] = configure_and_build(c, v, log)
        prog.done()
        jobs = plan(run)
        total = sum(j.est for j in jobs)
        print(f"{len(jobs)} measurements, about {fmt_s(total)}")
        prog = Progress(len(jobs), total)
        failed = 0
        for j in jobs:
            prog.start(j.what, j.est)
            try:
                rows = j.fn()
            except R.ParseError as e:
                prog.note(f"  {j.what}: {e}")
                rows = []
            failed += sum(1 for r in rows if r["metric"] == "check" and r["value"] == "failed")
            run.summary.add(rows)
        prog.done()
        for s in run.skipped:
            print(f"notice: skipped: {s}")
        run.write_meta("complete", {"failed_checks": failed})
        run.summary.close()
        print(f"done: {run.dir} ({failed} failed checks)")
        return 1 if failed else 0
    except Fatal as e:
        print(f"bench: {e}", file=sys.stderr)
        if getattr(locals().get("run"), "dir", None):
            run.write_meta("failed", {"error": str(e)})
            print(f"bench: what was measured stays in {run.dir}", file=sys.stderr)
        return 2
    except OSError as e:
        if e.errno == errno.ENOSPC:
            print(f"bench: disk full ({e.filename or ''}): stopped; partial summary.csv kept", file=sys.stderr)
            return 3
        raise
    except KeyboardInterrupt:
        print("\nbench: interrupted; partial summary.csv kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
