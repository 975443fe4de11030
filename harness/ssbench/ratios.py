"""python3 -m ssbench.ratios RUN_DIR — the ratio rows of a finished run folder, with their 95 %
intervals, added to its summary.csv (rows of an earlier pass replaced: it can be rerun).

A ratio row says a/b: the time of a over the time of b, everything else the same. It has
metric `ratio`, unit `ratio`, the column compared written `a/b` (impl `malloc/bump`, variant
`noinline/default`, level `-O2/-O3`, compiler `gcc/clang`), value = the Hodges-Lehmann
estimate exp(median of log a_i - log b_j), ci_low and ci_high = its 95 % interval
(ssbench.stats: the inversion of the Mann-Whitney test), repetitions = the smaller of the two
samples, spread empty (the interval is the uncertainty). Above 1: b is faster.

The samples are the per-repetition times in the raw files, found through their indexes
(<file>.keys.csv, written by the parsers): google-benchmark's CPU time per step (per
iteration for the allocation kernels; tool gbench) and hyperfine's wall time per run (tool
hyperfine). Which ratios, per case, level and compiler separately:

    impl       every implementation against bump (malloc/bump, stack/bump, bump_checked/bump,
               aa_control/bump, aa_layout/bump, ...), and malloc_tuned/bump_tuned and
               stack/bump_tuned; a malloc run under another library is compared with bump
               under that library if measured so, else under glibc (bump calls no malloc)
    variant    each visibility variant against the default build, per implementation
    level      -O2/-O3, per implementation (above 1: -O3 faster)
    compiler   gcc/clang, per implementation (above 1: clang faster)
"""
import argparse
import os
import sys

from ssbench import parsers as P
from ssbench import stats
from ssbench.results import KEY, ParseError, read_summary, replace_summary, row

REFERENCE = "bump"
EXTRA_PAIRS = [("malloc_tuned", "bump_tuned"), ("stack", "bump_tuned")]
BASELINE_LIB = "glibc"
AXES = ["impl", "variant", "level", "compiler"]
SIDE = {"variant": "default", "level": "-O3", "compiler": "clang"}  # the denominator of each other axis


class Sample:
    def __init__(self, key, values, unit, tool, source):
        self.key, self.values, self.unit, self.tool, self.source = key, values, unit, tool, source


def keyt(d):
    return tuple(d.get(c, "") or "" for c in KEY)


def samples(run_dir, notices=None):
    """[Sample] of every benchmark with per-repetition times in the run folder."""
    out = []
    notices = notices if notices is not None else []
    for path in (P.raw_files(run_dir, "gbench")):
        keys = P.read_keys(path)
        if keys is None:
            notices.append(f"{os.path.relpath(path, run_dir)}: no index ({os.path.basename(P.keys_path(path))}): "
                           f"its benchmarks are left out")
            continue
        try:
            groups = P.gbench_groups(P.load_gbench(path))
        except ParseError as e:
            notices.append(f"{e}: left out")
            continue
        for name, entries in groups.items():
            if name not in keys or any(e.get("error_occurred") for e in entries):
                continue
            reps = P.gbench_repetitions(entries)
            if reps:
                out.append(Sample(keyt(keys[name]), [P.per_step_ns(e) for e in reps], "ns", "gbench", path))
    for path in (P.raw_files(run_dir, "hyperfine")):
        keys = P.read_keys(path)
        if keys is None:
            notices.append(f"{os.path.relpath(path, run_dir)}: no index: left out")
            continue
        try:
            r = P.load_hyperfine(path)
        except ParseError as e:
            notices.append(f"{e}: left out")
            continue
        if any(c != 0 for c in (r.get("exit_codes") or [])) or not r.get("times"):
            continue
        for key in keys.values():
            out.append(Sample(keyt(key), [float(t) for t in r["times"]], "s", "hyperfine", path))
    return out


def _with(key, col, value):
    k = list(key)
    k[KEY.index(col)] = value
    return tuple(k)


def pairs(keys):
    """[(axis, numerator key, denominator key)] for every ratio the samples allow."""
    have = set(keys)
    out = []
    i_impl, i_lib = KEY.index("impl"), KEY.index("malloc_lib")
    for k in sorted(have):
        impl = k[i_impl]
        dens = [REFERENCE] if impl != REFERENCE else []
        dens += [b for a, b in EXTRA_PAIRS if a == impl]
        for b in dens:
            d = _with(k, "impl", b)
            if d not in have and k[i_lib] not in ("", BASELINE_LIB):
                d = _with(d, "malloc_lib", BASELINE_LIB)
            if d in have:
                out.append(("impl", k, d))
        for axis, base in SIDE.items():
            i = KEY.index(axis)
            if k[i] and k[i] != base:
                d = _with(k, axis, base)
                if d in have:
                    out.append((axis, k, d))
    return out


def fmt(v):
    return "" if v is None else f"{v:.6g}"


def ratio_rows(smp):
    """The ratio rows of [Sample] (google-benchmark and hyperfine samples apart; a key measured
    twice, as in a resumed run, counts its last measurement)."""
    rows = []
    for tool in ("gbench", "hyperfine"):
        by = {s.key: s for s in smp if s.tool == tool}
        for axis, a, b in pairs(by):
            sa, sb = by[a], by[b]
            r = stats.ratio(sa.values, sb.values)
            ctx = dict(zip(KEY, a))
            ctx[axis] = f"{a[KEY.index(axis)]}/{b[KEY.index(axis)]}"
            rows.append(row(ctx, "ratio", fmt(r.value), "ratio", min(len(sa.values), len(sb.values)), "",
                            ci_low=fmt(r.low), ci_high=fmt(r.high), tool=tool))
    return rows


def add(run_dir, log=print):
    """Adds the ratio rows to run_dir/summary.csv (replacing an earlier pass's); returns how
    many. The run calls this once its measurements are written."""
    path = os.path.join(run_dir, "summary.csv")
    rows = [r for r in read_summary(path) if r["metric"] != "ratio"]
    notices = []
    new = ratio_rows(samples(run_dir, notices))
    for n in notices:
        log(f"ratios: notice: {n}")
    replace_summary(run_dir, rows + new)
    return len(new)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m ssbench.ratios", description=__doc__.split("\n\n")[0])
    ap.add_argument("run", help="a run folder of `make bench` (results/<folder>)")
    a = ap.parse_args(argv)
    if not os.path.isfile(os.path.join(a.run, "summary.csv")):
        print(f"ratios: {a.run}: not a run folder (no summary.csv)", file=sys.stderr)
        return 2
    try:
        n = add(a.run)
    except (ParseError, OSError) as e:
        print(f"ratios: {e}", file=sys.stderr)
        return 2
    print(f"ratios: {n} ratio rows in {os.path.join(a.run, 'summary.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
