/* wasm/fault.c — the fault table of prim.h on WebAssembly: an access outside linear memory
   traps, there are no signals, so there is no handler to install and no region to register
   (wasm/os.c says why). */
#include <errno.h>

#include "../prim.h"

#ifndef __wasm__
#error "prim/wasm is the WebAssembly backend; native builds use prim/posix"
#endif


int ss__fault_install(void) {
    errno = ENOSYS;
    return -1;
}

/* No signals: no fault is ever ours, nothing can be blocked. */
int ss__fault_handle(uintptr_t addr) {
    (void)addr;
    return 0;
}

int ss__fault_blocked(void) { return 0; }

int ss__fault_register(const char *name, int kind, uintptr_t guard_lo, uintptr_t lo, uintptr_t top,
                       uintptr_t committed) {
    (void)name;
    (void)kind;
    (void)guard_lo;
    (void)lo;
    (void)top;
    (void)committed;
    errno = ENOSYS;
    return -1;
}

void ss__fault_unregister(int slot) { (void)slot; }

/* No region is OS-backed, so every address is plain memory, which needs nothing. */
int ss__fault_commit_down_to(uintptr_t p) {
    (void)p;
    return 0;
}

ss__fault_stats ss__fault_slot_stats(int slot) {
    (void)slot;
    return (ss__fault_stats){0, 0};
}
