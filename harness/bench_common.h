// bench_common.h — what every google-benchmark binary of the suite shares: what it reports
// besides time (MinorFaults), and the harness's plan of a run (CasePlan, --cases=FILE).
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

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

// The harness's plan of a run (`--cases=FILE`, written by ssbench into the run folder): one
// benchmark a line, `NAME [iterations=K]`, `#` starts a comment. Only the named benchmarks are
// registered, so a run measures exactly its plan, every case of one file interleaved (the
// repetition length is google-benchmark's --benchmark_min_time for the whole file); a physics
// case runs K steps a repetition instead of the program's default. Without --cases every
// benchmark is registered. A line that cannot be read, or a name no benchmark of the program
// has, ends it (exit 2), named.
class CasePlan {
  public:
    // Takes --cases=FILE (or --cases FILE) out of argv, before google-benchmark reads it.
    CasePlan(const char *prog, int *argc, char **argv) : prog_(prog) {
        int out = 1;
        for (int i = 1; i < *argc; i++) {
            const char *a = argv[i];
            if (!std::strncmp(a, "--cases=", 8)) {
                read(a + 8);
            } else if (!std::strcmp(a, "--cases")) {
                if (i + 1 >= *argc) fail("--cases needs a file");
                read(argv[++i]);
            } else {
                argv[out++] = argv[i];
            }
        }
        *argc = out;
        argv[out] = nullptr;
    }

    bool wants(const std::string &name) const { return !active_ || cases_.count(name) != 0; }

    // After registering `name` as b: its planned steps a repetition (fixed_steps: a benchmark
    // that runs a fixed number of steps; the others take no iterations=).
    benchmark::internal::Benchmark *apply(const std::string &name, benchmark::internal::Benchmark *b,
                                          bool fixed_steps = false) {
        auto it = cases_.find(name);
        if (it == cases_.end()) return b;
        it->second.registered = true;
        if (it->second.iterations > 0) {
            if (!fixed_steps)
                fail(("--cases " + path_ + ": " + name + ": iterations= is for benchmarks of a fixed number of "
                      "steps; this one runs for --benchmark_min_time")
                         .c_str());
            b->Iterations(it->second.iterations);
        }
        return b;
    }

    // After registration: every planned name must have been a benchmark of this program.
    void check_all_registered() const {
        for (const auto &kv : cases_)
            if (!kv.second.registered)
                fail(("--cases " + path_ + ": no benchmark named '" + kv.first + "' in this program").c_str());
    }

  private:
    struct Case {
        long iterations = 0;
        bool registered = false;
    };

    [[noreturn]] void fail(const char *what) const {
        std::fprintf(stderr, "%s: %s\n", prog_, what);
        std::exit(2);
    }

    void read(const char *path) {
        path_ = path;
        active_ = true;
        std::ifstream f(path);
        if (!f) fail(("--cases " + path_ + ": " + std::strerror(errno)).c_str());
        std::string line;
        for (int k = 1; std::getline(f, line); k++) {
            line = line.substr(0, line.find('#'));
            std::istringstream words(line);
            std::string name, field;
            if (!(words >> name)) continue;
            Case c;
            while (words >> field) {
                const std::string where = "--cases " + path_ + ": line " + std::to_string(k) + ": ";
                char *end = nullptr;
                if (!field.compare(0, 11, "iterations=")) {
                    c.iterations = std::strtol(field.c_str() + 11, &end, 10);
                    if (*end || c.iterations < 1 || c.iterations > 1000000000)
                        fail((where + "'" + field + "': iterations is a whole number in [1, 1e9]").c_str());
                } else {
                    fail((where + "unknown field '" + field + "' (iterations=K)").c_str());
                }
            }
            cases_[name] = c;
        }
    }

    const char *prog_;
    std::string path_;
    bool active_ = false;
    std::map<std::string, Case> cases_;
};

#endif
