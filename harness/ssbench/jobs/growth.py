"""The cost of expanding memory: bench_growth (reserve-all, fault-driven, realloc; THP off and
on) into growth/<k>/, once per argument set of the mode."""
import os

from ssbench.parsers import growth_rows
from ssbench.results import row
from ssbench.run import Job


def job(run, binary, ctx):
    def fn():
        rows = []
        for k, args in enumerate(run.mode["growth"]):
            out = os.path.join(run.dir, "growth", str(k))
            os.makedirs(out, exist_ok=True)
            r = run.exec([binary, *args, "--out", out], f"growth-{k}")
            fill, steps = os.path.join(out, "growth_fill.csv"), os.path.join(out, "growth_steps.csv")
            if r.returncode != 0 or not os.path.exists(fill):
                rows.append(row(dict(ctx, workload="growth"), "check", "failed", "",
                                spread=f"{' '.join(args)}: exit {r.returncode}", tool="bench_growth"))
            else:
                rows += growth_rows(fill, steps, ctx)
        return rows
    # about 0.1 s per 64 MiB filled, per strategy (five), THP setting (two) and run (with its warm-up)
    est = 0
    for args in run.mode["growth"]:
        mib = int(args[args.index("--bytes") + 1]) >> 20 if "--bytes" in args else 64
        reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 1
        est += 2 * 5 * 2 * reps * mib / 64 * 0.1 + 3
    return Job("bench_growth (reserve-all, fault-driven, realloc; THP off/on)", est, fn)
