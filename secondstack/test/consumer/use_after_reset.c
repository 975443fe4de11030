/* Built with -fsanitize=address against an installed library (release or debug, neither
   built with ASan): reading a float after its scope was reset must be reported. */
#include <stdio.h>

#include <secondstack/ss_region.h>

int main(void) {
    ss_region r;
    if (ss_region_create(&r, "asan", 1 << 20) != 0) return 2;
    ss_allocator s = ss_region_allocator(&r);
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    volatile float *v = ss_alloc(t, 16);
    v[3] = 1.0f;
    ss_scope_reset(&sc);
    printf("read after reset: %g\n", (double)v[3]); /* ASan: use-after-poison */
    ss_scope_end(&sc);
    ss_region_destroy(&r);
    return 0;
}
