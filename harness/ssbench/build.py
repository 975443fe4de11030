"""The source tree's builds: configure and build a variant of the matrix, and read what a
build says about itself.

Flags are defined once, in CMake (the root CMakeLists.txt: SS_FLAGS, SS_CODEGEN_FLAGS). A configured build writes ss_build.json
(compilers, the flags without the level and the level, the size lists, the hot objects) and
compile_commands.json (each source's include directories and defines); tools that compile or
read objects take them from there, never from a list of their own.
"""
import json
import os
import shlex
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT = os.path.join(ROOT, "build", "release")


class BuildError(RuntimeError):
    """A build that cannot be made or read: the message names the directory and the fix."""


#~ Reading a build

class Build:
    """One configured build directory, as ss_build.json and compile_commands.json describe it."""

    def __init__(self, d):
        self.dir = os.path.abspath(d)
        path = os.path.join(self.dir, "ss_build.json")
        try:
            with open(path) as f:
                self.info = json.load(f)
        except FileNotFoundError:
            raise BuildError(f"{path} not found: {self.dir} is not a configured build of this tree "
                             f"(cmake --preset release configures build/release)") from None
        except (OSError, json.JSONDecodeError) as e:
            raise BuildError(f"{path}: unreadable: {e}") from None
        missing = [k for k in ("codegen_flags", "level_flags", "opt", "std", "flags", "hot_objects")
                   if k not in self.info]
        if missing:
            raise BuildError(f"{path}: no {', '.join(missing)} (written by an older CMakeLists.txt: reconfigure)")
        self._commands = None

    @property
    def flags(self):
        """Every compile flag of the build's timed code, as one string (for meta.json)."""
        return self.info["flags"]

    @property
    def opt(self):
        return self.info["opt"]

    @property
    def level(self):
        """The optimisation level the build compiles with (-O0 for a debug build, whatever its SS_OPT)."""
        return self.info["level_flags"][0] if self.info["level_flags"] else self.opt

    @property
    def source_dir(self):
        return self.info.get("source_dir", ROOT)

    def flags_at(self, level):
        """The build's compile flags with the optimisation level `level` instead of its own."""
        return [level, *self.info["codegen_flags"], self.info["std"]]

    def hot_objects(self):
        """The object files whose every function is hot (the bump implementations and the
        allocation kernels), as the build names them."""
        return [os.path.normpath(o) for objs in self.info["hot_objects"].values() for o in objs]

    def source_args(self, src, defines=()):
        """(include and define arguments, whether the build compiles src): -I/-isystem/-iquote
        of src's compile command in compile_commands.json (the command whose defines are
        `defines`, else its first) and -D of `defines`. A source the build does not compile gets
        only its defines."""
        entries = self._entries().get(os.path.realpath(src), [])
        want = sorted(f"-D{d}" for d in defines)
        chosen = next((e for e in entries if sorted(e["defines"]) == want), entries[0] if entries else None)
        includes = chosen["includes"] if chosen else []
        return includes + [f"-D{d}" for d in defines], chosen is not None

    def _entries(self):
        """{real path of a source: [{includes, defines}, ...]} from compile_commands.json."""
        if self._commands is None:
            path = os.path.join(self.dir, "compile_commands.json")
            try:
                with open(path) as f:
                    commands = json.load(f)
            except FileNotFoundError:
                raise BuildError(f"{path} not found: configure with CMAKE_EXPORT_COMPILE_COMMANDS "
                                 f"(the root CMakeLists.txt sets it)") from None
            table = {}  # filled, then published whole: the evidence tools read it from several threads
            for c in commands:
                args = c.get("arguments") or shlex.split(c["command"])
                src = os.path.realpath(os.path.join(c["directory"], c["file"]))
                table.setdefault(src, []).append(_includes_and_defines(args, c["directory"]))
            self._commands = table
        return self._commands


def _includes_and_defines(args, directory):
    """The include directories (made absolute) and defines of one compile command."""
    includes, defines = [], []
    it = iter(args)
    for a in it:
        if a in ("-I", "-isystem", "-iquote", "-D"):
            value = next(it, "")
            if a == "-D":
                defines.append("-D" + value)
            else:
                includes += [a, os.path.normpath(os.path.join(directory, value))]
        elif a.startswith("-I"):
            includes.append("-I" + os.path.normpath(os.path.join(directory, a[2:])))
        elif a.startswith("-isystem"):
            includes += ["-isystem", os.path.normpath(os.path.join(directory, a[len("-isystem"):]))]
        elif a.startswith("-D"):
            defines.append(a)
    return {"includes": includes, "defines": defines}


#~ Making the matrix's builds (one directory per compiler, level and variant)

# what a build of the matrix needs: every program for the default variant; a visibility
# variant is timed by bench_rk4 and bench_alloc only
TARGETS = {"default": ["ss-run", "bench_rk4", "bench_rk4_layout", "bench_physics", "bench_alloc", "bench_growth"],
           "variant": ["bench_rk4", "bench_alloc"]}


def build_dir(compiler, level, variant):
    """build/bench-<compiler>-<level without its dash>-<variant>, e.g. build/bench-gcc-O3-default."""
    return os.path.join(ROOT, "build", f"bench-{compiler}-{level.lstrip('-')}-{variant}")


def configure_and_build(compiler, level, variant, cc, cxx, cmake_args, log):
    """Configures and builds build/bench-<compiler>-<level>-<variant> (SS_OPT=level, the programs
    the matrix runs on it); each command and its output go to log. Returns the directory."""
    d = build_dir(compiler, level, variant)
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    cmd = ["cmake", "-S", ROOT, "-B", d, *gen, "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_C_COMPILER={cc}",
           f"-DCMAKE_CXX_COMPILER={cxx}", "-DBUILD_TESTING=OFF", f"-DSS_OPT={level}", *cmake_args]
    targets = TARGETS["default" if variant == "default" else "variant"]
    for c in (cmd, ["cmake", "--build", d, "-j", str(os.cpu_count() or 2), "--target", *targets]):
        r = subprocess.run(c, capture_output=True, text=True)
        log.write(f"$ {' '.join(c)}\n{r.stdout}{r.stderr}\n")
        if r.returncode != 0:
            raise BuildError(f"build {compiler}/{level}/{variant} failed: {' '.join(c)}\n{r.stderr[-2000:]}")
    return d


def flags_of(d):
    """The flags a build records (meta.json), or "" for a directory not built yet."""
    try:
        return Build(d).flags
    except BuildError:
        return ""


def compiler_of(build):
    """gcc or clang: the matrix's name of a build's C compiler."""
    return "clang" if build.info.get("c_compiler_id", "").lower() == "clang" else "gcc"
