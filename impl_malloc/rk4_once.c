/* rk4_once.c — the honest reference for the malloc style: what ODE libraries do. The step's
   temporaries are malloc'd once, before the loop, and reused; the step itself allocates
   nothing. The arithmetic is rk4.c's, in the same order, through the `_to` operations. */
#include "vec.h"

#undef rk4_run
#define rk4_run rk4_run_malloc_once

typedef float *rk4_dydt_to_fn(float *r, const float *y, float *work, unsigned n);

static inline __attribute__((always_inline)) void rk4_steps_once(rk4_dydt_to_fn *dydt, float *trajectory, unsigned n,
                                                                 float h, unsigned steps, unsigned mask) {
    /* all of the step's temporaries, once: k1..k4, the stage argument, dy, and dydt's work */
    VEC float *mem = new_vector((6 + RK4_WORK_VECTORS) * n);
    float *k1 = mem, *k2 = mem + n, *k3 = mem + 2 * n, *k4 = mem + 3 * n;
    float *arg = mem + 4 * n, *dy = mem + 5 * n, *work = mem + 6 * n;
    for (unsigned i = 0; i < steps; i++) {
        const float *y = get_col(trajectory, i & mask, n);
        float *y_next = trajectory + (size_t)((i + 1) & mask) * n;
        dydt(k1, y, work, n);
        dydt(k2, add_vv_to(arg, y, mul_vs_to(arg, k1, h / 2, n), n), work, n);
        dydt(k3, add_vv_to(arg, y, mul_vs_to(arg, k2, h / 2, n), n), work, n);
        dydt(k4, add_vv_to(arg, y, mul_vs_to(arg, k3, h, n), n), work, n);
        /* dy = (k1 + 2·k2) + (2·k3 + k4), as rk4.c groups it */
        add_vv_to(dy, k1, mul_vs_to(dy, k2, 2, n), n);
        add_vv_to(arg, mul_vs_to(arg, k3, 2, n), k4, n);
        add_vv_to(dy, dy, arg, n);
        add_vv_to(y_next, y, mul_vs_to(arg, dy, h / 6, n), n);
    }
}

__attribute__((noinline)) static void rk4_steps_once_fnptr(rk4_dydt_to_fn *dydt, float *trajectory, unsigned n,
                                                           float h, unsigned steps, unsigned mask) {
    __asm__("" : "+r"(dydt));
    rk4_steps_once(dydt, trajectory, n, h, steps, mask);
}

static rk4_dydt_to_fn *const dydt_of[RK4_NPROBLEMS] = {dydt_decay_to, dydt_oscillators_to, dydt_lorenz96_to,
                                                       dydt_heat1d_to};

int rk4_run(void *ctx, rk4_problem p, rk4_call call, rk4_mode mode, const float *y0, unsigned n, float h,
            unsigned steps, float *out) {
    (void)ctx;
    if ((unsigned)p >= RK4_NPROBLEMS) return -1;
    unsigned mask = mode == RK4_FINAL ? 1u : ~0u;
    set_col(out, 0, y0, n);
    if (call == RK4_FNPTR) {
        rk4_steps_once_fnptr(dydt_of[p], out, n, h, steps, mask);
        return 0;
    }
    switch (p) {
    case RK4_DECAY: rk4_steps_once(dydt_decay_to, out, n, h, steps, mask); break;
    case RK4_OSCILLATORS: rk4_steps_once(dydt_oscillators_to, out, n, h, steps, mask); break;
    case RK4_LORENZ96: rk4_steps_once(dydt_lorenz96_to, out, n, h, steps, mask); break;
    case RK4_HEAT1D: rk4_steps_once(dydt_heat1d_to, out, n, h, steps, mask); break;
    default: break;
    }
    return 0;
}
