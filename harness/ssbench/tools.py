"""The tool runners: each runs one tool on a command, keeps its raw output in the run folder
and returns summary rows (a failed run is a `check,failed` row, never a number)."""
import os
import shlex
import subprocess
import tempfile

from ssbench import callgrind as cg
from ssbench import parsers as P
from ssbench.modes import LIBDIR, MALLOC_LIBS
from ssbench.results import row

GBENCH_FLAGS = ["--benchmark_repetitions=9", "--benchmark_enable_random_interleaving=true",
                "--benchmark_report_aggregates_only=false"]


def env_for(malloc_lib):
    """The environment that runs a program with malloc_lib (LD_PRELOAD; glibc: none)."""
    env = dict(os.environ)
    lib = MALLOC_LIBS[malloc_lib]
    if lib:
        env["LD_PRELOAD"] = os.path.join(LIBDIR, lib)
    return env


def regex_alt(xs):
    return "(" + "|".join(str(x) for x in xs) + ")"


#~ google-benchmark

def gbench(run, binary, filt, ctx, name_fields, malloc_lib, tag):
    """The benchmarks of binary matching filt, with the mode's repetitions, into gbench/<tag>.json."""
    out = os.path.join(run.dir, "gbench", f"{tag}.json")
    reps = run.mode.get("gbench_repetitions", 9)
    cmd = [binary, f"--benchmark_filter={filt}", f"--benchmark_min_time={run.mode['gbench_min_time']}",
           f"--benchmark_out={out}", "--benchmark_out_format=json", *GBENCH_FLAGS,
           f"--benchmark_repetitions={reps}"]
    r = run.exec(cmd, tag, env=env_for(malloc_lib))
    if not os.path.exists(out):
        return [row(ctx, "check", "failed", "", spread=f"exit {r.returncode}", tool="gbench")]
    return P.derive_per_step(P.gbench_rows(out, dict(ctx, malloc_lib=malloc_lib), name_fields))


#~ hyperfine, and peak RSS of one run

def peak_rss_kib(cmd, env):
    """Runs cmd once under GNU time; returns (exit status, peak RSS in KiB, minor faults).
    Not wait4 from here: Linux counts the forked copy of this Python process, before exec,
    in the child's ru_maxrss (about 19 MiB); GNU time's own image before exec is small."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run(["/usr/bin/time", "-f", "%M %R", "-o", t.name, *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env=env)
        fields = t.read().split()
    if p.returncode != 0 or len(fields) < 2:
        return p.returncode or 1, 0, 0
    return 0, int(fields[-2]), int(fields[-1])


def hyperfine(run, cmd, ctx, malloc_lib, tag):
    """Whole processes of cmd (start-up, page faults and region growth included) into
    hyperfine/<tag>.json, with the peak RSS and minor faults of one run."""
    env = env_for(malloc_lib)
    c = dict(ctx, malloc_lib=malloc_lib)
    # the check first: a failing workload is recorded and not timed
    code, rss, minflt = peak_rss_kib(cmd, env)
    if code != 0:
        return [row(c, "check", "failed", "", spread=f"exit {code}", tool="process")]
    out = os.path.join(run.dir, "hyperfine", f"{tag}.json")
    hf = run.mode["hyperfine"]
    quoted = " ".join(shlex.quote(a) for a in cmd)
    r = run.exec(["hyperfine", "-N", "--warmup", str(hf["warmup"]), "--runs", str(hf["runs"]),
                  "--export-json", out, quoted], tag, env=env)
    if r.returncode != 0 or not os.path.exists(out):
        return [row(c, "check", "failed", "", spread="hyperfine failed", tool="hyperfine")]
    return ([row(c, "peak_rss", rss, "KiB", 1, tool="process"),
             row(c, "minor_faults", minflt, "count", 1, tool="process")] + P.hyperfine_rows(out, c))


#~ callgrind

def callgrind(run, cmd, ctx, toggle, tag, steps=None):
    """Instructions of cmd inside `toggle` into callgrind/<tag>.out, with the top functions by
    self cost (callgrind_annotate, kept beside it)."""
    out = os.path.join(run.dir, "callgrind", f"{tag}.out")
    argv, env = cg.command(cmd, toggle, out)
    r = run.exec(argv, tag, env=env)
    if r.returncode != 0 or not os.path.exists(out):
        # an aborted run (unrecognised instruction, non-zero exit) is a failure, not a count
        return [row(ctx, "check", "failed", "", spread=f"valgrind exit {r.returncode}", tool="callgrind")]
    total = P.callgrind_total(out)
    ann = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", "--auto=no", out],
                         capture_output=True, text=True)
    with open(out + ".annotate.txt", "w") as f:
        f.write(ann.stdout)
    rows = [row(ctx, "instructions", total, "Ir", 1, tool="callgrind")]
    if steps:
        rows.append(row(ctx, "instructions_per_step", f"{total / steps:.6g}", "Ir", 1, tool="callgrind"))
    for func, ir in sorted(P.parse_callgrind_annotate(ann.stdout).items(), key=lambda kv: -kv[1])[:12]:
        rows.append(row(ctx, f"instructions:{func}", ir, "Ir", 1, tool="callgrind"))
    return rows
