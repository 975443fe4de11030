/* vec_tuned.h — the bump-style vector library, tuned: the same operations as vec.h, each
   taking the allocator first and returning a fresh result, written so that the compiler is
   told what the allocator guarantees (secondstack.h, "Vector code"):

     - freshness: a result comes from ss_alloc_lanes, below everything live, so it overlaps no
       input; the kernel that fills it takes it as its one SS_FRESH (restrict) pointer;
     - alignment: every vector starts on a block (SS_LANES floats, 32 bytes);
     - padding: a vector of n holds ss_lanes_padded(n) floats, the lanes past n (its pads)
       +0.0f, so a kernel works in whole blocks and no loop has a remainder.

   Vectors are lane vectors of length n; a matrix is n × cols, column by column, each column a
   lane vector (stride ss_lanes_padded(n)). Every input of an operation is a lane vector: a
   column, a result of this library, or rk4_osc_coef (padded by workloads/). The caller's y0
   and output are plain arrays: rk4_tuned.c copies them in and out once per run.

       float *new_vector(s, n)                 float *new_matrix(s, n, cols)
       void   set_col(m, j, v, n)              const float *get_col(m, j, n)   (a view)
       float *add_vv(s, a, b, n)   a + b       float *sub_vv(s, a, b, n)   a − b
       float *mul_vv(s, a, b, n)   a ⊙ b       float *mul_vs(s, a, x, n)   a·x
       float *add_vs(s, a, x, n)   a + x
       float *rotate(s, a, k, n)   r_i = a_{(i+k) mod n}   (cyclic shift, 0 ≤ k < n)
       float *shift_next(s, a, n)  r_i = a_{i+1}, r_{n−1} = 0
       float *shift_prev(s, a, n)  r_i = a_{i−1}, r_0 = 0
       float *dydt_<problem>(s, y, n)          the four right-hand sides (workloads/rk4.h)

   The kernels (`_lanes`) run over whole blocks with SS_LANES_FOR, a loop over blocks around
   a loop of SS_LANES lanes: that inner loop has a constant trip count equal to the vector
   width, so gcc -O2 vectorizes it with neither an epilogue nor a run-time alias check, which
   its "very cheap" cost model never allows (secondstack.h explains it). Every kernel ends with
   ss_lanes_clear_pads (ss_lanes_clear_spare after a + b, a − b, a · b): pads are always
   +0.0f, and only the real lanes [0, n) carry results, bit for bit those of vec.h. The shifts
   and rotations move the real lanes: they read and write one partial block past n, inside
   the pads, which the clear then restores. */
#ifndef RK4_BUMP_VEC_TUNED_H
#define RK4_BUMP_VEC_TUNED_H
/* This library takes vec.h's place: rk4_tuned.c includes it, then rk4.c, whose own
   `#include "vec.h"` then adds nothing. */
#define RK4_BUMP_VEC_H

#include <string.h>

#include "rk4.h"
#include "secondstack.h"

#ifdef RK4_N
#error "the tuned library is built with n at run time only"
#endif
#if SS_LANES > RK4_COEF_LANES
#error "rk4_osc_coef is padded for blocks of at most RK4_COEF_LANES floats (workloads/rk4.h)"
#endif

/* rk4.c is written with the plain names; these are the names it exports. Its rk4_run is the
   padded one, static here and out of line (the evidence tools report the step on it):
   rk4_tuned.c wraps it in rk4_run_bump_tuned. */
#define rk4 rk4_bump_tuned
#define rk4_run rk4_run_bump_tuned_padded
#define RK4_LEN(n) (n)
#define RK4_BUILT_FOR(n) ((n) > 0)
__attribute__((noinline)) static rk4_run_fn rk4_run;

//~ Vectors and matrices

static inline float *new_vector(ss_allocator s, unsigned n) { return ss_alloc_lanes(s, n); }

static inline float *new_matrix(ss_allocator s, unsigned n, unsigned cols) {
    return ss_new_aligned(s, float, (size_t)cols * ss_lanes_padded(n), SS_LANES * sizeof(float));
}

/* v is a lane vector: its pads are copied too, so the column's are +0.0f. A column is not a
   fresh allocation: its copy is memcpy, as in vec.h, not ss_lanes_copy, whose destination is. */
static inline void set_col(float *m, unsigned j, const float *v, unsigned n) {
    memcpy(m + (size_t)j * ss_lanes_padded(n), v, ss_lanes_padded(n) * sizeof *v);
}

static inline const float *get_col(const float *m, unsigned j, unsigned n) {
    return m + (size_t)j * ss_lanes_padded(n);
}

//~ Element-wise operations

static inline void add_vv_lanes(float *SS_FRESH r, const float *a, const float *b, unsigned n) {
    SS_LANES_FOR(i, n) r[i] = a[i] + b[i];
    ss_lanes_clear_spare(r, n);
}

static inline void sub_vv_lanes(float *SS_FRESH r, const float *a, const float *b, unsigned n) {
    SS_LANES_FOR(i, n) r[i] = a[i] - b[i];
    ss_lanes_clear_spare(r, n);
}

static inline void mul_vv_lanes(float *SS_FRESH r, const float *a, const float *b, unsigned n) {
    SS_LANES_FOR(i, n) r[i] = a[i] * b[i];
    ss_lanes_clear_spare(r, n);
}

static inline void mul_vs_lanes(float *SS_FRESH r, const float *a, float x, unsigned n) {
    SS_LANES_FOR(i, n) r[i] = a[i] * x;
    ss_lanes_clear_pads(r, n);
}

static inline void add_vs_lanes(float *SS_FRESH r, const float *a, float x, unsigned n) {
    SS_LANES_FOR(i, n) r[i] = a[i] + x;
    ss_lanes_clear_pads(r, n);
}

static inline float *add_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = new_vector(s, n);
    add_vv_lanes(r, ss_lanes_in(s, a, n), ss_lanes_in(s, b, n), n);
    return r;
}

static inline float *sub_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = new_vector(s, n);
    sub_vv_lanes(r, ss_lanes_in(s, a, n), ss_lanes_in(s, b, n), n);
    return r;
}

static inline float *mul_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = new_vector(s, n);
    mul_vv_lanes(r, ss_lanes_in(s, a, n), ss_lanes_in(s, b, n), n);
    return r;
}

static inline float *mul_vs(ss_allocator s, const float *a, float x, unsigned n) {
    float *r = new_vector(s, n);
    mul_vs_lanes(r, ss_lanes_in(s, a, n), x, n);
    return r;
}

static inline float *add_vs(ss_allocator s, const float *a, float x, unsigned n) {
    float *r = new_vector(s, n);
    add_vs_lanes(r, ss_lanes_in(s, a, n), x, n);
    return r;
}

//~ Shifts (the stencils)

/* r[0, n−k) = a[k, n) and r[n−k, n) = a[0, k), each in whole blocks: the first reads up to
   a block past n (a's pads), the second writes up to a block past n (r's pads). */
static inline void rotate_lanes(float *SS_FRESH r, const float *a, unsigned k, unsigned n) {
    ss_lanes_copy(r, a + k, ss_lanes_blocks(n - k));
    ss_lanes_copy(r + (n - k), a, ss_lanes_blocks(k));
    ss_lanes_clear_pads(r, n);
}

/* r_{n−1} = a_n, a pad: +0.0f. */
static inline void shift_next_lanes(float *SS_FRESH r, const float *a, unsigned n) {
    ss_lanes_copy(r, a + 1, ss_lanes_blocks(n));
    ss_lanes_clear_pads(r, n);
}

static inline void shift_prev_lanes(float *SS_FRESH r, const float *a, unsigned n) {
    ss_lanes_copy(r + 1, a, ss_lanes_blocks(n));
    r[0] = 0.0f;
    ss_lanes_clear_pads(r, n);
}

static inline float *rotate(ss_allocator s, const float *a, unsigned k, unsigned n) {
    float *r = new_vector(s, n);
    rotate_lanes(r, ss_lanes_in(s, a, n), k, n);
    return r;
}

static inline float *shift_next(ss_allocator s, const float *a, unsigned n) {
    float *r = new_vector(s, n);
    shift_next_lanes(r, ss_lanes_in(s, a, n), n);
    return r;
}

static inline float *shift_prev(ss_allocator s, const float *a, unsigned n) {
    float *r = new_vector(s, n);
    shift_prev_lanes(r, ss_lanes_in(s, a, n), n);
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
