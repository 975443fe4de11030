/* region.c — regions: fixed, the caller's memory, reserve-all and fault-driven growth.

   Built twice, as are all the sources: libsecondstack (release) and libsecondstack_debug
   (-DSS_DEBUG); debug mode's checked allocation and scopes are in debug.c. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prim/prim.h"

//~ The link-time mode check (see SS_DEBUG in secondstack.h). Both libraries define
//  ss__one_mode_per_program, so a program that pulls in both fails to link as well.

#ifdef SS_DEBUG
const char ss__built_with_SS_DEBUG = 1;
const char ss__one_mode_per_program = 1;
#else
const char ss__built_without_SS_DEBUG = 0;
const char ss__one_mode_per_program = 0;
#endif

void ss__vfail_at(const char *file, int line, const char *fmt, va_list ap) {
    fflush(stdout);
    fprintf(stderr, "secondstack: %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    abort();
}

static int os_slot(const ss_region *r) { return r->os ? (int)((uintptr_t)r->os - 1) : -1; }

#ifndef SS_DEBUG
/* The lowest address SS_CHECKED's fast path lets an allocation reach without asking the
   refill: the region's start, or for a growing region the start of what is committed. */
static char *region_limit(const ss_region *r) {
    if (r->kind != SS_REGION_GROW || r->os == NULL) return r->lo;
    char *c = r->hi - ss__fault_slot_stats(os_slot(r)).committed;
    return c > r->lo ? c : r->lo;
}
#endif

static void set_top(ss_region *r, char *top) {
#ifdef SS_DEBUG
    r->root = (struct ss__dbg){.start = (float *)(void *)r->lo,
                               .current = (float *)(void *)top,
                               .end = (float *)(void *)top,
                               .do_logging = r->root.do_logging,
                               .region = r,
                               .scope = NULL};
    r->innermost = NULL;
    r->innermost_file = NULL;
    r->innermost_line = 0;
    r->depth = 0;
#else
    r->root = (struct ss__bump){.top = (float *)(void *)top, .limit = (float *)(void *)region_limit(r), .region = r};
#endif
}

//~ Regions

const char *ss_region_kind_name(ss_region_kind kind) {
    switch (kind) {
    case SS_REGION_FIXED: return "fixed";
    case SS_REGION_USER: return "user";
    case SS_REGION_RESERVE: return "reserve";
    case SS_REGION_GROW: return "grow";
    }
    return "unknown";
}

/* The region is [lo, lo + bytes) inside the block `mem` of mem_size bytes that destroy
   gives back. */
static void region_setup(ss_region *r, const char *name, void *mem, size_t mem_size, char *lo, size_t bytes,
                         int kind) {
    memset(r, 0, sizeof *r);
    r->name = name ? name : "(unnamed)";
    r->kind = kind;
    r->mem = mem;
    r->mem_size = mem_size;
    r->lo = lo;
    r->hi = lo + bytes;
#ifdef SS_DEBUG
    const char *log = getenv("SS_DEBUG_LOG");
    r->root.do_logging = log != NULL && log[0] != '\0' && log[0] != '0';
#endif
    set_top(r, ss__region_top(r));
    /* OS-backed memory below the pointer has never been handed out; poisoning a GiB of it
       would write an eighth of that in ASan's shadow. */
    if (kind == SS_REGION_FIXED || kind == SS_REGION_USER) ss__discard(r->lo, bytes);
}

int ss_region_init(ss_region *r, const char *name, void *mem, size_t bytes) {
    if (mem == NULL || bytes < SS__TOP_ALIGN) {
        errno = EINVAL;
        return -1;
    }
    region_setup(r, name, mem, bytes, (char *)mem, bytes, SS_REGION_USER);
    return 0;
}

//~ OS-backed regions: reserve-all and fault-driven growth

static _Thread_local char last_error[512];

const char *ss_region_error(void) { return last_error; }

__attribute__((format(printf, 2, 3))) static int fail(int err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    errno = err;
    return -1;
}

static int quiet(void) {
    const char *q = getenv("SS_QUIET");
    return q != NULL && q[0] != '\0' && q[0] != '0';
}

/* A program built with ASan links its runtime, which defines this; a library built without
   ASan sees it through the weak reference. */
extern int __asan_address_is_poisoned(void const volatile *addr) __attribute__((weak));

/* The tools that cannot run OS-backed regions, or NULL. */
static const char *hostile_tool(void) {
#ifdef SS__ASAN
    return "AddressSanitizer";
#endif
    if (__asan_address_is_poisoned != NULL) return "AddressSanitizer";
    if (SS__ON_VALGRIND()) return "valgrind";
    /* Built without valgrind's headers: its preload library gives it away. */
    const char *pre = getenv("LD_PRELOAD");
    if (pre != NULL && strstr(pre, "vgpreload") != NULL) return "valgrind";
    return NULL;
}

static double gib(uint64_t v) { return (double)v / (double)(1u << 30); }

static size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }

/* Under valgrind or ASan: a plain mapping of the whole region, committed (MAP_NORESERVE),
   no guard, no handler. The program runs; what the tool checks still works. */
static int create_plain(ss_region *r, const char *name, size_t bytes, ss_region_kind kind, const char *tool) {
    static atomic_int told;
    if (!quiet() && atomic_exchange(&told, 1) == 0)
        fprintf(stderr,
                "secondstack: notice: running under %s: region '%s' (%s) and any after it are plain "
                "mappings without guard or growth (the tool does not allow the reservation and fault "
                "handling they need)\n",
                tool, name, ss_region_kind_name(kind));
    void *mem = ss_os_reserve(bytes, SS_OS_NORESERVE);
    if (mem == NULL || ss_os_commit(mem, bytes) != 0) {
        int e = errno;
        if (mem) ss_os_release(mem, bytes);
        return fail(e, "region '%s': cannot map %zu bytes under %s: %s", name, bytes, tool, strerror(e));
    }
    region_setup(r, name, mem, bytes, mem, bytes, kind);
    r->os = NULL;
    return 0;
}

/* What makes reserve-all dangerous but not impossible: said once, on stderr. */
static void warn_reserve(const char *name, size_t bytes, const ss_os_limits *l) {
    if (quiet()) return;
    if (l->cgroup_max != SS_OS_UNLIMITED && l->cgroup_max < bytes)
        fprintf(stderr,
                "secondstack: notice: region '%s' (reserve-all, %.1f GiB) is larger than the cgroup memory "
                "limit (%.1f GiB, %s): writing past that limit gets the process OOM-killed\n",
                name, gib(bytes), gib(l->cgroup_max), l->cgroup_file);
    else if (l->overcommit != 2 && l->phys != SS_OS_UNLIMITED && l->swap != SS_OS_UNLIMITED &&
             bytes > l->phys + l->swap)
        fprintf(stderr,
                "secondstack: notice: region '%s' (reserve-all, %.1f GiB) is larger than physical memory "
                "and swap (%.1f GiB): writing that much gets the process OOM-killed\n",
                name, gib(bytes), gib(l->phys + l->swap));
}

/* The kernel kills a thread that blocks SIGSEGV at its first growth fault (or store into the
   guard) before the handler can run: no message, a bare SIGSEGV. That cannot be caught, so
   it is said up front, once per thread. */
static void warn_if_blocked(const char *name) {
    static _Thread_local int told;
    if (told || !ss__fault_blocked() || quiet()) return;
    told = 1;
    char what[160];
    if (name != NULL)
        snprintf(what, sizeof what, "creating region '%s'", name);
    else
        snprintf(what, sizeof what, "ss_thread_init");
    fprintf(stderr,
            "secondstack: warning: SIGSEGV is blocked in this thread (%s): a growth fault or a store into the "
            "guard here ends the process with a bare SIGSEGV, before the library's handler can run; unblock "
            "SIGSEGV in threads that allocate from OS-backed regions\n",
            what);
}

static int reserve_failed(const char *name, size_t total, size_t guard, size_t bytes, int err,
                          const ss_os_limits *l) {
    if (l->rlimit_as != SS_OS_UNLIMITED)
        return fail(err,
                    "region '%s': cannot reserve %zu bytes of address space (guard %zu + region %zu): "
                    "RLIMIT_AS (ulimit -v) is %llu bytes (%.1f GiB); lift it (ulimit -v unlimited) or use "
                    "SS_REGION_FIXED",
                    name, total, guard, bytes, (unsigned long long)l->rlimit_as, gib(l->rlimit_as));
    return fail(err, "region '%s': cannot reserve %zu bytes of address space (guard %zu + region %zu): %s",
                name, total, guard, bytes, strerror(err));
}

static int commit_failed(const char *name, size_t bytes, ss_region_kind kind, int err,
                         const ss_os_limits *l) {
    if (l->overcommit == 2)
        return fail(err,
                    "region '%s': cannot commit %zu bytes (%.1f GiB): vm.overcommit_memory is 2 (strict), "
                    "every writable page is charged: CommitLimit %.1f GiB, Committed_AS %.1f GiB%s",
                    name, bytes, gib(bytes), gib(l->commit_limit), gib(l->committed_as),
                    kind == SS_REGION_RESERVE ? "; SS_REGION_GROW commits as it goes" : "");
    if (l->rlimit_data != SS_OS_UNLIMITED)
        return fail(err,
                    "region '%s': cannot commit %zu bytes (%.1f GiB): RLIMIT_DATA (ulimit -d) is %llu bytes "
                    "(%.1f GiB) and counts every writable private mapping%s",
                    name, bytes, gib(bytes), (unsigned long long)l->rlimit_data, gib(l->rlimit_data),
                    kind == SS_REGION_RESERVE ? "; SS_REGION_GROW commits as it goes" : "");
    return fail(err, "region '%s': cannot commit %zu bytes: %s", name, bytes, strerror(err));
}

/* One request larger than the guard is refused in secondstack.h by this same floor. */
_Static_assert(SS_REGION_GUARD >= SS_REGION_GUARD_MIN, "SS_REGION_GUARD is below SS_REGION_GUARD_MIN");

int ss__region_create_os(ss_region *r, const char *name, size_t bytes, ss_region_kind kind, size_t guard) {
    size_t page = ss_os_page_size();
    ss_os_limits lim;
    ss_os_query_limits(&lim);
    if (bytes == 0) {
        /* In 64 bits: size_t is 32 bits on wasm32, where this file is compiled too. */
        uint64_t want = lim.phys == SS_OS_UNLIMITED ? (uint64_t)1 << 32 : lim.phys;
        if (lim.cgroup_max < want) want = lim.cgroup_max;
#if SIZE_MAX < UINT64_MAX
        if (want > SIZE_MAX) want = SIZE_MAX;
#endif
        bytes = (size_t)want;
    }
    if ((uint64_t)bytes > ((uint64_t)1 << 46))
        return fail(EINVAL, "region '%s': %zu bytes is more than 64 TiB", name, bytes);
    bytes = round_up(bytes < SS__TOP_ALIGN ? SS__TOP_ALIGN : bytes, page);

    const char *tool = hostile_tool();
    if (tool != NULL) return create_plain(r, name, bytes, kind, tool);
    if (kind == SS_REGION_RESERVE) warn_reserve(name, bytes, &lim);
    warn_if_blocked(name);
    if (ss__fault_install() != 0)
        return fail(errno, "region '%s': cannot install the SIGSEGV handler or the signal stack: %s", name,
                    strerror(errno));

    /* The guard: as much address space as sensibly available (from `guard`), halved until it
       fits, never below SS_REGION_GUARD_MIN. */
    char *base;
    int flags = kind == SS_REGION_RESERVE ? SS_OS_NORESERVE : 0;
    for (;;) {
        base = ss_os_reserve(guard + bytes, flags);
        if (base != NULL || guard / 2 < (size_t)SS_REGION_GUARD_MIN) break;
        guard /= 2;
    }
    if (base == NULL) return reserve_failed(name, guard + bytes, guard, bytes, errno, &lim);

    char *lo = base + guard, *top = lo + bytes;
    size_t initial =
        kind == SS_REGION_GROW && bytes > SS_REGION_INITIAL_COMMIT ? SS_REGION_INITIAL_COMMIT : bytes;
    if (ss_os_commit(top - initial, initial) != 0) {
        int e = errno;
        ss_os_release(base, guard + bytes);
        return commit_failed(name, initial, kind, e, &lim);
    }
    int slot = ss__fault_register(name ? name : "(unnamed)",
                                  kind == SS_REGION_GROW ? SS__FAULT_GROW : SS__FAULT_RESERVE,
                                  (uintptr_t)base, (uintptr_t)lo, (uintptr_t)top, (uintptr_t)(top - initial));
    if (slot < 0) {
        ss_os_release(base, guard + bytes);
        return fail(ENOSPC, "region '%s': the region table is full (%d OS-backed regions)", name,
                    SS__FAULT_SLOTS);
    }
    region_setup(r, name, base, guard + bytes, lo, bytes, kind);
    r->os = (void *)(uintptr_t)(slot + 1);
    set_top(r, ss__region_top(r)); /* the limit of a growing region: what is committed */
    return 0;
}

int ss_region_create_kind(ss_region *r, const char *name, size_t bytes, ss_region_kind kind) {
    last_error[0] = '\0';
    if (name == NULL) name = "(unnamed)";
    if (kind == SS_REGION_RESERVE || kind == SS_REGION_GROW)
        return ss__region_create_os(r, name, bytes, kind, SS_REGION_GUARD);
    if (kind != SS_REGION_FIXED)
        return fail(EINVAL, "region '%s': kind %d cannot be created", name, (int)kind);
    if (bytes < SS__TOP_ALIGN) bytes = SS__TOP_ALIGN;
    void *mem = malloc(bytes);
    if (mem == NULL) return fail(errno, "region '%s': malloc(%zu) failed", name, bytes);
    region_setup(r, name, mem, bytes, mem, bytes, SS_REGION_FIXED);
    return 0;
}

ss_growth ss_region_growth(const ss_region *r) {
    ss_growth g;
    memset(&g, 0, sizeof g);
    g.limit = ss_region_size(r);
    g.committed = g.limit;
    if (r->kind != SS_REGION_RESERVE && r->kind != SS_REGION_GROW) return g;
    g.fallback = r->os == NULL;
    if (g.fallback) return g;
    g.guard = (size_t)(r->lo - (char *)r->mem);
    ss__fault_stats st = ss__fault_slot_stats(os_slot(r));
    g.commits = st.commits;
    if (r->kind == SS_REGION_GROW) g.committed = st.committed;
    return g;
}

int ss_touch(ss_allocator s, void *p, size_t n) {
#ifdef SS_DEBUG
    ss_region *r = s->region;
    if (r != NULL && n > 0 && ((char *)p < r->lo || (char *)p + n > r->hi))
        ss__debug_fail_at(__FILE__, __LINE__, "ss_touch of %zu bytes at %p: outside region '%s'", n, p,
                          r->name);
#else
    (void)s;
#endif
    if (n == 0) return 0;
    return ss__fault_commit_down_to((uintptr_t)p);
}

int ss_thread_init(void) {
    warn_if_blocked(NULL);
    return ss__fault_install();
}

void ss_region_report_limits(FILE *f) {
    ss_os_limits l;
    ss_os_query_limits(&l);
    ss_os_report_limits(f, &l);
}

//~ Fixed regions and the common API

int ss_region_create(ss_region *r, const char *name, size_t bytes) {
    return ss_region_create_kind(r, name, bytes, SS_REGION_FIXED);
}

/* (Parenthesized: ss_region.h wraps these in macros for units built with ASan.) */
void(ss_region_destroy)(ss_region *r) {
    if (r->lo == NULL) return;
#ifdef SS_DEBUG
    /* Its allocators would point into a zeroed record, its memory would be gone. */
    if (r->innermost != NULL)
        ss__debug_fail_at(r->innermost_file, r->innermost_line,
                          "region '%s' destroyed while the scope begun here is live", r->name);
#endif
    SS__UNPOISON(r->lo, (size_t)(r->hi - r->lo));
    SS__VG_UNDEFINED(r->lo, (size_t)(r->hi - r->lo));
    if (r->kind == SS_REGION_FIXED) free(r->mem);
    if (r->kind == SS_REGION_RESERVE || r->kind == SS_REGION_GROW) {
        /* Out of the table first: from then on a fault there is not ours. */
        ss__fault_unregister(os_slot(r));
        ss_os_release(r->mem, r->mem_size);
    }
    memset(r, 0, sizeof *r);
}

size_t ss_region_size(const ss_region *r) { return (size_t)(ss__region_top(r) - r->lo); }

size_t ss_region_used(const ss_region *r) {
#ifdef SS_DEBUG
    return (size_t)(ss__region_top(r) - (char *)r->root.current);
#else
    return (size_t)(ss__region_top(r) - (char *)r->root.top);
#endif
}

ss_stats ss_region_stats(const ss_region *r) {
#ifdef SS_DEBUG
    ss_stats st = r->stats;
#else
    ss_stats st = {0};
#endif
    st.in_use = ss_region_used(r);
    return st;
}

void ss_stats_csv_header(FILE *f) {
    const char *sep = "";
#define SS__X(name, doc)                                                                                     \
    fprintf(f, "%s%s", sep, #name);                                                                          \
    sep = ",";
    SS_STATS(SS__X)
#undef SS__X
    fputc('\n', f);
}

void ss_stats_csv_row(FILE *f, const ss_stats *st) {
    const char *sep = "";
#define SS__X(name, doc)                                                                                     \
    fprintf(f, "%s%zu", sep, st->name);                                                                      \
    sep = ",";
    SS_STATS(SS__X)
#undef SS__X
    fputc('\n', f);
}

void(ss_region_reset)(ss_region *r) {
#ifdef SS_DEBUG
    if (r->innermost != NULL)
        ss__debug_fail_at(r->innermost_file, r->innermost_line, "region '%s' reset while the scope begun here is live",
                          r->name);
#endif
    char *top = ss__region_top(r), *cur = SS__TOP(ss_region_allocator(r));
    ss__discard(cur, (size_t)(top - cur));
    set_top(r, top);
}

void ss_region_set_logging(ss_region *r, int on) {
#ifdef SS_DEBUG
    r->root.do_logging = on;
#else
    (void)r;
    (void)on;
#endif
}

//~ SS_CHECKED's refill (secondstack.h): the fast path's one compare failed

#ifndef SS_DEBUG
__attribute__((noreturn, format(printf, 3, 4))) static void checked_fail(const char *file, int line,
                                                                         const char *fmt, ...) {
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "secondstack: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* The allocation the fast path refused: past the region's end, reported; inside a growing
   region's uncommitted part, committed (the committed size doubles, as the fault handler
   does) and made. The limit is refreshed from the region: a parent scope's copy may be stale
   after a child grew the region, and then costs one more call here, not a wrong answer. */
void *ss__checked_refill(ss_allocator s, size_t bytes, size_t align, const char *file, int line) {
    struct ss__bump *b = (struct ss__bump *)(void *)s;
    ss_region *r = b->region;
    if (r == NULL) checked_fail(file, line, "allocation of %zu bytes from an allocator of no region", bytes);
    size_t a = align < sizeof(float) ? sizeof(float) : align;
    uintptr_t top = (uintptr_t)b->top, lo = (uintptr_t)r->lo;
    uintptr_t p = (top - bytes) & ~(uintptr_t)(a - 1);
    if (bytes > top - lo || p < lo)
        checked_fail(file, line, "region '%s' exhausted: %zu bytes asked for (align %zu), %zu left of %zu (SS_CHECKED)",
                     r->name, bytes, align, (size_t)(top - lo), ss_region_size(r));
    if (r->kind == SS_REGION_GROW && r->os != NULL && ss__fault_commit_down_to(p) != 0)
        checked_fail(file, line, "region '%s': cannot commit %zu more bytes: %s", r->name, (size_t)(top - p),
                     strerror(errno));
    b->limit = (float *)(void *)region_limit(r);
    b->top = (float *)p;
    SS__UNPOISON((void *)p, bytes);
    return (void *)p;
}
#endif
