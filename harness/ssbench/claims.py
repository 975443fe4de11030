"""The claim rule and the controls, on the ratio rows of a run (ssbench.ratios).

Controls, measured by the run at a few RK4 points beside bump:
    aa_control   the same binary measured as a second implementation: its ratio to bump is 1 by
                 construction, so its 95 % interval should cover 1 about 96 % of the time
                 (9 against 9 repetitions); how often it does is the in-run A/A check
    aa_layout    the same source linked with another function order: its ratio to bump is the
                 effect of code layout alone, which no allocator deserves credit for

The claim rule. A ratio a/b (ci_low, ci_high its 95 % interval) supports a claim — "b is
faster than a" or "b is slower than a" — only where
    1. the interval excludes 1 (ci_high < 1 or ci_low > 1), and
    2. the effect exceeds the layout control's: |ln(value)| > tau, where tau is the largest
       |ln(value)| of the aa_layout/bump rows of the same compiler and level (of all the run's
       layout rows where that compiler and level has none; tau = 0, and the report says so,
       where the run has no layout control).
Otherwise the verdict says which condition failed. A ratio without an interval (too few
repetitions) supports no claim.
"""
import math

CONTROL, LAYOUT, REFERENCE = "aa_control", "aa_layout", "bump"
FASTER, SLOWER = "faster", "slower"
COVERS_ONE, WITHIN_LAYOUT, NO_INTERVAL = "interval covers 1", "within the layout effect", "no interval"


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def ratio_of(r):
    """(value, low, high) of a ratio row, numbers or None."""
    return num(r.get("value")), num(r.get("ci_low")), num(r.get("ci_high"))


def is_control(r, control):
    return r.get("metric") == "ratio" and r.get("impl") == f"{control}/{REFERENCE}"


class Floor:
    """The layout effect tau per (compiler, level), and over the whole run."""

    def __init__(self, rows):
        self.by, self.all = {}, []
        for r in rows:
            if is_control(r, LAYOUT) and r.get("tool", "gbench") == "gbench":
                v = num(r.get("value"))
                if v and v > 0:
                    self.by.setdefault((r.get("compiler", ""), r.get("level", "")), []).append(abs(math.log(v)))
                    self.all.append(abs(math.log(v)))

    @property
    def present(self):
        return bool(self.all)

    def tau(self, compiler, level):
        xs = self.by.get((compiler, level)) or self.all
        return max(xs) if xs else 0.0


def verdict(r, floor):
    """FASTER (b is faster: a/b above 1), SLOWER, or why there is no claim."""
    v, lo, hi = ratio_of(r)
    if v is None or lo is None or hi is None or v <= 0:
        return NO_INTERVAL
    if lo <= 1 <= hi:
        return COVERS_ONE
    if abs(math.log(v)) <= floor.tau(r.get("compiler", ""), r.get("level", "")):
        return WITHIN_LAYOUT
    return FASTER if lo > 1 else SLOWER


def aa_coverage(rows):
    """(intervals of the in-run A/A that cover 1, A/A intervals) over aa_control/bump rows."""
    cover = total = 0
    for r in rows:
        if is_control(r, CONTROL):
            v, lo, hi = ratio_of(r)
            if lo is not None and hi is not None:
                total += 1
                cover += lo <= 1 <= hi
    return cover, total
