/* alloc_kernels.h — allocation-only microbenchmark kernels (C17, the project's flags).
   Each runs `rounds` times and returns a value that depends on every allocation, so no
   compiler can remove the work. */
#ifndef ALLOC_KERNELS_H
#define ALLOC_KERNELS_H

#include "secondstack.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Per round: k blocks of n floats allocated, first and last element written, discarded. */
float kern_bump_alloc(ss_allocator s, unsigned n, unsigned k, unsigned rounds);
float kern_malloc_free(unsigned n, unsigned k, unsigned rounds);

/* Push `count` ints (two arrays side by side with `two`: every growth then copies). */
long kern_push_ss(ss_allocator s, unsigned count, int two);
long kern_push_realloc(unsigned count, int two);

#ifdef __cplusplus
}
#endif

#endif
