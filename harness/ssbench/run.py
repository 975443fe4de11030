"""One run of the matrix: the mode it runs, its folder results/<UTC-time>-<git-short>/ (never
overwritten; results/latest points to the newest), the logs of its steps, what it skipped and
its meta.json."""
import datetime
import os
import shutil

from ssbench import meta
from ssbench.build import Build, BuildError, build_dir, compiler_of, flags_of
from ssbench.callgrind import GLIBC_TUNABLES
from ssbench.estimate import Costs
from ssbench.modes import COMPILERS, MODES, VARIANTS, WORKLOADS
from ssbench.results import Summary
from ssbench.tools import GBENCH_FLAGS


class Fatal(Exception):
    """An error that ends the run with a message (the run folder keeps what was measured)."""


class Job:
    """One step of the plan: what it is, its time estimate (s), fn() -> summary rows, and how
    many cases it measures (google-benchmark cases, whole-process cases, callgrind counts)."""

    def __init__(self, what, est, fn, cases=0):
        self.what, self.est, self.fn, self.cases = what, est, fn, cases


class Run:
    def __init__(self, args):
        if args.mode not in MODES:
            raise Fatal(f"unknown mode '{args.mode}' (modes: {', '.join(MODES)})")
        self.mode = dict(MODES[args.mode])
        self.mode_name = args.mode
        if args.compilers:
            wanted = args.compilers.split(",")
            for c in wanted:
                if c not in COMPILERS:
                    raise Fatal(f"unknown compiler '{c}' (compilers: {', '.join(COMPILERS)})")
            self.mode["compilers"] = wanted
            self.mode["variants"] = {c: self.mode["variants"].get(c, ["default"]) for c in wanted}
        if args.workloads:
            wanted = args.workloads.split(",")
            for w in wanted:
                if w not in WORKLOADS:
                    raise Fatal(f"unknown workload '{w}' (workloads: {', '.join(WORKLOADS)})")
            for w in WORKLOADS:
                if w not in wanted:
                    self.mode[w] = None
        self.given = None  # --build-dir: (compiler, level, its directory)
        if args.build_dir:
            try:
                b = Build(args.build_dir)
            except BuildError as e:
                raise Fatal(f"--build-dir: {e}") from None
            self.given = (compiler_of(b), b.level, b.dir)
        levels = self.mode["levels"]
        if levels == "build":  # the level (and compiler) of the build given
            if not self.given:
                raise Fatal(f"mode {args.mode} measures the build given: --build-dir DIR is required")
            self.mode["compilers"] = [self.given[0]]
            self.mode["variants"] = {self.given[0]: ["default"]}
            levels = [self.given[1]]
        self.levels = list(levels)
        self.args = args
        self.skipped = []
        self.libs_found = meta.malloc_libs_found()
        self.builds = {}  # (compiler, level, variant) -> build directory
        self.costs = Costs()
        self.dir = None

    def build_keys(self):
        """(compiler, level, variant) of every build of the run: every level for the default
        variant, the visibility variants at the first level."""
        return [(c, lv, v) for c in self.mode["compilers"] for lv in self.levels
                for v in (self.mode["variants"][c] if lv == self.levels[0] else ["default"])]

    def given_build(self, compiler, level, variant):
        """Whether --build-dir gives this build (it is not built by the run)."""
        return bool(self.given) and (compiler, level, variant) == (self.given[0], self.given[1], "default")

    def build_info(self, d):
        """What a build says about itself (ss_build.json), or None (not built: a dry run)."""
        try:
            return Build(d).info
        except BuildError:
            return None

    def has(self, path):
        """A binary the plan can use (a dry run plans as if every build had succeeded)."""
        return self.args.dry_run or os.path.exists(path)

    def skip(self, why):
        if why not in self.skipped:
            self.skipped.append(why)

    def check_tools(self):
        need = {"cmake": "cmake", "hyperfine": "hyperfine", "valgrind": "valgrind", "/usr/bin/time": "time",
                "callgrind_annotate": "valgrind"}
        for c in self.mode["compilers"]:
            need[COMPILERS[c][0]] = c
            need[COMPILERS[c][1]] = "g++" if c == "gcc" else "clang"
        missing = [f"{tool} (Debian package {pkg})" for tool, pkg in need.items() if shutil.which(tool) is None]
        if missing:
            raise Fatal("missing tools: " + ", ".join(missing))

    def open_folder(self):
        g = meta.git()
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        base = os.path.abspath(self.args.results)
        d = os.path.join(base, f"{stamp}-{g['short']}")
        k = 1
        while os.path.exists(d):  # never overwrite a run
            k += 1
            d = os.path.join(base, f"{stamp}-{g['short']}-{k}")
        for sub in ("gbench", "hyperfine", "callgrind", "logs"):
            os.makedirs(os.path.join(d, sub))
        self.dir, self.git = d, g
        latest = os.path.join(base, "latest")
        try:
            if os.path.islink(latest) or os.path.exists(latest):
                os.remove(latest)
            os.symlink(os.path.basename(d), latest)
        except OSError:
            pass
        self.summary = Summary(d)

    def log(self, tag, text):
        """logs/<tag>.log: one step's output."""
        with open(os.path.join(self.dir, "logs", f"{tag}.log"), "w") as f:
            f.write(text)

    def exec(self, cmd, tag, env=None):
        r = meta.sh(cmd, env=env)
        self.log(tag, f"$ {' '.join(cmd)}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}\n")
        return r

    def default_build(self):
        """The build of the first compiler's default variant: the one growth and the compiler
        evidence use (its flags are the suite's, its objects the ones counted)."""
        return self.builds[(self.mode["compilers"][0], self.levels[0], "default")]

    def write_meta(self, status, extra=None):
        def flags(c, lv, v):
            return flags_of(self.builds.get((c, lv, v), build_dir(c, lv, v)))
        # flags: the first level's builds (as before levels were an axis); flags_by_level: all
        compilers = {c: {"version": meta.first_line([COMPILERS[c][0], "--version"]),
                         "flags": {v: flags(c, self.levels[0], v) for v in self.mode["variants"][c]},
                         "flags_by_level": {lv: {v: flags(c, lv, v) for cc, l2, v in self.build_keys()
                                                 if (cc, l2) == (c, lv)} for lv in self.levels}}
                     for c in self.mode["compilers"]}
        m = {"mode": self.mode_name, "status": status,
             "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
             "machine": meta.machine(), "git": self.git, "compilers": compilers,
             "variants": {v: VARIANTS[v] for c in self.mode["compilers"] for v in self.mode["variants"][c]},
             "malloc_libs_found": self.libs_found, "glibc_tunables_for_callgrind": GLIBC_TUNABLES,
             "tools": {"hyperfine": meta.first_line(["hyperfine", "--version"]),
                       "valgrind": meta.first_line(["valgrind", "--version"]),
                       "cmake": meta.first_line(["cmake", "--version"])},
             "levels": self.levels, "gbench_flags": GBENCH_FLAGS, "matrix": self.mode,
             "calibration": self.costs.about(), "skipped": self.skipped}
        if extra:
            m.update(extra)
        meta.write(self.dir, m)
