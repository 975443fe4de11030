/* posix/os.c — the address space and limits of prim.h on Linux (and, for the address-space
   calls, any POSIX system with MAP_ANONYMOUS). */
#define _GNU_SOURCE
#include "../prim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

//~ Address space

void *ss_os_reserve(size_t bytes, int flags) {
    /* PROT_NONE private memory is not charged to the commit limit whatever the flags (the
       kernel charges a private mapping when it becomes writable), so a terabyte guard is
       free even under vm.overcommit_memory=2. Without MAP_NORESERVE, committing part of it
       later is charged then, step by step: what fault-driven growth wants. */
    int mflags = MAP_PRIVATE | MAP_ANONYMOUS;
    if (flags & SS_OS_NORESERVE) mflags |= MAP_NORESERVE;
    void *p = mmap(NULL, bytes, PROT_NONE, mflags, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int ss_os_commit(void *p, size_t bytes) { return mprotect(p, bytes, PROT_READ | PROT_WRITE); }

int ss_os_release(void *p, size_t bytes) { return munmap(p, bytes); }

size_t ss_os_page_size(void) {
    static size_t page;
    if (page == 0) page = (size_t)sysconf(_SC_PAGESIZE);
    return page;
}

//~ Limits

/* Copies with truncation (snprintf would draw -Wformat-truncation for paths). */
static void copy(char *dst, size_t size, const char *a, const char *b) {
    size_t n = 0;
    for (const char *p = a; *p && n + 1 < size; p++) dst[n++] = *p;
    for (const char *p = b; p && *p && n + 1 < size; p++) dst[n++] = *p;
    dst[n] = '\0';
}

static int read_file(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return 0;
}

/* A cgroup limit file holds a number of bytes or "max"; v1 says "no limit" with a huge
   number (PAGE_COUNTER_MAX pages), which we map to unlimited too. */
static uint64_t read_limit(const char *path, int *found) {
    char buf[64];
    *found = read_file(path, buf, sizeof buf) == 0;
    if (!*found || strncmp(buf, "max", 3) == 0) return SS_OS_UNLIMITED;
    unsigned long long v = strtoull(buf, NULL, 10);
    return v >= (1ull << 62) ? SS_OS_UNLIMITED : (uint64_t)v;
}

static uint64_t meminfo(const char *text, const char *key) {
    const char *p = strstr(text, key);
    if (p == NULL) return SS_OS_UNLIMITED;
    return (uint64_t)strtoull(p + strlen(key), NULL, 10) * 1024; /* kB */
}

/* The mount point of the cgroup hierarchy (v2: "cgroup2"; v1: the one with the memory
   controller) and the root of that mount inside the hierarchy. */
static int cgroup_mount(int version, char *mnt, size_t mntsize, char *root, size_t rootsize) {
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (f == NULL) return -1;
    char line[1024];
    int ok = -1;
    while (ok != 0 && fgets(line, sizeof line, f)) {
        char r[512], m[512];
        const char *dash = strstr(line, " - ");
        if (dash == NULL || sscanf(line, "%*s %*s %*s %511s %511s", r, m) != 2) continue;
        char fstype[64], source[256], opts[512] = "";
        if (sscanf(dash + 3, "%63s %255s %511s", fstype, source, opts) < 2) continue;
        int match = version == 2 ? strcmp(fstype, "cgroup2") == 0
                                 : strcmp(fstype, "cgroup") == 0 && strstr(opts, "memory") != NULL;
        if (!match) continue;
        copy(mnt, mntsize, m, NULL);
        copy(root, rootsize, r, NULL);
        ok = 0;
    }
    fclose(f);
    return ok;
}

/* The lowest limit on the path from this process's cgroup up to the mount's root: a
   parent's limit binds its children too. */
static void cgroup_limit(ss_os_limits *l, int version) {
    char mnt[512], root[512], cg[4096], path[1024];
    if (cgroup_mount(version, mnt, sizeof mnt, root, sizeof root) != 0) return;
    if (read_file("/proc/self/cgroup", cg, sizeof cg) != 0) return;
    char rel[512] = "";
    for (char *line = strtok(cg, "\n"); line; line = strtok(NULL, "\n")) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL) continue;
        *c2 = '\0';
        const char *ctl = c1 + 1;
        int match = version == 2 ? (strcmp(line, "0") == 0 && *ctl == '\0') : strstr(ctl, "memory") != NULL;
        if (match) {
            copy(rel, sizeof rel, c2 + 1, NULL);
            break;
        }
    }
    if (rel[0] == '\0') return;
    /* Inside a cgroup namespace the path is relative to the mount's root already. */
    size_t rl = strlen(root);
    const char *sub = rel;
    if (rl > 1 && strncmp(rel, root, rl) == 0) sub = rel + rl;
    const char *file = version == 2 ? "memory.max" : "memory.limit_in_bytes";
    char dir[1024];
    copy(dir, sizeof dir, mnt, strcmp(sub, "/") == 0 ? "" : sub);
    for (;;) {
        int found;
        copy(path, sizeof path, dir, "/");
        copy(path + strlen(path), sizeof path - strlen(path), file, NULL);
        uint64_t v = read_limit(path, &found);
        if (found && (l->cgroup_version == 0 || v < l->cgroup_max)) {
            l->cgroup_max = v;
            l->cgroup_version = version;
            copy(l->cgroup_file, sizeof l->cgroup_file, path, NULL);
        }
        if (strcmp(dir, mnt) == 0) break;
        char *slash = strrchr(dir, '/');
        if (slash == NULL || (size_t)(slash - dir) < strlen(mnt)) break;
        *slash = '\0';
    }
}

void ss_os_query_limits(ss_os_limits *l) {
    memset(l, 0, sizeof *l);
    l->overcommit = -1;
    l->phys = l->swap = l->commit_limit = l->committed_as = SS_OS_UNLIMITED;
    l->rlimit_as = l->rlimit_data = l->cgroup_max = SS_OS_UNLIMITED;
    char buf[4096];
    if (read_file("/proc/sys/vm/overcommit_memory", buf, sizeof buf) == 0) l->overcommit = atoi(buf);
    long pages = sysconf(_SC_PHYS_PAGES);
    if (pages > 0) l->phys = (uint64_t)pages * ss_os_page_size();
    if (read_file("/proc/meminfo", buf, sizeof buf) == 0) {
        l->swap = meminfo(buf, "SwapTotal:");
        l->commit_limit = meminfo(buf, "CommitLimit:");
        l->committed_as = meminfo(buf, "Committed_AS:");
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) l->rlimit_as = (uint64_t)rl.rlim_cur;
    if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        l->rlimit_data = (uint64_t)rl.rlim_cur;
    cgroup_limit(l, 2);
    cgroup_limit(l, 1);
}

static void put_bytes(FILE *f, uint64_t v) {
    if (v == SS_OS_UNLIMITED)
        fputs("unlimited", f);
    else
        fprintf(f, "%llu bytes (%.1f GiB)", (unsigned long long)v, (double)v / (1u << 30));
}

void ss_os_report_limits(FILE *f, const ss_os_limits *l) {
    static const char *const modes[] = {"heuristic overcommit", "always overcommit",
                                        "strict: every writable private page is charged"};
    fprintf(f, "vm.overcommit_memory = %d (%s)\n", l->overcommit,
            l->overcommit >= 0 && l->overcommit <= 2 ? modes[l->overcommit] : "unknown");
    fputs("physical memory: ", f);
    put_bytes(f, l->phys);
    fputs("\nswap: ", f);
    put_bytes(f, l->swap);
    fputs("\nCommitLimit: ", f);
    put_bytes(f, l->commit_limit);
    fputs(l->overcommit == 2 ? " (enforced)" : " (not enforced in this mode)", f);
    fputs("\nCommitted_AS: ", f);
    put_bytes(f, l->committed_as);
    fputs("\nRLIMIT_AS (ulimit -v): ", f);
    put_bytes(f, l->rlimit_as);
    fputs("\nRLIMIT_DATA (ulimit -d): ", f);
    put_bytes(f, l->rlimit_data);
    fputs("\ncgroup memory limit: ", f);
    put_bytes(f, l->cgroup_max);
    if (l->cgroup_version) fprintf(f, " (cgroup v%d, %s)", l->cgroup_version, l->cgroup_file);
    fputc('\n', f);
}
