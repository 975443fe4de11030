/* Debug mode with OS-backed regions: growth works through the checked allocator, and the
   stack-clash hole (untouched allocations stepping over the guard) is caught by the bounds
   check against the region's end, with file:line. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "ss_region.h"
#include "ss_test.h"

#ifndef SS_DEBUG
#error "test_region_debug is built with -DSS_DEBUG"
#endif

#define MiB ((size_t)1 << 20)

static ss_region R;

static void create(ss_region_kind kind) {
    if (ss_region_create_kind(&R, "dbg-os", 4 * MiB, kind) != 0) {
        fprintf(stderr, "%s\n", ss_region_error());
        exit(2);
    }
}

/* In release mode nothing faults until a store: 70 untouched 16 GiB requests step over a
   1 TiB guard. Debug mode stops the first one that leaves the region. */
static void step_over_the_guard(void) {
    create(SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    for (int i = 0; i < 70; i++) (void)ss_alloc(s, UINT_MAX);
}

static void step_over_reserve(void) {
    create(SS_REGION_RESERVE);
    ss_allocator s = ss_region_allocator(&R);
    for (int i = 0; i < 70; i++) (void)ss_alloc(s, UINT_MAX);
}

static void touch_outside(void) {
    create(SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    char *p = ss_new(s, char, 16);
    (void)ss_touch(s, p - 8 * MiB, 16);
}

int main(void) {
    EXPECT_DEATH(step_over_the_guard, SIGABRT,
                 "region 'dbg-os' exhausted: 17179869180 bytes (align 4) asked for");
    CHECK(strstr(ss_test_output, "test_region_debug.c:") != NULL);
    EXPECT_DEATH(step_over_reserve, SIGABRT, "region 'dbg-os' exhausted");
    EXPECT_DEATH(touch_outside, SIGABRT, "outside region 'dbg-os'");

    /* Used within bounds, growth works as in release mode and statistics are kept. */
    create(SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    size_t n = 3 * MiB / sizeof(float);
    float *v = ss_alloc(t, (unsigned)n);
    for (size_t i = n; i-- > 0;) v[i] = (float)(i & 1023);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += v[i] != (float)(i & 1023);
    CHECK_EQ_U(bad, 0);
    CHECK(ss_region_growth(&R).commits >= 5); /* 64 KiB -> 4 MiB */
    ss_scope_end(&sc);
    CHECK(ss_region_stats(&R).high_water >= 3 * MiB);
    ss_region_destroy(&R);
    return ss_test_summary("test_region_debug");
}
