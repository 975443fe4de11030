/* test_checked — SS_CHECKED, the checked fast path: an allocation that would pass the limit
   beside the pointer goes to the refill, which reports a region's exhaustion (its name, the
   sizes and the file:line of the call) and aborts, before any memory is touched; inside a
   growing region's uncommitted part it commits instead, at the allocation, not at a fault.
   Release and checked units share one layout: scopes begun by checked_release.c (no
   SS_CHECKED) carry the limit, and its allocations move the same pointer. */
#include "ss_region.h"
#include "ss_test.h"

#ifndef SS_CHECKED
#error "test_checked is built with -DSS_CHECKED"
#endif

ss_allocator release_scope_begin(ss_scope *sc, ss_allocator parent);
float *release_alloc(ss_allocator s, unsigned n);

static ss_region R;

#define AT(stmt)                                  \
    do {                                          \
        fprintf(stderr, "@line %d\n", __LINE__); \
        stmt;                                     \
    } while (0)

static void exhaust(void) {
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 1000);
    AT((void)ss_alloc(s, 1u << 20)); /* the region has 64 KiB */
}

static void exhaust_typed(void) {
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 4);
    AT((void)ss_new(s, double, 1u << 14));
}

/* The stack-clash pattern (ss_region.h): steps never touched; each is checked here. */
static void many_untouched_allocations(void) {
    ss_allocator s = ss_region_allocator(&R);
    AT(for (int i = 0; i < 100; i++)(void) ss_alloc(s, 1024));
}

static void exhaust_in_release_scope(void) {
    ss_scope sc;
    ss_allocator t = release_scope_begin(&sc, ss_region_allocator(&R));
    (void)release_alloc(t, 1000);
    AT((void)ss_alloc(t, 1u << 14));
}

static void exhaust_by_push(void) {
    ss_allocator s = ss_region_allocator(&R);
    SS_ARRAY(double) a = {0};
    AT(for (int i = 0; i < 1 << 14; i++) ss_push(s, &a, 1.0));
}

static void exhaust_lanes(void) {
    ss_allocator s = ss_region_allocator(&R);
    AT((void)ss_alloc_lanes(s, 1u << 14));
}

static void expect_at(const char *name, void (*fn)(void), const char *expect) {
    int before = ss_test_failures;
    ss_test_expect_death(name, fn, SIGABRT, expect, __FILE__, __LINE__);
    if (ss_test_failures != before) return;
    const char *at = strstr(ss_test_output, "@line ");
    char want[64];
    snprintf(want, sizeof want, "test_checked.c:%d: ", at ? atoi(at + 6) : -1);
    ss_test_checks++;
    if (at == NULL || strstr(ss_test_output, want) == NULL) {
        ss_test_failures++;
        fprintf(stderr, "%s: the report does not name %s; stderr:\n%s\n", name, want, ss_test_output);
    }
}
#define EXPECT_AT(fn, expect) expect_at(#fn, fn, expect)

/* Used within the region, the checked allocator is the release one: same addresses. */
static void test_same_as_release(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope a;
    ss_allocator t = release_scope_begin(&a, s);
    float *p = ss_alloc(t, 10), *q = release_alloc(t, 10), *r = ss_alloc(t, 10);
    CHECK(q == p - 10 && r == q - 10);
    int *i = ss_new(t, int, 3);
    CHECK((char *)i <= (char *)r - 3 * sizeof(int));
    float *l = ss_alloc_lanes(t, 9);
    CHECK_ALIGNED(l, SS_LANES * sizeof(float));
    ss_scope_end(&a);
    CHECK_EQ_U(ss_region_used(&R), 0);
}

/* A growing region: the refill commits what an allocation needs when it is made (the
   release path commits when memory is first touched, from the fault handler). */
static void test_grow_commits_at_allocation(void) {
    ss_region g;
    if (ss_region_create_kind(&g, "chk-grow", 64u << 20, SS_REGION_GROW) != 0) {
        fprintf(stderr, "ss_region_create_kind: %s\n", ss_region_error());
        ss_test_failures++;
        return;
    }
    ss_growth before = ss_region_growth(&g);
    if (before.fallback) { /* under valgrind or ASan: a plain mapping, nothing to grow */
        ss_region_destroy(&g);
        return;
    }
    ss_allocator s = ss_region_allocator(&g);
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    float *p = ss_alloc(t, 2u << 20); /* 8 MiB, none of it touched */
    ss_growth after = ss_region_growth(&g);
    CHECK(after.commits > before.commits);
    CHECK(after.committed >= (8u << 20));
    p[0] = 1.0f;
    ss_scope_end(&sc);
    /* the root's limit is stale now: its next allocation past it refills, commits nothing */
    float *q = ss_alloc(s, 1u << 20);
    q[0] = 2.0f;
    CHECK_EQ_U(ss_region_growth(&g).commits, after.commits);
    ss_region_destroy(&g);
}

int main(void) {
    enum { SIZE = 64 * 1024 };
    char *mem = aligned_alloc(64, SIZE);
    if (mem == NULL || ss_region_init(&R, "chk", mem, SIZE) != 0) return 2;

    EXPECT_AT(exhaust, "region 'chk' exhausted: 4194304 bytes asked for (align 4), 61536 left of 65536 (SS_CHECKED)");
    EXPECT_AT(exhaust_typed, "region 'chk' exhausted: 131072 bytes asked for (align 8)");
    EXPECT_AT(many_untouched_allocations, "region 'chk' exhausted: 4096 bytes asked for");
    EXPECT_AT(exhaust_in_release_scope, "region 'chk' exhausted: 65536 bytes asked for");
    EXPECT_AT(exhaust_by_push, "region 'chk' exhausted");
    EXPECT_AT(exhaust_lanes, "region 'chk' exhausted");
    test_same_as_release();
    test_grow_commits_at_allocation();
    ss_region_destroy(&R);
    free(mem);
    return ss_test_summary("test_checked");
}
