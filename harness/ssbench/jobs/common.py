"""What every job family shares: which blocks of a mode a build measures, under which malloc
libraries, and the google-benchmark job."""
from ssbench import tools
from ssbench.modes import MALLOC_IMPLS
from ssbench.run import Job


def applies(run, block, level, variant):
    """Whether a block of the mode is measured on the build of (level, variant)."""
    levels = block.get("levels") or run.levels
    return level in levels and variant in block.get("variants", ["default"])


def libs_of(run, block, impls):
    """{malloc library: the block's implementations measured under it}: glibc for all of them,
    another library (one installed and in the mode) for the ones that call malloc."""
    out = {}
    for lib in block.get("libs", ["glibc"]):
        if lib != "glibc" and (lib not in run.mode["malloc_libs"] or not run.libs_found.get(lib)):
            continue
        chosen = impls if lib == "glibc" else [i for i in impls if i in MALLOC_IMPLS]
        if chosen:
            out[lib] = chosen
    return out


def tag_of(ctx):
    """compiler-level-variant of a build's context, e.g. gcc-O3-default (file names)."""
    return f"{ctx['compiler']}-{ctx['level'].lstrip('-')}-{ctx['variant']}"


def gbench_job(run, binary, select, min_time, ctx, name_fields, malloc_lib, tag, est, count):
    what = f"gbench {tag} ({count} case{'s' if count != 1 else ''})"
    return Job(what, est, lambda: tools.gbench(run, binary, select, min_time, ctx, name_fields, malloc_lib, tag), count)
