// bench_alloc — allocation alone: ss_alloc vs malloc/free pairs (any malloc library, via
// LD_PRELOAD), and push throughput: the allocator's growable array vs realloc doubling.
//
//   bench_alloc [google-benchmark flags]
#include <cstdio>
#include <cstdlib>

#include "alloc_kernels.h"
#include "bench_common.h"
#include "ss_region.h"

static ss_region region;
static bool region_created;

static ss_allocator arena() {
    if (!region_created) {
        if (ss_region_create(&region, "bench_alloc", size_t(256) << 20) != 0) {
            std::perror("bench_alloc: ss_region_create (256 MiB)");
            std::exit(2);
        }
        region_created = true;
    }
    return ss_region_allocator(&region);
}

constexpr unsigned ROUNDS = 1000;

// args: n floats per block, k blocks per round
static void BM_alloc_bump(benchmark::State &state) {
    ss_allocator s = arena();
    unsigned n = unsigned(state.range(0)), k = unsigned(state.range(1));
    MinorFaults mf(state);
    for (auto _ : state) benchmark::DoNotOptimize(kern_bump_alloc(s, n, k, ROUNDS));
    state.SetItemsProcessed(int64_t(state.iterations()) * ROUNDS * k);
}

static void BM_alloc_malloc(benchmark::State &state) {
    unsigned n = unsigned(state.range(0)), k = unsigned(state.range(1));
    MinorFaults mf(state);
    for (auto _ : state) benchmark::DoNotOptimize(kern_malloc_free(n, k, ROUNDS));
    state.SetItemsProcessed(int64_t(state.iterations()) * ROUNDS * k);
}

static void alloc_args(benchmark::internal::Benchmark *b) {
    for (long n : {4, 64, 1024, 16384})
        for (long k : {1, 8}) b->Args({n, k});
    b->ArgNames({"n", "k"});
}
BENCHMARK(BM_alloc_bump)->Apply(alloc_args);
BENCHMARK(BM_alloc_malloc)->Apply(alloc_args);

// args: count pushed, two arrays (every growth copies) or one (ss: extends in place)
static void BM_push_ss(benchmark::State &state) {
    ss_allocator s = arena();
    unsigned count = unsigned(state.range(0));
    int two = int(state.range(1));
    long want = long(count) + count / 2 + (two ? count - 1 : 0);
    MinorFaults mf(state);
    for (auto _ : state) {
        long got = kern_push_ss(s, count, two);
        if (got != want) {
            state.SkipWithError("push result wrong");
            break;
        }
        benchmark::DoNotOptimize(got);
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * count * (two ? 2 : 1));
}

static void BM_push_realloc(benchmark::State &state) {
    unsigned count = unsigned(state.range(0));
    int two = int(state.range(1));
    long want = long(count) + count / 2 + (two ? count - 1 : 0);
    MinorFaults mf(state);
    for (auto _ : state) {
        long got = kern_push_realloc(count, two);
        if (got != want) {
            state.SkipWithError("push result wrong");
            break;
        }
        benchmark::DoNotOptimize(got);
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * count * (two ? 2 : 1));
}

static void push_args(benchmark::internal::Benchmark *b) {
    for (long count : {1000, 1000000})
        for (long two : {0, 1}) b->Args({count, two});
    b->ArgNames({"count", "two"});
}
BENCHMARK(BM_push_ss)->Apply(push_args);
BENCHMARK(BM_push_realloc)->Apply(push_args);

BENCHMARK_MAIN();
