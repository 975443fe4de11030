#!/usr/bin/env python3
"""figures.py — the figures and the report of one run folder.

    python3 -m figures [RUN_DIR] [--out DIR]   (plots/ on PYTHONPATH, as `make figures RUN=...`
                                               sets it; default RUN_DIR: results/latest; --out: RUN_DIR)

Reads RUN_DIR/summary.csv and meta.json (required), fold.csv, vectorization.csv and asm.csv
(each optional: without it, its figure or table is skipped with a notice). Writes into DIR:

    figures/<name>.png, figures/<name>.svg    the figures (gnuplot, plots/<name>.gp)
    figures/data/<name>*.dat, *.params.gp     the tidy series each figure draws, and its parameters
    report.md, report.html                    the question, the machine, the matrix, each figure
                                              with what it shows (computed from the data), the
                                              tables, the failed checks, the commands

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
        "ci_low": "ci_low", "ci_high": "ci_high", "check": "check", "tool": "tool", "note": "note"}),
    "fold": ("fold.csv", False, {
        "compiler": "compiler", "form": "form", "helpers": "helpers", "level": "level", "folds": "folds",
        "instructions": "instructions", "calls": "calls"}),
    "vec": ("vectorization.csv", False, {
        "function": "function", "impl": "impl", "compiler": "compiler", "vectorized": "loops_vectorized",
        "missed": "loops_missed", "width": "width", "reason": "reason"}),
    "asm": ("asm.csv", False, {
        "function": "function", "impl": "impl", "compiler": "compiler", "instructions": "instructions",
        "calls": "calls", "call_targets": "call_targets", "xmm": "xmm", "ymm": "ymm", "zmm": "zmm",
        "frame_bytes": "frame_bytes"}),
}
# Rows kept, where the file has the column: each loop counted once (a function compiled alone,
# not again inlined into its caller) and at the level that is timed.
ROW_FILTER = {"vec": {"compiled": "alone", "opt": "-O2"}, "asm": {"opt": "-O2"}}
METRIC = {  # our name -> summary.csv metric
    "step_ns": "ns_per_step", "step_rate": "steps_per_second", "instr_step": "instructions_per_step",
    "fill_s": "fill_seconds", "growth_step_ns": "ns_per_growth_step", "faults": "minor_faults",
    "peak_rss": "peak_rss", "committed": "committed_as", "alloc_round_ns": "time_median",
    "alloc_rate": "items_per_second", "check": "check",
}
WORKLOAD = {"rk4": "rk4", "physics": "physics", "growth": "growth", "alloc": "alloc"}
CHECK_FAILED = "failed"
DEFAULT_VARIANT, DEFAULT_LIB = "default", "glibc"
HEADLINE_CALL, HEADLINE_MODE = "static", "final"  # the RK4 headline: dydt known, final state only

# Display order and style (colour, dash type, point type) of every series.
COMPILERS = ["gcc", "clang"]
PROBLEMS = ["decay", "oscillators", "lorenz96", "heat1d"]
SCENES = ["rain", "billiards", "cloth", "nbody"]
MALLOC_LIBS = ["glibc", "mimalloc", "jemalloc", "tcmalloc"]
IMPL_STYLE = {
    "bump": ("#1f5fbf", 1, 7), "malloc": ("#d62728", 1, 5), "stack": ("#2ca02c", 1, 9),
    "malloc-once": ("#e377c2", 2, 4), "bump-fixedn": ("#17a0b8", 2, 6),
}
LIB_STYLE = {"glibc": ("#d62728", 1, 5), "mimalloc": ("#9467bd", 1, 11), "jemalloc": ("#ff7f0e", 1, 13),
             "tcmalloc": ("#8c564b", 1, 15)}
GROWTH_IMPLS = [("reserve", "reserve-all", "#1f5fbf", 7), ("grow", "fault-driven growth", "#2ca02c", 9),
                ("realloc", "realloc doubling", "#d62728", 5)]
THP_CASES = [("thp-off", "THP off", 1), ("thp-on", "THP on", 2)]
REFERENCE_IMPLS = {"malloc-once": "temporaries allocated once (reference)",
                   "bump-fixedn": "bump with n fixed at compile time (reference)"}


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
        missing = [c for c in cols.values() if c not in have] if not old else []
        if missing:
            raise FigureError(f"{path}: missing column{'s' if len(missing) > 1 else ''} "
                              f"{', '.join(repr(c) for c in missing)} (columns present: {', '.join(have)})")
        rows = R.read_summary(path, level=level) if old else list(rd)
        keep = {c: v for c, v in ROW_FILTER.get(key, {}).items() if c in have}
        return [{ours: (r[theirs] or "").strip() for ours, theirs in cols.items()} for r in rows
                if all((r[c] or "").strip() == v for c, v in keep.items())]


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def truthy(s):
    return str(s).strip().lower() in ("1", "true", "yes", "y")


class Summary:
    def __init__(self, rows):
        self.rows = rows
        for r in rows:
            r["v"], r["sd"], r["nn"] = num(r["value"]), num(r["spread"]), num(r["n"])
            # a row that does not say is the default build with the C library's malloc
            r["variant"] = r["variant"] or DEFAULT_VARIANT
            r["malloc_lib"] = r["malloc_lib"] or DEFAULT_LIB
            r["headline"] = r["call"] in ("", HEADLINE_CALL) and r["mode"] in ("", HEADLINE_MODE)

    def pick(self, metric, **eq):
        """Rows of a metric whose fields equal eq (a callable value is a predicate); the last
        row wins when a key repeats (a resumed run appends)."""
        out = {}
        for r in self.rows:
            if r["metric"] != metric or r["v"] is None or r["nn"] is None:
                continue
            if all((v(r[k]) if callable(v) else r[k] == v) for k, v in eq.items()):
                out[tuple(r[c] for c in KEY) + (r["function"],)] = r
        return list(out.values())

    def failed(self):
        return [r for r in self.rows if r["check"] == CHECK_FAILED]


def rank(v, order):
    return order.index(v) if v in order else len(order)


def ordered(values, order):
    vs = sorted(set(values), key=lambda v: (order.index(v) if v in order else len(order), v))
    return vs


#~ Figures: data, then gnuplot

class Series:
    def __init__(self, key, title, style, points):
        self.key, self.title, self.style, self.points = key, title, style, points  # points: [(x, y, sd)]


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


def gp_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_series_file(path, series):
    with open(path, "w") as f:
        for i, s in enumerate(series):
            if i:
                f.write("\n\n")
            f.write(f"# {s.title}\n# x y spread\n")
            for x, y, sd in s.points:
                f.write(f"{x:.10g} {y:.10g} {(sd if sd is not None else 0):.10g}\n")


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
    xs = sorted({x for p in fig.panels for s in p.series for x, _, _ in s.points})
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


#~ The figures

def malloc_title(lib):
    return f"malloc ({lib})"


def impl_title(impl, lib=DEFAULT_LIB):
    return malloc_title(lib) if impl == "malloc" else impl


def fig_rk4_time(S):
    name, title = "rk4_time", "RK4: time per step vs state length"
    rows = S.pick(METRIC["step_ns"], workload=WORKLOAD["rk4"], variant=DEFAULT_VARIANT, malloc_lib=DEFAULT_LIB,
                  headline=True)
    if not rows:
        return Skipped(name, title, f"no rows with workload={WORKLOAD['rk4']}, metric={METRIC['step_ns']}, "
                                    f"variant={DEFAULT_VARIANT} and a headline case")
    impls = ordered([r["impl"] for r in rows], list(IMPL_STYLE))
    legend = [(impl_title(i), IMPL_STYLE.get(i, ("#777777", 1, 1))) for i in impls]
    panels, by = [], {}
    for r in rows:
        by.setdefault((r["compiler"], r["case"]), {}).setdefault(r["impl"], []).append((r["nn"], r["v"], r["sd"]))
    for cc in ordered([k[0] for k in by], COMPILERS):
        for case in ordered([k[1] for k in by if k[0] == cc], PROBLEMS):
            ser = [Series(i, impl_title(i), IMPL_STYLE.get(i), sorted(by[(cc, case)][i]))
                   for i in impls if i in by[(cc, case)]]
            panels.append(Panel(f"{case} ({cc})", ser))
    # what it shows: the smallest and the largest n, bump against malloc and stack
    t = {(r["compiler"], r["case"], r["impl"], r["nn"]): r["v"] for r in rows}
    ns = sorted({r["nn"] for r in rows})
    text = []
    lo = [(cc, case) for (cc, case, i, n) in t if i == "bump" and n == ns[0]]
    if lo:
        cc, case = sorted(lo, key=lambda k: (rank(k[0], COMPILERS), rank(k[1], PROBLEMS), k))[0]
        parts = [f"{impl_title(i)} {fmt(t[(cc, case, i, ns[0])])} ns" for i in impls
                 if i != "bump" and (cc, case, i, ns[0]) in t]
        text.append(f"At n = {int(ns[0])} ({case}, {cc}) a bump step takes {fmt(t[(cc, case, 'bump', ns[0])])} ns"
                    + (f", against {', '.join(parts)}." if parts else "."))
    best = wins = 0
    for (cc, case, i, n), v in t.items():
        if i != "bump":
            continue
        rivals = [t[(cc, case, j, n)] for j in ("malloc", "stack") if (cc, case, j, n) in t]
        if rivals:
            best += 1
            wins += all(v <= x for x in rivals)
    if best:
        text.append(f"Bump is the fastest of bump, malloc (glibc) and stack at {wins} of {best} measured "
                    f"(problem, compiler, n) points; the lines show medians, the error bars one standard deviation.")
    notes = []
    missing = [p for p in PROBLEMS if not any(k[1] == p for k in by)]
    if missing:
        notes.append(f"No headline data for problem(s): {', '.join(missing)}.")
    return Figure(name, title, "rk4_time.gp", panels, max(len({k[1] for k in by}), 1), legend, text, notes)


def fig_rk4_speedup(S, meta):
    name, title = "rk4_speedup", "RK4: speed-up of bump over malloc (per library) and over stack"
    rows = S.pick(METRIC["step_ns"], workload=WORKLOAD["rk4"], variant=DEFAULT_VARIANT, headline=True)
    t = {}
    for r in rows:
        t[(r["compiler"], r["case"], r["impl"], r["malloc_lib"], r["nn"])] = r["v"]
    bump = {(cc, case, n): v for (cc, case, i, lib, n), v in t.items() if i == "bump"}
    rivals = [("malloc", lib, malloc_title(lib) + " / bump", LIB_STYLE[lib]) for lib in MALLOC_LIBS] + \
        [("stack", DEFAULT_LIB, "stack / bump", IMPL_STYLE["stack"])]
    by, present = {}, []
    for impl, lib, label, style in rivals:
        for (cc, case, n), b in bump.items():
            o = t.get((cc, case, impl, lib, n))
            if o is not None and b > 0:
                by.setdefault((cc, case), {}).setdefault(label, []).append((n, o / b, None))
                if label not in present:
                    present.append(label)
    if not by:
        return Skipped(name, title, "no RK4 point has both bump and malloc or stack timed")
    legend = [(label, style) for impl, lib, label, style in rivals if label in present]
    guides = [("parity (1×)", ("#333333", 2, 0)), ("target vs glibc at n ≤ 16 (5×)", ("#999999", 3, 0))]
    panels = []
    for cc in ordered([k[0] for k in by], COMPILERS):
        for case in ordered([k[1] for k in by if k[0] == cc], PROBLEMS):
            panels.append(Panel(f"{case} ({cc})", [Series(lab, lab, sty, sorted(by[(cc, case)][lab]))
                                                   for lab, sty in legend if lab in by[(cc, case)]]))
    text, notes = [], []
    g = [(cc, case, n, r) for (cc, case), d in by.items() for n, r, _ in d.get("malloc (glibc) / bump", [])]
    if g:
        faster = sum(1 for *_, r in g if r > 1)
        small = [r for cc, case, n, r in g if n <= 16]
        text.append(f"Against glibc malloc, bump is faster at {faster} of {len(g)} points (speed-up "
                    f"{fmt_x(min(r for *_, r in g))} to {fmt_x(max(r for *_, r in g))}, median "
                    f"{fmt_x(statistics.median(r for *_, r in g))})"
                    + (f"; the design's target of at least 5× at n ≤ 16 holds at {sum(1 for r in small if r >= 5)} "
                       f"of {len(small)} points." if small else "."))
    st = [(cc, case, n, r) for (cc, case), d in by.items() for n, r, _ in d.get("stack / bump", [])]
    if st:
        within = sum(1 for *_, r in st if r >= 0.8)
        worst = min(st, key=lambda x: x[3])
        text.append(f"Against the stack build, bump is within 1.25× (stack/bump ≥ 0.8) at {within} of {len(st)} "
                    f"points; the widest gap is {fmt_x(1 / worst[3])} slower at n = {int(worst[2])} "
                    f"({worst[1]}, {worst[0]}).")
    absent = [lib for lib in MALLOC_LIBS if malloc_title(lib) + " / bump" not in present]
    if absent:
        found = meta.get("malloc_libs_found", {})
        why = ", ".join(f"{lib} ({'not installed' if found.get(lib) is False else 'not in this run'})"
                        for lib in absent)
        notes.append(f"No malloc timings with {why}: those lines are left out.")
    # the dotted guides are drawn by the script; they are in the legend so a reader can tell them apart
    return Figure(name, title, "rk4_speedup.gp", panels, max(len({k[1] for k in by}), 1), legend + guides, text, notes)


def bar_label(case, n):
    return f"{case} {int(n)}"


def fig_instructions(S):
    name, title = "instructions", "Instructions per step (callgrind)"
    # the workloads' steps only: the allocation kernels count per allocation or per push
    rows = S.pick(METRIC["instr_step"], variant=DEFAULT_VARIANT, malloc_lib=DEFAULT_LIB,
                  headline=True, workload=lambda w: w in (WORKLOAD["rk4"], WORKLOAD["physics"]))
    if not rows:
        return Skipped(name, title, f"no rows with metric={METRIC['instr_step']} (callgrind) for variant="
                                    f"{DEFAULT_VARIANT}")
    impls = ordered([r["impl"] for r in rows], list(IMPL_STYLE))
    legend = [(impl_title(i), IMPL_STYLE.get(i, ("#777777", 1, 1))) for i in impls]
    v = {(r["workload"], r["compiler"], r["case"], r["nn"], r["impl"]): r["v"] for r in rows}
    panels = []
    order = [WORKLOAD["rk4"], WORKLOAD["physics"]]
    groups = sorted({(k[0], k[1]) for k in v}, key=lambda g: (rank(g[0], order), rank(g[1], COMPILERS), g))
    maxcats = 1
    for wl, cc in groups:
        cats = sorted({(k[2], k[3]) for k in v if k[:2] == (wl, cc)},
                      key=lambda c: ((PROBLEMS + SCENES).index(c[0]) if c[0] in PROBLEMS + SCENES else 99, c[0], c[1]))
        maxcats = max(maxcats, len(cats))
        panels.append(Panel(f"{wl} ({cc})", rows=[(bar_label(case, n), [v.get((wl, cc, case, n, i)) for i in impls])
                                                  for case, n in cats]))
    text = []
    pairs = [(k, val, v[k[:4] + ("malloc",)]) for k, val in v.items() if k[4] == "bump" and k[:4] + ("malloc",) in v]
    if pairs:
        fewer = sum(1 for _, b, m in pairs if b < m)
        ratios = [m / b for _, b, m in pairs if b > 0]
        text.append(f"Bump executes fewer instructions per step than malloc (glibc) in {fewer} of {len(pairs)} "
                    f"cases — the thesis {'holds' if fewer == len(pairs) else 'is refuted'} here — with malloc "
                    f"executing {fmt_x(min(ratios))} to {fmt_x(max(ratios))} as many (median {fmt_x(statistics.median(ratios))}).")
    st = [(k, val, v[k[:4] + ("stack",)]) for k, val in v.items() if k[4] == "bump" and k[:4] + ("stack",) in v]
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
    name, title = "physics", "Physics: steps per second vs bodies"
    rows = S.pick(METRIC["step_rate"], workload=WORKLOAD["physics"], variant=DEFAULT_VARIANT,
                  malloc_lib=DEFAULT_LIB)
    if not rows:
        return Skipped(name, title, f"no rows with workload={WORKLOAD['physics']}, metric={METRIC['step_rate']}")
    impls = ordered([r["impl"] for r in rows], list(IMPL_STYLE))
    legend = [(impl_title(i), IMPL_STYLE.get(i, ("#777777", 1, 1))) for i in impls]
    by = {}
    for r in rows:
        by.setdefault((r["compiler"], r["case"]), {}).setdefault(r["impl"], []).append((r["nn"], r["v"], r["sd"]))
    panels = []
    for cc in ordered([k[0] for k in by], COMPILERS):
        for sc in ordered([k[1] for k in by if k[0] == cc], SCENES):
            panels.append(Panel(f"{sc} ({cc})", [Series(i, impl_title(i), IMPL_STYLE.get(i), sorted(by[(cc, sc)][i]))
                                                 for i in impls if i in by[(cc, sc)]]))
    t = {(r["compiler"], r["case"], r["nn"], r["impl"]): r["v"] for r in rows}
    pairs = [(k, v, t[k[:3] + ("malloc",)]) for k, v in t.items() if k[3] == "bump" and k[:3] + ("malloc",) in t]
    text = []
    if pairs:
        ok = sum(1 for _, b, m in pairs if b >= m)
        sp = [(k, b / m) for k, b, m in pairs if m > 0]
        top = max(sp, key=lambda x: x[1])
        low = min(sp, key=lambda x: x[1])
        text.append(f"Bump is at least as fast as malloc (glibc) at {ok} of {len(pairs)} (scene, bodies, compiler) "
                    f"points; its speed-up is largest, {fmt_x(top[1])}, for {top[0][1]} with {int(top[0][2])} bodies "
                    f"({top[0][0]}).")
        big = [x for x in sp if x[0][2] == max(k[2] for k, _ in sp if k[1] == x[0][1])]
        text.append(f"At the largest size of each scene the speed-up is {fmt_x(min(r for _, r in big))} to "
                    f"{fmt_x(max(r for _, r in big))}: per-step work grows with the bodies while the allocations per "
                    f"step stay few, so the difference shrinks (the smallest speed-up overall is {fmt_x(low[1])}, "
                    f"{low[0][1]} with {int(low[0][2])} bodies).")
    return Figure(name, title, "physics.gp", panels, max(len({k[1] for k in by}), 1), legend, text)


def fig_growth(S):
    name, title = "growth", "Region growth: reserve-all vs fault-driven growth vs realloc"
    legend, panels, ylabs, yfmts = [], [], [], []
    data = {}
    for metric, ptitle, ylab, scale, yfmt in (
            (METRIC["growth_step_ns"], "time per growth step", "time per growth step (ns; k = 10^3, M = 10^6)", 1,
             "%.0s%c"),
            (METRIC["fill_s"], "time to fill the region", "fill time (ms)", 1e3, "%g")):
        rows = S.pick(metric, workload=WORKLOAD["growth"], variant=DEFAULT_VARIANT)
        ser = []
        for impl, ilabel, colour, pt in GROWTH_IMPLS:
            for case, clabel, dash in THP_CASES:
                pts = sorted((r["nn"], r["v"] * scale, (r["sd"] or 0) * scale) for r in rows
                             if r["impl"] == impl and r["case"] == case)
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
            text.append(f"Filling {fmt_bytes(n)} with {clabel} takes: {parts}.")
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
    return Figure(name, title, "growth.gp", panels, 2, legend, text, size=(1300, 560), params={"ylabs": ylabs, "yfmts": yfmts},
                  xtic=short_bytes)


def fig_vectorization(vec):
    name, title = "vectorization", "Vectorization: loops vectorized and missed (compiler reports)"
    if vec is None:
        return Skipped(name, title, f"no {FILES['vec'][0]} in the run folder")
    tot = {}
    for r in vec:
        a, m = num(r["vectorized"]), num(r["missed"])
        t = tot.setdefault((r["compiler"], r["impl"]), [0, 0])
        t[0] += a or 0
        t[1] += m or 0
    if not tot:
        return Skipped(name, title, f"{FILES['vec'][0]} has no rows")
    legend = [("loops vectorized", ("#4a90d9", 1, 5)), ("loops missed", ("#e8743b", 1, 5))]
    impls = ordered([k[1] for k in tot], list(IMPL_STYLE))
    panels = []
    for cc in ordered([k[0] for k in tot], COMPILERS):
        panels.append(Panel(cc, rows=[(i, list(tot[(cc, i)])) for i in impls if (cc, i) in tot]))
    text = []
    parts = [f"{cc} {i}: {int(a)} of {int(a + m)}" for (cc, i), (a, m) in
             sorted(tot.items(), key=lambda kv: (rank(kv[0][0], COMPILERS), impls.index(kv[0][1])))]
    text.append("Loops vectorized, summed over the hot functions: " + "; ".join(parts) + ".")
    worst = max(tot.items(), key=lambda kv: kv[1][1])
    reasons = {}
    for r in vec:
        if r["reason"] and (num(r["missed"]) or 0) > 0:
            reasons[r["reason"]] = reasons.get(r["reason"], 0) + (num(r["missed"]) or 0)
    if worst[1][1] > 0:
        common = max(reasons.items(), key=lambda kv: kv[1])[0] if reasons else "not given"
        text.append(f"The most loops missed is {int(worst[1][1])}, by {worst[0][1]} with {worst[0][0]}; the most "
                    f"frequent reason given is “{common}”.")
    else:
        text.append("No loop is reported missed by either compiler.")
    return Figure(name, title, "vectorization.gp", panels, len(panels), legend, text,
                  size=(max(900, 360 * len(panels) + 200), 560), params={"xrot": 0})


LEVELS = ["-O0", "-O1", "-O2", "-O3", "-Os"]


def fig_fold(fold):
    name, title = "fold", "Does main() of the seed's experiment fold to a constant?"
    if fold is None:
        return Skipped(name, title, f"no {FILES['fold'][0]} in the run folder (PYTHONPATH=harness python3 -m "
                                    f"evidence.fold --out RUN makes it)")
    if not fold:
        return Skipped(name, title, f"{FILES['fold'][0]} has no rows")
    levels = ordered([r["level"] for r in fold], LEVELS)
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


#~ Tables of the report

def table_fold(fold):
    if not fold:
        return None
    levels = ordered([r["level"] for r in fold], LEVELS)
    head = ["compiler", "form", "helpers"] + levels
    by = {}
    for r in fold:
        by.setdefault((r["compiler"], r["form"], r["helpers"]), {})[r["level"]] = \
            f"{'**yes**' if truthy(r['folds']) else 'no'} ({r['instructions']} ins, {r['calls']} calls)"
    keys = sorted(by, key=lambda k: (COMPILERS.index(k[0]) if k[0] in COMPILERS else 9, k[1], k[2]))
    return head, [list(k) + [by[k].get(lv, "") for lv in levels] for k in keys]


def table_vec(vec):
    if not vec:
        return None
    head = ["function", "impl", "compiler", "vectorized", "missed", "width", "reason missed"]
    rows = sorted(vec, key=lambda r: (r["function"], list(IMPL_STYLE).index(r["impl"]) if r["impl"] in IMPL_STYLE else 9,
                                      COMPILERS.index(r["compiler"]) if r["compiler"] in COMPILERS else 9))
    return head, [[r["function"], r["impl"], r["compiler"], r["vectorized"], r["missed"], r["width"], r["reason"]]
                  for r in rows]


def table_asm(asm):
    if not asm:
        return None
    head = ["function", "impl", "compiler", "instructions", "calls", "call targets", "xmm", "ymm", "zmm", "frame bytes"]
    rows = sorted(asm, key=lambda r: (r["function"], list(IMPL_STYLE).index(r["impl"]) if r["impl"] in IMPL_STYLE else 9,
                                      COMPILERS.index(r["compiler"]) if r["compiler"] in COMPILERS else 9))
    return head, [[r["function"], r["impl"], r["compiler"], r["instructions"], r["calls"], r["call_targets"],
                   r["xmm"], r["ymm"], r["zmm"], r["frame_bytes"]] for r in rows]


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


def table_alloc(S):
    rows = S.pick(METRIC["alloc_round_ns"], workload=WORKLOAD["alloc"], variant=DEFAULT_VARIANT)
    if not rows:
        return None
    rate = {(r["impl"], r["case"], r["n"], r["compiler"], r["malloc_lib"]): r["v"]
            for r in S.pick(METRIC["alloc_rate"], workload=WORKLOAD["alloc"], variant=DEFAULT_VARIANT)}
    bump = {(r["case"], r["n"], r["compiler"]): r["v"] for r in rows if r["impl"] == "bump"}
    head = ["case", "block floats", "compiler", "impl", "ns per round of 1000", "allocations/s", "× bump"]
    out = []
    for r in sorted(rows, key=lambda r: (r["case"], r["nn"], COMPILERS.index(r["compiler"]) if r["compiler"] in
                                         COMPILERS else 9, list(IMPL_STYLE).index(r["impl"]) if r["impl"] in
                                         IMPL_STYLE else 9, r["malloc_lib"])):
        b = bump.get((r["case"], r["n"], r["compiler"]))
        out.append([r["case"], r["n"], r["compiler"], impl_title(r["impl"], r["malloc_lib"]), fmt(r["v"]),
                    fmt(rate.get((r["impl"], r["case"], r["n"], r["compiler"], r["malloc_lib"]))),
                    fmt_x(r["v"] / b) if b else ""])
    return head, out


def table_variants(S):
    """The visibility axis: bump and malloc per variant, relative to the default build."""
    rows = S.pick(METRIC["step_ns"], workload=WORKLOAD["rk4"], malloc_lib=DEFAULT_LIB, headline=True)
    variants = {r["variant"] for r in rows}
    if len(variants) < 2:
        return None
    t = {(r["compiler"], r["case"], r["impl"], r["variant"], r["nn"]): r["v"] for r in rows}
    head = ["compiler", "impl", "variant", "points", "time / default (geometric mean)"]
    out = []
    for cc in ordered([k[0] for k in t], COMPILERS):
        for impl in ordered([k[2] for k in t if k[0] == cc], list(IMPL_STYLE)):
            for v in ordered([k[3] for k in t if k[0] == cc and k[2] == impl], ["default", "noinline", "nobuiltin", "lto"]):
                if v == DEFAULT_VARIANT:
                    continue
                rs = [val / t[(c, case, i, DEFAULT_VARIANT, n)] for (c, case, i, vv, n), val in t.items()
                      if (c, i, vv) == (cc, impl, v) and (c, case, i, DEFAULT_VARIANT, n) in t]
                if rs:
                    out.append([cc, impl, v, str(len(rs)), fmt_x(gmean(rs))])
    return (head, out) if out else None


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
    return (["workload", "case", "n", "impl", "compiler", "variant", "malloc", "message"],
            [[r["workload"], r["case"], r["n"], r["impl"], r["compiler"], r["variant"], r["malloc_lib"], r["note"]]
             for r in f])


#~ The report: blocks rendered to Markdown and HTML

def machine_lines(meta):
    m, g = meta.get("machine", {}), meta.get("git", {})
    mem = m.get("memory_kib")
    out = [("CPU", f"{m.get('cpu_model', '?')}, {m.get('cores', '?')} cores"),
           ("memory", f"{mem / 1024 / 1024:.1f} GiB" if isinstance(mem, (int, float)) else "?"),
           ("system", f"{m.get('os', '?')}, kernel {m.get('kernel', '?')}"),
           ("transparent huge pages", m.get("transparent_hugepage", "?"))]
    for cc, c in meta.get("compilers", {}).items():
        flags = c.get("flags", {}).get("default", "")
        out.append((cc, c.get("version", "?") + (f" — `{flags}`" if flags else "")))
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
        return sorted({r[field] for r in S.rows if r[field] and (wl is None or r["workload"] == wl)},
                      key=lambda v: (num(v) is None, num(v) or 0, v))
    out = []
    for wl in sorted({r["workload"] for r in S.rows}):
        cases, ns, impls = vals("case", wl), vals("n", wl), vals("impl", wl)
        out.append(f"**{wl}**: cases {', '.join(cases)}; n {', '.join(ns)}; impl {', '.join(impls)}")
    out.append(f"compilers {', '.join(vals('compiler'))}; variants {', '.join(vals('variant'))}; "
               f"malloc libraries {', '.join(vals('malloc_lib'))}")
    found = meta.get("malloc_libs_found", {})
    absent = [lib for lib, ok in found.items() if not ok]
    if absent:
        out.append(f"not installed on this machine, so not measured: {', '.join(absent)}")
    for s in meta.get("skipped", []):
        out.append(f"skipped by the harness: {s}")
    out.append(f"{len(S.rows)} rows in {FILES['summary'][0]}; {len(S.failed())} failed checks")
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
    S = Summary(read_table(run, "summary", M.level_of(meta)))
    fold, vec, asm = read_table(run, "fold"), read_table(run, "vec"), read_table(run, "asm")
    figdir = os.path.join(outdir, "figures")
    os.makedirs(figdir, exist_ok=True)
    caption = caption_of(meta)
    figs = [fig_rk4_time(S), fig_rk4_speedup(S, meta), fig_instructions(S), fig_physics(S), fig_growth(S),
            fig_vectorization(vec), fig_fold(fold)]
    R = Report()
    g = meta.get("git", {})
    R.h(1, f"secondstack — run {os.path.basename(os.path.realpath(run))} (commit {g.get('short', '?')}"
           f"{', dirty' if g.get('dirty') else ''}, {meta.get('date_utc', '?')})")
    R.h(2, "The question")
    R.p(QUESTION)
    R.h(2, "The machine")
    R.ul([f"{k}: {v}" for k, v in machine_lines(meta)])
    R.h(2, "The matrix")
    R.ul(matrix_lines(S, meta))
    failed = table_failed(S)
    R.h(2, "Failed checks")
    if failed:
        R.p(f"{len(failed[1])} measurement(s) failed their correctness check and were not timed; they are "
            "absent from the figures.")
        R.table(failed)
    else:
        R.p("None: every measured implementation passed its check.")
    R.h(2, "Figures")
    written = []
    for k, fig in enumerate(figs, 1):
        R.h(3, f"Figure {k}. {fig.title}")
        if isinstance(fig, Skipped):
            R.p(f"**Not drawn**: {fig.why}.")
            continue
        outs = render(fig, figdir, caption, gnuplot)
        written += outs
        R.img(f"figures/{fig.name}.png", fig.title)
        R.p(" ".join(fig.text) if fig.text else "(Too few paired points for a summary.)")
        for n in fig.notes:
            R.p(f"*Note*: {n}")
        R.p(f"Vector version: [figures/{fig.name}.svg](figures/{fig.name}.svg); data: `figures/data/{fig.name}_*.dat`.")
    R.h(2, "Tables")
    for title, t, none in (
            ("The fold-to-constant matrix", table_fold(fold), f"no {FILES['fold'][0]} in this run"),
            ("Vectorization", table_vec(vec), f"no {FILES['vec'][0]} in this run"),
            ("Assembly of the hot functions", table_asm(asm), f"no {FILES['asm'][0]} in this run"),
            ("The visibility axis (RK4, geometric mean over problems and n)", table_variants(S),
             "only the default build in this run"),
            ("RK4 cases beside the headline", table_cases(S), "no fnptr or full-trajectory cases in this run"),
            ("Region growth at the largest fill", table_growth(S), "no growth rows in this run"),
            ("Allocation microbenchmark (8 blocks per round)", table_alloc(S), "no alloc rows in this run")):
        R.h(3, title)
        if t:
            R.table(t)
        else:
            R.p(f"Not available: {none}.")
    R.h(2, "Reproduce")
    R.code("\n".join([f"git checkout {g.get('commit', 'COMMIT')}",
                      f"make bench MODE={meta.get('mode', 'quick')}        # writes results/<UTC-time>-<commit>/",
                      "PYTHONPATH=harness python3 -m evidence.fold --out results/latest   # fold.csv alone",
                      "make figures RUN=results/latest   # these figures and this report"]))
    with open(os.path.join(outdir, "report.md"), "w") as f:
        f.write(R.markdown())
    with open(os.path.join(outdir, "report.html"), "w") as f:
        f.write(R.html(f"secondstack run {os.path.basename(os.path.realpath(run))}"))
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
    except FigureError as e:
        print(f"figures: {e}", file=sys.stderr)
        return 2
    for fig in figs:
        if isinstance(fig, Skipped):
            print(f"figures: notice: {fig.name} not drawn: {fig.why}")
    print(f"figures: wrote {len(written)} files into {os.path.abspath(out or run)} (report.md, report.html, figures/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
