"""Instruction counts: callgrind on the fixed small cases (the ones `make perf-check` counts),
each counted around its kernel only."""
from ssbench import callgrind, tools
from ssbench.run import Job


def jobs(run, ssrun, ctx):
    m, out = run.mode, []
    if not m["callgrind"]:
        return out
    for name, workload, case, impl, n, steps, args, toggle in callgrind.cases():
        if not m.get("rk4" if workload == "rk4" else "physics" if workload == "physics" else "alloc"):
            continue
        if isinstance(m["callgrind"], str) and m["callgrind"] not in name:
            continue
        out.append(job(run, [ssrun, *args], dict(ctx, impl=impl, workload=workload, case=case, n=n, malloc_lib="glibc"),
                       toggle, f"{name.replace('/', '-')}-{ctx['compiler']}", steps))
    return out


def job(run, cmd, ctx, toggle, tag, steps):
    return Job(f"callgrind {tag}", 0.6, lambda: tools.callgrind(run, cmd, ctx, toggle, tag, steps))
