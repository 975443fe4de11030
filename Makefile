# The front door. `make test` and `make bench` are the two commands of the README; each
# installs the Debian packages it needs (as root) or names them.
PRESET ?= release
BUILD := build/$(PRESET)
MODE ?= quick
RUN ?= results/latest
# gnuplot draws the figures (the figure tests draw them too); fonts-dejavu-core gives it a font
FIGURE_DEPS := gnuplot-nox fonts-dejavu-core
TEST_DEPS := gcc g++ clang make cmake ninja-build python3 binutils valgrind libc6-dev libbenchmark-dev pkgconf hyperfine time \
             $(FIGURE_DEPS)
# the malloc libraries the malloc implementation is also run with (LD_PRELOAD); optional
MALLOC_DEPS := libmimalloc2.0 libjemalloc2 libgoogle-perftools4
# The Python tools are packages run as modules: harness/ssbench, harness/evidence, plots/figures.py.
PY := PYTHONPATH=$(CURDIR)/harness:$(CURDIR)/plots python3

.PHONY: test build deps bench figures compare publish perf-check perf-baseline clean

deps:
	@harness/deps.sh $(TEST_DEPS)

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)

# The labels stress and fuzz (minutes) are left to .ci/run: ctest --preset release -L stress|fuzz.
test: build
	@ctest --preset $(PRESET) -LE '^(stress|fuzz)$$'

# The benchmark matrix (MODE=quick, the default, or MODE=full) into results/<time>-<commit>/.
bench: deps
	@harness/deps.sh --optional $(MALLOC_DEPS)
	@$(PY) -m ssbench --mode $(MODE)

# The figures and report.md/report.html of a run folder, written into it.
figures:
	@harness/deps.sh $(FIGURE_DEPS)
	@$(PY) -m figures $(RUN)

# Two run folders side by side (python3 -m ssbench.compare): google-benchmark's compare.py over
# each pair of JSON files, the Hodges-Lehmann ratio B/A per case, the callgrind and hyperfine rows.
# compare.py is Debian's libbenchmark-tools and needs scipy; the tests run both (TEST_DEPS).
COMPARE_DEPS := libbenchmark-tools python3-scipy
TEST_DEPS += $(COMPARE_DEPS)
compare:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=<run folder> B=<run folder>" >&2; exit 2; }
	@harness/deps.sh $(COMPARE_DEPS)
	@$(PY) -m ssbench.compare $(A) $(B)

# A run folder made fit to commit (results/paper, results/reference; python3 -m ssbench.publish):
# its raw JSON compressed, no callgrind outputs or logs, at most 20 MB. FORCE=1 replaces DEST.
publish:
	@test -n "$(DEST)" || { echo "usage: make publish [RUN=<run folder>] DEST=results/<name> [FORCE=1]" >&2; exit 2; }
	@$(PY) -m ssbench.publish $(RUN) $(DEST) $(if $(FORCE),--force)

# Instruction counts of fixed small cases (callgrind) against results/baseline/<level>/ (threshold
# PERF_THRESHOLD, default 2 %), the thesis checks beside them, and the ss_alloc invariant: at
# -O2 (the $(PRESET) build) and at -O3 (PERF_O3, only ss-run built). perf-baseline rewrites both
# baselines on purpose (see docs/harness.md for when).
PERF_O3 ?= release-O3
.PHONY: build-perf-O3
build-perf-O3: deps
	@cmake --preset $(PERF_O3) >/dev/null
	@cmake --build --preset $(PERF_O3) --target ss-run

perf-check: build build-perf-O3
	@$(PY) -m ssbench.perfcheck --build $(BUILD); a=$$?; \
	  $(PY) -m ssbench.perfcheck --build build/$(PERF_O3); b=$$?; exit $$((a || b))

perf-baseline: build build-perf-O3
	@$(PY) -m ssbench.perfcheck --build $(BUILD) --write-baseline
	@$(PY) -m ssbench.perfcheck --build build/$(PERF_O3) --write-baseline

clean:
	rm -rf build

# The WebAssembly page (web/): emscripten builds it into build/web, chromium tests it. Both are
# test dependencies, so `make test` on a fresh machine installs what the web tests need.
WEB_DEPS := emscripten chromium
TEST_DEPS += $(WEB_DEPS)
WEB_OUT ?= $(CURDIR)/build/web
WEB_BUILD ?= $(CURDIR)/build/web-build
SS_OPT ?= -O2
PORT ?= 8000
.PHONY: web serve-web
# The same CMake build as the native one, configured with emscripten (web/CMakeLists.txt).
# Debian's emcc runs its JS tools with the first node on PATH; its acorn is in /usr/share/nodejs.
web:
	@harness/deps.sh emscripten
	@NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B $(WEB_BUILD) -G Ninja -DBUILD_TESTING=OFF \
	  -DSS_OPT=$(SS_OPT) -DSS_WEB_OUT=$(WEB_OUT) >/dev/null
	@NODE_PATH=/usr/share/nodejs cmake --build $(WEB_BUILD) --target web
	@echo "web: built into $(WEB_OUT) (make serve-web serves it)"

serve-web: web
	@echo "web: serving build/web (Ctrl-C stops); PORT=0 picks a free port"
	@python3 web/serve.py --port $(PORT) $(WEB_OUT)

#~ Compiler evidence (harness/evidence/ writes it into every run folder)
# clang's YAML optimization records are read with PyYAML (harness/evidence/vecreport.py)
TEST_DEPS += python3-yaml

# One function's assembly in the three implementations, side by side (python3 -m evidence.show),
# compiled with the flags and include directories of the configured build (default: its level).
.PHONY: evidence
evidence:
	@test -n "$(FUNC)" || { echo "usage: make evidence FUNC=name [COMPILER=gcc|clang|both] [OPT=-O3]" >&2; exit 2; }
	@cmake --preset $(PRESET) >/dev/null
	@$(PY) -m evidence.show $(FUNC) --build $(BUILD) --compiler $(or $(COMPILER),gcc) $(if $(OPT),--opt=$(OPT))
