// bench_common.h — what every google-benchmark binary of the suite reports besides time.
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <benchmark/benchmark.h>
#include <sys/resource.h>

// Minor page faults over the timed loop, per iteration (region growth and first touches).
struct MinorFaults {
    benchmark::State &state;
    long start;
    static long now() {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_minflt;
    }
    explicit MinorFaults(benchmark::State &st) : state(st), start(now()) {}
    ~MinorFaults() {
        state.counters["minor_faults"] =
            benchmark::Counter(double(now() - start), benchmark::Counter::kAvgIterations);
    }
};

#endif
