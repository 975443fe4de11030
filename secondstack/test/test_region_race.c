/* Many threads faulting at the same uncommitted address of one fault-driven region at once:
   every fault is the library's, the handler stays installed, every store lands and the
   growth steps are counted once each.

       test_region_race [ROUNDS [edges|pages]]     default: 2000 edges

   Each round creates a fresh 64 MiB region; THREADS threads then store (an atomic or of
   their own bit) into the same words of it, top-down:
     edges   only the word just below the committed part, each growth step's address, with
             the threads lined up by a barrier before each: the tightest race there is;
     pages   the first word of every page (the reported case: a few hundred rounds).
   Growth steps are counted by the thread whose commit moved the committed edge, once each:
   with the edges lined up every step is one doubling, so a round counts exactly as many
   steps as doublings. Page by page, a thread may run through pages another thread's commit
   made accessible before that commit moved the edge, and fault one doubling further down:
   its commit then covers two doublings in one step. So there, never more steps than
   doublings (a step counted twice would be more).
   A fault taken for "not ours" would set SIGSEGV to its default action, which this test
   sees at once (the installed action changes), not at the next growth fault. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss_region.h"
#include "ss_test.h"

#define KiB ((size_t)1 << 10)
#define MiB ((size_t)1 << 20)
#define THREADS 8
#define REGION (64 * MiB)
#define PAGE 4096
#define ALL_BITS ((1u << THREADS) - 1)

static ss_region R;
static char *top;             /* the region's top in this round */
static size_t initial;        /* what a fresh region commits */
static int pages_mode;
static int rounds = 2000;
static pthread_barrier_t line_up;

/* The addresses where growth step k happens: just below 2^k times the initial commit. */
static atomic_uint *edge(unsigned k) { return (atomic_uint *)(void *)(top - (initial << k) - 64); }
static unsigned steps(void) {
    unsigned k = 0;
    while ((initial << k) < REGION) k++;
    return k;
}

static void *worker(void *arg) {
    unsigned bit = 1u << (unsigned)(uintptr_t)arg;
    for (int round = 0; round < rounds; round++) {
        pthread_barrier_wait(&line_up); /* main made the region */
        if (pages_mode) {
            for (char *p = top - PAGE; p >= top - REGION; p -= PAGE) atomic_fetch_or((atomic_uint *)(void *)p, bit);
        } else {
            for (unsigned k = 0; k < steps(); k++) {
                pthread_barrier_wait(&line_up);
                atomic_fetch_or(edge(k), bit);
            }
        }
        pthread_barrier_wait(&line_up); /* main checks and destroys */
    }
    return NULL;
}

static void (*installed(void))(int, siginfo_t *, void *) {
    struct sigaction cur;
    sigaction(SIGSEGV, NULL, &cur);
    return (cur.sa_flags & SA_SIGINFO) ? cur.sa_sigaction : NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atoi(argv[1]);
    if (argc > 2) pages_mode = strcmp(argv[2], "pages") == 0;
    if (rounds <= 0 || (argc > 2 && !pages_mode && strcmp(argv[2], "edges") != 0)) {
        fprintf(stderr, "usage: test_region_race [ROUNDS [edges|pages]]\n");
        return 2;
    }
    pthread_barrier_init(&line_up, NULL, THREADS + 1);
    pthread_t t[THREADS];
    int created = 0;
    void (*ours)(int, siginfo_t *, void *) = NULL;
    size_t bad_rounds = 0, lost = 0, miscounted = 0;
    int uninstalled_at = -1;
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
    for (int round = 0; round < rounds; round++) {
        if (ss_region_create_kind(&R, "race", REGION, SS_REGION_GROW) != 0) {
            fprintf(stderr, "round %d: %s\n", round, ss_region_error());
            exit(2);
        }
        if (!created) {
            created = 1;
            ours = installed();
            initial = ss_region_growth(&R).committed;
        }
        top = (char *)ss_alloc_bytes(ss_region_allocator(&R), REGION, 64) + REGION;
        pthread_barrier_wait(&line_up);
        if (!pages_mode)
            for (unsigned k = 0; k < steps(); k++) pthread_barrier_wait(&line_up);
        pthread_barrier_wait(&line_up);
        /* The workers are waiting at the next round's first barrier. */
        size_t missing = 0;
        if (pages_mode) {
            for (char *p = top - PAGE; p >= top - REGION; p -= PAGE)
                missing += atomic_load((atomic_uint *)(void *)p) != ALL_BITS;
        } else {
            for (unsigned k = 0; k < steps(); k++) missing += atomic_load(edge(k)) != ALL_BITS;
        }
        ss_growth g = ss_region_growth(&R);
        int counted = pages_mode ? g.commits >= 1 && g.commits <= steps() : g.commits == steps();
        lost += missing;
        miscounted += !counted;
        bad_rounds += missing != 0 || !counted || g.committed != REGION;
        if (bad_rounds == 1 && (missing || !counted))
            fprintf(stderr, "round %d: %zu words missing a thread's bit, %zu commits (want %s%u), %zu committed\n", round,
                    missing, g.commits, pages_mode ? "1 to " : "", steps(), g.committed);
        ss_region_destroy(&R);
        if (installed() != ours && uninstalled_at < 0) {
            uninstalled_at = round;
            fprintf(stderr, "round %d: the library's SIGSEGV handler is no longer installed\n", round);
            /* The next growth fault would die bare: stop here. */
            exit(1);
        }
    }
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    CHECK(ours != NULL);
    CHECK_EQ_U(uninstalled_at, (unsigned long long)-1);
    CHECK_EQ_U(lost, 0);
    CHECK_EQ_U(miscounted, 0);
    CHECK_EQ_U(bad_rounds, 0);
    printf("%d rounds of %d threads (%s), %u growth steps each\n", rounds, THREADS, pages_mode ? "pages" : "edges",
           steps());
    return ss_test_summary("test_region_race");
}
