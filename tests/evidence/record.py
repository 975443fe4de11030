#!/usr/bin/env python3
"""Records the compilers' output on the miniature library (tests/evidence/fixture_*.c) into
tests/evidence/recorded/, where test_evidence.py parses it: so a change of the compilers'
report formats shows up as a failing test, not as an empty table. Run it after a compiler
upgrade and review the diff (the expected values in test_evidence.py may need updating).

    PYTHONPATH=harness python3 tests/evidence/record.py [ROOT] [--build DIR]

The fixtures are compiled with the build's flags and include directories (default build:
build/release), as the evidence tools compile them.

gcc's JSON record is pruned to the passes the parser reads (vect, slp) and pretty-printed;
records (and children) that carry no
success, failure, loop count or loop analysis are dropped; nothing else is changed.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

from evidence.compile import compile_probe
from evidence.table import load
from ssbench.build import DEFAULT, Build

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [  # (compiler, opt, impl)
    ("gcc", "-O2", "bump"), ("gcc", "-O2", "malloc"), ("gcc", "-O2", "stack"), ("gcc", "-O3", "bump"),
    ("clang", "-O2", "bump"), ("clang", "-O2", "malloc"), ("clang", "-O2", "stack"),
]
OBJDUMP = [("gcc", "malloc"), ("clang", "malloc"), ("gcc", "bump"), ("clang", "stack")]


def prune(data):
    keep = set()

    def walk(ps):
        for p in ps:
            if p["name"] in ("vect", "slp"):
                keep.add(p["id"])
            walk(p.get("children", []))

    walk(data[1])

    def useful(r):
        """The record, its children pruned to what the parser reads, or None."""
        kids = [k for k in (useful(c) for c in r.get("children", [])) if k]
        text = json.dumps(r.get("message"))
        if not (kids or r["kind"] in ("success", "failure") or "loops in function" in text
                or "analyze_loop_nest" in text):
            return None
        r = dict(r)
        if kids:
            r["children"] = kids
        else:
            r.pop("children", None)
        return r

    recs = [u for u in (useful(r) for r in data[2] if r.get("pass") in keep) if u]
    return [data[0], data[1], recs]


def dump(data):
    """One record a line: small diffs when a compiler changes."""
    return ("[" + json.dumps(data[0]) + ",\n" + json.dumps(data[1]) + ",\n[\n"
            + ",\n".join(json.dumps(r) for r in data[2]) + "\n]]\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", default=os.path.join(HERE, "..", ".."))
    ap.add_argument("--build", default=DEFAULT)
    a = ap.parse_args()
    root, build = os.path.abspath(a.root), Build(a.build)
    out = os.path.join(HERE, "recorded")
    entries = {e.impl: e for e in load(os.path.join(HERE, "table.txt")) if e.kind == "hot"}
    for cc, opt, impl in CASES:
        with tempfile.TemporaryDirectory() as d:
            if cc == "gcc":
                compile_probe(cc, build, root, entries[impl], opt, d, ["-fsave-optimization-record"])
                rec = [f for f in os.listdir(d) if f.endswith(".opt-record.json.gz")][0]
                with gzip.open(os.path.join(d, rec), "rt") as f:
                    data = prune(json.load(f))
                text = dump(data).replace(root + "/", "")
                name = f"gcc{opt}-{impl}.opt-record.json"
            else:
                y = os.path.join(d, "r.yaml")
                compile_probe(cc, build, root, entries[impl], opt, d, [
                    "-fsave-optimization-record", "-foptimization-record-passes=loop-vectorize|slp-vectorizer",
                    f"-foptimization-record-file={y}"])
                with open(y) as f:
                    text = f.read().replace(root + "/", "")
                name = f"clang{opt}-{impl}.opt-record.yaml"
        with open(os.path.join(out, name), "w") as f:
            f.write(text)
        print(f"recorded {name}")
    for cc, impl in OBJDUMP:
        with tempfile.TemporaryDirectory() as d:
            obj, _ = compile_probe(cc, build, root, entries[impl], "-O2", d)
            r = subprocess.run(["objdump", "-d", "-r", "--no-show-raw-insn", "-M", "intel", obj],
                               capture_output=True, text=True, check=True)
        name = f"objdump-{cc}-O2-{impl}.txt"
        with open(os.path.join(out, name), "w") as f:
            f.write(r.stdout.replace(obj, "probe.o"))
        print(f"recorded {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
