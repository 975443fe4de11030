"""What each mode runs, and the axes of the matrix. Sizes, problems and scenes are data; a
workload whose binary does not exist in the build is reported and skipped, never silently."""

COMPILERS = {"gcc": ("gcc", "g++"), "clang": ("clang", "clang++")}
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
    "smoke": {  # seconds: the end-to-end test of the harness itself, on the build given (--build-dir)
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
        "evidence": None,  # a minute of compiling: tested on its own (evidence_smoke, evidence_table)
    },
}
