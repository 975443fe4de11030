/* ss_region.c — regions, and debug mode's checked allocation.

   Built twice: as libsecondstack (release) and libsecondstack_debug (-DSS_DEBUG). */
#include "ss_region.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(SS_DEBUG) && defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define SS__VG_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define SS__VG_UNDEFINED(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define SS__VG_DEFINED(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#endif
#endif
#ifndef SS__VG_NOACCESS
#define SS__VG_NOACCESS(p, n) ((void)(p), (void)(n))
#define SS__VG_UNDEFINED(p, n) ((void)(p), (void)(n))
#define SS__VG_DEFINED(p, n) ((void)(p), (void)(n))
#endif

//~ The link-time mode check (see SS_DEBUG in secondstack.h). Both libraries define
//  ss__one_mode_per_program, so a program that pulls in both fails to link as well.

#ifdef SS_DEBUG
const char ss__built_with_SS_DEBUG = 1;
const char ss__one_mode_per_program = 1;
#else
const char ss__built_without_SS_DEBUG = 0;
const char ss__one_mode_per_program = 0;
#endif

/* The top of a region is 64-byte aligned so that the first SIMD-aligned allocation of a
   multiple of 64 bytes wastes nothing. */
#define SS__TOP_ALIGN 64

static void discard(void *p, size_t n) {
    SS__POISON(p, n);
    SS__VG_NOACCESS(p, n);
}

static void set_top(ss_region *r, char *top) {
#ifdef SS_DEBUG
    r->root = (struct ss__dbg){.start = (float *)(void *)r->lo,
                               .current = (float *)(void *)top,
                               .end = (float *)(void *)top,
                               .do_logging = r->root.do_logging,
                               .region = r,
                               .scope = NULL};
    r->innermost = NULL;
    r->depth = 0;
#else
    r->top = (float *)(void *)top;
#endif
}

static char *region_top(const ss_region *r) {
    return r->hi - ((uintptr_t)r->hi & (SS__TOP_ALIGN - 1));
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

static void region_setup(ss_region *r, const char *name, void *mem, size_t bytes, int kind) {
    memset(r, 0, sizeof *r);
    r->name = name ? name : "(unnamed)";
    r->kind = kind;
    r->mem = mem;
    r->mem_size = bytes;
    r->lo = (char *)mem;
    r->hi = (char *)mem + bytes;
#ifdef SS_DEBUG
    const char *log = getenv("SS_DEBUG_LOG");
    r->root.do_logging = log != NULL && log[0] != '\0' && log[0] != '0';
#endif
    set_top(r, region_top(r));
    discard(r->lo, bytes);
}

int ss_region_init(ss_region *r, const char *name, void *mem, size_t bytes) {
    if (mem == NULL || bytes < SS__TOP_ALIGN) {
        errno = EINVAL;
        return -1;
    }
    region_setup(r, name, mem, bytes, SS_REGION_USER);
    return 0;
}

int ss_region_create_kind(ss_region *r, const char *name, size_t bytes, ss_region_kind kind) {
    if (kind != SS_REGION_FIXED) {
        errno = ENOSYS;
        return -1;
    }
    if (bytes < SS__TOP_ALIGN) bytes = SS__TOP_ALIGN;
    void *mem = malloc(bytes);
    if (mem == NULL) return -1;
    region_setup(r, name, mem, bytes, SS_REGION_FIXED);
    return 0;
}

int ss_region_create(ss_region *r, const char *name, size_t bytes) {
    return ss_region_create_kind(r, name, bytes, SS_REGION_FIXED);
}

void ss_region_destroy(ss_region *r) {
    if (r->lo == NULL) return;
    SS__UNPOISON(r->lo, r->mem_size);
    SS__VG_UNDEFINED(r->lo, r->mem_size);
    if (r->kind == SS_REGION_FIXED) free(r->mem);
    memset(r, 0, sizeof *r);
}

size_t ss_region_size(const ss_region *r) { return (size_t)(region_top(r) - r->lo); }

size_t ss_region_used(const ss_region *r) {
#ifdef SS_DEBUG
    return (size_t)(region_top(r) - (char *)r->root.current);
#else
    return (size_t)(region_top(r) - (char *)r->top);
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
#define SS__X(name, doc) \
    fprintf(f, "%s%s", sep, #name); \
    sep = ",";
    SS_STATS(SS__X)
#undef SS__X
    fputc('\n', f);
}

void ss_stats_csv_row(FILE *f, const ss_stats *st) {
    const char *sep = "";
#define SS__X(name, doc) \
    fprintf(f, "%s%zu", sep, st->name); \
    sep = ",";
    SS_STATS(SS__X)
#undef SS__X
    fputc('\n', f);
}

#ifdef SS_DEBUG

void ss_region_reset(ss_region *r) {
    if (r->innermost != NULL)
        ss__debug_fail_at(r->innermost->file, r->innermost->line,
                          "region '%s' reset while the scope begun here is live", r->name);
    char *top = region_top(r);
    discard((char *)r->root.current, (size_t)(top - (char *)r->root.current));
    set_top(r, top);
}

void ss_region_set_logging(ss_region *r, int on) { r->root.do_logging = on; }

#else

void ss_region_reset(ss_region *r) {
    char *top = region_top(r);
    discard((char *)r->top, (size_t)(top - (char *)r->top));
    set_top(r, top);
}

void ss_region_set_logging(ss_region *r, int on) {
    (void)r;
    (void)on;
}

#endif

//~ Debug mode: checked allocation and scopes

#ifdef SS_DEBUG

__attribute__((noreturn, format(printf, 3, 4))) void ss__debug_fail_at(const char *file, int line,
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

static void note_usage(ss_region *r, struct ss__dbg *a) {
    size_t depth = (size_t)(region_top(r) - (char *)a->current);
    if (depth > r->stats.high_water) r->stats.high_water = depth;
    if (a->scope != NULL) {
        size_t held = (size_t)((char *)a->end - (char *)a->current);
        if (held > a->scope->peak) a->scope->peak = held;
        if (held > r->stats.largest_scope) r->stats.largest_scope = held;
    }
}

static const char *scope_word(const struct ss__dbg *a) {
    return a->scope == NULL ? "the root allocator" : "a scope";
}

/* An allocator may be used only while it is the innermost live one of its region. */
static void check_innermost(struct ss__dbg *a, const char *what, const char *file, int line) {
    ss_region *r = a->region;
    if (r == NULL) ss__debug_fail_at(file, line, "%s with an allocator that belongs to no region", what);
    if (a->scope != NULL && !a->scope->open)
        ss__debug_fail_at(file, line, "%s from the scope begun at %s:%d, which has ended", what,
                          a->scope->file, a->scope->line);
    if (r->innermost != a->scope) {
        ss_scope *c = r->innermost;
        ss__debug_fail_at(file, line,
                          "%s from %s of region '%s' while its child scope begun at %s:%d is live", what,
                          scope_word(a), r->name, c->file, c->line);
    }
}

void *ss__debug_alloc(ss_allocator a, size_t bytes, size_t align, const char *file, int line) {
    check_innermost(a, "allocation", file, line);
    ss_region *r = a->region;
    if (align == 0 || (align & (align - 1)) != 0)
        ss__debug_fail_at(file, line, "alignment %zu is not a power of two", align);
    size_t al = align < sizeof(float) ? sizeof(float) : align;
    uintptr_t cur = (uintptr_t)a->current, start = (uintptr_t)a->start;
    uintptr_t room = cur - start;
    uintptr_t p = (cur - bytes) & ~(uintptr_t)(al - 1);
    if (bytes > room || p < start)
        ss__debug_fail_at(file, line,
                          "region '%s' exhausted: %zu bytes (align %zu) asked for, %zu bytes left of %zu",
                          r->name, bytes, align, (size_t)room, ss_region_size(r));
    char *q = (char *)a->current - (cur - p);
    a->current = (float *)(void *)q;
    r->stats.allocations++;
    r->stats.bytes_requested += bytes;
    note_usage(r, a);
    SS__UNPOISON(q, bytes);
    SS__VG_UNDEFINED(q, bytes);
    if (a->do_logging)
        fprintf(stderr, "secondstack: %s:%d: region '%s': %zu bytes at %p, %zu in use\n", file, line,
                r->name, bytes, (void *)q, (size_t)(region_top(r) - q));
    return q;
}

ss_allocator ss__debug_scope_begin(ss_scope *sc, ss_allocator parent, const char *file, int line) {
    check_innermost(parent, "scope begun", file, line);
    ss_region *r = parent->region;
    sc->a = (struct ss__dbg){.start = parent->start,
                             .current = parent->current,
                             .end = parent->current,
                             .do_logging = parent->do_logging,
                             .region = r,
                             .scope = sc};
    sc->outer = r->innermost;
    sc->parent = parent;
    sc->file = file;
    sc->line = line;
    sc->open = 1;
    sc->peak = 0;
    r->innermost = sc;
    r->depth++;
    r->stats.scopes_opened++;
    if (r->depth > r->stats.max_depth) r->stats.max_depth = r->depth;
    return &sc->a;
}

static void check_scope(ss_scope *sc, const char *what, const char *file, int line) {
    if (!sc->open) ss__debug_fail_at(file, line, "%s of a scope that is not open", what);
    ss_region *r = sc->a.region;
    if (r->innermost != sc)
        ss__debug_fail_at(file, line, "%s of the scope begun at %s:%d while its child scope begun at %s:%d is live",
                          what, sc->file, sc->line, r->innermost->file, r->innermost->line);
}

void ss__debug_scope_reset(ss_scope *sc, const char *file, int line) {
    check_scope(sc, "reset", file, line);
    discard(sc->a.current, (size_t)((char *)sc->a.end - (char *)sc->a.current));
    sc->a.current = sc->a.end;
}

void ss__debug_scope_end(ss_scope *sc, const char *file, int line) {
    check_scope(sc, "end", file, line);
    discard(sc->a.current, (size_t)((char *)sc->a.end - (char *)sc->a.current));
    sc->a.current = sc->a.end;
    ss_region *r = sc->a.region;
    r->innermost = sc->outer;
    r->depth--;
    sc->open = 0;
}

#endif
