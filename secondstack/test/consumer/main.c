/* A user of the installed library: a growing region, typed allocation, a scope. */
#include <stdio.h>

#ifdef SS_INCLUDE_PREFIXED
#include <secondstack/ss_region.h>
#else
#include <ss_region.h>
#endif

int main(void) {
    ss_region r;
    if (ss_region_create_kind(&r, "consumer", 256u << 20, SS_REGION_GROW) != 0) {
        fprintf(stderr, "consumer: %s\n", ss_region_error());
        return 1;
    }
    ss_allocator s = ss_region_allocator(&r);
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    unsigned n = 4u << 20; /* 16 MiB: the region grows */
    float *v = ss_alloc(t, n);
    double sum = 0;
    for (unsigned i = n; i-- > 0;) v[i] = 1.0f;
    for (unsigned i = 0; i < n; i++) sum += v[i];
    ss_scope_end(&sc);
    ss_growth g = ss_region_growth(&r);
    ss_region_destroy(&r);
    if (sum != n || g.commits == 0) {
        fprintf(stderr, "consumer: sum %g of %u, %zu growth steps\n", sum, n, g.commits);
        return 1;
    }
    printf("consumer: ok, %zu growth steps\n", g.commits);
    return 0;
}
