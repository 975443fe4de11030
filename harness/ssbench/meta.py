"""Facts about the machine, the tree and the tools, and the one writer of meta.json (a run
folder's, the regression baseline's)."""
import glob
import json
import os
import platform
import re
import shutil
import subprocess

from ssbench.build import ROOT
from ssbench.modes import LIBDIR, MALLOC_LIBS
from ssbench.parsers import open_raw, raw_files


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def first_line(cmd):
    """The first line a tool prints (its version), or "not found"."""
    try:
        r = sh(cmd)
        return (r.stdout or r.stderr).splitlines()[0].strip() if r.returncode == 0 else "not found"
    except (OSError, IndexError):
        return "not found"


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def lscpu():
    """{field: value} of `lscpu` (without the trailing colons), {} without lscpu."""
    try:
        r = sh(["lscpu", "-J"])
        return {e["field"].rstrip(":"): e["data"] for e in json.loads(r.stdout)["lscpu"]} if r.returncode == 0 else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def cpu_details(cpuinfo, ls):
    """Vendor, family, model, stepping and the instruction-set extensions that matter here."""
    def field(name):
        m = re.search(rf"^{name}\s*:\s*(.+)$", cpuinfo, re.M)
        return m.group(1).strip() if m else ""
    flags = set((ls.get("Flags") or field("flags")).split())
    return {"vendor": ls.get("Vendor ID") or field("vendor_id"), "family": ls.get("CPU family") or field("cpu family"),
            "model": ls.get("Model") or field("model"), "stepping": ls.get("Stepping") or field("stepping"),
            "hypervisor": "hypervisor" in flags,
            "extensions": [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512bw") if f in flags]}


def caches():
    """[{level, type, size_bytes, line_bytes, shared_by}] of CPU 0, from sysfs, else from
    getconf (the C library's cpuid)."""
    out = []
    for d in sorted(glob.glob("/sys/devices/system/cpu/cpu0/cache/index*")):
        size = _read(os.path.join(d, "size"))
        m = re.match(r"(\d+)([KMG]?)", size)
        if not m:
            continue
        mult = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2)]
        shared = _read(os.path.join(d, "shared_cpu_list"))
        out.append({"level": int(_read(os.path.join(d, "level")) or 0), "type": _read(os.path.join(d, "type")),
                    "size_bytes": int(m.group(1)) * mult,
                    "line_bytes": int(_read(os.path.join(d, "coherency_line_size")) or 0) or None,
                    "shared_cpu_list": shared, "source": "sysfs"})
    if out:
        return out
    try:
        r = sh(["getconf", "-a"])
    except OSError:
        return out
    conf = dict(ln.split(None, 1) for ln in r.stdout.splitlines() if len(ln.split(None, 1)) == 2)
    for name, level, kind in (("LEVEL1_DCACHE", 1, "Data"), ("LEVEL1_ICACHE", 1, "Instruction"),
                              ("LEVEL2_CACHE", 2, "Unified"), ("LEVEL3_CACHE", 3, "Unified")):
        size = conf.get(f"{name}_SIZE", "").strip()
        if size.isdigit() and int(size) > 0:
            line = conf.get(f"{name}_LINESIZE", "").strip()
            out.append({"level": level, "type": kind, "size_bytes": int(size),
                        "line_bytes": int(line) if line.isdigit() else None, "source": "getconf"})
    return out


def frequency(cpuinfo):
    """CPU frequency in MHz: what /proc/cpuinfo reports now, and cpufreq's range and governor
    where the kernel exposes them (a virtual machine often does not)."""
    mhz = re.findall(r"^cpu MHz\s*:\s*([\d.]+)", cpuinfo, re.M)
    f = {"cpuinfo_mhz": [float(x) for x in mhz] or None}
    base = "/sys/devices/system/cpu/cpu0/cpufreq"
    for key, name in (("min_mhz", "cpuinfo_min_freq"), ("max_mhz", "cpuinfo_max_freq")):
        v = _read(os.path.join(base, name))
        f[key] = int(v) / 1000 if v.isdigit() else None
    f["governor"] = _read(os.path.join(base, "scaling_governor")) or None
    boost = _read("/sys/devices/system/cpu/cpufreq/boost")
    f["boost"] = (boost == "1") if boost else None
    return f


def load_average():
    """The 1-, 5- and 15-minute load averages (/proc/loadavg), or None."""
    parts = _read("/proc/loadavg").split()
    try:
        return {"1min": float(parts[0]), "5min": float(parts[1]), "15min": float(parts[2])}
    except (IndexError, ValueError):
        return None


def machine():
    cpuinfo = _read("/proc/cpuinfo")
    ls = lscpu()
    m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    cpu = ls.get("Model name") or (m.group(1) if m else platform.processor())
    mem = re.search(r"MemTotal:\s*(\d+) kB", _read("/proc/meminfo"))
    return {"cpu_model": cpu, "cpu": cpu_details(cpuinfo, ls), "cores": os.cpu_count(),
            "caches": caches(), "frequency": frequency(cpuinfo),
            "memory_kib": int(mem.group(1)) if mem else None,
            "kernel": platform.release(), "os": first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "transparent_hugepage": _read("/sys/kernel/mm/transparent_hugepage/enabled")}


#~ The toolchain's Debian packages, and google-benchmark as the run used it

PACKAGES = ["libc6", "libstdc++6", "libbenchmark1debian", "libbenchmark-dev", "libbenchmark-tools",
            "libmimalloc2.0", "libjemalloc2", "libtcmalloc-minimal4", "libgoogle-perftools4", "valgrind",
            "hyperfine", "cmake", "ninja-build", "binutils", "python3-scipy", "gnuplot-nox"]


def packages(commands=("gcc", "g++", "clang", "clang++")):
    """{package: version} of the toolchain and the malloc libraries (dpkg-query): the
    packages the compilers' binaries belong to, and PACKAGES; {} without dpkg."""
    names = list(PACKAGES)
    paths = [os.path.realpath(p) for p in (shutil.which(c) for c in commands) if p]
    try:
        if paths:
            r = sh(["dpkg", "-S", *paths])
            names += [ln.split(":")[0] for ln in r.stdout.splitlines() if ":" in ln]
        r = sh(["dpkg-query", "-W", "-f=${Package} ${Version} ${db:Status-Abbrev}\n", *dict.fromkeys(names)])
    except OSError:
        return {}
    out = {}
    for ln in r.stdout.splitlines():
        parts = ln.split()
        if len(parts) >= 3 and parts[2].startswith("ii"):
            out[parts[0]] = parts[1]
    return dict(sorted(out.items()))


def google_benchmark(run_dir):
    """google-benchmark as the run's JSON files report it: the library's build type (Debian's
    libbenchmark is a debug build; every run warns), the load average each file started with,
    the CPU frequency and caches it saw; its version from dpkg."""
    ctxs = []
    for p in raw_files(run_dir, "gbench"):
        try:
            with open_raw(p) as f:
                ctxs.append(json.load(f).get("context", {}) or {})
        except (OSError, ValueError, AttributeError, EOFError):
            continue
    if not ctxs:
        return None
    loads = [c["load_avg"][0] for c in ctxs if isinstance(c.get("load_avg"), list) and c["load_avg"]]
    types = sorted({c.get("library_build_type", "not reported") for c in ctxs})
    pk = packages(commands=())
    return {"version": pk.get("libbenchmark1debian") or pk.get("libbenchmark-dev"),
            "library_build_type": types[0] if len(types) == 1 else types, "debug_build": "debug" in types,
            "files": len(ctxs), "load_avg_1min_at_file_start": {"min": min(loads), "max": max(loads)} if loads else None,
            "mhz_per_cpu": ctxs[0].get("mhz_per_cpu"), "cpu_scaling_enabled": ctxs[0].get("cpu_scaling_enabled"),
            "caches": ctxs[0].get("caches")}


def after(run_dir):
    """What meta.json gains at the end of a run: the load average then, and google-benchmark
    as the run's JSON files report it."""
    return {"load_average_after": load_average(), "google_benchmark": google_benchmark(run_dir)}


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


# facts recorded by a folder's first meta.json and kept by every rewrite: the load before the
# run, and the toolchain as installed when it started
FIRST = {"load_average_before": load_average, "packages": packages}


def write(d, meta):
    """d/meta.json, replaced whole (never half-written: a run folder's is rewritten as the run
    goes). The first write records FIRST (unless meta gives them); later writes keep them."""
    try:
        with open(os.path.join(d, "meta.json")) as f:
            old = json.load(f)
    except (OSError, ValueError):
        old = {}
    meta = dict(meta)
    for k, fn in FIRST.items():
        if k not in meta:
            meta[k] = old[k] if isinstance(old, dict) and k in old else fn()
    tmp = os.path.join(d, "meta.json.tmp")
    with open(tmp, "w") as f:
        json.dump(meta, f, indent=2)
    os.replace(tmp, os.path.join(d, "meta.json"))
