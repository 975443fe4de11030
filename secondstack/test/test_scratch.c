/* Scratch regions: the conflict rule, nesting across functions, a result built in the
   caller's allocator while temporaries live in scratch, hundreds of threads at once,
   release at thread exit, the region table's limit, and (debug mode) misuse reported.
   Built twice: test_scratch (release) and test_scratch_debug. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "ss_region.h"
#include "ss_test.h"

/* Whether p was allocated from a (at or above its pointer, within its region's 16 GiB). */
static int in_region(ss_allocator a, void *p) {
#ifdef SS_DEBUG
    char *now = (char *)a->current;
#else
    char *now = (char *)*a;
#endif
    return (char *)p >= now && (char *)p < now + SS_SCRATCH_BYTES;
}

/* The pattern the scratch regions are for: the result in `out`, temporaries in scratch. */
static float *smooth(ss_allocator out, const float *x, unsigned n) {
    ss_scope sc;
    ss_allocator tmp = ss_scratch_begin(&sc, &out, 1);
    float *pad = ss_alloc(tmp, n + 2);
    pad[0] = x[0];
    pad[n + 1] = x[n - 1];
    for (unsigned i = 0; i < n; i++) pad[i + 1] = x[i];
    float *r = ss_alloc(out, n);
    for (unsigned i = 0; i < n; i++) r[i] = (pad[i] + pad[i + 1] + pad[i + 2]) / 3.0f;
    ss_scratch_end(&sc);
    return r;
}

/* A caller whose own scratch is the callee's output allocator: the callee gets the other
   region, and its result survives the callee's scratch_end. */
static void test_result_in_callers_scratch(void) {
    ss_scope a;
    ss_allocator s0 = ss_scratch_begin(&a, NULL, 0);
    enum { N = 1000 };
    float *x = ss_alloc(s0, N);
    for (int i = 0; i < N; i++) x[i] = (float)(i % 7);
    float *y = smooth(s0, x, N); /* temporaries in the other region, y in s0 */
    CHECK(in_region(s0, y));
    float want = (x[0] + x[0] + x[1]) / 3.0f;
    CHECK(y[0] == want);
    int ok = 1;
    for (int i = 1; i < N - 1; i++) ok &= y[i] == (x[i - 1] + x[i] + x[i + 1]) / 3.0f;
    CHECK(ok);
    /* a third level: its scratch is s0 again (conflict: the callee's), opened below y */
    ss_scope b;
    ss_allocator s1 = ss_scratch_begin(&b, &s0, 1);
    CHECK(s1 != s0);
    ss_scope c;
    ss_allocator s0again = ss_scratch_begin(&c, &s1, 1);
    CHECK(s0again == s0);
    float *z = ss_alloc(s0again, N);
    CHECK(z + N <= y); /* below everything live in that region */
    for (int i = 0; i < N; i++) z[i] = -1.0f;
    ss_scratch_end(&c);
    ss_scratch_end(&b);
    CHECK(y[0] == want && x[N - 1] == (float)((N - 1) % 7)); /* untouched */
    ss_scratch_end(&a);
    /* ended: the next scope starts where the first did */
    ss_scope d;
    ss_allocator again = ss_scratch_begin(&d, NULL, 0);
    CHECK(ss_alloc(again, N) == x);
    ss_scratch_end(&d);
}

/* A conflict from an ordinary region never excludes a scratch region. */
static void test_foreign_conflict(void) {
    ss_region r;
    if (ss_region_create(&r, "own", 1 << 20) != 0) {
        CHECK(0);
        return;
    }
    ss_allocator own = ss_region_allocator(&r);
    ss_scope sc;
    ss_allocator a = ss_scratch_begin(&sc, &own, 1);
    ss_scope sc2;
    ss_allocator b = ss_scratch_begin(&sc2, NULL, 0);
    CHECK(a == b); /* the first scratch region both times: nothing excluded it */
    ss_scratch_end(&sc2);
    ss_scratch_end(&sc);
    ss_region_destroy(&r);
}

//~ Threads

enum { THREADS = 256, WORDS = 100000 };
static pthread_barrier_t all_in;

static void *worker(void *arg) {
    unsigned id = (unsigned)(uintptr_t)arg;
    ss_scope a, b;
    ss_allocator s0 = ss_scratch_begin(&a, NULL, 0);
    ss_allocator s1 = ss_scratch_begin(&b, &s0, 1);
    unsigned *p = (unsigned *)ss_alloc(s0, WORDS), *q = (unsigned *)ss_alloc(s1, WORDS);
    for (unsigned i = 0; i < WORDS; i++) p[i] = id * 7919u + i, q[i] = ~p[i];
    pthread_barrier_wait(&all_in); /* every thread holds both regions at once */
    uintptr_t bad = 0;
    for (unsigned i = 0; i < WORDS; i++) bad += p[i] != id * 7919u + i || q[i] != ~p[i];
    ss_scratch_end(&b);
    ss_scratch_end(&a);
    return (void *)bad;
}

static int run_threads(unsigned n, int barrier) {
    pthread_t t[THREADS];
    if (barrier) pthread_barrier_init(&all_in, NULL, n);
    int bad = 0;
    for (unsigned i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) != 0) return -1;
    for (unsigned i = 0; i < n; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += r != NULL;
    }
    if (barrier) pthread_barrier_destroy(&all_in);
    return bad;
}

/* 256 live threads, each with both its scratch regions; then 600 threads one after
   another (1200 regions), which fit in the table (1024) only if each releases its regions
   when it exits. */
static void test_threads(void) {
    CHECK_EQ_U(run_threads(THREADS, 1), 0);
    int bad = 0;
    pthread_barrier_init(&all_in, NULL, 1);
    for (int round = 0; round < 600 && bad == 0; round++) bad = run_threads(1, 0);
    pthread_barrier_destroy(&all_in);
    CHECK_EQ_U(bad, 0);
}

/* Past the table: 600 threads holding scratch regions need 1200 slots of 1024. */
static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;
static void *holder(void *arg) {
    (void)arg;
    ss_scope a, b;
    ss_allocator s0 = ss_scratch_begin(&a, NULL, 0);
    (void)ss_scratch_begin(&b, &s0, 1);
    pthread_mutex_lock(&hold); /* never released: the process dies first */
    return NULL;
}
static void table_full(void) {
    pthread_mutex_lock(&hold);
    for (int i = 0; i < 600; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, holder, NULL) != 0) exit(3);
    }
    sleep(60);
}

static void every_region_conflicts(void) {
    ss_scope a, b, c;
    ss_allocator s0 = ss_scratch_begin(&a, NULL, 0);
    ss_allocator s1 = ss_scratch_begin(&b, &s0, 1);
    ss_allocator both[] = {s0, s1};
    (void)ss_scratch_begin(&c, both, 2);
}

#ifdef SS_DEBUG
static void end_out_of_order(void) {
    ss_scope a, b;
    ss_allocator s0 = ss_scratch_begin(&a, NULL, 0);
    (void)ss_scratch_begin(&b, NULL, 0);
    (void)s0;
    ss_scratch_end(&a);
}

static void begin_under_live_child(void) {
    ss_scope a, child, b;
    ss_allocator s0 = ss_scratch_begin(&a, NULL, 0);
    (void)ss_scope_begin(&child, s0);
    (void)ss_scratch_begin(&b, NULL, 0); /* forgot the child as a conflict */
}
#endif

int main(void) {
    test_result_in_callers_scratch();
    test_foreign_conflict();
    test_threads();
    EXPECT_DEATH(every_region_conflicts, SIGABRT,
                 "every one of this thread's 2 scratch regions is among the 2");
    EXPECT_DEATH(table_full, SIGABRT, "the region table is full (1024 OS-backed regions)");
#ifdef SS_DEBUG
    EXPECT_DEATH(end_out_of_order, SIGABRT, "ss_scratch_end of the scratch scope begun at");
    EXPECT_DEATH(begin_under_live_child, SIGABRT, "while its child scope begun at");
#endif
    return ss_test_summary(
#ifdef SS_DEBUG
        "test_scratch_debug"
#else
        "test_scratch"
#endif
    );
}
