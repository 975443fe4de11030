"""Compiling for the evidence tools: a source, or a probe unit around it, with the build's
flags at a given optimisation level (ss_build.json: codegen_flags, std) and the include
directories the build compiles that source with (compile_commands.json)."""
import os
import subprocess

from evidence.errors import ToolError


def command(cc, build, src, level, out, defines=(), extra=(), unit=None):
    """The command compiling `unit` (default: src itself) to out, with src's include
    directories in the build; and whether the build compiles src at all."""
    args, known = build.source_args(src, defines)
    return [cc, *build.flags_at(level), "-c", unit or src, "-o", out, *extra, *args], known


def run(cmd, known, src, what, cwd=None):
    """Runs a compile command; its failure is a ToolError with the command, naming a source
    the build does not compile (it gets none of the build's include directories)."""
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        unknown = "" if known else (f"\n({src} is not in the build's compile_commands.json: "
                                    f"compiled without the build's include directories)")
        raise ToolError(f"{cmd[0]} failed on {what}:\n{r.stderr}command: {' '.join(cmd)}{unknown}")
    return r.stderr


def compile_object(cc, build, src, level, out, defines=()):
    """src alone to the object out."""
    cmd, known = command(cc, build, src, level, out, defines)
    run(cmd, known, src, src)


def probe_source(src, symbols):
    """A translation unit that is `src` plus an address taken of every symbol, so static
    (inline) functions are emitted out of line under their own names, compiled alone."""
    keep = ", ".join(f"(void *){s}" for s in symbols)
    return (f'#include "{os.path.abspath(src)}"\n'
            f"static void *const ss__evidence_keep[] __attribute__((used)) = {{{keep}}};\n")


def compile_probe(cc, build, root, entry, opt, workdir, extra=(), symbols=None):
    """Compiles a hot row's probe unit (its source, `symbols` (default: all the row's
    functions) forced out of line) in workdir; returns (object path, the compiler's stderr)."""
    src = os.path.join(root, entry.files[0])
    unit = os.path.join(workdir, f"{entry.impl}_{os.path.basename(src)}")
    with open(unit, "w") as f:
        f.write(probe_source(src, entry.functions.values() if symbols is None else symbols))
    obj = os.path.join(workdir, "probe.o")
    cmd, known = command(cc, build, src, opt, obj, entry.defines, extra, unit)
    return obj, run(cmd, known, src, f"{entry.files[0]} ({entry.workload}/{entry.impl})", cwd=workdir)
