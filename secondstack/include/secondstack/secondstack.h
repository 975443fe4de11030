/* secondstack.h — a bump allocator the compiler can reason about.
   SPDX-License-Identifier: MIT (LICENSE). Version: SS_VERSION_MAJOR.MINOR.PATCH below.

   A region is a block of memory; an allocator is a pointer to its bump pointer, which moves
   *down* through the region, like a second stack. Allocation is two instructions and never
   checks anything: safety comes from what lies below the region (a guard the MMU enforces,
   see ss_region.h) and, while developing, from the debug mode below. Nothing is freed one
   object at a time: scopes are discarded.

   USAGE (the examples marked "// example" are compiled and run by the tests)

       // example: usage
       ss_region r;                               // see ss_region.h
       if (ss_region_create(&r, "work", 1 << 20) != 0) return 1;
       ss_allocator s = ss_region_allocator(&r);

       float *v = ss_alloc(s, n);                 // n floats, 4-byte aligned
       ss_scope step;
       ss_allocator t = ss_scope_begin(&step, s); // a child: allocates below s
       for (int i = 0; i < 10; i++) {
           ss_scope_reset(&step);                 // discard what the last iteration made
           float *k = ss_alloc(t, n);
           k[0] = v[0] = (float)i;
       }
       ss_scope_end(&step);                       // s may allocate again
       ss_region_destroy(&r);                     // everything at once

   API (each by its signature; T is a type)

       typedef float **ss_allocator;
       float *ss_alloc(ss_allocator s, unsigned n);              n floats (the fast path)
       float *ss_alloc_aligned(ss_allocator s, size_t n, size_t align);
       T     *ss_new(ss_allocator s, T, size_t count);           count T, aligned for T
       T     *ss_new_aligned(ss_allocator s, T, size_t count, size_t align);
       void  *ss_alloc_bytes(ss_allocator s, size_t bytes, size_t align);
       ss_allocator ss_scope_begin(ss_scope *sc, ss_allocator parent);
       void   ss_scope_reset(ss_scope *sc);                      discard, stay open
       void   ss_scope_end(ss_scope *sc);                        discard, close
       size_t ss_scope_peak(const ss_scope *sc);                 bytes held at most (debug)
       T     *ss_new_zero(ss_allocator s, T, size_t count);      ss_new, zeroed (memset: O(bytes))
       T     *ss_renew(ss_allocator s, T, T *p, size_t old_count, size_t new_count);
                                                                 resize: in place when p is the
                                                                 newest allocation, else a copy
       SS_ARRAY(T)                                               {T *data; size_t len, cap;}
       SS_ARRAY_TYPE(name, T);                                   typedef of a named array type
       T     *ss_push(ss_allocator s, SS_ARRAY(T) *a, T value);  append, return &new; amortized O(1)
       void   ss_reserve(ss_allocator s, SS_ARRAY(T) *a, size_t n);  room for n more, no push
       T      ss_pop(SS_ARRAY(T) *a);                            remove and return the last
       void   ss_clear(SS_ARRAY(T) *a);                          len = 0, the memory kept
       char  *ss_strdup(ss_allocator s, const char *str);        a copy in the region
       char  *ss_strndup(ss_allocator s, const char *str, size_t n);   at most n chars, + '\0'
       char  *ss_sprintf(ss_allocator s, const char *fmt, ...);  formatted into the region
       char  *ss_vsprintf(ss_allocator s, const char *fmt, va_list ap);
   Regions, scratch regions and the space left in a fixed region: ss_region.h.

   Vector code (the section of that name below: lane vectors, fresh, aligned and padded):
       SS_LANES, SS_FRESH                                        floats in a block (8); restrict
       SS_LANES_FOR(i, n) statement;                             i over the blocks of n, vectorized
       unsigned ss_lanes_blocks(unsigned n);                     blocks holding lanes [0, n)
       size_t ss_lanes_padded(unsigned n);                       floats of a lane vector: blocks + a spare
       float *ss_alloc_lanes(ss_allocator s, unsigned n);        a lane vector, fresh and aligned
       const float *ss_lanes_in(ss_allocator s, const float *p, unsigned n);
                                                                 an input, seen aligned (debug: checked)
       void   ss_lanes_clear_pads(float *r, unsigned n);         +0.0f into every pad of a result
       void   ss_lanes_clear_spare(float *r, unsigned n);        +0.0f into its spare block only
       void   ss_lanes_copy(float *to, const float *from, size_t blocks);   whole blocks, to fresh

   Alignment: `align` is a power of two. The bump pointer is always a multiple of 4, so the
   float fast path stays aligned after any typed allocation. Macros evaluate `s` once and
   their other arguments as documented at each (`a` of the array macros several times).

   COSTS

   ss_alloc inlined with the pointer in a register: one subtract (and the shift of n), the
   seed's "two instructions". Called with the pointer in memory: load, subtract, store.
   No branch, no call: secondstack/test/asm_check.py proves it for gcc and clang at -O2.
   ss_new with a constant count and type: the same plus one `and` to align.
   ss_push: a compare and a store when there is room; the growth path is out of line, cold.
   ss_strdup/ss_strndup: one length scan and one copy. ss_sprintf: vsnprintf twice, once to
   measure and once to write (a bump allocator cannot hand out "the rest" and shrink after,
   because the block's start is what moves). ss_renew of the newest allocation: one memmove
   of the old contents when it grows (the block's start moves down), nothing when it shrinks
   (the bytes above the new end stay dead until the scope is discarded).

   REQUESTS LARGER THAN THE GUARD

   ss_alloc takes an `unsigned` count: at most 16 GiB, which the guard below every OS-backed
   region (ss_region.h) always covers, so it needs no check. ss_new, ss_new_aligned,
   ss_alloc_aligned and ss_alloc_bytes take a size_t: one request could step over any guard,
   and count x size could overflow. So they refuse, with a message naming the request and the
   call site (file:line) and abort, any request whose count x size (plus alignment padding)
   exceeds SS_REGION_GUARD_MIN (32 GiB, the smallest guard a region gets), whatever the
   region, and any count x size that overflows. Never NULL, never a smaller block. Cost
   (secondstack/test/asm_check.py, gcc and clang -O2): nothing with a constant count, nor with an
   `unsigned` count of a type of at most 8 bytes (it cannot reach the limit); otherwise one
   compare and one branch to a cold call. Requests below the limit are not checked: many of
   them, never touched, can still walk past the guard (ss_region.h: the residual hole).

   SCOPES

   A scope's allocator starts where its parent's bump pointer is and allocates below it;
   the parent's pointer does not move. So a child and its parent share memory: allocating
   from the parent (or opening a second child of it) while a child is live overwrites the
   child. Scopes must nest like blocks. Release mode trusts you; debug mode reports the
   misuse with file:line. A scope costs next to nothing in release mode: begin copies the
   parent's pointer with the two words beside it (SS_CHECKED's) and stores a base, reset is
   one store, end none.

   GROWABLE ARRAYS

       // example: arrays
       SS_ARRAY(int) ids = {0};
       for (int x = 0; x < 1000; x++) ss_push(s, &ids, x);   // ids.data[0 .. ids.len)

   Nothing may live below the bump pointer (the fast path would overwrite it), so an array
   can never grow in place at its start. When it is full, the capacity doubles (first 16):
     - if the array is the newest allocation (its data is at the bump pointer), the pointer
       moves down by the old capacity and the contents slide down with memmove: nothing is
       wasted but alignment padding, the array ends using its capacity;
     - otherwise a block of twice the capacity is taken below and the contents copied; the
       old block stays dead until its scope is discarded. The blocks add up to less than
       twice the final capacity.
   Either way each push costs amortized O(1) element copies (at most one per element per
   doubling, so under two in total). Pushing to an array from an allocator whose scope was
   reset since is use-after-discard: debug mode under ASan or Valgrind reports it.
   ss_reserve grows the same way, to the first doubling that holds len + n. ss_pop of an
   empty array is reported in debug mode (release mode trusts you, as for indices).

   An SS_ARRAY(T) is an anonymous struct: two of them are different types even with the
   same T. To pass arrays between functions, name the type once:

       // example: named arrays (file scope)
       SS_ARRAY_TYPE(ints, int);                 // typedef SS_ARRAY(int) ints;
       static void collect(ss_allocator s, ints *out) { ss_push(s, out, 7); }

       // example: named arrays
       ints mine = {0};
       collect(s, &mine);

   COMPILE-TIME SWITCHES

   SS_DEBUG           the allocator becomes the seed's {start, current, end, do_logging}
                      record; every allocation is bounds-checked, scope misuse is reported
                      with file:line, allocations can be logged (SS_DEBUG_LOG=1 in the
                      environment, or ss_region_set_logging), statistics are kept
                      (ss_region_stats). Link with secondstack_debug. Debug and release
                      translation units cannot be linked together: the link fails naming
                      ss__built_with_SS_DEBUG or ss__built_without_SS_DEBUG.
   SS_NOINLINE_ALLOC  ss_alloc becomes an out-of-line call (for measuring what inlining
                      buys; define SS_DEFINE_NOINLINE_ALLOC in exactly one file).
   SS_HEADER_ONLY     use the fast path without the library: no link-time mode check, no
                      regions; point an ss_allocator at your own `float *top`. Nothing
                      checks the bottom of your buffer: size it for the worst case. Not with
                      SS_DEBUG (an #error says so: debug mode lives in the library).
   SS_CHECKED         the allocation of bumpalo and LLVM's BumpPtrAllocator, for measuring
                      what the branch-free fast path buys: one compare of the new pointer
                      with a limit stored beside it (the region's start, or the committed
                      part of a SS_REGION_GROW region) and a branch, not taken, to a cold
                      out-of-line refill, which reports exhaustion with the region and the
                      call's file:line and aborts, or commits more of a growing region at
                      the allocation (no fault). ss_alloc is exactly one `cmp` and one branch
                      more than the release path (secondstack/test/asm_check.py). Release mode keeps the
                      limit and the region beside every pointer without reading them: the
                      layout is one, checked and release units link together with the one
                      release library and share regions and scopes. A request that wraps the
                      subtraction below address 0 escapes the compare (a pointer under
                      16 GiB); on x86-64 the result is not canonical and faults at first use.
                      Excludes SS_DEBUG, SS_NOINLINE_ALLOC and SS_HEADER_ONLY.
   SS_LANES           floats in a block of a lane vector (default 8, one 32-byte vector).

   Under AddressSanitizer, memory discarded by a scope is poisoned and allocations unpoison
   it, so a use after reset is reported. The poisoning is done by inline code in your own
   translation units, so a program built with -fsanitize=address gets it from the
   installed libraries too, release or debug. Valgrind (memcheck) gets the same in debug
   mode.

   C++: the header compiles as C++17 (g++, clang++); ss_push then returns T *, and the
   typed macros use alignof.

   PLATFORMS

   Tested on Linux x86-64 (glibc; gcc 12, clang 14), and the fixed-region subset on
   WebAssembly (emscripten). The fast path is portable C; regions need mmap/mprotect and a
   SIGSEGV that reports the faulting address (POSIX systems with SA_SIGINFO). Page size is
   read at run time (4 KiB, 16 KiB and 64 KiB pages only change how many pages a growth
   step commits). A 32-bit address space has no room for the guard below a region
   (ss_region.h: the OS-backed kinds need 64 bits); the allocator itself works there.
*/
#ifndef SECONDSTACK_H
#define SECONDSTACK_H

/* The library's version; CMake reads it from here (secondstack/CMakeLists.txt). */
#define SS_VERSION_MAJOR 0
#define SS_VERSION_MINOR 2
#define SS_VERSION_PATCH 0
#define SS_VERSION (SS_VERSION_MAJOR * 10000 + SS_VERSION_MINOR * 100 + SS_VERSION_PATCH)

#if defined(SS_HEADER_ONLY) && defined(SS_DEBUG)
#error "secondstack: SS_DEBUG needs the library (link secondstack_debug); drop SS_HEADER_ONLY, or SS_DEBUG"
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
#define SS__ALIGNOF(T) alignof(T)
#else
#define SS__ALIGNOF(T) _Alignof(T)
#endif

#ifdef __cplusplus
extern "C" {
#endif

//~ Sanitizer hooks: the release fast path stays two instructions unless ASan is on.

#if defined(__SANITIZE_ADDRESS__)
#define SS__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SS__ASAN 1
#endif
#endif

#ifdef SS__ASAN
#include <sanitizer/asan_interface.h>
#define SS__POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define SS__UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define SS__POISON(p, n) ((void)(p), (void)(n))
#define SS__UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define SS_ARRAY_MIN_CAP 16

//~ Types

typedef struct ss_region ss_region;
typedef struct ss_scope ss_scope;

#ifdef SS_DEBUG

/* The seed's debug allocator. The region's memory is [start, end_of_region); this
   allocator owns [current, end) and may allocate down to start. */
struct ss__dbg {
    float *start;
    float *current;
    float *end;
    int do_logging;
    ss_region *region;
    ss_scope *scope; /* the scope this allocator belongs to; NULL for a region's root */
};
typedef struct ss__dbg *ss_allocator;

struct ss_scope {
    struct ss__dbg a;
    ss_scope *outer; /* the innermost scope when this one began */
    ss_allocator parent;
    const char *file;
    int line;
    int open;
    size_t peak;
};

#else

typedef float **ss_allocator;

/* What an allocator points into: the bump pointer first, then what SS_CHECKED's fast path
   compares it with (the lowest address it may reach) and the region, for the report. Release
   mode keeps them and never reads them, so units of the two modes link and share regions. */
struct ss__bump {
    float *top; /* the allocator is &top */
    float *limit;
    ss_region *region;
};

struct ss_scope {
    struct ss__bump a;
    float *base;
};

#endif

/* Statistics, one X-macro list: the struct, the CSV header and the row come from it.
   Kept in debug mode; in release mode only `in_use` is filled. */
#define SS_STATS(X)                                                                   \
    X(in_use, "bytes between the root allocator's pointer and the top of the region") \
    X(high_water, "bytes: the deepest any bump pointer went below the top")           \
    X(allocations, "allocation calls")                                                \
    X(bytes_requested, "bytes asked for, before alignment")                          \
    X(scopes_opened, "scopes begun")                                                  \
    X(max_depth, "deepest nesting of live scopes")                                    \
    X(largest_scope, "bytes: the most any one scope held at once")

typedef struct ss_stats {
#define SS__X(name, doc) size_t name;
    SS_STATS(SS__X)
#undef SS__X
} ss_stats;

/* The region record. Its fields are the library's; read them through functions. */
struct ss_region {
#ifdef SS_DEBUG
    struct ss__dbg root;
    ss_scope *innermost;
    /* where the innermost scope began, copied: a scope leaked by a return is dead memory */
    const char *innermost_file;
    int innermost_line;
    size_t depth;
    ss_stats stats;
#else
    struct ss__bump root; /* the root allocator is &root.top */
#endif
    char *lo, *hi; /* usable memory: [lo, hi) */
    const char *name;
    int kind;
    void *mem;       /* what to give back on destroy (backend-specific) */
    size_t mem_size; /* bytes of `mem` */
    void *os;        /* backend state for OS-backed kinds (ss_region.h) */
};

//~ Link-time mode check: a debug and a release unit in one program fail to link.

#ifndef SS_HEADER_ONLY
#ifdef SS_DEBUG
extern const char ss__built_with_SS_DEBUG;
__attribute__((used)) static const char *const ss__mode_check = &ss__built_with_SS_DEBUG;
#else
extern const char ss__built_without_SS_DEBUG;
__attribute__((used)) static const char *const ss__mode_check = &ss__built_without_SS_DEBUG;
#endif
#endif

//~ The fast path (release)

#if defined(SS_CHECKED) && (defined(SS_DEBUG) || defined(SS_NOINLINE_ALLOC) || defined(SS_HEADER_ONLY))
#error "SS_CHECKED excludes SS_DEBUG, SS_NOINLINE_ALLOC and SS_HEADER_ONLY (it calls the library's refill)"
#endif

#if !defined(SS_DEBUG) && !defined(SS_CHECKED)

#ifdef SS_NOINLINE_ALLOC
float *ss_alloc(ss_allocator s, unsigned n);
#ifdef SS_DEFINE_NOINLINE_ALLOC
__attribute__((noinline)) float *ss_alloc(ss_allocator s, unsigned n) {
    *s -= n;
    SS__UNPOISON(*s, (size_t)n * sizeof(float));
    return *s;
}
#endif
#else
/* Two instructions inlined: subtract, (shift). No branch, no call. */
static inline float *ss_alloc(ss_allocator s, unsigned n) {
    *s -= n;
    SS__UNPOISON(*s, (size_t)n * sizeof(float));
    return *s;
}
#endif

/* The bump behind ss_alloc_bytes and ss_new (checked first: "Requests larger than the
   guard" below). */
static inline void *ss__bump_bytes(ss_allocator s, size_t bytes, size_t align) {
    char *p = (char *)*s - bytes;
    /* Never below 4: the float fast path relies on the pointer staying float-aligned. */
    size_t a = align < sizeof(float) ? sizeof(float) : align;
    p -= (uintptr_t)p & (a - 1);
    *s = (float *)(void *)p;
    SS__UNPOISON(p, bytes);
    return p;
}

#define SS__ALLOC_AT(s, bytes, align, file, line) ((void)(file), (void)(line), ss__bump_bytes((s), (bytes), (align)))

#elif defined(SS_CHECKED) /* one compare more, a cold refill; see COMPILE-TIME SWITCHES */

__attribute__((noinline, cold)) void *ss__checked_refill(ss_allocator s, size_t bytes, size_t align,
                                                         const char *file, int line);

/* Three instructions inlined, as the release path, plus one compare with the limit beside the
   pointer and one branch, not taken, to the refill. */
static inline float *ss__checked_alloc(ss_allocator s, unsigned n, const char *file, int line) {
    struct ss__bump *b = (struct ss__bump *)(void *)s;
    float *p = b->top - n;
    if (__builtin_expect((uintptr_t)p < (uintptr_t)b->limit, 0))
        return (float *)ss__checked_refill(s, (size_t)n * sizeof(float), sizeof(float), file, line);
    b->top = p;
    SS__UNPOISON(p, (size_t)n * sizeof(float));
    return p;
}

static inline void *ss__checked_alloc_bytes(ss_allocator s, size_t bytes, size_t align, const char *file,
                                            int line) {
    struct ss__bump *b = (struct ss__bump *)(void *)s;
    char *p = (char *)b->top - bytes;
    size_t a = align < sizeof(float) ? sizeof(float) : align;
    p -= (uintptr_t)p & (a - 1);
    if (__builtin_expect((uintptr_t)p < (uintptr_t)b->limit, 0)) return ss__checked_refill(s, bytes, align, file, line);
    b->top = (float *)(void *)p;
    SS__UNPOISON(p, bytes);
    return p;
}

#define ss_alloc(s, n) ss__checked_alloc((s), (n), __FILE__, __LINE__)
#define SS__ALLOC_AT(s, bytes, align, file, line) ss__checked_alloc_bytes((s), (bytes), (align), (file), (line))

#endif

#ifndef SS_DEBUG /* release and SS_CHECKED: scopes */

static inline ss_allocator ss_scope_begin(ss_scope *sc, ss_allocator parent) {
#ifdef SS_HEADER_ONLY
    sc->a.top = *parent; /* the caller's own `float *top`: nothing beside it */
#else
    sc->a = *(const struct ss__bump *)(const void *)parent;
#endif
    sc->base = sc->a.top;
    return &sc->a.top;
}

static inline void ss_scope_reset(ss_scope *sc) {
    SS__POISON(sc->a.top, (size_t)((char *)sc->base - (char *)sc->a.top));
    sc->a.top = sc->base;
}

static inline void ss_scope_end(ss_scope *sc) { ss_scope_reset(sc); }

/* Release mode keeps no history: what the scope holds now. */
static inline size_t ss_scope_peak(const ss_scope *sc) {
    return (size_t)((char *)sc->base - (char *)sc->a.top);
}

#define SS__TOP(s) ((char *)*(s))
#define SS__POP_INDEX(a) (--(a)->len)

#else /* SS_DEBUG: everything goes through checked, out-of-line functions (src/debug.c) */

void *ss__debug_alloc(ss_allocator s, size_t bytes, size_t align, const char *file, int line);
__attribute__((noreturn, format(printf, 3, 4))) void ss__debug_fail_at(const char *file, int line,
                                                                       const char *fmt, ...);
ss_allocator ss__debug_scope_begin(ss_scope *sc, ss_allocator parent, const char *file, int line);
void ss__debug_scope_reset(ss_scope *sc, const char *file, int line);
void ss__debug_scope_end(ss_scope *sc, const char *file, int line);
size_t ss__debug_pop(size_t len, const char *file, int line);

#ifdef SS__ASAN
/* This unit is built with ASan, the library perhaps not: poison and unpoison here too. */
static inline void *ss__debug_alloc_asan(ss_allocator s, size_t bytes, size_t align, const char *file, int line) {
    void *p = ss__debug_alloc(s, bytes, align, file, line);
    SS__UNPOISON(p, bytes);
    return p;
}
static inline void ss__debug_scope_discard_asan(ss_scope *sc, int end, const char *file, int line) {
    char *from = (char *)sc->a.current;
    if (end)
        ss__debug_scope_end(sc, file, line);
    else
        ss__debug_scope_reset(sc, file, line);
    SS__POISON(from, (size_t)((char *)sc->a.end - from));
}
#define SS__DEBUG_ALLOC ss__debug_alloc_asan
#define ss_scope_reset(sc) ss__debug_scope_discard_asan((sc), 0, __FILE__, __LINE__)
#define ss_scope_end(sc) ss__debug_scope_discard_asan((sc), 1, __FILE__, __LINE__)
#else
#define SS__DEBUG_ALLOC ss__debug_alloc
#define ss_scope_reset(sc) ss__debug_scope_reset((sc), __FILE__, __LINE__)
#define ss_scope_end(sc) ss__debug_scope_end((sc), __FILE__, __LINE__)
#endif

#define ss_alloc(s, n) \
    ((float *)SS__DEBUG_ALLOC((s), (size_t)(n) * sizeof(float), sizeof(float), __FILE__, __LINE__))
#define ss_scope_begin(sc, parent) ss__debug_scope_begin((sc), (parent), __FILE__, __LINE__)

static inline size_t ss_scope_peak(const ss_scope *sc) {
    size_t now = (size_t)((char *)sc->a.end - (char *)sc->a.current);
    return now > sc->peak ? now : sc->peak;
}

#define SS__TOP(s) ((char *)(s)->current)
#define SS__ALLOC_AT(s, bytes, align, file, line) SS__DEBUG_ALLOC((s), (bytes), (align), (file), (line))
#define SS__POP_INDEX(a) ((a)->len = ss__debug_pop((a)->len, __FILE__, __LINE__))

#endif

//~ Requests larger than the guard

/* The smallest guard an OS-backed region gets (ss_region.h): no request may be larger, in
   any region, so that one request from inside a region lands in its guard. */
#if SIZE_MAX > 0xffffffffu
#define SS_REGION_GUARD_MIN ((size_t)1 << 35)
#else
#define SS_REGION_GUARD_MIN ((size_t)1 << 28)
#endif

/* The refusal: out of line, cold, prints the request and its call site and aborts. Never
   NULL (nobody checks ss_new), never a clamp (a smaller block than asked is written past
   its end, into live data above). It never returns, but is not declared noreturn and
   reaches abort through a pointer the compilers cannot see through: then the caller can
   jump to it (a tail call) instead of calling it. With noreturn, clang 14 -O2 gave every
   caller a stack frame (push/pop) on its hot path; asm_check.py keeps that path at one
   compare and one branch. */
__attribute__((noinline, cold, unused)) static void *ss__request_refused(ss_allocator s, size_t count, size_t size,
                                                                         size_t align, const char *file, int line) {
    size_t bytes;
    char where[160];
#ifdef SS_DEBUG
    snprintf(where, sizeof where, "region '%s'", s != NULL && s->region != NULL ? s->region->name : "?");
#else
    snprintf(where, sizeof where, "bump pointer %p", s != NULL ? (void *)*s : NULL);
#endif
    fflush(stdout);
    if (__builtin_mul_overflow(count, size, &bytes))
        fprintf(stderr, "secondstack: %s:%d: request of %zu x %zu bytes overflows size_t (%s): refused\n", file,
                line, count, size, where);
    else
        fprintf(stderr,
                "secondstack: %s:%d: request of %zu bytes (%zu x %zu, align %zu) is larger than any region's "
                "guard (SS_REGION_GUARD_MIN, %zu bytes; %s): refused\n",
                file, line, bytes, count, size, align, (size_t)SS_REGION_GUARD_MIN, where);
    void (*volatile end)(void) = abort;
    end();
    void *volatile never = NULL;
    return never;
}

/* count elements of `size` bytes: one compare against a constant when size and align are
   constants (ss_new), folded away when count is constant too or its type cannot reach the
   limit (an unsigned int count with sizeof(T) <= 8). The alignment padding (< a) is counted
   in, so the block's lowest byte is inside the guard. */
static inline void *ss__alloc_n(ss_allocator s, size_t count, size_t size, size_t align, const char *file,
                                int line) {
    size_t a = align < sizeof(float) ? sizeof(float) : align;
    if (__builtin_expect(count > (SS_REGION_GUARD_MIN - a) / size, 0))
        return ss__request_refused(s, count, size, align, file, line);
    return SS__ALLOC_AT(s, count * size, align, file, line);
}

//~ Typed allocation

#define ss_alloc_bytes(s, bytes, align) ss__alloc_n((s), (size_t)(bytes), 1, (align), __FILE__, __LINE__)
#define ss_alloc_aligned(s, n, align) \
    ((float *)ss__alloc_n((s), (size_t)(n), sizeof(float), (align), __FILE__, __LINE__))
#define ss_new(s, T, count) \
    ((T *)ss__alloc_n((s), (size_t)(count), sizeof(T), SS__ALIGNOF(T), __FILE__, __LINE__))
#define ss_new_aligned(s, T, count, align)                                                                   \
    ((T *)ss__alloc_n((s), (size_t)(count), sizeof(T),                                                      \
                      (size_t)(align) > SS__ALIGNOF(T) ? (size_t)(align) : SS__ALIGNOF(T), __FILE__, __LINE__))

static inline void *ss__zeroed(void *p, size_t bytes) { return memset(p, 0, bytes); }

/* `count` is evaluated twice. */
#define ss_new_zero(s, T, count) ((T *)ss__zeroed(ss_new((s), T, (count)), sizeof(T) * (size_t)(count)))

/* The block p of old_count elements of `size` bytes resized to new_count. The newest
   allocation (p at the bump pointer) is resized where it is: growing moves its start down and
   slides the contents, shrinking leaves it (the tail stays dead). Anything else is copied to
   a fresh block. Requests are checked as ss_new's. */
static inline void *ss__renew_at(ss_allocator s, void *p, size_t old_count, size_t new_count, size_t size,
                                 size_t align, const char *file, int line) {
    char *old = (char *)p;
    if (new_count <= old_count && old != NULL) return old;
    char *q;
    if (old != NULL && old == SS__TOP(s)) {
        q = (char *)ss__alloc_n(s, new_count - old_count, size, align, file, line);
        memmove(q, old, old_count * size);
    } else {
        q = (char *)ss__alloc_n(s, new_count, size, align, file, line);
        if (old_count) memcpy(q, old, old_count * size);
    }
    return q;
}
#define ss_renew(s, T, p, old_count, new_count)                                                        \
    ((T *)ss__renew_at((s), (p), (size_t)(old_count), (size_t)(new_count), sizeof(T), SS__ALIGNOF(T), \
                       __FILE__, __LINE__))

//~ Strings

/* A copy of at most n chars of str, '\0'-terminated (memchr stops at the first '\0', C11). */
static inline char *ss__strndup_at(ss_allocator s, const char *str, size_t n, const char *file, int line) {
    const char *nul = (const char *)memchr(str, '\0', n);
    size_t len = nul ? (size_t)(nul - str) : n;
    char *p = (char *)SS__ALLOC_AT(s, len + 1, 1, file, line);
    memcpy(p, str, len);
    p[len] = '\0';
    return p;
}
#define ss_strdup(s, str) ss__strndup_at((s), (str), SIZE_MAX, __FILE__, __LINE__)
#define ss_strndup(s, str, n) ss__strndup_at((s), (str), (n), __FILE__, __LINE__)

/* NULL (errno from vsnprintf) only if the format cannot be rendered (an encoding error). */
static inline char *ss__vsprintf_at(ss_allocator s, const char *file, int line, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    char *p = NULL;
    if (len >= 0) {
        p = (char *)SS__ALLOC_AT(s, (size_t)len + 1, 1, file, line);
        vsnprintf(p, (size_t)len + 1, fmt, again);
    }
    va_end(again);
    return p;
}
__attribute__((format(printf, 4, 5), unused)) static char *ss__sprintf_at(ss_allocator s, const char *file,
                                                                           int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = ss__vsprintf_at(s, file, line, fmt, ap);
    va_end(ap);
    return p;
}
#define ss_sprintf(s, ...) ss__sprintf_at((s), __FILE__, __LINE__, __VA_ARGS__)
#define ss_vsprintf(s, fmt, ap) ss__vsprintf_at((s), __FILE__, __LINE__, (fmt), (ap))

//~ Growable arrays

#define SS_ARRAY(T)   \
    struct {          \
        T *data;      \
        size_t len;   \
        size_t cap;   \
    }
#define SS_ARRAY_TYPE(name, T) typedef SS_ARRAY(T) name

static inline size_t ss__array_next_cap(size_t cap) { return cap ? 2 * cap : SS_ARRAY_MIN_CAP; }

/* The capacity after growth to hold `need`: doubling from SS_ARRAY_MIN_CAP (ss_reserve). */
static inline size_t ss__array_cap_for(size_t cap, size_t need) {
    size_t c = ss__array_next_cap(cap);
    while (c < need) c *= 2;
    return c;
}

/* The slow path of ss_push and ss_reserve, out of line and cold. It takes the array's
   fields by value and returns the new data (of capacity ncap), so the array's address never
   escapes and the compiler keeps data, len and cap in registers around the push. It copies
   the whole old capacity rather than len elements: one argument fewer (eight fit where the
   callers of ss_push keep their registers; a ninth cost a reload per push, perf-check's
   push/two) and at a push len is the capacity anyway. */
__attribute__((noinline, cold, unused)) static void *ss__array_grow(ss_allocator s, void *data, size_t cap,
                                                                    size_t ncap, size_t size, size_t align,
                                                                    const char *file, int line) {
    char *old = (char *)data;
    char *p;
    if (old != NULL && old == SS__TOP(s)) {
        /* The newest allocation: extend downward by the missing capacity, slide the contents. */
        p = (char *)ss__alloc_n(s, ncap - cap, size, align, file, line);
        memmove(p, old, cap * size);
    } else {
        p = (char *)ss__alloc_n(s, ncap, size, align, file, line);
        if (cap) memcpy(p, old, cap * size);
    }
    return p;
}

#ifdef __cplusplus
#define SS__AS_TYPE_OF(x) (decltype(x))
#else
#define SS__AS_TYPE_OF(x)
#endif

/* Grows *a to capacity ncap (evaluated twice: ss_push passes the next doubling, a
   loop-free expression, so that the hot path around a push keeps its registers). */
#define SS__ARRAY_GROW(s, a, ncap)                                                                    \
    (void)((a)->data = SS__AS_TYPE_OF((a)->data)                                                      \
               ss__array_grow((s), (a)->data, (a)->cap, (ncap), sizeof *(a)->data,                    \
                              __alignof__(*(a)->data), __FILE__, __LINE__),                           \
           (a)->cap = (ncap))

/* Through a function, so that a push used as a statement draws no unused-value warning; in
   C++ it keeps the element's type. */
#ifdef __cplusplus
}
template <class T> static inline T *ss__pushed(T *element) { return element; }
extern "C" {
#else
static inline void *ss__pushed(void *element) { return element; }
#endif

/* Appends `value` to *a (an SS_ARRAY(T) *); returns the new element's address (a void * in
   C, which converts to T * without a cast; a T * in C++). `a` is evaluated several times. */
#define ss_push(s, a, ...)                                                          \
    ((a)->len == (a)->cap ? SS__ARRAY_GROW((s), (a), ss__array_next_cap((a)->cap)) : (void)0, \
     (a)->data[(a)->len] = (__VA_ARGS__), ss__pushed(&(a)->data[(a)->len++]))

/* Room for n more elements without growth; `a` and `n` are evaluated several times. */
#define ss_reserve(s, a, n) \
    ((a)->cap - (a)->len < (size_t)(n) ? SS__ARRAY_GROW((s), (a), ss__array_cap_for((a)->cap, (a)->len + (size_t)(n))) \
                                       : (void)0)

/* The last element, removed. Debug mode reports a pop of an empty array. */
#define ss_pop(a) ((a)->data[SS__POP_INDEX(a)])

#define ss_clear(a) ((void)((a)->len = 0))

//~ Vector code: a fresh allocation's promises, handed to the compiler

/* What the bump allocator can promise about a new vector, and how vector code hands it to
   the compiler so that gcc -O2 vectorizes too, not only clang.

   THE PROMISES

   Fresh. Nothing live lies below the bump pointer, so a new allocation overlaps nothing that
   is live: a kernel that fills a result may take it as a `restrict` pointer (SS_FRESH).
   Aligned. ss_alloc_lanes starts a lane vector on a block (SS_LANES floats, 32 bytes) and
   says so (__builtin_assume_aligned); ss_lanes_in says it of an input.
   Padded. A lane vector of n holds ss_lanes_padded(n) floats: the blocks that hold lanes
   [0, n) and one spare block. Its pads, the lanes from n on, are +0.0f: every kernel ends by
   writing them (ss_lanes_clear_pads, or ss_lanes_clear_spare after a + b, a − b, a · b, which
   give +0.0f from +0.0f), so they never hold garbage or subnormals and nothing in them
   reaches a real lane. A kernel then works in whole blocks, from anywhere in [0, n]: a shift
   or rotation may read and write one partial block past n, inside the pads, and clear them.

   WHEN SS_FRESH IS SOUND

   Only on a kernel's one written pointer, a result fresh from ss_alloc_lanes that no input
   overlaps; the inputs are only read and may alias each other. Never on a copy into memory
   that is not fresh (a matrix column: set_col is memcpy) nor on an in-place update (the
   result is an input). An input from a scope that was discarded, or from anywhere below the
   bump pointer, breaks it: the fresh result may be that very memory. Debug mode checks what
   it can in ss_lanes_in: the input is aligned, does not lie below the bump pointer of its
   region, and its pads are +0.0f (each reported with file:line).

   WHAT IT COSTS

   Memory: ss_lanes_padded(n) − n floats a vector, SS_LANES to 2·SS_LANES − 1 (n = 4: 16
   floats for 4; n = 1024: 1032). Time: ss_alloc_lanes is ss_alloc_bytes (the fast path and
   an `and`), a clear is one or two 32-byte stores per result.

   THE PATTERN

       // example: lanes (file scope)
       static inline void add_lanes(float *SS_FRESH r, const float *a, const float *b, unsigned n) {
           SS_LANES_FOR(i, n) r[i] = a[i] + b[i];    // i over whole blocks: [0, ss_lanes_blocks(n)·SS_LANES)
           ss_lanes_clear_spare(r, n);               // a + b of +0.0f pads is +0.0f; else ss_lanes_clear_pads
       }
       static inline float *add(ss_allocator s, const float *a, const float *b, unsigned n) {
           float *r = ss_alloc_lanes(s, n);
           add_lanes(r, ss_lanes_in(s, a, n), ss_lanes_in(s, b, n), n);
           return r;
       }

       // example: lanes
       float *x = ss_alloc_lanes(s, n), *y = ss_alloc_lanes(s, n);
       for (unsigned i = 0; i < ss_lanes_padded(n); i++) x[i] = y[i] = i < n ? (float)i : 0.0f;
       float *sum = add(s, x, y, n);
       if (sum[n - 1] != 2.0f * (float)(n - 1) || sum[n] != 0.0f) return 1;

   WHY IT WORKS (gcc 12.2 and clang 14, -O2 -march=x86-64-v3, inlined into a loop of steps)

   gcc -O2 uses its "very cheap" cost model: it vectorizes a loop only if that needs neither
   a run-time alias check nor scalar iterations peeled before or after it.
     - Without SS_FRESH: "versioning for alias required: can't determine dependence between
       ..." and "would need a runtime alias check": not vectorized. `restrict` on a local
       pointer instead of the parameter is not seen. gcc keeps the promise of an inlined
       helper's restrict parameters (dependence cliques) for the loops inside that helper.
     - A flat loop over a padded length inside the loop of steps, for (i = 0; i < (n + 7) /
       8 * 8; i++): the count is a multiple of 8, but gcc does not see it: "cost model:
       epilogue peel iters set to vf/2 because loop iterations are unknown", "some scalar
       iterations would need to be peeled": not vectorized (tests/rk4_vectorized.py keeps
       this reproducer). Whether gcc sees it depends on how the count is written (a product
       ss_lanes_blocks(n) * SS_LANES it does see); SS_LANES_FOR does not depend on that.
     - The loop of SS_LANES lanes in SS_LANES_FOR runs exactly one vector: "loop vectorized
       using 32 byte vectors", no epilogue, no check; the loop over blocks around it stays
       a plain loop ("couldn't vectorize loop", at the same place: the outer loop of a
       vectorized one). At -O3 gcc unrolls the lanes first: "basic block part vectorized
       using 32 byte vectors".
   clang -O2 unrolls the lanes and vectorizes their statements ("Stores SLP vectorized"); it
   would then vectorize the loop over blocks too ("vectorized loop (vectorization width: 8,
   interleaved count: 1)"), transposing 8 blocks with shuffles, which SS_LANES_FOR forbids
   it. A flat loop it vectorizes 32 floats at a time, leaving a scalar loop for the rest:
   all of n = 16. Without SS_FRESH clang vectorizes as well, behind a run-time alias check.
   A loop that only copies or stores a constant is a library call to both compilers:
   ss_lanes_copy and the clears say how they stay vector moves. */

#ifndef SS_LANES
#define SS_LANES 8 /* floats in a block: one 32-byte AVX vector */
#endif
#if SS_LANES < 1 || (SS_LANES & (SS_LANES - 1)) != 0
#error "SS_LANES must be a power of two"
#endif
#define SS__LANES_ALIGN (SS_LANES * sizeof(float))

#ifdef __cplusplus
#define SS_FRESH __restrict
#else
#define SS_FRESH restrict
#endif

/* ⌈n / SS_LANES⌉, without the overflow of (n + SS_LANES − 1). */
static inline unsigned ss_lanes_blocks(unsigned n) { return n / SS_LANES + (n % SS_LANES != 0); }

/* The loop of a kernel: i runs over [0, ss_lanes_blocks(n) · SS_LANES), as a loop over blocks
   around a loop of SS_LANES lanes (see WHY IT WORKS). clang is told not to vectorize the loop
   over blocks as well: it would, across 8 blocks at a time, as a group of interleaved
   accesses that it transposes with shuffles (5 times the instructions of the plain bump loop
   in RK4's decay step at n = 1024). */
#if defined(__clang__)
#define SS__LANES_OUTER _Pragma("clang loop vectorize(disable) interleave(disable)")
#else
#define SS__LANES_OUTER
#endif
#define SS_LANES_FOR(i, n)                                                                              \
    SS__LANES_OUTER for (size_t ss__k = 0, ss__blocks = ss_lanes_blocks(n); ss__k < ss__blocks; ss__k++) \
        for (size_t ss__j = 0, i = ss__k * SS_LANES; ss__j < SS_LANES; ss__j++, i++)

/* The blocks holding n lanes and one more: the pads of a lane vector are at least one block
   long, so a kernel may read or write one whole block that starts anywhere in [0, n]. */
static inline size_t ss_lanes_padded(unsigned n) { return ((size_t)ss_lanes_blocks(n) + 1) * SS_LANES; }

#define ss_alloc_lanes(s, n) ss__alloc_lanes((s), (n), __FILE__, __LINE__)

static inline float *ss__alloc_lanes(ss_allocator s, unsigned n, const char *file, int line) {
    (void)file;
    (void)line;
    void *p = SS__ALLOC_AT(s, ss_lanes_padded(n) * sizeof(float), SS__LANES_ALIGN, file, line);
    return (float *)__builtin_assume_aligned(p, SS__LANES_ALIGN);
}

/* +0.0f into one block at b. A loop that stores a constant is a memset to both compilers,
   and gcc expands a 32-byte memset as two 16-byte stores, which a later 32-byte load of the
   block cannot take its data from (store forwarding fails, the load waits for both to
   retire). The zero passed through an empty asm statement is not a constant: the loop stays
   a loop, which both vectorize into one 32-byte store. */
static inline void ss__lanes_zero_block(float *SS_FRESH b) {
    float zero = 0.0f;
#if defined(__x86_64__) || defined(__i386__)
    __asm__("" : "+x"(zero));
#endif
    for (unsigned j = 0; j < SS_LANES; j++) b[j] = zero;
}

/* +0.0f into every pad of r, lanes [n, ss_lanes_padded(n)): the block at n and the spare. */
static inline void ss_lanes_clear_pads(float *SS_FRESH r, unsigned n) {
    ss__lanes_zero_block(r + n);
    ss__lanes_zero_block(r + (size_t)ss_lanes_blocks(n) * SS_LANES);
}

/* +0.0f into the spare block only, after a kernel that wrote every lane of the blocks of n
   from inputs whose pads are +0.0f, by an operation that gives +0.0f from +0.0f there:
   a + b, a − b, a · b (round to nearest). */
static inline void ss_lanes_clear_spare(float *SS_FRESH r, unsigned n) {
    ss__lanes_zero_block(r + (size_t)ss_lanes_blocks(n) * SS_LANES);
}

/* to[0, blocks·SS_LANES) = from[...]: whole blocks, either end anywhere. A loop that only
   copies becomes a call of memcpy or memmove at -O2 (gcc's loop distribution, LLVM's
   loop-idiom pass), and so does a lone block copy (a count the compiler knows is 1); at
   the lengths of lane vectors the call costs more than the copy, and memmove is what gcc
   calls when the freshness of `to` was lost in inlining. Two empty asm statements keep it a
   loop of blocks, each block one 32-byte move: the first hides the count, the second, in
   the loop, makes the nest something other than one copy. */
static inline void ss_lanes_copy(float *SS_FRESH to, const float *from, size_t blocks) {
    __asm__("" : "+r"(blocks));
    for (size_t k = 0; k < blocks; k++) {
        for (size_t j = 0; j < SS_LANES; j++) to[k * SS_LANES + j] = from[k * SS_LANES + j];
        __asm__("");
    }
}

#ifndef SS_DEBUG
static inline const float *ss_lanes_in(ss_allocator s, const float *p, unsigned n) {
    (void)s;
    (void)n;
    return (const float *)__builtin_assume_aligned(p, SS__LANES_ALIGN);
}
#else
const float *ss__debug_lanes_in(ss_allocator s, const float *p, unsigned n, unsigned lanes, const char *file,
                                int line);
#define ss_lanes_in(s, p, n) \
    ((const float *)__builtin_assume_aligned(ss__debug_lanes_in((s), (p), (n), SS_LANES, __FILE__, __LINE__), SS__LANES_ALIGN))
#endif

#ifdef __cplusplus
}
#endif

#endif /* SECONDSTACK_H */
