/* Debug mode's detections: each misuse runs in a child process that must abort with a
   message naming the problem and the file:line where it happened. */
#include "ss_region.h"
#include "ss_test.h"

#ifndef SS_DEBUG
#error "test_debug is built with -DSS_DEBUG"
#endif

static ss_region R;

/* The child prints the line of the misuse before making it; the parent checks that the
   report names that same line. */
#define AT(stmt)                                       \
    do {                                               \
        fprintf(stderr, "@line %d\n", __LINE__);      \
        stmt;                                          \
    } while (0)

static void exhaust(void) {
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 1000);
    AT((void)ss_alloc(s, 1u << 20)); /* the region has 64 KiB */
}

static void exhaust_by_wrapping(void) {
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 4);
    AT((void)ss_new(s, char, SIZE_MAX - 2)); /* would wrap below address 0 */
}

static void many_untouched_allocations(void) {
    /* The stack-clash pattern: small steps that are never touched walk past any guard.
       Debug mode checks each allocation against the region's end. */
    ss_allocator s = ss_region_allocator(&R);
    for (int i = 0; i < 100; i++) (void)ss_alloc(s, 1024);
}

static void parent_while_child_live(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope child;
    ss_allocator t = ss_scope_begin(&child, s);
    (void)ss_alloc(t, 4);
    AT((void)ss_alloc(s, 4)); /* overwrites the child's memory */
}

static void grandparent_while_grandchild_live(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope a, b;
    ss_allocator t = ss_scope_begin(&a, s);
    (void)ss_scope_begin(&b, t);
    AT((void)ss_new(t, int, 1));
}

static void second_child_while_first_live(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope a, b;
    (void)ss_scope_begin(&a, s);
    AT((void)ss_scope_begin(&b, s));
}

static void end_out_of_order(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope a, b;
    ss_allocator t = ss_scope_begin(&a, s);
    (void)ss_scope_begin(&b, t);
    AT(ss_scope_end(&a));
}

static void reset_with_live_child(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope a, b;
    ss_allocator t = ss_scope_begin(&a, s);
    (void)ss_scope_begin(&b, t);
    AT(ss_scope_reset(&a));
}

static void alloc_from_ended_scope(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope a;
    ss_allocator t = ss_scope_begin(&a, s);
    ss_scope_end(&a);
    AT((void)ss_alloc(t, 1));
}

static void end_twice(void) {
    ss_scope a;
    (void)ss_scope_begin(&a, ss_region_allocator(&R));
    ss_scope_end(&a);
    AT(ss_scope_end(&a));
}

static void region_reset_with_live_scope(void) {
    ss_scope a;
    (void)ss_scope_begin(&a, ss_region_allocator(&R));
    ss_region_reset(&R);
}

static void bad_alignment(void) { AT((void)ss_alloc_bytes(ss_region_allocator(&R), 8, 24)); }

static void push_from_parent_while_child_live(void) {
    ss_allocator s = ss_region_allocator(&R);
    SS_ARRAY(int) a = {0};
    ss_push(s, &a, 1);
    ss_scope c;
    (void)ss_scope_begin(&c, s);
    for (int i = 0; i < 100; i++) AT(ss_push(s, &a, i)); /* growth allocates from s */
}

static void pop_empty(void) {
    SS_ARRAY(int) a = {0};
    ss_push(ss_region_allocator(&R), &a, 1);
    (void)ss_pop(&a);
    AT((void)ss_pop(&a));
}

static void logging(void) {
    ss_region_set_logging(&R, 1);
    AT((void)ss_alloc(ss_region_allocator(&R), 3));
    abort(); /* the log line is what the parent checks */
}

/* The report must name the line the child announced. */
static void expect_at(const char *name, void (*fn)(void), const char *expect) {
    int before = ss_test_failures;
    ss_test_expect_death(name, fn, SIGABRT, expect, __FILE__, __LINE__);
    if (ss_test_failures != before) return;
    const char *at = strstr(ss_test_output, "@line ");
    char want[64];
    snprintf(want, sizeof want, "test_debug.c:%d: ", at ? atoi(at + 6) : -1);
    ss_test_checks++;
    if (at == NULL || strstr(ss_test_output, want) == NULL) {
        ss_test_failures++;
        fprintf(stderr, "%s: the report does not name %s; stderr:\n%s\n", name, want, ss_test_output);
    }
}
#define EXPECT_AT(fn, expect) expect_at(#fn, fn, expect)

int main(void) {
    enum { SIZE = 64 * 1024 };
    char *mem = aligned_alloc(64, SIZE); /* so the region's size is exactly SIZE */
    if (mem == NULL || ss_region_init(&R, "dbg", mem, SIZE) != 0) return 2;

    EXPECT_AT(exhaust, "region 'dbg' exhausted: 4194304 bytes (align 4) asked for, 61536 bytes left of 65536");
    EXPECT_AT(exhaust_by_wrapping, "region 'dbg' exhausted");
    EXPECT_DEATH(many_untouched_allocations, SIGABRT, "region 'dbg' exhausted: 4096 bytes");
    EXPECT_AT(parent_while_child_live,
              "allocation from the root allocator of region 'dbg' while its child scope begun at");
    EXPECT_AT(grandparent_while_grandchild_live, "allocation from a scope of region 'dbg' while its child scope");
    EXPECT_AT(second_child_while_first_live, "scope begun from the root allocator of region 'dbg' while its child");
    EXPECT_AT(end_out_of_order, "end of the scope begun at");
    EXPECT_AT(reset_with_live_child, "reset of the scope begun at");
    EXPECT_AT(alloc_from_ended_scope, "which has ended");
    EXPECT_AT(end_twice, "end of a scope that is not open");
    EXPECT_DEATH(region_reset_with_live_scope, SIGABRT, "region 'dbg' reset while the scope begun here is live");
    EXPECT_AT(bad_alignment, "alignment 24 is not a power of two");
    EXPECT_AT(push_from_parent_while_child_live, "allocation from the root allocator of region 'dbg'");
    EXPECT_AT(logging, "region 'dbg': 12 bytes at 0x");
    EXPECT_AT(pop_empty, "ss_pop of an empty array");

    /* Used correctly, nothing dies. */
    ss_allocator s = ss_region_allocator(&R);
    ss_scope a;
    ss_allocator t = ss_scope_begin(&a, s);
    CHECK(ss_alloc(t, 10) != NULL);
    ss_scope_end(&a);
    CHECK(ss_alloc(s, 10) != NULL);
    ss_region_destroy(&R);
    free(mem);
    return ss_test_summary("test_debug");
}
