/* Under valgrind or ASan, OS-backed regions become plain mappings with a notice, and
   programs using them still run (and stay checkable by the tool).
       test_region_fallback fallback|native      which one this run must see */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss_region.h"
#include "ss_test.h"

#define MiB ((size_t)1 << 20)

int main(int argc, char **argv) {
    if (argc != 2 || (strcmp(argv[1], "fallback") != 0 && strcmp(argv[1], "native") != 0)) {
        fprintf(stderr, "usage: test_region_fallback fallback|native\n");
        return 2;
    }
    int want = strcmp(argv[1], "fallback") == 0;
    ss_region_kind kinds[] = {SS_REGION_GROW, SS_REGION_RESERVE};
    for (int k = 0; k < 2; k++) {
        ss_region r;
        if (ss_region_create_kind(&r, "fb", 64 * MiB, kinds[k]) != 0) {
            fprintf(stderr, "%s\n", ss_region_error());
            return 2;
        }
        ss_growth g = ss_region_growth(&r);
        CHECK_EQ_U(g.fallback, want);
        CHECK_EQ_U(g.limit, 64 * MiB);
        ss_allocator s = ss_region_allocator(&r);
        size_t n = 16 * MiB / sizeof(float);
        float *v = ss_alloc(s, (unsigned)n);
        for (size_t i = n; i-- > 0;) v[i] = (float)(i & 4095);
        size_t bad = 0;
        for (size_t i = 0; i < n; i++) bad += v[i] != (float)(i & 4095);
        CHECK_EQ_U(bad, 0);
        CHECK_EQ_U(ss_touch(s, v, n * sizeof(float)), 0);
        ss_region_destroy(&r);
    }
    return ss_test_summary("test_region_fallback");
}
