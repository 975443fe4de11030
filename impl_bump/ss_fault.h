/* ss_fault.h — the SIGSEGV handler and its region table (internal to the library).

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
       200 lines below.
   HotSpot does what we do: its own handler, growth from inside it, chaining to the
   previous handler for faults it does not own.

   The table: SS__FAULT_SLOTS fixed slots, each guarded by a sequence counter (odd while a
   slot is written). The handler reads a slot's bounds, then the counter again, and skips
   the slot if it changed: a region being created has no allocator yet and one being
   destroyed is dead, so a fault cannot belong to either. Only `committed` and the
   counters change while a slot is live, each by one atomic operation. */
#ifndef SS_FAULT_H
#define SS_FAULT_H

#include <stddef.h>
#include <stdint.h>

#define SS__FAULT_SLOTS 256

enum { SS__FAULT_GROW = 1, SS__FAULT_RESERVE = 2 };

/* Installs the handler (once per process) and gives the calling thread an alternate
   signal stack. 0, or -1 with errno. */
int ss__fault_install(void);

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

#endif /* SS_FAULT_H */
