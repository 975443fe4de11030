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

   The same operations as impl_bump/vec.h, in the same order.

   For the physics engine's array form (impl_stack/physics_array.c, built once per n with
   -DPHYS_N, without RK4_N): the operations of impl_bump/vec.h's second list on arrays of
   run-time length, each as `name_to(r, …)` writing into the caller's fixed-size array r (r may
   be an operand of an element-wise operation); sort_by_key_to takes the cursors from the caller
   too. So every temporary is a named array of the build's capacity, declared where it is made. */
#ifndef RK4_STACK_VEC_H
#define RK4_STACK_VEC_H

#include <math.h>
#include <string.h>

#include "rk4.h"

#if !defined(RK4_N) && !defined(PHYS_N)
#error "impl_stack is built once per length: compile with -DRK4_N=<n> (the physics engine: -DPHYS_N=<n>)"
#endif
#ifdef RK4_N
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

#endif /* RK4_N */

//~ Element-wise operations of run-time length, into the caller's array (the physics engine)

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

static inline float *sub_vs_to(float *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] - x;
    return r;
}

static inline float *sub_sv_to(float *r, float x, const float *a, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = x - a[i];
    return r;
}

static inline float *div_vv_to(float *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] / b[i];
    return r;
}

static inline float *div_vs_to(float *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] / x;
    return r;
}

static inline float *div_sv_to(float *r, float x, const float *a, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = x / a[i];
    return r;
}

static inline float *sqrt_v_to(float *r, const float *a, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = sqrtf(a[i]);
    return r;
}

/* In place: r may be a or b (each element is read before it is written). */
static inline float *add_vv_to(float *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + b[i];
    return r;
}

static inline float *sub_vv_to(float *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] - b[i];
    return r;
}

/* Left to right from 0, as a loop's `s += a[i]` adds: the order is the result's bits. */
static inline float sum_v(const float *a, unsigned n) {
    float sum = 0.0f;
    for (unsigned i = 0; i < n; i++) sum += a[i];
    return sum;
}

//~ Compares (masks of 0 and 1) and selects

static inline unsigned *lt_vv_to(unsigned *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] < b[i];
    return r;
}

static inline unsigned *gt_vv_to(unsigned *r, const float *a, const float *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] > b[i];
    return r;
}

static inline unsigned *gt_vs_to(unsigned *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] > x;
    return r;
}

static inline unsigned *ge_vs_to(unsigned *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] >= x;
    return r;
}

static inline unsigned *le_vs_to(unsigned *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] <= x;
    return r;
}

static inline unsigned *ne_vs_to(unsigned *r, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] != x;
    return r;
}

static inline unsigned *and_uu_to(unsigned *r, const unsigned *a, const unsigned *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] & b[i];
    return r;
}

static inline float *select_vv_to(float *r, const unsigned *mask, const float *a, const float *b,
                                  unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : b[i];
    return r;
}

static inline float *select_vs_to(float *r, const unsigned *mask, const float *a, float x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : x;
    return r;
}

//~ Gathers and scatters

static inline float *gather_to(float *r, const float *a, const unsigned *idx, unsigned m) {
    for (unsigned i = 0; i < m; i++) r[i] = a[idx[i]];
    return r;
}

/* One pass in k order, so an element that several pairs touch sums them in that order. */
static inline void scatter_pairs(float *acc, const unsigned *ia, const unsigned *ib, const float *v,
                                 unsigned m) {
    for (unsigned k = 0; k < m; k++) {
        acc[ia[k]] += v[k];
        acc[ib[k]] -= v[k];
    }
}

//~ Index arrays

static inline unsigned *iota_to(unsigned *r, unsigned start, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = start + i;
    return r;
}

static inline unsigned *as_index_to(unsigned *r, const float *a, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = (unsigned)a[i];
    return r;
}

static inline unsigned *add_uu_to(unsigned *r, const unsigned *a, const unsigned *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + b[i];
    return r;
}

static inline unsigned *sub_uu_to(unsigned *r, const unsigned *a, const unsigned *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] - b[i];
    return r;
}

static inline unsigned *add_us_to(unsigned *r, const unsigned *a, unsigned x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + x;
    return r;
}

static inline unsigned *mul_us_to(unsigned *r, const unsigned *a, unsigned x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] * x;
    return r;
}

static inline unsigned *div_us_to(unsigned *r, const unsigned *a, unsigned x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] / x;
    return r;
}

static inline unsigned *mod_us_to(unsigned *r, const unsigned *a, unsigned x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] % x;
    return r;
}

static inline unsigned *lt_us_to(unsigned *r, const unsigned *a, unsigned x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] < x;
    return r;
}

static inline unsigned *eq_us_to(unsigned *r, const unsigned *a, unsigned x, unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = a[i] == x;
    return r;
}

static inline unsigned *select_uu_to(unsigned *r, const unsigned *mask, const unsigned *a, const unsigned *b,
                                     unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : b[i];
    return r;
}

static inline unsigned *select_us_to(unsigned *r, const unsigned *mask, const unsigned *a, unsigned x,
                                     unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : x;
    return r;
}

static inline unsigned *gather_u_to(unsigned *r, const unsigned *a, const unsigned *idx, unsigned m) {
    for (unsigned i = 0; i < m; i++) r[i] = a[idx[i]];
    return r;
}

static inline unsigned sum_u(const unsigned *a, unsigned n) {
    unsigned sum = 0;
    for (unsigned i = 0; i < n; i++) sum += a[i];
    return sum;
}

static inline unsigned *cumsum_u_to(unsigned *r, const unsigned *a, unsigned n) {
    r[0] = 0;
    for (unsigned i = 0; i < n; i++) r[i + 1] = r[i] + a[i];
    return r;
}

static inline unsigned *bincount_to(unsigned *r, const unsigned *idx, unsigned n, unsigned k) {
    for (unsigned c = 0; c < k; c++) r[c] = 0;
    for (unsigned i = 0; i < n; i++) r[idx[i]]++;
    return r;
}

/* The cursors (where each key's next index goes) are the caller's: a copy of the offsets. */
static inline unsigned *sort_by_key_to(unsigned *r, unsigned *cursor, const unsigned *key,
                                       const unsigned *offset, unsigned n, unsigned k) {
    for (unsigned c = 0; c < k; c++) cursor[c] = offset[c];
    for (unsigned i = 0; i < n; i++) r[cursor[key[i]]++] = i;
    return r;
}

static inline unsigned *nonzero_to(unsigned *r, const unsigned *mask, unsigned n, unsigned k) {
    for (unsigned i = 0, j = 0; i < n && j < k; i++)
        if (mask[i]) r[j++] = i;
    return r;
}

/* A binary search for q0's segment, then a walk: empty segments are stepped over. */
static inline unsigned *segment_of_to(unsigned *r, const unsigned *bounds, unsigned nseg, unsigned q0,
                                      unsigned m) {
    unsigned lo = 0, hi = nseg;
    while (hi - lo > 1) {
        const unsigned mid = lo + (hi - lo) / 2;
        if (bounds[mid] <= q0)
            lo = mid;
        else
            hi = mid;
    }
    for (unsigned i = 0; i < m; i++) {
        while (bounds[lo + 1] <= q0 + i) lo++;
        r[i] = lo;
    }
    return r;
}

static inline unsigned *interleave_u_to(unsigned *r, const unsigned *const *parts, unsigned k, unsigned n) {
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < k; j++) r[k * i + j] = parts[j][i];
    return r;
}

#endif
