"""The plan of a run: every job of its mode, in the order they run, with time estimates."""
import os

from ssbench.jobs import alloc, evidence, growth, instructions, physics, rk4

BUILD_EST = 20  # seconds to configure and build one variant, about (2 cores)


def plan(run):
    m = run.mode
    jobs = []
    # seconds a google-benchmark case takes, about (measured: quick mode's 30 RK4 cases, 16 s)
    per = m.get("gbench_repetitions", 9) * m["gbench_min_time"] * 1.1 + 0.05
    for compiler in m["compilers"]:
        for variant in m["variants"][compiler]:
            d = run.builds[(compiler, variant)]
            ctx = {"compiler": compiler, "variant": variant}
            # the malloc libraries are an axis of the default build only
            libs = [lib for lib in m["malloc_libs"] if run.libs_found[lib]] if variant == "default" else ["glibc"]
            jobs += alloc.gbench_jobs(run, d, ctx, variant, libs, per)
            jobs += rk4.gbench_jobs(run, d, ctx, variant, libs, per)
            jobs += physics.gbench_jobs(run, d, ctx, variant, libs)
            ssrun = os.path.join(d, "ss-run")
            if variant == "default":
                if run.has(ssrun):
                    # whole processes: hyperfine (start-up, page faults, region growth included)
                    # and peak RSS; callgrind instruction counts of the fixed small cases
                    jobs += alloc.process_jobs(run, ssrun, ctx, libs)
                    jobs += rk4.process_jobs(run, ssrun, ctx, libs)
                    jobs += physics.process_jobs(run, ssrun, ctx, libs)
                    jobs += instructions.jobs(run, ssrun, ctx)
                else:
                    run.skip(f"{ssrun} not built")
    binary = os.path.join(run.default_build(), "bench_growth")
    if m.get("growth") and run.has(binary):
        jobs.append(growth.job(run, binary, {"compiler": m["compilers"][0], "variant": "default"}))
    elif m.get("growth"):
        run.skip(f"{binary} not built")
    if m.get("fold", True) is not None:
        jobs.append(evidence.fold_job(run))
    if m.get("evidence", True) is not None:
        jobs.append(evidence.evidence_job(run))
    return jobs
