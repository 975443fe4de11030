/* ss-run alloc — the allocation microbenchmark's kernels as a process, for hyperfine and
   callgrind (which count one fixed run, where google-benchmark picks its iteration count).

       ss-run alloc --impl bump|malloc [-n FLOATS] [-k BLOCKS] [--rounds R]
       ss-run alloc --impl bump|malloc --push COUNT [--two]
       ss-run alloc -h|--help|--version

   --impl is required: bump (ss_alloc from a region, ss_push) or malloc (malloc/free,
   realloc doubling). Per round, -k blocks (1 .. 64, default 8) of -n floats (also --n;
   1 .. 16777216, default 64) are allocated, written and discarded, --rounds times
   (1 .. 2147483648, default 100000). --push COUNT (1 .. 268435456) pushes COUNT ints onto a
   growable array instead, --two onto two side by side (every growth then copies).
   --help lists the options on stdout, --version the build's flags.

   Prints one line of key=value pairs: `alloc impl=... n=... k=... rounds=... check=ok
   result=... operations=... seconds=... ns_per_op=...` (with --push: `push=... two=...` in
   place of n, k and rounds). Exit status: 0 ok, 1 the push check failed, 2 bad input. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c17 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc_kernels.h"
#include "ss_cli.h"
#include "ss_region.h"
#include "ss_run.h"

enum { O_IMPL = SS_CLI_LONG, O_ROUNDS, O_PUSH, O_TWO };

static const ss_cli_opt options[] = {
    {"impl", O_IMPL, "IMPL", "bump: ss_alloc from a region, ss_push;\nmalloc: malloc/free, realloc doubling (required)"},
    {"n", 'n', "FLOATS", "floats per block, 1 .. 16777216 (default 64)"},
    {NULL, 'k', "BLOCKS", "blocks per round, 1 .. 64 (default 8)"},
    {"rounds", O_ROUNDS, "R", "rounds, 1 .. 2147483648 (default 100000)"},
    {"push", O_PUSH, "COUNT", "push COUNT ints onto a growable array instead,\n1 .. 268435456"},
    {"two", O_TWO, NULL, "with --push: two arrays side by side (every growth copies)"},
    {0}};

static void notes(FILE *f) {
    fprintf(f, "prints: alloc impl=... n=... k=... rounds=... check=ok result=... operations=...\n"
               "        seconds=... ns_per_op=...   (--push: push=... two=... for n, k and rounds)\n");
}

int ss_run_alloc(int argc, char **argv) {
    ss_cli cli = {.prog = "ss-run alloc",
                  .usage = "ss-run alloc --impl bump|malloc [-n FLOATS] [-k BLOCKS] [--rounds R]\n"
                           "       ss-run alloc --impl bump|malloc --push COUNT [--two]",
                  .what = "Allocation alone: ss_alloc against malloc/free, ss_push against realloc doubling.",
                  .opts = options,
                  .notes = notes,
                  .exits = "0 ok, 1 the push check failed, 2 bad input"};
    const char *impl = NULL;
    unsigned long long n = 64, k = 8, rounds = 100000, push = 0;
    int two = 0;
    for (int key; (key = ss_cli_next(&cli, argc, argv)) != 0;) {
        switch (key) {
        case -1: return cli.status;
        case O_IMPL: impl = cli.arg; break;
        case O_TWO: two = 1; break;
        case 'n':
            if (ss_cli_uint(&cli, 1, 1u << 24, &n)) return 2;
            break;
        case 'k':
            if (ss_cli_uint(&cli, 1, 64, &k)) return 2;
            break;
        case O_ROUNDS:
            if (ss_cli_uint(&cli, 1, 1ul << 31, &rounds)) return 2;
            break;
        case O_PUSH:
            if (ss_cli_uint(&cli, 1, 1u << 28, &push)) return 2;
            break;
        }
    }
    if (impl == NULL) return ss_cli_fail(&cli, "--impl is required: bump or malloc");
    if (strcmp(impl, "bump") && strcmp(impl, "malloc"))
        return ss_cli_fail(&cli, "--impl must be bump or malloc (not '%s')", ss_cli_clip(impl).s);
    int bump = !strcmp(impl, "bump");
    ss_region r;
    size_t bytes = push ? (size_t)push * sizeof(int) * 6 + (1 << 20) : (size_t)(n * k) * sizeof(float) + (1 << 20);
    if (bump && ss_region_create(&r, "alloc", bytes) != 0)
        return ss_cli_fail(&cli, "cannot create a region of %zu bytes", bytes);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double result;
    long want = 0, got = 0;
    if (push) {
        want = (long)push + (long)push / 2 + (two ? (long)push - 1 : 0);
        got = bump ? kern_push_ss(ss_region_allocator(&r), (unsigned)push, two)
                   : kern_push_realloc((unsigned)push, two);
        result = (double)got;
    } else {
        result = bump ? kern_bump_alloc(ss_region_allocator(&r), (unsigned)n, (unsigned)k, (unsigned)rounds)
                      : kern_malloc_free((unsigned)n, (unsigned)k, (unsigned)rounds);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (bump) ss_region_destroy(&r);
    if (got != want) {
        fprintf(stderr, "ss-run alloc: push check FAILED: %ld, want %ld\n", got, want);
        return 1;
    }
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    unsigned long long ops = push ? push * (two ? 2u : 1u) : rounds * k;
    if (push)
        printf("alloc impl=%s push=%llu two=%d", impl, push, two);
    else
        printf("alloc impl=%s n=%llu k=%llu rounds=%llu", impl, n, k, rounds);
    printf(" check=ok result=%.9g operations=%llu seconds=%.6f ns_per_op=%.2f\n", result, ops, ns * 1e-9,
           ns / (double)ops);
    return 0;
}
