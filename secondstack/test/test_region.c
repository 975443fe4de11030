/* OS-backed regions: fault-driven growth, reserve-all, the guard, exhaustion, and the
   SIGSEGV handler passing on faults that are not its own. Each case that must die runs in
   a child process (EXPECT_DEATH). Unsanitized builds only (tests/region.cmake). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ss_region.h"
#include "ss_test.h"

#define KiB ((size_t)1 << 10)
#define MiB ((size_t)1 << 20)
#define GiB ((size_t)1 << 30)

static int create(ss_region *r, const char *name, size_t bytes, ss_region_kind kind) {
    if (ss_region_create_kind(r, name, bytes, kind) != 0) {
        fprintf(stderr, "ss_region_create_kind(%s): %s\n", name, ss_region_error());
        exit(2);
    }
    return 0;
}

static unsigned log2z(size_t v) {
    unsigned k = 0;
    while (v > 1) v >>= 1, k++;
    return k;
}

//~ Faults that are not ours: run first, in children of a process with no handler yet, so
//  that the test's own handler is installed before the library's.

static void say(const char *s) { (void)!write(2, s, strlen(s)); }

static void restore_default(void) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGSEGV, &dfl, NULL);
}

static void *volatile unrelated; /* an inaccessible mapping that is no region */

static void plain_handler(int sig) {
    (void)sig;
    say("test: previous plain handler ran\n");
    restore_default(); /* the store is retried and kills the process */
}

static void siginfo_handler(int sig, siginfo_t *info, void *ctx) {
    (void)sig;
    (void)ctx;
    say(info->si_addr == unrelated ? "test: previous siginfo handler ran at the unrelated mapping\n"
                                   : "test: previous siginfo handler ran elsewhere\n");
    restore_default();
}

static ss_region R;

/* A grow region exists and has grown, so the library's handler is live. */
static void with_live_region(void) {
    create(&R, "live", 64 * MiB, SS_REGION_GROW);
    float *p = ss_alloc(ss_region_allocator(&R), 8 * MiB / sizeof(float));
    p[0] = 1.0f;
    CHECK(ss_region_growth(&R).commits > 0);
}

static void null_store_no_previous(void) {
    with_live_region();
    *(volatile int *)(uintptr_t)0 = 1;
}

static void null_store_plain_previous(void) {
    signal(SIGSEGV, plain_handler);
    with_live_region();
    *(volatile int *)(uintptr_t)0 = 1;
}

static void unrelated_store_siginfo_previous(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = siginfo_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    unrelated = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    with_live_region();
    *(volatile char *)unrelated = 1;
}

/* Committed region memory made read-only by the program: a store there is not a growth
   fault, and must die rather than be retried forever. */
static void store_into_protected_committed(void) {
    with_live_region();
    float *p = ss_alloc(ss_region_allocator(&R), 1024);
    p[0] = 1.0f;
    mprotect((void *)((uintptr_t)p & ~(uintptr_t)4095), 4096, PROT_READ);
    alarm(10); /* a loop would end by SIGALRM, not SIGSEGV */
    p[0] = 2.0f;
}

static void raised_sigsegv_no_previous(void) {
    with_live_region();
    raise(SIGSEGV); /* sent, not a fault: no address to own */
    say("survived raise\n");
}

//~ Exhaustion

static void overflow_grow(void) {
    create(&R, "small", 1 * MiB, SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    float *p = ss_alloc(s, (unsigned)((1 * MiB + 4 * KiB) / sizeof(float)));
    p[0] = 1.0f; /* 4 KiB below the region */
}

static void overflow_reserve(void) {
    create(&R, "all", 1 * MiB, SS_REGION_RESERVE);
    ss_allocator s = ss_region_allocator(&R);
    float *p = ss_alloc(s, (unsigned)((2 * MiB) / sizeof(float)));
    p[0] = 1.0f;
}

/* The largest single request there is, from a full region: it must land in the guard. */
static void largest_request(void) {
    create(&R, "full", 1 * MiB, SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, (unsigned)(1 * MiB / sizeof(float)));
    float *p = ss_alloc(s, UINT_MAX);
    p[0] = 1.0f;
}

/* A commit that would run past the limit by less than a step: the step is clamped. */
static void overflow_by_one_page_after_growth(void) {
    create(&R, "edge", 1 * MiB, SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    char *p = ss_new(s, char, 1 * MiB);
    for (size_t i = 1 * MiB; i-- > 0;) p[i] = (char)i; /* all of it: fine */
    p = ss_new(s, char, 1);
    p[0] = 1;
}

/* A commit the kernel refuses (here RLIMIT_DATA, which counts writable private memory;
   vm.overcommit_memory=2 refuses the same way) ends the process with a line. */
static void commit_refused(void) {
    struct rlimit rl = {.rlim_cur = 256 * MiB, .rlim_max = 256 * MiB};
    if (setrlimit(RLIMIT_DATA, &rl) != 0) return;
    create(&R, "data", 1 * GiB, SS_REGION_GROW);
    char *p = ss_new(ss_region_allocator(&R), char, 1 * GiB);
    for (size_t i = 1 * GiB; i > 0; i -= 4096) p[i - 4096] = 1;
}

static void reserve_refused(void) {
    struct rlimit rl = {.rlim_cur = 256 * MiB, .rlim_max = 256 * MiB};
    if (setrlimit(RLIMIT_DATA, &rl) != 0) return;
    ss_region r;
    if (ss_region_create_kind(&r, "data", 1 * GiB, SS_REGION_RESERVE) == 0) return; /* survives: fails */
    fprintf(stderr, "%s\n", ss_region_error());
    abort();
}

//~ The largest request that is served lands in the guard, even the smallest guard
//  (SS_REGION_GUARD_MIN, which RLIMIT_AS forces here), padding and all.

static void smallest_guard(void) {
    struct rlimit rl = {.rlim_cur = SS_REGION_GUARD_MIN + 4 * GiB, .rlim_max = SS_REGION_GUARD_MIN + 4 * GiB};
    if (setrlimit(RLIMIT_AS, &rl) != 0) abort();
    create(&R, "min", 1 * MiB, SS_REGION_GROW);
    if (ss_region_growth(&R).guard != SS_REGION_GUARD_MIN) {
        fprintf(stderr, "guard %zu, not the minimum\n", ss_region_growth(&R).guard);
        abort();
    }
}

static void largest_served_request_in_smallest_guard(void) {
    smallest_guard();
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_new(s, char, 1 * MiB - 60); /* the bump pointer 60 bytes above the region's end */
    char *p = ss_alloc_bytes(s, SS_REGION_GUARD_MIN - 64, 64);
    p[0] = 1; /* its lowest byte, below 60 bytes of padding: the most there can be */
}

static void request_above_smallest_guard(void) {
    smallest_guard();
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_new(s, char, 1 * MiB - 4);
    size_t n = SS_REGION_GUARD_MIN - 63;
    char *volatile p = ss_alloc_bytes(s, n, 64);
    p[0] = 1;
}

//~ Threads that block SIGSEGV: the kernel kills them at their first growth fault before any
//  handler runs; the library says so when such a thread creates a region or calls
//  ss_thread_init.

/* Everything blocked, as a program that blocks a full set does; but SIGALRM, so that the
   death test's timeout still works. */
static void block_sigsegv(void) {
    sigset_t all;
    sigfillset(&all);
    sigdelset(&all, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
}

static void blocked_thread_init_warns(void) {
    block_sigsegv();
    CHECK(ss_thread_init() == 0);
    abort(); /* what it printed is what the parent checks */
}

static void blocked_create_warns_and_dies_bare(void) {
    block_sigsegv();
    create(&R, "blocked", 64 * MiB, SS_REGION_GROW);
    float *p = ss_alloc(ss_region_allocator(&R), 8 * MiB / sizeof(float));
    p[0] = 1.0f; /* a growth fault the handler never sees */
    say("survived the growth fault\n");
}

static void blocked_quiet(void) {
    setenv("SS_QUIET", "1", 1);
    block_sigsegv();
    CHECK(ss_thread_init() == 0);
    create(&R, "quiet", 64 * MiB, SS_REGION_GROW);
    abort();
}

static void unblocked_says_nothing(void) {
    CHECK(ss_thread_init() == 0);
    create(&R, "unblocked", 64 * MiB, SS_REGION_GROW);
    abort();
}

//~ Growth

static void test_growth_page_by_page(void) {
    create(&R, "grow1g", 1 * GiB, SS_REGION_GROW);
    ss_growth g = ss_region_growth(&R);
    CHECK_EQ_U(g.limit, 1 * GiB);
    CHECK(g.committed <= 64 * KiB);
    CHECK_EQ_U(g.commits, 0);
    CHECK(g.guard >= 2 * (size_t)UINT_MAX * sizeof(float));
    size_t initial = g.committed;

    ss_allocator s = ss_region_allocator(&R);
    size_t n = 1 * GiB / sizeof(uint32_t);
    uint32_t *v = ss_new(s, uint32_t, n);
    /* Downward, as a bump allocator fills a region: page by page, every value. */
    for (size_t i = n; i-- > 0;) v[i] = (uint32_t)(i * 2654435761u);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += v[i] != (uint32_t)(i * 2654435761u);
    CHECK_EQ_U(bad, 0);
    g = ss_region_growth(&R);
    /* Factor 2 from the initial commit: 64 KiB -> 1 GiB is exactly 14 steps. */
    CHECK_EQ_U(g.commits, log2z(1 * GiB / initial));
    CHECK_EQ_U(g.committed, 1 * GiB);

    /* A reset keeps what was committed: no fault the second time. */
    ss_region_reset(&R);
    v = ss_new(s, uint32_t, n);
    v[0] = 7;
    CHECK_EQ_U(ss_region_growth(&R).commits, log2z(1 * GiB / initial));
    ss_region_destroy(&R);
}

static void test_first_store_at_bottom(void) {
    create(&R, "jump", 1 * GiB, SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    size_t n = 1 * GiB / sizeof(float);
    float *v = ss_alloc(s, (unsigned)n);
    CHECK_EQ_U(ss_region_growth(&R).commits, 0);
    v[0] = 42.0f; /* the big jump: one step covers it */
    CHECK_EQ_U(ss_region_growth(&R).commits, 1);
    CHECK_EQ_U(ss_region_growth(&R).committed, 1 * GiB);
    v[n - 1] = 1.0f;
    CHECK(v[0] == 42.0f && v[n - 1] == 1.0f);
    CHECK_EQ_U(ss_region_growth(&R).commits, 1);
    ss_region_destroy(&R);
}

/* A jump of a few steps' worth commits a power-of-two multiple of the initial commit. */
static void test_jump_is_geometric(void) {
    create(&R, "steps", 64 * MiB, SS_REGION_GROW);
    size_t initial = ss_region_growth(&R).committed;
    char *p = ss_new(ss_region_allocator(&R), char, 5 * initial);
    p[0] = 1; /* needs 5x: 8x is the next power of two */
    CHECK_EQ_U(ss_region_growth(&R).committed, 8 * initial);
    CHECK_EQ_U(ss_region_growth(&R).commits, 1);
    ss_region_destroy(&R);
}

static void test_touch_before_read(void) {
    create(&R, "touch", 64 * MiB, SS_REGION_GROW);
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_new(s, char, 64 * KiB); /* the committed part */
    char *buf = ss_new(s, char, 1 * MiB);
    int fd = open("/dev/zero", O_RDONLY);
    CHECK(fd >= 0);
    /* The kernel's own store into uncommitted memory: EFAULT, no SIGSEGV. */
    errno = 0;
    CHECK(read(fd, buf, 1 * MiB) == -1 && errno == EFAULT);
    CHECK_EQ_U(ss_touch(s, buf, 1 * MiB), 0);
    CHECK(read(fd, buf, 1 * MiB) == (ssize_t)(1 * MiB));
    CHECK(buf[0] == 0 && buf[1 * MiB - 1] == 0);
    CHECK(ss_region_growth(&R).committed >= 1 * MiB + 64 * KiB);
    /* Beyond the limit: refused, not committed. */
    char *past = ss_new(s, char, 64 * MiB);
    errno = 0;
    CHECK(ss_touch(s, past, 64 * MiB) == -1 && errno == ENOMEM);
    close(fd);
    ss_region_destroy(&R);
}

static void test_reserve_all(void) {
    ss_region a;
    create(&a, "everything", 0, SS_REGION_RESERVE);
    ss_growth g = ss_region_growth(&a);
    CHECK(g.limit >= 64 * MiB); /* about physical memory, or the cgroup's limit */
    CHECK_EQ_U(g.committed, g.limit);
    CHECK(g.guard >= 2 * (size_t)UINT_MAX * sizeof(float));
    ss_allocator s = ss_region_allocator(&a);
    char *p = ss_new(s, char, 16 * MiB);
    memset(p, 0x5a, 16 * MiB);
    CHECK(p[0] == 0x5a && p[16 * MiB - 1] == 0x5a);
    CHECK_EQ_U(ss_region_growth(&a).commits, 0);
    CHECK_EQ_U(ss_touch(s, p, 16 * MiB), 0); /* nothing to do */
    ss_region_destroy(&a);
}

/* Destroyed regions give their slot and address space back. */
static void test_create_destroy_many(void) {
    for (int i = 0; i < 1000; i++) {
        ss_region r;
        create(&r, "churn", 1 * MiB, i % 2 ? SS_REGION_GROW : SS_REGION_RESERVE);
        char *p = ss_new(ss_region_allocator(&r), char, 512 * KiB);
        p[0] = 1;
        ss_region_destroy(&r);
    }
    CHECK(1);
}

int main(void) {
    /* First, while this process has installed no handler. */
    EXPECT_DEATH(null_store_no_previous, SIGSEGV, "");
    EXPECT_DEATH(null_store_plain_previous, SIGSEGV, "test: previous plain handler ran");
    EXPECT_DEATH(unrelated_store_siginfo_previous, SIGSEGV,
                 "test: previous siginfo handler ran at the unrelated mapping");
    EXPECT_DEATH(store_into_protected_committed, SIGSEGV, "");
    EXPECT_DEATH(raised_sigsegv_no_previous, SIGSEGV, "");
    CHECK(strstr(ss_test_output, "survived") == NULL);

    EXPECT_DEATH(overflow_grow, SIGSEGV,
                 "secondstack: region 'small' exhausted: limit 1048576 bytes (1 MiB), fault at 0x");
    EXPECT_DEATH(overflow_reserve, SIGSEGV,
                 "secondstack: region 'all' exhausted: limit 1048576 bytes (1 MiB)");
    EXPECT_DEATH(largest_request, SIGSEGV, "secondstack: region 'full' exhausted");
    CHECK(strstr(ss_test_output, "17179869184 bytes (16 GiB) below its end") != NULL ||
          strstr(ss_test_output, "17179869180 bytes (15+ GiB) below its end") != NULL);
    EXPECT_DEATH(overflow_by_one_page_after_growth, SIGSEGV, "region 'edge' exhausted");
    /* exactly one line */
    {
        char *nl = strchr(ss_test_output, '\n');
        CHECK(nl != NULL && nl[1] == '\0');
    }

    EXPECT_DEATH(commit_refused, SIGSEGV,
                 "secondstack: region 'data' cannot grow: the kernel refused to commit more (errno 12");
    EXPECT_DEATH(
        reserve_refused, SIGABRT,
        "region 'data': cannot commit 1073741824 bytes (1.0 GiB): RLIMIT_DATA (ulimit -d) is 268435456");

    EXPECT_DEATH(largest_served_request_in_smallest_guard, SIGSEGV,
                 "secondstack: region 'min' exhausted: limit 1048576 bytes (1 MiB), fault at 0x");
    CHECK(strstr(ss_test_output, "34359738304 bytes (31+ GiB) below its end (in the guard)") != NULL);
    EXPECT_DEATH(request_above_smallest_guard, SIGABRT,
                 "request of 34359738305 bytes (34359738305 x 1, align 64) is larger than any region's guard");
    CHECK(strstr(ss_test_output, "test_region.c:") != NULL);

    EXPECT_DEATH(blocked_thread_init_warns, SIGABRT,
                 "secondstack: warning: SIGSEGV is blocked in this thread (ss_thread_init): a growth fault");
    EXPECT_DEATH(blocked_create_warns_and_dies_bare, SIGSEGV,
                 "secondstack: warning: SIGSEGV is blocked in this thread (creating region 'blocked')");
    CHECK(strstr(ss_test_output, "survived") == NULL);
    CHECK(strstr(ss_test_output, "exhausted") == NULL);
    EXPECT_DEATH(blocked_quiet, SIGABRT, "");
    CHECK(strstr(ss_test_output, "warning") == NULL);
    EXPECT_DEATH(unblocked_says_nothing, SIGABRT, "");
    CHECK(strstr(ss_test_output, "warning") == NULL);

    test_growth_page_by_page();
    test_first_store_at_bottom();
    test_jump_is_geometric();
    test_touch_before_read();
    test_reserve_all();
    test_create_destroy_many();
    return ss_test_summary("test_region");
}
