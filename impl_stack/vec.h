/* vec.h — the stack-style vector library: the length N is a compile-time constant
   (-DRK4_N=64), a vector is a struct holding float[N], and every value lives in an automatic
   variable. One build per length in the size list; the trajectory, too large for the stack,
   is handed in by the caller.

   Passing: operands by const pointer (a vector of 4096 floats is 16 KiB; copying it into
   every call would be the opposite of careful), results returned by value, which the ABI
   turns into a pointer to the caller's variable (no copy). Consequently every temporary is
   a named variable, as in impl_malloc.

       void set_col(m, j, &v)                  const vec *get_col(m, j)   (a view)
       vec add_vv(&a, &b)   a + b              vec sub_vv(&a, &b)   a − b
       vec mul_vv(&a, &b)   a ⊙ b              vec mul_vs(&a, x)    a·x
       vec add_vs(&a, x)    a + x
       vec rotate(&a, k)    r_i = a_{(i+k) mod N}
       vec shift_next(&a)   r_i = a_{i+1}, r_{N−1} = 0
       vec shift_prev(&a)   r_i = a_{i−1}, r_0 = 0
       vec dydt_<problem>(&y)

   The same operations as impl_bump/vec.h, in the same order. */
#ifndef RK4_STACK_VEC_H
#define RK4_STACK_VEC_H

#include <string.h>

#include "rk4.h"

#ifndef RK4_N
#error "impl_stack is built once per length: compile with -DRK4_N=<n>"
#endif
#define N RK4_N

/* rk4.c is written with the plain names, so that the three implementations diff cleanly;
   these are the names it exports, one set per length. */
#define RK4__CAT2(a, b) a##b
#define RK4__CAT(a, b) RK4__CAT2(a, b)
#define rk4 RK4__CAT(rk4_stack, RK4_N)
#define rk4_run RK4__CAT(rk4_run_stack, RK4_N)

typedef struct vec {
    float v[N];
} vec;

//~ Vectors and matrices

/* A column of the trajectory is read in place through a vec pointer: vec is a struct whose
   only member is float[N], so the access is allowed (C17 6.5p7) and nothing is copied. */
static inline void set_col(float *m, unsigned j, const vec *v) { memcpy(m + (size_t)j * N, v->v, sizeof v->v); }

static inline const vec *get_col(const float *m, unsigned j) { return (const vec *)(const void *)(m + (size_t)j * N); }

//~ Element-wise operations

static inline vec add_vv(const vec *a, const vec *b) {
    vec r;
    for (unsigned i = 0; i < N; i++) r.v[i] = a->v[i] + b->v[i];
    return r;
}

static inline vec sub_vv(const vec *a, const vec *b) {
    vec r;
    for (unsigned i = 0; i < N; i++) r.v[i] = a->v[i] - b->v[i];
    return r;
}

static inline vec mul_vv(const vec *a, const vec *b) {
    vec r;
    for (unsigned i = 0; i < N; i++) r.v[i] = a->v[i] * b->v[i];
    return r;
}

static inline vec mul_vs(const vec *a, float x) {
    vec r;
    for (unsigned i = 0; i < N; i++) r.v[i] = a->v[i] * x;
    return r;
}

static inline vec add_vs(const vec *a, float x) {
    vec r;
    for (unsigned i = 0; i < N; i++) r.v[i] = a->v[i] + x;
    return r;
}

//~ Shifts (the stencils)

static inline vec rotate(const vec *a, unsigned k) {
    vec r;
    for (unsigned i = 0; i < N - k; i++) r.v[i] = a->v[i + k];
    for (unsigned i = N - k; i < N; i++) r.v[i] = a->v[i + k - N];
    return r;
}

static inline vec shift_next(const vec *a) {
    vec r;
    for (unsigned i = 0; i + 1 < N; i++) r.v[i] = a->v[i + 1];
    r.v[N - 1] = 0.0f;
    return r;
}

static inline vec shift_prev(const vec *a) {
    vec r;
    r.v[0] = 0.0f;
    for (unsigned i = 1; i < N; i++) r.v[i] = a->v[i - 1];
    return r;
}

//~ The right-hand sides (the scalar versions in workloads/rk4_problems.c, as vector expressions)

static inline vec dydt_decay(const vec *y) { return mul_vs(y, -1.0f); }

static inline vec dydt_oscillators(const vec *y) {
    vec rot = rotate(y, N / 2);
    return mul_vv((const vec *)(const void *)rk4_osc_coef, &rot);
}

static inline vec dydt_lorenz96(const vec *y) {
    vec a = rotate(y, 1);
    vec b = rotate(y, N - 2);
    vec c = rotate(y, N - 1);
    vec ab = sub_vv(&a, &b);
    vec abc = mul_vv(&ab, &c);
    vec abcy = sub_vv(&abc, y);
    return add_vs(&abcy, 8.0f);
}

static inline vec dydt_heat1d(const vec *y) {
    vec l = shift_prev(y);
    vec r = shift_next(y);
    vec y2 = mul_vs(y, 2.0f);
    vec ly2 = sub_vv(&l, &y2);
    vec ly2r = add_vv(&ly2, &r);
    return mul_vs(&ly2r, rk4_heat_coef(N));
}

#endif
