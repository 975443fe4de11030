"""The run folder's contract: summary.csv (one tidy row of COLUMNS per measurement) and its
one writer, Summary; write_csv for the other tables of a run folder (each written by its
own module: evidence/, perfcheck).
"""
import csv
import os

COLUMNS = ["impl", "workload", "case", "n", "compiler", "variant", "malloc_lib", "metric", "value", "unit",
           "repetitions", "spread", "tool"]


class ParseError(ValueError):
    """A file that is not what its reader expects: the message names the file."""


def row(ctx, metric, value, unit, repetitions="", spread="", **over):
    r = {c: "" for c in COLUMNS}
    r.update({k: v for k, v in ctx.items() if k in COLUMNS})
    r.update(over)
    r.update(metric=metric, value=value, unit=unit, repetitions=repetitions, spread=spread)
    return r


class Summary:
    """d/summary.csv, appended and flushed row by row so that an interrupted run keeps what
    it measured (append=False starts it afresh)."""

    def __init__(self, d, append=True):
        self.path = os.path.join(d, "summary.csv")
        new = not append or not os.path.exists(self.path)
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


def read_summary(path, required=COLUMNS):
    with open(path, newline="") as f:
        rd = csv.DictReader(f)
        missing = [c for c in required if c not in (rd.fieldnames or [])]
        if missing:
            raise ParseError(f"{path}: missing column(s) {', '.join(missing)}")
        return list(rd)
