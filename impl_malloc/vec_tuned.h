/* vec_tuned.h — the malloc-style vector library, tuned as far as any allocator allows: the
   same operations as vec.h, each result malloc'd and owned by the caller (VEC), and the
   promises impl_bump/vec_tuned.h gets from secondstack.h made here by hand:

     - freshness: a result of aligned_alloc overlaps nothing live, so the kernel that fills
       it takes it as its one restrict pointer;
     - alignment: aligned_alloc(LANES_ALIGN, ...);
     - padding: a vector of n holds lanes_padded(n) floats, the lanes past n (its pads)
       +0.0f, so a kernel works in whole blocks and no loop has a remainder.

   The kernels (`_lanes`) are impl_bump/vec_tuned.h's, the helpers those of secondstack.h's
   "Vector code" section (without its debug checks); see there for why they are written so.
   A matrix is n × cols, column by column, each column a lane vector. Every input of an
   operation is a lane vector; rk4_tuned.c copies the caller's y0 and output in and out.

       float *new_vector(n)                    float *new_matrix(n, cols)
       void   set_col(m, j, v, n)              const float *get_col(m, j, n)   (a view)
       float *add_vv(a, b, n)   a + b          float *sub_vv(a, b, n)   a − b
       float *mul_vv(a, b, n)   a ⊙ b          float *mul_vs(a, x, n)   a·x
       float *add_vs(a, x, n)   a + x
       float *rotate(a, k, n)   r_i = a_{(i+k) mod n}
       float *shift_next(a, n)  r_i = a_{i+1}, r_{n−1} = 0
       float *shift_prev(a, n)  r_i = a_{i−1}, r_0 = 0
       float *dydt_<problem>(y, n) */
#ifndef RK4_MALLOC_VEC_TUNED_H
#define RK4_MALLOC_VEC_TUNED_H
/* This library takes vec.h's place: rk4_tuned.c includes it, then rk4.c, whose own
   `#include "vec.h"` then adds nothing. */
#define RK4_MALLOC_VEC_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rk4.h"

/* rk4.c is written with the plain names; these are the names it exports. Its rk4_run is the
   padded one, static here and out of line (the evidence tools report the step on it):
   rk4_tuned.c wraps it in rk4_run_malloc_tuned. */
#define rk4 rk4_malloc_tuned
#define rk4_run rk4_run_malloc_tuned_padded
#define RK4_LEN(n) (n)
#define RK4_BUILT_FOR(n) ((n) > 0)
__attribute__((noinline)) static rk4_run_fn rk4_run;

/* Scope-bound ownership: freed when the variable's block ends. */
#define VEC __attribute__((cleanup(vec_release)))

static inline void vec_release(float **v) { free(*v); }

//~ Lanes: blocks of LANES floats (one 32-byte vector)

#define LANES 8
#define LANES_ALIGN (LANES * sizeof(float))
#if LANES > RK4_COEF_LANES
#error "rk4_osc_coef is padded for blocks of at most RK4_COEF_LANES floats (workloads/rk4.h)"
#endif

static inline unsigned lanes_blocks(unsigned n) { return n / LANES + (n % LANES != 0); }

static inline size_t lanes_padded(unsigned n) { return ((size_t)lanes_blocks(n) + 1) * LANES; }

#if defined(__clang__)
#define LANES_OUTER _Pragma("clang loop vectorize(disable) interleave(disable)")
#else
#define LANES_OUTER
#endif
#define LANES_FOR(i, n)                                                                        \
    LANES_OUTER for (size_t lanes_k = 0, lanes_nb = lanes_blocks(n); lanes_k < lanes_nb; lanes_k++) \
        for (size_t lanes_j = 0, i = lanes_k * LANES; lanes_j < LANES; lanes_j++, i++)

static inline const float *lanes_in(const float *p) { return (const float *)__builtin_assume_aligned(p, LANES_ALIGN); }

static inline void lanes_zero_block(float *restrict b) {
    float zero = 0.0f;
#if defined(__x86_64__) || defined(__i386__)
    __asm__("" : "+x"(zero));
#endif
    for (unsigned j = 0; j < LANES; j++) b[j] = zero;
}

static inline void lanes_clear_pads(float *restrict r, unsigned n) {
    lanes_zero_block(r + n);
    lanes_zero_block(r + (size_t)lanes_blocks(n) * LANES);
}

static inline void lanes_clear_spare(float *restrict r, unsigned n) {
    lanes_zero_block(r + (size_t)lanes_blocks(n) * LANES);
}

static inline void lanes_copy(float *restrict to, const float *from, size_t blocks) {
    __asm__("" : "+r"(blocks));
    for (size_t k = 0; k < blocks; k++) {
        for (size_t j = 0; j < LANES; j++) to[k * LANES + j] = from[k * LANES + j];
        __asm__("");
    }
}

//~ Vectors and matrices

/* A careful programmer checks malloc; the test costs one predictable branch. */
static inline float *new_lanes(size_t floats) {
    float *r = aligned_alloc(LANES_ALIGN, floats * sizeof *r);
    if (r == NULL) {
        fprintf(stderr, "rk4 (malloc, tuned): out of memory allocating %zu floats\n", floats);
        abort();
    }
    return (float *)__builtin_assume_aligned(r, LANES_ALIGN);
}

static inline float *new_vector(unsigned n) { return new_lanes(lanes_padded(n)); }

static inline float *new_matrix(unsigned n, unsigned cols) { return new_lanes((size_t)cols * lanes_padded(n)); }

/* v is a lane vector: its pads are copied too, so the column's are +0.0f. A column is not a
   fresh allocation: its copy is memcpy, as in vec.h, not lanes_copy, whose destination is. */
static inline void set_col(float *m, unsigned j, const float *v, unsigned n) {
    memcpy(m + (size_t)j * lanes_padded(n), v, lanes_padded(n) * sizeof *v);
}

static inline const float *get_col(const float *m, unsigned j, unsigned n) { return m + (size_t)j * lanes_padded(n); }

//~ Element-wise operations

static inline void add_vv_lanes(float *restrict r, const float *a, const float *b, unsigned n) {
    LANES_FOR(i, n) r[i] = a[i] + b[i];
    lanes_clear_spare(r, n);
}

static inline void sub_vv_lanes(float *restrict r, const float *a, const float *b, unsigned n) {
    LANES_FOR(i, n) r[i] = a[i] - b[i];
    lanes_clear_spare(r, n);
}

static inline void mul_vv_lanes(float *restrict r, const float *a, const float *b, unsigned n) {
    LANES_FOR(i, n) r[i] = a[i] * b[i];
    lanes_clear_spare(r, n);
}

static inline void mul_vs_lanes(float *restrict r, const float *a, float x, unsigned n) {
    LANES_FOR(i, n) r[i] = a[i] * x;
    lanes_clear_pads(r, n);
}

static inline void add_vs_lanes(float *restrict r, const float *a, float x, unsigned n) {
    LANES_FOR(i, n) r[i] = a[i] + x;
    lanes_clear_pads(r, n);
}

static inline float *add_vv(const float *a, const float *b, unsigned n) {
    float *r = new_vector(n);
    add_vv_lanes(r, lanes_in(a), lanes_in(b), n);
    return r;
}

static inline float *sub_vv(const float *a, const float *b, unsigned n) {
    float *r = new_vector(n);
    sub_vv_lanes(r, lanes_in(a), lanes_in(b), n);
    return r;
}

static inline float *mul_vv(const float *a, const float *b, unsigned n) {
    float *r = new_vector(n);
    mul_vv_lanes(r, lanes_in(a), lanes_in(b), n);
    return r;
}

static inline float *mul_vs(const float *a, float x, unsigned n) {
    float *r = new_vector(n);
    mul_vs_lanes(r, lanes_in(a), x, n);
    return r;
}

static inline float *add_vs(const float *a, float x, unsigned n) {
    float *r = new_vector(n);
    add_vs_lanes(r, lanes_in(a), x, n);
    return r;
}

//~ Shifts (the stencils)

/* r[0, n−k) = a[k, n) and r[n−k, n) = a[0, k), each in whole blocks: the first reads up to
   a block past n (a's pads), the second writes up to a block past n (r's pads). */
static inline void rotate_lanes(float *restrict r, const float *a, unsigned k, unsigned n) {
    lanes_copy(r, a + k, lanes_blocks(n - k));
    lanes_copy(r + (n - k), a, lanes_blocks(k));
    lanes_clear_pads(r, n);
}

/* r_{n−1} = a_n, a pad: +0.0f. */
static inline void shift_next_lanes(float *restrict r, const float *a, unsigned n) {
    lanes_copy(r, a + 1, lanes_blocks(n));
    lanes_clear_pads(r, n);
}

static inline void shift_prev_lanes(float *restrict r, const float *a, unsigned n) {
    lanes_copy(r + 1, a, lanes_blocks(n));
    r[0] = 0.0f;
    lanes_clear_pads(r, n);
}

static inline float *rotate(const float *a, unsigned k, unsigned n) {
    float *r = new_vector(n);
    rotate_lanes(r, lanes_in(a), k, n);
    return r;
}

static inline float *shift_next(const float *a, unsigned n) {
    float *r = new_vector(n);
    shift_next_lanes(r, lanes_in(a), n);
    return r;
}

static inline float *shift_prev(const float *a, unsigned n) {
    float *r = new_vector(n);
    shift_prev_lanes(r, lanes_in(a), n);
    return r;
}

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

#endif
