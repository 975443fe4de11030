"""The physics engine: the timed scenes of bench_physics and whole `ss-run physics` processes
at the largest size."""
import os
import re

from ssbench.jobs.common import gbench_job, hyperfine_job, hyperfine_runs
from ssbench.tools import regex_alt


def name_fields(run_name):
    """Row fields of a bench_physics benchmark: physics/<engine>/<scene>/<impl>/<n>[/iterations:K]
    (also the older physics/<scene>/<impl>/<n> of recorded runs: the loop engine)
    (the engine itself is read from the name by the parsers)."""
    m = re.match(r"physics/(?:(?:loop|array)/)?(\w+)/(\w+)/(\d+)(?:/iterations:\d+)?$", run_name)
    if not m:
        return None
    return {"impl": m.group(2), "workload": "physics", "case": m.group(1), "n": m.group(3)}


def gbench_jobs(run, d, ctx, variant, libs):
    spec = run.mode.get("physics")
    binary = os.path.join(d, "bench_physics")
    if not spec or variant != "default":
        return []
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return []
    reps = run.mode.get("gbench_repetitions", 9)
    # each repetition is a fixed number of steps, about 40 ms; the check and warm-up are untimed
    est = len(spec["scenes"]) * len(spec["sizes"]) * 3 * (reps * 0.05 + 0.3)
    filt = f"physics/(loop|array)/{regex_alt(spec['scenes'])}/(bump|malloc|stack)/{regex_alt(spec['sizes'])}/"
    tag = f"physics-{ctx['compiler']}"
    jobs = [gbench_job(run, binary, filt, ctx, name_fields, "glibc", tag, est)]
    for lib in libs:
        if lib != "glibc":
            f2 = f"physics/(loop|array)/{regex_alt(spec['scenes'])}/malloc/{regex_alt(spec['sizes'])}/"
            jobs.append(gbench_job(run, binary, f2, ctx, name_fields, lib, f"{tag}-{lib}", est / 3))
    return jobs


def process_jobs(run, ssrun, ctx, libs):
    """`ss-run physics` as whole processes: the first scene at the largest size, 100 steps."""
    spec, jobs, runs = run.mode.get("physics") or {}, [], hyperfine_runs(run)
    for n in spec.get("sizes", [])[-1:]:
        for impl in ("bump", "malloc", "stack"):
            cmd = [ssrun, "physics", "--impl", impl, "--scene", spec["scenes"][0], "-n", str(n), "--steps", "100",
                   "--quiet"]
            c = dict(ctx, impl=impl, workload="physics", case=spec["scenes"][0], n=n)
            for lib in (libs if impl == "malloc" else ["glibc"]):
                jobs.append(hyperfine_job(run, cmd, c, lib, f"physics-{impl}-{n}-{lib}-{ctx['compiler']}",
                                          runs * 0.5 + 1))
    return jobs
