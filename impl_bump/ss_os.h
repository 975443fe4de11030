/* ss_os.h — the little the regions need from the operating system.

   Four calls on address space, and a report of the limits that decide whether a large
   reservation can work. ss_os_posix.c implements them with mmap/mprotect/munmap; a
   WebAssembly build (one linear memory, no MMU protection) supplies its own file with the
   same names and reports what it cannot do through errno (ENOSYS).

       void  *ss_os_reserve(size_t bytes, int flags);
                 address space, inaccessible: touching it faults. Costs no memory and, being
                 inaccessible, is never charged to the commit limit. NULL and errno on error.
                 SS_OS_NORESERVE: pages made accessible later are not charged either
                 (MAP_NORESERVE; the kernel ignores it under vm.overcommit_memory=2).
       int    ss_os_commit(void *p, size_t bytes);     make [p, p+bytes) readable and writable
       int    ss_os_protect(void *p, size_t bytes);    make it inaccessible again, drop its pages
       int    ss_os_release(void *p, size_t bytes);    give the address space back
       size_t ss_os_page_size(void);
       void   ss_os_query_limits(ss_os_limits *l);     what threatens a large reservation
       void   ss_os_report_limits(FILE *f, const ss_os_limits *l);   one line per limit

   p and bytes are multiples of the page size. ss_os_commit is called from the SIGSEGV
   handler, so it must be async-signal-safe (mprotect is). */
#ifndef SS_OS_H
#define SS_OS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SS_OS_NORESERVE 1

void *ss_os_reserve(size_t bytes, int flags);
int ss_os_commit(void *p, size_t bytes);
int ss_os_protect(void *p, size_t bytes);
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
    uint64_t rlimit_as;        /* RLIMIT_AS (ulimit -v), soft limit */
    uint64_t rlimit_data;      /* RLIMIT_DATA (ulimit -d): Linux counts writable private mappings */
    uint64_t cgroup_max;   /* the lowest memory limit on this process's cgroup path */
    int cgroup_version;    /* 1 or 2 where cgroup_max was found, else 0 */
    char cgroup_file[192]; /* the file it came from */
} ss_os_limits;

void ss_os_query_limits(ss_os_limits *l);
void ss_os_report_limits(FILE *f, const ss_os_limits *l);

#ifdef __cplusplus
}
#endif

#endif /* SS_OS_H */
