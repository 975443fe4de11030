"""Whole processes: `ss-run` under hyperfine (start-up, page faults and region growth
included) and once under GNU time (peak RSS, minor faults), at the mode's points, on the
default build of every compiler and level, the malloc implementations also under the other
malloc libraries at the first level.

A point runs one number of steps for all its cases — every implementation, engine, compiler,
level and library — so that their times compare: planned from the measured per-step costs so
that the fastest case lasts at least the mode's min_seconds, then checked. Each case is run once
first (the check: a failing case is recorded and not timed; its wall time); if the fastest
falls short, the steps are raised from what the runs measured (at most twice), and a case still
shorter than min_seconds is dropped with a notice, never timed too short to mean something.
"""
import math
import os

from ssbench import tools
from ssbench.jobs import alloc, physics, rk4
from ssbench.jobs.common import tag_of
from ssbench.modes import MALLOC_IMPLS
from ssbench.results import failed, row
from ssbench.run import Job

MAX_STEPS = {"rk4": 4294967294, "physics": 100000000, "alloc": 2147483648}
ATTEMPTS = 3


class Case:
    """One whole-process case of a point: its context, library and command for a step count."""

    def __init__(self, workload, ctx, impl, engine, lib, ssrun, point):
        self.workload, self.impl, self.engine, self.lib, self.ssrun = workload, impl, engine, lib, ssrun
        self.case, self.n = point
        # the summary's name of the implementation (bench_rk4's malloc_once is malloc-once there)
        self.ctx = dict(ctx, impl=rk4.IMPL.get(impl, impl) if workload == "rk4" else impl, workload=workload, case=self.case, n=self.n, engine=engine,
                        **(rk4.PROCESS_CTX if workload == "rk4" else {}))
        self.tag = "-".join(x for x in (workload, self.case, str(self.n), impl, engine, tag_of(ctx), lib) if x)

    @property
    def what(self):
        """The costs' name of the case: problem/impl (rk4), engine/scene/impl (physics), impl (alloc)."""
        return {"rk4": f"{self.case}/{self.impl}", "physics": f"{self.engine}/{self.case}/{self.impl}",
                "alloc": f"{self.case}/{self.impl}"}[self.workload]

    def cmd(self, steps):
        if self.workload == "rk4":
            return rk4.process_cmd(self.ssrun, self.case, self.impl, self.n, steps)
        if self.workload == "physics":
            return physics.process_cmd(self.ssrun, self.engine, self.case, self.impl, self.n, steps)
        return alloc.process_cmd(self.ssrun, self.case, self.impl, self.n, steps)


def points(run):
    """[(workload, (case, n), [(impl, engine)])] of the mode, for the workloads it runs."""
    spec, out = run.mode.get("process") or {}, []
    if run.mode.get("alloc") and spec.get("alloc"):
        out.append(("alloc", ("k8", 64), [("bump", ""), ("malloc", "")]))
    if run.mode.get("rk4") and spec.get("rk4"):
        for case, n in spec["rk4"]["points"]:
            out.append(("rk4", (case, n), [(i, "") for i in spec["rk4"]["impls"]]))
    if run.mode.get("physics") and spec.get("physics"):
        for case, n in spec["physics"]["points"]:
            out.append(("physics", (case, n), [(i, e) for e in spec["physics"]["engines"]
                                                for i in spec["physics"]["impls"]]))
    return out


def jobs(run):
    out = []
    min_s = run.mode["process"]["min_seconds"]
    runs = run.mode["hyperfine"]["runs"] + run.mode["hyperfine"]["warmup"]
    for workload, point, whats in points(run):
        cases = []
        for compiler, level, variant in run.build_keys():
            if variant != "default":
                continue
            ssrun = os.path.join(run.builds[(compiler, level, variant)], "ss-run")
            if not run.has(ssrun):
                run.skip(f"{ssrun} not built")
                continue
            ctx = {"compiler": compiler, "level": level, "variant": variant}
            libs = [lib for lib in run.mode["malloc_libs"] if run.libs_found.get(lib)] \
                if level == run.levels[0] else ["glibc"]
            for impl, engine in whats:
                mallocs = impl in MALLOC_IMPLS
                for lib in (libs if mallocs else ["glibc"]):
                    cases.append(Case(workload, ctx, impl, engine, lib, ssrun, point))
        if not cases:
            continue
        c = run.costs
        steps = c.process_steps(workload, point[0], point[1], sorted({k.what for k in cases}), min_s)
        est = sum(c.process_case_s(workload, k.what, point[0], point[1], steps, runs) for k in cases)
        out.append(Job(f"hyperfine {workload}/{point[0]}/n{point[1]} ({len(cases)} cases, about {steps} steps)",
                       est, measure_fn(run, workload, point, cases, steps, min_s), len(cases)))
    return out


def measure_fn(run, workload, point, cases, steps, min_s):
    def fn():
        s, tried, probes = steps, [], {}
        startup = run.costs.process_startup_s(workload, *point)
        for attempt in range(ATTEMPTS):
            probes = {k: tools.probe(k.cmd(s), tools.env_for(k.lib)) for k in cases}
            ok = [probes[k][3] for k in cases if probes[k][0] == 0]
            if not ok:
                break
            tried.append((s, min(ok)))
            if tried[-1][1] >= min_s or attempt == ATTEMPTS - 1:
                break
            s = more_steps(tried, startup, min_s, MAX_STEPS[workload])
        rows = []
        for k in cases:
            code, rss, minflt, wall = probes[k]
            if code != 0:
                rows.append(failed(dict(k.ctx, malloc_lib=k.lib), f"exit {code}", "process"))
                continue
            if wall < min_s:
                run.skip(f"hyperfine {k.tag}: {wall * 1e3:.0f} ms at {s} steps, under {min_s * 1e3:.0f} ms: dropped")
                continue
            c = dict(k.ctx, malloc_lib=k.lib)
            rows += [row(c, "steps", s, "count", 1, tool="process"),
                     row(c, "peak_rss", rss, "KiB", 1, tool="process"),
                     row(c, "minor_faults", minflt, "count", 1, tool="process")]
            rows += tools.hyperfine(run, k.cmd(s), k.ctx, k.lib, k.tag)
        return rows
    return fn


def more_steps(tried, startup, min_s, limit):
    """The next step count, from the (steps, fastest wall) pairs measured so far: the per-step
    cost from the last two (from the last and the start-up calibrated, after one), aiming 20 %
    above min_s."""
    (s1, w1) = tried[-1]
    if len(tried) > 1 and tried[-1][0] != tried[-2][0]:
        s0, w0 = tried[-2]
        per = (w1 - w0) / (s1 - s0)
        start = w1 - per * s1
    else:
        start = min(startup, 0.5 * w1)
        per = (w1 - start) / s1
    if per <= 0:
        return min(limit, s1 * 2)
    return min(limit, max(s1 + 1, math.ceil((1.2 * min_s - max(start, 0)) / per)))
