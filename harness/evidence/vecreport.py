"""vecreport — what each compiler vectorized, per function, implementation and compiler.

Compiles every `hot` source of the table (harness/evidence_table.txt) with the build's
flags, each static function named in the table forced out of line so it is reported on its
own too, and asks both compilers for their optimization records:

  gcc   -fsave-optimization-record (JSON; names the function of every remark, which the
        -fopt-info text does not) and -fopt-info-vec-all=FILE (kept for reading)
  clang -fsave-optimization-record (YAML, loop-vectorize and slp-vectorizer remarks) and
        -Rpass*=loop-vectorize on stderr (kept for reading)

Writes OUTDIR/vectorization.csv (one row per compiler x impl x workload x function),
OUTDIR/vectorization_loops.csv (one row per loop or SLP block) and the raw reports in
OUTDIR/vecreport/. Loops that a function inlined from the library count in that function.
"""
import glob
import gzip
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor

from evidence.compile import compile_probe
from evidence.errors import ToolError, collect_error
from evidence.table import hot_entries
from ssbench.results import write_csv

FUNC_FIELDS = ["compiler", "opt", "workload", "impl", "function", "compiled", "symbol", "loops_vectorized",
               "width", "loops_missed", "slp_blocks", "reason"]
LOOP_FIELDS = ["compiler", "opt", "workload", "impl", "function", "kind", "location", "status",
               "width", "reason"]


class FormatError(ToolError):
    """The compiler's report is not in the form this parser knows: a format change."""


def render(message):
    """Text of a gcc remark's message: strings, and the value of each embedded item."""
    out = []
    for part in message:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict):
            out += [str(v) for k, v in part.items() if k != "location"]
        else:
            raise FormatError(f"gcc remark: unexpected message part {part!r}")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def loc_text(loc, root=""):
    if not loc:
        return ""
    f = loc.get("file") or loc.get("File") or "?"
    if root and os.path.isabs(f):
        f = os.path.relpath(f, root)
    elif root and not os.path.exists(os.path.join(root, f)):
        # clang writes a path relative to where it ran when both share a prefix (/tmp/...):
        # keep the longest tail that names a file of the project
        parts = f.split("/")
        f = next(("/".join(parts[i:]) for i in range(len(parts))
                  if os.path.exists(os.path.join(root, *parts[i:]))), f)
    line = loc.get("line", loc.get("Line"))
    col = loc.get("column", loc.get("Column"))
    return f"{f}:{line}:{col}"


#~ gcc: the JSON optimization record

def parse_gcc_json(data, root=""):
    """Loop and SLP records [{function, kind, location, status, width, reasons}] from gcc's
    -fsave-optimization-record JSON (already loaded), in compilation order."""
    if not (isinstance(data, list) and len(data) == 3 and isinstance(data[0], dict)
            and data[0].get("format") == "1"):
        raise FormatError("gcc optimization record: expected [header with format 1, passes, records]")
    passes = {}

    def walk(ps):
        for p in ps:
            passes[p["id"]] = p["name"]
            walk(p.get("children", []))

    def flat(rs):
        for r in rs:
            yield r
            yield from flat(r.get("children", []))

    try:
        walk(data[1])
    except (KeyError, TypeError) as e:
        raise FormatError(f"gcc optimization record: pass tree without {e}")
    loops, pending, counts = [], {}, {}
    for r in flat(data[2]):
        if not isinstance(r, dict) or "kind" not in r or "message" not in r:
            raise FormatError(f"gcc optimization record: record without kind/message: {str(r)[:200]}")
        name = passes.get(r.get("pass"))
        if name not in ("vect", "slp"):
            continue
        fn = r.get("function", "?")
        msg = render(r["message"])
        loc = loc_text(r.get("location"), root)
        if name == "vect":
            m = re.match(r"vectorized (\d+) loops in function", msg)
            if m:
                counts[fn] = counts.get(fn, 0) + int(m.group(1))
                continue
            m = re.match(r"loop vectorized using (\d+) byte vectors", msg)
            if m and r["kind"] == "success":
                last = loops[-1] if loops else None
                width = f"{m.group(1)}B"
                if (last and last["function"] == fn and last["location"] == loc and last["status"] == "vectorized"
                        and last.get("_open") and int(m.group(1)) < int(last["width"].split("B")[0])):
                    last["width"] += f"+{width}"          # the epilogue, vectorized narrower
                else:
                    loops.append({"function": fn, "kind": "loop", "location": loc, "status": "vectorized",
                                  "width": width, "reasons": [], "_open": True})
                pending.pop(fn, None)
                continue
            if r["kind"] == "success" and "versioned" in msg:
                continue
            if r["kind"] == "failure":
                if msg.startswith("couldn't vectorize loop"):
                    loops.append({"function": fn, "kind": "loop", "location": loc, "status": "missed",
                                  "width": "", "reasons": pending.pop(fn, [])})
                elif msg:
                    reasons = pending.setdefault(fn, [])
                    if msg not in reasons:
                        reasons.append(msg)
            # a loop vectorized stays open for its epilogue (narrower vectors, the same location)
            # until the next loop's analysis; the epilogue's own failed tries ("no array mode",
            # "data access with gaps") come between the two records and do not close it
            if loops and loops[-1]["function"] == fn and (
                    (r["kind"] == "failure" and msg.startswith("couldn't vectorize loop"))
                    or (r["kind"] == "scope" and "analyze_loop_nest" in msg)):
                loops[-1].pop("_open", None)
        else:
            m = re.match(r"basic block part vectorized using (\d+) byte vectors", msg)
            if m and r["kind"] == "success":
                loops.append({"function": fn, "kind": "slp", "location": loc, "status": "vectorized",
                              "width": f"{m.group(1)}B", "reasons": []})
    for lp in loops:
        lp.pop("_open", None)
    # gcc's own count of vectorized loops per function must agree with the records found
    for fn, n in counts.items():
        found = sum(1 for lp in loops if lp["function"] == fn and lp["kind"] == "loop" and lp["status"] == "vectorized")
        if found != n:
            raise FormatError(f"gcc optimization record: {fn}: gcc says {n} loops vectorized, "
                              f"the parser found {found}")
    return loops


#~ clang: the YAML optimization record

def clang_documents(text):
    """The YAML documents of clang's record as dicts, `_kind` holding the tag (Passed,
    Missed, Analysis, AnalysisFPCommute, ...)."""
    try:
        import yaml
    except ImportError:
        raise ToolError("PyYAML is needed to read clang's optimization record: "
                              "install the Debian package python3-yaml (make deps does)")

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    def tagged(loader, suffix, node):
        d = loader.construct_mapping(node, deep=True)
        d["_kind"] = suffix
        return d

    Loader.add_multi_constructor("!", tagged)
    try:
        docs = [d for d in yaml.load_all(text, Loader=Loader) if d is not None]
    except yaml.YAMLError as e:
        raise FormatError(f"clang optimization record: not YAML: {str(e)[:200]}")
    for d in docs:
        if not isinstance(d, dict) or not {"Pass", "Name", "Function", "_kind"} <= set(d):
            raise FormatError(f"clang optimization record: document without Pass/Name/Function: {str(d)[:200]}")
    return docs


def clang_args(args):
    out = []
    for a in args or []:
        if not isinstance(a, dict):
            raise FormatError(f"clang optimization record: unexpected argument {a!r}")
        for k, v in a.items():
            if k != "DebugLoc":
                out.append(str(v))
    return re.sub(r"\s+", " ", "".join(out)).strip()


def parse_clang_yaml(text, root=""):
    """Loop and SLP records, as parse_gcc_json, from clang's -fsave-optimization-record YAML."""
    loops, pending = [], {}
    for d in clang_documents(text):
        fn, kind, p = d["Function"], d["_kind"], d["Pass"]
        loc = loc_text(d.get("DebugLoc"), root)
        if p == "loop-vectorize":
            args = {k: v for a in d.get("Args") or [] for k, v in a.items()}
            if kind == "Passed" and d["Name"] == "Vectorized":
                if "VectorizationFactor" not in args:
                    raise FormatError("clang optimization record: Vectorized without VectorizationFactor")
                loops.append({"function": fn, "kind": "loop", "location": loc, "status": "vectorized",
                              "width": f"VF{args['VectorizationFactor']}xIC{args.get('InterleaveCount', '1')}",
                              "reasons": []})
                pending.pop(fn, None)
            elif kind == "Missed":
                reasons = pending.pop(fn, [])
                msg = clang_args(d.get("Args"))
                if msg and msg != "loop not vectorized" and msg not in reasons:
                    reasons.append(msg)
                loops.append({"function": fn, "kind": "loop", "location": loc, "status": "missed",
                              "width": "", "reasons": reasons})
            elif kind.startswith("Analysis") and not d["Name"].startswith("Interleav"):
                # (the interleave count's remarks are about a loop being vectorized, not a miss)
                msg = clang_args(d.get("Args"))
                msg = re.sub(r"^loop not vectorized: ", "", msg)
                reasons = pending.setdefault(fn, [])
                if msg and msg not in reasons:
                    reasons.append(msg)
        elif p == "slp-vectorizer" and kind == "Passed":
            loops.append({"function": fn, "kind": "slp", "location": loc, "status": "vectorized",
                          "width": "", "reasons": []})
    return loops


#~ Summary per function

def short_reason(reason):
    """A reason without the compiler's temporaries (_42, *_7) and follow-up advice, so the
    same reason reads the same in every loop."""
    reason = re.sub(r"\*?\b_\d+\b", "_", reason)
    reason = re.sub(r"\b([A-Za-z]\w*?)_\d+\b", r"\1", reason)          # SSA names: i_27 -> i
    reason = re.sub(r"\s*consider run-time aliasing test.*$", "", reason)
    reason = re.sub(r"; allow reordering by specifying.*$", "", reason)
    return reason.strip()


def summarize(loops, symbols):
    """One row per logical function: symbols maps logical name -> symbol compiled; a clone
    (symbol.isra.0 ...) counts as its symbol."""
    rows = []
    for logical, sym in symbols.items():
        mine = [lp for lp in loops if lp["function"] == sym or lp["function"].startswith(sym + ".")]
        vec = [lp for lp in mine if lp["kind"] == "loop" and lp["status"] == "vectorized"]
        missed = [lp for lp in mine if lp["kind"] == "loop" and lp["status"] == "missed"]
        reasons = []
        for lp in missed:
            for r in [short_reason(x) for x in lp["reasons"][:1]] or ["(no reason given)"]:
                if r not in reasons:
                    reasons.append(r)
        rows.append({"function": logical, "symbol": sym, "loops_vectorized": len(vec),
                     "width": " ".join(sorted({lp["width"] for lp in vec})),
                     "loops_missed": len(missed), "slp_blocks": sum(lp["kind"] == "slp" for lp in mine),
                     "reason": " | ".join(reasons)})
    return rows


#~ Running the compilers

def run_compiler(cc, build, root, entry, opt, rawdir, group_tag="alone", symbols=None):
    """Compiles the entry's probe TU (symbols forced out of line) with cc, keeps the raw
    reports in rawdir, returns the loop records."""
    tag = f"{cc}{opt}-{entry.workload}-{entry.impl}-{group_tag}"
    with tempfile.TemporaryDirectory() as d:
        if cc == "gcc":
            extra = ["-fsave-optimization-record", f"-fopt-info-vec-all={os.path.abspath(rawdir)}/{tag}.opt-info.txt"]
        else:
            extra = ["-fsave-optimization-record", "-foptimization-record-passes=loop-vectorize|slp-vectorizer",
                     f"-foptimization-record-file={os.path.join(d, 'record.yaml')}",
                     "-Rpass=loop-vectorize", "-Rpass-missed=loop-vectorize", "-Rpass-analysis=loop-vectorize"]
        _, stderr = compile_probe(cc, build, root, entry, opt, d, extra, symbols)
        if cc == "gcc":
            rec = glob.glob(os.path.join(d, "*.opt-record.json.gz"))
            if len(rec) != 1:
                raise FormatError(f"gcc wrote no optimization record for {entry.files[0]} (found {rec})")
            shutil.copy(rec[0], os.path.join(rawdir, f"{tag}.opt-record.json.gz"))
            with gzip.open(rec[0], "rt") as f:
                return parse_gcc_json(json.load(f), root)
        with open(os.path.join(rawdir, f"{tag}.remarks.txt"), "w") as f:
            f.write(stderr)
        with open(os.path.join(d, "record.yaml")) as f:
            text = f.read()
        with gzip.open(os.path.join(rawdir, f"{tag}.opt-record.yaml.gz"), "wt") as f:
            f.write(text)
        return parse_clang_yaml(text, root)


def report(outdir, build, root, table, opt, compilers=("gcc", "clang"), notice=None, errors=None):
    """(rows, loop rows), the raw reports kept in outdir/vecreport/. A row whose compilation or
    report fails is left out, named through notice and appended to errors (if given; otherwise
    the error is raised)."""
    rawdir = os.path.join(outdir, "vecreport")
    os.makedirs(rawdir, exist_ok=True)
    rows, loop_rows = [], []
    jobs = [(e, cc) for e in hot_entries(root, table, notice) for cc in compilers]

    def compile_all(job):
        """The loops of every group of one entry and compiler, or the error (raised in order below)."""
        e, cc = job
        try:
            return [(group, run_compiler(cc, build, root, e, opt, rawdir, tag, group.values()))
                    for tag, group in e.groups()]
        except ToolError as err:
            return err
    # the compilations are independent and take minutes one after another: as many at a time
    # as there are cores, their results read in the table's order
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        done = list(ex.map(compile_all, jobs))
    for (e, cc), by_group in zip(jobs, done):
        if isinstance(by_group, ToolError):
            collect_error(by_group, errors, notice, f"{cc} {opt} {e.workload}/{e.impl}")
            continue
        key = {"compiler": cc, "opt": opt, "workload": e.workload, "impl": e.impl}
        summary = {}
        for (tag, _), (group, loops) in zip(e.groups(), by_group):
            summary.update({r["function"]: {**r, "compiled": tag} for r in summarize(loops, group)})
        rows += [{**key, **summary[f]} for f in e.functions]
        for group, loops in by_group:
            loop_rows += loop_records(key, group, loops)
    return rows, loop_rows


def loop_records(key, group, loops):
    out = []
    syms = {s: lg for lg, s in group.items()}
    for lp in loops:
        base = lp["function"].split(".")[0]
        if base in syms:
            out.append({**key, "function": syms[base], "kind": lp["kind"], "location": lp["location"],
                        "status": lp["status"], "width": lp["width"], "reason": " | ".join(lp["reasons"])})
    return out


def write(outdir, rows):
    """outdir/vectorization.csv: one row per compiler x opt x workload x impl x function."""
    write_csv(os.path.join(outdir, "vectorization.csv"), FUNC_FIELDS, rows)


def write_loops(outdir, loop_rows):
    """outdir/vectorization_loops.csv: one row per loop or SLP block."""
    write_csv(os.path.join(outdir, "vectorization_loops.csv"), LOOP_FIELDS, loop_rows)
