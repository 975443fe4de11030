#!/usr/bin/env python3
"""figures.py — the figures and the report of one run folder.

    python3 -m figures [RUN_DIR] [--out DIR]   (plots/ and harness/ on PYTHONPATH, as `make figures
                                               RUN=...` sets them; default RUN_DIR: results/latest;
                                               --out: RUN_DIR)

Reads RUN_DIR/summary.csv and meta.json (required), fold.csv, vectorization.csv and asm.csv
(each optional: without it, its figure or table is skipped with a notice). Writes into DIR:

    figures/<name>.png, figures/<name>.svg    the figures (gnuplot, plots/<name>.gp)
    figures/data/<name>*.dat, *.params.gp     the tidy series each figure draws, and its parameters
    report.md, report.html                    the conclusions (computed from the data, the claim
                                              rule applied), the question, the machine, the matrix,
                                              each figure with what it shows, the controls, the
                                              tables, the failed checks, the commands

Uncertainty is drawn as the data has it: medians with the 95 % interval of the median, ratios
(the summary's ratio rows, ssbench.ratios) with their Hodges-Lehmann interval; a claim
("faster", "slower") is made only where ssbench.claims allows it. A run folder of the first
summary schema (no intervals, no ratio rows) is read too: its ratios are the medians'
quotients, without intervals, and it supports no claim.

A series without data is left out of its figure and named in the report; a figure without
any data is not drawn, and the report says why — never an empty panel. A missing column
is an error naming the file and the column (exit 2).
"""
import csv
import html
import json
import math
import os
import shutil
import statistics
import subprocess
import sys

from ssbench import claims as C
from ssbench import meta as M
from ssbench import results as R
from ssbench.results import KEY

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

#~ The contract: every file, column and metric name this script reads, in one place.

FILES = {  # key -> (file name, required?, {our name: column name in the file})
    "summary": ("summary.csv", True, {
        "impl": "impl", "workload": "workload", "case": "case", "call": "call", "mode": "mode", "engine": "engine",
        "n": "n", "compiler": "compiler", "level": "level", "variant": "variant", "malloc_lib": "malloc_lib",
        "metric": "metric", "function": "function", "value": "value", "unit": "unit", "spread": "spread",
        "ci_low": "ci_low", "ci_high": "ci_high", "check": "check", "tool": "tool", "note": "note",
        "repetitions": "repetitions"}),
    "fold": ("fold.csv", False, {
        "compiler": "compiler", "form": "form", "helpers": "helpers", "level": "level", "folds": "folds",
        "instructions": "instructions", "calls": "calls"}),
    "vec": ("vectorization.csv", False, {
        "function": "function", "impl": "impl", "compiler": "compiler", "vectorized": "loops_vectorized",
        "missed": "loops_missed", "width": "width", "reason": "reason", "opt": "opt", "workload": "workload",
        "compiled": "compiled"}),
    "asm": ("asm.csv", False, {
        "function": "function", "impl": "impl", "compiler": "compiler", "instructions": "instructions",
        "calls": "calls", "call_targets": "call_targets", "xmm": "xmm", "ymm": "ymm", "zmm": "zmm",
        "frame_bytes": "frame_bytes", "alloc_calls": "alloc_calls", "free_calls": "free_calls", "opt": "opt",
        "workload": "workload", "compiled": "compiled"}),
}
# The compiler evidence is counted in context: the step as bench_rk4 and bench_physics time it,
# compiled with what it calls inlined (vectorization.csv's and asm.csv's compiled=context rows).
CONTEXT = "context"
TIMED_STEP = {"rk4": "rk4_run", "physics": "phys_step", "physics_array": "phys_step"}
EVIDENCE_WORKLOAD = {"rk4": ("rk4", ""), "physics": ("physics", "loop"), "physics_array": ("physics", "array")}
EVIDENCE_IMPL = {"bump_n": "bump-fixedn", "malloc_once": "malloc-once"}  # evidence table's names -> summary's
METRIC = {  # our name -> summary.csv metric
    "step_ns": "ns_per_step", "instr_step": "instructions_per_step", "instr": "instructions",
    "fill_s": "fill_seconds", "growth_step_ns": "ns_per_growth_step", "faults": "minor_faults",
    "peak_rss": "peak_rss", "committed": "committed_as", "alloc_round_ns": "time_median",
    "alloc_rate": "items_per_second", "wall": "wall_median", "ratio": "ratio",
}
WORKLOAD = {"rk4": "rk4", "physics": "physics", "growth": "growth", "alloc": "alloc"}
CHECK_FAILED = "failed"
DEFAULT_VARIANT, DEFAULT_LIB, REFERENCE = "default", "glibc", "bump"
HEADLINE_CALL, HEADLINE_MODE = "static", "final"  # the RK4 headline: dydt known, final state only
TOOL_GBENCH, TOOL_HYPERFINE, TOOL_PROCESS = "gbench", "hyperfine", "process"

# Display order and style (colour, dash type, point type) of every series.
COMPILERS = ["gcc", "clang"]
LEVELS = ["-O2", "-O3"]
PROBLEMS = ["decay", "oscillators", "lorenz96", "heat1d"]
SCENES = ["rain", "billiards", "cloth", "nbody"]
ENGINES = ["loop", "array"]
MALLOC_LIBS = ["glibc", "mimalloc", "jemalloc", "tcmalloc"]
VARIANTS = ["default", "noinline", "nobuiltin", "lto"]
IMPL_STYLE = {
    "bump": ("#1f5fbf", 1, 7), "malloc": ("#d62728", 1, 5), "stack": ("#2ca02c", 1, 9),
    "malloc-once": ("#e377c2", 2, 4), "bump-fixedn": ("#17a0b8", 2, 6),
    "bump_tuned": ("#0b2e6b", 1, 11), "malloc_tuned": ("#8c1010", 2, 13), "bump_checked": ("#7f7f7f", 4, 8),
    "aa_control": ("#bcbd22", 3, 1), "aa_layout": ("#ff7f0e", 3, 2),
}
CONTROLS = [C.CONTROL, C.LAYOUT]
LIB_STYLE = {"glibc": ("#d62728", 1, 5), "mimalloc": ("#9467bd", 1, 11), "jemalloc": ("#ff7f0e", 1, 13),
             "tcmalloc": ("#8c564b", 1, 15)}
GROWTH_IMPLS = [("reserve", "reserve-all", "#1f5fbf", 7), ("grow", "fault-driven growth", "#2ca02c", 9),
                ("realloc", "realloc doubling", "#d62728", 5)]
THP_CASES = [("thp-off", "THP off", 1), ("thp-on", "THP on", 2)]
GUIDE_STYLE = {"target": ("#999999", 3, -1), "layout": ("#ff7f0e", 3, -1)}

# The design's targets, drawn and counted only where they apply (README, "What the paper run shows").
TARGET_MALLOC, TARGET_MALLOC_N = 5.0, 16  # bump at least 5x faster than malloc (glibc) at n <= 16
TARGET_TUNED, TARGET_TUNED_N = 1.15, 16  # bump_tuned within 1.15x of stack at n >= 16
SHORT_PROCESS_S = 0.1  # a whole process shorter than this is mostly start-up

MAX_XTICS = 7  # labelled x tics per panel


class FigureError(Exception):
    pass


#~ Reading

def read_table(run, key, level=""):
    """The rows of one file of the run, keyed by our names; None if an optional file is absent.
    A summary.csv of the first schema is read through the harness's upgrade (`level`: the
    run's optimisation level, which that schema did not record)."""
    name, required, cols = FILES[key]
    path = os.path.join(run, name)
    if not os.path.exists(path):
        if required:
            raise FigureError(f"{path}: no such file (is {run} a run folder of `make bench`?)")
        return None
    with open(path, newline="") as f:
        rd = csv.DictReader(f)
        have = rd.fieldnames or []
        old = key == "summary" and R.first_schema(have)
        # the level, workload and context columns came with the evidence tools' context rows
        optional = {"opt", "workload", "compiled", "alloc_calls", "free_calls"} if key in ("vec", "asm") else set()
        missing = [c for c in cols.values() if c not in have and c not in optional] if not old else []
        if missing:
            raise FigureError(f"{path}: missing column{'s' if len(missing) > 1 else ''} "
                              f"{', '.join(repr(c) for c in missing)} (columns present: {', '.join(have)})")
        rows = R.read_summary(path, level=level) if old else list(rd)
        return [{ours: (r.get(theirs) or "").strip() for ours, theirs in cols.items()} for r in rows]


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def truthy(s):
    return str(s).strip().lower() in ("1", "true", "yes", "y")


class Summary:
    def __init__(self, rows, level=""):
        """rows of summary.csv; `level`: the run's optimisation level (from its flags), for rows
        that do not name one (a run whose jobs did not record it)."""
        self.rows = rows
        for r in rows:
            r["level"] = r["level"] or level
            r["v"], r["nn"], r["lo"], r["hi"] = num(r["value"]), num(r["n"]), num(r["ci_low"]), num(r["ci_high"])
            # a row that does not say is the default build with the C library's malloc
            r["variant"] = r["variant"] or DEFAULT_VARIANT
            r["malloc_lib"] = r["malloc_lib"] or DEFAULT_LIB
            r["headline"] = r["call"] in ("", HEADLINE_CALL) and r["mode"] in ("", HEADLINE_MODE)
        self.derived = not any(r["metric"] == METRIC["ratio"] for r in rows)
        if self.derived:
            self.rows += derived_ratios(self)
        self.floor = C.Floor(self.rows)
        self.levels = ordered({r["level"] for r in self.rows if r["level"] and "/" not in r["level"]}, LEVELS)

    def pick(self, metric, **eq):
        """Rows of a metric whose fields equal eq (a callable value is a predicate); the last
        row wins when a key repeats (a resumed run appends)."""
        out = {}
        for r in self.rows:
            if r["metric"] != metric or r["v"] is None or r["nn"] is None:
                continue
            if all((v(r[k]) if callable(v) else r[k] == v) for k, v in eq.items()):
                out[tuple(r[c] for c in KEY) + (r["function"], r["tool"])] = r
        return list(out.values())

    def ratios(self, **eq):
        return self.pick(METRIC["ratio"], **eq)

    def failed(self):
        return [r for r in self.rows if r["check"] == CHECK_FAILED]

    def group_title(self, cc, level):
        return f"{cc} {level}" if len(self.levels) > 1 and level else cc


def derived_ratios(S):
    """For a run without ratio rows (the first schema): each implementation's median time per
    step over bump's, per point — estimates without intervals, so no claim."""
    out = []
    t = {}
    for r in S.rows:
        if r["metric"] == METRIC["step_ns"] and r["v"] and r["check"] != CHECK_FAILED:
            t[tuple(r[c] for c in KEY)] = r
    i_impl, i_lib = KEY.index("impl"), KEY.index("malloc_lib")
    for k, r in t.items():
        if k[i_impl] == REFERENCE:
            continue
        b = list(k)
        b[i_impl] = REFERENCE
        if tuple(b) not in t:
            b[i_lib] = DEFAULT_LIB
        if tuple(b) in t:
            q = dict(r, impl=f"{k[i_impl]}/{REFERENCE}", metric=METRIC["ratio"], unit="ratio", ci_low="", ci_high="",
                     spread="", tool=TOOL_GBENCH, function="")
            q["v"], q["lo"], q["hi"] = r["v"] / t[tuple(b)]["v"], None, None
            q["value"] = f"{q['v']:.6g}"
            out.append(q)
    return out


def rank(v, order):
    return order.index(v) if v in order else len(order)


def ordered(values, order):
    return sorted(set(values), key=lambda v: (order.index(v) if v in order else len(order), v))


def groups_of(rows):
    """The (compiler, level) groups of rows, in display order."""
    return sorted({(r["compiler"], r["level"]) for r in rows}, key=lambda g: (rank(g[0], COMPILERS), rank(g[1], LEVELS), g))


#~ Figures: data, then gnuplot

class Series:
    def __init__(self, key, title, style, points):
        # points: [(x, y, low, high)]: the bar from low to high (both y where there is none)
        self.key, self.title, self.style, self.points = key, title, style, points


class Panel:
    def __init__(self, title, series=None, rows=None, cells=None):
        self.title, self.series = title, series or []
        self.rows = rows  # bar data: [(label, [value per series])]
        self.cells = cells  # table data: [(x, y, flag, label)]


class Figure:
    def __init__(self, name, title, script, panels, cols, legend, text, notes=(), size=None, params=None,
                 xtic=lambda x: f"{x:g}"):
        self.name, self.title, self.script, self.panels, self.cols = name, title, script, panels, cols
        self.xtic = xtic  # the label of an x tic at a measured x value
        self.legend = legend  # [(title, (colour, dash, point))] in order
        self.text, self.notes = text, list(notes)
        self.size, self.params = size, params or {}


class Skipped:
    def __init__(self, name, title, why):
        self.name, self.title, self.why = name, title, why


def point(x, r):
    """(x, value, low, high) of a row: its interval where it has one."""
    lo = r["lo"] if r.get("lo") is not None else r["v"]
    hi = r["hi"] if r.get("hi") is not None else r["v"]
    return (x, r["v"], lo, hi)


def gp_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_series_file(path, series):
    with open(path, "w") as f:
        for i, s in enumerate(series):
            if i:
                f.write("\n\n")
            f.write(f"# {s.title}\n# x y low high\n")
            for x, y, lo, hi in s.points:
                f.write(f"{x:.10g} {y:.10g} {lo:.10g} {hi:.10g}\n")


def write_bar_file(path, rows):
    with open(path, "w") as f:
        for label, vals in rows:
            f.write(gp_str(label) + " " + " ".join("NaN" if v is None else f"{v:.10g}" for v in vals) + "\n")


def write_cell_file(path, cells):
    with open(path, "w") as f:
        f.write("# x y flag label\n")
        for x, y, flag, label in cells:
            f.write(f"{x} {y} {1 if flag else 0} {gp_str(label)}\n")


def render(fig, outdir, caption, gnuplot):
    data = os.path.join(outdir, "data")
    os.makedirs(data, exist_ok=True)
    legend_index = {t: i + 1 for i, (t, _) in enumerate(fig.legend)}
    pfiles, pser = [], []
    for k, p in enumerate(fig.panels):
        path = os.path.join(data, f"{fig.name}_{k + 1}.dat")
        if p.cells is not None:
            write_cell_file(path, p.cells)
            pser.append("")
        elif p.rows is not None:
            write_bar_file(path, p.rows)
            # a series with no bar in this panel is left out of it (gnuplot refuses an all-NaN column)
            pser.append(" ".join(str(s + 1) for s in range(len(fig.legend))
                                 if any(vals[s] is not None for _, vals in p.rows)))
        else:
            write_series_file(path, p.series)
            pser.append(" ".join(str(legend_index[s.title]) for s in p.series))
        pfiles.append(path)
    cols = min(fig.cols, len(fig.panels))
    rows = math.ceil(len(fig.panels) / cols)
    w, h = fig.size or (max(420 * cols, 900), 330 * rows + 150)
    # gnuplot's horizontal key gives every entry the width of the longest title: as many rows as
    # that takes at this width, and the band below the panels as high as those rows
    entry_px = (max(len(t) for t, _ in fig.legend) + 6) * 13  # gnuplot's own estimate is about 12.2 px a char
    legend_rows = math.ceil(len(fig.legend) / max(1, int(w * 0.96 // entry_px)))
    h += 22 * (legend_rows - 1)
    lines = [f"W = {w}", f"H = {h}", f"fig_title = {gp_str(fig.title)}", f"caption = {gp_str(caption)}",
             f"rows = {rows}", f"cols = {cols}", f"npanels = {len(fig.panels)}",
             f"legend_h = {(24.0 + 22 * legend_rows) / h:.5f}",
             f"array pfile[{len(fig.panels)}]", f"array ptitle[{len(fig.panels)}]", f"array pser[{len(fig.panels)}]",
             f"nseries = {len(fig.legend)}", f"array stitle[{len(fig.legend)}]", f"array scolor[{len(fig.legend)}]",
             f"array sdash[{len(fig.legend)}]", f"array spt[{len(fig.legend)}]"]
    for k, p in enumerate(fig.panels):
        lines += [f"pfile[{k + 1}] = {gp_str(pfiles[k])}", f"ptitle[{k + 1}] = {gp_str(p.title)}",
                  f"pser[{k + 1}] = {gp_str(pser[k])}"]
    for i, (t, (colour, dash, pt)) in enumerate(fig.legend):
        lines += [f"stitle[{i + 1}] = {gp_str(t)}", f"scolor[{i + 1}] = {gp_str(colour)}",
                  f'sdash[{i + 1}] = "{dash}"', f'spt[{i + 1}] = "{pt}"']
    params = dict(fig.params)
    xs = sorted({x for p in fig.panels for s in p.series if s.key != "guide" for x, *_ in s.points})
    if len(xs) > MAX_XTICS:  # labels closer than ~45 px collide: every k-th size, the last one kept
        k = math.ceil(len(xs) / MAX_XTICS)
        xs = xs[::k] if xs[::k][-1] == xs[-1] else xs[::k][:-1] + [xs[-1]]
    if xs and "xv" not in params:
        params["xv"], params["xl"] = xs, [fig.xtic(x) for x in xs]
    for k, v in params.items():
        if isinstance(v, list):
            lines.append(f"array {k}[{len(v)}]")
            lines += [f"{k}[{i + 1}] = {gp_str(x) if isinstance(x, str) else f'{x:.10g}'}" for i, x in enumerate(v)]
        else:
            lines.append(f"{k} = {gp_str(v) if isinstance(v, str) else v}")
    params = os.path.join(data, f"{fig.name}.params.gp")
    with open(params, "w") as f:
        f.write("# written by plots/figures.py: the data and series of this figure\n" + "\n".join(lines) + "\n")
    outs = []
    for term in ("png", "svg"):
        out = os.path.join(outdir, f"{fig.name}.{term}")
        cmd = [gnuplot, "-e", f'term = "{term}"; out = {gp_str(out)}', params, os.path.join(HERE, fig.script)]
        r = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True)
        # gnuplot reports some errors on stderr with exit status 0: anything but a warning fails
        errs = [ln for ln in r.stderr.splitlines() if ln.strip() and "warning" not in ln.lower()]
        if r.returncode != 0 or errs or not os.path.exists(out) or os.path.getsize(out) == 0:
            raise FigureError(f"gnuplot failed on {fig.script} for {fig.name}.{term}:\n{r.stderr.strip()}")
        outs.append(out)
    return outs


#~ Number formatting for the report's sentences

def fmt(x, digits=3):
    if x is None:
        return "n/a"
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 10 ** digits:
        return f"{x:,.0f}"
    return f"{x:.{max(digits - 1 - int(math.floor(math.log10(a))), 0)}f}"


def fmt_x(r):
    return f"{fmt(r)}×"


def fmt_bytes(n):
    for unit, k in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= k:
            return f"{n / k:.3g} {unit}"
    return f"{int(n)} B"


def short_bytes(n):
    for unit, k in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= k:
            return f"{n / k:.3g}{unit}"
    return f"{int(n)}"


def gmean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


#~ Claims: the rule of ssbench.claims, in words

def fmt_ratio(r):
    """'2.31× [2.20, 2.45]' (the interval where there is one)."""
    if r.get("lo") is None or r.get("hi") is None:
        return fmt_x(r["v"])
    return f"{fmt_x(r['v'])} [{fmt(r['lo'])}, {fmt(r['hi'])}]"


def tally(rows, floor):
    t = {v: [] for v in (C.FASTER, C.SLOWER, C.COVERS_ONE, C.WITHIN_LAYOUT, C.NO_INTERVAL)}
    for r in rows:
        t[C.verdict(r, floor)].append(r)
    return t


def claim_text(rows, floor, b, a, what="points"):
    """'b is claimed faster than a at k of n points (…), slower at j; no claim at l (…)' for
    ratio rows a/b."""
    t = tally(rows, floor)
    n = len(rows)
    fast, slow = t[C.FASTER], t[C.SLOWER]
    if n == 1 and what.endswith("points"):
        what = what[:-1]
    parts = [f"{b} is claimed faster than {a} at {len(fast)} of {n} {what}"]
    if fast:
        parts[0] += f" ({fmt_range([r['v'] for r in fast])})"
    parts.append(f"slower at {len(slow)}" + (f" ({fmt_range([1 / r['v'] for r in slow])} slower)" if slow else ""))
    none = [(k, len(v)) for k, v in t.items() if k not in (C.FASTER, C.SLOWER) and v]
    text = ", ".join(parts)
    if none:
        est = [r["v"] for k, v in t.items() if k not in (C.FASTER, C.SLOWER) for r in v]
        text += ("; no claim at " + str(sum(c for _, c in none)) + " (" + ", ".join(f"{k}: {c}" for k, c in none) +
                 f"; {rows[0]['impl']} there {fmt_range(est)})")
    return text


def floor_text(S):
    if not S.floor.present:
        return ("this run has no layout control (`aa_layout`), so the claims rest on the intervals alone (τ = 0)")
    parts = [f"{S.group_title(cc, lv) or 'all'} ±{fmt_pct(math.exp(S.floor.tau(cc, lv)) - 1)}"
             for cc, lv in sorted(S.floor.by, key=lambda g: (rank(g[0], COMPILERS), rank(g[1], LEVELS)))]
    return "the layout control's largest effect, which a claim must exceed: " + ", ".join(parts)


def fmt_range(xs):
    """'1.30× to 25.1×', or one value where they agree."""
    lo, hi = fmt_x(min(xs)), fmt_x(max(xs))
    return lo if lo == hi else f"{lo} to {hi}"


def fmt_pct(x):
    return f"{x * 100:.1f} %" if abs(x) < 0.1 else f"{x * 100:.0f} %"


def no_interval_note(S):
    return ("This run has no ratio rows (a run folder of the first summary schema, or one whose per-repetition "
            "JSON was not kept): the ratios here are quotients of medians, without intervals, and support no claim.")


#~ The figures

def malloc_title(lib):
    return f"malloc ({lib})"


def impl_title(impl, lib=DEFAULT_LIB):
    return malloc_title(lib) if impl == "malloc" else impl


def ratio_title(r):
    a, b = r["impl"].split("/", 1)
    return f"{impl_title(a, r['malloc_lib'])} / {b}"


def ratio_style(r):
    a, b = r["impl"].split("/", 1)
    colour, dash, pt = LIB_STYLE.get(r["malloc_lib"]) if a == "malloc" else IMPL_STYLE.get(a, ("#777777", 1, 1))
    return (colour, 4 if b != REFERENCE else dash, pt)


def guides(S, cc, level, xs, target=None):
    """Guide lines of one panel: the layout control's band around 1, and a target where it
    applies ((y, x from, x to, title))."""
    out = []
    tau = S.floor.tau(cc, level) if S.floor.present else 0
    if tau > 0 and xs:
        lo, hi = min(xs) * 0.8, max(xs) * 1.25
        for y in (math.exp(tau), math.exp(-tau)):
            out.append(Series("guide", "layout control's effect (± τ)", GUIDE_STYLE["layout"],
                              [(lo, y, y, y), (hi, y, y, y)]))
    if target:
        y, x0, x1, title = target
        out.append(Series("guide", title, GUIDE_STYLE["target"], [(x0, y, y, y), (x1, y, y, y)]))
    return out


def fig_rk4_time(S):
    name, title = "rk4_time", "RK4: time per step vs state length"
    rows = S.pick(METRIC["step_ns"], workload=WORKLOAD["rk4"], variant=DEFAULT_VARIANT, malloc_lib=DEFAULT_LIB,
                  headline=True, impl=lambda i: i not in CONTROLS)
    if not rows:
        return Skipped(name, title, f"no rows with workload={WORKLOAD['rk4']}, metric={METRIC['step_ns']}, "
                                    f"variant={DEFAULT_VARIANT} and the headline case (call static, mode final)")
    impls = ordered([r["impl"] for r in rows], list(IMPL_STYLE))
    legend = [(impl_title(i), IMPL_STYLE.get(i, ("#777777", 1, 1))) for i in impls]
    by = {}
    for r in rows:
        by.setdefault((r["compiler"], r["level"], r["case"]), {}).setdefault(r["impl"], []).append(point(r["nn"], r))
    panels = []
    cases = ordered([k[2] for k in by], PROBLEMS)
    for cc, lv in groups_of(rows):
        for case in cases:
            if (cc, lv, case) in by:
                d = by[(cc, lv, case)]
                panels.append(Panel(f"{case} ({S.group_title(cc, lv)})",
                                    [Series(i, impl_title(i), IMPL_STYLE.get(i), sorted(d[i])) for i in impls if i in d]))
    t = {(r["compiler"], r["level"], r["case"], r["impl"], r["nn"]): r for r in rows}
    ns = sorted({r["nn"] for r in rows})
    text = []
    lo = sorted([k for k in t if k[3] == REFERENCE and k[4] == ns[0]],
                key=lambda k: (rank(k[0], COMPILERS), rank(k[1], LEVELS), rank(k[2], PROBLEMS)))
    if lo:
        cc, lv, case = lo[0][:3]
        parts = [f"{impl_title(i)} {fmt(t[(cc, lv, case, i, ns[0])]['v'])} ns" for i in impls
                 if i != REFERENCE and (cc, lv, case, i, ns[0]) in t]
        text.append(f"At n = {int(ns[0])} ({case}, {S.group_title(cc, lv)}) a bump step takes "
                    f"{fmt(t[(cc, lv, case, REFERENCE, ns[0])]['v'])} ns (median)"
                    + (f", against {', '.join(parts)}." if parts else "."))
    rat = {(r["compiler"], r["level"], r["case"], r["impl"], r["nn"]): r
           for r in S.ratios(workload=WORKLOAD["rk4"], variant=DEFAULT_VARIANT, malloc_lib=DEFAULT_LIB, headline=True,
                             tool=TOOL_GBENCH)}
    both = [(k, rat[k[:3] + ("malloc/bump", k[4])], rat[k[:3] + ("stack/bump", k[4])]) for k in t
            if k[3] == REFERENCE and k[:3] + ("malloc/bump", k[4]) in rat and k[:3] + ("stack/bump", k[4]) in rat]
    if both:
        wins = sum(1 for _, m, s in both if C.verdict(m, S.floor) == C.FASTER and C.verdict(s, S.floor) == C.FASTER)
        text.append(f"Bump is claimed faster than both malloc (glibc) and stack at {wins} of {len(both)} (problem, "
                    f"compiler, level, n) points.")
    have_ci = any(r["lo"] is not None for r in rows)
    text.append("Lines: medians of the repetitions; error bars: the 95 % interval of the median (order statistics)."
                if have_ci else "Lines: medians; no intervals in this run (too few repetitions, or the first schema).")
    notes = []
    missing = [p for p in PROBLEMS if p not in cases]
    if missing:
        notes.append(f"No headline data for problem(s): {', '.join(missing)}.")
    return Figure(name, title, "rk4_time.gp", panels, max(len(cases), 1), legend, text, notes)


def fig_rk4_speedup(S, meta):
    name, title = "rk4_speedup", "RK4: time of each implementation over bump's (above 1: bump faster)"
    rows = [r for r in S.ratios(workload=WORKLOAD["rk4"], variant=DEFAULT_VARIANT, headline=True, tool=TOOL_GBENCH)
            if (r["impl"].endswith("/" + REFERENCE) and r["impl"].split("/")[0] not in CONTROLS)
            or r["impl"] in ("malloc_tuned/bump_tuned", "stack/bump_tuned")]
    if not rows:
        return Skipped(name, title, "no RK4 point has bump and another implementation timed")
    order = [f"malloc ({lib}) / bump" for lib in MALLOC_LIBS] + [f"{i} / bump" for i in IMPL_STYLE] + \
        ["malloc_tuned / bump_tuned", "stack / bump_tuned"]
    styles = {ratio_title(r): ratio_style(r) for r in rows}
    labels = ordered(styles, order)
    legend = [(lab, styles[lab]) for lab in labels]
    by = {}
    for r in rows:
        by.setdefault((r["compiler"], r["level"], r["case"]), {}).setdefault(ratio_title(r), []).append(point(r["nn"], r))
    panels, used = [], set()
    cases = ordered([k[2] for k in by], PROBLEMS)
    target_m = f"target: bump {TARGET_MALLOC:g}× faster than malloc (glibc), n ≤ {TARGET_MALLOC_N}"
    target_t = f"target: bump_tuned within {TARGET_TUNED:g}× of stack, n ≥ {TARGET_TUNED_N}"
    for cc, lv in groups_of(rows):
        for case in cases:
            d = by.get((cc, lv, case))
            if not d:
                continue
            ser = [Series(lab, lab, styles[lab], sorted(d[lab])) for lab in labels if lab in d]
            xs = sorted({p[0] for s in ser for p in s.points})
            small = [x for x in xs if x <= TARGET_MALLOC_N]
            if small and "malloc (glibc) / bump" in d:
                ser += guides(S, cc, lv, [], (TARGET_MALLOC, min(small) * 0.8, TARGET_MALLOC_N * 1.2, target_m))
                used.add(target_m)
            big = [x for x, *_ in d.get("stack / bump_tuned", []) if x >= TARGET_TUNED_N]
            if big:
                ser += guides(S, cc, lv, [], (1 / TARGET_TUNED, TARGET_TUNED_N * 0.8, max(big) * 1.25, target_t))
                used.add(target_t)
            ser += guides(S, cc, lv, xs)
            panels.append(Panel(f"{case} ({S.group_title(cc, lv)})", ser))
    if S.floor.present:
        legend.append(("layout control's effect (± τ)", GUIDE_STYLE["layout"]))
    legend += [(t, GUIDE_STYLE["target"]) for t in (target_m, target_t) if t in used]
    text, notes = [], []
    g = [r for r in rows if r["impl"] == "malloc/bump" and r["malloc_lib"] == DEFAULT_LIB]
    if g:
        text.append("All compilers and levels: " + claim_text(g, S.floor, "bump", "malloc (glibc)") +
                    f"; median ratio {fmt_x(statistics.median(r['v'] for r in g))}.")
        small = [r for r in g if r["nn"] <= TARGET_MALLOC_N]
        if small:
            est = sum(1 for r in small if r["v"] >= TARGET_MALLOC)
            sure = sum(1 for r in small if r["lo"] is not None and r["lo"] >= TARGET_MALLOC)
            text.append(f"The design's target of {TARGET_MALLOC:g}× at n ≤ {TARGET_MALLOC_N} holds in {sure} of "
                        f"{len(small)} points (interval above {TARGET_MALLOC:g}); the estimate reaches it at {est}.")
    st = [r for r in rows if r["impl"] == "stack/bump"]
    if st:
        text.append("Against the stack build: " + claim_text(st, S.floor, "bump", "stack") + ".")
    mo = [r for r in rows if r["impl"] == "malloc-once/bump"]
    if mo:
        text.append("Against the ODE-library style (temporaries allocated once): " +
                    claim_text(mo, S.floor, "bump", "malloc-once") + ".")
    tu = [r for r in rows if r["impl"] == "stack/bump_tuned" and r["nn"] >= TARGET_TUNED_N]
    if tu:
        sure = sum(1 for r in tu if r["lo"] is not None and r["lo"] >= 1 / TARGET_TUNED)
        text.append(f"bump_tuned within {TARGET_TUNED:g}× of stack at n ≥ {TARGET_TUNED_N}: holds in {sure} of "
                    f"{len(tu)} points (interval above {fmt(1 / TARGET_TUNED)}); the estimate is within it at "
                    f"{sum(1 for r in tu if r['v'] >= 1 / TARGET_TUNED)}.")
    text.append("Error bars: the 95 % Hodges–Lehmann interval of each ratio; a claim needs the interval to exclude 1 "
                "and the effect to exceed " + floor_text(S) + ".")
    if S.derived:
        notes.append(no_interval_note(S))
    absent = [lib for lib in MALLOC_LIBS if malloc_title(lib) + " / bump" not in labels]
    if absent:
        found = meta.get("malloc_libs_found", {})
        why = ", ".join(f"{lib} ({'not installed' if found.get(lib) is False else 'not in this run'})"
                        for lib in absent)
        notes.append(f"No malloc timings with {why}: those lines are left out.")
    return Figure(name, title, "rk4_speedup.gp", panels, max(len(cases), 1), legend, text, notes)


def bar_label(case, n):
    return f"{case} {int(n)}"


def fig_instructions(S):
    name, title = "instructions", "Instructions per step (callgrind)"
    # the workloads' steps only: the allocation kernels count per allocation or per push
    rows = S.pick(METRIC["instr_step"], variant=DEFAULT_VARIANT, malloc_lib=DEFAULT_LIB, function="",
                  headline=True, workload=lambda w: w in (WORKLOAD["rk4"], WORKLOAD["physics"]),
                  impl=lambda i: i not in CONTROLS)
    if not rows:
        return Skipped(name, title, f"no rows with metric={METRIC['instr_step']} (callgrind) for variant="
                                    f"{DEFAULT_VARIANT}")
    impls = ordered([r["impl"] for r in rows], list(IMPL_STYLE))
    legend = [(impl_title(i), IMPL_STYLE.get(i, ("#777777", 1, 1))) for i in impls]
    v = {(r["workload"], r["compiler"], r["level"], r["case"] + (f" {r['engine']}" if r["engine"] not in ("", "loop")
                                                                   else ""), r["nn"], r["impl"]): r["v"] for r in rows}
    panels = []
    order = [WORKLOAD["rk4"], WORKLOAD["physics"]]
    grps = sorted({k[:3] for k in v}, key=lambda g: (rank(g[0], order), rank(g[1], COMPILERS), rank(g[2], LEVELS), g))
    maxcats = 1
    for wl, cc, lv in grps:
        cats = sorted({(k[3], k[4]) for k in v if k[:3] == (wl, cc, lv)},
                      key=lambda c: (rank(c[0].split()[0], PROBLEMS + SCENES), c[0], c[1]))
        maxcats = max(maxcats, len(cats))
        panels.append(Panel(f"{wl} ({S.group_title(cc, lv)})",
                            rows=[(bar_label(case, n), [v.get((wl, cc, lv, case, n, i)) for i in impls])
                                  for case, n in cats]))
    text = []
    pairs = [(k, val, v[k[:5] + ("malloc",)]) for k, val in v.items() if k[5] == REFERENCE and k[:5] + ("malloc",) in v]
    if pairs:
        fewer = [p for p in pairs if p[1] < p[2]]
        ratios = [m / b for _, b, m in pairs if b > 0]
        text.append(f"Bump executes fewer instructions per step than malloc (glibc) in {len(fewer)} of {len(pairs)} "
                    f"cases — the thesis holds in {len(fewer)} of {len(pairs)} — with malloc executing "
                    f"{fmt_x(min(ratios))} to {fmt_x(max(ratios))} as many (median {fmt_x(statistics.median(ratios))}).")
        worse = [k for k, b, m in pairs if b >= m]
        if worse:
            text.append("Where bump executes as many or more: " + ", ".join(
                f"{k[0]} {k[3]} n = {int(k[4])} ({S.group_title(k[1], k[2])})" for k in sorted(worse)) + ".")
    st = [(k, val, v[k[:5] + ("stack",)]) for k, val in v.items() if k[5] == REFERENCE and k[:5] + ("stack",) in v]
    if st:
        r = [b / s for _, b, s in st if s > 0]
        text.append(f"Against the stack build, bump executes {fmt_x(min(r))} to {fmt_x(max(r))} its instructions "
                    f"(median {fmt_x(statistics.median(r))}); instruction counts come from valgrind and do not "
                    f"depend on the machine's load.")
    labw = max(len(lab) for p in panels for lab, _ in p.rows) * 8 + 24
    width = max(900, min(2400, 140 + maxcats * max(labw, 22 * len(impls) + 30)))
    size = (width, 300 * len(panels) + 170)
    lo, hi = [], []
    for p in panels:
        vals = [x for _, vs in p.rows for x in vs if x]
        lo.append(10 ** math.floor(math.log10(min(vals) / 1.5)))
        hi.append(max(vals) * 2.2)
    return Figure(name, title, "instructions.gp", panels, 1, legend, text, size=size,
                  params={"xrot": 0, "pymin": lo, "pymax": hi})


def fig_physics(S):
    name, title = "physics", "Physics: time per step of each implementation over bump's (above 1: bump faster)"
    rows = [r for r in S.ratios(workload=WORKLOAD["physics"], variant=DEFAULT_VARIANT, tool=TOOL_GBENCH)
            if r["impl"].endswith("/" + REFERENCE) and r["impl"].split("/")[0] not in CONTROLS]
    if not rows:
        return Skipped(name, title, f"no rows with workload={WORKLOAD['physics']}, metric={METRIC['ratio']} "
                                    f"(nor {METRIC['step_ns']} of bump and another implementation)")
    styles = {ratio_title(r): ratio_style(r) for r in rows}
    order = [f"malloc ({lib}) / bump" for lib in MALLOC_LIBS] + [f"{i} / bump" for i in IMPL_STYLE]
    labels = ordered(styles, order)
    legend = [(lab, styles[lab]) for lab in labels]
    by = {}
    for r in rows:
        eng = r["engine"] or "loop"
        by.setdefault((eng, r["compiler"], r["level"], r["case"]), {}).setdefault(ratio_title(r), []).append(
            point(r["nn"], r))
    engines = ordered([k[0] for k in by], ENGINES)
    scenes = ordered([k[3] for k in by], SCENES)
    panels = []
    for eng in engines:
        for cc, lv in groups_of(rows):
            for sc in scenes:
                d = by.get((eng, cc, lv, sc))
                if not d:
                    continue
                ser = [Series(lab, lab, styles[lab], sorted(d[lab])) for lab in labels if lab in d]
                ser += guides(S, cc, lv, sorted({p[0] for s in ser for p in s.points}))
                panels.append(Panel(f"{sc}, {eng} engine ({S.group_title(cc, lv)})", ser))
    if S.floor.present:
        legend.append(("layout control's effect (± τ)", GUIDE_STYLE["layout"]))
    text, notes = [], []
    for eng in engines:
        g = [r for r in rows if (r["engine"] or "loop") == eng and r["impl"] == "malloc/bump" and
             r["malloc_lib"] == DEFAULT_LIB]
        if g:
            text.append(f"{eng.capitalize()} engine: " + claim_text(g, S.floor, "bump", "malloc (glibc)",
                                                                   "(scene, bodies, compiler, level) points") + ".")
        st = [r for r in rows if (r["engine"] or "loop") == eng and r["impl"] == "stack/bump"]
        if st:
            text.append(f"Against stack ({eng} engine): " + claim_text(st, S.floor, "bump", "stack") + ".")
    text.append("Error bars: the 95 % Hodges–Lehmann interval of each ratio; " + floor_text(S) + ".")
    if S.derived:
        notes.append(no_interval_note(S))
    return Figure(name, title, "physics.gp", panels, max(len(scenes), 1), legend, text, notes)


def fig_growth(S):
    name, title = "growth", "Region growth: reserve-all vs fault-driven growth vs realloc"
    legend, panels, ylabs, yfmts = [], [], [], []
    data, reps = {}, set()
    for metric, ptitle, ylab, scale, yfmt in (
            (METRIC["growth_step_ns"], "time per growth step", "time per growth step (ns; k = 10^3, M = 10^6)", 1,
             "%.0s%c"),
            (METRIC["fill_s"], "time to fill the region", "fill time (ms)", 1e3, "%g")):
        rows = S.pick(metric, workload=WORKLOAD["growth"], variant=DEFAULT_VARIANT)
        ser = []
        for impl, ilabel, colour, pt in GROWTH_IMPLS:
            for case, clabel, dash in THP_CASES:
                pts = sorted((r["nn"], r["v"] * scale,
                              (r["lo"] if r["lo"] is not None else r["v"]) * scale,
                              (r["hi"] if r["hi"] is not None else r["v"]) * scale)
                             for r in rows if r["impl"] == impl and r["case"] == case)
                reps.update(r["repetitions"] for r in rows if r["impl"] == impl and r["case"] == case)
                if pts:
                    lab = f"{ilabel}, {clabel}"
                    ser.append(Series(lab, lab, (colour, dash, pt), pts))
                    data[(metric, impl, case)] = dict((p[0], p[1] / scale) for p in pts)
        if ser:
            panels.append(Panel(ptitle, ser))
            ylabs.append(ylab)
            yfmts.append(yfmt)
    if not panels:
        return Skipped(name, title, f"no rows with workload={WORKLOAD['growth']}, metric {METRIC['growth_step_ns']} "
                                    f"or {METRIC['fill_s']}")
    for impl, ilabel, colour, pt in GROWTH_IMPLS:
        for case, clabel, dash in THP_CASES:
            lab = f"{ilabel}, {clabel}"
            if any(lab == s.title for p in panels for s in p.series):
                legend.append((lab, (colour, dash, pt)))
    text = []
    fill = {k[1:]: d for k, d in data.items() if k[0] == METRIC["fill_s"]}
    for case, clabel, _ in THP_CASES:
        have = {impl: fill[(impl, case)] for impl, *_ in GROWTH_IMPLS if (impl, case) in fill}
        common = set.intersection(*(set(d) for d in have.values())) if have else set()
        if common:
            n = max(common)
            parts = ", ".join(f"{lab} {fmt(have[i][n])} s" for i, lab, *_ in GROWTH_IMPLS if i in have)
            text.append(f"Filling {fmt_bytes(n)} with {clabel} takes (median): {parts}.")
            break
    step = {k[1:]: d for k, d in data.items() if k[0] == METRIC["growth_step_ns"]}
    g, rsv = step.get(("grow", THP_CASES[0][0])), step.get(("reserve", THP_CASES[0][0]))
    if g and rsv:
        common = sorted(set(g) & set(rsv))
        if common:
            ratios = [g[n] / rsv[n] for n in common if rsv[n] > 0]
            text.append(f"With THP off, one fault-driven growth step takes {fmt(min(g[n] for n in common))} to "
                        f"{fmt(max(g[n] for n in common))} ns, {fmt_x(min(ratios))} to {fmt_x(max(ratios))} the time "
                        f"of reserve-all's step (one ordinary page fault), over fills of {fmt_bytes(common[0])} to "
                        f"{fmt_bytes(common[-1])}; the design's bound is per page committed, so divide by the pages a "
                        f"step commits before comparing it with 2×.")
    k = ", ".join(sorted(str(x) for x in reps if str(x)))
    text.append(f"Lines: medians of {k or 'the'} runs; error bars: the 95 % interval of the median, drawn only where "
                f"there are 6 runs or more (fewer runs give none).")
    return Figure(name, title, "growth.gp", panels, 2, legend, text, size=(1300, 560), params={"ylabs": ylabs, "yfmts": yfmts},
                  xtic=short_bytes)


def context_rows(rows):
    """The evidence rows of the timed steps compiled in context, in the summary's names:
    (workload label, impl, compiler, level, row)."""
    out = []
    for r in rows or []:
        wl = r.get("workload") or "rk4"
        if r.get("compiled") != CONTEXT or r["function"] != TIMED_STEP.get(wl):
            continue
        name, eng = EVIDENCE_WORKLOAD.get(wl, (wl, ""))
        label = f"{name} ({eng} engine)" if eng else name
        out.append((label, EVIDENCE_IMPL.get(r["impl"], r["impl"]), r["compiler"], r.get("opt") or "", r))
    return out


def fig_vectorization(vec):
    name, title = "vectorization", "Vectorization of the timed step, compiled in context (compiler reports)"
    if vec is None:
        return Skipped(name, title, f"no {FILES['vec'][0]} in the run folder")
    ctx = context_rows(vec)
    if not ctx:
        return Skipped(name, title, f"{FILES['vec'][0]} has no compiled={CONTEXT} rows of the timed steps "
                                    f"({', '.join(sorted(set(TIMED_STEP.values())))})")
    legend = [("loops vectorized", ("#4a90d9", 1, 5)), ("loops missed", ("#e8743b", 1, 5))]
    levels = ordered([c[3] for c in ctx], LEVELS)
    wls = ordered([c[0] for c in ctx], ["rk4", "physics (loop engine)", "physics (array engine)"])
    panels, top = [], []
    grps = sorted({(c[0], c[2], c[3]) for c in ctx}, key=lambda g: (rank(g[0], wls), rank(g[1], COMPILERS),
                                                                   rank(g[2], LEVELS)))
    for wl, cc, lv in grps:
        impls = ordered([c[1] for c in ctx if c[:1] + c[2:4] == (wl, cc, lv)], list(IMPL_STYLE))
        rows = []
        for i in impls:
            r = next(c[4] for c in ctx if (c[0], c[1], c[2], c[3]) == (wl, i, cc, lv))
            rows.append((i, [num(r["vectorized"]) or 0, num(r["missed"]) or 0]))
        fn = TIMED_STEP["rk4" if wl == "rk4" else "physics"]
        eng = wl.split("(")[1].split()[0] if "(" in wl else ""
        panels.append(Panel(f"{fn}{', ' + eng if eng else ''} ({cc}{' ' + lv if len(levels) > 1 else ''})", rows=rows))
        top.append(max([1.0] + [v for _, vs in rows for v in vs]) * 1.15)
    text = []
    for wl in wls:
        parts = []
        for cc, lv in sorted({(c[2], c[3]) for c in ctx if c[0] == wl}, key=lambda g: (rank(g[0], COMPILERS),
                                                                                           rank(g[1], LEVELS))):
            items = [(c[1], num(c[4]["vectorized"]) or 0, num(c[4]["missed"]) or 0) for c in ctx
                     if (c[0], c[2], c[3]) == (wl, cc, lv)]
            items.sort(key=lambda x: rank(x[0], list(IMPL_STYLE)))
            parts.append(f"{cc} {lv}: " + ", ".join(f"{i} {int(a)} of {int(a + m)}" for i, a, m in items))
        text.append(f"Loops vectorized in the timed {wl} step ({TIMED_STEP['rk4' if wl == 'rk4' else 'physics']}, "
                    f"compiled with what it calls inlined, as it is timed) — " + "; ".join(parts) + ".")
    return Figure(name, title, "vectorization.gp", panels, min(4, len(panels)), legend, text,
                  size=(max(900, 330 * min(4, len(panels)) + 260), 330 * math.ceil(len(panels) / 4) + 230),
                  params={"xrot": 30, "pymin": [0] * len(panels), "pymax": top})


FOLD_LEVELS = ["-O0", "-O1", "-O2", "-O3", "-Os"]


def fig_fold(fold):
    name, title = "fold", "Does main() of the seed's experiment fold to a constant?"
    if fold is None:
        return Skipped(name, title, f"no {FILES['fold'][0]} in the run folder (PYTHONPATH=harness python3 -m "
                                    f"evidence.fold --out RUN makes it)")
    if not fold:
        return Skipped(name, title, f"{FILES['fold'][0]} has no rows")
    levels = ordered([r["level"] for r in fold], FOLD_LEVELS)
    keys = []
    for r in fold:
        k = (r["compiler"], r["form"], r["helpers"])
        if k not in keys:
            keys.append(k)
    keys.sort(key=lambda k: (COMPILERS.index(k[0]) if k[0] in COMPILERS else 9, k[1], k[2]))
    cells = []
    for r in fold:
        y = keys.index((r["compiler"], r["form"], r["helpers"])) + 1
        x = levels.index(r["level"]) + 1
        f = truthy(r["folds"])
        cells.append((x, y, f, f"{'yes' if f else 'no'} · {r['instructions']}"))
    legend = [("folds to a constant (cell: yes · instructions left in main)", ("#7fc97f", 1, 5)),
              ("does not fold (cell: no · instructions in main)", ("#e6e6e6", 1, 5))]
    p = Panel("", cells=cells)
    text = []
    for cc in ordered([k[0] for k in keys], COMPILERS):
        o2 = [f"{r['form']}/{r['helpers']}" for r in fold if r["compiler"] == cc and r["level"] == "-O2" and truthy(r["folds"])]
        text.append(f"{cc} at -O2 folds: {', '.join(o2) if o2 else 'none'} "
                    f"({len(o2)} of {len({(r['form'], r['helpers']) for r in fold if r['compiler'] == cc})} forms).")
    text = [" ".join(text[:-1]) + (" " if len(text) > 1 else "") + text[-1]]
    nf = sum(1 for c in cells if c[2])
    text.append(f"Over the whole matrix {nf} of {len(cells)} cells fold; a cell folds when `main` is `mov eax, 4` "
                f"and `ret`, the seed's result computed at compile time.")
    fig = Figure(name, title, "fold.gp", [p], 1, legend, text, size=(900, 150 + 34 * len(keys) + 110),
                 params={"nrows": len(keys), "ncols": len(levels), "collab": levels,
                         "rowlab": [" ".join(k) for k in keys]})
    return fig


def table_fold(fold):
    if not fold:
        return None
    levels = ordered([r["level"] for r in fold], FOLD_LEVELS)
    head = ["compiler", "form", "helpers"] + levels
    by = {}
    for r in fold:
        by.setdefault((r["compiler"], r["form"], r["helpers"]), {})[r["level"]] = \
            f"{'**yes**' if truthy(r['folds']) else 'no'} ({r['instructions']} ins, {r['calls']} calls)"
    keys = sorted(by, key=lambda k: (COMPILERS.index(k[0]) if k[0] in COMPILERS else 9, k[1], k[2]))
    return head, [list(k) + [by[k].get(lv, "") for lv in levels] for k in keys]


def table_growth(S):
    keep = [("faults", "minor faults"), ("peak_rss", "peak RSS (KiB)"), ("committed", "Committed_AS (KiB)"),
            ("fill_s", "fill (s)")]
    cells = {}
    for key, _ in keep:
        for r in S.pick(METRIC[key], workload=WORKLOAD["growth"]):
            cells.setdefault((r["case"], r["impl"], r["nn"]), {})[key] = r["v"]
    if not cells:
        return None
    top = {}
    for case, impl, n in cells:
        top[(case, impl)] = max(top.get((case, impl), 0), n)
    head = ["THP", "strategy", "bytes filled"] + [lab for _, lab in keep]
    rows = []
    for (case, impl), n in sorted(top.items(), key=lambda kv: (kv[0][0], [g[0] for g in GROWTH_IMPLS].index(kv[0][1])
                                                               if kv[0][1] in [g[0] for g in GROWTH_IMPLS] else 9)):
        c = cells[(case, impl, n)]
        rows.append([case, impl, fmt_bytes(n)] + [fmt(c.get(k)) if k in c else "" for k, _ in keep])
    return head, rows


#~ Tables of the report

def table_vec(vec):
    ctx = context_rows(vec)
    if not ctx:
        return None
    head = ["step", "impl", "compiler", "level", "loops vectorized", "loops missed", "width", "reasons given"]
    ctx.sort(key=lambda c: (c[0], rank(c[2], COMPILERS), rank(c[3], LEVELS), rank(c[1], list(IMPL_STYLE))))
    return head, [[c[0], c[1], c[2], c[3], c[4]["vectorized"], c[4]["missed"], c[4]["width"], c[4]["reason"][:160]]
                  for c in ctx]


def table_asm(asm):
    ctx = context_rows(asm)
    if not ctx:
        return None
    head = ["step", "impl", "compiler", "level", "instructions", "calls", "malloc-family calls", "free calls",
            "call targets", "ymm", "zmm", "frame bytes"]
    ctx.sort(key=lambda c: (c[0], rank(c[2], COMPILERS), rank(c[3], LEVELS), rank(c[1], list(IMPL_STYLE))))
    return head, [[c[0], c[1], c[2], c[3], c[4]["instructions"], c[4]["calls"], c[4]["alloc_calls"], c[4]["free_calls"],
                   c[4]["call_targets"], c[4]["ymm"], c[4]["zmm"], c[4]["frame_bytes"]] for c in ctx]


def table_controls(S):
    rows = [r for r in S.ratios(tool=TOOL_GBENCH) if r["impl"] in (f"{c}/{REFERENCE}" for c in CONTROLS)]
    if not rows:
        return None
    head = ["control", "case", "n", "compiler", "level", "ratio to bump [95 % interval]", "covers 1", "|effect|"]
    rows.sort(key=lambda r: (r["impl"], rank(r["compiler"], COMPILERS), rank(r["level"], LEVELS), r["case"], r["nn"]))
    return head, [[r["impl"].split("/")[0], f"{r['case']} {r['call']} {r['mode']}".strip(), int(r["nn"]), r["compiler"],
                   r["level"], fmt_ratio(r),
                   "" if r["lo"] is None else ("yes" if r["lo"] <= 1 <= r["hi"] else "**no**"),
                   fmt_pct(abs(r["v"] - 1))] for r in rows]


def axis_table(S, axis, head0):
    """One line per (compiler, level, impl, value of the axis): how many points, the claims
    and the range of the ratio."""
    rows = [r for r in S.ratios(tool=TOOL_GBENCH, workload=WORKLOAD["rk4"]) if "/" in r[axis]
            and "/" not in r["impl"]]
    if not rows:
        return None
    by = {}
    for r in rows:
        by.setdefault((r["compiler"], r["level"] if axis != "level" else "", r["impl"], r[axis]), []).append(r)
    head = ["compiler", "level", "impl", head0, "points", "a slower than b (claimed)", "a faster than b (claimed)", "no claim",
            "ratio range"]
    out = []
    for (cc, lv, impl, ax), rs in sorted(by.items(), key=lambda kv: (rank(kv[0][0], COMPILERS), rank(kv[0][1], LEVELS),
                                                                     rank(kv[0][2], list(IMPL_STYLE)), kv[0][3])):
        t = tally(rs, S.floor)
        out.append([cc, lv or "both", impl, ax, len(rs), len(t[C.FASTER]), len(t[C.SLOWER]),
                    len(rs) - len(t[C.FASTER]) - len(t[C.SLOWER]),
                    f"{fmt_x(min(r['v'] for r in rs))} to {fmt_x(max(r['v'] for r in rs))}"])
    return head, out


def table_processes(S):
    """Whole processes: hyperfine's wall median and IQR, peak RSS and minor faults of one run;
    a process shorter than SHORT_PROCESS_S is flagged (start-up weighs in it)."""
    wall = S.pick(METRIC["wall"], tool=TOOL_HYPERFINE)
    if not wall:
        return None
    key = lambda r: (r["workload"], r["case"], r["n"], r["impl"], r["compiler"], r["level"], r["variant"], r["malloc_lib"])
    rss = {key(r): r["v"] for r in S.pick(METRIC["peak_rss"], tool=TOOL_PROCESS)}
    flt = {key(r): r["v"] for r in S.pick(METRIC["faults"], tool=TOOL_PROCESS)}
    head = ["workload", "case", "n", "impl", "compiler", "level", "malloc", "wall median (ms)", "IQR (ms)", "runs",
            "peak RSS (MiB)", "minor faults", ""]
    out = []
    for r in sorted(wall, key=lambda r: (r["workload"], r["case"], r["nn"], rank(r["impl"], list(IMPL_STYLE)),
                                         rank(r["compiler"], COMPILERS), r["malloc_lib"])):
        k = key(r)
        out.append([r["workload"], r["case"], r["n"], impl_title(r["impl"], r["malloc_lib"]), r["compiler"], r["level"],
                    r["malloc_lib"], fmt(r["v"] * 1e3), fmt(num(r["spread"]) * 1e3) if num(r["spread"]) is not None else "",
                    r["repetitions"], fmt(rss[k] / 1024) if k in rss else "", fmt(flt.get(k)) if k in flt else "",
                    f"**short** (< {SHORT_PROCESS_S * 1e3:g} ms)" if r["v"] < SHORT_PROCESS_S else ""])
    return head, out


def table_alloc(S):
    rows = S.pick(METRIC["alloc_round_ns"], workload=WORKLOAD["alloc"], variant=DEFAULT_VARIANT)
    if not rows:
        return None
    rate = {(r["impl"], r["case"], r["n"], r["compiler"], r["level"], r["malloc_lib"]): r["v"]
            for r in S.pick(METRIC["alloc_rate"], workload=WORKLOAD["alloc"], variant=DEFAULT_VARIANT)}
    rat = {(r["impl"].split("/")[0], r["case"], r["n"], r["compiler"], r["level"], r["malloc_lib"]): r
           for r in S.ratios(workload=WORKLOAD["alloc"], variant=DEFAULT_VARIANT, tool=TOOL_GBENCH)
           if r["impl"].endswith("/" + REFERENCE)}
    head = ["case", "block floats", "compiler", "level", "impl", "ns per round of 1000", "allocations/s",
            "time / bump's [95 % interval]"]
    out = []
    for r in sorted(rows, key=lambda r: (r["case"], r["nn"], rank(r["compiler"], COMPILERS), rank(r["level"], LEVELS),
                                         rank(r["impl"], list(IMPL_STYLE)), r["malloc_lib"])):
        k = (r["impl"], r["case"], r["n"], r["compiler"], r["level"], r["malloc_lib"])
        out.append([r["case"], r["n"], r["compiler"], r["level"], impl_title(r["impl"], r["malloc_lib"]), fmt(r["v"]),
                    fmt(rate.get(k)), fmt_ratio(rat[k]) if k in rat else ""])
    return head, out


def table_cases(S):
    """Function-pointer and trajectory cases against the headline, per implementation."""
    rows = S.pick(METRIC["step_ns"], workload=WORKLOAD["rk4"], variant=DEFAULT_VARIANT, malloc_lib=DEFAULT_LIB)
    t = {(r["compiler"], r["level"], r["case"], r["call"], r["mode"], r["impl"], r["nn"]): r["v"] for r in rows}
    out = []
    for col, value, what in (("call", "fnptr", "dydt through a function pointer"), ("mode", "full", "full trajectory")):
        i = 3 if col == "call" else 4
        for impl in ordered([k[5] for k in t], list(IMPL_STYLE)):
            rs = []
            for k, v in t.items():
                if k[5] != impl or k[i] != value:
                    continue
                h = list(k)
                h[i] = HEADLINE_CALL if col == "call" else HEADLINE_MODE
                if tuple(h) in t and t[tuple(h)]:
                    rs.append(v / t[tuple(h)])
            if rs:
                out.append([what, impl, str(len(rs)), fmt_x(gmean(rs))])
    return (["case", "impl", "points", "time / headline case (geometric mean)"], out) if out else None


def table_failed(S):
    f = S.failed()
    if not f:
        return None
    return (["workload", "case", "n", "impl", "compiler", "level", "variant", "malloc", "message"],
            [[r["workload"], r["case"], r["n"], r["impl"], r["compiler"], r["level"], r["variant"], r["malloc_lib"],
              r["note"]] for r in f])


#~ Conclusions: where compiler-visible allocation pays, where it does not, and why — every
# sentence computed from the run, each speed-up beside its cause

def evidence_index(rows):
    """{(workload label, impl, compiler, level): row} of the timed steps compiled in context."""
    return {(c[0], c[1], c[2], c[3]): c[4] for c in context_rows(rows)}


def vec_of(vecx, wl, impl, cc, lv):
    r = vecx.get((wl, impl, cc, lv))
    if not r:
        return None
    a, m = num(r["vectorized"]) or 0, num(r["missed"]) or 0
    return int(a), int(a + m), r


def loops_text(vecx, wl, impls, cc, lv):
    parts = [f"{i} {v[0]} of {v[1]}" for i in impls for v in [vec_of(vecx, wl, i, cc, lv)] if v]
    return ", ".join(parts)


def reasons_of(r, k=2):
    """The reasons a compiler gave for the loops it missed, those naming aliasing or its cost
    model first."""
    rs = [x.strip() for x in (r.get("reason") or "").split("|") if x.strip()]
    rs = sorted(enumerate(rs), key=lambda ix: (not any(w in ix[1] for w in ("alias", "cost", "versioning")), ix[0]))
    return [x[:110] for _, x in rs[:k]]


def alloc_calls(asmx, wl, impl, cc, lv):
    r = asmx.get((wl, impl, cc, lv))
    if not r or num(r.get("alloc_calls")) is None:
        return None
    return int(num(r["alloc_calls"])), int(num(r.get("free_calls")) or 0)


def instr_ratio(S, a, b, cc, lv):
    """(min, max, cases) of instructions per step a/b (callgrind) on the RK4 headline cases."""
    rows = S.pick(METRIC["instr_step"], workload=WORKLOAD["rk4"], compiler=cc, level=lv, variant=DEFAULT_VARIANT,
                  malloc_lib=DEFAULT_LIB, function="", headline=True)
    t = {(r["case"], r["n"], r["impl"]): r["v"] for r in rows}
    rs = [t[(c, n, a)] / v for (c, n, i), v in t.items() if i == b and (c, n, a) in t and v]
    return (min(rs), max(rs), len(rs)) if rs else None


def cause_text(S, vecx, asmx, a, cc, lv, b=REFERENCE):
    """Why a/b is what it is, from the evidence: allocator calls in the timed step's code, the
    instructions it executes, the loops the compiler vectorized in it."""
    parts = []
    ca, cb = alloc_calls(asmx, "rk4", a, cc, lv), alloc_calls(asmx, "rk4", b, cc, lv)
    if ca and cb is not None and sum(ca) > sum(cb):
        parts.append(f"{a}'s timed step calls the allocator from {sum(ca)} places in its code ({ca[0]} allocations, "
                     f"{ca[1]} frees; asm.csv), {b}'s from {sum(cb)}")
    ir = instr_ratio(S, a, b, cc, lv)
    if ir:
        parts.append(f"it executes {fmt_x(ir[0])}" + (f" to {fmt_x(ir[1])}" if ir[1] != ir[0] else "") +
                     f" {b}'s instructions per step (callgrind, {ir[2]} case{'s' if ir[2] > 1 else ''})")
    lt = loops_text(vecx, "rk4", [b, a], cc, lv)
    if lt:
        parts.append(f"loops vectorized in the inlined step: {lt} (vectorization.csv)")
    return "; ".join(parts)


def group_claims(S, impl, workload=WORKLOAD["rk4"], lib=DEFAULT_LIB, **eq):
    """{(compiler, level): [ratio rows impl]} of the headline (RK4) or every point (physics)."""
    by = {}
    for r in S.ratios(workload=workload, impl=impl, variant=DEFAULT_VARIANT, tool=TOOL_GBENCH, malloc_lib=lib, **eq):
        if workload != WORKLOAD["rk4"] or r["headline"]:
            by.setdefault((r["compiler"], r["level"]), []).append(r)
    return dict(sorted(by.items(), key=lambda kv: (rank(kv[0][0], COMPILERS), rank(kv[0][1], LEVELS))))


def point_name(r):
    return f"{r['case']} n = {int(r['nn'])}"


def conclusions(S, vec, asm, meta):
    vecx, asmx = evidence_index(vec), evidence_index(asm)
    out = []  # (heading, [sentences])
    lead = [f"Every sentence here is computed from this run. A claim (“faster”, “slower”) is made only where the 95 % "
            f"interval of the ratio excludes 1 and its effect exceeds the layout control's; {floor_text(S)}."]
    cover, total = C.aa_coverage(S.rows)
    if total:
        lead.append(f"The in-run A/A control (`aa_control`, the same binary measured twice) has its interval cover 1 at "
                    f"{cover} of {total} points (about 96 % expected).")
    else:
        lead.append("This run has no in-run A/A control (`aa_control`): the noise floor is the intervals' alone.")
    if S.derived:
        lead.append(no_interval_note(S))
    out.append((None, lead))

    pays, nots, why = [], [], []
    for (cc, lv), rs in group_claims(S, "malloc/bump").items():
        t = tally(rs, S.floor)
        g = S.group_title(cc, lv) or cc
        s = f"**RK4, {g}**: " + claim_text(rs, S.floor, "bump", "per-operation malloc (glibc)") + "."
        cause = cause_text(S, vecx, asmx, "malloc", cc, lv)
        (pays if t[C.FASTER] else nots).append(s + (f" Cause: {cause}." if cause else ""))
        rest = [r for r in rs if C.verdict(r, S.floor) != C.FASTER]
        if rest and t[C.FASTER]:
            nots.append(f"RK4, {g}: no claim or bump slower than malloc (glibc) at " + ", ".join(
                f"{point_name(r)} ({r['case']}: {fmt_ratio(r)}, {C.verdict(r, S.floor)})" for r in rest[:6]) +
                (f" and {len(rest) - 6} more" if len(rest) > 6 else "") + ".")
    for (cc, lv), rs in group_claims(S, "malloc/bump", workload=WORKLOAD["alloc"]).items():
        t = tally(rs, S.floor)
        if rs:
            (pays if t[C.FASTER] else nots).append(
                f"Allocation alone ({S.group_title(cc, lv)}): " + claim_text(rs, S.floor, "`ss_alloc`", "malloc/free") + ".")
    for (cc, lv), rs in group_claims(S, "malloc_tuned/bump_tuned").items():
        t = tally(rs, S.floor)
        (pays if t[C.FASTER] else nots).append(
            f"Tuned styles, RK4 ({S.group_title(cc, lv)}): " + claim_text(rs, S.floor, "bump_tuned", "malloc_tuned") +
            "." + (f" Cause: {c}." if (c := cause_text(S, vecx, asmx, 'malloc_tuned', cc, lv, 'bump_tuned')) else ""))
    for (cc, lv), rs in group_claims(S, "stack/bump").items():
        t = tally(rs, S.floor)
        s = f"Against fixed-length stack arrays, RK4 ({S.group_title(cc, lv)}): " + \
            claim_text(rs, S.floor, "bump", "stack") + "."
        lt = loops_text(vecx, "rk4", ["bump", "stack"], cc, lv)
        (pays if len(t[C.FASTER]) > len(t[C.SLOWER]) else nots).append(
            s + (f" Loops vectorized in the inlined step: {lt}." if lt else ""))
    for (cc, lv), rs in group_claims(S, "malloc-once/bump").items():
        t = tally(rs, S.floor)
        (pays if len(t[C.FASTER]) > len(t[C.SLOWER]) else nots).append(
            f"Against the ODE-library style (temporaries allocated once), RK4 ({S.group_title(cc, lv)}): " +
            claim_text(rs, S.floor, "bump", "malloc-once") + ".")
    for eng in ENGINES:
        for (cc, lv), rs in group_claims(S, "malloc/bump", workload=WORKLOAD["physics"], engine=eng).items():
            t = tally(rs, S.floor)
            s = (f"**Physics, {eng} engine, {S.group_title(cc, lv)}**: " +
                 claim_text(rs, S.floor, "bump", "malloc (glibc)") + ".")
            lt = loops_text(vecx, f"physics ({eng} engine)", ["bump", "malloc", "stack"], cc, lv)
            (pays if t[C.FASTER] else nots).append(s + (f" Loops vectorized in the step: {lt}." if lt else ""))
    # the visibility axis, with malloc (whose code the variants leave alone) as its control
    for r_impl in (REFERENCE, "malloc"):
        by = {}
        for r in S.ratios(workload=WORKLOAD["rk4"], impl=r_impl, tool=TOOL_GBENCH, malloc_lib=DEFAULT_LIB):
            if r["variant"].endswith("/" + DEFAULT_VARIANT) and r["headline"]:
                by.setdefault((r["variant"].split("/")[0], r["compiler"], r["level"]), []).append(r)
        for (var, cc, lv), rs in sorted(by.items(), key=lambda kv: (rank(kv[0][0], VARIANTS), rank(kv[0][1], COMPILERS))):
            t = tally(rs, S.floor)
            what = "bump" if r_impl == REFERENCE else "malloc (the control: its code is the same in every variant)"
            nots.append(f"Visibility, `{var}` against the default build, {what}, {S.group_title(cc, lv)}: slower at "
                        f"{len(t[C.FASTER])} of {len(rs)} points, faster at {len(t[C.SLOWER])} (claimed); "
                        f"{var}/default from {fmt_x(min(r['v'] for r in rs))} to {fmt_x(max(r['v'] for r in rs))}.")

    # why: what the compilers did with the inlined step
    wl_rk4 = "rk4"
    gl = sorted({(c[2], c[3]) for c in context_rows(vec) if c[0] == wl_rk4},
                key=lambda g: (rank(g[0], COMPILERS), rank(g[1], LEVELS)))
    for cc, lv in gl:
        v = vec_of(vecx, wl_rk4, REFERENCE, cc, lv)
        if not v:
            continue
        s = f"{cc} {lv} vectorizes {v[0]} of the {v[1]} loops of bump's inlined RK4 step"
        others = loops_text(vecx, wl_rk4, ["malloc", "stack", "bump-fixedn", "bump_tuned"], cc, lv)
        if others:
            s += f" (the other styles: {others})"
        rs = reasons_of(v[2]) if v[1] > v[0] else []
        why.append(s + (f"; the reasons it gives for the others include “{'”, “'.join(rs)}”." if rs else "."))
    for a, what in (("bump-fixedn", "N fixed at compile time (`bump-fixedn`)"),
                    ("bump_checked", "A limit checked on every allocation (`bump_checked`)")):
        for (cc, lv), rs in group_claims(S, f"{a}/{REFERENCE}").items():
            t = tally(rs, S.floor)
            why.append(f"{what} against bump, {S.group_title(cc, lv)}: {a} is claimed faster at {len(t[C.SLOWER])} of "
                       f"{len(rs)} points, slower at {len(t[C.FASTER])}; {a}/bump from {fmt_x(min(r['v'] for r in rs))} "
                       f"to {fmt_x(max(r['v'] for r in rs))}.")
    lvl = {}
    for r in S.ratios(workload=WORKLOAD["rk4"], impl=REFERENCE, variant=DEFAULT_VARIANT, tool=TOOL_GBENCH,
                      malloc_lib=DEFAULT_LIB):
        if "/" in r["level"] and r["headline"]:
            lvl.setdefault(r["compiler"], []).append(r)
    for cc, rs in sorted(lvl.items(), key=lambda kv: rank(kv[0], COMPILERS)):
        t = tally(rs, S.floor)
        why.append(f"The level axis, bump with {cc}: -O3 is claimed faster than -O2 at {len(t[C.FASTER])} of {len(rs)} "
                   f"points, slower at {len(t[C.SLOWER])}; -O2/-O3 from {fmt_x(min(r['v'] for r in rs))} to "
                   f"{fmt_x(max(r['v'] for r in rs))}.")
    comp = {}
    for r in S.ratios(workload=WORKLOAD["rk4"], impl=REFERENCE, variant=DEFAULT_VARIANT, tool=TOOL_GBENCH,
                      malloc_lib=DEFAULT_LIB):
        if "/" in r["compiler"] and r["headline"]:
            comp.setdefault(r["level"], []).append(r)
    for lv, rs in sorted(comp.items(), key=lambda kv: rank(kv[0], LEVELS)):
        t = tally(rs, S.floor)
        why.append(f"The same bump code compiled by clang against gcc ({lv}): clang is claimed faster at "
                   f"{len(t[C.FASTER])} of {len(rs)} points, slower at {len(t[C.SLOWER])}; gcc/clang from "
                   f"{fmt_x(min(r['v'] for r in rs))} to {fmt_x(max(r['v'] for r in rs))}.")
    out.append(("Where compiler-visible allocation pays", pays or [
        "No claim can be made in this run: it has no intervals (the estimates are below)." if S.derived else
        "Nowhere in this run: no claim that bump is faster."]))
    out.append(("Where it does not", nots or ["Everywhere bump was compared, it was claimed faster."]))
    out.append(("Why: what the compilers did", why or ["No compiler evidence of the timed steps in this run "
                                                        "(vectorization.csv with compiled=context rows)."]))

    targets = []
    g = [r for rs in group_claims(S, "malloc/bump").values() for r in rs if r["nn"] <= TARGET_MALLOC_N]
    if g:
        sure = sum(1 for r in g if r["lo"] is not None and r["lo"] >= TARGET_MALLOC)
        targets.append(f"Bump at least {TARGET_MALLOC:g}× faster than malloc (glibc) at n ≤ {TARGET_MALLOC_N}: holds in "
                       f"{sure} of {len(g)} points (interval above {TARGET_MALLOC:g}); the estimate reaches it at "
                       f"{sum(1 for r in g if r['v'] >= TARGET_MALLOC)}.")
    mo = [r for rs in group_claims(S, "malloc-once/bump").values() for r in rs]
    if mo:
        t = tally(mo, S.floor)
        rest = [r["v"] for r in mo if C.verdict(r, S.floor) not in (C.FASTER, C.SLOWER)]
        targets.append(f"Bump at least as fast as the ODE-library style at every n: refuted at {len(t[C.SLOWER])} of "
                       f"{len(mo)} points (bump claimed slower), bump claimed faster at {len(t[C.FASTER])}; no claim at "
                       f"{len(rest)}" + (f" (malloc-once/bump there {fmt_range(rest)})" if rest else "") + ".")
    tu = [r for rs in group_claims(S, "stack/bump_tuned").values() for r in rs if r["nn"] >= TARGET_TUNED_N]
    if tu:
        sure = sum(1 for r in tu if r["lo"] is not None and r["lo"] >= 1 / TARGET_TUNED)
        targets.append(f"bump_tuned within {TARGET_TUNED:g}× of stack at n ≥ {TARGET_TUNED_N}: holds in {sure} of "
                       f"{len(tu)} points (interval above {fmt(1 / TARGET_TUNED)}).")
    ar = [r for rs in group_claims(S, "malloc/bump", workload=WORKLOAD["physics"], engine="array").values() for r in rs]
    if ar:
        fast = sum(1 for r in ar if C.verdict(r, S.floor) == C.FASTER)
        gone = [f"{point_name(r)} ({S.group_title(r['compiler'], r['level'])})" for r in ar
                if C.verdict(r, S.floor) != C.FASTER]
        targets.append(f"Physics in the array style, bump clearly ahead of malloc: claimed at {fast} of {len(ar)} points"
                       + (f"; no claim at {', '.join(gone[:5])}" + (" …" if len(gone) > 5 else "") if gone else "") + ".")
    if targets:
        out.append(("The design's targets", targets))

    caveats = []
    gb = meta.get("google_benchmark") or {}
    if gb.get("debug_build"):
        caveats.append(f"google-benchmark {gb.get('version') or ''} is a debug build here (Debian's "
                       f"`libbenchmark1debian`; `library_build_type` in the run's JSON files): the timing loop "
                       f"around each implementation is unoptimized library code, the same for every "
                       f"implementation.".replace("  ", " "))
    la, lb = meta.get("load_average_before") or {}, meta.get("load_average_after") or {}
    if la or lb:
        caveats.append(f"Load average (1 min) before the run {fmt(la.get('1min'))}, after it {fmt(lb.get('1min'))}, "
                       f"on {meta.get('machine', {}).get('cores', '?')} cores.")
    short = [r for r in S.pick(METRIC["wall"], tool=TOOL_HYPERFINE) if r["v"] < SHORT_PROCESS_S]
    if short:
        caveats.append(f"{len(short)} whole-process measurement(s) last less than {SHORT_PROCESS_S * 1e3:g} ms: their "
                       f"wall time is mostly start-up (flagged in the table of whole processes).")
    if caveats:
        out.append(("What to keep in mind", caveats))
    return out


#~ The report: blocks rendered to Markdown and HTML

def machine_lines(meta):
    m, g = meta.get("machine", {}), meta.get("git", {})
    mem = m.get("memory_kib")
    cpu = m.get("cpu") or {}
    caches = ", ".join(f"L{c.get('level')} {c.get('type', '')[:1].lower() if c.get('level') == 1 else ''}"
                       f"{fmt_bytes(c['size_bytes'])}".replace(" d", "d ").replace(" i", "i ")
                       for c in m.get("caches") or [] if c.get("size_bytes"))
    mhz = (m.get("frequency") or {}).get("cpuinfo_mhz")
    out = [("CPU", f"{m.get('cpu_model', '?')}, {m.get('cores', '?')} cores" +
            (f", family {cpu.get('family')} model {cpu.get('model')}" if cpu.get("family") else "") +
            (f", {' '.join(cpu.get('extensions', []))}" if cpu.get("extensions") else "") +
            (" (virtual machine)" if cpu.get("hypervisor") else "")),
           ("caches", caches or "not recorded"),
           ("frequency", f"{fmt(max(mhz))} MHz (/proc/cpuinfo)" if mhz else "not recorded"),
           ("memory", f"{mem / 1024 / 1024:.1f} GiB" if isinstance(mem, (int, float)) else "?"),
           ("system", f"{m.get('os', '?')}, kernel {m.get('kernel', '?')}"),
           ("transparent huge pages", m.get("transparent_hugepage", "?"))]
    la, lb = meta.get("load_average_before"), meta.get("load_average_after")
    if la or lb:
        out.append(("load average (1, 5, 15 min)", f"before {' '.join(fmt(v) for v in (la or {}).values()) or '?'}; "
                                                  f"after {' '.join(fmt(v) for v in (lb or {}).values()) or '?'}"))
    for cc, c in meta.get("compilers", {}).items():
        flags = c.get("flags", {}).get("default", "")
        out.append((cc, c.get("version", "?") + (f" — `{flags}`" if flags else "")))
    gb = meta.get("google_benchmark")
    if gb:
        out.append(("google-benchmark", f"{gb.get('version') or '?'}, library build type "
                                        f"{gb.get('library_build_type')}" +
                    (" (a debug build: every run warns)" if gb.get("debug_build") else "")))
    if meta.get("packages"):
        out.append(("Debian packages", ", ".join(f"{k} {v}" for k, v in meta["packages"].items())))
    out.append(("commit", f"{g.get('commit', '?')}" + (" (dirty: uncommitted changes)" if g.get("dirty") else "")))
    out.append(("run", f"mode {meta.get('mode', '?')}, {meta.get('date_utc', '?')}, status {meta.get('status', '?')}"))
    if meta.get("note"):
        out.append(("note", meta["note"]))
    return out


def caption_of(meta):
    m, g = meta.get("machine", {}), meta.get("git", {})
    return (f"{m.get('cpu_model', '?')}, {m.get('cores', '?')} cores · commit {g.get('short', '?')}"
            f"{'-dirty' if g.get('dirty') else ''} · {meta.get('date_utc', '?')} · mode {meta.get('mode', '?')}")


def matrix_lines(S, meta):
    def vals(field, wl=None):
        return sorted({r[field] for r in S.rows if r[field] and "/" not in r[field] and
                       (wl is None or r["workload"] == wl)}, key=lambda v: (num(v) is None, num(v) or 0, v))
    out = []
    for wl in sorted({r["workload"] for r in S.rows}):
        cases, ns, impls = vals("case", wl), vals("n", wl), vals("impl", wl)
        extra = "".join(f"; {c} {', '.join(vals(c, wl))}" for c in ("call", "mode", "engine") if vals(c, wl))
        out.append(f"**{wl}**: cases {', '.join(cases)}; n {', '.join(ns)}; impl {', '.join(impls)}{extra}")
    out.append(f"compilers {', '.join(vals('compiler'))}; levels {', '.join(vals('level')) or 'not recorded'}; "
               f"variants {', '.join(vals('variant'))}; malloc libraries {', '.join(vals('malloc_lib'))}")
    found = meta.get("malloc_libs_found", {})
    absent = [lib for lib, ok in found.items() if not ok]
    if absent:
        out.append(f"not installed on this machine, so not measured: {', '.join(absent)}")
    for s in meta.get("skipped", []):
        out.append(f"skipped by the harness: {s}")
    nr = sum(1 for r in S.rows if r["metric"] == METRIC["ratio"] and not S.derived)
    out.append(f"{len(S.rows) - (0 if not S.derived else sum(1 for r in S.rows if r['metric'] == METRIC['ratio']))} rows "
               f"in {FILES['summary'][0]}, {nr} of them ratios with intervals; {len(S.failed())} failed checks")
    return out


def md_table(head, rows):
    esc = [lambda s: str(s).replace("|", "\\|")][0]
    lines = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def html_inline(s):
    """The little Markdown the report uses inline: `code` and **bold**."""
    out, parts = [], str(s).split("`")
    for i, p in enumerate(parts):
        p = html.escape(p)
        if i % 2:
            out.append(f"<code>{p}</code>")
        else:
            bits = p.split("**")
            out.append("".join(f"<b>{b}</b>" if j % 2 else b for j, b in enumerate(bits)))
    return "".join(out)


def html_table(head, rows):
    h = "".join(f"<th>{html.escape(str(x))}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{html_inline(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


class Report:
    def __init__(self):
        self.blocks = []

    def h(self, level, text):
        self.blocks.append(("h", level, text))

    def p(self, text):
        self.blocks.append(("p", text))

    def ul(self, items):
        self.blocks.append(("ul", items))

    def table(self, t):
        self.blocks.append(("table", t))

    def img(self, src, alt):
        self.blocks.append(("img", src, alt))

    def code(self, text):
        self.blocks.append(("code", text))

    def markdown(self):
        out = []
        for b in self.blocks:
            if b[0] == "h":
                out.append("#" * b[1] + " " + b[2])
            elif b[0] == "p":
                out.append(b[1])
            elif b[0] == "ul":
                out.append("\n".join(f"- {x}" for x in b[1]))
            elif b[0] == "table":
                out.append(md_table(*b[1]))
            elif b[0] == "img":
                out.append(f"![{b[2]}]({b[1]})")
            elif b[0] == "code":
                out.append("```sh\n" + b[1] + "\n```")
        return "\n\n".join(out) + "\n"

    def html(self, title):
        out = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>"
               "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;line-height:1.45}"
               "table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;padding:3px 8px}"
               "th{background:#f2f2f2}img{max-width:100%;border:1px solid #eee}pre{background:#f6f6f6;padding:1em}"
               "</style></head><body>"]
        for b in self.blocks:
            if b[0] == "h":
                out.append(f"<h{b[1]}>{html_inline(b[2])}</h{b[1]}>")
            elif b[0] == "p":
                out.append(f"<p>{html_inline(b[1])}</p>")
            elif b[0] == "ul":
                out.append("<ul>" + "".join(f"<li>{html_inline(x)}</li>" for x in b[1]) + "</ul>")
            elif b[0] == "table":
                out.append(html_table(*b[1]))
            elif b[0] == "img":
                out.append(f"<p><img src='{html.escape(b[1])}' alt='{html.escape(b[2])}'></p>")
            elif b[0] == "code":
                out.append(f"<pre>{html.escape(b[1])}</pre>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"


QUESTION = ("Does an allocator the compiler can see through — a bump pointer, `ss_alloc` two instructions, "
            "no branch, no call — make numerical code faster than careful malloc/free, and how close does it "
            "come to fixed-length arrays on the stack? The suite measures the same RK4 integrator and 2D "
            "physics engine written three ways, side by side in one run, and records what the compilers did "
            "with each (instruction counts, vectorization, constant folding).")


def build(run, outdir, gnuplot):
    with open(os.path.join(run, "meta.json")) as f:
        try:
            meta = json.load(f)
        except json.JSONDecodeError as e:
            raise FigureError(f"{os.path.join(run, 'meta.json')}: not JSON: {e}") from e
    level = M.level_of(meta)
    S = Summary(read_table(run, "summary", level), level)
    fold, vec, asm = read_table(run, "fold"), read_table(run, "vec"), read_table(run, "asm")
    figdir = os.path.join(outdir, "figures")
    os.makedirs(figdir, exist_ok=True)
    caption = caption_of(meta)
    figs = [fig_rk4_time(S), fig_rk4_speedup(S, meta), fig_instructions(S), fig_physics(S), fig_growth(S),
            fig_vectorization(vec), fig_fold(fold)]
    R_ = Report()
    g = meta.get("git", {})
    R_.h(1, f"secondstack — run {os.path.basename(os.path.realpath(run))} (commit {g.get('short', '?')}"
            f"{', dirty' if g.get('dirty') else ''}, {meta.get('date_utc', '?')})")
    R_.h(2, "Conclusions")
    for heading, sentences in conclusions(S, vec, asm, meta):
        if heading is None:
            R_.p(" ".join(sentences))
        else:
            R_.h(3, heading)
            R_.ul(sentences)
    R_.h(2, "The question")
    R_.p(QUESTION)
    R_.h(2, "The machine")
    R_.ul([f"{k}: {v}" for k, v in machine_lines(meta)])
    R_.h(2, "The matrix")
    R_.ul(matrix_lines(S, meta))
    failed = table_failed(S)
    R_.h(2, "Failed checks")
    if failed:
        R_.p(f"{len(failed[1])} measurement(s) failed their correctness check and were not timed; they are "
             "absent from the figures.")
        R_.table(failed)
    else:
        R_.p("None: every measured implementation passed its check.")
    R_.h(2, "Controls and the claim rule")
    cover, total = C.aa_coverage(S.rows)
    R_.p("A ratio supports a claim only where its 95 % interval excludes 1 and its effect exceeds the layout "
         f"control's; {floor_text(S)}. " + (f"The in-run A/A interval covers 1 at {cover} of {total} points. "
                                            if total else "This run has no in-run A/A control. ") +
         "The between-run A/A is `make compare` of two runs of one commit (docs/harness.md).")
    t = table_controls(S)
    if t:
        R_.table(t)
    R_.h(2, "Figures")
    written = []
    for k, fig in enumerate(figs, 1):
        R_.h(3, f"Figure {k}. {fig.title}")
        if isinstance(fig, Skipped):
            R_.p(f"**Not drawn**: {fig.why}.")
            continue
        outs = render(fig, figdir, caption, gnuplot)
        written += outs
        R_.img(f"figures/{fig.name}.png", fig.title)
        R_.p(" ".join(fig.text) if fig.text else "(Too few paired points for a summary.)")
        for n in fig.notes:
            R_.p(f"*Note*: {n}")
        R_.p(f"Vector version: [figures/{fig.name}.svg](figures/{fig.name}.svg); data: `figures/data/{fig.name}_*.dat`.")
    R_.h(2, "Tables")
    for title, t, none in (
            ("The visibility axis (RK4): each variant against the default build, a/b = variant/default",
             axis_table(S, "variant", "variant"), "only the default build in this run, or no ratio rows"),
            ("The level axis (RK4): a/b = -O2/-O3", axis_table(S, "level", "levels"), "one level in this run"),
            ("Whole processes (hyperfine) and their peak RSS", table_processes(S), "no hyperfine rows in this run"),
            ("Vectorization of the timed steps, compiled in context", table_vec(vec),
             f"no {FILES['vec'][0]} with compiled={CONTEXT} rows in this run"),
            ("Assembly of the timed steps, compiled in context", table_asm(asm),
             f"no {FILES['asm'][0]} with compiled={CONTEXT} rows in this run"),
            ("The fold-to-constant matrix", table_fold(fold), f"no {FILES['fold'][0]} in this run"),
            ("RK4 cases beside the headline", table_cases(S), "no fnptr or full-trajectory cases in this run"),
            ("Region growth at the largest fill", table_growth(S), "no growth rows in this run"),
            ("Allocation microbenchmark (8 blocks per round)", table_alloc(S), "no alloc rows in this run")):
        R_.h(3, title)
        if t:
            R_.table(t)
        else:
            R_.p(f"Not available: {none}.")
    R_.h(2, "Reproduce")
    R_.code("\n".join([f"git checkout {g.get('commit', 'COMMIT')}",
                       f"make bench MODE={meta.get('mode', 'quick')}        # writes results/<UTC-time>-<commit>/",
                       "PYTHONPATH=harness python3 -m ssbench.ratios results/latest   # the ratio rows again",
                       "make figures RUN=results/latest   # these figures and this report",
                       "make compare A=<this run> B=results/latest   # a second run beside this one"]))
    with open(os.path.join(outdir, "report.md"), "w") as f:
        f.write(R_.markdown())
    with open(os.path.join(outdir, "report.html"), "w") as f:
        f.write(R_.html(f"secondstack run {os.path.basename(os.path.realpath(run))}"))
    return written + [os.path.join(outdir, "report.md"), os.path.join(outdir, "report.html")], figs


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    out = None
    if "--out" in args:
        i = args.index("--out")
        if i + 1 >= len(args):
            print("figures: --out needs a directory", file=sys.stderr)
            return 2
        out = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    # absolute and resolved (results/latest is a link): gnuplot runs in another directory
    run = os.path.realpath(args[0] if args else os.path.join(ROOT, "results", "latest"))
    if not os.path.isdir(run):
        print(f"figures: {run}: no such run folder (make bench writes one; RUN=results/<folder> names another)",
              file=sys.stderr)
        return 2
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("figures: gnuplot not found: install the Debian package gnuplot-nox (make figures does)", file=sys.stderr)
        return 2
    try:
        written, figs = build(run, out or run, gnuplot)
    except (FigureError, R.ParseError) as e:
        print(f"figures: {e}", file=sys.stderr)
        return 2
    for fig in figs:
        if isinstance(fig, Skipped):
            print(f"figures: notice: {fig.name} not drawn: {fig.why}")
    print(f"figures: wrote {len(written)} files into {os.path.abspath(out or run)} (report.md, report.html, figures/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
