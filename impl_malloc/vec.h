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
   written), which the single-allocation reference relies on.

   For the physics engine's array form (impl_malloc/physics_array.c): the operations of
   impl_bump/vec.h's second list, each as `name(…)` returning a malloc'd result (an index
   array is freed by IDX as a vector by VEC) and `name_to(r, …)` writing into r; sort_by_key_to
   takes the cursors from the caller, sort_by_key mallocs and frees them. */
#ifndef RK4_MALLOC_VEC_H
#define RK4_MALLOC_VEC_H

#include <math.h>
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
#define IDX __attribute__((cleanup(vec_release_indices)))

static inline void vec_release(float **v) { free(*v); }
static inline void vec_release_indices(unsigned **v) { free(*v); }

//~ Vectors and matrices

/* A careful programmer checks malloc; the test costs one predictable branch. */
static inline float *new_vector(unsigned n) {
    float *r = malloc((size_t)n * sizeof *r);
    if (r == NULL && n != 0) {
        fprintf(stderr, "vec (malloc): out of memory allocating %u floats\n", n);
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

//~ More element-wise operations (the physics engine's array form)

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

/* Left to right from 0, as a loop's `s += a[i]` adds: the order is the result's bits. */
static inline float sum_v(const float *a, unsigned n) {
    float sum = 0.0f;
    for (unsigned i = 0; i < n; i++) sum += a[i];
    return sum;
}

static inline float *sub_vs(const float *a, float x, unsigned n) { return sub_vs_to(new_vector(n), a, x, n); }
static inline float *sub_sv(float x, const float *a, unsigned n) { return sub_sv_to(new_vector(n), x, a, n); }
static inline float *div_vv(const float *a, const float *b, unsigned n) {
    return div_vv_to(new_vector(n), a, b, n);
}
static inline float *div_vs(const float *a, float x, unsigned n) { return div_vs_to(new_vector(n), a, x, n); }
static inline float *div_sv(float x, const float *a, unsigned n) { return div_sv_to(new_vector(n), x, a, n); }
static inline float *sqrt_v(const float *a, unsigned n) { return sqrt_v_to(new_vector(n), a, n); }

//~ Compares (masks of 0 and 1) and selects

/* As new_vector: a careful programmer checks malloc. */
static inline unsigned *new_indices(unsigned n) {
    unsigned *r = malloc((size_t)n * sizeof *r);
    if (r == NULL && n != 0) {
        fprintf(stderr, "vec (malloc): out of memory allocating %u indices\n", n);
        abort();
    }
    return r;
}

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

static inline unsigned *lt_vv(const float *a, const float *b, unsigned n) {
    return lt_vv_to(new_indices(n), a, b, n);
}
static inline unsigned *gt_vv(const float *a, const float *b, unsigned n) {
    return gt_vv_to(new_indices(n), a, b, n);
}
static inline unsigned *gt_vs(const float *a, float x, unsigned n) {
    return gt_vs_to(new_indices(n), a, x, n);
}
static inline unsigned *ge_vs(const float *a, float x, unsigned n) {
    return ge_vs_to(new_indices(n), a, x, n);
}
static inline unsigned *le_vs(const float *a, float x, unsigned n) {
    return le_vs_to(new_indices(n), a, x, n);
}
static inline unsigned *ne_vs(const float *a, float x, unsigned n) {
    return ne_vs_to(new_indices(n), a, x, n);
}
static inline unsigned *and_uu(const unsigned *a, const unsigned *b, unsigned n) {
    return and_uu_to(new_indices(n), a, b, n);
}
static inline float *select_vv(const unsigned *mask, const float *a, const float *b, unsigned n) {
    return select_vv_to(new_vector(n), mask, a, b, n);
}
static inline float *select_vs(const unsigned *mask, const float *a, float x, unsigned n) {
    return select_vs_to(new_vector(n), mask, a, x, n);
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

static inline float *gather(const float *a, const unsigned *idx, unsigned m) {
    return gather_to(new_vector(m), a, idx, m);
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

static inline unsigned *iota(unsigned start, unsigned n) { return iota_to(new_indices(n), start, n); }
static inline unsigned *as_index(const float *a, unsigned n) { return as_index_to(new_indices(n), a, n); }
static inline unsigned *add_uu(const unsigned *a, const unsigned *b, unsigned n) {
    return add_uu_to(new_indices(n), a, b, n);
}
static inline unsigned *sub_uu(const unsigned *a, const unsigned *b, unsigned n) {
    return sub_uu_to(new_indices(n), a, b, n);
}
static inline unsigned *add_us(const unsigned *a, unsigned x, unsigned n) {
    return add_us_to(new_indices(n), a, x, n);
}
static inline unsigned *mul_us(const unsigned *a, unsigned x, unsigned n) {
    return mul_us_to(new_indices(n), a, x, n);
}
static inline unsigned *div_us(const unsigned *a, unsigned x, unsigned n) {
    return div_us_to(new_indices(n), a, x, n);
}
static inline unsigned *mod_us(const unsigned *a, unsigned x, unsigned n) {
    return mod_us_to(new_indices(n), a, x, n);
}
static inline unsigned *lt_us(const unsigned *a, unsigned x, unsigned n) {
    return lt_us_to(new_indices(n), a, x, n);
}
static inline unsigned *eq_us(const unsigned *a, unsigned x, unsigned n) {
    return eq_us_to(new_indices(n), a, x, n);
}
static inline unsigned *select_uu(const unsigned *mask, const unsigned *a, const unsigned *b, unsigned n) {
    return select_uu_to(new_indices(n), mask, a, b, n);
}
static inline unsigned *select_us(const unsigned *mask, const unsigned *a, unsigned x, unsigned n) {
    return select_us_to(new_indices(n), mask, a, x, n);
}
static inline unsigned *gather_u(const unsigned *a, const unsigned *idx, unsigned m) {
    return gather_u_to(new_indices(m), a, idx, m);
}
static inline unsigned *cumsum_u(const unsigned *a, unsigned n) {
    return cumsum_u_to(new_indices(n + 1), a, n);
}
static inline unsigned *bincount(const unsigned *idx, unsigned n, unsigned k) {
    return bincount_to(new_indices(k), idx, n, k);
}
static inline unsigned *sort_by_key(const unsigned *key, const unsigned *offset, unsigned n, unsigned k) {
    IDX unsigned *cursor = new_indices(k);
    return sort_by_key_to(new_indices(n), cursor, key, offset, n, k);
}
static inline unsigned *nonzero(const unsigned *mask, unsigned n, unsigned k) {
    return nonzero_to(new_indices(k), mask, n, k);
}
static inline unsigned *segment_of(const unsigned *bounds, unsigned nseg, unsigned q0, unsigned m) {
    return segment_of_to(new_indices(m), bounds, nseg, q0, m);
}
static inline unsigned *interleave_u(const unsigned *const *parts, unsigned k, unsigned n) {
    return interleave_u_to(new_indices(k * n), parts, k, n);
}

#endif
