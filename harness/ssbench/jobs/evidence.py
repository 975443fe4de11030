"""The compilers' own account, compiled with the flags of the run's default build: the seed's
fold-to-constant matrix (fold.csv, fold.txt) and the vectorization reports, normalized
assembly and ergonomics counts (vectorization.csv, asm/, asm.csv, ergonomics.csv), at every
level of the run."""
import os

from evidence import fold, runfolder
from evidence.errors import ToolError
from evidence.table import default_path
from ssbench.build import Build, BuildError
from ssbench.run import Job


def fold_job(run):
    def fn():
        try:
            build = Build(run.default_build())
            rows = fold.matrix(build, build.source_dir)
        except (BuildError, ToolError) as e:
            run.log("fold", f"{e}\n")
            run.skip(f"fold: {e.__class__.__name__} (see logs/fold.log)")
            return []
        fold.write(run.dir, rows)
        text, _ = fold.report(rows)
        run.log("fold", text)
        with open(os.path.join(run.dir, "fold.txt"), "w") as f:
            f.write(text)
        return []
    return Job("the seed's experiment: fold-to-constant matrix", 4, fn)


def evidence_job(run):
    def fn():
        lines = []
        try:
            build = Build(run.default_build())
            status = runfolder.write(run.dir, build, build.source_dir, default_path(build.source_dir), run.levels,
                                     skip=["fold"], log=lines.append)
        except (BuildError, ToolError) as e:
            lines.append(str(e))
            status = 1
        run.log("evidence", "\n".join(lines) + "\n")
        if status != 0:
            run.skip(f"evidence: exit {status} (see logs/evidence.log); what it wrote is kept")
        return []
    return Job(f"compiler evidence at {' and '.join(run.levels)}: vectorization, assembly, ergonomics",
               run.costs.evidence_s(run.levels), fn)
