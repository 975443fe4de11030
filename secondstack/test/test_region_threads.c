/* Threads: 8 threads, each with its own fault-driven region, grow to 64 MiB at once and
   verify their data, while another thread creates and destroys regions all along (so the
   handler reads the table while slots are written). And the handler's verdict on faults
   at one address from many threads, played out in a fixed order (test_region_race plays
   it by chance, with real faults). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "prim/prim.h" /* ss__fault_handle: the handler's verdict, without the signal */
#include "ss_region.h"
#include "ss_test.h"

#define MiB ((size_t)1 << 20)
#define THREADS 8
#define GROW_TO (64 * MiB)

typedef struct {
    int id;
    size_t bad;
    size_t commits;
    size_t committed;
    int failed;
} worker;

static atomic_int running = THREADS;
static pthread_barrier_t start;

static void *grow(void *arg) {
    worker *w = arg;
    ss_region r;
    char name[16];
    snprintf(name, sizeof name, "t%d", w->id);
    /* name must outlive the region: it is kept by pointer */
    static char names[THREADS][16];
    snprintf(names[w->id], sizeof names[w->id], "%s", name);
    if (ss_region_create_kind(&r, names[w->id], 2 * GROW_TO, SS_REGION_GROW) != 0) {
        fprintf(stderr, "thread %d: %s\n", w->id, ss_region_error());
        w->failed = 1;
        atomic_fetch_sub(&running, 1);
        pthread_barrier_wait(&start);
        return NULL;
    }
    pthread_barrier_wait(&start);
    ss_allocator s = ss_region_allocator(&r);
    size_t n = GROW_TO / sizeof(uint32_t);
    uint32_t *v = ss_new(s, uint32_t, n);
    uint32_t salt = (uint32_t)w->id * 0x9e3779b9u;
    for (size_t i = n; i-- > 0;) v[i] = (uint32_t)i ^ salt;
    for (size_t i = 0; i < n; i++) w->bad += v[i] != ((uint32_t)i ^ salt);
    ss_growth g = ss_region_growth(&r);
    w->commits = g.commits;
    w->committed = g.committed;
    ss_region_destroy(&r);
    atomic_fetch_sub(&running, 1);
    return NULL;
}

static size_t churned;

static void *churn(void *arg) {
    (void)arg;
    pthread_barrier_wait(&start);
    while (atomic_load(&running) > 0) {
        ss_region r;
        if (ss_region_create_kind(&r, "churn", 4 * MiB, churned % 2 ? SS_REGION_GROW : SS_REGION_RESERVE) !=
            0) {
            fprintf(stderr, "churn: %s\n", ss_region_error());
            exit(3);
        }
        char *p = ss_new(ss_region_allocator(&r), char, 1 * MiB);
        p[0] = 1; /* a growth fault of its own, among the workers' */
        ss_region_destroy(&r);
        churned++;
    }
    return NULL;
}

/* A region created by one thread, grown by another: without ss_thread_init the handler
   runs on the thread's own stack (growth works); with it, on an alternate stack. */
static ss_region shared;

static void *use_shared(void *arg) {
    int init = *(int *)arg;
    stack_t st;
    sigaltstack(NULL, &st);
    int had = !(st.ss_flags & SS_DISABLE);
    if (init && ss_thread_init() != 0) return (void *)1;
    sigaltstack(NULL, &st);
    int has = !(st.ss_flags & SS_DISABLE);
    if (had || has != init) return (void *)2;
    size_t n = 8 * MiB / sizeof(float);
    float *v = ss_alloc(ss_region_allocator(&shared), (unsigned)n);
    for (size_t i = n; i-- > 0;) v[i] = 3.0f;
    for (size_t i = 0; i < n; i++)
        if (v[i] != 3.0f) return (void *)3;
    return NULL;
}

static void test_region_of_another_thread(void) {
    for (int init = 0; init < 2; init++) {
        if (ss_region_create_kind(&shared, "shared", 64 * MiB, SS_REGION_GROW) != 0) {
            fprintf(stderr, "%s\n", ss_region_error());
            exit(2);
        }
        pthread_t t;
        void *ret = (void *)9;
        CHECK(pthread_create(&t, NULL, use_shared, &init) == 0);
        pthread_join(t, &ret);
        CHECK_EQ_U((uintptr_t)ret, 0);
        CHECK(ss_region_growth(&shared).commits >= 7); /* 64 KiB -> 8 MiB */
        ss_region_destroy(&shared);
    }
}

/* Eight threads fault at the same uncommitted address: the first commits, the other seven
   find it committed when their handler runs. Each of those faults is the library's (retry),
   however many threads came before: one thread's history says nothing of another's. A
   thread that faults again at the same committed address with no commit begun since takes
   a fault that is not the library's (the program protected the page, say): passed on. */
static ss_region P;
static uintptr_t same;

typedef struct {
    int verdict[3];
    int touch_between; /* a commit elsewhere in the region between the 1st and 2nd fault */
    int faults;
} faulter;

static void *fault_here(void *arg) {
    faulter *f = arg;
    for (int i = 0; i < f->faults; i++) {
        f->verdict[i] = ss__fault_handle(same);
        if (i == 0 && f->touch_between) {
            ss_allocator s = ss_region_allocator(&P);
            char *deeper = ss_new(s, char, 8 * MiB);
            if (ss_touch(s, deeper, 1) != 0) f->verdict[i] = -1;
        }
    }
    return NULL;
}

static faulter in_a_thread(int faults, int touch_between) {
    faulter f = {{9, 9, 9}, touch_between, faults};
    pthread_t t;
    pthread_create(&t, NULL, fault_here, &f);
    pthread_join(t, NULL);
    return f;
}

static void test_same_address_in_order(void) {
    if (ss_region_create_kind(&P, "same", 64 * MiB, SS_REGION_GROW) != 0) {
        fprintf(stderr, "%s\n", ss_region_error());
        exit(2);
    }
    char *top = (char *)ss_alloc_bytes(ss_region_allocator(&P), 0, 1);
    same = (uintptr_t)(top - 1 * MiB);
    struct sigaction before, after;
    sigaction(SIGSEGV, NULL, &before);
    CHECK_EQ_U(in_a_thread(1, 0).verdict[0], 1); /* commits */
    CHECK_EQ_U(ss_region_growth(&P).commits, 1);
    for (int i = 2; i <= 8; i++) {
        faulter f = in_a_thread(1, 0); /* found committed: retried */
        ss_test_checks++;
        if (f.verdict[0] != 1) {
            ss_test_failures++;
            fprintf(stderr, "thread %d of 8 at the same committed address: verdict %d, want 1 (the library's)\n", i,
                    f.verdict[0]);
        }
    }
    faulter twice = in_a_thread(2, 0);
    CHECK_EQ_U(twice.verdict[0], 1);
    CHECK_EQ_U(twice.verdict[1], 0); /* again, nothing committed since: not a growth fault */
    faulter around = in_a_thread(3, 1);
    CHECK_EQ_U(around.verdict[0], 1);
    CHECK_EQ_U(around.verdict[1], 1); /* a commit began since: may be a late growth fault */
    CHECK_EQ_U(around.verdict[2], 0);
    CHECK_EQ_U(ss_region_growth(&P).commits, 2); /* the first fault and the touch, once each */
    sigaction(SIGSEGV, NULL, &after);
    CHECK(after.sa_sigaction == before.sa_sigaction && after.sa_handler != SIG_DFL);
    ss_region_destroy(&P);
}

int main(void) {
    test_same_address_in_order();
    test_region_of_another_thread();
    worker w[THREADS];
    pthread_t t[THREADS], c;
    pthread_barrier_init(&start, NULL, THREADS + 1);
    CHECK(pthread_create(&c, NULL, churn, NULL) == 0);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){.id = i};
        CHECK(pthread_create(&t[i], NULL, grow, &w[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    pthread_join(c, NULL);
    for (int i = 0; i < THREADS; i++) {
        CHECK_EQ_U(w[i].failed, 0);
        CHECK_EQ_U(w[i].bad, 0);
        /* 64 KiB doubled to 64 MiB: 10 steps, each thread's own. */
        CHECK_EQ_U(w[i].commits, 10);
        CHECK_EQ_U(w[i].committed, GROW_TO);
    }
    CHECK(churned > 0);
    printf("regions created and destroyed meanwhile: %zu\n", churned);
    return ss_test_summary("test_region_threads");
}
