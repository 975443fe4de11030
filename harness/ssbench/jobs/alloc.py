"""Allocation alone: ss_alloc against malloc/free, ss_push against realloc doubling
(bench_alloc) on every build, the malloc libraries on the default build of the first level;
and the command of a whole `ss-run alloc` process."""
import os
import re

from ssbench.jobs.common import gbench_job, tag_of
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


def gbench_jobs(run, d, ctx):
    spec = run.mode.get("alloc")
    binary = os.path.join(d, "bench_alloc")
    if not spec:
        return []
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return []
    default = ctx["variant"] == "default"
    libs = [lib for lib in run.mode["malloc_libs"] if run.libs_found.get(lib)] \
        if default and ctx["level"] == run.levels[0] else ["glibc"]
    t, reps, tag = spec["min_time"], run.mode.get("gbench_repetitions", 9), tag_of(ctx)
    per = run.costs.gbench_case_s(reps, t)
    filt = f"/n:{regex_alt(spec['sizes'])}/k:{regex_alt(spec['k'])}$"
    count = len(spec["sizes"]) * len(spec["k"])
    jobs = [gbench_job(run, binary, "BM_alloc_bump" + filt, t, ctx, name_fields, "glibc", f"alloc-bump-{tag}",
                       count * per, count)]
    for lib in libs:
        jobs.append(gbench_job(run, binary, "BM_alloc_malloc" + filt, t, ctx, name_fields, lib,
                               f"alloc-malloc-{tag}-{lib}", count * per, count))
    if default:
        count = len(spec["push"]) * 4
        jobs.append(gbench_job(run, binary, f"BM_push_.*/count:{regex_alt(spec['push'])}/", t, ctx, name_fields,
                               "glibc", f"push-{tag}", count * per, count))
    return jobs


def process_cmd(ssrun, case, impl, n, steps):
    """`ss-run alloc`: `steps` rounds of k blocks of n floats (case k<k>)."""
    return [ssrun, "alloc", "--impl", impl, "-n", str(n), "-k", case[1:], "--rounds", str(steps)]
