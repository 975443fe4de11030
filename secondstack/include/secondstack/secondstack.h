/* secondstack.h — a bump allocator the compiler can reason about.

   A region is a block of memory; an allocator is a pointer to its bump pointer, which moves
   *down* through the region, like a second stack. Allocation is two instructions and never
   checks anything: safety comes from what lies below the region (a guard the MMU enforces,
   see ss_region.h) and, while developing, from the debug mode below. Nothing is freed one
   object at a time: scopes are discarded.

   USAGE

       ss_region r;
       if (ss_region_create(&r, "work", 1 << 20) != 0) ...;   // see ss_region.h
       ss_allocator s = ss_region_allocator(&r);

       float *v = ss_alloc(s, n);                 // n floats, 4-byte aligned
       ss_scope step;
       ss_allocator t = ss_scope_begin(&step, s); // a child: allocates below s
       for (...) {
           ss_scope_reset(&step);                 // discard what the last iteration made
           float *k = ss_alloc(t, n);
       }
       ss_scope_end(&step);                       // s may allocate again

   API (each by its signature; T is a type)

       typedef float **ss_allocator;
       float *ss_alloc(ss_allocator s, unsigned n);              n floats (the fast path)
       float *ss_alloc_aligned(ss_allocator s, unsigned n, size_t align);
       T     *ss_new(ss_allocator s, T, size_t count);           count T, aligned for T
       T     *ss_new_aligned(ss_allocator s, T, size_t count, size_t align);
       void  *ss_alloc_bytes(ss_allocator s, size_t bytes, size_t align);
       ss_allocator ss_scope_begin(ss_scope *sc, ss_allocator parent);
       void   ss_scope_reset(ss_scope *sc);                      discard, stay open
       void   ss_scope_end(ss_scope *sc);                        discard, close
       size_t ss_scope_peak(const ss_scope *sc);                 bytes held at most (debug)
       SS_ARRAY(T)                                               {T *data; size_t len, cap;}
       void  *ss_push(ss_allocator s, SS_ARRAY(T) *a, T value);  append, return &new; amortized O(1)

     Vector code (the section of that name below: lane vectors, fresh, aligned and padded)
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
   float fast path stays aligned after any typed allocation.

   COSTS

   ss_alloc inlined with the pointer in a register: one subtract (and the shift of n), the
   seed's "two instructions". Called with the pointer in memory: load, subtract, store.
   No branch, no call: tests/asm_check.py proves it for gcc and clang at -O2.
   ss_new with a constant count and type: the same plus one `and` to align.

   SCOPES

   A scope's allocator starts where its parent's bump pointer is and allocates below it;
   the parent's pointer does not move. So a child and its parent share memory: allocating
   from the parent (or opening a second child of it) while a child is live overwrites the
   child. Scopes must nest like blocks. Release mode trusts you; debug mode reports the
   misuse with file:line. A scope costs next to nothing in release mode: begin copies the
   parent's pointer with the two words beside it (SS_CHECKED's) and stores a base, reset is
   one store, end none.

   GROWABLE ARRAYS

       SS_ARRAY(int) ids = {0};
       for (...) ss_push(s, &ids, x);            // ids.data[0 .. ids.len)

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
                      regions; point an ss_allocator at your own `float *top`.
   SS_CHECKED         the allocation of bumpalo and LLVM's BumpPtrAllocator, for measuring
                      what the branch-free fast path buys: one compare of the new pointer
                      with a limit stored beside it (the region's start, or the committed
                      part of a SS_REGION_GROW region) and a branch, not taken, to a cold
                      out-of-line refill, which reports exhaustion with the region and the
                      call's file:line and aborts, or commits more of a growing region at
                      the allocation (no fault). ss_alloc is exactly one `cmp` and one branch
                      more than the release path (tests/asm_check.py). Release mode keeps the
                      limit and the region beside every pointer without reading them: the
                      layout is one, checked and release units link together with the one
                      release library and share regions and scopes. A request that wraps the
                      subtraction below address 0 escapes the compare (a pointer under
                      16 GiB); on x86-64 the result is not canonical and faults at first use.
                      Excludes SS_DEBUG, SS_NOINLINE_ALLOC and SS_HEADER_ONLY.
   SS_LANES           floats in a block of a lane vector (default 8, one 32-byte vector).

   Under AddressSanitizer, memory discarded by a scope is poisoned and allocations unpoison
   it, so a use after reset is reported. Valgrind (memcheck) gets the same in debug mode.
*/
#ifndef SECONDSTACK_H
#define SECONDSTACK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

static inline void *ss_alloc_bytes(ss_allocator s, size_t bytes, size_t align) {
    char *p = (char *)*s - bytes;
    /* Never below 4: the float fast path relies on the pointer staying float-aligned. */
    size_t a = align < sizeof(float) ? sizeof(float) : align;
    p -= (uintptr_t)p & (a - 1);
    *s = (float *)(void *)p;
    SS__UNPOISON(p, bytes);
    return p;
}

#define SS__ALLOC_AT(s, bytes, align, file, line) ((void)(file), (void)(line), ss_alloc_bytes((s), (bytes), (align)))

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
#define ss_alloc_bytes(s, bytes, align) ss__checked_alloc_bytes((s), (bytes), (align), __FILE__, __LINE__)
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

#else /* SS_DEBUG: everything goes through checked, out-of-line functions (ss_region.c) */

void *ss__debug_alloc(ss_allocator s, size_t bytes, size_t align, const char *file, int line);
__attribute__((noreturn, format(printf, 3, 4))) void ss__debug_fail_at(const char *file, int line,
                                                                       const char *fmt, ...);
ss_allocator ss__debug_scope_begin(ss_scope *sc, ss_allocator parent, const char *file, int line);
void ss__debug_scope_reset(ss_scope *sc, const char *file, int line);
void ss__debug_scope_end(ss_scope *sc, const char *file, int line);

#define ss_alloc(s, n) \
    ((float *)ss__debug_alloc((s), (size_t)(n) * sizeof(float), sizeof(float), __FILE__, __LINE__))
#define ss_alloc_bytes(s, bytes, align) ss__debug_alloc((s), (bytes), (align), __FILE__, __LINE__)
#define ss_scope_begin(sc, parent) ss__debug_scope_begin((sc), (parent), __FILE__, __LINE__)
#define ss_scope_reset(sc) ss__debug_scope_reset((sc), __FILE__, __LINE__)
#define ss_scope_end(sc) ss__debug_scope_end((sc), __FILE__, __LINE__)

static inline size_t ss_scope_peak(const ss_scope *sc) {
    size_t now = (size_t)((char *)sc->a.end - (char *)sc->a.current);
    return now > sc->peak ? now : sc->peak;
}

#define SS__TOP(s) ((char *)(s)->current)
#define SS__ALLOC_AT(s, bytes, align, file, line) ss__debug_alloc((s), (bytes), (align), (file), (line))

#endif

//~ Typed allocation

#define ss_alloc_aligned(s, n, align) \
    ((float *)ss_alloc_bytes((s), (size_t)(n) * sizeof(float), (align)))
#define ss_new(s, T, count) ((T *)ss_alloc_bytes((s), sizeof(T) * (size_t)(count), _Alignof(T)))
#define ss_new_aligned(s, T, count, align)                     \
    ((T *)ss_alloc_bytes((s), sizeof(T) * (size_t)(count), \
                         (size_t)(align) > _Alignof(T) ? (size_t)(align) : _Alignof(T)))

//~ Growable arrays

#define SS_ARRAY(T)   \
    struct {          \
        T *data;      \
        size_t len;   \
        size_t cap;   \
    }

static inline size_t ss__array_next_cap(size_t cap) { return cap ? 2 * cap : SS_ARRAY_MIN_CAP; }

/* The slow path of ss_push, out of line and cold. It takes the array's fields by value and
   returns the new data (the new capacity is ss__array_next_cap(cap)), so the array's address
   never escapes and the compiler keeps data, len and cap in registers around the push. */
__attribute__((noinline, cold, unused)) static void *ss__array_grow(ss_allocator s, void *data, size_t len,
                                                                    size_t cap, size_t size, size_t align,
                                                                    const char *file, int line) {
    size_t ncap = ss__array_next_cap(cap);
    char *old = (char *)data;
    char *p;
    if (old != NULL && old == SS__TOP(s)) {
        /* The newest allocation: extend downward by the old capacity, slide the contents. */
        p = (char *)SS__ALLOC_AT(s, (ncap - cap) * size, align, file, line);
        memmove(p, old, len * size);
    } else {
        p = (char *)SS__ALLOC_AT(s, ncap * size, align, file, line);
        if (len) memcpy(p, old, len * size);
    }
    return p;
}

/* Through a function, so that a push used as a statement draws no unused-value warning. */
static inline void *ss__pushed(void *element) { return element; }

/* Appends `value` to *a (an SS_ARRAY(T) *); returns the new element's address as a void *
   (it converts to T * without a cast). `a` is evaluated several times. */
#define ss_push(s, a, ...)                                                                        \
    ((a)->len == (a)->cap                                                                         \
         ? (void)((a)->data = ss__array_grow((s), (a)->data, (a)->len, (a)->cap, sizeof *(a)->data, \
                                             __alignof__(*(a)->data), __FILE__, __LINE__),        \
                  (a)->cap = ss__array_next_cap((a)->cap))                                        \
         : (void)0,                                                                               \
     (a)->data[(a)->len] = (__VA_ARGS__), ss__pushed(&(a)->data[(a)->len++]))

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

       static inline void add_lanes(float *SS_FRESH r, const float *a, const float *b, unsigned n) {
           SS_LANES_FOR(i, n) r[i] = a[i] + b[i];    // i over whole blocks: [0, ss_lanes_blocks(n)·SS_LANES)
           ss_lanes_clear_spare(r, n);               // a + b of +0.0f pads is +0.0f; else ss_lanes_clear_pads
       }
       static inline float *add(ss_allocator s, const float *a, const float *b, unsigned n) {
           float *r = ss_alloc_lanes(s, n);
           add_lanes(r, ss_lanes_in(s, a, n), ss_lanes_in(s, b, n), n);
           return r;
       }

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
