"""How instructions are counted (callgrind around one function), and the fixed small cases
counted by both `make bench` and `make perf-check`."""
import collections
import os

# glibc picks memcpy/memset/strlen by CPU; pinned so instruction counts do not move between
# machines of different CPUs (valgrind also reports its own, fixed, CPU).
GLIBC_TUNABLES = "glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX2,-ERMS,-FSRM,-AVX_Fast_Unaligned_Load"


def command(cmd, toggle, out):
    """(argv, env) that run cmd under callgrind, counting inside the function `toggle` only,
    into the file out. A run valgrind aborts exits 97 or with the workload's own failure."""
    argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", f"--toggle-collect={toggle}",
            "--error-exitcode=97", *cmd]
    return argv, dict(os.environ, GLIBC_TUNABLES=GLIBC_TUNABLES)


Case = collections.namedtuple("Case", "name group workload case impl engine n steps args toggle")
Case.__doc__ = """A fixed small case: its name, its group (the name without the implementation:
the cases compared for the thesis), what it runs (workload, case, impl, engine, n, steps), the
ss-run arguments and the function whose calls are counted."""

RK4_POINTS = [("decay", 4, 400), ("decay", 64, 400), ("decay", 1024, 200), ("oscillators", 64, 200),
              ("lorenz96", 64, 200), ("heat1d", 64, 200)]
RK4_COUNTED = ["bump", "malloc", "stack", "bump_tuned", "malloc_tuned", "bump_checked"]
PHYS_POINTS = [("rain", 256, 60), ("billiards", 256, 60), ("cloth", 256, 60), ("nbody", 64, 30)]


def cases():
    """The fixed small cases (Case), every one counted by both `make bench` and `make perf-check`.
    Names: rk4/<problem>/n<n>/<impl>, physics/<scene>/n<n>/<impl> (loop engine) and
    physics/<scene>/n<n>/<impl>/array, alloc/k8/n64/<impl>, push/two/1e5/<impl>."""
    out = []
    for problem, n, steps in RK4_POINTS:
        for impl in RK4_COUNTED:
            # exact names: a pattern would also match a split-off .cold part, and entering it
            # toggles collection off
            fn = f"rk4_run_stack{n}" if impl == "stack" else f"rk4_run_{impl}"
            group = f"rk4/{problem}/n{n}"
            out.append(Case(f"{group}/{impl}", group, "rk4", problem, impl, "", n, steps,
                            ["rk4", "--impl", impl, "--problem", problem, "-n", str(n), "--steps", str(steps),
                             "--final-only"], fn))
    for engine in ("loop", "array"):
        for scene, n, steps in PHYS_POINTS:
            group = f"physics/{scene}/n{n}" + ("" if engine == "loop" else f"/{engine}")
            for impl in ("bump", "malloc", "stack"):
                name = f"physics/{scene}/n{n}/{impl}" + ("" if engine == "loop" else f"/{engine}")
                out.append(Case(name, group, "physics", scene, impl, engine, n, steps,
                                ["physics", "--impl", impl, "--scene", scene, "-n", str(n), "--steps", str(steps),
                                 "--engine", engine, "--quiet"], "phys_run"))
    for impl, alloc_fn, push_fn in (("bump", "kern_bump_alloc", "kern_push_ss"),
                                    ("malloc", "kern_malloc_free", "kern_push_realloc")):
        out.append(Case(f"alloc/k8/n64/{impl}", "alloc/k8/n64", "alloc", "k8", impl, "", 64, 2000,
                        ["alloc", "--impl", impl, "-n", "64", "-k", "8", "--rounds", "2000"], alloc_fn))
        out.append(Case(f"push/two/1e5/{impl}", "push/two/1e5", "push", "two", impl, "", 100000, 100000,
                        ["alloc", "--impl", impl, "--push", "100000", "--two"], push_fn))
    return out
