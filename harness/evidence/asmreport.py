"""asmreport — the hot functions' assembly per implementation and compiler, normalized,
measured, and diffed across implementations.

For every `hot` row of the table (harness/evidence_table.txt) and compiler: the source is
compiled with the build's flags (static functions listed are forced out of line, so the
library's operations are shown alone and inlined into the step), disassembled with objdump,
normalized (no addresses; branch targets as labels L1, L2 ... in address order; constant-pool
names as <const>; calls name their target) and written to

  OUTDIR/asm/<compiler><opt>/<workload>/<function>.<impl>.s          (e.g. asm/gcc-O2/rk4/add_vv.bump.s)
  OUTDIR/asm/<compiler><opt>/<workload>/<function>.<implA>-vs-<implB>.diff   (unified diff)
  OUTDIR/asm.csv   one row per compiler x workload x impl x function (columns: ASM_FIELDS)
"""
import collections
import difflib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor

from evidence import asm
from evidence.compile import compile_probe
from evidence.errors import ToolError, collect_error
from evidence.objdump import disassemble_lines, find_symbol
from evidence.table import hot_entries
from ssbench.results import write_csv

ASM_FIELDS = ["compiler", "opt", "workload", "impl", "function", "compiled", "symbol", "status", "instructions",
              "calls", "alloc_calls", "free_calls", "call_targets", "branches", "xmm", "ymm",
              "zmm", "scalar_fp", "frame_bytes"]
ALLOC = {"malloc", "calloc", "realloc", "aligned_alloc", "posix_memalign", "memalign"}
FREE = {"free"}


def function_rows(dis, entry, functions=None):
    """{logical name: (row of metrics, normalized lines)} for the entry's functions (or the
    {logical: symbol} given) in one disassembly; an absent function gets status `missing`."""
    out = {}
    for logical, sym in (entry.functions if functions is None else functions).items():
        found = find_symbol(dis, sym)
        if found is None:
            out[logical] = ({"function": logical, "symbol": sym, "status": "missing"}, [])
            continue
        m = asm.asm_metrics(dis[found])
        targets = collections.Counter(m["call_targets"])
        row = {"function": logical, "symbol": found, "status": "ok", **{k: m[k] for k in (
            "instructions", "calls", "branches", "xmm", "ymm", "zmm", "scalar_fp", "frame_bytes")},
            "alloc_calls": sum(n for t, n in targets.items() if t in ALLOC),
            "free_calls": sum(n for t, n in targets.items() if t in FREE),
            "call_targets": " ".join(f"{t}:{n}" for t, n in sorted(targets.items()))}
        out[logical] = (row, asm.normalize(dis[found], found))
    return out


def collect(build, root, table, opt, compilers=("gcc", "clang"), notice=None, errors=None):
    """[(compiler, entry, {logical: (row, lines)})] for every hot row that exists. A row that
    fails to compile is left out, named through notice and appended to errors (if given;
    otherwise the error is raised)."""
    jobs = [(e, cc) for e in hot_entries(root, table, notice) for cc in compilers]

    def one(job):
        e, cc = job
        funcs = {}
        try:
            for tag, group in e.groups():
                with tempfile.TemporaryDirectory() as d:
                    obj, _ = compile_probe(cc, build, root, e, opt, d, symbols=group.values())
                    for k, (row, lines) in function_rows(disassemble_lines(obj), e, group).items():
                        funcs[k] = ({**row, "compiled": tag}, lines)
            return {k: funcs[k] for k in e.functions}
        except ToolError as err:
            return err
    # independent compilations, as many at a time as there are cores, read in the table's order
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        done = list(ex.map(one, jobs))
    results = []
    for (e, cc), funcs in zip(jobs, done):
        if isinstance(funcs, ToolError):
            collect_error(funcs, errors, notice, f"{cc} {opt} {e.workload}/{e.impl}")
        else:
            results.append((cc, e, funcs))
    return results


def diff(a_lines, b_lines, a_name, b_name):
    return list(difflib.unified_diff(a_lines, b_lines, a_name, b_name, lineterm="", n=2))


def report(outdir, build, root, table, opt, compilers=("gcc", "clang"), notice=None, errors=None):
    """The rows of asm.csv; each function's normalized assembly and the diffs between
    implementations written into outdir/asm/ (errors as in collect)."""
    results = collect(build, root, table, opt, compilers, notice, errors)
    rows = []
    by_key = collections.defaultdict(dict)        # (cc, workload, function) -> {impl: lines}
    for cc, e, funcs in results:
        d = os.path.join(outdir, "asm", cc + opt, e.workload)
        os.makedirs(d, exist_ok=True)
        for logical, (row, lines) in funcs.items():
            rows.append({"compiler": cc, "opt": opt, "workload": e.workload, "impl": e.impl, **row})
            if row["status"] != "ok":
                if notice:
                    notice(f"{cc} {e.workload}/{e.impl}: function {row['symbol']} not found in {e.files[0]}")
                continue
            with open(os.path.join(d, f"{logical}.{e.impl}.s"), "w") as f:
                f.write(f"# {logical} ({row['symbol']}), {e.impl}, {cc} {opt}: {row['instructions']} instructions, "
                        f"calls: {row['call_targets'] or 'none'}\n")
                f.write("\n".join(lines) + "\n")
            by_key[(cc, e.workload, logical)][e.impl] = lines
    for (cc, workload, logical), impls in by_key.items():
        names = list(impls)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                text = diff(impls[a], impls[b], f"{logical}.{a}.s", f"{logical}.{b}.s")
                with open(os.path.join(outdir, "asm", cc + opt, workload, f"{logical}.{a}-vs-{b}.diff"), "w") as f:
                    f.write("\n".join(text) + ("\n" if text else ""))
    return rows


def write(outdir, rows):
    """outdir/asm.csv: one row per compiler x opt x workload x impl x function."""
    write_csv(os.path.join(outdir, "asm.csv"), ASM_FIELDS, rows)
