"""What each mode runs, and the axes of the matrix. Sizes, problems, scenes and implementations
are data: each workload is a list of blocks, a block the product of its lists, measured on the
builds it names (levels, visibility variants) with the malloc libraries it names. A case of
several blocks is measured once; a workload whose binary does not exist in the build is
reported and skipped, never silently.

The builds: one tree per compiler, optimisation level and visibility variant. Every level is
built for the default variant (checked, timed and counted there: the binary timed is the
binary checked and counted); the visibility variants are built at the first level only.
"""

COMPILERS = {"gcc": ("gcc", "g++"), "clang": ("clang", "clang++")}
LEVELS = ["-O2", "-O3"]
VARIANTS = {  # the visibility axis: what the compiler is allowed to see
    "default": [],
    "noinline": ["-DSS_NOINLINE_ALLOC=ON"],
    "nobuiltin": ["-DSS_EXTRA_FLAGS=-fno-builtin-malloc"],
    "lto": ["-DSS_LTO=ON"],
}
LIBDIR = "/usr/lib/x86_64-linux-gnu"
MALLOC_LIBS = {  # name -> LD_PRELOAD library (None: the C library's own)
    "glibc": None,
    "mimalloc": "libmimalloc.so.2",
    "jemalloc": "libjemalloc.so.2",
    "tcmalloc": "libtcmalloc_minimal.so.4",
}
WORKLOADS = ("alloc", "rk4", "physics", "growth", "fold", "evidence")

# RK4 implementations (bench_rk4's names), the controls (harness/ssbench/claims.py: aa_control
# is bump timed again in the same process, aa_layout is bump in bench_rk4_layout), and the
# implementations that call malloc (the ones a malloc library changes).
RK4_IMPLS = ["bump", "malloc", "stack", "malloc_once", "bump_n", "bump_tuned", "malloc_tuned", "bump_checked"]
CONTROLS = ["aa_control", "aa_layout"]
MALLOC_IMPLS = ["malloc", "malloc_once", "malloc_tuned"]
PHYS_IMPLS = ["bump", "malloc", "stack"]
ENGINES = ["loop", "array"]
PROBLEMS = ["decay", "oscillators", "lorenz96", "heat1d"]
SCENES = ["rain", "billiards", "cloth", "nbody"]
RK4_SIZES = [4, 16, 64, 256, 1024, 4096]
PHYS_SIZES = [16, 64, 256, 1024, 4096, 16384]  # nbody: up to 4096 (bench_physics: O(n²), a second a step)


def rk4(problems, sizes, impls, calls=("static",), modes=("final",), levels=None, variants=("default",),
        libs=("glibc",)):
    """An RK4 block: problems x sizes x impls x calls x modes, on the builds of `levels` (None:
    every level of the mode) and `variants`, under `libs` (the malloc implementations only)."""
    return {"problems": list(problems), "sizes": list(sizes), "impls": list(impls), "calls": list(calls),
            "modes": list(modes), "levels": levels, "variants": list(variants), "libs": list(libs)}


def physics(scenes, sizes, impls=PHYS_IMPLS, engines=ENGINES, levels=None, variants=("default",), libs=("glibc",)):
    """A physics block: scenes x sizes x engines x impls, on builds and under libraries as rk4()."""
    return {"scenes": list(scenes), "sizes": list(sizes), "impls": list(impls), "engines": list(engines),
            "levels": levels, "variants": list(variants), "libs": list(libs)}


CONTROL_POINTS = [rk4(["decay"], [4, 64, 1024], CONTROLS), rk4(["lorenz96"], [64], CONTROLS)]
OTHER_LIBS = ["mimalloc", "jemalloc", "tcmalloc"]

MODES = {
    "quick": {
        "compilers": ["gcc", "clang"],
        "levels": LEVELS,
        "variants": {"gcc": list(VARIANTS), "clang": ["default"]},
        "malloc_libs": ["glibc"],
        # google-benchmark: repetitions, and the range of a repetition's length (--benchmark_min_time)
        # planned per RK4 point from the variance measured in the calibration (ssbench/estimate.py)
        "gbench_repetitions": 9,
        "min_time": [0.02, 0.15],
        "physics_rep_s": [0.01, 0.05],  # the same range for a physics repetition (a fixed number of steps)
        "alloc": {"sizes": [4, 64, 1024], "k": [8], "push": [1000000], "min_time": 0.05},
        "rk4": [
            rk4(["decay", "lorenz96"], [4, 64, 1024], ["bump", "malloc", "stack", "malloc_once", "bump_n"]),
            rk4(["decay", "lorenz96"], [64, 1024], ["bump_tuned", "malloc_tuned", "bump_checked"]),
            *CONTROL_POINTS,
            rk4(["decay"], [4, 64, 1024], ["bump", "malloc"], levels=["-O2"], variants=["noinline", "nobuiltin", "lto"]),
        ],
        "physics": [physics(["rain"], [256, 4096])],
        "growth": [["--bytes", str(64 << 20), "--reps", "3"], ["--bytes", str(256 << 20), "--reps", "3"]],
        # whole processes: the points, each case at least min_seconds long (steps chosen so)
        "process": {"rk4": {"points": [["decay", 1024]], "impls": RK4_IMPLS},
                    "physics": {"points": [["rain", 4096]], "engines": ENGINES, "impls": PHYS_IMPLS},
                    "alloc": True, "min_seconds": 0.1},
        "hyperfine": {"runs": 5, "warmup": 1},
        "callgrind": True,
    },
    "full": {
        "compilers": ["gcc", "clang"],
        "levels": LEVELS,
        "variants": {"gcc": list(VARIANTS), "clang": list(VARIANTS)},
        "malloc_libs": list(MALLOC_LIBS),
        "gbench_repetitions": 9,
        "min_time": [0.02, 0.2],
        "physics_rep_s": [0.01, 0.05],
        "alloc": {"sizes": [4, 64, 1024, 16384], "k": [1, 8], "push": [1000, 1000000], "min_time": 0.05},
        "rk4": [
            rk4(PROBLEMS, RK4_SIZES, RK4_IMPLS + CONTROLS),
            rk4(PROBLEMS, [4, 64, 1024], RK4_IMPLS, calls=["static", "fnptr"], modes=["final", "full"], levels=["-O2"]),
            rk4(PROBLEMS, [4, 64, 1024], MALLOC_IMPLS, levels=["-O2"], libs=OTHER_LIBS),
            rk4(PROBLEMS, [4, 64, 1024], ["bump", "malloc", "stack", "bump_tuned"], levels=["-O2"],
                variants=["noinline", "nobuiltin", "lto"]),
        ],
        "physics": [
            physics(["rain", "billiards", "cloth"], PHYS_SIZES),
            physics(["nbody"], PHYS_SIZES[:-1]),
            physics(SCENES, [64, 1024], impls=["malloc"], levels=["-O2"], libs=OTHER_LIBS),
        ],
        "growth": [["--bytes", str(b << 20), "--reps", "5"] for b in (64, 256, 1024)],
        # one point per workload: lorenz96 n = 4096 and cloth n = 16384 would add about 44 minutes
        # (the slowest builds run 10x the fastest's steps) and take the run past its 2 hours
        "process": {"rk4": {"points": [["decay", 1024]], "impls": RK4_IMPLS},
                    "physics": {"points": [["rain", 4096]], "engines": ENGINES, "impls": PHYS_IMPLS},
                    "alloc": True, "min_seconds": 0.1},
        "hyperfine": {"runs": 10, "warmup": 2},
        "callgrind": True,
    },
    "smoke": {  # seconds: the end-to-end test of the harness itself, on the build given (--build-dir)
        "compilers": ["gcc"],
        "levels": "build",  # the level of the build given
        "variants": {"gcc": ["default"]},
        "malloc_libs": ["glibc"],
        "gbench_repetitions": 2,
        "min_time": 0.001,  # fixed, not planned
        "physics_steps": 5,  # fixed, not planned
        "alloc": {"sizes": [64], "k": [8], "push": [1000], "min_time": 0.001},
        "rk4": [rk4(["decay"], [4], ["bump", "malloc", "stack", "bump_tuned", "malloc_tuned", "bump_checked",
                                     "aa_control", "aa_layout"])],
        "physics": [physics(["rain"], [16])],
        "growth": [["--quick"]],
        "process": {"rk4": {"points": [["decay", 4]], "impls": ["bump", "bump_tuned"]},
                    "physics": {"points": [["rain", 16]], "engines": ENGINES, "impls": ["bump"]},
                    "alloc": False, "min_seconds": 0.02},
        "hyperfine": {"runs": 2, "warmup": 0},
        "callgrind": ["rk4/decay/n4/", "physics/rain/n256/bump/array"],  # only the cases whose name contains one
        "evidence": None,  # a minute of compiling: tested on its own (evidence_smoke, evidence_table)
    },
}
