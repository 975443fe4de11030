# The front door. `make test` and `make bench` are the two commands of the README; each
# installs the Debian packages it needs (as root) or names them.
PRESET ?= release
BUILD := build/$(PRESET)
TEST_DEPS := gcc g++ clang make cmake ninja-build python3 binutils valgrind libc6-dev libbenchmark-dev

.PHONY: test build deps bench figures perf-check perf-baseline clean

deps:
	@harness/deps.sh $(TEST_DEPS)

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)

test: build
	@ctest --preset $(PRESET)

bench figures perf-check perf-baseline:
	@echo "make $@: not built yet (the harness, figures and regression check are still to come)" >&2
	@exit 2

clean:
	rm -rf build

#~ Compiler evidence (harness/evidence.py writes it into every run folder)
# clang's YAML optimization records are read with PyYAML (harness/vecreport.py)
TEST_DEPS += python3-yaml

# One function's assembly in the three implementations, side by side (harness/ss-evidence).
.PHONY: evidence
evidence:
	@test -n "$(FUNC)" || { echo "usage: make evidence FUNC=name [COMPILER=gcc|clang|both] [OPT=-O3]" >&2; exit 2; }
	@python3 harness/ss-evidence $(FUNC) --compiler $(or $(COMPILER),gcc) --opt=$(or $(OPT),-O2)
