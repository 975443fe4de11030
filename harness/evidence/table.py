"""The table of hot functions and counted sources (harness/evidence_table.txt; its header
says the format): which sources the evidence tools compile and which functions they report."""
import os

from evidence.errors import ToolError


def default_path(root):
    return os.path.join(root, "harness", "evidence_table.txt")


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

    def only(self, logical):
        """This row reduced to one function, compiled alone."""
        return Entry(self.kind, self.workload, self.impl, self.files, self.defines,
                     [f"{logical}={self.functions[logical]}"], self.lineno)


def load(path):
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


def hot_entries(root, table, notice=None):
    """The table's hot rows whose source exists; a missing one is skipped with a notice."""
    out = []
    for e in load(table):
        if e.kind != "hot":
            continue
        if not os.path.exists(os.path.join(root, e.files[0])):
            if notice:
                notice(f"skipped: {e.files[0]} ({e.workload}/{e.impl}) does not exist yet")
            continue
        out.append(e)
    return out
