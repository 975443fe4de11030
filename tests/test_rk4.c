/* test_rk4 — the RK4 workload's correctness, for every problem × size × implementation ×
   (dydt static or through a pointer) × (full trajectory or final state only):
     - the check passes (workloads/rk4_problems.c: exact solutions, energy, double reference);
     - every implementation's trajectory is bit-identical (memcmp) to bump's, at the sizes of
       the size list and at n = 4, 100, 1000 (the implementations with n at run time);
     - the seed-style entry point (rk4_bump: whole trajectory returned) agrees;
     - the bump vector library's right-hand sides equal the scalar ones in workloads/.

       test_rk4                 run all of the above
       test_rk4 --digest        print one line per case: its name and a hash of its trajectory
                                (tests/rk4_compilers.sh compares gcc's lines with clang's)
       test_rk4 --expect-fail [PROBLEMS]
                                for mutant builds: pass only if every problem × size check of
                                the bump implementation FAILS (only those of the problems named
                                in PROBLEMS, e.g. decay,oscillators, if given) (tests/rk4.cmake) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rk4_impls.h"
#include "ss_region.h"
#include "ss_test.h"
#include "vec.h" /* impl_bump's: the right-hand sides */

float *rk4_bump(ss_allocator s, float *(*dydt)(ss_allocator, const float *, unsigned), const float *y0, unsigned n,
                float h, unsigned steps);

static uint64_t fnv1a(const void *p, size_t bytes) {
    const unsigned char *b = p;
    uint64_t x = 1469598103934665603ull;
    for (size_t i = 0; i < bytes; i++) x = (x ^ b[i]) * 1099511628211ull;
    return x;
}

typedef struct {
    ss_region region;
    ss_allocator s;
} arena;

static void arena_open(arena *a, size_t bytes) {
    if (ss_region_create(&a->region, "test_rk4", bytes) != 0) {
        perror("ss_region_create");
        exit(2);
    }
    a->s = ss_region_allocator(&a->region);
}

/* Runs one case; returns the output (rk4_out_floats floats, caller frees) or NULL if the
   implementation was not built for n. */
static float *run(const rk4_impl *impl, rk4_problem p, rk4_call call, rk4_mode mode, unsigned n, unsigned steps) {
    float h = rk4_default_h(p, n);
    float *y0 = malloc(n * sizeof *y0);
    float *out = calloc(rk4_out_floats(mode, n, steps), sizeof *out);
    rk4_init(p, n, y0);
    arena a;
    arena_open(&a, impl->bump ? rk4_region_bytes(impl, mode, n, steps) : 4096);
    int rc = impl->run(a.s, p, call, mode, y0, n, h, steps, out);
    ss_region_destroy(&a.region);
    free(y0);
    if (rc != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Lengths beyond the size list, run by the implementations with n at run time: 100 and 1000
   are not multiples of a block (8 lanes), so the tuned libraries' pads are not empty. */
static const unsigned extra_sizes[] = {4, 100, 1000};
#define NEXTRA (sizeof extra_sizes / sizeof extra_sizes[0])

/* The k-th length to test: the size list, then the extra lengths not in it; 0 past the end. */
static unsigned test_size(unsigned k) {
    if (k < rk4_nsizes) return rk4_sizes[k];
    for (unsigned e = 0; e < NEXTRA; e++)
        if (!rk4_size_built(extra_sizes[e]) && k-- == rk4_nsizes) return extra_sizes[e];
    return 0;
}

static void test_all_cases(int digest) {
    const rk4_impl *bump = rk4_impl_from_name("bump");
    for (int pi = 0; pi < RK4_NPROBLEMS; pi++) {
        rk4_problem p = (rk4_problem)pi;
        for (unsigned k = 0, n; (n = test_size(k)) != 0; k++) {
            if (rk4_invalid_n(p, n)) continue;
            unsigned steps = rk4_default_steps(p, n);
            float h = rk4_default_h(p, n);
            float *ref = run(bump, p, RK4_STATIC, RK4_FULL, n, steps);
            size_t full = rk4_out_floats(RK4_FULL, n, steps);
            rk4_check c = rk4_check_final(p, n, h, steps, rk4_final_state(ref, RK4_FULL, n, steps));
            if (!digest) {
                CHECK(c.pass);
                if (!c.pass)
                    fprintf(stderr, "  %s n=%u: %s = %.3g > %.3g (%s %.3g/%.3g)\n", rk4_problem_name(p), n, c.what,
                            c.err, c.tol, c.what2 ? c.what2 : "", c.err2, c.tol2);
            }
            for (unsigned i = 0; i < rk4_nimpls; i++)
                for (int call = RK4_STATIC; call <= RK4_FNPTR; call++)
                    for (int mode = RK4_FULL; mode <= RK4_FINAL; mode++) {
                        float *out = run(&rk4_impls[i], p, (rk4_call)call, (rk4_mode)mode, n, steps);
                        if (!out) { /* only the per-size builds may refuse, and only sizes not built */
                            CHECK(rk4_impls[i].per_size && !rk4_size_built(n));
                            continue;
                        }
                        const float *fin = rk4_final_state(out, (rk4_mode)mode, n, steps);
                        if (digest) {
                            size_t bytes = (mode == RK4_FULL ? full : n) * sizeof(float);
                            printf("%s n=%u %s %s %s %016llx\n", rk4_problem_name(p), n, rk4_impls[i].name,
                                   rk4_call_name((rk4_call)call), rk4_mode_name((rk4_mode)mode),
                                   (unsigned long long)fnv1a(mode == RK4_FULL ? out : fin, bytes));
                        } else if (mode == RK4_FULL) {
                            int same = memcmp(out, ref, full * sizeof(float)) == 0;
                            CHECK(same);
                            if (!same)
                                fprintf(stderr, "  %s n=%u %s %s: trajectory differs from bump's\n",
                                        rk4_problem_name(p), n, rk4_impls[i].name, rk4_call_name((rk4_call)call));
                        } else {
                            int same = memcmp(fin, rk4_final_state(ref, RK4_FULL, n, steps), n * sizeof(float)) == 0;
                            CHECK(same);
                            if (!same)
                                fprintf(stderr, "  %s n=%u %s %s final-only: state differs from bump's\n",
                                        rk4_problem_name(p), n, rk4_impls[i].name, rk4_call_name((rk4_call)call));
                        }
                        free(out);
                    }
            free(ref);
        }
    }
}

static float *(*const bump_rhs[RK4_NPROBLEMS])(ss_allocator, const float *, unsigned) = {
    dydt_decay, dydt_oscillators, dydt_lorenz96, dydt_heat1d};

/* The vector right-hand sides compute the scalar ones, bit for bit, on a state that is not
   the initial one (every element different). */
static void test_rhs_matches_scalar(void) {
    for (int pi = 0; pi < RK4_NPROBLEMS; pi++)
        for (unsigned n = 4; n <= 70; n += 2) {
            rk4_problem p = (rk4_problem)pi;
            float *y = malloc(n * sizeof *y), *f = malloc(n * sizeof *f);
            rk4_init(p, n, y);
            for (unsigned i = 0; i < n; i++) y[i] = y[i] * 0.75f + (float)i / 3.0f - 1.0f;
            rk4_rhs_scalar(p, y, n, f);
            arena a;
            arena_open(&a, rk4_bump_scratch_bytes(n));
            const float *g = bump_rhs[p](a.s, y, n);
            CHECK(memcmp(f, g, n * sizeof *f) == 0);
            ss_region_destroy(&a.region);
            free(y);
            free(f);
        }
}

/* The seed's entry points return the same trajectory as the common interface. */
static void test_seed_entry_points(void) {
    unsigned n = 16, steps = 50;
    float h = rk4_default_h(RK4_LORENZ96, n);
    float y0[16];
    rk4_init(RK4_LORENZ96, n, y0);
    float *ref = run(rk4_impl_from_name("bump"), RK4_LORENZ96, RK4_STATIC, RK4_FULL, n, steps);
    arena a;
    arena_open(&a, rk4_bump_scratch_bytes(n) + (steps + 1) * n * sizeof(float) + 64);
    float *tb = rk4_bump(a.s, dydt_lorenz96, y0, n, h, steps);
    CHECK(memcmp(tb, ref, (steps + 1) * n * sizeof(float)) == 0);
    ss_region_destroy(&a.region);
    free(ref);
}

/* For mutant builds: every check of the bump implementation must fail. */
static int expect_fail(const char *only) {
    const rk4_impl *bump = rk4_impl_from_name("bump");
    int caught = 0, cases = 0;
    for (int pi = 0; pi < RK4_NPROBLEMS; pi++)
        for (unsigned k = 0; k < rk4_nsizes; k++) {
            rk4_problem p = (rk4_problem)pi;
            unsigned n = rk4_sizes[k];
            if (rk4_invalid_n(p, n) || (only && !strstr(only, rk4_problem_name(p)))) continue;
            unsigned steps = rk4_default_steps(p, n);
            float *out = run(bump, p, RK4_STATIC, RK4_FINAL, n, steps);
            rk4_check c = rk4_check_final(p, n, rk4_default_h(p, n), steps, rk4_final_state(out, RK4_FINAL, n, steps));
            printf("%-12s n=%-5u %s  err=%.3g tol=%.3g", rk4_problem_name(p), n, c.pass ? "passed (NOT caught)" : "failed (caught)",
                   c.err, c.tol);
            if (c.what2) printf(" err2=%.3g tol2=%.3g", c.err2, c.tol2);
            printf("\n");
            cases++;
            caught += !c.pass;
            free(out);
        }
    printf("mutant caught by %d of %d checks\n", caught, cases);
    printf("%d passed, %d failed\n", caught == cases, caught != cases);
    return caught == cases ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--expect-fail")) return expect_fail(argc > 2 ? argv[2] : NULL);
    if (argc > 1 && !strcmp(argv[1], "--digest")) {
        test_all_cases(1);
        return ss_test_failures ? 1 : 0;
    }
    test_rhs_matches_scalar();
    test_seed_entry_points();
    test_all_cases(0);
    return ss_test_summary("test_rk4");
}
