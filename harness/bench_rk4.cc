// bench_rk4 — google-benchmark timings of every RK4 implementation on every problem and size.
//
//     build/release/harness/bench_rk4 --benchmark_filter='rk4/decay/.*/static/final/'
//         --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Names: rk4/<problem>/<impl>/<call>/<mode>/<n>. Counter time_per_step: CPU seconds per RK4
// step (JSON: seconds; console: with a unit). `--cases=FILE` runs the harness's plan: only the
// benchmarks it names (bench_common.h).
//
// The controls (harness/ssbench/claims.py): `aa_control` is bump registered a second time under
// another name — the same binary, code and data, measured in the same interleaved run, so its
// ratio to bump is 1 by construction. bench_rk4_layout is this program built with
// BENCH_RK4_LAYOUT from the same objects linked in the reverse order (harness/CMakeLists.txt):
// there bump is named `aa_layout`, and its ratio to bump is what code layout alone does.
// Every case is checked before it is timed (a failing implementation is reported as an
// error, not timed). The output and the bump region are allocated and their pages touched
// before the timed loop; each iteration integrates `steps` steps from y0 (the implementation
// writes y0 into column 0 itself).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_common.h"
#include "rk4_impls.h"
#include "ss_region.h"

namespace {

// Enough steps per iteration that the call overhead vanishes, few enough that a full
// trajectory stays in cache-sized memory: 16384 floats of work per iteration, at least 8 steps.
unsigned steps_for(unsigned n) { return n >= 2048 ? 8u : 16384u / n; }

void bm_rk4(benchmark::State &state, const rk4_impl *impl, rk4_problem p, rk4_call call, rk4_mode mode, unsigned n) {
    float h = rk4_default_h(p, n);
    unsigned steps = std::min(steps_for(n), rk4_steps_limit(p, n, h));
    std::vector<float> y0(n);
    rk4_init(p, n, y0.data());
    std::vector<float> out(rk4_out_floats(mode, n, steps), 0.0f);  // zeroed: pages touched

    ss_region region;
    void *ctx = nullptr;
    if (impl->bump) {
        if (ss_region_create(&region, "bench_rk4", rk4_region_bytes(impl, mode, n, steps)) != 0) {
            state.SkipWithError("cannot create the region");
            return;
        }
        ss_allocator s = ss_region_allocator(&region);
        size_t floats = ss_region_size(&region) / sizeof(float) - 64;
        ss_scope touch;
        ss_allocator t = ss_scope_begin(&touch, s);
        std::memset(ss_alloc(t, (unsigned)floats), 0, floats * sizeof(float));
        ss_scope_end(&touch);
        ctx = s;
    }

    // Checked first: what is timed is what was checked.
    if (impl->run(ctx, p, call, mode, y0.data(), n, h, steps, out.data()) != 0) {
        state.SkipWithError("implementation not built for this n");
    } else {
        rk4_check c = rk4_check_final(p, n, h, steps, rk4_final_state(out.data(), mode, n, steps));
        if (!c.pass) {
            char msg[160];
            std::snprintf(msg, sizeof msg, "check failed: %s = %.3g > %.3g", c.what, c.err, c.tol);
            state.SkipWithError(msg);
        } else {
            const float *fin = rk4_final_state(out.data(), mode, n, steps);
            std::vector<float> checked(fin, fin + n);
            std::fill(out.begin(), out.end(), 0.0f);
            {
                MinorFaults mf(state);
                for (auto _ : state) {
                    benchmark::DoNotOptimize(y0.data());
                    impl->run(ctx, p, call, mode, y0.data(), n, h, steps, out.data());
                    benchmark::DoNotOptimize(out.data());
                    benchmark::ClobberMemory();
                }
            }
            // The timed runs must have computed what the checked run did, bit for bit.
            if (std::memcmp(rk4_final_state(out.data(), mode, n, steps), checked.data(), n * sizeof(float)) != 0)
                state.SkipWithError("timed run's result differs from the checked run");
            state.SetItemsProcessed((int64_t)state.iterations() * steps);
            // CPU seconds per step (the console shows it with a unit, e.g. 52.1ns).
            state.counters["time_per_step"] = benchmark::Counter(
                steps, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
            state.counters["n"] = n;
            state.counters["steps"] = steps;
        }
    }
    if (impl->bump) ss_region_destroy(&region);
}

// The implementations this program times: every one of rk4_impls, and the control.
std::vector<rk4_impl> timed_impls() {
    std::vector<rk4_impl> out(rk4_impls, rk4_impls + rk4_nimpls);
    const rk4_impl *bump = rk4_impl_from_name("bump");
#ifdef BENCH_RK4_LAYOUT
    for (rk4_impl &i : out)
        if (i.run == bump->run) i.name = "aa_layout";
#else
    rk4_impl control = *bump;
    control.name = "aa_control";
    out.push_back(control);
#endif
    return out;
}

}  // namespace

int main(int argc, char **argv) {
#ifdef BENCH_RK4_LAYOUT
    CasePlan plan("bench_rk4_layout", &argc, argv);
#else
    CasePlan plan("bench_rk4", &argc, argv);
#endif
    static const std::vector<rk4_impl> impls = timed_impls();
    for (int p = 0; p < RK4_NPROBLEMS; p++)
        for (const rk4_impl &impl : impls)
            for (rk4_call call : {RK4_STATIC, RK4_FNPTR})
                for (rk4_mode mode : {RK4_FINAL, RK4_FULL})
                    for (unsigned k = 0; k < rk4_nsizes; k++) {
                        unsigned n = rk4_sizes[k];
                        if (rk4_invalid_n((rk4_problem)p, n)) continue;
                        std::string name = std::string("rk4/") + rk4_problem_name((rk4_problem)p) + "/" +
                                           impl.name + "/" + rk4_call_name(call) + "/" + rk4_mode_name(mode) +
                                           "/" + std::to_string(n);
                        if (!plan.wants(name)) continue;
                        plan.apply(name, benchmark::RegisterBenchmark(name.c_str(), bm_rk4, &impl, (rk4_problem)p,
                                                                      call, mode, n));
                    }
    plan.check_all_registered();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
