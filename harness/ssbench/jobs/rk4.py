"""RK4: the timed cases of bench_rk4 (every implementation, aa_control) and bench_rk4_layout
(aa_layout) that a build's blocks of the mode name, one process per malloc library and
repetition length; and the command of a whole `ss-run rk4` process."""
import os
import re

from ssbench.jobs.common import applies, gbench_job, libs_of, tag_of
from ssbench.modes import RK4_SIZES

IMPL = {"malloc_once": "malloc-once", "bump_n": "bump-fixedn"}  # bench_rk4's names -> summary's
LAYOUT = "aa_layout"  # timed by bench_rk4_layout


def name_fields(run_name):
    """Row fields of a bench_rk4 benchmark: rk4/<problem>/<impl>/<call>/<mode>/<n>."""
    m = re.match(r"rk4/(\w+)/(\w+)/(static|fnptr)/(final|full)/(\d+)$", run_name)
    if not m:
        return None
    problem, impl, call, mode, n = m.groups()
    return {"impl": IMPL.get(impl, impl), "workload": "rk4", "case": problem, "n": n}


def bench_name(problem, impl, call, mode, n):
    return f"rk4/{problem}/{impl}/{call}/{mode}/{n}"


def cases(run, ctx, sizes):
    """{malloc library: {(problem, impl, call, mode, n)}} of every block the build measures, at
    the sizes it was built for (the others are named in the run's notices)."""
    out = {}
    for b in run.mode.get("rk4") or []:
        if not applies(run, b, ctx["level"], ctx["variant"]):
            continue
        for lib, impls in libs_of(run, b, b["impls"]).items():
            for n in b["sizes"]:
                if n not in sizes:
                    run.skip(f"rk4 n = {n}: not built (SS_RK4_SIZES: {' '.join(map(str, sizes))})")
                    continue
                out.setdefault(lib, set()).update((p, i, c, m, n) for p in b["problems"] for i in impls
                                                  for c in b["calls"] for m in b["modes"])
    return out


def gbench_jobs(run, d, ctx):
    info = run.build_info(d)
    sizes = info["rk4_sizes"] if info else RK4_SIZES
    reps = run.mode.get("gbench_repetitions", 9)
    jobs = []
    for lib, cs in sorted(cases(run, ctx, sizes).items(), key=lambda kv: kv[0] != "glibc"):
        tiers = {}
        for c in cs:
            tiers.setdefault(run.costs.rk4_min_time(c[0], c[4], run.mode["min_time"]), []).append(c)
        for t, group in sorted(tiers.items()):
            for program, chosen in (("bench_rk4", [c for c in group if c[1] != LAYOUT]),
                                    ("bench_rk4_layout", [c for c in group if c[1] == LAYOUT])):
                binary = os.path.join(d, program)
                if not chosen:
                    continue
                if not run.has(binary):
                    run.skip(f"{binary} not built")
                    continue
                names = [bench_name(*c) for c in sorted(chosen, key=lambda c: (c[4], c[0], c[1], c[2], c[3]))]
                tag = (f"rk4{'-layout' if program.endswith('layout') else ''}-{tag_of(ctx)}-{lib}"
                       f"-{round(t * 1000)}ms")
                jobs.append(gbench_job(run, binary, names, t, ctx, name_fields, lib, tag,
                                       len(names) * run.costs.gbench_case_s(reps, t), len(names)))
    return jobs


def process_cmd(ssrun, case, impl, n, steps):
    """`ss-run rk4` of one case: dydt known at compile time, the final state kept."""
    return [ssrun, "rk4", "--impl", impl, "--problem", case, "-n", str(n), "--final-only", "--steps", str(steps)]


PROCESS_CTX = {"call": "static", "mode": "final"}
