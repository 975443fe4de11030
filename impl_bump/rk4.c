/* rk4.c — RK4 in bump style: every vector operation allocates its result; a scope, reset once
   a step, discards them all. Built once with n at run time (rk4_run_bump) and, as the
   reference that separates "n known" from "on the stack", once per size with n fixed at
   compile time (-DRK4_N=64: rk4_run_bump_n64).

   impl_malloc/rk4.c and impl_stack/rk4.c do the same arithmetic in the same order;
   `diff impl_bump/rk4.c impl_malloc/rk4.c` shows only the memory strategy. */
#include "vec.h"

/* The seed's right-hand side: the allocator for the result, the state, its length. */
typedef float *rk4_dydt_fn(ss_allocator s, const float *y, unsigned n);

/* The integration loop behind every entry point. Always inlined, so that where dydt is a
   constant it is inlined too. The trajectory holds y0 in column 0; step i reads column
   i & mask and writes column (i + 1) & mask: mask ~0u keeps every state, 1u the last two. */
static inline __attribute__((always_inline)) void rk4_steps(ss_allocator s, rk4_dydt_fn *dydt, float *trajectory,
                                                            unsigned n, float h, unsigned steps, unsigned mask) {
    ss_scope step;
    ss_allocator t = ss_scope_begin(&step, s); /* per-step temporaries go below it */
    for (unsigned i = 0; i < steps; i++) {
        ss_scope_reset(&step); /* discard the last step's temporaries */
        const float *y = get_col(trajectory, i & mask, n);
        float *k1 = dydt(t, y, n);
        float *k2 = dydt(t, add_vv(t, y, mul_vs(t, k1, h / 2, n), n), n);
        float *k3 = dydt(t, add_vv(t, y, mul_vs(t, k2, h / 2, n), n), n);
        float *k4 = dydt(t, add_vv(t, y, mul_vs(t, k3, h, n), n), n);
        float *dy = add_vv(t, add_vv(t, k1, mul_vs(t, k2, 2, n), n), add_vv(t, mul_vs(t, k3, 2, n), k4, n), n);
        set_col(trajectory, (i + 1) & mask, add_vv(t, y, mul_vs(t, dy, h / 6, n), n), n);
    }
    ss_scope_end(&step);
}

/* The seed's rk4: dydt through a pointer, the whole trajectory returned. */
float *rk4(ss_allocator s, rk4_dydt_fn *dydt, const float *y0, unsigned n, float h, unsigned steps) {
    float *trajectory = new_matrix(s, n, steps + 1); /* the result: lives in the caller's scope */
    set_col(trajectory, 0, y0, n);
    rk4_steps(s, dydt, trajectory, n, h, steps, ~0u);
    return trajectory;
}

/* dydt through a pointer the compiler cannot follow: the empty asm hides its value, so no
   inlining, cloning or constant propagation turns the call back into a direct one. */
__attribute__((noinline)) static void rk4_steps_fnptr(ss_allocator s, rk4_dydt_fn *dydt, float *trajectory, unsigned n,
                                                      float h, unsigned steps, unsigned mask) {
    __asm__("" : "+r"(dydt));
    rk4_steps(s, dydt, trajectory, RK4_LEN(n), h, steps, mask);
}

static rk4_dydt_fn *const dydt_of[RK4_NPROBLEMS] = {dydt_decay, dydt_oscillators, dydt_lorenz96, dydt_heat1d};

/* The common interface (workloads/rk4.h). */
int rk4_run(void *ctx, rk4_problem p, rk4_call call, rk4_mode mode, const float *y0, unsigned n, float h,
            unsigned steps, float *out) {
    ss_allocator s = ctx;
    if (!RK4_BUILT_FOR(n) || (unsigned)p >= RK4_NPROBLEMS) return -1;
    unsigned mask = mode == RK4_FINAL ? 1u : ~0u;
    set_col(out, 0, y0, RK4_LEN(n));
    if (call == RK4_FNPTR) {
        rk4_steps_fnptr(s, dydt_of[p], out, n, h, steps, mask);
        return 0;
    }
    switch (p) {
    case RK4_DECAY: rk4_steps(s, dydt_decay, out, RK4_LEN(n), h, steps, mask); break;
    case RK4_OSCILLATORS: rk4_steps(s, dydt_oscillators, out, RK4_LEN(n), h, steps, mask); break;
    case RK4_LORENZ96: rk4_steps(s, dydt_lorenz96, out, RK4_LEN(n), h, steps, mask); break;
    case RK4_HEAT1D: rk4_steps(s, dydt_heat1d, out, RK4_LEN(n), h, steps, mask); break;
    default: break;
    }
    return 0;
}
