"""Allocation alone: ss_alloc against malloc/free, ss_push against realloc doubling
(bench_alloc), and whole `ss-run alloc` processes."""
import os
import re

from ssbench.jobs.common import gbench_job, hyperfine_job, hyperfine_runs
from ssbench.tools import regex_alt


def name_fields(run_name):
    """Row fields of a bench_alloc benchmark: BM_alloc_bump/n:64/k:8, BM_push_ss/count:1000/two:1."""
    m = re.match(r"BM_alloc_(\w+)/n:(\d+)/k:(\d+)$", run_name)
    if m:
        return {"impl": m.group(1), "workload": "alloc", "case": f"k{m.group(3)}", "n": m.group(2)}
    m = re.match(r"BM_push_(\w+)/count:(\d+)/two:(\d)$", run_name)
    if m:
        impl = "bump" if m.group(1) == "ss" else "malloc"
        return {"impl": impl, "workload": "push", "case": "two" if m.group(3) == "1" else "one", "n": m.group(2)}
    return None


def gbench_jobs(run, d, ctx, variant, libs, per):
    spec = run.mode.get("alloc")
    binary = os.path.join(d, "bench_alloc")
    if not spec:
        return []
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return []
    tag = f"{ctx['compiler']}-{variant}"
    filt = f"/n:{regex_alt(spec['sizes'])}/k:{regex_alt(spec['k'])}$"
    est = len(spec["sizes"]) * len(spec["k"]) * per
    jobs = [gbench_job(run, binary, "BM_alloc_bump" + filt, ctx, name_fields, "glibc", f"alloc-bump-{tag}", est)]
    for lib in libs:
        jobs.append(gbench_job(run, binary, "BM_alloc_malloc" + filt, ctx, name_fields, lib,
                               f"alloc-malloc-{lib}-{tag}", est))
    if variant == "default":
        jobs.append(gbench_job(run, binary, f"BM_push_.*/count:{regex_alt(spec['push'])}/", ctx, name_fields,
                               "glibc", f"push-{tag}", len(spec["push"]) * 4 * per))
    return jobs


def process_jobs(run, ssrun, ctx, libs):
    """`ss-run alloc` as whole processes, 64 floats, 8 blocks a round."""
    if not run.mode.get("alloc"):
        return []
    jobs, runs = [], hyperfine_runs(run)
    for impl in ("bump", "malloc"):
        cmd = [ssrun, "alloc", "--impl", impl, "-n", "64", "-k", "8", "--rounds", "200000"]
        c = dict(ctx, impl=impl, workload="alloc", case="k8", n=64)
        for lib in (libs if impl == "malloc" else ["glibc"]):
            jobs.append(hyperfine_job(run, cmd, c, lib, f"alloc-{impl}-{lib}-{ctx['compiler']}", runs * 0.1 + 0.5))
    return jobs
