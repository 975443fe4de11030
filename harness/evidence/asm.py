"""One function's instructions: its metrics (instructions, calls and their targets, branches,
vector and scalar floating-point instructions, stack frame) and its normalized text (no
addresses; labels, constant pools and call targets named), so that implementations diff by
code, not layout. Padding (nop and friends) is never counted.
"""
import re

PADDING = re.compile(r"^(nop|xchg\s+ax,\s*ax|data16|cs nop|int3)")
BRANCH = re.compile(r"^(j[a-z]+|loop[a-z]*)\b")


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
