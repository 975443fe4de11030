/* prim.h — the one internal interface between the regions (src/region.c) and the operating
   system: address space, limits and the fault handler. Not installed.

   Each backend is a folder of its own with the same two files and the same function names:
       posix/os.c      mmap/mprotect/munmap, /proc and cgroup limits
       posix/fault.c   the SIGSEGV handler, its lock-free region table, alternate stacks
       wasm/os.c       one linear memory: nothing to reserve, limits of memory.grow
       wasm/fault.c    no signals: no handler, no table
   CMake picks the folder (secondstack/CMakeLists.txt: SS_PRIM).

   //~ Address space

       void  *ss_os_reserve(size_t bytes, int flags);
                 address space, inaccessible: touching it faults. Costs no memory and, being
                 inaccessible, is never charged to the commit limit. NULL and errno on error.
                 SS_OS_NORESERVE: pages made accessible later are not charged either
                 (MAP_NORESERVE; the kernel ignores it under vm.overcommit_memory=2).
       int    ss_os_commit(void *p, size_t bytes);     make [p, p+bytes) readable and writable
       int    ss_os_release(void *p, size_t bytes);    give the address space back
       size_t ss_os_page_size(void);
       void   ss_os_query_limits(ss_os_limits *l);     what threatens a large reservation
       void   ss_os_report_limits(FILE *f, const ss_os_limits *l);   one line per limit

   p and bytes are multiples of the page size. ss_os_commit is called from the SIGSEGV
   handler, so it must be async-signal-safe (mprotect is). A backend that cannot do a thing
   says so through errno (ENOSYS).

   //~ The fault handler and its region table

   Why our own handler and not GNU libsigsegv (2.14, Debian libsigsegv-dev), which has the
   right shape (per-area handlers in a sigsegv_dispatcher, resume by returning):
     - sigsegv_install_handler "ignores any previously installed SIGSEGV handler": a fault
       that is not ours must reach the handler installed before us (a runtime's, a crash
       reporter's, a test's), or the default action with its core. It does not chain.
     - the dispatcher is an AVL tree that sigsegv_register/unregister rebalance with no
       lock (its documentation says nothing of threads) while the handler walks it:
       creating and destroying a region in one thread while another faults in its own
       would race. We need a table the handler reads without locks or allocation.
     - it would be one more run-time dependency for every user of the library, for the
       200 lines of posix/fault.c.
   HotSpot does what we do: its own handler, growth from inside it, chaining to the
   previous handler for faults it does not own.

   The table: SS__FAULT_SLOTS fixed slots, each guarded by a sequence counter (odd while a
   slot is written). The handler reads a slot's bounds, then the counter again, and skips
   the slot if it changed: a region being created has no allocator yet and one being
   destroyed is dead, so a fault cannot belong to either. Only `committed` and the
   counters change while a slot is live, each by one atomic operation. */
#ifndef SS_PRIM_H
#define SS_PRIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

//~ Address space

#define SS_OS_NORESERVE 1

void *ss_os_reserve(size_t bytes, int flags);
int ss_os_commit(void *p, size_t bytes);
int ss_os_release(void *p, size_t bytes);
size_t ss_os_page_size(void);

#define SS_OS_UNLIMITED UINT64_MAX

/* What can be known up front about the memory a process may use. Unknown or unlimited
   values are SS_OS_UNLIMITED (overcommit: -1). */
typedef struct ss_os_limits {
    int overcommit;        /* vm.overcommit_memory: 0 heuristic, 1 always, 2 strict */
    uint64_t phys;         /* bytes of physical memory */
    uint64_t swap;         /* bytes of swap (SwapTotal) */
    uint64_t commit_limit; /* CommitLimit: what mode 2 lets the system commit */
    uint64_t committed_as; /* Committed_AS: committed now, system-wide */
    uint64_t rlimit_as;    /* RLIMIT_AS (ulimit -v), soft limit */
    uint64_t rlimit_data;  /* RLIMIT_DATA (ulimit -d): Linux counts writable private mappings */
    uint64_t cgroup_max;   /* the lowest memory limit on this process's cgroup path */
    int cgroup_version;    /* 1 or 2 where cgroup_max was found, else 0 */
    char cgroup_file[192]; /* the file it came from */
} ss_os_limits;

void ss_os_query_limits(ss_os_limits *l);
void ss_os_report_limits(FILE *f, const ss_os_limits *l);

//~ The fault handler and its region table

/* 1024: two scratch regions for each of 512 threads; the handler scans the slots in use. */
#define SS__FAULT_SLOTS 1024

enum { SS__FAULT_GROW = 1, SS__FAULT_RESERVE = 2 };

/* Installs the handler (once per process) and gives the calling thread an alternate
   signal stack. 0, or -1 with errno. */
int ss__fault_install(void);

/* What the handler decides for a fault at addr in the calling thread: 1 the library's
   (committed now, or fatal and set up to end the process), 0 not its own (passed on). The
   tests call it from threads of their choosing, to play out in order the interleavings
   that real faults produce only by chance. */
int ss__fault_handle(uintptr_t addr);

/* 1 when the calling thread blocks SIGSEGV: the kernel then kills it at its first growth
   fault, before the handler can run (region.c warns). */
int ss__fault_blocked(void);

/* A region: [guard_lo, lo) is never accessible, [lo, top) is the region, [committed, top)
   is accessible now. Returns the slot, or -1 with errno = ENOSPC when the table is full. */
int ss__fault_register(const char *name, int kind, uintptr_t guard_lo, uintptr_t lo, uintptr_t top,
                       uintptr_t committed);
void ss__fault_unregister(int slot);

/* Commits a grow region's memory down to (the page holding) p, in the same geometric steps
   as the handler. 0; -1 with errno = ENOMEM if p is below the region's limit or the kernel
   refuses; 0 if p is in no region (plain memory needs nothing). */
int ss__fault_commit_down_to(uintptr_t p);

typedef struct ss__fault_stats {
    size_t commits;   /* growth steps taken */
    size_t committed; /* bytes accessible now */
} ss__fault_stats;
ss__fault_stats ss__fault_slot_stats(int slot);

#endif /* SS_PRIM_H */
