/* rk4 — the seed's integrator in the array style the allocator is for: every vector
   operation returns a fresh vector from the allocator, nothing is freed, and each step's
   temporaries are discarded by resetting one scope.

       rk4 [N] [STEPS]        default 8 components, 1000 steps of h = 0.01

   Integrates y' = -y from y_i(0) = 1 + i/N to t = STEPS·h and prints the largest relative
   error against the exact solution y(0)·e^(-t). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secondstack/ss_region.h>

typedef float *dydt_fn(ss_allocator s, const float *y, unsigned n);

static float *add_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = ss_alloc(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + b[i];
    return r;
}

static float *mul_vs(ss_allocator s, const float *a, float k, unsigned n) {
    float *r = ss_alloc(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] * k;
    return r;
}

static float *decay(ss_allocator s, const float *y, unsigned n) { return mul_vs(s, y, -1.0f, n); }

/* The trajectory: steps + 1 states of n floats, in the caller's allocator. */
static float *rk4(ss_allocator s, dydt_fn *f, const float *y0, unsigned n, float h, unsigned steps) {
    float *traj = ss_alloc(s, n * (steps + 1));
    memcpy(traj, y0, n * sizeof *traj);
    ss_scope step;
    ss_allocator t = ss_scope_begin(&step, s);
    for (unsigned i = 0; i < steps; i++) {
        ss_scope_reset(&step); /* the last step's temporaries */
        const float *y = traj + (size_t)i * n;
        float *k1 = f(t, y, n);
        float *k2 = f(t, add_vv(t, y, mul_vs(t, k1, h / 2, n), n), n);
        float *k3 = f(t, add_vv(t, y, mul_vs(t, k2, h / 2, n), n), n);
        float *k4 = f(t, add_vv(t, y, mul_vs(t, k3, h, n), n), n);
        float *dy =
            add_vv(t, add_vv(t, k1, mul_vs(t, k2, 2, n), n), add_vv(t, mul_vs(t, k3, 2, n), k4, n), n);
        memcpy(traj + (size_t)(i + 1) * n, add_vv(t, y, mul_vs(t, dy, h / 6, n), n), n * sizeof *traj);
    }
    ss_scope_end(&step);
    return traj;
}

int main(int argc, char **argv) {
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 8;
    unsigned steps = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 1000;
    float h = 0.01f;
    if (n == 0 || steps == 0) {
        fprintf(stderr, "usage: rk4 [N >= 1] [STEPS >= 1]\n");
        return 2;
    }
    ss_region r;
    if (ss_region_create_kind(&r, "rk4", 0, SS_REGION_GROW) != 0) {
        fprintf(stderr, "rk4: %s\n", ss_region_error());
        return 2;
    }
    ss_allocator s = ss_region_allocator(&r);
    float *y0 = ss_alloc(s, n);
    for (unsigned i = 0; i < n; i++) y0[i] = 1.0f + (float)i / (float)n;
    float *traj = rk4(s, decay, y0, n, h, steps);
    const float *y = traj + (size_t)steps * n;
    double t = (double)steps * h, worst = 0;
    for (unsigned i = 0; i < n; i++) {
        double exact = y0[i] * exp(-t), err = fabs(y[i] - exact) / exact;
        if (err > worst) worst = err;
    }
    printf("rk4: %u components, %u steps to t = %g: y_0 = %.7g, largest relative error %.2e\n", n, steps, t,
           (double)y[0], worst);
    ss_region_destroy(&r);
    return worst < 1e-4 ? 0 : 1;
}
