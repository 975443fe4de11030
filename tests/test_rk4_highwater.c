/* test_rk4_highwater — the bump implementation's memory per step does not grow with the
   number of steps. Built in debug mode (SS_DEBUG, secondstack_debug): every allocation is
   bounds-checked against the region, which is sized by rk4_bump_scratch_bytes (so the size
   the runner and the benchmark use is verified too), and ss_region_stats reports the
   high-water mark. 3 steps and 30 steps must reach the same mark. With RK4_HIGHWATER_TUNED,
   bump_tuned too (rk4_bump_tuned_region_bytes), at n = 100 as well: in debug mode each of its
   kernels checks its inputs (ss_lanes_in: above the bump pointer, pads +0.0f).

       test_rk4_highwater                  the real rk4.c
       test_rk4_highwater --expect-growth  a mutant without the per-step scope reset, given a
                                           larger region: passes only if the mark grows */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rk4_impls.h" /* header only: rk4_bump_scratch_bytes, rk4_bump_tuned_region_bytes */
#include "ss_region.h"
#include "ss_test.h"

rk4_run_fn rk4_run_bump;
#ifdef RK4_HIGHWATER_TUNED
rk4_run_fn rk4_run_bump_tuned;
#endif

static size_t high_water(rk4_run_fn *run, rk4_problem p, rk4_call call, unsigned n, unsigned steps,
                         size_t region_bytes) {
    ss_region r;
    if (ss_region_create(&r, "rk4 high-water", region_bytes) != 0) abort();
    float *y0 = malloc(n * sizeof *y0), *out = malloc(rk4_out_floats(RK4_FINAL, n, steps) * sizeof *out);
    rk4_init(p, n, y0);
    CHECK_EQ_U(run(ss_region_allocator(&r), p, call, RK4_FINAL, y0, n, rk4_default_h(p, n), steps, out), 0);
    ss_stats st = ss_region_stats(&r);
    CHECK_EQ_U(st.in_use, 0); /* the scope gave everything back */
    ss_region_destroy(&r);
    free(y0);
    free(out);
    return st.high_water;
}


int main(int argc, char **argv) {
    int expect_growth = argc > 1 && !strcmp(argv[1], "--expect-growth");
    int grew = 0, cases = 0;
    for (int pi = 0; pi < RK4_NPROBLEMS; pi++)
        for (int call = RK4_STATIC; call <= RK4_FNPTR; call++)
            for (unsigned n = 4; n <= 4096; n *= 4) {
                rk4_problem p = (rk4_problem)pi;
                size_t bytes = rk4_bump_scratch_bytes(n) * (expect_growth ? 64 : 1);
                size_t a = high_water(rk4_run_bump, p, (rk4_call)call, n, 3, bytes);
                size_t b = high_water(rk4_run_bump, p, (rk4_call)call, n, 30, bytes);
                printf("%-12s %-6s n=%-5u high-water: %zu bytes after 3 steps, %zu after 30 (%.1f vectors of n)\n",
                       rk4_problem_name(p), rk4_call_name((rk4_call)call), n, a, b, (double)b / (4.0 * n));
                cases++;
                grew += b > a;
                if (!expect_growth) CHECK_EQ_U(a, b);
            }
#ifdef RK4_HIGHWATER_TUNED
    for (int pi = 0; pi < RK4_NPROBLEMS; pi++)
        for (int call = RK4_STATIC; call <= RK4_FNPTR; call++)
            for (unsigned n = 4; n <= 1024; n = n == 64 ? 100 : n == 100 ? 1024 : n * 4) {
                rk4_problem p = (rk4_problem)pi;
                size_t a = high_water(rk4_run_bump_tuned, p, (rk4_call)call, n, 3,
                                      rk4_bump_tuned_region_bytes(RK4_FINAL, n, 3));
                size_t b = high_water(rk4_run_bump_tuned, p, (rk4_call)call, n, 30,
                                      rk4_bump_tuned_region_bytes(RK4_FINAL, n, 30));
                printf("%-12s %-6s n=%-5u bump_tuned high-water: %zu bytes after 3 steps, %zu after 30\n",
                       rk4_problem_name(p), rk4_call_name((rk4_call)call), n, a, b);
                CHECK_EQ_U(a, b);
            }
#endif
    if (expect_growth) {
        printf("mutant: the high-water mark grew in %d of %d cases\n", grew, cases);
        printf("%d passed, %d failed\n", grew == cases, grew != cases);
        return grew == cases ? 0 : 1;
    }
    return ss_test_summary("test_rk4_highwater");
}
