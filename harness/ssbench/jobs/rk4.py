"""RK4: the timed cases of bench_rk4 (every implementation, the variants on a subset) and whole
`ss-run rk4` processes at the largest size."""
import os
import re

from ssbench.jobs.common import gbench_job, hyperfine_job, hyperfine_runs
from ssbench.tools import regex_alt

IMPL = {"malloc_once": "malloc-once", "bump_n": "bump-fixedn"}  # bench_rk4's names -> summary's


def name_fields(run_name):
    """Row fields of a bench_rk4 benchmark: rk4/<problem>/<impl>/<call>/<mode>/<n>."""
    m = re.match(r"rk4/(\w+)/(\w+)/(static|fnptr)/(final|full)/(\d+)$", run_name)
    if not m:
        return None
    problem, impl, call, mode, n = m.groups()
    case = problem + ("+fnptr" if call == "fnptr" else "") + ("+traj" if mode == "full" else "")
    return {"impl": IMPL.get(impl, impl), "workload": "rk4", "case": case, "n": n}


def gbench_jobs(run, d, ctx, variant, libs, per):
    binary = os.path.join(d, "bench_rk4")
    spec = run.mode.get("rk4") if variant == "default" else run.mode.get("rk4_variants")
    if not spec:
        return []
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return []
    calls, modes = spec.get("calls", ["static"]), spec.get("modes", ["final"])
    impls = spec["impls"]
    count = len(spec["problems"]) * len(spec["sizes"]) * len(calls) * len(modes)

    def filt(impl_list):
        return (f"rk4/{regex_alt(spec['problems'])}/{regex_alt(impl_list)}/{regex_alt(calls)}/{regex_alt(modes)}/"
                f"{regex_alt(spec['sizes'])}$")
    tag = f"rk4-{ctx['compiler']}-{variant}"
    jobs = [gbench_job(run, binary, filt(impls), ctx, name_fields, "glibc", tag, count * len(impls) * per)]
    mallocs = [i for i in impls if i.startswith("malloc")]
    for lib in libs:
        if lib != "glibc" and mallocs:
            jobs.append(gbench_job(run, binary, filt(mallocs), ctx, name_fields, lib, f"{tag}-{lib}",
                                   count * len(mallocs) * per))
    return jobs


def process_jobs(run, ssrun, ctx, libs):
    """`ss-run rk4` as whole processes: the first problem at the largest size."""
    spec, jobs, runs = run.mode.get("rk4") or {}, [], hyperfine_runs(run)
    for n in spec.get("sizes", [])[-1:]:
        for impl in ("bump", "malloc", "stack"):
            cmd = [ssrun, "rk4", "--impl", impl, "--problem", spec["problems"][0], "-n", str(n), "--final-only"]
            c = dict(ctx, impl=impl, workload="rk4", case=spec["problems"][0], n=n)
            for lib in (libs if impl == "malloc" else ["glibc"]):
                jobs.append(hyperfine_job(run, cmd, c, lib, f"rk4-{impl}-{n}-{lib}-{ctx['compiler']}", runs * 0.3 + 1))
    return jobs
