/* ss_region.h — where an allocator's memory comes from.
   SPDX-License-Identifier: MIT (LICENSE).

   A region is one contiguous block; its root allocator starts at the top and bumps down.

       int  ss_region_init(ss_region *r, const char *name, void *mem, size_t bytes);
                the caller's memory (it must have no declared type: malloc'd or mmap'd,
                not an array object, if ints and structs are to be allocated from it)
       int  ss_region_create(ss_region *r, const char *name, size_t bytes);
                a fixed region of `bytes` from malloc; 0 on success, -1 and errno on error
       void ss_region_destroy(ss_region *r);
       ss_allocator ss_region_allocator(ss_region *r);
       void ss_region_reset(ss_region *r);          discard everything (no scope may be live)
       size_t   ss_region_used(const ss_region *r);  bytes below the top held by the root
       size_t   ss_region_size(const ss_region *r);
       ss_stats ss_region_stats(const ss_region *r);
       void ss_region_set_logging(ss_region *r, int on);  debug mode: log each allocation
       void ss_stats_csv_header(FILE *f);  void ss_stats_csv_row(FILE *f, const ss_stats *st);
       size_t ss_region_avail(const ss_region *r, ss_allocator s);
                bytes s may still allocate from r (below its pointer, above the region's
                bottom); an inline subtraction
       void *ss_try_alloc_bytes(const ss_region *r, ss_allocator s, size_t bytes, size_t align);
       T    *ss_try_new(const ss_region *r, ss_allocator s, T, size_t count);
                NULL when the request does not fit (nothing allocated), else as ss_new: for
                fixed regions and the caller's memory, whose end is not guarded; one compare

   Scratch regions, per thread (raddebugger's scratch arenas):

       ss_allocator ss_scratch_begin(ss_scope *sc, const ss_allocator *conflicts, size_t nconflicts);
       void ss_scratch_end(ss_scope *sc);

   ss_scratch_begin returns the allocator of one of this thread's SS_SCRATCH_COUNT (2)
   scratch regions that none of `conflicts` allocates from, and remembers its position in
   *sc; ss_scratch_end discards everything allocated from it since. A scratch scope is a
   saved position of the region's own allocator, not a child allocator, so scratch scopes
   on one region nest like blocks and a function may allocate its caller's result from a
   scratch allocator it was given:

       // example: scratch (file scope)
       static float *smooth(ss_allocator out, const float *x, unsigned n) {  // result in `out`
           ss_scope sc;
           ss_allocator tmp = ss_scratch_begin(&sc, &out, 1);         // never out's region
           float *pad = ss_alloc(tmp, n + 2);                          // a temporary
           pad[0] = x[0], pad[n + 1] = x[n - 1];
           memcpy(pad + 1, x, n * sizeof *x);
           float *r = ss_alloc(out, n);                                // the result
           for (unsigned i = 0; i < n; i++) r[i] = (pad[i] + pad[i + 1] + pad[i + 2]) / 3;
           ss_scratch_end(&sc);                                        // pad is gone, r stays
           return r;
       }

       // example: scratch
       float *x = ss_alloc(s, n);
       for (unsigned i = 0; i < n; i++) x[i] = (float)i;
       float *y = smooth(s, x, n);
       if (y[1] != 1.0f) return 1;

   Pass every allocator the function will allocate from as a conflict: a scratch scope on
   the region `out` allocates from would be discarded under the result. The regions are
   fault-driven (SS_SCRATCH_BYTES each, 16 GiB, committed as used, each above a guard of
   SS_REGION_GUARD_MIN: 48 GiB of address space), created at a thread's first use and
   released when it exits. Each is a slot of the fault handler's region table (1024 slots:
   with nothing else registered, 512 threads can hold scratch regions at once; the next
   ss_scratch_begin ends the process with a message naming the limit, as does a request
   whose every scratch region conflicts). Cost: begin compares the conflicts' pointers with
   two ranges and saves one pointer; end restores it. On WebAssembly (no signals) the
   scratch regions are fixed blocks of SS_SCRATCH_WASM_BYTES (1 MiB), unguarded: debug
   mode checks them. Debug mode reports scratch scopes ended out of order with file:line.

   OS-backed regions (ss_region_create_kind; 0 on success, -1, errno and a message):

       int  ss_region_create_kind(ss_region *r, const char *name, size_t bytes, ss_region_kind kind);
                bytes = 0 for an OS-backed kind: about physical memory (capped by the
                cgroup's memory limit)
       const char *ss_region_error(void);    why this thread's last create failed, one line
       int  ss_touch(ss_allocator s, void *p, size_t n);   commit [p, p+n) now (see below)
       ss_growth ss_region_growth(const ss_region *r);     limit, guard, committed, commits
       void ss_region_report_limits(FILE *f); overcommit mode, RLIMIT_AS, cgroup limit, ...
       int  ss_thread_init(void);            give this thread an alternate signal stack
                                             (and warn if it blocks SIGSEGV: see below)

   Region kinds:
     SS_REGION_FIXED    a malloc'd block with nothing below it: in release mode an allocation
                        past its end writes into whatever lies there, so size it generously
                        or develop in debug mode, which checks every allocation.
     SS_REGION_RESERVE  reserve-all: the whole region is mapped readable and writable with
                        MAP_NORESERVE; the kernel commits a page when it is first written.
                        Nothing is charged up front, so nothing refuses the memory later
                        either: past physical memory (or the cgroup's limit) the OOM killer
                        ends the process, or another. Creation says on stderr what threatens
                        it (cgroup limit below the region, region above RAM + swap) and fails
                        with a message under vm.overcommit_memory=2 (a 20 GiB writable
                        mapping is charged in full) and under a too small RLIMIT_AS or
                        RLIMIT_DATA.
     SS_REGION_GROW     fault-driven growth: the region is reserved inaccessible, 64 KiB at
                        its top are committed; a store below the committed part faults, the
                        library's SIGSEGV handler commits more (the committed size doubles,
                        or more to cover a big jump) and returns, and the store is retried.
                        Commits are charged to the commit limit as they happen, so this kind
                        works under vm.overcommit_memory=2 and reports a refused commit (so
                        does RLIMIT_DATA). A cgroup's limit bites when pages are touched, not
                        committed: past it, both kinds meet the cgroup's OOM killer.
   Both put a guard below the region: address space reserved PROT_NONE that is never made
   accessible (SS_REGION_GUARD, 1 TiB, halved while the reservation fails, never below
   SS_REGION_GUARD_MIN = 32 GiB).

   What is caught:
     - One request, made with the bump pointer inside the region, that overflows it: the
       block ends inside the guard (alignment padding included), and the first store below
       the region ends the process with one line on stderr naming the region, its limit and
       the faulting address, and then a SIGSEGV with a core at the faulting store:
           secondstack: region 'work' exhausted: limit 1073741824 bytes (1 GiB), fault at 0x..., ...
       ss_alloc's count is an `unsigned`, at most 16 GiB: always inside the guard.
     - A request larger than SS_REGION_GUARD_MIN, or whose count x size overflows, through
       ss_new, ss_new_aligned, ss_alloc_aligned or ss_alloc_bytes (they take a size_t): refused
       at the call, whatever the region, with the request and file:line, then abort
       (secondstack.h: one compare, none for a constant count).
     - A commit the kernel refuses: one line naming the region, then SIGSEGV (below).
   What is not:
     - The residual hole (the stack-clash lesson): allocations that are never touched move
       the pointer without a fault, so enough of them step over any finite guard: guard /
       size of each (64 untouched 16 GiB requests or a million untouched MiB for the 1 TiB
       guard; two 16 GiB requests for the smallest), and the first store lands wherever that
       is. Debug mode (SS_DEBUG) checks every allocation against the region's end and
       reports it with file:line; use it while developing.
     - SS_REGION_FIXED and ss_region_init regions have nothing below them.
     - A thread that blocks SIGSEGV (pthread_sigmask, or inside a signal handler whose
       sa_mask holds SIGSEGV) is killed by the kernel at its first growth fault or store
       into the guard, with a bare SIGSEGV and no message: the handler never runs. Creating a
       region and ss_thread_init warn on stderr when the calling thread blocks SIGSEGV. So
       dies a thread without ss_thread_init whose own stack has 4 KiB or less left (no room
       for the signal frame).
     - The kernel's own stores (read(2) into uncommitted memory) fail with EFAULT (below).

   The SIGSEGV handler is the library's own, not GNU libsigsegv's: libsigsegv ignores the
   handler installed before it (no chaining) and its area dispatcher is a tree changed
   without locks, unsafe while other threads fault (details in src/prim/prim.h). It is
   installed when the first OS-backed region is created. A fault it does not own goes to
   the action installed before it as the kernel would have delivered it: a handler (plain
   or SA_SIGINFO) runs with its sa_mask added and SIGSEGV blocked unless it has SA_NODEFER;
   SA_RESETHAND resets that saved action to the default once (the library's handler stays
   installed); SIG_IGN and SIG_DFL end the process by the default action, with its core (a
   SIGSEGV sent with kill or raise is dropped under SIG_IGN). Not emulated: the previous
   handler runs on the library's alternate signal stack even without SA_ONSTACK, a sent
   SIGSEGV restarts an interrupted system call whatever the previous SA_RESTART said, and a
   handler that re-installs its own predecessor uninstalls the library's (growth faults
   then reach that predecessor). Install your own SIGSEGV handler before creating regions
   (or chain to the one you displace). Many threads may fault at the same address at once:
   each such fault is the library's and is counted as one growth step. The handler runs on
   an alternate signal stack: creating a region gives the creating thread one; a thread
   that allocates from a region created elsewhere calls ss_thread_init() first (without it,
   growth still works on the thread's own stack, but not when that stack is what
   overflowed).

   Threads: one allocator per thread. Regions are registered in a fixed table (1024 slots)
   the handler reads without locks or allocation; any thread may create and destroy
   regions while others fault in theirs.

   System calls: a read(2) into region memory not yet committed fails with EFAULT, the
   kernel does not raise SIGSEGV for it, so the handler never sees it. Call
   ss_touch(s, p, n) on a buffer before handing it to the kernel. (Reserve-all regions
   need nothing: their pages are committed on any first write, the kernel's too.)

   Tools: valgrind refuses mappings of 64 GiB and more and takes each growth fault for an
   invalid write; ASan has its own SIGSEGV handling and cannot start under `ulimit -v`.
   Under either, OS-backed kinds become plain mappings of `bytes` (no guard, no growth),
   with one notice on stderr. SS_QUIET=1 in the environment silences notices.

   `name` is kept by pointer (use a string literal); it names the region in every report.
*/
#ifndef SS_REGION_H
#define SS_REGION_H

#include <stdio.h>

#include "secondstack.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ss_region_kind {
    SS_REGION_FIXED = 0,   /* malloc'd block, no guard */
    SS_REGION_USER = 1,    /* the caller's memory (ss_region_init) */
    SS_REGION_RESERVE = 2, /* reserve-all: address space reserved, pages committed by the kernel */
    SS_REGION_GROW = 3,    /* fault-driven growth: a SIGSEGV handler commits more */
} ss_region_kind;

int ss_region_init(ss_region *r, const char *name, void *mem, size_t bytes);
int ss_region_create(ss_region *r, const char *name, size_t bytes);
int ss_region_create_kind(ss_region *r, const char *name, size_t bytes, ss_region_kind kind);
void ss_region_destroy(ss_region *r);
void ss_region_reset(ss_region *r);
size_t ss_region_used(const ss_region *r);
size_t ss_region_size(const ss_region *r);
ss_stats ss_region_stats(const ss_region *r);
void ss_region_set_logging(ss_region *r, int on);
const char *ss_region_kind_name(ss_region_kind kind);

/* The guard below an OS-backed region: as large as the address space allows, at least
   twice the largest single ss_alloc (UINT_MAX floats = 16 GiB). */
#if SIZE_MAX > 0xffffffffu
#ifndef SS_REGION_GUARD
#define SS_REGION_GUARD ((size_t)1 << 40)
#endif
#else
/* A 32-bit address space (wasm32) has no room for such a guard; there the OS-backed kinds
   are not available anyway (src/prim/wasm/os.c), these only let the file compile. */
#ifndef SS_REGION_GUARD
#define SS_REGION_GUARD ((size_t)1 << 30)
#endif
#endif
/* SS_REGION_GUARD_MIN, the floor of the guard and the largest request, is in secondstack.h. */
/* What a SS_REGION_GROW region commits at first; each growth step doubles the committed part. */
#ifndef SS_REGION_INITIAL_COMMIT
#define SS_REGION_INITIAL_COMMIT ((size_t)64 << 10)
#endif

typedef struct ss_growth {
    size_t limit;     /* bytes the region may hold */
    size_t guard;     /* bytes of never-accessible address space below it */
    size_t committed; /* bytes accessible now (reserve-all and fixed: all of them) */
    size_t commits;   /* growth steps taken by the SIGSEGV handler or ss_touch */
    int fallback;     /* 1: a plain mapping, under valgrind or ASan */
} ss_growth;

const char *ss_region_error(void);
int ss_touch(ss_allocator s, void *p, size_t n);
ss_growth ss_region_growth(const ss_region *r);
void ss_region_report_limits(FILE *f);
int ss_thread_init(void);

void ss_stats_csv_header(FILE *f);
void ss_stats_csv_row(FILE *f, const ss_stats *st);

static inline ss_allocator ss_region_allocator(ss_region *r) {
#ifdef SS_DEBUG
    return &r->root;
#else
    return &r->root.top;
#endif
}

//~ The space left, and allocation that may fail (fixed regions)

static inline size_t ss_region_avail(const ss_region *r, ss_allocator s) {
    char *p = SS__TOP(s);
    return p > r->lo ? (size_t)(p - r->lo) : 0;
}

static inline int ss__fits(const ss_region *r, ss_allocator s, size_t bytes, size_t align) {
    uintptr_t top = (uintptr_t)SS__TOP(s), lo = (uintptr_t)r->lo;
    size_t a = align < sizeof(float) ? sizeof(float) : align;
    return top >= lo && bytes <= top - lo && ((top - bytes) & ~(uintptr_t)(a - 1)) >= lo;
}

#define ss_try_alloc_bytes(r, s, bytes, align) \
    (ss__fits((r), (s), (bytes), (align)) ? ss_alloc_bytes((s), (bytes), (align)) : NULL)
/* `count` is evaluated twice; a count × size that overflows never fits. */
#define ss_try_new(r, s, T, count)                                                                 \
    ((size_t)(count) <= SIZE_MAX / sizeof(T) &&                                                    \
             ss__fits((r), (s), sizeof(T) * (size_t)(count), SS__ALIGNOF(T))                       \
         ? ss_new((s), T, (count))                                                                 \
         : (T *)NULL)

//~ Scratch regions

#define SS_SCRATCH_COUNT 2
#if SIZE_MAX > 0xffffffffu
#define SS_SCRATCH_BYTES ((size_t)16 << 30)
#endif
#define SS_SCRATCH_WASM_BYTES ((size_t)1 << 20)

ss_allocator ss__scratch_begin_at(ss_scope *sc, const ss_allocator *conflicts, size_t nconflicts,
                                  const char *file, int line);
/* Returns where the discarded part starts: [that, the position saved at begin). */
char *ss__scratch_end_at(ss_scope *sc, const char *file, int line);
#define ss_scratch_begin(sc, conflicts, nconflicts) \
    ss__scratch_begin_at((sc), (conflicts), (nconflicts), __FILE__, __LINE__)
#ifdef SS__ASAN
/* This unit is built with ASan, the library perhaps not: poison what the scope discards. */
static inline void ss__scratch_end_asan(ss_scope *sc, const char *file, int line) {
    char *from = ss__scratch_end_at(sc, file, line);
#ifdef SS_DEBUG
    char *to = (char *)sc->a.end;
#else
    char *to = (char *)sc->base;
#endif
    SS__POISON(from, (size_t)(to - from));
}
#define ss_scratch_end(sc) ss__scratch_end_asan((sc), __FILE__, __LINE__)
#else
#define ss_scratch_end(sc) ((void)ss__scratch_end_at((sc), __FILE__, __LINE__))
#endif

//~ Under ASan, the region calls that discard or give back memory poison it here too

#ifdef SS__ASAN
static inline void ss__region_reset_asan(ss_region *r) {
    char *from = SS__TOP(ss_region_allocator(r));
    (ss_region_reset)(r);
    SS__POISON(from, (size_t)(SS__TOP(ss_region_allocator(r)) - from));
}
static inline void ss__region_destroy_asan(ss_region *r) {
    if (r->lo != NULL) SS__UNPOISON(r->lo, (size_t)(r->hi - r->lo));
    (ss_region_destroy)(r);
}
#define ss_region_reset(r) ss__region_reset_asan(r)
#define ss_region_destroy(r) ss__region_destroy_asan(r)
#endif

#ifdef __cplusplus
}
#endif

#endif /* SS_REGION_H */
