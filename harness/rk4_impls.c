/* rk4_impls.c — the RK4 implementations by name; the per-size builds dispatched by n. */
#include "rk4_impls.h"

#include <string.h>

#include "ss_sizes.h"

int rk4_run_bump(void *, rk4_problem, rk4_call, rk4_mode, const float *, unsigned, float, unsigned, float *);
int rk4_run_malloc(void *, rk4_problem, rk4_call, rk4_mode, const float *, unsigned, float, unsigned, float *);
int rk4_run_malloc_once(void *, rk4_problem, rk4_call, rk4_mode, const float *, unsigned, float, unsigned, float *);
int rk4_run_bump_checked(void *, rk4_problem, rk4_call, rk4_mode, const float *, unsigned, float, unsigned, float *);
int rk4_run_bump_tuned(void *, rk4_problem, rk4_call, rk4_mode, const float *, unsigned, float, unsigned, float *);
int rk4_run_malloc_tuned(void *, rk4_problem, rk4_call, rk4_mode, const float *, unsigned, float, unsigned, float *);

#define DECLARE(n)                                                                                             \
    rk4_run_fn rk4_run_stack##n;                                                                               \
    rk4_run_fn rk4_run_bump_n##n;
RK4_SIZES(DECLARE)
#undef DECLARE

static int run_stack(void *ctx, rk4_problem p, rk4_call c, rk4_mode m, const float *y0, unsigned n, float h,
                     unsigned steps, float *out) {
    switch (n) {
#define CASE(size) \
    case size: return rk4_run_stack##size(ctx, p, c, m, y0, n, h, steps, out);
        RK4_SIZES(CASE)
#undef CASE
    default: return -1;
    }
}

static int run_bump_n(void *ctx, rk4_problem p, rk4_call c, rk4_mode m, const float *y0, unsigned n, float h,
                      unsigned steps, float *out) {
    switch (n) {
#define CASE(size) \
    case size: return rk4_run_bump_n##size(ctx, p, c, m, y0, n, h, steps, out);
        RK4_SIZES(CASE)
#undef CASE
    default: return -1;
    }
}

const rk4_impl rk4_impls[] = {
    {"bump", rk4_run_bump, 0, 1, "bump allocator, n at run time"},
    {"malloc", rk4_run_malloc, 0, 0, "malloc/free per vector operation (RAII-style)"},
    {"stack", run_stack, 1, 0, "fixed-length arrays on the stack, n at compile time"},
    {"malloc_once", rk4_run_malloc_once, 0, 0, "reference: malloc style, temporaries allocated once"},
    {"bump_n", run_bump_n, 1, 1, "reference: bump allocator, n at compile time"},
    {"bump_checked", rk4_run_bump_checked, 0, 1, "ablation: bump, each allocation checked against a limit"},
    {"bump_tuned", rk4_run_bump_tuned, 0, 1, "bump allocator, lane vectors: fresh, aligned, padded (secondstack.h)"},
    {"malloc_tuned", rk4_run_malloc_tuned, 0, 0, "malloc/free per operation, aligned_alloc + padding + restrict"},
};
const unsigned rk4_nimpls = sizeof rk4_impls / sizeof rk4_impls[0];

#define SIZE(n) n,
const unsigned rk4_sizes[] = {RK4_SIZES(SIZE)};
#undef SIZE
const unsigned rk4_nsizes = sizeof rk4_sizes / sizeof rk4_sizes[0];

const rk4_impl *rk4_impl_from_name(const char *name) {
    for (unsigned i = 0; i < rk4_nimpls; i++)
        if (!strcmp(name, rk4_impls[i].name)) return &rk4_impls[i];
    return NULL;
}

int rk4_size_built(unsigned n) {
    for (unsigned i = 0; i < rk4_nsizes; i++)
        if (rk4_sizes[i] == n) return 1;
    return 0;
}

int rk4_impl_supports(const rk4_impl *impl, unsigned n) { return !impl->per_size || rk4_size_built(n); }

size_t rk4_region_bytes(const rk4_impl *impl, rk4_mode mode, unsigned n, unsigned steps) {
    if (!impl->bump) return 0;
    return impl->run == rk4_run_bump_tuned ? rk4_bump_tuned_region_bytes(mode, n, steps) : rk4_bump_scratch_bytes(n);
}
