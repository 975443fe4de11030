"""The tool runners: each runs one tool on a command, keeps its raw output in the run folder
and returns summary rows (a failed run is a `check,failed` row, never a number)."""
import os
import shlex
import subprocess
import tempfile
import time

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

def gbench(run, binary, select, min_time, ctx, name_fields, malloc_lib, tag):
    """The benchmarks of binary that `select` names — a list of --cases lines (benchmark name
    [iterations=K]), written to gbench/<tag>.cases, or a --benchmark_filter regex — with the
    mode's repetitions, interleaved, each at least min_time seconds, into gbench/<tag>.json."""
    out = os.path.join(run.dir, "gbench", f"{tag}.json")
    reps = run.mode.get("gbench_repetitions", 9)
    if isinstance(select, str):
        chosen = [f"--benchmark_filter={select}"]
    else:
        cases = os.path.join(run.dir, "gbench", f"{tag}.cases")
        with open(cases, "w") as f:
            f.write("".join(line + "\n" for line in select))
        chosen = [f"--cases={cases}"]
    cmd = [binary, *chosen, f"--benchmark_min_time={min_time}", f"--benchmark_out={out}",
           "--benchmark_out_format=json", *GBENCH_FLAGS, f"--benchmark_repetitions={reps}"]
    r = run.exec(cmd, tag, env=env_for(malloc_lib))
    if not os.path.exists(out):
        why = (r.stderr.strip().splitlines() or [""])[-1][:300]
        return [row(dict(ctx, malloc_lib=malloc_lib), "check", "failed", "", spread=f"exit {r.returncode}: {why}",
                    tool="gbench")]
    return P.gbench_rows(out, dict(ctx, malloc_lib=malloc_lib), name_fields)


#~ hyperfine, and peak RSS of one run

def probe(cmd, env):
    """Runs cmd once under GNU time; returns (exit status, peak RSS in KiB, minor faults, wall
    seconds). Not wait4 from here: Linux counts the forked copy of this Python process, before
    exec, in the child's ru_maxrss (about 19 MiB); GNU time's own image before exec is small."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M %R", "-o", t.name, *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env=env)
        wall = time.monotonic() - t0
        fields = t.read().split()
    if p.returncode != 0 or len(fields) < 2:
        return p.returncode or 1, 0, 0, wall
    return 0, int(fields[-2]), int(fields[-1]), wall


def hyperfine(run, cmd, ctx, malloc_lib, tag):
    """Whole processes of cmd (start-up, page faults and region growth included), the mode's
    warm-up and runs, into hyperfine/<tag>.json; the case was checked by a probe first."""
    env = env_for(malloc_lib)
    c = dict(ctx, malloc_lib=malloc_lib)
    out = os.path.join(run.dir, "hyperfine", f"{tag}.json")
    hf = run.mode["hyperfine"]
    quoted = " ".join(shlex.quote(a) for a in cmd)
    r = run.exec(["hyperfine", "-N", "--warmup", str(hf["warmup"]), "--runs", str(hf["runs"]),
                  "--export-json", out, quoted], tag, env=env)
    if r.returncode != 0 or not os.path.exists(out):
        return [row(c, "check", "failed", "", spread="hyperfine failed", tool="hyperfine")]
    return P.hyperfine_rows(out, c)


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
