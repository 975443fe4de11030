/* ss_region.h — where an allocator's memory comes from.

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

   OS-backed regions (ss_region_create_kind; 0 on success, -1, errno and a message):

       int  ss_region_create_kind(ss_region *r, const char *name, size_t bytes, ss_region_kind kind);
                bytes = 0 for an OS-backed kind: about physical memory (capped by the
                cgroup's memory limit)
       const char *ss_region_error(void);    why this thread's last create failed, one line
       int  ss_touch(ss_allocator s, void *p, size_t n);   commit [p, p+n) now (see below)
       ss_growth ss_region_growth(const ss_region *r);     limit, guard, committed, commits
       void ss_region_report_limits(FILE *f); overcommit mode, RLIMIT_AS, cgroup limit, ...
       int  ss_thread_init(void);            give this thread an alternate signal stack

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
   SS_REGION_GUARD_MIN = 32 GiB). The largest single ss_alloc is UINT_MAX floats, 16 GiB,
   so one allocation that overflows the region always lands in the guard, and the first
   store there ends the process with one line on stderr naming the region, its limit and
   the faulting address:
       secondstack: region 'work' exhausted: limit 1073741824 bytes (1 GiB), fault at 0x..., ...
   and then a SIGSEGV with a core at the faulting store.

   The residual hole (the stack-clash lesson): allocations that are never touched move the
   pointer without a fault, so enough of them (guard / size of each: 64 untouched 16 GiB
   requests, or a million untouched MiB) step over any finite guard, and the first store
   lands wherever that is. Debug mode (SS_DEBUG) checks every allocation against the
   region's end and reports it with file:line; use it while developing.

   The SIGSEGV handler is the library's own, not GNU libsigsegv's: libsigsegv ignores the
   handler installed before it (no chaining) and its area dispatcher is a tree changed
   without locks, unsafe while other threads fault (details in ss_fault.h). It is
   installed when the first OS-backed region is created. A fault it does not own goes,
   untouched, to the handler installed before it (SA_SIGINFO or plain), or to the default
   action with its core. Install your own SIGSEGV handler before creating regions (or
   chain to the one you displace). The handler runs on an alternate signal stack: creating
   a region gives the creating thread one; a thread that allocates from a region created
   elsewhere calls ss_thread_init() first (without it, growth still works on the thread's
   own stack, but not when that stack is what overflowed).

   Threads: one allocator per thread. Regions are registered in a fixed table (256 slots)
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
#define SS_REGION_GUARD_MIN ((size_t)1 << 35)
#else
/* A 32-bit address space (wasm32) has no room for such a guard; there the OS-backed kinds
   are not available anyway (ss_os_wasm.c), these only let the file compile. */
#ifndef SS_REGION_GUARD
#define SS_REGION_GUARD ((size_t)1 << 30)
#endif
#define SS_REGION_GUARD_MIN ((size_t)1 << 28)
#endif
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

#ifdef __cplusplus
}
#endif

#endif /* SS_REGION_H */
