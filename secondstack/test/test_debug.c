/* Debug mode's detections: each misuse runs in a child process that must abort with a
   message naming the problem and the file:line where it happened. */
#include "ss_region.h"
#include "ss_test.h"

#ifndef SS_DEBUG
#error "test_debug is built with -DSS_DEBUG"
#endif

static ss_region R;

static void exhaust(void) {
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 1000);
    AT((void)ss_alloc(s, 1u << 20)); /* the region has 64 KiB */
}

static void exhaust_by_wrapping(void) {
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 4);
    AT((void)ss_new(s, char, SIZE_MAX - 2)); /* would wrap below address 0: larger than any guard */
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

static void destroy_with_live_scope(void) {
    ss_scope a;
    AT((void)ss_scope_begin(&a, ss_region_allocator(&R))); /* the report names this line */
    ss_region_destroy(&R);
}

static void alloc_after_destroy(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_region_destroy(&R);
    AT((void)ss_alloc(s, 1));
}

static void alloc_from_ended_scope_after_destroy(void) {
    ss_scope a;
    ss_allocator t = ss_scope_begin(&a, ss_region_allocator(&R));
    ss_scope_end(&a);
    ss_region_destroy(&R);
    AT((void)ss_new(t, int, 1));
}

/* A scope begun in a function that returns without ending it: its record is dead stack,
   overwritten by the next call. The report must still name where it began. */
static int leaked_line;

__attribute__((noinline)) static void leak_a_scope(ss_allocator s) {
    ss_scope sc;
    leaked_line = __LINE__ + 1;
    (void)ss_scope_begin(&sc, s);
    __asm__ volatile("" : : "r"(&sc) : "memory");
}

__attribute__((noinline)) static void clobber_the_stack(void) {
    volatile unsigned char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(0xa5 ^ i);
}

static void leaked_scope(void) {
    ss_allocator s = ss_region_allocator(&R);
    leak_a_scope(s);
    clobber_the_stack();
    fprintf(stderr, "@leaked %d\n", leaked_line);
    AT((void)ss_alloc(s, 4));
}

static void leaked_scope_then_destroy(void) {
    leak_a_scope(ss_region_allocator(&R));
    clobber_the_stack();
    fprintf(stderr, "@leaked %d\n", leaked_line);
    ss_region_destroy(&R);
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

/* The report must name the line the child announced (AT). */
#define EXPECT_AT(fn, expect) EXPECT_DEATH_AT(fn, SIGABRT, expect)

/* ...and the report of a leaked scope must name the line where it began. */
static void expect_origin(const char *name, void (*fn)(void), const char *expect, int at_too) {
    int before = ss_test_failures;
    if (at_too)
        ss_test_expect_death_at(name, fn, SIGABRT, expect, __FILE__, __LINE__);
    else
        ss_test_expect_death(name, fn, SIGABRT, expect, __FILE__, __LINE__);
    if (ss_test_failures != before) return;
    const char *at = strstr(ss_test_output, "@leaked ");
    char want[96];
    snprintf(want, sizeof want, "test_debug.c:%d", at ? atoi(at + 8) : -1);
    const char *report = strstr(ss_test_output, "secondstack: ");
    ss_test_checks++;
    if (at == NULL || report == NULL || strstr(report, want) == NULL) {
        ss_test_failures++;
        fprintf(stderr, "%s: the report does not name the leaked scope's origin %s; stderr:\n%s\n", name, want,
                ss_test_output);
    }
}

int main(void) {
    enum { SIZE = 64 * 1024 };
    char *mem = aligned_alloc(64, SIZE); /* so the region's size is exactly SIZE */
    if (mem == NULL || ss_region_init(&R, "dbg", mem, SIZE) != 0) return 2;

    EXPECT_AT(exhaust, "region 'dbg' exhausted: 4194304 bytes (align 4) asked for, 61536 bytes left of 65536");
    EXPECT_AT(exhaust_by_wrapping, "request of 18446744073709551613 bytes (18446744073709551613 x 1, align 1) is "
                                   "larger than any region's guard");
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
    EXPECT_AT(destroy_with_live_scope, "region 'dbg' destroyed while the scope begun here is live");
    EXPECT_AT(alloc_after_destroy, "allocation with an allocator that belongs to no region");
    EXPECT_AT(alloc_from_ended_scope_after_destroy, "which has ended");
    expect_origin("leaked_scope", leaked_scope,
                  "allocation from the root allocator of region 'dbg' while its child scope begun at", 1);
    expect_origin("leaked_scope_then_destroy", leaked_scope_then_destroy,
                  "region 'dbg' destroyed while the scope begun here is live", 0);
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
