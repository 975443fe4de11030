# The front door. `make test` and `make bench` are the two commands of the README; each
# installs the Debian packages it needs (as root) or names them.
PRESET ?= release
BUILD := build/$(PRESET)
TEST_DEPS := gcc g++ clang make cmake ninja-build python3 binutils valgrind libc6-dev libbenchmark-dev pkgconf

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
