"""ergonomics — what each memory style asks of the programmer, counted from the source.

For every `count` row of the table (harness/evidence_table.txt): the files' lines of code
(non-blank after comments are removed), allocation statements (calls of ss_alloc*, ss_new*,
ss_push, malloc, calloc, realloc, aligned_alloc, posix_memalign), free statements (calls of
free, plus every declaration marked for release at scope exit: `__attribute__((cleanup))`
written out or through a macro that expands to it; those are also in cleanup_decls), and
scope statements (ss_scope_begin/reset/end). Writes OUTDIR/ergonomics.csv.
Occurrences are counted, so a line allocating two vectors counts two.
"""
import os
import re

from evidence.table import load
from ssbench.results import write_csv

FIELDS = ["workload", "impl", "files", "loc", "alloc_stmts", "free_stmts", "cleanup_decls", "scope_stmts"]
ALLOC = ["ss_alloc", "ss_alloc_aligned", "ss_alloc_bytes", "ss_new", "ss_new_aligned", "ss_push",
         "malloc", "calloc", "realloc", "aligned_alloc", "posix_memalign"]
FREE = ["free"]
SCOPE = ["ss_scope_begin", "ss_scope_reset", "ss_scope_end"]


def strip_comments(text):
    """The C text without comments, string and character literals (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def calls(code, names):
    return sum(len(re.findall(rf"\b{re.escape(f)}\s*\(", code)) for f in names)


def count(code):
    """Counts for one file's code (comments already stripped)."""
    lines = [ln for ln in code.splitlines() if ln.strip()]
    # macros that expand to a cleanup attribute: each use is a declaration freed at scope exit
    cleanup_macros = re.findall(r"^\s*#\s*define\s+(\w+)\b[^\n]*__attribute__\s*\(\(\s*cleanup", code, re.M)
    body = re.sub(r"^\s*#\s*define[^\n]*(\\\n[^\n]*)*", "", code, flags=re.M)   # definitions are not uses
    cleanup = len(re.findall(r"__attribute__\s*\(\(\s*cleanup\s*\(", body))
    cleanup += sum(len(re.findall(rf"\b{m}\b", body)) for m in cleanup_macros)
    return {"loc": len(lines), "alloc_stmts": calls(body, ALLOC), "free_stmts": calls(body, FREE) + cleanup,
            "cleanup_decls": cleanup, "scope_stmts": calls(body, SCOPE)}


def report(root, table, notice=None):
    """The rows of ergonomics.csv, one per `count` row of the table whose files all exist."""
    rows = []
    for e in load(table):
        if e.kind != "count":
            continue
        present = [f for f in e.files if os.path.exists(os.path.join(root, f))]
        if len(present) != len(e.files):
            if notice:
                notice(f"skipped: {e.workload}/{e.impl}: {', '.join(sorted(set(e.files) - set(present)))} "
                       f"does not exist yet")
            continue
        total = {k: 0 for k in FIELDS[3:]}
        for f in e.files:
            with open(os.path.join(root, f)) as fh:
                for k, v in count(strip_comments(fh.read())).items():
                    total[k] += v
        rows.append({"workload": e.workload, "impl": e.impl, "files": " ".join(e.files), **total})
    return rows


def write(outdir, rows):
    """outdir/ergonomics.csv."""
    write_csv(os.path.join(outdir, "ergonomics.csv"), FIELDS, rows)
