"""The plan of a run: every job of its mode, in the order they run, with time estimates from
the calibrated costs (ssbench/estimate.py), and what the plan counts (meta.json's "plan")."""
import os

from ssbench.jobs import alloc, evidence, growth, instructions, physics, process, rk4


def plan(run):
    m = run.mode
    jobs = []
    for compiler, level, variant in run.build_keys():
        d = run.builds[(compiler, level, variant)]
        ctx = {"compiler": compiler, "level": level, "variant": variant}
        jobs += alloc.gbench_jobs(run, d, ctx)
        jobs += rk4.gbench_jobs(run, d, ctx)
        jobs += physics.gbench_jobs(run, d, ctx)
        if variant == "default":
            ssrun = os.path.join(d, "ss-run")
            if run.has(ssrun):
                jobs += instructions.job(run, ssrun, ctx)
            else:
                run.skip(f"{ssrun} not built")
    # whole processes, one point at a time across every build (they share its step count)
    jobs += process.jobs(run)
    binary = os.path.join(run.default_build(), "bench_growth")
    if m.get("growth") and run.has(binary):
        jobs.append(growth.job(run, binary, {"compiler": m["compilers"][0], "level": run.levels[0],
                                             "variant": "default"}))
    elif m.get("growth"):
        run.skip(f"{binary} not built")
    if m.get("fold", True) is not None:
        jobs.append(evidence.fold_job(run))
    if m.get("evidence", True) is not None:
        jobs.append(evidence.evidence_job(run))
    return jobs


def summary(run, jobs):
    """meta.json's "plan": the cases planned (google-benchmark cases, whole processes,
    callgrind counts), the builds, and the estimate in seconds with its parts."""
    kinds = {"gbench": "gbench ", "hyperfine": "hyperfine ", "callgrind": "callgrind "}
    cases = {k: sum(j.cases for j in jobs if j.what.startswith(p)) for k, p in kinds.items()}
    parts = {k: round(sum(j.est for j in jobs if j.what.startswith(p))) for k, p in kinds.items()}
    builds = run.build_keys()
    parts["builds"] = round(sum(run.costs.build_s(v) for _c, _l, v in builds if not run.given_build(_c, _l, v)))
    parts["other"] = round(sum(j.est for j in jobs if not any(j.what.startswith(p) for p in kinds.values())))
    return {"cases": dict(cases, total=sum(cases.values())), "builds": len(builds), "jobs": len(jobs),
            "estimate_s": sum(parts.values()), "estimate_parts_s": parts}
