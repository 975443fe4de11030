/* Requests larger than the guard: ss_new, ss_new_aligned, ss_alloc_aligned and
   ss_alloc_bytes take a size_t, so one request could step over any guard and count x size
   could overflow. Each such request is refused with a message naming it and its call site,
   in release mode (test_request) and in debug mode (test_request_debug) alike; requests up
   to the limit are served. */
#include <stdint.h>

#include "ss_region.h"
#include "ss_test.h"

static ss_region R;

typedef struct {
    double x, y, z;
} item; /* 24 bytes */

/* Run-time counts the compiler cannot see through. */
static volatile size_t opaque_count;
static size_t count(size_t v) {
    opaque_count = v;
    return opaque_count;
}

static void new_count_minus_one(void) {
    AT((void)ss_new(ss_region_allocator(&R), int, count((size_t)-1)));
}

/* count x size wraps to 24 bytes: a pointer to nothing, before the check. */
static void new_product_wraps_small(void) {
    AT((void)ss_new(ss_region_allocator(&R), item, count(SIZE_MAX / 24 + 2)));
}

static void bytes_above_guard(void) {
    AT((void)ss_alloc_bytes(ss_region_allocator(&R), count(SS_REGION_GUARD_MIN + 1), 1));
}

static void aligned_floats_above_guard(void) {
    AT((void)ss_alloc_aligned(ss_region_allocator(&R), count(SS_REGION_GUARD_MIN / 4), 64));
}

static void new_aligned_above_guard(void) {
    AT((void)ss_new_aligned(ss_region_allocator(&R), char, count(SS_REGION_GUARD_MIN), 64));
}

/* The padding counts: with align 64 the largest request is the guard less 64 bytes. */
static void bytes_padding_over(void) {
    AT((void)ss_alloc_bytes(ss_region_allocator(&R), count(SS_REGION_GUARD_MIN - 63), 64));
}

/* A constant count is checked at compile time: the same refusal, no run-time cost. */
static void new_constant_count(void) {
    AT((void)ss_new(ss_region_allocator(&R), item, (size_t)1 << 40));
}

/* Within the limit, requests are served (the memory is never touched: release mode only,
   debug mode checks them against the region and reports it exhausted). */
static void test_largest_served(void) {
#ifndef SS_DEBUG
    ss_allocator s = ss_region_allocator(&R);
    char *top = (char *)ss_alloc_bytes(s, 0, 64);
    char *p = ss_alloc_bytes(s, count(SS_REGION_GUARD_MIN - 64), 64);
    CHECK_EQ_U((uintptr_t)(top - p), SS_REGION_GUARD_MIN - 64);
    ss_region_reset(&R);
    p = ss_alloc_bytes(s, count(SS_REGION_GUARD_MIN - 4), 1);
    CHECK(p != NULL);
    ss_region_reset(&R);
    item *q = ss_new(s, item, count((SS_REGION_GUARD_MIN - 8) / sizeof(item)));
    CHECK(q != NULL);
    ss_region_reset(&R);
#endif
    /* and small ones as ever */
    item *v = ss_new(ss_region_allocator(&R), item, count(10));
    for (int i = 0; i < 10; i++) v[i] = (item){i, i, i};
    CHECK(v[9].z == 9.0);
    CHECK_ALIGNED(v, _Alignof(item));
    ss_region_reset(&R);
}

int main(void) {
    if (ss_region_create(&R, "req", 1 << 20) != 0) return 2;
    EXPECT_DEATH_AT(new_count_minus_one, SIGABRT, "request of 18446744073709551615 x 4 bytes overflows size_t");
    EXPECT_DEATH_AT(new_product_wraps_small, SIGABRT, "request of 768614336404564652 x 24 bytes overflows size_t");
    EXPECT_DEATH_AT(bytes_above_guard, SIGABRT,
                    "request of 34359738369 bytes (34359738369 x 1, align 1) is larger than any region's guard "
                    "(SS_REGION_GUARD_MIN, 34359738368 bytes");
    EXPECT_DEATH_AT(aligned_floats_above_guard, SIGABRT, "request of 34359738368 bytes (8589934592 x 4, align 64)");
    EXPECT_DEATH_AT(new_aligned_above_guard, SIGABRT, "request of 34359738368 bytes (34359738368 x 1, align 64)");
    EXPECT_DEATH_AT(bytes_padding_over, SIGABRT, "request of 34359738305 bytes (34359738305 x 1, align 64)");
    EXPECT_DEATH_AT(new_constant_count, SIGABRT, "request of 26388279066624 bytes (1099511627776 x 24, align 8)");
#ifdef SS_DEBUG
    CHECK(strstr(ss_test_output, "region 'req'") != NULL);
#else
    CHECK(strstr(ss_test_output, "bump pointer 0x") != NULL);
#endif
    test_largest_served();
    ss_region_destroy(&R);
    return ss_test_summary("test_request");
}
