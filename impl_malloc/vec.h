/* vec.h — the malloc-style vector library: every operation mallocs its result; the caller
   owns it and releases it when it goes out of scope. Ownership is bound to a scope the way
   a careful C programmer does it with GCC/Clang: a variable declared `VEC float *v = ...`
   is freed by __attribute__((cleanup)) when its block ends (in reverse order of
   declaration, like C++ destructors). A result that is returned is not VEC.

   The same operations as impl_bump/vec.h, in the same order, each also in an `_to` form
   that writes into a vector the caller provides: the allocating form is malloc + `_to`,
   and the reference implementation (rk4_once.c) uses the `_to` forms with temporaries
   allocated once before its loop, as ODE libraries do.

       float *new_vector(n)                    float *new_matrix(n, cols)
       void   set_col(m, j, v, n)              const float *get_col(m, j, n)   (a view)
       float *add_vv(a, b, n)   a + b          float *sub_vv(a, b, n)   a − b
       float *mul_vv(a, b, n)   a ⊙ b          float *mul_vs(a, x, n)   a·x
       float *add_vs(a, x, n)   a + x
       float *rotate(a, k, n)   r_i = a_{(i+k) mod n}
       float *shift_next(a, n)  r_i = a_{i+1}, r_{n−1} = 0
       float *shift_prev(a, n)  r_i = a_{i−1}, r_0 = 0
       float *dydt_<problem>(y, n)             and dydt_<problem>_to(r, y, work, n)

   The `_to` forms allow r to be one of the operands (each element is read before it is
   written), which the single-allocation reference relies on. */
#ifndef RK4_MALLOC_VEC_H
#define RK4_MALLOC_VEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rk4.h"

/* rk4.c is written with the plain names, so that the three implementations diff cleanly;
   these are the names it exports. */
#define rk4 rk4_malloc
#define rk4_run rk4_run_malloc
#define RK4_LEN(n) (n)
#define RK4_BUILT_FOR(n) 1

/* Scope-bound ownership: freed when the variable's block ends. */
#define VEC __attribute__((cleanup(vec_release)))

static inline void vec_release(float **v) { free(*v); }

//~ Vectors and matrices

/* A careful programmer checks malloc; the test costs one predictable branch. */
static inline float *new_vector(unsigned n) {
    float *r = malloc((size_t)n * sizeof *r);
    if (r == NULL) {
        fprintf(stderr, "rk4 (malloc): out of memory allocating %u floats\n", n);
        abort();
    }
    return r;
}

static inline float *new_matrix(unsigned n, unsigned cols) { return new_vector(n * cols); }

static inline void set_col(float *m, unsigned j, const float *v, unsigned n) {
    memcpy(m + (size_t)j * n, v, n * sizeof *v);
}

static inline const float *get_col(const float *m, unsigned j, unsigned n) { return m + (size_t)j * n; }

//~ Element-wise operations

static inline float *add_vv_to(float *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + b[i];
    return r;
}

static inline float *sub_vv_to(float *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] - b[i];
    return r;
}

static inline float *mul_vv_to(float *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] * b[i];
    return r;
}

static inline float *mul_vs_to(float *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] * x;
    return r;
}

static inline float *add_vs_to(float *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + x;
    return r;
}

static inline float *add_vv(const float *a, const float *b, unsigned n) { return add_vv_to(new_vector(n), a, b, n); }
static inline float *sub_vv(const float *a, const float *b, unsigned n) { return sub_vv_to(new_vector(n), a, b, n); }
static inline float *mul_vv(const float *a, const float *b, unsigned n) { return mul_vv_to(new_vector(n), a, b, n); }
static inline float *mul_vs(const float *a, float x, unsigned n) { return mul_vs_to(new_vector(n), a, x, n); }
static inline float *add_vs(const float *a, float x, unsigned n) { return add_vs_to(new_vector(n), a, x, n); }

//~ Shifts (the stencils); r must not be a

static inline float *rotate_to(float *r, const float *a, unsigned k, unsigned n) {
    for (unsigned i = 0; i < n - k; i++) r[i] = a[i + k];
    for (unsigned i = n - k; i < n; i++) r[i] = a[i + k - n];
    return r;
}

static inline float *shift_next_to(float *r, const float *a, unsigned n) {
    for (unsigned i = 0; i + 1 < n; i++) r[i] = a[i + 1];
    r[n - 1] = 0.0f;
    return r;
}

static inline float *shift_prev_to(float *r, const float *a, unsigned n) {
    r[0] = 0.0f;
    for (unsigned i = 1; i < n; i++) r[i] = a[i - 1];
    return r;
}

static inline float *rotate(const float *a, unsigned k, unsigned n) { return rotate_to(new_vector(n), a, k, n); }
static inline float *shift_next(const float *a, unsigned n) { return shift_next_to(new_vector(n), a, n); }
static inline float *shift_prev(const float *a, unsigned n) { return shift_prev_to(new_vector(n), a, n); }

//~ The right-hand sides (the scalar versions in workloads/rk4_problems.c, as vector expressions)

static inline float *dydt_decay(const float *y, unsigned n) { return mul_vs(y, -1.0f, n); }

static inline float *dydt_oscillators(const float *y, unsigned n) {
    VEC float *rot = rotate(y, n / 2, n);
    return mul_vv(rk4_osc_coef, rot, n);
}

static inline float *dydt_lorenz96(const float *y, unsigned n) {
    VEC float *a = rotate(y, 1, n);
    VEC float *b = rotate(y, n - 2, n);
    VEC float *c = rotate(y, n - 1, n);
    VEC float *ab = sub_vv(a, b, n);
    VEC float *abc = mul_vv(ab, c, n);
    VEC float *abcy = sub_vv(abc, y, n);
    return add_vs(abcy, 8.0f, n);
}

static inline float *dydt_heat1d(const float *y, unsigned n) {
    VEC float *l = shift_prev(y, n);
    VEC float *r = shift_next(y, n);
    VEC float *y2 = mul_vs(y, 2.0f, n);
    VEC float *ly2 = sub_vv(l, y2, n);
    VEC float *ly2r = add_vv(ly2, r, n);
    return mul_vs(ly2r, rk4_heat_coef(n), n);
}

/* The same, into r, with `work` (RK4_WORK_VECTORS vectors of n) for the intermediates. */
#define RK4_WORK_VECTORS 3

static inline float *dydt_decay_to(float *r, const float *y, float *work, unsigned n) {
    (void)work;
    return mul_vs_to(r, y, -1.0f, n);
}

static inline float *dydt_oscillators_to(float *r, const float *y, float *work, unsigned n) {
    return mul_vv_to(r, rk4_osc_coef, rotate_to(work, y, n / 2, n), n);
}

static inline float *dydt_lorenz96_to(float *r, const float *y, float *work, unsigned n) {
    float *a = rotate_to(work, y, 1, n), *b = rotate_to(work + n, y, n - 2, n), *c = rotate_to(work + 2 * n, y, n - 1, n);
    return add_vs_to(r, sub_vv_to(r, mul_vv_to(r, sub_vv_to(r, a, b, n), c, n), y, n), 8.0f, n);
}

static inline float *dydt_heat1d_to(float *r, const float *y, float *work, unsigned n) {
    float *l = shift_prev_to(work, y, n), *rr = shift_next_to(work + n, y, n);
    return mul_vs_to(r, add_vv_to(r, sub_vv_to(r, l, mul_vs_to(r, y, 2.0f, n), n), rr, n), rk4_heat_coef(n), n);
}

#endif
