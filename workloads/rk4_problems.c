/* rk4_problems.c — the four RK4 problems, written once: names, limits, initial states,
   the scalar right-hand side, exact and reference solutions, and the checks. */
#include "rk4.h"

#include <complex.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RK4_PI 3.14159265358979323846 /* M_PI is POSIX, not C17 */

static const char *const problem_names[RK4_NPROBLEMS] = {"decay", "oscillators", "lorenz96", "heat1d"};

const char *rk4_problem_name(rk4_problem p) { return (unsigned)p < RK4_NPROBLEMS ? problem_names[p] : "?"; }

int rk4_problem_from_name(const char *name) {
    for (int p = 0; p < RK4_NPROBLEMS; p++)
        if (!strcmp(name, problem_names[p])) return p;
    return -1;
}

const char *rk4_call_name(rk4_call c) { return c == RK4_STATIC ? "static" : "fnptr"; }
const char *rk4_mode_name(rk4_mode m) { return m == RK4_FULL ? "full" : "final"; }

const char *rk4_invalid_n(rk4_problem p, unsigned n) {
    if (n == 0) return "n must be positive";
    if (p == RK4_LORENZ96 && n < 4) return "lorenz96 needs n >= 4 (its stencil reaches y[i-2] .. y[i+1])";
    if (p == RK4_OSCILLATORS && n % 2) return "oscillators needs an even n (n/2 pairs of x and v)";
    return NULL;
}

/* Largest eigenvalue magnitude of the heat operator: c·2(1 + cos(π dx)) < 4c = 4/dx². */
static double heat_mu_max(unsigned n) { return 4.0 * (double)rk4_heat_coef(n); }

/* Explicit RK4 is stable for h·|λ| ≤ 2.785 on the negative real axis and 2√2 ≈ 2.828 on the
   imaginary axis. We refuse beyond 2.78 and 2.82. lorenz96 is chaotic, not stiff: its
   Jacobian's norm stays below 1 + 2·max|y| ≈ 30 on the attractor, so h ≤ 0.05 keeps h·|λ| ≤ 1.5,
   well inside the region, and the float and double trajectories close over a short horizon. */
double rk4_max_h(rk4_problem p, unsigned n) {
    switch (p) {
    case RK4_DECAY: return 2.78;
    case RK4_OSCILLATORS: return 2.82 / 2.0; /* ω < 2 */
    case RK4_LORENZ96: return 0.05;
    case RK4_HEAT1D: return 2.78 / heat_mu_max(n);
    default: return 0;
    }
}

float rk4_default_h(rk4_problem p, unsigned n) {
    switch (p) {
    case RK4_DECAY: return 0.01f;
    case RK4_OSCILLATORS: return 0.01f;
    case RK4_LORENZ96: return 0.01f;
    /* 90 % of the stability limit (h·μ_max = 2.5): h shrinks like 1/n², as explicit RK4 on a
       stiff problem must. As large as is safe, because at large n the step changes y by only
       a few ulps (see the tolerances below). */
    case RK4_HEAT1D: return (float)(2.5 / heat_mu_max(n));
    default: return 0;
    }
}

/* The slowest decay rate of the solution (0: it does not decay). */
static double decay_rate(rk4_problem p, unsigned n) {
    if (p == RK4_DECAY) return 1.0;
    if (p == RK4_HEAT1D) return (double)rk4_heat_coef(n) * 2.0 * (1.0 - cos(RK4_PI / (double)(n + 1)));
    return 0.0;
}

unsigned rk4_default_steps(rk4_problem p, unsigned n) {
    switch (p) {
    case RK4_LORENZ96: return 100; /* t = 1: the horizon of the double-precision reference */
    case RK4_HEAT1D: {
        /* μt ≤ 5 at most: the solution should still be there to compare */
        double s = ceil(5.0 / ((double)rk4_default_h(p, n) * decay_rate(p, n)));
        return s < 1000 ? (unsigned)s : 1000;
    }
    default: return 1000; /* t = 10 */
    }
}

unsigned rk4_steps_limit(rk4_problem p, unsigned n, float h) {
    double r = decay_rate(p, n) * (double)h;
    if (r <= 0) return UINT_MAX;
    double s = 40.0 / r; /* e^{−40} ≈ 4e−18: far above FLT_MIN */
    return s < UINT_MAX ? (unsigned)s : UINT_MAX;
}

const float *rk4_osc_coef;
static float *osc_table;
static unsigned osc_table_n;

void rk4_init(rk4_problem p, unsigned n, float *y0) {
    unsigned m = n / 2;
    switch (p) {
    case RK4_DECAY:
        for (unsigned i = 0; i < n; i++) y0[i] = 1.0f + (float)i / (float)n;
        break;
    case RK4_OSCILLATORS:
        if (osc_table_n != n) {
            size_t floats = ((size_t)n / RK4_COEF_LANES + 2) * RK4_COEF_LANES; /* zero past n: see rk4.h */
            free(osc_table);
            float *t = aligned_alloc(64, floats * sizeof *t);
            if (!t) abort();
            memset(t, 0, floats * sizeof *t);
            for (unsigned k = 0; k < m; k++) {
                float w = 1.0f + (float)k / (float)m;
                t[k] = 1.0f;
                t[m + k] = -(w * w);
            }
            osc_table = t;
            osc_table_n = n;
        }
        rk4_osc_coef = osc_table;
        for (unsigned k = 0; k < m; k++) y0[k] = 1.0f, y0[m + k] = 0.0f;
        break;
    case RK4_LORENZ96:
        for (unsigned i = 0; i < n; i++) y0[i] = 8.0f;
        y0[0] = 8.01f;
        break;
    case RK4_HEAT1D:
        for (unsigned i = 0; i < n; i++) y0[i] = (float)sin(RK4_PI * (double)(i + 1) / (double)(n + 1));
        break;
    default: break;
    }
}

/* The vector versions in impl_bump, impl_malloc and impl_stack compute exactly these expressions, element by element. */
void rk4_rhs_scalar(rk4_problem p, const float *y, unsigned n, float *f) {
    unsigned m = n / 2;
    switch (p) {
    case RK4_DECAY:
        for (unsigned i = 0; i < n; i++) f[i] = y[i] * -1.0f;
        break;
    case RK4_OSCILLATORS:
        for (unsigned i = 0; i < n; i++) f[i] = rk4_osc_coef[i] * y[(i + m) % n];
        break;
    case RK4_LORENZ96:
        for (unsigned i = 0; i < n; i++) {
            float a = y[(i + 1) % n], b = y[(i + n - 2) % n], c = y[(i + n - 1) % n];
            f[i] = ((a - b) * c - y[i]) + 8.0f;
        }
        break;
    case RK4_HEAT1D: {
        float c = rk4_heat_coef(n);
        for (unsigned i = 0; i < n; i++) {
            float l = i > 0 ? y[i - 1] : 0.0f, r = i + 1 < n ? y[i + 1] : 0.0f;
            f[i] = ((l - y[i] * 2.0f) + r) * c;
        }
        break;
    }
    default: break;
    }
}

//~ Exact and reference solutions

/* The RK4 amplification factor for y' = λy, z = hλ: one step multiplies by R(z). */
static double complex rk4_R(double complex z) { return 1 + z + z * z / 2 + z * z * z / 6 + z * z * z * z / 24; }

/* |R(z)^N − e^{zN}|: the truncation error of N exact-arithmetic RK4 steps on a mode of unit
   amplitude. For the linear problems this is the whole of the integrator's error but rounding. */
static double trunc_err(double complex z, unsigned steps) {
    return cabs(cpow(rk4_R(z), steps) - cexp(z * (double)steps));
}

static void lorenz96_rhs_d(const double *y, unsigned n, double *f) {
    for (unsigned i = 0; i < n; i++)
        f[i] = (y[(i + 1) % n] - y[(i + n - 2) % n]) * y[(i + n - 1) % n] - y[i] + 8.0;
}

/* lorenz96's reference: the same RK4 with the same h, in double. */
static void lorenz96_reference(unsigned n, double h, unsigned steps, const float *y0, double *y) {
    double *k = malloc(5 * (size_t)n * sizeof *k);
    if (!k) abort();
    double *k1 = k, *k2 = k + n, *k3 = k + 2 * n, *k4 = k + 3 * n, *tmp = k + 4 * n;
    for (unsigned i = 0; i < n; i++) y[i] = y0[i];
    for (unsigned s = 0; s < steps; s++) {
        lorenz96_rhs_d(y, n, k1);
        for (unsigned i = 0; i < n; i++) tmp[i] = y[i] + h / 2 * k1[i];
        lorenz96_rhs_d(tmp, n, k2);
        for (unsigned i = 0; i < n; i++) tmp[i] = y[i] + h / 2 * k2[i];
        lorenz96_rhs_d(tmp, n, k3);
        for (unsigned i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
        lorenz96_rhs_d(tmp, n, k4);
        for (unsigned i = 0; i < n; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    free(k);
}

//~ Checks

/* Tolerances.

   The error of the float integrator is truncation plus rounding.

   Truncation, for the linear problems, is computed, not guessed: every component is a
   multiple of one eigenmode (decay: λ = −1; oscillators: λ = ±iω_k; heat1d: the initial state
   is the lowest mode, λ = −μ), so N steps multiply it by R(hλ)^N exactly, and
   trunc = |R(hλ)^N − e^{λt}|·amplitude (trunc_err above).

   Rounding. In every step the last operation, y + (h/6)·dy, rounds by at most ½ ulp(y) ≤ ½ε|y|,
   and the other roundings are relative to the increment h·f, which is much smaller than y.
   None of these problems amplifies an old error (decay and heat1d contract, the oscillators
   rotate), so measured against |y(t)|:
     - heat1d: the increment is a few ulps of y (under 2 at n = 4096) and of the same sign in
       neighbouring components, so the rounding is biased and adds up linearly: the bound is
       C_BIAS·N·ε·|y(t)| with C_BIAS = ½, the rounding of the update. Measured: 0.14·N·ε at
       n = 4096, 0.05 at n = 1024.
     - decay, oscillators: the increment spans many ulps, its rounding errors are unbiased and
       add up like a random walk (Higham, Accuracy and Stability, §2.8): C_WALK·√N·ε·|y(t)|.
       Measured: at most 1.0·√N·ε·|y(t)| (decay, n = 4096) and 1.2 for the energy; C_WALK = 8.
       The worst-case N·ε bound would let an integrator of order 2 pass: this one does not
       (the test test_rk4_mutant_order2 runs such a mutant).
     - lorenz96: a difference grows by about e^{Λt} with Λ ≈ 7.5, measured during the transient
       away from the unstable fixed point y = 8 (faster than the attractor's λ₁ ≈ 1.7); the
       measured error is 0.5·ε·8·e^{Λt} at every n from 16 to 4096, and the bound is
       C_CHAOS·ε·8·e^{Λt}, C_CHAOS = 8. Beyond the horizon (t > 1) float and double trajectories
       part, and the only check left is the absorbing ball: d|y|²/dt = −2|y|² + 2F·Σy, so
       |y| ≤ max(|y(0)|, F√n) forever (2 % slack for the integrator).
   Near zero ulp(y) is FLT_TRUE_MIN, not ε|y|: N·FLT_TRUE_MIN covers a state decayed into the
   subnormals (rk4_steps_limit keeps the benchmarks out of them: subnormals are slow).
   A mutant that divides by 5 instead of 6 fails every check of the size list at the test step
   sizes (tests/rk4.cmake). */
#define C_WALK 8.0
#define C_BIAS 0.5
#define C_CHAOS 8.0
#define L96_GROWTH 7.5
#define L96_HORIZON 1.0

static double max_abs_f(const float *y, unsigned n) {
    double m = 0;
    for (unsigned i = 0; i < n; i++) m = fmax(m, fabs((double)y[i]));
    return m;
}

rk4_check rk4_check_final(rk4_problem p, unsigned n, float h, unsigned steps, const float *y) {
    rk4_check c = {0};
    float *y0 = malloc((size_t)n * sizeof *y0);
    double *ref = malloc((size_t)n * sizeof *ref);
    if (!y0 || !ref) abort();
    rk4_init(p, n, y0);
    const double eps = FLT_EPSILON, N = steps;
    const double t = (double)h * steps;
    unsigned m = n / 2;
    int finite = 1;
    for (unsigned i = 0; i < n; i++) finite &= isfinite(y[i]) != 0;

    switch (p) {
    case RK4_DECAY: {
        double scale = max_abs_f(y0, n) * exp(-t);
        for (unsigned i = 0; i < n; i++) ref[i] = y0[i] * exp(-t);
        c.tol = trunc_err(-(double)h, steps) * max_abs_f(y0, n) + C_WALK * sqrt(N) * eps * scale + N * FLT_TRUE_MIN;
        c.what = "max |y - y_exact|";
        break;
    }
    case RK4_HEAT1D: {
        double mu = (double)rk4_heat_coef(n) * 2.0 * (1.0 - cos(RK4_PI / (double)(n + 1)));
        double scale = max_abs_f(y0, n) * exp(-mu * t);
        for (unsigned i = 0; i < n; i++) ref[i] = y0[i] * exp(-mu * t);
        c.tol = trunc_err(-(double)h * mu, steps) * max_abs_f(y0, n) + C_BIAS * N * eps * scale + N * FLT_TRUE_MIN;
        c.what = "max |y - y_exact|";
        break;
    }
    case RK4_OSCILLATORS: {
        /* x + i·v/ω is a multiple of e^{iωt}; v's amplitude is ω, up to 2 */
        double trunc = 0, emax = 0, emin = HUGE_VAL;
        for (unsigned k = 0; k < m; k++) {
            double w2 = -(double)rk4_osc_coef[k + m], w = sqrt(w2);
            ref[k] = cos(w * t);
            ref[m + k] = -w * sin(w * t);
            trunc = fmax(trunc, trunc_err(I * w * h, steps) * w);
            /* the pair's energy relative to its initial ω²/2 */
            double e = ((double)y[m + k] * y[m + k] + w2 * (double)y[k] * y[k]) / w2;
            emax = fmax(emax, e);
            emin = fmin(emin, e);
        }
        c.tol = trunc + C_WALK * sqrt(N) * eps * 2.0;
        c.what = "max |y - y_exact|";
        /* exact RK4 loses energy: |R(iωh)|^{2N} = (1 − (ωh)^6/72 + …)^N, most at ω → 2 */
        double drift = 1.0 - pow(cabs(rk4_R(I * 2.0 * h)), 2.0 * N);
        c.err2 = fmax(fabs(emax - 1.0), fabs(emin - 1.0));
        c.tol2 = drift + C_WALK * sqrt(N) * eps;
        c.what2 = "max |E/E0 - 1| over the pairs";
        break;
    }
    case RK4_LORENZ96:
        if (t <= L96_HORIZON) {
            lorenz96_reference(n, h, steps, y0, ref);
            c.tol = C_CHAOS * eps * 8.0 * exp(L96_GROWTH * t);
            c.what = "max |y - y_double| (the same RK4 in double)";
        } else {
            double r0 = 0, r = 0;
            for (unsigned i = 0; i < n; i++) r0 += (double)y0[i] * y0[i], r += (double)y[i] * y[i];
            c.err = sqrt(r);
            c.tol = 1.02 * fmax(sqrt(r0), 8.0 * sqrt((double)n));
            c.what = "|y| (beyond the horizon t = 1 only the absorbing ball |y| <= max(|y0|, 8 sqrt(n)) is checked)";
            c.pass = finite && c.err <= c.tol;
            free(y0);
            free(ref);
            return c;
        }
        break;
    default: break;
    }

    double err = 0;
    for (unsigned i = 0; i < n; i++) err = fmax(err, fabs((double)y[i] - ref[i]));
    c.err = err;
    c.pass = finite && c.err <= c.tol && (c.what2 == NULL || c.err2 <= c.tol2);
    free(y0);
    free(ref);
    return c;
}
