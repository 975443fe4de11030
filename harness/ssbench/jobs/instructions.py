"""Instruction counts: callgrind on the fixed small cases (the ones `make perf-check` counts),
each counted around its kernel only, on the default build of every compiler and level — the
binaries timed. Counts do not depend on the load, so a build's cases run side by side, as
many at a time as there are cores."""
import os
from concurrent.futures import ThreadPoolExecutor

from ssbench import callgrind, tools
from ssbench.jobs.common import tag_of
from ssbench.run import Job

FAMILY = {"rk4": "rk4", "physics": "physics", "alloc": "alloc", "push": "alloc"}


def chosen(run):
    """The fixed cases the mode counts: those of the workloads it runs (all, or the ones whose
    name contains one of its strings)."""
    m = run.mode["callgrind"]
    out = [c for c in callgrind.cases() if run.mode.get(FAMILY[c.workload])]
    if isinstance(m, list):
        out = [c for c in out if any(s in c.name for s in m)]
    return out


def job(run, ssrun, ctx):
    cases = chosen(run) if run.mode["callgrind"] else []
    if not cases:
        return []
    workers = os.cpu_count() or 2

    def one(c):
        cctx = dict(ctx, impl=c.impl, workload=c.workload, case=c.case, n=c.n, engine=c.engine, malloc_lib="glibc")
        if c.workload == "rk4":
            cctx.update(call="static", mode="final")
        tag = f"{c.name.replace('/', '-')}-{tag_of(ctx)}"
        return tools.callgrind(run, [ssrun, *c.args], cctx, c.toggle, tag, c.steps)

    def fn():
        with ThreadPoolExecutor(max_workers=workers) as ex:
            return [r for rows in ex.map(one, cases) for r in rows]
    est = sum(run.costs.callgrind_s(c.name) for c in cases) / workers
    return [Job(f"callgrind {tag_of(ctx)} ({len(cases)} cases, {workers} at a time)", est, fn, len(cases))]
