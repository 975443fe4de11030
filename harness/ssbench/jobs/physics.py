"""The physics engine: the timed cases of bench_physics that a build's blocks of the mode name
(both engines), one process per malloc library, each repetition the steps planned for its scene
and size; and the command of a whole `ss-run physics` process."""
import os
import re

from ssbench.jobs.common import applies, gbench_job, libs_of, tag_of
from ssbench.modes import PHYS_SIZES

NBODY_MAX = 4096  # bench_physics registers nbody up to here (O(n²): a second a step beyond)


def name_fields(run_name):
    """Row fields of a bench_physics benchmark: physics/<engine>/<scene>/<impl>/<n>[/iterations:K]
    (also the older physics/<scene>/<impl>/<n> of recorded runs: the loop engine)
    (the engine itself is read from the name by the parsers)."""
    m = re.match(r"physics/(?:(?:loop|array)/)?(\w+)/(\w+)/(\d+)(?:/iterations:\d+)?$", run_name)
    if not m:
        return None
    return {"impl": m.group(2), "workload": "physics", "case": m.group(1), "n": m.group(3)}


def cases(run, ctx, sizes):
    """{malloc library: {(engine, scene, impl, n)}} of every block the build measures."""
    out = {}
    for b in run.mode.get("physics") or []:
        if not applies(run, b, ctx["level"], ctx["variant"]):
            continue
        for lib, impls in libs_of(run, b, b["impls"]).items():
            for scene in b["scenes"]:
                for n in b["sizes"]:
                    if n not in sizes or (scene == "nbody" and n > NBODY_MAX):
                        run.skip(f"physics {scene} n = {n}: not a benchmark of bench_physics "
                                 f"(SS_PHYS_SIZES: {' '.join(map(str, sizes))}; nbody up to {NBODY_MAX})")
                        continue
                    out.setdefault(lib, set()).update((e, scene, i, n) for e in b["engines"] for i in impls)
    return out


def gbench_jobs(run, d, ctx):
    binary = os.path.join(d, "bench_physics")
    info = run.build_info(d)
    by_lib = cases(run, ctx, info["phys_sizes"] if info else PHYS_SIZES)
    if not by_lib:
        return []
    if not run.has(binary):
        run.skip(f"{binary} not built")
        return []
    reps = run.mode.get("gbench_repetitions", 9)
    # a repetition's steps per scene and size: the same for every engine and implementation (and
    # library), so that they all time the same work from the same state
    points = {}
    for cs in by_lib.values():
        for e, scene, impl, n in cs:
            points.setdefault((scene, n), (set(), set()))
            points[(scene, n)][0].add(e)
            points[(scene, n)][1].add(impl)
    steps = {p: run.costs.physics_steps(p[0], p[1], es, im, run.mode.get("physics_rep_s"), run.mode.get("physics_steps"))
             for p, (es, im) in points.items()}
    jobs = []
    for lib, cs in sorted(by_lib.items(), key=lambda kv: kv[0] != "glibc"):
        chosen = sorted(cs, key=lambda c: (c[1], c[3], c[0], c[2]))
        lines = [f"physics/{e}/{s}/{i}/{n} iterations={steps[(s, n)]}" for e, s, i, n in chosen]
        est = sum(run.costs.physics_case_s(e, s, i, n, steps[(s, n)], reps) for e, s, i, n in chosen)
        est += sum(run.costs.physics_prepare_s(s, n) for s, n in {(c[1], c[3]) for c in chosen})
        jobs.append(gbench_job(run, binary, lines, 0.01, ctx, name_fields, lib, f"physics-{tag_of(ctx)}-{lib}", est,
                               len(lines)))
    return jobs


def process_cmd(ssrun, engine, case, impl, n, steps):
    """`ss-run physics` of one case, from the scene's initial state."""
    return [ssrun, "physics", "--impl", impl, "--scene", case, "-n", str(n), "--engine", engine, "--steps", str(steps),
            "--quiet"]
