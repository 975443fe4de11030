/* rk4.c — RK4 in malloc style: every vector operation mallocs its result; each is owned by a
   VEC variable and freed when the step's block ends. Built once, with n at run time
   (rk4_run_malloc); rk4_once.c is the reference with the temporaries allocated once.

   impl_bump/rk4.c and impl_stack/rk4.c do the same arithmetic in the same order;
   `diff impl_bump/rk4.c impl_malloc/rk4.c` shows only the memory strategy. */
#include "vec.h"

/* The seed's right-hand side, without the allocator: the state, its length. */
typedef float *rk4_dydt_fn(const float *y, unsigned n);

/* The integration loop behind every entry point. Always inlined, so that where dydt is a
   constant it is inlined too. The trajectory holds y0 in column 0; step i reads column
   i & mask and writes column (i + 1) & mask: mask ~0u keeps every state, 1u the last two. */
static inline __attribute__((always_inline)) void rk4_steps(rk4_dydt_fn *dydt, float *trajectory,
                                                            unsigned n, float h, unsigned steps, unsigned mask) {
    for (unsigned i = 0; i < steps; i++) {
        /* every temporary is named, to be freed: one malloc and one free per operation */
        const float *y = get_col(trajectory, i & mask, n);
        VEC float *k1 = dydt(y, n);
        VEC float *h2k1 = mul_vs(k1, h / 2, n);
        VEC float *y2 = add_vv(y, h2k1, n);
        VEC float *k2 = dydt(y2, n);
        VEC float *h2k2 = mul_vs(k2, h / 2, n);
        VEC float *y3 = add_vv(y, h2k2, n);
        VEC float *k3 = dydt(y3, n);
        VEC float *hk3 = mul_vs(k3, h, n);
        VEC float *y4 = add_vv(y, hk3, n);
        VEC float *k4 = dydt(y4, n);
        VEC float *k2x2 = mul_vs(k2, 2, n);
        VEC float *k12 = add_vv(k1, k2x2, n);
        VEC float *k3x2 = mul_vs(k3, 2, n);
        VEC float *k34 = add_vv(k3x2, k4, n);
        VEC float *dy = add_vv(k12, k34, n);
        VEC float *h6dy = mul_vs(dy, h / 6, n);
        VEC float *y_next = add_vv(y, h6dy, n);
        set_col(trajectory, (i + 1) & mask, y_next, n);
    } /* the step's temporaries are freed here, newest first */
}

/* The seed's rk4: dydt through a pointer, the whole trajectory returned. */
float *rk4(rk4_dydt_fn *dydt, const float *y0, unsigned n, float h, unsigned steps) {
    float *trajectory = new_matrix(n, steps + 1); /* the result: the caller frees it */
    set_col(trajectory, 0, y0, n);
    rk4_steps(dydt, trajectory, n, h, steps, ~0u);
    return trajectory;
}

/* dydt through a pointer the compiler cannot follow: the empty asm hides its value, so no
   inlining, cloning or constant propagation turns the call back into a direct one. */
__attribute__((noinline)) static void rk4_steps_fnptr(rk4_dydt_fn *dydt, float *trajectory, unsigned n,
                                                      float h, unsigned steps, unsigned mask) {
    __asm__("" : "+r"(dydt));
    rk4_steps(dydt, trajectory, RK4_LEN(n), h, steps, mask);
}

static rk4_dydt_fn *const dydt_of[RK4_NPROBLEMS] = {dydt_decay, dydt_oscillators, dydt_lorenz96, dydt_heat1d};

/* The common interface (workloads/rk4.h). */
int rk4_run(void *ctx, rk4_problem p, rk4_call call, rk4_mode mode, const float *y0, unsigned n, float h,
            unsigned steps, float *out) {
    (void)ctx;
    if (!RK4_BUILT_FOR(n) || (unsigned)p >= RK4_NPROBLEMS) return -1;
    unsigned mask = mode == RK4_FINAL ? 1u : ~0u;
    set_col(out, 0, y0, RK4_LEN(n));
    if (call == RK4_FNPTR) {
        rk4_steps_fnptr(dydt_of[p], out, n, h, steps, mask);
        return 0;
    }
    switch (p) {
    case RK4_DECAY: rk4_steps(dydt_decay, out, RK4_LEN(n), h, steps, mask); break;
    case RK4_OSCILLATORS: rk4_steps(dydt_oscillators, out, RK4_LEN(n), h, steps, mask); break;
    case RK4_LORENZ96: rk4_steps(dydt_lorenz96, out, RK4_LEN(n), h, steps, mask); break;
    case RK4_HEAT1D: rk4_steps(dydt_heat1d, out, RK4_LEN(n), h, steps, mask); break;
    default: break;
    }
    return 0;
}
