"""The jobs every family makes: a google-benchmark run and a whole-process run (hyperfine)."""
from ssbench import tools
from ssbench.run import Job


def gbench_job(run, binary, filt, ctx, name_fields, malloc_lib, tag, est):
    return Job(f"gbench {tag}", est, lambda: tools.gbench(run, binary, filt, ctx, name_fields, malloc_lib, tag))


def hyperfine_job(run, cmd, ctx, malloc_lib, tag, est):
    return Job(f"hyperfine {tag}", est, lambda: tools.hyperfine(run, cmd, ctx, malloc_lib, tag))


def hyperfine_runs(run):
    """Runs of one hyperfine measurement, warm-up included (for the estimates)."""
    return run.mode["hyperfine"]["runs"] + run.mode["hyperfine"]["warmup"]
