/* Stress: threads x regions x growth x scopes, every byte verified.

       test_stress [SECONDS-OF-WORK-PER-THREAD [THREADS [SEED]]]    default: 3000 8 1

   Each thread owns a few regions (fault-driven and reserve-all, created and destroyed over
   and over) and runs random well-nested work on them: scopes begun, reset and ended at
   random depths, blocks of random sizes, types and alignments (from a few bytes to tens of
   MiB, so regions grow by faults all along), each filled with its own pattern and checked,
   every byte, before its scope discards it; the root allocator holds blocks across whole
   rounds. Meanwhile the same threads meet, every few rounds, in one shared fault-driven
   region and store into the same words of it at once, top-down (the concurrent growth
   faults of test_region_race), checking every store landed and no growth step was counted
   twice. The first argument is a count of work units, not time: the test never
   measures time. */
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
#define MAX_THREADS 16
#define REGIONS 3
#define MAX_BLOCKS 4096
#define MAX_DEPTH 6

//~ A tiny PRNG per thread (xorshift64*)

typedef struct {
    uint64_t s;
} rng;

static uint64_t next(rng *r) {
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ull;
}

static size_t below(rng *r, size_t n) { return n ? (size_t)(next(r) % n) : 0; }

//~ Blocks: where, how big, which pattern

typedef struct {
    unsigned char *p;
    size_t bytes;
    uint64_t seed;
} block;

typedef struct {
    int id;
    rng r;
    block blocks[MAX_BLOCKS];
    size_t nblocks;
    size_t bad_words, bad_align, overlaps, checked_bytes, allocations, scopes, regions_made, units;
    int failed;
} worker;

/* The block's bytes: eight at a time, each word its own value (so a block shifted or
   overlapped by another is seen), written and compared with memcpy for any alignment. */
static uint64_t pattern(uint64_t seed, size_t word) { return seed ^ (word * 0x9e3779b97f4a7c15ull); }

static void fill(block *b) {
    size_t words = b->bytes / 8;
    for (size_t j = 0; j < words; j++) {
        uint64_t v = pattern(b->seed, j);
        memcpy(b->p + 8 * j, &v, 8);
    }
    uint64_t v = pattern(b->seed, words);
    memcpy(b->p + 8 * words, &v, b->bytes % 8);
}

static void verify(worker *w, const block *b) {
    size_t words = b->bytes / 8, bad = 0;
    for (size_t j = 0; j < words; j++) {
        uint64_t v;
        memcpy(&v, b->p + 8 * j, 8);
        bad += v != pattern(b->seed, j);
    }
    uint64_t v = pattern(b->seed, words), tail = 0;
    memcpy(&tail, b->p + 8 * words, b->bytes % 8);
    bad += memcmp(&tail, &v, b->bytes % 8) != 0;
    w->bad_words += bad;
    w->checked_bytes += b->bytes;
}

/* Verifies and forgets the blocks from index `from` on. */
static void drop_from(worker *w, size_t from) {
    for (size_t i = from; i < w->nblocks; i++) verify(w, &w->blocks[i]);
    w->nblocks = from;
}

typedef struct {
    double d;
    char c;
} pair;

/* The round's budget: blocks go at most `limit` bytes below `top` (the region's top). */
typedef struct {
    char *top;
    size_t limit;
} budget;

/* One allocation from `s`: random type, count and alignment, as far as the budget allows;
   recorded and filled. */
static void allocate(worker *w, ss_allocator s, const budget *b) {
    if (w->nblocks == MAX_BLOCKS) return;
    size_t used = (size_t)(b->top - (char *)ss_alloc_bytes(s, 0, 1)); /* a zero-byte request: where s is */
    if (used + 64 + 64 >= b->limit) return;
    size_t room = b->limit - used - 64 - 64; /* alignment and rounding to whole elements */
    size_t big = below(&w->r, 32) == 0;       /* one in 32 is large: growth */
    size_t want = big ? 1 + below(&w->r, room / 2 < 16 * MiB ? room / 2 : 16 * MiB) : 1 + below(&w->r, 4096);
    if (want > room) return;
    unsigned char *p;
    size_t align;
    switch (below(&w->r, 5)) {
    case 0:
        p = (unsigned char *)ss_alloc(s, (unsigned)((want + 3) / 4));
        want = (want + 3) / 4 * 4;
        align = 4;
        break;
    case 1:
        p = (unsigned char *)ss_new(s, pair, (want + sizeof(pair) - 1) / sizeof(pair));
        want = (want + sizeof(pair) - 1) / sizeof(pair) * sizeof(pair);
        align = _Alignof(pair);
        break;
    case 2:
        align = (size_t)1 << (2 + below(&w->r, 5)); /* 4 .. 64 */
        p = (unsigned char *)ss_alloc_aligned(s, (want + 3) / 4, align);
        want = (want + 3) / 4 * 4;
        break;
    case 3:
        align = (size_t)1 << below(&w->r, 7); /* 1 .. 64 */
        p = ss_alloc_bytes(s, want, align);
        break;
    default:
        p = (unsigned char *)ss_new(s, char, want);
        align = 1;
        break;
    }
    w->allocations++;
    if ((uintptr_t)p % align) w->bad_align++;
    /* Bump allocation moves down: a new block ends at or below every live one's start. */
    if (w->nblocks > 0) {
        block *last = &w->blocks[w->nblocks - 1];
        if (p + want > last->p) w->overlaps++;
    }
    block *nb = &w->blocks[w->nblocks++];
    *nb = (block){p, want, next(&w->r)};
    fill(nb);
}

/* Random well-nested work in a child scope of `parent`. */
static void work(worker *w, ss_allocator parent, const budget *b, int depth) {
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, parent);
    w->scopes++;
    size_t mark = w->nblocks;
    int steps = 1 + (int)below(&w->r, 12);
    for (int i = 0; i < steps; i++) {
        size_t choice = below(&w->r, 10);
        if (choice < 6) {
            allocate(w, t, b);
        } else if (choice < 8 && depth < MAX_DEPTH) {
            work(w, t, b, depth + 1);
        } else if (choice == 8) {
            drop_from(w, mark);
            ss_scope_reset(&sc);
        }
    }
    drop_from(w, mark);
    ss_scope_end(&sc);
}

//~ The shared region: every thread stores into the same words at once

static int threads = 8;
static ss_region shared;
static char *shared_top;
static size_t shared_initial;
static pthread_barrier_t meet;
static atomic_size_t shared_lost, shared_miscounted, shared_rounds;
#define SHARED (32 * MiB)

static void shared_round(worker *w) {
    pthread_barrier_wait(&meet);
    if (w->id == 0) {
        if (ss_region_create_kind(&shared, "shared", SHARED, SS_REGION_GROW) != 0) {
            fprintf(stderr, "%s\n", ss_region_error());
            exit(2);
        }
        shared_initial = ss_region_growth(&shared).committed;
        shared_top = (char *)ss_alloc_bytes(ss_region_allocator(&shared), SHARED, 64) + SHARED;
    }
    pthread_barrier_wait(&meet);
    unsigned bit = 1u << w->id;
    for (char *p = shared_top - 4096; p >= shared_top - SHARED; p -= 4096)
        atomic_fetch_or((atomic_uint *)(void *)p, bit);
    pthread_barrier_wait(&meet);
    if (w->id == 0) {
        unsigned all = threads == 32 ? ~0u : (1u << threads) - 1;
        size_t lost = 0;
        for (char *p = shared_top - 4096; p >= shared_top - SHARED; p -= 4096)
            lost += atomic_load((atomic_uint *)(void *)p) != all;
        unsigned steps = 0;
        while ((shared_initial << steps) < SHARED) steps++;
        shared_lost += lost;
        /* Page by page, one step may cover two doublings (test_region_race says why):
           never more steps than doublings. */
        size_t commits = ss_region_growth(&shared).commits;
        shared_miscounted += commits < 1 || commits > steps;
        shared_rounds++;
        ss_region_destroy(&shared);
    }
}

//~ A thread

static long units_per_thread = 3000;

static void *run(void *arg) {
    worker *w = arg;
    if (ss_thread_init() != 0) {
        w->failed = 1;
        return NULL;
    }
    static const ss_region_kind kinds[REGIONS] = {SS_REGION_GROW, SS_REGION_GROW, SS_REGION_RESERVE};
    static const size_t sizes[REGIONS] = {128 * MiB, 32 * MiB, 64 * MiB};
    ss_region regions[REGIONS];
    int live[REGIONS] = {0};
    long unit = 0;
    for (int round = 0; unit < units_per_thread; round++) {
        if (round % 8 == 0) shared_round(w);
        int k = (int)below(&w->r, REGIONS);
        if (!live[k] || below(&w->r, 8) == 0) {
            if (live[k]) ss_region_destroy(&regions[k]);
            if (ss_region_create_kind(&regions[k], "stress", sizes[k], kinds[k]) != 0) {
                fprintf(stderr, "thread %d: %s\n", w->id, ss_region_error());
                w->failed = 1;
                return NULL;
            }
            live[k] = 1;
            w->regions_made++;
        }
        /* A few blocks held by the root across the round, then nested work below them. */
        ss_allocator root = ss_region_allocator(&regions[k]);
        budget whole = {(char *)ss_alloc_bytes(root, 0, 1), sizes[k] / 2}, roots = {whole.top, sizes[k] / 16};
        size_t mark = w->nblocks;
        for (int i = (int)below(&w->r, 3); i > 0; i--) allocate(w, root, &roots);
        for (int i = 0; i < 4 && unit < units_per_thread; i++, unit++) work(w, root, &whole, 1);
        drop_from(w, mark);
        ss_region_reset(&regions[k]);
    }
    /* Meet the others until all are done: the shared rounds need every thread. */
    for (int k = 0; k < REGIONS; k++)
        if (live[k]) ss_region_destroy(&regions[k]);
    w->units = (size_t)unit;
    return NULL;
}

int main(int argc, char **argv) {
    uint64_t seed = 1;
    if (argc > 1) units_per_thread = atol(argv[1]);
    if (argc > 2) threads = atoi(argv[2]);
    if (argc > 3) seed = strtoull(argv[3], NULL, 0);
    if (units_per_thread <= 0 || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "usage: test_stress [UNITS-PER-THREAD [THREADS (1..%d) [SEED]]]\n", MAX_THREADS);
        return 2;
    }
    pthread_barrier_init(&meet, NULL, (unsigned)threads);
    static worker w[MAX_THREADS];
    pthread_t t[MAX_THREADS];
    for (int i = 0; i < threads; i++) {
        w[i].id = i;
        w[i].r.s = seed * 0x9e3779b97f4a7c15ull + (uint64_t)i * 0xbf58476d1ce4e5b9ull + 1;
        pthread_create(&t[i], NULL, run, &w[i]);
    }
    size_t checked = 0, allocations = 0, scopes = 0, made = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_U(w[i].failed, 0);
        CHECK_EQ_U(w[i].bad_words, 0);
        CHECK_EQ_U(w[i].bad_align, 0);
        CHECK_EQ_U(w[i].overlaps, 0);
        CHECK_EQ_U(w[i].nblocks, 0);
        checked += w[i].checked_bytes;
        allocations += w[i].allocations;
        scopes += w[i].scopes;
        made += w[i].regions_made;
    }
    CHECK_EQ_U(shared_lost, 0);
    CHECK_EQ_U(shared_miscounted, 0);
    CHECK(shared_rounds > 0);
    struct sigaction cur;
    sigaction(SIGSEGV, NULL, &cur);
    CHECK(cur.sa_handler != SIG_DFL); /* still the library's */
    printf("%d threads: %zu regions created, %zu scopes, %zu allocations, %zu MiB verified byte by byte; "
           "%zu shared rounds of same-address growth faults\n",
           threads, made, scopes, allocations, checked >> 20, (size_t)shared_rounds);
    return ss_test_summary("test_stress");
}
