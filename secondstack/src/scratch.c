/* scratch.c — each thread's scratch regions (ss_region.h: ss_scratch_begin, ss_scratch_end).

   A scratch scope is a saved position of a scratch region's own allocator (raddebugger's
   temp_begin on a scratch arena), not a child allocator: so a function can take a scratch
   allocator from its caller as the place for its result, and open its own scratch scope on
   the other region, and scopes on one region nest like blocks whichever function opened
   them. Why not one guard for a thread's two regions: a region's used part is its top, so
   the region above another would overflow into the other's live memory; each region has a
   guard of its own (SS_REGION_GUARD_MIN: address space, not memory). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

#ifndef __wasm__
#include <pthread.h>
#endif

typedef struct thread_scratch {
    ss_region r[SS_SCRATCH_COUNT];
    int made[SS_SCRATCH_COUNT];
#ifdef SS_DEBUG
    ss_scope *innermost[SS_SCRATCH_COUNT]; /* the scratch scope to end next, per region */
#endif
} thread_scratch;

static _Thread_local thread_scratch mine;

__attribute__((noreturn, cold, format(printf, 3, 4))) static void die(const char *file, int line,
                                                                      const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    ss__vfail_at(file, line, fmt, ap);
}

//~ Creation at first use, release at thread exit

#ifndef __wasm__
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;

static void release(void *p) {
    thread_scratch *t = p;
    for (int k = 0; k < SS_SCRATCH_COUNT; k++)
        if (t->made[k]) {
            ss_region_destroy(&t->r[k]);
            t->made[k] = 0;
        }
}

static void make_key(void) {
    if (pthread_key_create(&key, release) != 0) abort();
}
#endif

static void make(int k, const char *file, int line) {
    static const char *const names[] = {"scratch 0", "scratch 1", "scratch 2", "scratch 3"};
    _Static_assert(SS_SCRATCH_COUNT <= sizeof names / sizeof names[0], "name the scratch regions");
#ifdef __wasm__
    int rc = ss_region_create_kind(&mine.r[k], names[k], SS_SCRATCH_WASM_BYTES, SS_REGION_FIXED);
#else
    int rc =
        ss__region_create_os(&mine.r[k], names[k], SS_SCRATCH_BYTES, SS_REGION_GROW, SS_REGION_GUARD_MIN);
#endif
    if (rc != 0) die(file, line, "cannot create this thread's scratch region %d: %s", k, ss_region_error());
#ifndef __wasm__
    pthread_once(&once, make_key);
    pthread_setspecific(key, &mine);
#endif
    mine.made[k] = 1;
}

/* Whether allocator a allocates from region r: its pointer lies in [lo, hi]. */
static int allocates_from(ss_allocator a, const ss_region *r) {
#ifdef SS_DEBUG
    return a->region == r;
#else
    char *p = (char *)*a;
    return p >= r->lo && p <= r->hi;
#endif
}

//~ Begin and end

ss_allocator ss__scratch_begin_at(ss_scope *sc, const ss_allocator *conflicts, size_t nconflicts,
                                  const char *file, int line) {
    int k = 0;
    for (; k < SS_SCRATCH_COUNT; k++) {
        size_t i = 0;
        if (mine.made[k])
            while (i < nconflicts && !allocates_from(conflicts[i], &mine.r[k])) i++;
        if (!mine.made[k] || i == nconflicts) break;
    }
    if (k == SS_SCRATCH_COUNT)
        die(file, line,
            "ss_scratch_begin: every one of this thread's %d scratch regions is among the %zu conflicts",
            SS_SCRATCH_COUNT, nconflicts);
    if (!mine.made[k]) make(k, file, line);
    ss_region *r = &mine.r[k];
    ss_allocator a = ss_region_allocator(r);
#ifdef SS_DEBUG
    if (r->innermost != NULL)
        die(file, line, "ss_scratch_begin on region '%s' while its child scope begun at %s:%d is live",
            r->name, r->innermost_file, r->innermost_line);
    *sc = (ss_scope){.a = {.end = a->current, .region = r},
                     .outer = mine.innermost[k],
                     .parent = a,
                     .file = file,
                     .line = line,
                     .open = 1};
    mine.innermost[k] = sc;
#else
    sc->a.top = sc->base = *a;
#endif
    return a;
}

char *ss__scratch_end_at(ss_scope *sc, const char *file, int line) {
#ifdef SS_DEBUG
    if (!sc->open || sc->parent == NULL)
        die(file, line, "ss_scratch_end of a scope that is not an open scratch scope");
    ss_region *r = sc->a.region;
    int k = (int)(r - mine.r);
    if (k < 0 || k >= SS_SCRATCH_COUNT)
        die(file, line, "ss_scratch_end of the scratch scope begun at %s:%d in another thread", sc->file,
            sc->line);
    if (mine.innermost[k] != sc)
        die(file, line,
            "ss_scratch_end of the scratch scope begun at %s:%d while the one begun at %s:%d is live",
            sc->file, sc->line, mine.innermost[k]->file, mine.innermost[k]->line);
    if (r->innermost != NULL)
        die(file, line,
            "ss_scratch_end of the scratch scope begun at %s:%d while a child scope begun at %s:%d is live",
            sc->file, sc->line, r->innermost_file, r->innermost_line);
    char *from = (char *)r->root.current;
    r->root.current = sc->a.end;
    ss__discard(from, (size_t)((char *)sc->a.end - from));
    mine.innermost[k] = sc->outer;
    sc->open = 0;
    return from;
#else
    for (int k = 0; k < SS_SCRATCH_COUNT; k++) {
        ss_region *r = &mine.r[k];
        if (mine.made[k] && (char *)sc->base >= r->lo && (char *)sc->base <= r->hi) {
            char *from = (char *)r->root.top;
            r->root.top = sc->base;
            ss__discard(from, (size_t)((char *)sc->base - from));
            return from;
        }
    }
    die(file, line, "ss_scratch_end of a scope that is not a scratch scope of this thread");
#endif
}
