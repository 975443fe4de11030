/* vec.h — the bump-style vector library: every operation takes the allocator first and
   returns a freshly allocated result. Nothing is freed; the caller discards a scope.

   Vectors are float arrays of length n; a matrix is n × cols, stored column by column.
   Every operation is static inline so that the compiler sees the allocation (two
   instructions: ss_alloc) together with the loop that fills it.

       float *new_vector(s, n)                 float *new_matrix(s, n, cols)
       void   set_col(m, j, v, n)              const float *get_col(m, j, n)   (a view)
       float *add_vv(s, a, b, n)   a + b       float *sub_vv(s, a, b, n)   a − b
       float *mul_vv(s, a, b, n)   a ⊙ b       float *mul_vs(s, a, x, n)   a·x
       float *add_vs(s, a, x, n)   a + x
       float *rotate(s, a, k, n)   r_i = a_{(i+k) mod n}   (cyclic shift, 0 ≤ k < n)
       float *shift_next(s, a, n)  r_i = a_{i+1}, r_{n−1} = 0
       float *shift_prev(s, a, n)  r_i = a_{i−1}, r_0 = 0
       float *dydt_<problem>(s, y, n)          the four right-hand sides (workloads/rk4.h)

   impl_malloc/vec.h and impl_stack/vec.h have the same operations, in the same order. */
#ifndef RK4_BUMP_VEC_H
#define RK4_BUMP_VEC_H

#include <string.h>

#include "rk4.h"
#include "secondstack.h"

/* rk4.c is written with the plain names, so that the three implementations diff cleanly;
   these are the names it exports. */
#ifdef RK4_N
#define RK4__CAT2(a, b) a##b
#define RK4__CAT(a, b) RK4__CAT2(a, b)
#define rk4 RK4__CAT(rk4_bump_n, RK4_N)
#define rk4_run RK4__CAT(rk4_run_bump_n, RK4_N)
#define RK4_LEN(n) ((void)(n), (unsigned)RK4_N) /* a constant, propagated into every operation */
#define RK4_BUILT_FOR(n) ((n) == RK4_N)
#elif defined(SS_CHECKED) /* the same over the checked allocator (secondstack.h): the ablation */
#define rk4 rk4_bump_checked
#define rk4_run rk4_run_bump_checked
#define RK4_LEN(n) (n)
#define RK4_BUILT_FOR(n) 1
#else
#define rk4 rk4_bump
#define rk4_run rk4_run_bump
#define RK4_LEN(n) (n)
#define RK4_BUILT_FOR(n) 1
#endif

//~ Vectors and matrices

static inline float *new_vector(ss_allocator s, unsigned n) { return ss_alloc(s, n); }

static inline float *new_matrix(ss_allocator s, unsigned n, unsigned cols) { return ss_alloc(s, n * cols); }

static inline void set_col(float *m, unsigned j, const float *v, unsigned n) {
    memcpy(m + (size_t)j * n, v, n * sizeof *v);
}

static inline const float *get_col(const float *m, unsigned j, unsigned n) { return m + (size_t)j * n; }

//~ Element-wise operations

static inline float *add_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + b[i];
    return r;
}

static inline float *sub_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] - b[i];
    return r;
}

static inline float *mul_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] * b[i];
    return r;
}

static inline float *mul_vs(ss_allocator s, const float *a, float x, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] * x;
    return r;
}

static inline float *add_vs(ss_allocator s, const float *a, float x, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + x;
    return r;
}

//~ Shifts (the stencils)

/* Two loops rather than a modulo per element, so both vectorize. */
static inline float *rotate(ss_allocator s, const float *a, unsigned k, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n - k; i++) r[i] = a[i + k];
    for (unsigned i = n - k; i < n; i++) r[i] = a[i + k - n];
    return r;
}

static inline float *shift_next(ss_allocator s, const float *a, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i + 1 < n; i++) r[i] = a[i + 1];
    r[n - 1] = 0.0f;
    return r;
}

static inline float *shift_prev(ss_allocator s, const float *a, unsigned n) {
    float *r = new_vector(s, n);
    r[0] = 0.0f;
    for (unsigned i = 1; i < n; i++) r[i] = a[i - 1];
    return r;
}

//~ The right-hand sides (the scalar versions in workloads/rk4_problems.c, as vector expressions)

static inline float *dydt_decay(ss_allocator s, const float *y, unsigned n) { return mul_vs(s, y, -1.0f, n); }

static inline float *dydt_oscillators(ss_allocator s, const float *y, unsigned n) {
    return mul_vv(s, rk4_osc_coef, rotate(s, y, n / 2, n), n);
}

static inline float *dydt_lorenz96(ss_allocator s, const float *y, unsigned n) {
    float *a = rotate(s, y, 1, n), *b = rotate(s, y, n - 2, n), *c = rotate(s, y, n - 1, n);
    return add_vs(s, sub_vv(s, mul_vv(s, sub_vv(s, a, b, n), c, n), y, n), 8.0f, n);
}

static inline float *dydt_heat1d(ss_allocator s, const float *y, unsigned n) {
    float *l = shift_prev(s, y, n), *r = shift_next(s, y, n);
    return mul_vs(s, add_vv(s, sub_vv(s, l, mul_vs(s, y, 2.0f, n), n), r, n), rk4_heat_coef(n), n);
}

#endif
