/* debug.c — debug mode (SS_DEBUG, libsecondstack_debug): every allocation checked against
   its region, scope misuse reported with file:line, logging and statistics. Empty in the
   release library. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

//~ Debug mode: checked allocation and scopes

#ifdef SS_DEBUG

__attribute__((noreturn, format(printf, 3, 4))) void ss__debug_fail_at(const char *file, int line,
                                                                       const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    ss__vfail_at(file, line, fmt, ap);
}

static void note_usage(ss_region *r, struct ss__dbg *a) {
    size_t depth = (size_t)(ss__region_top(r) - (char *)a->current);
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

/* The innermost scope's origin comes from the region's copy, never from the scope itself:
   a scope that was begun in a function that returned without ending it is dead memory, and
   reading its file and line printed garbage ("(null):1968140800"). */
static void fail_child_live(ss_region *r, const char *file, int line, const char *fmt_head, const char *what,
                            const char *whose) {
    ss__debug_fail_at(file, line, "%s%s%s of region '%s' while its child scope begun at %s:%d is live", what,
                      fmt_head, whose, r->name, r->innermost_file ? r->innermost_file : "?", r->innermost_line);
}

/* An allocator may be used only while it is the innermost live one of its region. */
static void check_innermost(struct ss__dbg *a, const char *what, const char *file, int line) {
    ss_region *r = a->region;
    if (r == NULL)
        ss__debug_fail_at(file, line, "%s with an allocator that belongs to no region (destroyed, or never created)",
                          what);
    if (a->scope != NULL && !a->scope->open)
        ss__debug_fail_at(file, line, "%s from the scope begun at %s:%d, which has ended", what,
                          a->scope->file, a->scope->line);
    if (r->lo == NULL) /* ss_region_destroy zeroes the record */
        ss__debug_fail_at(file, line, "%s from %s of a region that has been destroyed", what, scope_word(a));
    if (r->innermost == NULL && a->scope != NULL)
        ss__debug_fail_at(file, line, "%s from the scope begun at %s:%d, which region '%s' no longer holds (reset "
                          "or re-created since)", what, a->scope->file, a->scope->line, r->name);
    if (r->innermost != a->scope) fail_child_live(r, file, line, " from ", what, scope_word(a));
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
        fprintf(stderr, "secondstack: %s:%d: region '%s': %zu bytes at %p, %zu in use\n", file, line, r->name,
                bytes, (void *)q, (size_t)(ss__region_top(r) - q));
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
    r->innermost_file = file;
    r->innermost_line = line;
    r->depth++;
    r->stats.scopes_opened++;
    if (r->depth > r->stats.max_depth) r->stats.max_depth = r->depth;
    return &sc->a;
}

static void check_scope(ss_scope *sc, const char *what, const char *file, int line) {
    if (!sc->open) ss__debug_fail_at(file, line, "%s of a scope that is not open", what);
    ss_region *r = sc->a.region;
    if (r->innermost != sc) {
        char head[256];
        snprintf(head, sizeof head, "the scope begun at %s:%d", sc->file, sc->line);
        fail_child_live(r, file, line, " of ", what, head);
    }
}

void ss__debug_scope_reset(ss_scope *sc, const char *file, int line) {
    check_scope(sc, "reset", file, line);
    ss__discard(sc->a.current, (size_t)((char *)sc->a.end - (char *)sc->a.current));
    sc->a.current = sc->a.end;
}

void ss__debug_scope_end(ss_scope *sc, const char *file, int line) {
    check_scope(sc, "end", file, line);
    ss__discard(sc->a.current, (size_t)((char *)sc->a.end - (char *)sc->a.current));
    sc->a.current = sc->a.end;
    ss_region *r = sc->a.region;
    r->innermost = sc->outer;
    r->innermost_file = sc->outer ? sc->outer->file : NULL;
    r->innermost_line = sc->outer ? sc->outer->line : 0;
    r->depth--;
    sc->open = 0;
}

size_t ss__debug_pop(size_t len, const char *file, int line) {
    if (len == 0) ss__debug_fail_at(file, line, "ss_pop of an empty array");
    return len - 1;
}

//~ Debug mode: lane vectors (secondstack.h, Vector code)

/* What a kernel may assume of an input, checked where it can be: aligned to a block; not
   below the bump pointer of its region (there it would be memory a scope discarded, which
   the next allocation hands out again, so the fresh result could overlap it); pads +0.0f. */
const float *ss__debug_lanes_in(ss_allocator s, const float *p, unsigned n, unsigned lanes, const char *file,
                                int line) {
    size_t align = (size_t)lanes * sizeof(float);
    if (p == NULL) ss__debug_fail_at(file, line, "lane vector input is NULL");
    if ((uintptr_t)p % align != 0)
        ss__debug_fail_at(file, line, "lane vector input %p is not aligned to %zu bytes (not from ss_alloc_lanes?)",
                          (const void *)p, align);
    ss_region *r = s != NULL ? s->region : NULL;
    if (r != NULL && (const char *)p >= r->lo && (const char *)p < ss__region_top(r) && p < s->current)
        ss__debug_fail_at(file, line,
                          "lane vector input %p lies below the bump pointer %p of region '%s': memory of a "
                          "discarded scope, which a fresh result may overlap",
                          (const void *)p, (void *)s->current, r->name);
    size_t padded = ((size_t)(n / lanes + (n % lanes != 0)) + 1) * lanes;
    for (size_t i = n; i < padded; i++) {
        uint32_t bits;
        memcpy(&bits, p + i, sizeof bits);
        if (bits != 0)
            ss__debug_fail_at(file, line,
                              "lane vector input %p (n = %u): pad lane %zu is %g (bits 0x%08x), not +0.0f",
                              (const void *)p, n, i, (double)p[i], (unsigned)bits);
    }
    return p;
}

#endif
