/* wasm/os.c — the address space and limits of prim.h on WebAssembly, in place of posix/os.c.

   A wasm module has one linear memory: every byte of it is readable and writable, nothing
   can be made inaccessible, and an access outside it traps instead of raising a signal that
   could be handled. So there is no guard page to put below a region and no SIGSEGV to grow
   one from. What is left is the fixed region (SS_REGION_FIXED, a malloc'd block of linear
   memory, sized by the caller, as the physics engine sizes its own exactly) and the caller's
   memory (SS_REGION_USER). The OS-backed kinds (reserve-all, fault-driven growth) fail at
   ss_region_create_kind with errno ENOSYS and ss_region_error() saying why; region.c
   compiles unchanged; wasm/fault.c has no handler to install.

   Linear memory itself grows only by memory.grow, which emscripten's malloc calls (when the
   module is linked with ALLOW_MEMORY_GROWTH) and checks: malloc returns NULL when it fails. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "../prim.h"

#ifndef __wasm__
#error "prim/wasm is the WebAssembly backend; native builds use prim/posix"
#endif

//~ Address space: nothing to reserve, commit or release

void *ss_os_reserve(size_t bytes, int flags) {
    (void)bytes;
    (void)flags;
    errno = ENOSYS;
    return NULL;
}

int ss_os_commit(void *p, size_t bytes) {
    (void)p;
    (void)bytes;
    errno = ENOSYS;
    return -1;
}

int ss_os_release(void *p, size_t bytes) {
    (void)p;
    (void)bytes;
    errno = ENOSYS;
    return -1;
}

/* The unit of memory.grow. */
size_t ss_os_page_size(void) { return 65536; }

//~ Limits: linear memory's size is the only one

void ss_os_query_limits(ss_os_limits *l) {
    l->overcommit = -1;
    /* wasm32 addresses 4 GiB at most; the module's own maximum may be lower. */
    l->phys = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
    l->swap = SS_OS_UNLIMITED;
    l->commit_limit = SS_OS_UNLIMITED;
    l->committed_as = SS_OS_UNLIMITED;
    l->rlimit_as = SS_OS_UNLIMITED;
    l->rlimit_data = SS_OS_UNLIMITED;
    l->cgroup_max = SS_OS_UNLIMITED;
    l->cgroup_version = 0;
    l->cgroup_file[0] = '\0';
}

void ss_os_report_limits(FILE *f, const ss_os_limits *l) {
    fprintf(f,
            "WebAssembly: linear memory now %.1f MiB (grows by memory.grow, up to 4 GiB in wasm32); "
            "no guard pages, no signals: fixed regions only\n",
            (double)l->phys / (1024.0 * 1024.0));
}
