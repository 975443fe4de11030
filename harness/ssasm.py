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


def parse_objdump(text):
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
                cur[-1] += f" <{target}>"
            continue
        m = re.match(r"^\s+[0-9a-f]+:\s+(.*)$", line)
        if m:
            cur.append(re.sub(r"\s+", " ", m.group(1).strip()))
    return funcs


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
