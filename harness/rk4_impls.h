/* rk4_impls.h — the RK4 implementations by name, for the runner, the benchmark and the tests.

       bump         impl_bump/rk4.c, n at run time
       malloc       impl_malloc/rk4.c, one malloc and free per vector operation
       stack        impl_stack/rk4.c, n fixed at compile time (sizes in SS_RK4_SIZES only)
       malloc_once  reference: malloc style with the step's temporaries allocated once
       bump_n       reference: bump style with n fixed at compile time (sizes in SS_RK4_SIZES)
       bump_checked ablation: impl_bump/rk4.c and vec.h over the checked allocator (SS_CHECKED
                    in secondstack.h: one compare and a cold refill per allocation)
       bump_tuned   impl_bump/rk4.c over vec_tuned.h: lane vectors (fresh, aligned, padded) the
                    compiler is told about through secondstack.h
       malloc_tuned impl_malloc/rk4.c over its vec_tuned.h: aligned_alloc, padding, restrict,
                    what any allocator lets one promise
*/
#ifndef RK4_IMPLS_H
#define RK4_IMPLS_H

#include <stddef.h>

#include "rk4.h"
#include "secondstack.h" /* ss_lanes_padded */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rk4_impl {
    const char *name;
    rk4_run_fn *run;
    int per_size;   /* built only for the lengths in the size list */
    int bump;       /* needs an allocator for its temporaries (ctx) */
    const char *what;
} rk4_impl;

extern const rk4_impl rk4_impls[];
extern const unsigned rk4_nimpls;
extern const unsigned rk4_sizes[];
extern const unsigned rk4_nsizes;

const rk4_impl *rk4_impl_from_name(const char *name); /* NULL if unknown */
int rk4_size_built(unsigned n);                        /* n is in the size list */
int rk4_impl_supports(const rk4_impl *impl, unsigned n);

/* Bytes of region the bump implementations need for one step's temporaries at length n:
   13 vectors in the step, at most 6 in each of the 4 dydt calls (lorenz96) = 37 vectors;
   48 leaves room. tests/test_rk4_highwater.c checks it in debug mode (bounds-checked). */
static inline size_t rk4_bump_scratch_bytes(unsigned n) { return 48 * (size_t)n * sizeof(float) + 4096; }

/* bump_tuned's: the same 48 vectors, lane vectors (ss_lanes_padded(n) floats each), and the
   copy of y0 and the trajectory it keeps there (2 columns in final-state mode, steps + 1 for
   the whole trajectory). */
static inline size_t rk4_bump_tuned_region_bytes(rk4_mode mode, unsigned n, unsigned steps) {
    size_t cols = mode == RK4_FINAL ? 2 : (size_t)steps + 1;
    return (48 + 1 + cols) * ss_lanes_padded(n) * sizeof(float) + 4096;
}

/* Bytes of region a run of an implementation that takes an allocator needs; 0 for the others. */
size_t rk4_region_bytes(const rk4_impl *impl, rk4_mode mode, unsigned n, unsigned steps);

#ifdef __cplusplus
}
#endif

#endif
