// bench_physics — google-benchmark over engine × scene × implementation × n for the physics
// engine.
//
//   bench_physics [--benchmark_filter='physics/array/rain/.*/(1024|16384)/'] [--benchmark_repetitions=9]
//
// Names are physics/ENGINE/SCENE/IMPL/N (ENGINE: loop or array, workloads/physics_scenes.h);
// items_per_second is steps per second; the counter allocs is the allocator calls of the last
// timed step (allocs_per_step). Before a scene and size is timed, it is checked: starting from
// the same state, bump, malloc and stack (where built for n), each in both engines, step
// kCheckSteps steps and must agree bit for bit and pass the scene's invariants; a case that
// fails is reported as failed (SkipWithError), not timed. Rain is timed from the moment its
// discs reach the floor (the fall time, untimed), so the pile is forming; the others from their
// initial state. Every repetition runs the same fixed number of steps from the same state, so
// the three implementations and the two engines time the same work. `--cases=FILE` runs the
// harness's plan: only the benchmarks it names, each with the steps a repetition it gives
// (iterations=K; bench_common.h).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "bench_common.h"
#include "physics_scenes.h"

namespace {

constexpr unsigned kCheckSteps = 20;
constexpr unsigned kSizes[] = {
#define PHYS__SIZE(N) N,
    PHYS_STACK_SIZES(PHYS__SIZE)
#undef PHYS__SIZE
};
const char *const kImpls[] = {"bump", "malloc", "stack"};

struct Prepared {
    phys_world *start = nullptr;                // the state every timed repetition starts from
    std::string error;                          // non-empty: the check failed
    std::map<uint64_t, uint64_t> timed_checksum; // steps -> positions after them, computed untimed
};

std::map<std::pair<int, unsigned>, Prepared> prepared;

unsigned warm_steps(phys_scene scene, const phys_world *w) {
    if (scene != PHYS_rain) return 0;
    return (unsigned)(std::sqrt(2.0 * w->p.height / -w->p.gy) / w->p.dt);
}

// Steps `w` with `impl`; empty on success.
std::string run_checked(const phys_impl *impl, phys_world *w, unsigned steps, phys_watch *watch) {
    void *e = impl->create(w);
    if (e == nullptr) return std::string("cannot create the ") + impl->name + " engine";
    for (unsigned s = 0; s < steps; s++) {
        impl->run(e, w, 1);
        if (watch) phys_watch_step(watch, w);
    }
    impl->destroy(e);
    return "";
}

Prepared &prepare(phys_scene scene, unsigned n) {
    auto key = std::make_pair((int)scene, n);
    auto it = prepared.find(key);
    if (it != prepared.end()) return it->second;
    Prepared &p = prepared[key];
    p.start = phys_world_create(scene, n, 1);
    if (p.start == nullptr) {
        p.error = "cannot create the world";
        return p;
    }
    p.error = run_checked(&phys_impl_bump, p.start, warm_steps(scene, p.start), nullptr);
    if (!p.error.empty()) return p;
    phys_world *ref = nullptr;
    char why[512];
    for (int e = 0; e < PHYS_ENGINE_COUNT && p.error.empty(); e++) {
        for (const char *name : kImpls) {
            const phys_impl *impl = phys_impl_find_engine(name, (phys_engine)e, n);
            if (impl == nullptr) continue; // stack not built for n
            const std::string what = std::string(name) + " " + phys_engine_names[e];
            phys_world *w = phys_world_copy(p.start);
            phys_watch watch;
            phys_watch_begin(&watch, w);
            std::string err = run_checked(impl, w, kCheckSteps, &watch);
            if (err.empty() && phys_check(&watch, w, 0, why, sizeof why)) err = what + ": " + why;
            if (err.empty() && ref != nullptr && phys_world_diff(ref, w, why, sizeof why))
                err = what + " differs from bump loop: " + why;
            phys_watch_end(&watch);
            if (ref == nullptr) {
                ref = w;
            } else {
                phys_world_free(w);
            }
            if (!err.empty()) {
                p.error = err;
                break;
            }
        }
    }
    phys_world_free(ref);
    return p;
}

// What every timed repetition of `steps` steps must end with, computed untimed once: a run that
// was optimised away or stepped differently shows up as a different checksum.
uint64_t timed_checksum(Prepared &p, uint64_t steps) {
    auto it = p.timed_checksum.find(steps);
    if (it != p.timed_checksum.end()) return it->second;
    phys_world *w = phys_world_copy(p.start);
    std::string err = run_checked(&phys_impl_bump, w, (unsigned)steps, nullptr);
    uint64_t sum = err.empty() ? phys_checksum(w) : 0;
    phys_world_free(w);
    return p.timed_checksum[steps] = sum;
}

// A million body-steps a repetition (pairs / 8 for nbody), 10 to 20000 steps: 0.1 to 0.6 s with
// gcc -O2 here. The harness plans its own, from measured costs (--cases, iterations=K).
unsigned timed_steps(phys_scene scene, unsigned n) {
    double work = scene == PHYS_nbody ? (double)n * n / 8 : (double)n;
    double steps = 1.0e6 / work;
    return steps < 10 ? 10 : steps > 20000 ? 20000 : (unsigned)steps;
}

void bench(benchmark::State &state, phys_engine engine, phys_scene scene, const char *impl_name, unsigned n) {
    const phys_impl *impl = phys_impl_find_engine(impl_name, engine, n);
    Prepared &p = prepare(scene, n);
    if (!p.error.empty()) {
        state.SkipWithError(p.error.c_str());
        for (auto _ : state) {
        }
        return;
    }
    const uint64_t want = timed_checksum(p, (uint64_t)state.max_iterations);
    phys_world *w = phys_world_copy(p.start);
    void *e = impl->create(w);
    {
        MinorFaults mf(state);
        for (auto _ : state) {
            impl->run(e, w, 1);
            benchmark::DoNotOptimize(w->x);
            benchmark::ClobberMemory();
        }
    }
    const unsigned long allocs = impl->allocs_per_step(e, w);
    impl->destroy(e);
    if (phys_checksum(w) != want) state.SkipWithError("timed run's result differs from the untimed run");
    state.SetItemsProcessed(state.iterations());
    state.counters["contacts"] = w->contacts_last;
    state.counters["allocs"] = (double)allocs;
    phys_world_free(w);
}

} // namespace

int main(int argc, char **argv) {
    CasePlan plan("bench_physics", &argc, argv);
    benchmark::Initialize(&argc, argv);
    for (int e = 0; e < PHYS_ENGINE_COUNT; e++) {
        for (int s = 0; s < PHYS_SCENE_COUNT; s++) {
            for (unsigned n : kSizes) {
                if (s == PHYS_nbody && n > 4096) continue; // O(n²): seconds per step
                for (const char *impl : kImpls) {
                    std::string name = std::string("physics/") + phys_engine_names[e] + "/" +
                                       phys_scene_names[s] + "/" + impl + "/" + std::to_string(n);
                    if (!plan.wants(name)) continue;
                    auto *b = benchmark::RegisterBenchmark(name.c_str(), bench, (phys_engine)e, (phys_scene)s, impl, n)
                                  ->Iterations(timed_steps((phys_scene)s, n))
                                  ->Unit(benchmark::kMicrosecond);
                    plan.apply(name, b, true);
                }
            }
        }
    }
    plan.check_all_registered();
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    for (auto &kv : prepared) phys_world_free(kv.second.start);
    return 0;
}
