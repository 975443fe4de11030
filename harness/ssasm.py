"""ssasm — compile a C file, disassemble one function, count what matters.

Used by the assembly tests (tests/asm_check.py, tests/fold_check.py) and by the harness.
Instructions are read from `objdump -d --no-show-raw-insn -M intel` of the object file;
padding (nop and friends) is not counted.
"""
import os
import re
import subprocess
import tempfile

# Every build that is timed, checked or counted uses these (DESIGN.md §5).
FLAGS = ["-O2", "-march=x86-64-v3", "-ffp-contract=off", "-std=c17"]

PADDING = re.compile(r"^(nop|xchg\s+ax,\s*ax|data16|cs nop|int3)")
BRANCH = re.compile(r"^(j[a-z]+|loop[a-z]*)\b")


class ToolError(RuntimeError):
    pass


def brief(err, lines=12):
    """The first lines of an error (a compiler's stderr can be long)."""
    text = str(err).splitlines()
    return "\n".join(text[:lines] + ([f"... ({len(text) - lines} more lines)"] if len(text) > lines else []))


def collect_error(err, errors, notice, where):
    """A tool error in one row of a report: raised when the caller collects none (errors is
    None), else recorded and, with a notice function, named with where it happened."""
    if errors is None:
        raise err
    errors.append(err)
    if notice:
        notice(f"{where}: {brief(err)}")


def compile_object(cc, src, out, flags, defines=(), includes=()):
    cmd = [cc, *flags, "-c", src, "-o", out]
    cmd += [f"-D{d}" for d in defines] + [f"-I{i}" for i in includes]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise ToolError(f"{' '.join(cmd)} failed:\n{r.stderr}")


def disassemble(obj):
    """Returns {function: [instruction text, ...]} for every function in obj."""
    r = subprocess.run(["objdump", "-d", "-r", "--no-show-raw-insn", "-M", "intel", obj],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise ToolError(f"objdump failed on {obj}: {r.stderr}")
    return parse_objdump(r.stdout)


def parse_objdump_lines(text):
    """Returns {function: [(address, instruction text, relocation target or None), ...]}."""
    funcs, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
            continue
        if cur is None:
            continue
        rel = re.match(r"^\s+[0-9a-f]+: (R_X86_64_\S+)\s+(\S+)", line)
        if rel:
            # a relocation belongs to the instruction before it: name its target there
            if cur:
                target = re.sub(r"[-+]0x[0-9a-f]+$", "", rel.group(2))
                addr, insn, _ = cur[-1]
                cur[-1] = (addr, insn, target)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)$", line)
        if m:
            cur.append((int(m.group(1), 16), re.sub(r"\s+", " ", m.group(2).strip()), None))
    return funcs


def parse_objdump(text):
    """Returns {function: [instruction text, ...]}, a relocation's target named at the end of
    the instruction it belongs to (` <malloc>`)."""
    return {f: [i + (f" <{r}>" if r else "") for _, i, r in insns]
            for f, insns in parse_objdump_lines(text).items()}


def real(insns):
    return [i for i in insns if not PADDING.match(i)]


def metrics(insns):
    ins = real(insns)
    # a tail call is a jmp to a relocated (external) symbol
    calls = [i for i in ins if i.startswith("call") or (i.startswith("jmp") and i.count("<") >= 2)]
    branches = [i for i in ins if BRANCH.match(i) and i not in calls]
    return {
        "instructions": len(ins),
        "calls": len(calls),
        "call_targets": [c.split("<")[-1].rstrip(">") if "<" in c else c for c in calls],
        "branches": len(branches),
    }


def folds_to_constant(m, value):
    """main folded: no call, `mov eax, value` and `ret` and nothing else."""
    return m["calls"] == 0 and m["instructions"] <= 2 and any(
        re.match(rf"mov eax,{value:#x}$", i) for i in m["asm"])


def function_metrics(cc, src, funcs, flags=FLAGS, defines=(), includes=()):
    with tempfile.TemporaryDirectory() as d:
        obj = os.path.join(d, "probe.o")
        compile_object(cc, src, obj, flags, defines, includes)
        dis = disassemble(obj)
    out = {}
    for f in funcs:
        if f not in dis:
            raise ToolError(f"{f} not found in {src} compiled by {cc} {' '.join(flags)}")
        out[f] = dict(metrics(dis[f]), asm=real(dis[f]))
    return out


#~ Normalized assembly and per-function metrics (harness/asmreport.py, harness/ss-evidence)

# Constant pools: gcc's .LC3, clang's .LCPI0_1, and section-relative references to them.
CONST_POOL = re.compile(r"^(\.LC\d+|\.LCPI\d+_\d+|\.rodata(\.\S*)?|\.data\.rel\.ro(\.\S*)?)$")
SCALAR_FP = re.compile(r"^v?[a-z0-9]*(ss|sd)(2si)?$|^v?mov[dq]$|^v?cvtsi2s[sd]q?$")
VREG = re.compile(r"\b([xyz])mm\d+\b")


def split_insn(insn):
    """(mnemonic, operands) of one instruction text, objdump's `# address` comment dropped."""
    insn = re.sub(r"\s*#.*$", "", insn)
    parts = insn.split(" ", 1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def normalize(lines, func):
    """Normalized text of one function from parse_objdump_lines: no addresses, branch targets
    inside the function become labels L1, L2, ... numbered in address order, constant-pool
    names become <const>, calls and other relocations name their symbol. Padding dropped."""
    targets = set()
    for _, insn, reloc in lines:
        mn, ops = split_insn(insn)
        m = re.match(rf"^([0-9a-f]+) <{re.escape(func)}(\+0x[0-9a-f]+)?>$", ops)
        if m and reloc is None:
            targets.add(int(m.group(1), 16))
    label = {a: f"L{k}" for k, a in enumerate(sorted(targets), 1)}
    out = []
    for addr, insn, reloc in lines:
        if addr in label:
            out.append(f"{label[addr]}:")
        if PADDING.match(insn):
            continue
        mn, ops = split_insn(insn)
        m = re.match(r"^([0-9a-f]+) <([^>]+)>$", ops)
        if reloc is not None:
            name = "const" if CONST_POOL.match(reloc) else reloc
            if name.startswith(".text"):
                name = f"local function in {name.rstrip('.')}"     # e.g. clang's cold split
            if m:                                # call/jmp to a relocated symbol
                ops = f"<{name}>"
            else:
                ops = f"{ops} <{name}>" if ops else f"<{name}>"
        elif m:
            ops = label.get(int(m.group(1), 16), m.group(2))
        out.append(f"    {mn} {ops}".rstrip())
    return out


def asm_metrics(lines):
    """Metrics of one function from parse_objdump_lines (padding not counted).

    xmm/ymm/zmm: instructions whose widest register is that width, scalar floating-point
    forms (vaddss, vmovss, vcvtsi2ss, vmovd ...) counted apart as scalar_fp; packed forms the
    compilers use on scalars (vxorps to negate) count as xmm. frame_bytes: pushes x 8 plus
    the first `sub rsp, imm` (the red zone of leaf functions is not visible and counts 0)."""
    insns = [(i, r) for _, i, r in lines if not PADDING.match(i)]
    m = metrics([i + (f" <{r}>" if r else "") for i, r in insns])
    vec = {"x": 0, "y": 0, "z": 0}
    scalar = frame = 0
    sub_seen = False
    targets = []
    for insn, reloc in insns:
        mn, ops = split_insn(insn)
        regs = set(VREG.findall(ops))
        if regs:
            wide = "z" if "z" in regs else "y" if "y" in regs else "x"
            if wide == "x" and SCALAR_FP.match(mn):
                scalar += 1
            else:
                vec[wide] += 1
        if mn == "push":
            frame += 8
        sm = re.match(r"^rsp,(0x[0-9a-f]+|\d+)$", ops)
        if mn == "sub" and sm and not sub_seen:
            frame += int(sm.group(1), 0)
            sub_seen = True
        if mn.startswith("call") or (mn == "jmp" and reloc):
            am = re.match(r"^[0-9a-f]+ <([^>+]+)", ops)
            if reloc and reloc.startswith(".text"):
                reloc = f"(local in {reloc.rstrip('.')})"
            targets.append(reloc or (am.group(1) if am else "(indirect)"))
    return {
        "instructions": m["instructions"],
        "calls": len(targets),
        "call_targets": targets,
        "branches": m["branches"],
        "xmm": vec["x"], "ymm": vec["y"], "zmm": vec["z"],
        "scalar_fp": scalar,
        "frame_bytes": frame,
    }


#~ The table of hot functions and counted sources (harness/evidence_table.txt)

class Entry:
    """One row: kind (hot | count), workload, impl, files, defines, functions."""

    def __init__(self, kind, workload, impl, files, defines, functions, lineno):
        self.kind, self.workload, self.impl = kind, workload, impl
        self.files, self.defines, self.lineno = files, defines, lineno
        # logical name -> symbol in this implementation (`add_vv` or `add_vv=bump_add_vv`);
        # `@name` marks a function shown in context (see groups)
        self.context = {f[1:].split("=", 1)[0] for f in functions if f.startswith("@")}
        self.functions = dict((f.lstrip("@").split("=", 1) + [f.lstrip("@")])[:2] for f in functions)

    def groups(self):
        """[(tag, {logical: symbol})]: the functions compiled alone, each forced out of line
        (taking its address) in one translation unit, and the functions in context, kept in
        another where nothing else is address-taken, so what they call is inlined as in the
        real build (a static function called once is not inlined once its address is taken)."""
        alone = {k: v for k, v in self.functions.items() if k not in self.context}
        ctx = {k: v for k, v in self.functions.items() if k in self.context}
        return [(tag, g) for tag, g in (("alone", alone), ("context", ctx)) if g]

    def __repr__(self):
        return f"Entry({self.kind} {self.workload} {self.impl} {self.files})"


def tool_args(doc, compile_options=True):
    """The command line the evidence tools share: OUTDIR [--root] [--table] [--opt] [--compilers]."""
    import argparse
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--root", default=os.path.join(here, ".."))
    ap.add_argument("--table", default=os.path.join(here, "evidence_table.txt"))
    if compile_options:
        ap.add_argument("--opt", default="-O2")
        ap.add_argument("--compilers", default="gcc,clang")
    return ap.parse_args()


def load_table(path):
    """Rows of `kind workload impl files defines functions` (comma-separated lists, `-` for
    none); # starts a comment. A malformed row is an error naming the file and line."""
    rows = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cols = line.split()
            kind = cols[0]
            want = {"hot": 6, "count": 4}.get(kind)
            if want is None or len(cols) != want:
                raise ToolError(f"{path}:{lineno}: expected `hot workload impl files defines functions` "
                                f"or `count workload impl files`, got: {line}")
            lists = [[] if c == "-" else c.split(",") for c in cols[3:]] + [[], []]
            rows.append(Entry(kind, cols[1], cols[2], lists[0], lists[1], lists[2], lineno))
    return rows


def opt_flags(opt="-O2"):
    """The project's flags (DESIGN.md §5) at optimisation level `opt`."""
    return [opt] + FLAGS[1:] + ["-fno-fast-math"]


def include_dirs(root, src):
    return [os.path.dirname(os.path.abspath(src)), os.path.join(root, "secondstack", "include", "secondstack"),
            os.path.join(root, "workloads"), root]


def probe_source(src, symbols):
    """A translation unit that is `src` plus an address taken of every symbol, so static
    (inline) functions are emitted out of line under their own names, compiled alone."""
    keep = ", ".join(f"(void *){s}" for s in symbols)
    return (f'#include "{os.path.abspath(src)}"\n'
            f"static void *const ss__evidence_keep[] __attribute__((used)) = {{{keep}}};\n")


def find_symbol(dis, symbol):
    """The function named symbol in a disassembly, or its compiler clone (symbol.isra.0,
    symbol.constprop.0, ...) when only a clone was emitted; None if absent."""
    if symbol in dis:
        return symbol
    clones = sorted(f for f in dis if f.startswith(symbol + "."))
    return clones[0] if clones else None


def compile_probe(cc, root, entry, opt, workdir, extra=(), symbols=None):
    """Compiles a hot row's probe TU (its source, `symbols` (default: all the row's functions)
    forced out of line) with the project's flags in workdir; returns (object path, stderr)."""
    src = os.path.join(root, entry.files[0])
    tu = os.path.join(workdir, f"{entry.impl}_{os.path.basename(src)}")
    with open(tu, "w") as f:
        f.write(probe_source(src, entry.functions.values() if symbols is None else symbols))
    obj = os.path.join(workdir, "probe.o")
    cmd = [cc, *opt_flags(opt), "-c", tu, "-o", obj, *extra]
    cmd += [f"-I{i}" for i in include_dirs(root, src)] + [f"-D{x}" for x in entry.defines]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)
    if r.returncode != 0:
        raise ToolError(f"{cc} failed on {entry.files[0]} ({entry.workload}/{entry.impl}):\n{r.stderr}"
                        f"command: {' '.join(cmd)}")
    return obj, r.stderr


def hot_entries(root, table, notice=None):
    """The table's hot rows whose source exists; a missing one is skipped with a notice."""
    out = []
    for e in load_table(table):
        if e.kind != "hot":
            continue
        if not os.path.exists(os.path.join(root, e.files[0])):
            if notice:
                notice(f"skipped: {e.files[0]} ({e.workload}/{e.impl}) does not exist yet")
            continue
        out.append(e)
    return out
