/* ss-run alloc: the allocation microbenchmark's kernels as a process, for hyperfine and
   callgrind (which count one fixed run, where google-benchmark picks its iteration count).

       ss-run alloc --impl bump|malloc -n FLOATS -k BLOCKS --rounds R
       ss-run alloc --impl bump|malloc --push COUNT [--two]                                  */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c17 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc_kernels.h"
#include "ss_region.h"
#include "ss_run.h"

static int usage(FILE *f) {
    fprintf(f, "usage: ss-run alloc --impl bump|malloc [-n FLOATS] [-k BLOCKS] [--rounds R]\n"
               "       ss-run alloc --impl bump|malloc --push COUNT [--two]\n");
    return f == stdout ? 0 : 2;
}

static int parse_uint(const char *opt, const char *arg, unsigned lo, unsigned long hi, unsigned *out) {
    char *end;
    if (arg == NULL) {
        fprintf(stderr, "ss-run alloc: %s needs a value\n", opt);
        return 0;
    }
    unsigned long v = strtoul(arg, &end, 10);
    if (*end != '\0' || arg[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "ss-run alloc: %s must be an integer in [%u, %lu], not '%s'\n", opt, lo, hi, arg);
        return 0;
    }
    *out = (unsigned)v;
    return 1;
}

int ss_run_alloc(int argc, char **argv) {
    const char *impl = NULL;
    unsigned n = 64, k = 8, rounds = 100000, push = 0;
    int two = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout);
        if (!strcmp(a, "--impl")) {
            if (v == NULL) return usage(stderr);
            impl = v, i++;
        } else if (!strcmp(a, "-n")) {
            if (!parse_uint(a, v, 1, 1u << 24, &n)) return 2;
            i++;
        } else if (!strcmp(a, "-k")) {
            if (!parse_uint(a, v, 1, 64, &k)) return 2;
            i++;
        } else if (!strcmp(a, "--rounds")) {
            if (!parse_uint(a, v, 1, 1ul << 31, &rounds)) return 2;
            i++;
        } else if (!strcmp(a, "--push")) {
            if (!parse_uint(a, v, 1, 1u << 28, &push)) return 2;
            i++;
        } else if (!strcmp(a, "--two")) {
            two = 1;
        } else {
            fprintf(stderr, "ss-run alloc: unknown option '%s'\n", a);
            return usage(stderr);
        }
    }
    if (impl == NULL || (strcmp(impl, "bump") && strcmp(impl, "malloc"))) {
        fprintf(stderr, "ss-run alloc: --impl must be bump or malloc%s%s%s\n", impl ? " (not '" : "",
                impl ? impl : "", impl ? "')" : "");
        return 2;
    }
    int bump = !strcmp(impl, "bump");
    ss_region r;
    size_t bytes = push ? (size_t)push * sizeof(int) * 6 + (1 << 20) : (size_t)n * k * sizeof(float) + (1 << 20);
    if (bump && ss_region_create(&r, "alloc", bytes) != 0) {
        fprintf(stderr, "ss-run alloc: cannot create a region of %zu bytes\n", bytes);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double result;
    if (push) {
        long want = (long)push + push / 2 + (two ? push - 1 : 0);
        long got = bump ? kern_push_ss(ss_region_allocator(&r), push, two) : kern_push_realloc(push, two);
        if (got != want) {
            fprintf(stderr, "ss-run alloc: push check FAILED: %ld, want %ld\n", got, want);
            return 1;
        }
        result = (double)got;
    } else {
        result = bump ? kern_bump_alloc(ss_region_allocator(&r), n, k, rounds) : kern_malloc_free(n, k, rounds);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    unsigned long ops = push ? (unsigned long)push * (two ? 2u : 1u) : (unsigned long)rounds * k;
    printf("alloc %s: check ok (result %.9g); %lu operations in %.3f ms, %.2f ns each\n", impl, result, ops,
           ns / 1e6, ns / (double)ops);
    if (bump) ss_region_destroy(&r);
    return 0;
}
