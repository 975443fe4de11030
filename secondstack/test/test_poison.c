/* A use after a scope reset must be reported: built with ASan (test_poison_asan) and, in
   debug mode, run under Valgrind (test_poison_valgrind). Both runs are expected to fail
   with the tool's report; tests/CMakeLists.txt checks the exit status and the message. */
#include <stdio.h>
#include <stdlib.h>

#include "ss_region.h"

int main(void) {
    ss_region r;
    if (ss_region_create(&r, "poison", 1 << 16) != 0) return 2;
    ss_allocator s = ss_region_allocator(&r);
    ss_scope step;
    ss_allocator t = ss_scope_begin(&step, s);
    float *stale = ss_alloc(t, 64);
    for (int i = 0; i < 64; i++) stale[i] = (float)i;
    ss_scope_reset(&step);
    volatile float x = stale[10]; /* use after reset */
    printf("read %g after reset: not reported\n", (double)x);
    ss_scope_end(&step);
    ss_region_destroy(&r);
    return 0;
}
