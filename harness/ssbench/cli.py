"""python3 -m ssbench — runs the benchmark matrix and records it in one self-describing run folder.

    python3 -m ssbench [--mode quick|full|smoke] [--results DIR] [--compilers gcc,clang]
                       [--workloads alloc,rk4,...] [--build-dir DIR] [--dry-run]

`make bench` runs the quick mode; `make bench MODE=full` the paper's matrix. Each mode is a
table (modes.MODES): what it runs is data, and `--dry-run` prints the plan with its time
estimate. The run folder results/<UTC-time>-<git-short>/ gets:

    meta.json        machine, compilers and flags, git commit and dirty flag, mode, tools
    summary.csv      one row per measurement (results.COLUMNS), appended as the run goes
    gbench/          google-benchmark JSON (compare.py works on two of them)
    hyperfine/       hyperfine JSON
    callgrind/       callgrind outputs and callgrind_annotate text
    logs/            each step's output

A workload whose check fails is recorded as failed (metric "check") and not timed. Runs are
never overwritten; results/latest points to the newest.
"""
import argparse
import errno
import os
import signal
import sys

from ssbench import build as B
from ssbench import meta, ratios
from ssbench.modes import COMPILERS, MALLOC_LIBS, VARIANTS, WORKLOADS
from ssbench.plan import plan, summary
from ssbench.progress import Progress, fmt_s
from ssbench.results import ParseError
from ssbench.run import Fatal, Run


def main(argv=None):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `--dry-run | head` ends quietly
    ap = argparse.ArgumentParser(prog="python3 -m ssbench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", default="quick")
    ap.add_argument("--results", default=os.path.join(B.ROOT, "results"))
    ap.add_argument("--compilers", default="")
    ap.add_argument("--workloads", default="", help=f"only these, comma-separated: {', '.join(WORKLOADS)}")
    ap.add_argument("--build-dir", default="", help="use this build (its compiler and level, default variant) "
                    "instead of building it; the smoke mode measures it alone")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    run = None
    try:
        run = Run(args)
        for lib, ok in run.libs_found.items():
            if not ok and lib in run.mode["malloc_libs"]:
                print(f"notice: {lib} not installed ({MALLOC_LIBS[lib]}): skipped")
        run.check_tools()
        builds = run.build_keys()
        if args.dry_run:
            for c, lv, v in builds:
                run.builds[(c, lv, v)] = run.given[2] if run.given_build(c, lv, v) else B.build_dir(c, lv, v)
            jobs = plan(run)
            print_plan(run, jobs)
            return 0
        run.open_folder()
        run.write_meta("running")
        print(f"run folder: {run.dir}")
        to_build = [k for k in builds if not run.given_build(*k)]
        prog = Progress(len(to_build), sum(run.costs.build_s(v) for _c, _l, v in to_build))
        with open(os.path.join(run.dir, "logs", "build.log"), "w") as log:
            for c, lv, v in builds:
                if run.given_build(c, lv, v):
                    run.builds[(c, lv, v)] = run.given[2]
                    continue
                prog.start(f"build {c}/{lv}/{v}")
                run.builds[(c, lv, v)] = B.configure_and_build(c, lv, v, *COMPILERS[c], VARIANTS[v], log)
        prog.done()
        jobs = plan(run)
        planned = summary(run, jobs)
        run.write_meta("running", {"plan": planned})
        total = sum(j.est for j in jobs)
        print(f"{len(jobs)} steps, {planned['cases']['total']} cases, about {fmt_s(total)}")
        prog = Progress(len(jobs), total)
        failed = 0
        for j in jobs:
            prog.start(j.what)
            try:
                rows = j.fn()
            except ParseError as e:
                prog.note(f"  {j.what}: {e}")
                rows = []
            failed += sum(1 for r in rows if r["check"] == "failed")
            run.summary.add(rows)
        prog.done()
        for s in run.skipped:
            print(f"notice: skipped: {s}")
        run.summary.close()
        ratios.add(run.dir)
        run.write_meta("complete", {"plan": planned, "failed_checks": failed, **meta.after(run.dir)})
        print(f"done: {run.dir} ({failed} failed checks)")
        return 1 if failed else 0
    except (Fatal, B.BuildError) as e:
        print(f"bench: {e}", file=sys.stderr)
        if run is not None and run.dir:
            run.write_meta("failed", {"error": str(e)})
            print(f"bench: what was measured stays in {run.dir}", file=sys.stderr)
        return 2
    except OSError as e:
        if e.errno == errno.ENOSPC:
            print(f"bench: disk full ({e.filename or ''}): stopped; partial summary.csv kept", file=sys.stderr)
            return 3
        raise
    except KeyboardInterrupt:
        print("\nbench: interrupted; partial summary.csv kept", file=sys.stderr)
        return 130


def print_plan(run, jobs):
    """The dry run: the plan, its cases and its estimate, per family and per step."""
    p = summary(run, jobs)
    c, parts = p["cases"], p["estimate_parts_s"]
    print(f"mode {run.mode_name}: {p['builds']} builds, {c['total']} cases ({c['gbench']} google-benchmark, "
          f"{c['hyperfine']} whole-process, {c['callgrind']} callgrind), {len(jobs)} steps, "
          f"about {fmt_s(p['estimate_s'])}")
    print("  estimate: " + ", ".join(f"{k} {fmt_s(v)}" for k, v in parts.items()))
    cal = run.costs.about()
    print(f"  costs: {cal.get('file') or cal.get('note')}" +
          (f" (measured {cal.get('date_utc', '?')} at {cal.get('git', {}).get('short', '?')}, "
           f"load {cal.get('load_average', {}).get('1min', '?')})" if cal.get("file") else ""))
    for j in jobs:
        print(f"  {j.what} (~{fmt_s(j.est)})")
    for s in run.skipped:
        print(f"  skipped: {s}")
