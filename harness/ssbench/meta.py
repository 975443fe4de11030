"""Facts about the machine, the tree and the tools, and the one writer of meta.json (a run
folder's, the regression baseline's)."""
import json
import os
import platform
import re
import subprocess

from ssbench.build import ROOT
from ssbench.modes import LIBDIR, MALLOC_LIBS


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def first_line(cmd):
    """The first line a tool prints (its version), or "not found"."""
    try:
        r = sh(cmd)
        return (r.stdout or r.stderr).splitlines()[0].strip() if r.returncode == 0 else "not found"
    except (OSError, IndexError):
        return "not found"


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            cpu = m.group(1) if m else platform.processor()
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = re.search(r"MemTotal:\s*(\d+) kB", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    thp = ""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            thp = f.read().strip()
    except OSError:
        pass
    return {"cpu_model": cpu, "cores": os.cpu_count(), "memory_kib": int(mem) if mem else None,
            "kernel": platform.release(), "os": first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "transparent_hugepage": thp}


def level_of(meta):
    """The optimisation level of a run that did not record it per row (the first summary
    schema): the one its default builds' flags name, if they agree; else ""."""
    levels = set()
    for c in (meta.get("compilers") or {}).values():
        flags = (c.get("flags") or {}).get("default", "") if isinstance(c, dict) else ""
        levels.update(re.findall(r"(?<!\S)(-O[0-3sz]|-Ofast)(?!\S)", flags))
    return levels.pop() if len(levels) == 1 else ""


def git():
    commit = sh(["git", "-C", ROOT, "rev-parse", "HEAD"]).stdout.strip() or "unknown"
    short = sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip() or "nogit"
    dirty = bool(sh(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]).stdout.strip())
    return {"commit": commit, "short": short, "dirty": dirty}


def malloc_libs_found():
    return {name: (lib is None or os.path.exists(os.path.join(LIBDIR, lib))) for name, lib in MALLOC_LIBS.items()}


def write(d, meta):
    """d/meta.json, replaced whole (never half-written: a run folder's is rewritten as the run
    goes)."""
    tmp = os.path.join(d, "meta.json.tmp")
    with open(tmp, "w") as f:
        json.dump(meta, f, indent=2)
    os.replace(tmp, os.path.join(d, "meta.json"))
