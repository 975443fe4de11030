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

   For the physics engine's array form (impl_bump/physics_array.c), the same style over
   float arrays and index arrays (unsigned; a mask is an index array of 0 and 1):

       float *sub_vs(s, a, x, n)   a − x       float *sub_sv(s, x, a, n)   x − a
       float *div_vv(s, a, b, n)   a / b       float *div_vs(s, a, x, n)   a / x
       float *div_sv(s, x, a, n)   x / a       float *sqrt_v(s, a, n)      √a
       float *add_vv_to(r, a, b, n), sub_vv_to(r, a, b, n), select_vv_to(r, mask, a, b, n):
                                   into r, which may be an operand (in-place updates, a += b)
       float  sum_v(a, n)          a_0 + a_1 + … from 0, left to right (a loop's s += a_i)
       mask  *lt_vv, gt_vv(s, a, b, n)          a < b, a > b
       mask  *gt_vs, ge_vs, le_vs, ne_vs(s, a, x, n)   a > x, a ≥ x, a ≤ x, a ≠ x
       mask  *and_uu(s, m1, m2, n)
       float *select_vv(s, mask, a, b, n)       mask ? a : b
       float *select_vs(s, mask, a, x, n)       mask ? a : x
       float *gather(s, a, idx, m)              a[idx_i], i < m
       void   scatter_pairs(acc, ia, ib, v, m)  acc[ia_k] += v_k, then acc[ib_k] −= v_k,
                                                for k = 0, 1, … in order (equal and opposite)
       unsigned *new_indices(s, n)              unsigned *iota(s, start, n)   start + i
       unsigned *as_index(s, a, n)              (unsigned)a_i, for 0 ≤ a_i < 2³²
       unsigned *add_uu, sub_uu(s, a, b, n)     unsigned *add_us, mul_us, div_us, mod_us(s, a, x, n)
       mask     *lt_us, eq_us(s, a, x, n)       a < x, a = x
       unsigned *select_uu(s, mask, a, b, n)    unsigned *select_us(s, mask, a, x, n)
       unsigned *gather_u(s, a, idx, m)         unsigned sum_u(a, n)
       unsigned *cumsum_u(s, a, n)              n + 1 entries: 0, a_0, a_0 + a_1, …
       unsigned *bincount(s, idx, n, k)         r_c = how many idx_i = c, c < k
       unsigned *sort_by_key(s, key, offset, n, k)   0 … n−1 stably sorted by key (< k), given
                                                offset = cumsum_u(bincount(key)) (a counting sort)
       unsigned *nonzero(s, mask, n, k)         the first k positions where mask is 1
       unsigned *segment_of(s, bounds, nseg, q0, m)  for q = q0 … q0+m−1 the segment r with
                                                bounds_r ≤ q < bounds_r+1 (bounds nondecreasing)
       unsigned *interleave_u(s, parts, k, n)   r_{k·i+j} = parts[j]_i

   impl_malloc/vec.h and impl_stack/vec.h have the same operations, in the same order. */
#ifndef RK4_BUMP_VEC_H
#define RK4_BUMP_VEC_H

#include <math.h>
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

//~ More element-wise operations (the physics engine's array form)

static inline float *sub_vs(ss_allocator s, const float *a, float x, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] - x;
    return r;
}

static inline float *sub_sv(ss_allocator s, float x, const float *a, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = x - a[i];
    return r;
}

static inline float *div_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] / b[i];
    return r;
}

static inline float *div_vs(ss_allocator s, const float *a, float x, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] / x;
    return r;
}

static inline float *div_sv(ss_allocator s, float x, const float *a, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = x / a[i];
    return r;
}

static inline float *sqrt_v(ss_allocator s, const float *a, unsigned n) {
    float *r = new_vector(s, n);
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

static inline unsigned *new_indices(ss_allocator s, unsigned n) { return ss_new(s, unsigned, n); }

static inline unsigned *lt_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] < b[i];
    return r;
}

static inline unsigned *gt_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] > b[i];
    return r;
}

static inline unsigned *gt_vs(ss_allocator s, const float *a, float x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] > x;
    return r;
}

static inline unsigned *ge_vs(ss_allocator s, const float *a, float x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] >= x;
    return r;
}

static inline unsigned *le_vs(ss_allocator s, const float *a, float x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] <= x;
    return r;
}

static inline unsigned *ne_vs(ss_allocator s, const float *a, float x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] != x;
    return r;
}

static inline unsigned *and_uu(ss_allocator s, const unsigned *a, const unsigned *b, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] & b[i];
    return r;
}

static inline float *select_vv_to(float *r, const unsigned *mask, const float *a, const float *b,
                                  unsigned n) {
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : b[i];
    return r;
}

static inline float *select_vv(ss_allocator s, const unsigned *mask, const float *a, const float *b,
                               unsigned n) {
    return select_vv_to(new_vector(s, n), mask, a, b, n);
}

static inline float *select_vs(ss_allocator s, const unsigned *mask, const float *a, float x, unsigned n) {
    float *r = new_vector(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : x;
    return r;
}

//~ Gathers and scatters

static inline float *gather(ss_allocator s, const float *a, const unsigned *idx, unsigned m) {
    float *r = new_vector(s, m);
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

static inline unsigned *iota(ss_allocator s, unsigned start, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = start + i;
    return r;
}

static inline unsigned *as_index(ss_allocator s, const float *a, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = (unsigned)a[i];
    return r;
}

static inline unsigned *add_uu(ss_allocator s, const unsigned *a, const unsigned *b, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + b[i];
    return r;
}

static inline unsigned *sub_uu(ss_allocator s, const unsigned *a, const unsigned *b, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] - b[i];
    return r;
}

static inline unsigned *add_us(ss_allocator s, const unsigned *a, unsigned x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] + x;
    return r;
}

static inline unsigned *mul_us(ss_allocator s, const unsigned *a, unsigned x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] * x;
    return r;
}

static inline unsigned *div_us(ss_allocator s, const unsigned *a, unsigned x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] / x;
    return r;
}

static inline unsigned *mod_us(ss_allocator s, const unsigned *a, unsigned x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] % x;
    return r;
}

static inline unsigned *lt_us(ss_allocator s, const unsigned *a, unsigned x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] < x;
    return r;
}

static inline unsigned *eq_us(ss_allocator s, const unsigned *a, unsigned x, unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = a[i] == x;
    return r;
}

static inline unsigned *select_uu(ss_allocator s, const unsigned *mask, const unsigned *a, const unsigned *b,
                                  unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : b[i];
    return r;
}

static inline unsigned *select_us(ss_allocator s, const unsigned *mask, const unsigned *a, unsigned x,
                                  unsigned n) {
    unsigned *r = new_indices(s, n);
    for (unsigned i = 0; i < n; i++) r[i] = mask[i] ? a[i] : x;
    return r;
}

static inline unsigned *gather_u(ss_allocator s, const unsigned *a, const unsigned *idx, unsigned m) {
    unsigned *r = new_indices(s, m);
    for (unsigned i = 0; i < m; i++) r[i] = a[idx[i]];
    return r;
}

static inline unsigned sum_u(const unsigned *a, unsigned n) {
    unsigned sum = 0;
    for (unsigned i = 0; i < n; i++) sum += a[i];
    return sum;
}

static inline unsigned *cumsum_u(ss_allocator s, const unsigned *a, unsigned n) {
    unsigned *r = new_indices(s, n + 1);
    r[0] = 0;
    for (unsigned i = 0; i < n; i++) r[i + 1] = r[i] + a[i];
    return r;
}

static inline unsigned *bincount(ss_allocator s, const unsigned *idx, unsigned n, unsigned k) {
    unsigned *r = new_indices(s, k);
    for (unsigned c = 0; c < k; c++) r[c] = 0;
    for (unsigned i = 0; i < n; i++) r[idx[i]]++;
    return r;
}

/* The cursors (where each key's next index goes) are a fresh copy of the offsets. */
static inline unsigned *sort_by_key(ss_allocator s, const unsigned *key, const unsigned *offset, unsigned n,
                                    unsigned k) {
    unsigned *cursor = new_indices(s, k);
    unsigned *r = new_indices(s, n);
    for (unsigned c = 0; c < k; c++) cursor[c] = offset[c];
    for (unsigned i = 0; i < n; i++) r[cursor[key[i]]++] = i;
    return r;
}

static inline unsigned *nonzero(ss_allocator s, const unsigned *mask, unsigned n, unsigned k) {
    unsigned *r = new_indices(s, k);
    for (unsigned i = 0, j = 0; i < n && j < k; i++)
        if (mask[i]) r[j++] = i;
    return r;
}

/* A binary search for q0's segment, then a walk: empty segments are stepped over. */
static inline unsigned *segment_of(ss_allocator s, const unsigned *bounds, unsigned nseg, unsigned q0,
                                   unsigned m) {
    unsigned *r = new_indices(s, m);
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

static inline unsigned *interleave_u(ss_allocator s, const unsigned *const *parts, unsigned k, unsigned n) {
    unsigned *r = new_indices(s, k * n);
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < k; j++) r[k * i + j] = parts[j][i];
    return r;
}

#endif
