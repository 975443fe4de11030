"""The run folder's contract: summary.csv (one tidy row of COLUMNS per measurement) and its
one writer, Summary; write_csv for the other tables of a run folder (each written by its
own module: evidence/, perfcheck). docs/harness.md defines every column, metric and unit.

    impl workload case call mode engine n compiler level variant malloc_lib   what was measured
    metric function value unit repetitions spread ci_low ci_high              the measurement
    check tool note                                                           its status and source

`value` is a number or empty (never a word); `check` is ok or failed on every row of a case; a
failed case is one row, metric `check`, value empty, its message in `note`.
"""
import csv
import os

# the columns that say what was measured (a ratio row names its two sides in one of them: a/b)
KEY = ["impl", "workload", "case", "call", "mode", "engine", "n", "compiler", "level", "variant", "malloc_lib"]
COLUMNS = KEY + ["metric", "function", "value", "unit", "repetitions", "spread", "ci_low", "ci_high", "check",
                 "tool", "note"]
CHECK_OK, CHECK_FAILED = "ok", "failed"


class ParseError(ValueError):
    """A file that is not what its reader expects: the message names the file."""


def _is_number(v):
    if isinstance(v, (int, float)):
        return True
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def row(ctx, metric, value, unit, repetitions="", spread="", **over):
    """One summary row: the context's columns, then the measurement. Older call forms are
    understood, so a caller need not change: `row(ctx, "check", "failed", "", spread=message)`
    is the failed-case row (check=failed, value empty, the message in note), a check row with
    value "ok" is a passed check, and a metric "name:function" is metric name of that function."""
    r = {c: "" for c in COLUMNS}
    r.update({k: v for k, v in ctx.items() if k in COLUMNS})
    r.update(over)
    if ":" in metric and not r["function"]:
        metric, r["function"] = metric.split(":", 1)
    r.update(metric=metric, value=value, unit=unit, repetitions=repetitions, spread=spread)
    if metric == "check" and value in (CHECK_OK, CHECK_FAILED):
        r["check"], r["value"], r["unit"] = value, "", ""
        if spread != "" and not _is_number(spread):
            r["note"], r["spread"] = r["note"] or str(spread), ""
    if not r["check"]:
        r["check"] = CHECK_OK
    for c in ("value", "spread", "ci_low", "ci_high"):
        if r[c] not in ("", None) and not _is_number(r[c]):
            raise ParseError(f"summary row {metric}: {c} {r[c]!r} is not a number")
        if r[c] is None:
            r[c] = ""
    return r


def failed(ctx, message, tool):
    """The one row of a case that failed its check: never timed."""
    return row(ctx, "check", "", "", check=CHECK_FAILED, note=message, tool=tool)


def key_of(r):
    """The identity of a row's measurement: its KEY columns, metric and function."""
    return tuple(r.get(c, "") for c in KEY) + (r.get("metric", ""), r.get("function", ""))


class Summary:
    """d/summary.csv, appended and flushed row by row so that an interrupted run keeps what
    it measured (append=False starts it afresh)."""

    def __init__(self, d, append=True):
        self.path = os.path.join(d, "summary.csv")
        new = not append or not os.path.exists(self.path)
        if not new:
            with open(self.path, newline="") as f:
                head = next(csv.reader(f), None)
            if head != COLUMNS:
                raise ParseError(f"{self.path}: written with other columns ({','.join(head or [])}): "
                                 f"cannot append rows of this schema")
        self.f = open(self.path, "a" if append else "w", newline="")
        self.w = csv.DictWriter(self.f, fieldnames=COLUMNS)
        if new:
            self.w.writeheader()
            self.f.flush()

    def add(self, rows):
        for r in rows:
            self.w.writerow(r)
        self.f.flush()
        os.fsync(self.f.fileno())

    def close(self):
        self.f.close()


def write_csv(path, fields, rows):
    """A CSV of the run folder: a header, then the rows (missing fields left empty)."""
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, restval="")
        w.writeheader()
        w.writerows(rows)


def replace_summary(d, rows):
    """Rewrites d/summary.csv with rows (written beside it, then renamed: never half-written)."""
    tmp = os.path.join(d, "summary.csv.tmp")
    write_csv(tmp, COLUMNS, rows)
    os.replace(tmp, os.path.join(d, "summary.csv"))


#~ Reading, older run folders included

# the columns of the first summary.csv (before call/mode/engine/level, the interval and check)
OLD_COLUMNS = ["impl", "workload", "case", "n", "compiler", "variant", "malloc_lib", "metric", "value", "unit",
               "repetitions", "spread", "tool"]
OLD_COUNTER = {"time_per_step": ("time_per_step", "s"), "minor_faults": ("minor_faults_per_iteration", "count"),
               "steps": ("steps_per_iteration", "count"), "contacts": ("contacts", "count")}


def upgrade(r, level=""):
    """A row of the first schema in this one: +fnptr/+traj case suffixes become call and mode,
    instructions:<fn> becomes metric and function, the check's word leaves the value column,
    user counters get their units, the level is the run's (from its meta.json, if known). Its
    spread (a standard deviation then) is dropped: it is not this schema's spread."""
    out = {c: "" for c in COLUMNS}
    out.update({c: r.get(c, "") for c in OLD_COLUMNS})
    case = out["case"]
    if out["workload"] == "rk4":
        out["call"] = "fnptr" if "+fnptr" in case else "static"
        out["mode"] = "full" if "+traj" in case else "final"
        out["case"] = case.replace("+fnptr", "").replace("+traj", "")
    elif out["workload"] == "physics":
        out["engine"] = "loop"
    out["level"] = level
    out["spread"] = ""
    m = out["metric"]
    if ":" in m:
        out["metric"], out["function"] = m.split(":", 1)
    elif m == "check":
        out["check"], out["value"] = out["value"], ""
        out["note"] = r.get("spread", "")
    elif out["unit"] == "per_iteration" and m in OLD_COUNTER:
        out["metric"], out["unit"] = OLD_COUNTER[m]
    if not out["check"]:
        out["check"] = CHECK_OK
    return out


def first_schema(fieldnames):
    """Whether a summary.csv header is the first schema's (read_summary upgrades it)."""
    return set(OLD_COLUMNS) <= set(fieldnames or []) and "check" not in (fieldnames or [])


def read_summary(path, required=COLUMNS, level=""):
    """The rows of a summary.csv; one of the first schema is upgraded (upgrade(); `level`: the
    run's optimisation level, which that schema did not record). A file with neither schema's
    columns is an error naming the columns missing."""
    with open(path, newline="") as f:
        rd = csv.DictReader(f)
        have = rd.fieldnames or []
        rows = list(rd)
    if first_schema(have):
        return [upgrade(r, level) for r in rows]
    missing = [c for c in required if c not in have]
    if missing:
        raise ParseError(f"{path}: missing column(s) {', '.join(missing)}")
    return rows
