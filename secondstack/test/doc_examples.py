#!/usr/bin/env python3
"""The documentation's examples, compiled and run, in release and in debug mode.

    doc_examples.py --cc CC --include DIR --lib LIB --debug-lib LIB FILE...

A header (.h): every block that starts with a line `// example: NAME` (in the header's
comment, indented) and runs to the next line indented less, or to a blank line followed by
one. Blocks marked `(file scope)` go before main(), the others into main() in order, each in
braces of its own, after a prelude giving them a 64 MiB region's allocator `s` and
`unsigned n = 100` — one program per header.
A Markdown file (.md): every ```c block that defines main() is a program of its own.
Each program is compiled with -Wall -Wextra -Werror, linked with the release library and run;
then again with -DSS_DEBUG and the debug library (not a header-only program: debug mode lives
in the library). Exit 77 (skipped) without a C compiler.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

PRELUDE = """#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ss_region.h"
"""
MAIN_OPEN = """
int main(void) {
    ss_region example_region;
    if (ss_region_create(&example_region, "example", (size_t)64 << 20) != 0) return 2;
    ss_allocator s = ss_region_allocator(&example_region);
    unsigned n = 100;
    (void)s, (void)n;
"""
MAIN_CLOSE = """    ss_region_destroy(&example_region);
    puts("examples ran");
    return 0;
}
"""


def header_blocks(text):
    """[(name, file_scope, code)] of the `// example:` blocks of a header's comments."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        m = re.match(r"^(\s*)// example: (.+?)\s*$", lines[i])
        if not m:
            i += 1
            continue
        indent, name = len(m.group(1)), m.group(2)
        body, i = [], i + 1
        while i < len(lines):
            line = lines[i]
            if line.strip() == "":
                nxt = next((l for l in lines[i + 1:] if l.strip()), "")
                if len(nxt) - len(nxt.lstrip()) < indent or nxt.lstrip().startswith("// example:"):
                    break
            elif len(line) - len(line.lstrip()) < indent:
                break
            body.append(line[indent:])
            i += 1
        scope = name.endswith("(file scope)")
        out.append((name.replace("(file scope)", "").strip(), scope, "\n".join(body)))
    return out


def header_program(blocks):
    top = "\n\n".join(code for _, scope, code in blocks if scope)
    inner = "".join(f"    {{ /* {name} */\n" + "\n".join("        " + l for l in code.splitlines()) + "\n    }\n"
                    for name, scope, code in blocks if not scope)
    return PRELUDE + "\n" + top + "\n" + MAIN_OPEN + inner + MAIN_CLOSE


def markdown_programs(text):
    return [b for b in re.findall(r"```c\n(.*?)```", text, re.S) if re.search(r"\bint main\s*\(", b)]


def build_and_run(cc, include, lib, debug, src, workdir, label):
    exe = os.path.join(workdir, "prog")
    cmd = [cc, "-std=c17", "-Wall", "-Wextra", "-Werror", f"-I{include}", f"-I{os.path.dirname(include)}",
           *(["-DSS_DEBUG"] if debug else []), src, lib, "-pthread", "-lm", "-o", exe]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return f"{label}: does not compile:\n{r.stderr}"
    r = subprocess.run([exe], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        return f"{label}: exit {r.returncode}:\n{r.stdout}{r.stderr}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--include", required=True, help="the folder holding secondstack.h and ss_region.h")
    ap.add_argument("--lib", required=True)
    ap.add_argument("--debug-lib", required=True)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if not shutil.which(a.cc):
        print(f"skipped: {a.cc} not found")
        return 77
    programs = []
    for path in a.files:
        with open(path) as f:
            text = f.read()
        if path.endswith(".h"):
            blocks = header_blocks(text)
            if not blocks:
                print(f"FAILED: {path}: no `// example:` block")
                return 1
            programs.append((f"{os.path.basename(path)} ({', '.join(b[0] for b in blocks)})",
                             header_program(blocks)))
        else:
            found = markdown_programs(text)
            programs += [(f"{os.path.basename(path)} program {k + 1}", p) for k, p in enumerate(found)]
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        for label, code in programs:
            src = os.path.join(d, "example.c")
            with open(src, "w") as f:
                f.write(code)
            modes = ((False, a.lib),) if "#define SS_HEADER_ONLY" in code else ((False, a.lib), (True, a.debug_lib))
            for debug, lib in modes:
                mode = "debug" if debug else "release"
                err = build_and_run(a.cc, a.include, lib, debug, src, d, f"{label}, {mode}")
                print(f"{'FAILED' if err else 'ok'}: {label}, {mode}")
                if err:
                    print(err)
                    failures += 1
    runs = sum(1 if "#define SS_HEADER_ONLY" in code else 2 for _, code in programs)
    print(f"{runs - failures} passed, {failures} failed")
    return 1 if failures or not programs else 0


if __name__ == "__main__":
    sys.exit(main())
