"""Disassembly of an object file: `objdump -d -r --no-show-raw-insn -M intel`, read into the
instructions of each function, a relocation's target named on the instruction it belongs to."""
import re
import subprocess

from evidence.errors import ToolError


def _objdump(obj):
    r = subprocess.run(["objdump", "-d", "-r", "--no-show-raw-insn", "-M", "intel", obj],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise ToolError(f"objdump failed on {obj}: {r.stderr}")
    return r.stdout


def disassemble(obj):
    """{function: [instruction text, ...]} of every function in obj (see parse_objdump)."""
    return parse_objdump(_objdump(obj))


def disassemble_lines(obj):
    """{function: [(address, instruction text, relocation target or None), ...]} of obj."""
    return parse_objdump_lines(_objdump(obj))


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


def find_symbol(dis, symbol):
    """The function named symbol in a disassembly, or its compiler clone (symbol.isra.0,
    symbol.constprop.0, ...) when only a clone was emitted; None if absent."""
    if symbol in dis:
        return symbol
    clones = sorted(f for f in dis if f.startswith(symbol + "."))
    return clones[0] if clones else None
