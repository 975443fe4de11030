/* rk4.c — RK4 in stack style: n is the compile-time constant N, every vector is an automatic
   variable of type vec, and nothing is allocated. Built once per size (-DRK4_N=64:
   rk4_run_stack64); the caller hands in the trajectory.

   impl_bump/rk4.c and impl_malloc/rk4.c do the same arithmetic in the same order;
   `diff impl_malloc/rk4.c impl_stack/rk4.c` shows only the memory strategy. */
#include "vec.h"

/* The seed's right-hand side, without the allocator or the length: the state. */
typedef vec rk4_dydt_fn(const vec *y);

/* The integration loop behind every entry point. Always inlined, so that where dydt is a
   constant it is inlined too. The trajectory holds y0 in column 0; step i reads column
   i & mask and writes column (i + 1) & mask: mask ~0u keeps every state, 1u the last two. */
static inline __attribute__((always_inline)) void rk4_steps(rk4_dydt_fn *dydt, float *trajectory,
                                                            float h, unsigned steps, unsigned mask) {
    for (unsigned i = 0; i < steps; i++) {
        /* every temporary is named, to take its address: automatic variables of N floats */
        const vec *y = get_col(trajectory, i & mask);
        vec k1 = dydt(y);
        vec h2k1 = mul_vs(&k1, h / 2);
        vec y2 = add_vv(y, &h2k1);
        vec k2 = dydt(&y2);
        vec h2k2 = mul_vs(&k2, h / 2);
        vec y3 = add_vv(y, &h2k2);
        vec k3 = dydt(&y3);
        vec hk3 = mul_vs(&k3, h);
        vec y4 = add_vv(y, &hk3);
        vec k4 = dydt(&y4);
        vec k2x2 = mul_vs(&k2, 2);
        vec k12 = add_vv(&k1, &k2x2);
        vec k3x2 = mul_vs(&k3, 2);
        vec k34 = add_vv(&k3x2, &k4);
        vec dy = add_vv(&k12, &k34);
        vec h6dy = mul_vs(&dy, h / 6);
        vec y_next = add_vv(y, &h6dy);
        set_col(trajectory, (i + 1) & mask, &y_next);
    }
}

/* The seed's rk4: dydt through a pointer; the caller provides the trajectory, N × (steps + 1). */
void rk4(float *trajectory, rk4_dydt_fn *dydt, const vec *y0, float h, unsigned steps) {
    set_col(trajectory, 0, y0);
    rk4_steps(dydt, trajectory, h, steps, ~0u);
}

/* dydt through a pointer the compiler cannot follow: the empty asm hides its value, so no
   inlining, cloning or constant propagation turns the call back into a direct one. */
__attribute__((noinline)) static void rk4_steps_fnptr(rk4_dydt_fn *dydt, float *trajectory,
                                                      float h, unsigned steps, unsigned mask) {
    __asm__("" : "+r"(dydt));
    rk4_steps(dydt, trajectory, h, steps, mask);
}

static rk4_dydt_fn *const dydt_of[RK4_NPROBLEMS] = {dydt_decay, dydt_oscillators, dydt_lorenz96, dydt_heat1d};

/* The common interface (workloads/rk4.h). */
int rk4_run(void *ctx, rk4_problem p, rk4_call call, rk4_mode mode, const float *y0, unsigned n, float h,
            unsigned steps, float *out) {
    (void)ctx;
    if (n != N || (unsigned)p >= RK4_NPROBLEMS) return -1;
    unsigned mask = mode == RK4_FINAL ? 1u : ~0u;
    set_col(out, 0, (const vec *)(const void *)y0);
    if (call == RK4_FNPTR) {
        rk4_steps_fnptr(dydt_of[p], out, h, steps, mask);
        return 0;
    }
    switch (p) {
    case RK4_DECAY: rk4_steps(dydt_decay, out, h, steps, mask); break;
    case RK4_OSCILLATORS: rk4_steps(dydt_oscillators, out, h, steps, mask); break;
    case RK4_LORENZ96: rk4_steps(dydt_lorenz96, out, h, steps, mask); break;
    case RK4_HEAT1D: rk4_steps(dydt_heat1d, out, h, steps, mask); break;
    default: break;
    }
    return 0;
}
