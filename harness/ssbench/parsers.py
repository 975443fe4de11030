"""The tools' raw outputs into summary rows: google-benchmark JSON, hyperfine JSON, callgrind
output and callgrind_annotate text, bench_growth's CSVs. Tested on recorded inputs in
tests/harness/.

Beside each google-benchmark and hyperfine JSON file the parser writes its index,
<file>.keys.csv: for every benchmark of the file, its name and the summary columns it was
recorded under (the context the job gave, and what the name says). The per-repetition times
stay in the raw file; ssbench.ratios and ssbench.compare read them through the index.
"""
import csv
import glob
import gzip
import json
import os
import re
import statistics

from ssbench import stats
from ssbench.results import KEY, ParseError, failed, row

TIME_UNITS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
# google-benchmark user counters: counter -> (metric, unit); `n` is the n column already
COUNTERS = {"time_per_step": ("time_per_step", "s"), "minor_faults": ("minor_faults_per_iteration", "count"),
            "steps": ("steps_per_iteration", "count"), "contacts": ("contacts", "count"), "n": None}
# what a JSON entry holds besides the user counters
GBENCH_FIELDS = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "iterations",
                 "real_time", "cpu_time", "time_unit", "family_index", "per_family_instance_index",
                 "aggregate_name", "aggregate_unit", "items_per_second", "bytes_per_second", "label",
                 "error_occurred", "error_message"}


def fmt(v, digits=6):
    return "" if v is None else f"{v:.{digits}g}"


def sample_stats(xs):
    """(median, spread = IQR, ci_low, ci_high) of one sample, formatted for a row."""
    ci = stats.median_ci(xs)
    return (fmt(stats.median(xs)), fmt(stats.iqr(xs), 4), fmt(ci[0]) if ci else "", fmt(ci[1]) if ci else "")


def sample_row(ctx, metric, xs, unit, tool):
    med, spread, lo, hi = sample_stats(xs)
    return row(ctx, metric, med, unit, len(xs), spread, ci_low=lo, ci_high=hi, tool=tool)


#~ Raw files and the index beside each

def raw_files(run_dir, tool):
    """The raw JSON files of a tool (gbench, hyperfine) in a run folder: plain (.json, as a run
    writes them) or compressed (.json.gz, as ssbench.publish commits them)."""
    d = os.path.join(run_dir, tool)
    return sorted(glob.glob(os.path.join(d, "*.json")) + glob.glob(os.path.join(d, "*.json.gz")))


def raw_name(raw):
    """A raw file's name without .json or .json.gz: the same for both forms of one file."""
    base = os.path.basename(raw)
    return base[:-len(".json.gz")] if base.endswith(".json.gz") else os.path.splitext(base)[0]


def open_raw(raw):
    """A raw JSON file opened for reading as text, compressed or not."""
    return gzip.open(raw, "rt") if raw.endswith(".gz") else open(raw)


def keys_path(raw):
    return os.path.join(os.path.dirname(raw), raw_name(raw) + ".keys.csv")


def write_keys(raw, entries):
    """<raw>.keys.csv: one row per benchmark of the raw file (name, then the KEY columns)."""
    with open(keys_path(raw), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["name"] + KEY, restval="", extrasaction="ignore")
        w.writeheader()
        w.writerows(entries)


def read_keys(raw):
    """{benchmark name: {KEY column: value}} of a raw file's index; None without one (a run
    folder written before indexes)."""
    p = keys_path(raw)
    if not os.path.exists(p):
        return None
    with open(p, newline="") as f:
        rd = csv.DictReader(f)
        if "name" not in (rd.fieldnames or []):
            raise ParseError(f"{p}: no 'name' column: not an index of {os.path.basename(raw)}")
        return {r["name"]: {c: r.get(c, "") or "" for c in KEY} for r in rd}


#~ google-benchmark

def gbench_name_columns(run_name):
    """The columns a google-benchmark name of the suite carries beyond impl and n:
    rk4/<problem>/<impl>/<call>/<mode>/<n> gives case, call and mode; physics/<engine>/<scene>/
    <impl>/<n> gives case and engine (the older physics/<scene>/<impl>/<n>: engine loop)."""
    parts = run_name.split("/iterations:")[0].split("/")
    if parts[0] == "rk4" and len(parts) == 6 and parts[3] in ("static", "fnptr") and parts[4] in ("final", "full"):
        return {"case": parts[1], "call": parts[3], "mode": parts[4]}
    if parts[0] == "physics" and len(parts) == 5:
        return {"engine": parts[1], "case": parts[2]}
    if parts[0] == "physics" and len(parts) == 4:
        return {"engine": "loop", "case": parts[1]}
    return {}


def load_raw_json(path, what):
    """A raw JSON file (plain or .json.gz) loaded; a file that is not JSON is a ParseError naming `what`."""
    with open_raw(path) as f:
        try:
            return json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as e:
            raise ParseError(f"{path}: not {what} JSON: {e}") from e


def load_gbench(path):
    data = load_raw_json(path, "google-benchmark")
    if not isinstance(data, dict) or "benchmarks" not in data:
        raise ParseError(f"{path}: no 'benchmarks' array")
    return data


def gbench_groups(data):
    """{run name: [entries]} in the file's order."""
    groups = {}
    for b in data["benchmarks"]:
        groups.setdefault(b.get("run_name", b["name"]), []).append(b)
    return groups


def gbench_repetitions(entries):
    """The per-repetition entries of one benchmark (run_type iteration)."""
    return [e for e in entries if e.get("run_type", "iteration") == "iteration" and not e.get("error_occurred")]


def per_step_ns(e):
    """CPU time per step of one repetition, ns: per iteration, divided by the steps an
    iteration makes (the `steps` counter; a physics or allocation iteration is one step)."""
    return e["cpu_time"] * TIME_UNITS[e.get("time_unit", "ns")] / float(e.get("steps", 1) or 1)


def gbench_rows(path, ctx, name_fields):
    """Rows from a google-benchmark JSON file (--benchmark_out_format=json) run with
    repetitions, computed from the per-repetition entries: per benchmark, the median real
    and CPU time per iteration (ns), `ns_per_step` (CPU time per step: on a shared machine the
    time the process waited for a core is not the workload's), for physics `steps_per_second`,
    the mean and cv of the real time, items per second and every user counter. Medians carry
    the IQR as spread and the 95 % interval of the median. Writes the file's index.

    name_fields(run_name) -> dict of impl/workload/case/n for the row, or None to skip;
    call, mode, engine and the problem or scene are read from the name (gbench_name_columns)."""
    data = load_gbench(path)
    rows, index = [], []
    for run_name, entries in gbench_groups(data).items():
        fields = name_fields(run_name)
        if fields is None:
            continue
        c = dict(ctx, **fields)
        c.update(gbench_name_columns(run_name))
        index.append(dict(c, name=run_name))
        bad = [e for e in entries if e.get("error_occurred")]
        if bad:
            rows.append(failed(c, bad[0].get("error_message", "error"), "gbench"))
            continue
        reps = gbench_repetitions(entries)
        if not reps:
            raise ParseError(f"{path}: {run_name} has no repetitions (run with --benchmark_report_aggregates_only=false)")
        scale = TIME_UNITS[reps[0].get("time_unit", "ns")]
        real = [e["real_time"] * scale for e in reps]
        cpu = [e["cpu_time"] * scale for e in reps]
        step = [per_step_ns(e) for e in reps]
        k = len(reps)
        rows.append(sample_row(c, "time_median", real, "ns", "gbench"))
        mean = sum(real) / k
        sd = statistics.stdev(real) if k > 1 else 0.0
        rows.append(row(c, "time_mean", fmt(mean), "ns", k, fmt(stats.iqr(real), 4), tool="gbench"))
        rows.append(row(c, "time_cv", fmt(sd / mean if mean else None, 4), "ratio", k, tool="gbench"))
        rows.append(sample_row(c, "cpu_time_median", cpu, "ns", "gbench"))
        if c.get("workload") in ("rk4", "physics"):
            rows.append(sample_row(c, "ns_per_step", step, "ns", "gbench"))
            if c.get("workload") == "physics" and all(v > 0 for v in step):
                rows.append(sample_row(c, "steps_per_second", [1e9 / v for v in step], "1/s", "gbench"))
        if all("items_per_second" in e for e in reps):
            rows.append(sample_row(c, "items_per_second", [e["items_per_second"] for e in reps], "1/s", "gbench"))
        for name in sorted({k2 for e in reps for k2, v in e.items()
                            if k2 not in GBENCH_FIELDS and isinstance(v, (int, float))}):
            if name in COUNTERS and COUNTERS[name] is None:
                continue
            metric, unit = COUNTERS.get(name) or (name, "counter")
            rows.append(sample_row(c, metric, [float(e.get(name, 0)) for e in reps], unit, "gbench"))
    write_keys(path, index)
    return rows


#~ hyperfine

def load_hyperfine(path):
    data = load_raw_json(path, "hyperfine")
    res = data.get("results") if isinstance(data, dict) else None
    if not res:
        raise ParseError(f"{path}: no 'results'")
    return res[0]


def hyperfine_rows(path, ctx):
    """Rows from hyperfine --export-json: the wall-clock median (s) of the runs with its IQR
    and 95 % interval, the mean, min and max, the user and system CPU time (means). Writes the
    file's index."""
    r = load_hyperfine(path)
    write_keys(path, [dict(ctx, name="")])
    if any(code != 0 for code in (r.get("exit_codes") or [])):
        return [failed(ctx, "non-zero exit", "hyperfine")]
    times = [float(t) for t in r.get("times") or []] or [float(r["median"])]
    k = len(times)
    out = [sample_row(ctx, "wall_median", times, "s", "hyperfine"),
           row(ctx, "wall_mean", fmt(r["mean"]), "s", k, fmt(stats.iqr(times), 4), tool="hyperfine"),
           row(ctx, "wall_min", fmt(r["min"]), "s", k, tool="hyperfine"),
           row(ctx, "wall_max", fmt(r["max"]), "s", k, tool="hyperfine")]
    for key, metric in (("user", "user_mean"), ("system", "system_mean")):
        if isinstance(r.get(key), (int, float)):
            out.append(row(ctx, metric, fmt(r[key]), "s", k, tool="hyperfine"))
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


def growth_rows(fill_csv, steps_csv, ctx):
    """Rows from bench_growth's CSVs: per strategy and THP setting, medians over the runs of
    the fill time, minor faults, peak RSS and the Committed_AS change; per THP setting, the
    median cost of a growth step (fault-driven) and of an ordinary page fault (reserve-all
    takes only those). Spread: the IQR of the runs; an interval where there are enough runs."""
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
        rows.append(sample_row(c, "fill_seconds", secs, "s", "bench_growth"))
        for col, metric, unit in (("minflt", "minor_faults", "count"), ("peak_rss_kib", "peak_rss", "KiB"),
                                  ("committed_as_delta_kib", "committed_as", "KiB")):
            vals = [float(r[col]) for r in rs]
            rows.append(sample_row(c, metric, vals, unit, "bench_growth"))
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
        rows.append(sample_row(c, "ns_per_growth_step", vals, "ns", "bench_growth"))
    return rows
