"""The tools' raw outputs into summary rows: google-benchmark JSON, hyperfine JSON, callgrind
output and callgrind_annotate text, bench_growth's CSVs. Tested on recorded inputs in
tests/harness/.
"""
import csv
import json
import re

from ssbench.results import COLUMNS, ParseError, row

TIME_UNITS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


#~ google-benchmark

def gbench_rows(path, ctx, name_fields):
    """Rows from a google-benchmark JSON file (--benchmark_out_format=json) run with
    repetitions: per benchmark, the median, mean, stddev and cv of the real time per
    iteration (ns), items per second and every user counter (medians).

    name_fields(run_name) -> dict of impl/workload/case/n for the row, or None to skip."""
    with open(path) as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ParseError(f"{path}: not google-benchmark JSON: {e}") from e
    if "benchmarks" not in data:
        raise ParseError(f"{path}: no 'benchmarks' array")
    groups = {}
    for b in data["benchmarks"]:
        groups.setdefault(b.get("run_name", b["name"]), []).append(b)
    rows = []
    for run_name, entries in groups.items():
        fields = name_fields(run_name)
        if fields is None:
            continue
        c = dict(ctx, **fields)
        failed = [e for e in entries if e.get("error_occurred")]
        if failed:
            rows.append(row(c, "check", "failed", "", spread=failed[0].get("error_message", ""), tool="gbench"))
            continue
        agg = {e["aggregate_name"]: e for e in entries if e.get("run_type") == "aggregate"}
        if "median" not in agg:
            raise ParseError(f"{path}: {run_name} has no median aggregate (run with --benchmark_repetitions >= 2)")
        reps = agg["median"].get("repetitions", len([e for e in entries if e.get("run_type") == "iteration"]))
        scale = TIME_UNITS[agg["median"].get("time_unit", "ns")]
        med, mean = agg["median"]["real_time"] * scale, agg["mean"]["real_time"] * scale
        sd = agg["stddev"]["real_time"] * scale
        cv = agg["cv"]["real_time"] if "cv" in agg else (sd / mean if mean else 0.0)
        rows.append(row(c, "check", "ok", "", tool="gbench"))
        rows.append(row(c, "time_median", f"{med:.6g}", "ns", reps, f"{sd:.4g}", tool="gbench"))
        rows.append(row(c, "time_mean", f"{mean:.6g}", "ns", reps, f"{sd:.4g}", tool="gbench"))
        rows.append(row(c, "time_stddev", f"{sd:.6g}", "ns", reps, tool="gbench"))
        rows.append(row(c, "time_cv", f"{cv:.4g}", "ratio", reps, tool="gbench"))
        cpu = agg["median"]["cpu_time"] * scale
        rows.append(row(c, "cpu_time_median", f"{cpu:.6g}", "ns", reps, f"{agg['stddev']['cpu_time'] * scale:.4g}",
                        tool="gbench"))
        if "items_per_second" in agg["median"]:
            rows.append(row(c, "items_per_second", f"{agg['median']['items_per_second']:.6g}", "1/s", reps,
                            f"{agg['stddev'].get('items_per_second', 0):.4g}", tool="gbench"))
        known = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "iterations",
                 "real_time", "cpu_time", "time_unit", "family_index", "per_family_instance_index",
                 "aggregate_name", "aggregate_unit", "items_per_second", "bytes_per_second", "label",
                 "error_occurred", "error_message"}
        for k, v in agg["median"].items():
            if k not in known and isinstance(v, (int, float)):
                rows.append(row(c, k, f"{v:.6g}", "per_iteration", reps, f"{agg['stddev'].get(k, 0):.4g}",
                                tool="gbench"))
    return rows


def derive_per_step(rows):
    """Adds ns_per_step (CPU time: on a shared machine the time the process was not running is
    not the workload's) and, for physics, steps_per_second. An RK4 iteration is `steps` steps
    (its counter); a physics iteration is one step."""
    out = list(rows)
    keyf = lambda r: tuple(r[c] for c in COLUMNS if c not in ("metric", "value", "unit", "repetitions", "spread", "tool"))
    by = {}
    for r in rows:
        by.setdefault(keyf(r), {})[r["metric"]] = r
    for k, ms in by.items():
        cpu = ms.get("cpu_time_median")
        if cpu is None or cpu["workload"] not in ("rk4", "physics"):
            continue
        steps = float(ms["steps"]["value"]) if "steps" in ms else 1.0
        ctx = dict(cpu)
        v, sd = float(cpu["value"]) / steps, float(cpu["spread"] or 0) / steps
        out.append(row(ctx, "ns_per_step", f"{v:.6g}", "ns", cpu["repetitions"], f"{sd:.4g}", tool="gbench"))
        if cpu["workload"] == "physics" and v > 0:
            out.append(row(ctx, "steps_per_second", f"{1e9 / v:.6g}", "1/s", cpu["repetitions"],
                           f"{1e9 * sd / (v * v):.4g}", tool="gbench"))
    return out


#~ hyperfine

def hyperfine_rows(path, ctx):
    """Rows from hyperfine --export-json: wall-clock median (s) with stddev, mean, min, max."""
    with open(path) as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ParseError(f"{path}: not hyperfine JSON: {e}") from e
    res = data.get("results")
    if not res:
        raise ParseError(f"{path}: no 'results'")
    r = res[0]
    runs = len(r.get("times", [])) or ""
    if any(code != 0 for code in (r.get("exit_codes") or [])):
        return [row(ctx, "check", "failed", "", spread="non-zero exit", tool="hyperfine")]
    sd = r.get("stddev") or 0.0
    out = [row(ctx, "wall_median", f"{r['median']:.6g}", "s", runs, f"{sd:.4g}", tool="hyperfine"),
           row(ctx, "wall_mean", f"{r['mean']:.6g}", "s", runs, f"{sd:.4g}", tool="hyperfine"),
           row(ctx, "wall_min", f"{r['min']:.6g}", "s", runs, tool="hyperfine"),
           row(ctx, "wall_max", f"{r['max']:.6g}", "s", runs, tool="hyperfine")]
    return out


#~ callgrind

def callgrind_total(path):
    """The instruction count (Ir) a callgrind output file records in its totals/summary."""
    with open(path) as f:
        text = f.read()
    events = re.search(r"^events:\s*(.+)$", text, re.M)
    m = re.search(r"^(?:totals|summary):\s*([\d ]+)$", text, re.M)
    if not events or not m:
        raise ParseError(f"{path}: no 'events:' and 'totals:'/'summary:' lines: not a callgrind output")
    names = events.group(1).split()
    values = [int(v) for v in m.group(1).split()]
    if "Ir" not in names:
        raise ParseError(f"{path}: no Ir event")
    return values[names.index("Ir")]


def parse_callgrind_annotate(text):
    """{function: Ir} from `callgrind_annotate --inclusive=no` output (self cost)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+(?:\([\s\d.]+%\)\s+)?(?:\S*:)?(\S.*?)(?:\s+\[[^\]]*\])?\s*$", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        name = m.group(2)
        if name.startswith(("file:function", "Ir")):
            continue
        try:
            out[name] = out.get(name, 0) + int(m.group(1).replace(",", ""))
        except ValueError:
            continue
    return out


#~ bench_growth (growth_fill.csv, growth_steps.csv)

GROWTH_IMPL = {"reserve-all": "reserve", "fault-driven": "grow", "realloc-doubling": "realloc",
               "copy-doubling": "copy", "plain-mmap": "mmap"}


def _median(xs):
    xs = sorted(xs)
    k = len(xs)
    return (xs[k // 2] if k % 2 else (xs[k // 2 - 1] + xs[k // 2]) / 2) if k else 0.0


def _stddev(xs):
    if len(xs) < 2:
        return 0.0
    m = sum(xs) / len(xs)
    return (sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) ** 0.5


def growth_rows(fill_csv, steps_csv, ctx):
    """Rows from bench_growth's CSVs: per strategy and THP setting, medians over the runs of
    the fill time, minor faults, peak RSS and the Committed_AS change; per THP setting, the
    median cost of a growth step (fault-driven) and of an ordinary page fault (reserve-all
    takes only those)."""
    need = ["strategy", "thp", "bytes", "seconds", "minflt", "peak_rss_kib", "committed_as_delta_kib"]
    with open(fill_csv, newline="") as f:
        rd = csv.DictReader(f)
        miss = [c for c in need if c not in (rd.fieldnames or [])]
        if miss:
            raise ParseError(f"{fill_csv}: missing column(s) {', '.join(miss)}")
        runs = list(rd)
    groups = {}
    for r in runs:
        groups.setdefault((r["strategy"], r["thp"], r["bytes"]), []).append(r)
    rows = []
    for (strategy, thp, nbytes), rs in groups.items():
        c = dict(ctx, impl=GROWTH_IMPL.get(strategy, strategy), workload="growth", case=f"thp-{thp}", n=nbytes)
        secs = [float(r["seconds"]) for r in rs]
        rows.append(row(c, "fill_seconds", f"{_median(secs):.6g}", "s", len(rs), f"{_stddev(secs):.4g}",
                        tool="bench_growth"))
        for col, metric, unit in (("minflt", "minor_faults", "count"), ("peak_rss_kib", "peak_rss", "KiB"),
                                  ("committed_as_delta_kib", "committed_as", "KiB")):
            vals = [float(r[col]) for r in rs]
            rows.append(row(c, metric, f"{_median(vals):.6g}", unit, len(rs), f"{_stddev(vals):.4g}",
                            tool="bench_growth"))
    with open(steps_csv, newline="") as f:
        steps = list(csv.DictReader(f))
    by = {}
    for r in steps:
        if r.get("what") in ("step_median", "fault_4k_median", "fault_2m_median"):
            by.setdefault((r["thp"], r["bytes"], r["what"]), []).append(float(r["ns"]))
    for (thp, nbytes, what), vals in by.items():
        if what == "step_median":
            impl = "grow"
        elif (what == "fault_4k_median") == (thp == "off"):
            impl = "reserve"  # an ordinary page fault of the size THP gives
        else:
            continue
        c = dict(ctx, impl=impl, workload="growth", case=f"thp-{thp}", n=nbytes)
        rows.append(row(c, "ns_per_growth_step", f"{_median(vals):.6g}", "ns", len(vals), f"{_stddev(vals):.4g}",
                        tool="bench_growth"))
    return rows
