"""python3 -m ssbench.compare A B — two run folders side by side (`make compare A=... B=...`).

    1. google-benchmark's own compare.py (Debian's libbenchmark-tools) over each pair of JSON
       files of gbench/ the two runs share: time and CPU change per benchmark, and its U test
    2. per case, the Hodges-Lehmann ratio B/A of the per-repetition times with its 95 %
       interval (ssbench.stats; google-benchmark's CPU time per step, hyperfine's wall time)
       and how many intervals cover 1
    3. the callgrind rows (instructions, instructions per step) and the hyperfine rows (wall
       median, peak RSS) of summary.csv: old, new, change

Two runs of one commit make the between-run A/A control: how often B/A covers 1, and how far
it strays, is the noise between runs on this machine (docs/harness.md). A missing run
folder, summary.csv or compare.py is an error naming it (exit 2); a file only one run has is
listed, not an error.
"""
import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

from ssbench import meta, ratios, stats
from ssbench import parsers as P
from ssbench.results import KEY, ParseError, key_of, read_summary

COMPARE_PY = ["/usr/share/benchmark/compare.py", "/usr/share/doc/libbenchmark-dev/tools/compare.py"]


class Bad(Exception):
    """Bad input: the message names it."""


def find_compare_py():
    """google-benchmark's compare.py: $GBENCH_COMPARE if set, else where Debian installs it."""
    places = [os.environ["GBENCH_COMPARE"]] if os.environ.get("GBENCH_COMPARE") else COMPARE_PY
    for p in places:
        if os.path.isfile(p):
            return p
    raise Bad("google-benchmark's compare.py not found (" + ", ".join(places) +
              "): install the Debian package libbenchmark-tools (make compare does)")


def python_with_scipy():
    """An interpreter that can import scipy (compare.py needs it): this one, else Debian's."""
    for py in dict.fromkeys([sys.executable, "/usr/bin/python3"]):
        try:
            if subprocess.run([py, "-c", "import scipy.stats"], capture_output=True).returncode == 0:
                return py
        except OSError:
            continue
    raise Bad("scipy not found for google-benchmark's compare.py: install the Debian package python3-scipy "
              "(make compare does)")


class RunFolder:
    def __init__(self, path, label):
        self.path = os.path.realpath(path)
        if not os.path.isdir(self.path):
            raise Bad(f"{label}={path}: no such run folder (make bench writes one under results/)")
        summary = os.path.join(self.path, "summary.csv")
        if not os.path.isfile(summary):
            raise Bad(f"{label}={path}: no summary.csv: not a run folder of `make bench`")
        try:
            with open(os.path.join(self.path, "meta.json")) as f:
                self.meta = json.load(f)
        except (OSError, ValueError):
            self.meta = {}
        level = meta.level_of(self.meta)
        try:
            self.rows = read_summary(summary, level=level)
        except ParseError as e:
            raise Bad(str(e)) from None
        self.label, self.arg = label, path

    def describe(self):
        g, m = self.meta.get("git", {}), self.meta
        load = [m.get(k, {}) or {} for k in ("load_average_before", "load_average_after")]
        loads = " → ".join(f"{x['1min']:.2f}" for x in load if "1min" in x)
        return (f"{self.label} = {self.arg} (commit {g.get('short', '?')}{'-dirty' if g.get('dirty') else ''}, "
                f"{m.get('date_utc', '?')}, mode {m.get('mode', '?')}" + (f", load {loads}" if loads else "") + ")")

    def gbench_files(self):
        """{name.json: path} of the run's google-benchmark files, plain or compressed."""
        return {P.raw_name(p) + ".json": p for p in P.raw_files(self.path, "gbench")}


@contextlib.contextmanager
def plain(raw):
    """A path to the raw file as plain JSON (compare.py reads no .gz): itself, or a temporary copy."""
    if not raw.endswith(".gz"):
        yield raw
        return
    with tempfile.NamedTemporaryFile("w", suffix=".json") as t, P.open_raw(raw) as f:
        shutil.copyfileobj(f, t)
        t.flush()
        yield t.name


def label(key):
    k = dict(zip(KEY, key))
    what = "/".join(k[c] for c in ("workload", "case", "call", "mode", "engine") if k[c])
    return " ".join(x for x in [what, f"n={k['n']}" if k["n"] else "", k["impl"], k["compiler"], k["level"],
                                k["variant"], k["malloc_lib"]] if x)


def table(head, rows):
    if not rows:
        return ["  (none)"]
    w = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    fmt = "  ".join(f"{{:<{x}}}" if i == 0 else f"{{:>{x}}}" for i, x in enumerate(w))
    return [fmt.format(*head)] + [fmt.format(*[str(x) for x in r]) for r in rows]


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def g(x):
    if x is None:
        return "-"
    return f"{int(x):,}" if x == int(x) and abs(x) >= 1000 else f"{x:.4g}"


def change(old, new):
    return "-" if old in (None, 0) or new is None else f"{(new - old) / old * 100:+.2f}%"


#~ The sections

def gbench_tool(a, b, out):
    fa, fb = a.gbench_files(), b.gbench_files()
    out.append("== google-benchmark's compare.py over each pair of JSON files (old: A, new: B; Time and CPU: "
               "(new - old) / old; the U test over the repetitions)")
    shared = [f for f in fa if f in fb]
    if shared:
        tool, py = find_compare_py(), python_with_scipy()
        for f in shared:
            with plain(fa[f]) as pa, plain(fb[f]) as pb:
                r = subprocess.run([py, tool, "-a", "--no-color", "benchmarks", pa, pb], capture_output=True,
                                   text=True)
            out.append(f"-- gbench/{f}")
            if r.returncode != 0:
                out.append(f"  compare.py failed (exit {r.returncode}): {r.stderr.strip()[-500:]}")
            else:
                out += [ln for ln in r.stdout.rstrip().splitlines() if ln.strip()]
    else:
        out.append("  no google-benchmark file in both runs")
    for f in fa:
        if f not in fb:
            out.append(f"  only in A: gbench/{f}")
    for f in fb:
        if f not in fa:
            out.append(f"  only in B: gbench/{f}")


def hl_section(a, b, out):
    out.append("")
    out.append("== B/A per case: Hodges-Lehmann ratio of the per-repetition times (google-benchmark: CPU time per "
               "step; hyperfine: wall time), 95 % interval")
    notes = []
    sa = {(s.tool, s.key): s for s in ratios.samples(a.path, notes)}
    sb = {(s.tool, s.key): s for s in ratios.samples(b.path, notes)}
    for n in notes:
        out.append(f"  notice: {n}")
    rows, cover, total, expected, widest = [], 0, 0, 0.0, None
    for k in sorted(set(sa) & set(sb), key=lambda k: (k[0], label(k[1]))):
        r = stats.ratio(sb[k].values, sa[k].values)
        unit = sa[k].unit
        interval = f"[{r.low:.4g}, {r.high:.4g}]" if r.low is not None else "(too few repetitions)"
        verdict = "-"
        if r.low is not None:
            total += 1
            cover += r.covers_one
            expected += r.shift.critical.coverage
            verdict = "covers 1" if r.covers_one else ("B slower" if r.low > 1 else "B faster")
            if widest is None or abs(r.value - 1) > abs(widest[1] - 1):
                widest = (label(k[1]), r.value)
        rows.append((f"{k[0]}: {label(k[1])}", f"{g(stats.median(sa[k].values))} {unit}",
                     f"{g(stats.median(sb[k].values))} {unit}", f"{r.value:.4g}", interval, verdict))
    out += table(("case", "A median", "B median", "B/A", "95 % interval", ""), rows)
    only_a = len(set(sa) - set(sb))
    only_b = len(set(sb) - set(sa))
    if only_a or only_b:
        out.append(f"  cases measured in one run only: {only_a} in A, {only_b} in B")
    if total:
        out.append(f"  {cover} of {total} intervals cover 1 (two runs of one commit: about {expected / total:.0%} "
                   f"expected, if the machine's noise were the same in both); the largest change: "
                   f"{widest[1]:.4g}× ({widest[0]})")
    return cover, total


def summary_section(a, b, out, title, pick):
    out.append("")
    out.append(title)
    ra = {key_of(r): r for r in a.rows if pick(r)}
    rb = {key_of(r): r for r in b.rows if pick(r)}
    rows = []
    for k in sorted(set(ra) | set(rb), key=lambda k: (k[-2], label(k[:len(KEY)]))):
        old, new = num(ra[k]["value"]) if k in ra else None, num(rb[k]["value"]) if k in rb else None
        unit = (ra.get(k) or rb.get(k))["unit"]
        rows.append((f"{k[-2]}: {label(k[:len(KEY)])}", f"{g(old)} {unit}", f"{g(new)} {unit}", change(old, new)))
    out += table(("measurement", "A (old)", "B (new)", "change"), rows)


def compare(a, b):
    out = ["compare: " + a.describe(), "         " + b.describe(), ""]
    gbench_tool(a, b, out)
    hl_section(a, b, out)
    summary_section(a, b, out, "== callgrind: instructions (old, new, change)",
                    lambda r: r["tool"] == "callgrind" and r["metric"] in ("instructions", "instructions_per_step")
                    and not r["function"] and r["check"] != "failed")
    summary_section(a, b, out, "== whole processes: hyperfine's wall median and peak RSS (old, new, change)",
                    lambda r: (r["tool"], r["metric"]) in (("hyperfine", "wall_median"), ("process", "peak_rss")))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m ssbench.compare", description=__doc__.split("\n\n")[0])
    ap.add_argument("a", metavar="A", help="the old run folder")
    ap.add_argument("b", metavar="B", help="the new run folder")
    args = ap.parse_args(argv)
    try:
        a, b = RunFolder(args.a, "A"), RunFolder(args.b, "B")
        print("\n".join(compare(a, b)))
    except Bad as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
