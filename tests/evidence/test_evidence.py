#!/usr/bin/env python3
"""Tests of the evidence tools (harness/evidence/: vecreport, asmreport, ergonomics, the
run-folder writer and its CLI `python3 -m evidence`, `python3 -m evidence.show`).

    test_evidence.py parsers ROOT         the parsers and the normalizer on RECORDED compiler
                                          output (tests/evidence/recorded/, made by record.py):
                                          a change of gcc's or clang's report format fails here
    test_evidence.py smoke ROOT BUILD     the tools end to end on the miniature library with the
                                          installed compilers and BUILD's flags; a table naming a
                                          missing function fails
    test_evidence.py table ROOT BUILD     every function harness/evidence_table.txt names is found
                                          in its source, compiled (gcc, the build's level) as the
                                          build compiles it: a rename in a workload, or a header
                                          the tools cannot find, is caught here
(harness/ on PYTHONPATH: ctest sets it.)
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

from evidence import asm, asmreport, ergonomics, vecreport
from evidence.errors import brief
from evidence.objdump import parse_objdump, parse_objdump_lines
from ssbench.build import Build

HERE = os.path.dirname(os.path.abspath(__file__))
REC = os.path.join(HERE, "recorded")
EVIDENCE = [sys.executable, "-m", "evidence"]

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}{': ' + str(detail) if detail else ''}")


def raises(name, fn, exc=vecreport.FormatError):
    try:
        fn()
    except exc as e:
        check(name, True)
        return str(e)
    except Exception as e:  # noqa: BLE001 - any other exception is the failure reported
        check(name, False, f"raised {type(e).__name__}: {e}")
    else:
        check(name, False, "no error raised")


def read(name):
    with open(os.path.join(REC, name)) as f:
        return f.read()


def summary(loops, fn):
    return vecreport.summarize(loops, {fn: fn})[0]


#~ parsers on recorded output

def test_gcc():
    bump = vecreport.parse_gcc_json(json.loads(read("gcc-O2-bump.opt-record.json")))
    s = summary(bump, "add_vv")
    check("gcc -O2 bump add_vv not vectorized", (s["loops_vectorized"], s["loops_missed"]) == (0, 1), s)
    check("gcc -O2 bump add_vv: the reason is aliasing",
          s["reason"].startswith("versioning for alias required"), s["reason"])
    s = summary(bump, "fx_step")
    check("gcc -O2 bump fx_step: its 6 inlined loops missed", (s["loops_vectorized"], s["loops_missed"]) == (0, 6), s)
    malloc = vecreport.parse_gcc_json(json.loads(read("gcc-O2-malloc.opt-record.json")))
    s = summary(malloc, "add_vv")
    check("gcc -O2 malloc add_vv: misalignment, not aliasing (malloc's result aliases nothing)",
          s["loops_missed"] == 1 and s["reason"].startswith("Unknown misalignment"), s)
    stack = vecreport.parse_gcc_json(json.loads(read("gcc-O2-stack.opt-record.json")))
    s = summary(stack, "add_vv")
    check("gcc -O2 stack add_vv vectorized with 32-byte vectors",
          (s["loops_vectorized"], s["width"], s["loops_missed"]) == (1, "32B", 0), s)
    o3 = vecreport.parse_gcc_json(json.loads(read("gcc-O3-bump.opt-record.json")))
    s = summary(o3, "fx_step")
    check("gcc -O3 bump fx_step: 6 loops, 32-byte body and 16-byte epilogue",
          (s["loops_vectorized"], s["width"], s["loops_missed"]) == (6, "32B+16B", 0), s)
    check("gcc records carry source locations",
          all(re.match(r"tests/evidence/fixture_\w+\.c:\d+:\d+$", lp["location"]) for lp in bump + o3),
          [lp["location"] for lp in bump][:3])

    # format changes are errors, never an empty table
    data = json.loads(read("gcc-O2-bump.opt-record.json"))
    raises("gcc: another record format version", lambda: vecreport.parse_gcc_json([{"format": "2"}] + data[1:]))
    raises("gcc: records without messages",
           lambda: vecreport.parse_gcc_json(data[:2] + [[{k: v for k, v in r.items() if k != "message"}
                                                         for r in data[2]]]))
    reworded = json.loads(read("gcc-O3-bump.opt-record.json").replace("loop vectorized using", "loop vectorised using"))
    msg = raises("gcc: a reworded success message is caught by gcc's own loop count",
                 lambda: vecreport.parse_gcc_json(reworded))
    check("gcc: the error names the function and both counts", msg and "gcc says" in msg, msg)


def test_clang():
    bump = vecreport.parse_clang_yaml(read("clang-O2-bump.opt-record.yaml"))
    s = summary(bump, "add_vv")
    check("clang -O2 bump add_vv vectorized VF8 IC4",
          (s["loops_vectorized"], s["width"], s["loops_missed"]) == (1, "VF8xIC4", 0), s)
    s = summary(bump, "fx_step")
    check("clang -O2 bump fx_step: 6 inlined loops vectorized", (s["loops_vectorized"], s["loops_missed"]) == (6, 0), s)
    s = summary(bump, "dot")
    check("clang -O2 dot missed: float reduction not reorderable",
          s["loops_missed"] == 1 and "reorder floating-point" in s["reason"], s)
    stack = vecreport.parse_clang_yaml(read("clang-O2-stack.opt-record.yaml"))
    s = summary(stack, "add_vv")
    check("clang -O2 stack add_vv vectorized VF8 IC1 (64 floats known)",
          (s["loops_vectorized"], s["width"]) == (1, "VF8xIC1"), s)
    malloc = vecreport.parse_clang_yaml(read("clang-O2-malloc.opt-record.yaml"))
    check("clang -O2 malloc fx_step: 6 loops vectorized", summary(malloc, "fx_step")["loops_vectorized"] == 6)

    text = read("clang-O2-bump.opt-record.yaml")
    raises("clang: documents without Function", lambda: vecreport.parse_clang_yaml(text.replace("Function:", "Func:")))
    raises("clang: Vectorized without its factor",
           lambda: vecreport.parse_clang_yaml(text.replace("VectorizationFactor", "VF")))
    raises("clang: not YAML", lambda: vecreport.parse_clang_yaml("--- !Passed\nPass: [unclosed\n"))


def shifted(text, by):
    """objdump text with every address moved by `by` (as if the function sat elsewhere)."""
    def line(ln):
        ln = re.sub(r"^(\s*)([0-9a-f]+):", lambda m: f"{m.group(1)}{int(m.group(2), 16) + by:x}:", ln)
        ln = re.sub(r"^([0-9a-f]{16}) <", lambda m: f"{int(m.group(1), 16) + by:016x} <", ln)
        return re.sub(r"([\t ])([0-9a-f]+) <", lambda m: f"{m.group(1)}{int(m.group(2), 16) + by:x} <", ln)
    return "\n".join(line(ln) for ln in text.splitlines())


def test_normalizer():
    for name in ("objdump-gcc-O2-malloc.txt", "objdump-clang-O2-malloc.txt", "objdump-gcc-O2-bump.txt",
                 "objdump-clang-O2-stack.txt"):
        text = read(name)
        dis = parse_objdump_lines(text)
        moved = parse_objdump_lines(shifted(text, 0x1230))
        check(f"{name}: functions found", {"add_vv", "mul_vs", "dot", "fx_step"} <= set(dis), sorted(dis))
        for f in ("add_vv", "fx_step"):
            norm = asm.normalize(dis[f], f)
            check(f"{name} {f}: addresses do not change the normalized text",
                  norm == asm.normalize(moved[f], f))
            check(f"{name} {f}: no address or function offset left",
                  not any(re.search(r"<\w+\+0x|^\s+[0-9a-f]+:|# ", ln) for ln in norm),
                  [ln for ln in norm if re.search(r"<\w+\+0x|# ", ln)][:3])
            labels = [ln[:-1] for ln in norm if ln.endswith(":")]
            check(f"{name} {f}: labels L1.. in order", labels == [f"L{k}" for k in range(1, len(labels) + 1)], labels)
            used = {m for ln in norm for m in re.findall(r"\bL\d+\b", ln) if not ln.endswith(":")}
            check(f"{name} {f}: every jump target is a label", used <= set(labels), (used, labels))
        check(f"{name}: constant pools named <const>", not re.search(r"\.LC", "\n".join(
            ln for f in dis for ln in asm.normalize(dis[f], f))))
    gm = parse_objdump_lines(read("objdump-gcc-O2-malloc.txt"))
    m = asm.asm_metrics(gm["fx_step"])
    check("gcc malloc fx_step calls malloc and free, and nothing else",
          set(m["call_targets"]) == {"malloc", "free"} and m["call_targets"].count("free") >= 5, m["call_targets"])
    check("gcc malloc fx_step has a stack frame", m["frame_bytes"] > 0, m)
    norm = asm.normalize(gm["add_vv"], "add_vv")
    check("gcc malloc add_vv: `call <malloc>`", "    call <malloc>" in norm, norm)
    gb = parse_objdump_lines(read("objdump-gcc-O2-bump.txt"))
    m = asm.asm_metrics(gb["fx_step"])
    check("gcc bump fx_step: no call, scalar code (gcc -O2 did not vectorize)",
          m["calls"] == 0 and m["ymm"] == 0 and m["scalar_fp"] > 0, m)
    norm = asm.normalize(gb["fx_step"], "fx_step")
    check("gcc bump fx_step: the sign constant is <const>", any("<const>" in ln for ln in norm))
    cs = parse_objdump_lines(read("objdump-clang-O2-stack.txt"))
    m = asm.asm_metrics(cs["add_vv"])
    check("clang stack add_vv: ymm vector instructions", m["ymm"] >= 8 and m["zmm"] == 0, m)
    # the old interface, used by the assembly checks, still reads the same text
    old = parse_objdump(read("objdump-gcc-O2-malloc.txt"))
    check("parse_objdump still names relocated call targets",
          asm.metrics(old["add_vv"])["call_targets"] == ["malloc"], asm.metrics(old["add_vv"]))


def test_ergonomics():
    code = ergonomics.strip_comments('/* free(a) */ x = 1; // malloc(3)\ns = "free(";\nfree(p);\n')
    c = ergonomics.count(code)
    check("comments and strings are not counted", (c["free_stmts"], c["alloc_stmts"], c["loc"]) == (1, 0, 3), c)
    c = ergonomics.count(ergonomics.strip_comments(
        "#define autofree __attribute__((cleanup(release)))\nautofree float *a = malloc(4);\n"
        "float *b __attribute__((cleanup(release))) = calloc(1, 4);\n"))
    check("cleanup declarations, written out or through a macro, are free statements",
          (c["cleanup_decls"], c["free_stmts"], c["alloc_stmts"]) == (2, 2, 2), c)


#~ end to end with the installed compilers

def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def test_smoke(root, build):
    table = os.path.join(HERE, "table.txt")
    with tempfile.TemporaryDirectory() as out:
        r = run(EVIDENCE + [out, "--root", root, "--table", table, "--build", build])
        check("python3 -m evidence exits 0", r.returncode == 0, r.stdout + r.stderr)
        for f in ("vectorization.csv", "vectorization_loops.csv", "asm.csv", "fold.csv", "ergonomics.csv",
                  "evidence.txt", "asm/gcc-O2/mini/fx_step.bump-vs-malloc.diff", "asm/clang-O2/mini/add_vv.stack.s"):
            check(f"{f} written", os.path.exists(os.path.join(out, f)), f)
        if failed:
            return
        asm = rows(os.path.join(out, "asm.csv"))
        check("asm.csv: 2 compilers x 3 impls x 4 functions, all found",
              len(asm) == 24 and all(a["status"] == "ok" for a in asm), len(asm))
        get = {(a["compiler"], a["impl"], a["function"]): a for a in asm}
        for cc in ("gcc", "clang"):
            check(f"{cc}: malloc fx_step calls malloc and free",
                  int(get[cc, "malloc", "fx_step"]["alloc_calls"]) > 0 and int(get[cc, "malloc", "fx_step"]["free_calls"]) > 0)
            check(f"{cc}: bump and stack fx_step call nothing",
                  get[cc, "bump", "fx_step"]["calls"] == "0" and get[cc, "stack", "fx_step"]["calls"] == "0")
        vec = rows(os.path.join(out, "vectorization.csv"))
        check("vectorization.csv: 24 rows", len(vec) == 24, len(vec))
        v = {(x["compiler"], x["impl"], x["function"]): x for x in vec}
        check("clang vectorizes bump add_vv", v["clang", "bump", "add_vv"]["loops_vectorized"] == "1")
        fold = rows(os.path.join(out, "fold.csv"))
        check("fold.csv: 2 x 3 forms x 2 helper kinds x 5 levels", len(fold) == 60, len(fold))
        cell = {(x["compiler"], x["form"], x["helpers"], x["level"]): x["folds"] for x in fold}
        check("fold.csv: gcc -O3 and clang -O2 fold the seed's bump form",
              cell["gcc", "bump", "extern", "-O3"] == "yes" and cell["clang", "bump", "extern", "-O2"] == "yes")
        ergo = {x["impl"]: x for x in rows(os.path.join(out, "ergonomics.csv"))}
        check("ergonomics: malloc frees, bump scopes, stack neither",
              ergo["malloc"]["free_stmts"] == "6" and ergo["bump"]["free_stmts"] == "0"
              and ergo["bump"]["scope_stmts"] == "2" and ergo["stack"]["alloc_stmts"] == "0", ergo)

        # a function the table names wrongly is an error, not a silent gap
        bad = os.path.join(out, "bad.txt")
        with open(table) as f, open(bad, "w") as g:
            g.write(f.read().replace("add_vv,mul_vs,dot,@fx_step", "add_vv,mul_vs,dot,@fx_stpe", 1))
        r = run(EVIDENCE + [os.path.join(out, "bad"), "--root", root, "--table", bad, "--skip", "fold,vec",
                            "--build", build])
        check("a misspelt function: exit 1 with its name", r.returncode == 1 and "fx_stpe" in r.stdout + r.stderr,
              (r.returncode, r.stdout[-300:], r.stderr[-300:]))
        r = run(EVIDENCE + [out, "--skip", "nothing"])
        check("an unknown part: exit 2", r.returncode == 2 and "unknown part" in r.stderr, r.stderr)

    # `@entry` is compiled where nothing else is address-taken: a static function it calls
    # once is inlined as in the real build; without the mark, gcc calls it
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "t.c"), "w") as f:
            f.write("static void helper(float *p, unsigned n) {\n"
                    "    for (unsigned i = 0; i < n; i++) p[i] = p[i] * 2.0f + 1.0f;\n"
                    "    for (unsigned i = 0; i < n; i++) p[i] = p[i] * p[i] - 3.0f;\n}\n"
                    "float entry(float *p, unsigned n) { helper(p, n); return p[0]; }\n")
        calls = {}
        for mark in ("@", ""):
            with open(os.path.join(d, "table.txt"), "w") as f:
                f.write(f"hot t x t.c - helper,{mark}entry\n")
            r = run(EVIDENCE + [os.path.join(d, "out" + mark), "--root", d, "--table", os.path.join(d, "table.txt"),
                                "--skip", "vec,fold,ergonomics", "--compilers", "gcc", "--build", build])
            calls[mark] = {x["function"]: x["call_targets"] for x in rows(os.path.join(d, "out" + mark, "asm.csv"))}
        check("@entry: its static callee inlined as in the real build", calls["@"].get("entry") == "", calls)
        check("entry without @: gcc calls the address-taken callee (so the mark matters)",
              calls[""].get("entry") == "helper:1", calls)

    show = EVIDENCE[:2] + ["evidence.show"]
    r = run(show + ["fx_step", "--table", table, "--root", root, "--width", "180", "--build", build])
    head = r.stdout.splitlines()[2] if r.returncode == 0 else ""
    check("evidence.show: three columns bump, malloc, stack",
          r.returncode == 0 and re.match(r"bump .*  malloc .*  stack ", head), (r.returncode, head, r.stderr))
    check("evidence.show: the malloc column names malloc", "calls: free:" in r.stdout and "malloc:" in r.stdout)
    flags = " ".join(Build(build).flags_at("-O2"))
    check("evidence.show: compiled with the build's flags", f"gcc {flags}" in r.stdout, (flags, r.stdout[:300]))
    r = run(show + ["no_such_fn", "--table", table, "--root", root, "--build", build])
    check("evidence.show: unknown function, exit 2 naming the known ones",
          r.returncode == 2 and "add_vv" in r.stderr, (r.returncode, r.stderr))
    r = run(show + ["fx_step", "--table", table, "--root", root, "--build", os.path.join(root, "no-such-build")])
    check("evidence.show: a directory that is not a build, exit 2 naming ss_build.json",
          r.returncode == 2 and "no-such-build/ss_build.json not found" in r.stderr, (r.returncode, r.stderr))


def test_table(root, build):
    table = os.path.join(root, "harness", "evidence_table.txt")
    notes, errors = [], []
    b = Build(build)
    results = asmreport.collect(b, root, table, b.opt, ["gcc"], notes.append, errors)
    check("the table's sources compile", not errors, [brief(e, 6) for e in errors])
    n = 0
    for cc, e, funcs in results:
        for logical, (row, _) in funcs.items():
            n += 1
            check(f"{e.workload}/{e.impl}: {logical} ({row['symbol']}) found in {e.files[0]}", row["status"] == "ok")
    print(f"{n} functions in {len(results)} rows; " + ("; ".join(notes) if notes else "no row skipped"))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("parsers", "smoke", "table") or (
            sys.argv[1] != "parsers" and len(sys.argv) < 4):
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[2])
    if sys.argv[1] == "parsers":
        test_gcc()
        test_clang()
        test_normalizer()
        test_ergonomics()
    elif sys.argv[1] == "smoke":
        test_smoke(root, os.path.abspath(sys.argv[3]))
    else:
        test_table(root, os.path.abspath(sys.argv[3]))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
