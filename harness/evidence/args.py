"""The command-line arguments the evidence tools share: the build whose flags they compile
with, the source root the table's paths are relative to, the table."""
import os
import sys

from evidence.table import default_path
from ssbench.build import DEFAULT, Build, BuildError


def add_build(ap, table=False):
    ap.add_argument("--build", default=DEFAULT,
                    help="a configured build: its ss_build.json and compile_commands.json give the flags "
                         "and include directories (default: build/release)")
    ap.add_argument("--root", default=None, help="the sources' root (default: the build's source directory)")
    if table:
        ap.add_argument("--table", default=None, help="default: ROOT/harness/evidence_table.txt")


def open_build(a, prog):
    """(Build, root) of the parsed arguments; a build that cannot be read ends the program
    with its message (exit 2)."""
    try:
        build = Build(a.build)
    except BuildError as e:
        print(f"{prog}: {e}", file=sys.stderr)
        sys.exit(2)
    return build, os.path.abspath(a.root or build.source_dir)


def table_path(a, root):
    return a.table or default_path(root)
