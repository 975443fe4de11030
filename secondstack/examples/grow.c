/* grow — a fault-driven region growing to several GiB, step by step.

       grow [GIB] [grow|reserve]      default: 4 GiB, grow

   Fills the region downward a page at a time, as a bump allocator does, and prints each
   growth step: how much was committed after it and how long the store that triggered it
   took (the SIGSEGV, the handler's mprotect, the return, and the page fault itself),
   next to the median first store into an already committed page (an ordinary page fault). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ss_region.h"

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    double gib = argc > 1 ? atof(argv[1]) : 4.0;
    const char *kind_name = argc > 2 ? argv[2] : "grow";
    ss_region_kind kind;
    if (strcmp(kind_name, "grow") == 0)
        kind = SS_REGION_GROW;
    else if (strcmp(kind_name, "reserve") == 0)
        kind = SS_REGION_RESERVE;
    else {
        fprintf(stderr, "grow: unknown kind '%s' (grow or reserve)\nusage: grow [GIB] [grow|reserve]\n",
                kind_name);
        return 2;
    }
    if (!(gib > 0 && gib <= 64)) {
        fprintf(stderr, "grow: size %s GiB: want a number in (0, 64]\nusage: grow [GIB] [grow|reserve]\n",
                argv[1]);
        return 2;
    }
    size_t bytes = (size_t)(gib * (double)(1u << 30));
    ss_region r;
    if (ss_region_create_kind(&r, "grow", bytes, kind) != 0) {
        fprintf(stderr, "grow: %s\n", ss_region_error());
        return 1;
    }
    bytes = ss_region_size(&r);
    ss_growth g = ss_region_growth(&r);
    printf("region 'grow' (%s): limit %zu bytes, guard %zu GiB, committed at first %zu bytes%s\n",
           ss_region_kind_name(kind), g.limit, g.guard >> 30, g.committed, g.fallback ? " (fallback)" : "");

    ss_allocator s = ss_region_allocator(&r);
    size_t page = 4096, pages = bytes / page;
    double *ordinary = malloc(pages * sizeof *ordinary);
    size_t nord = 0, commits = g.commits;
    double t0 = now_ns(), steps_ns = 0;
    printf("%5s %16s %12s\n", "step", "committed_bytes", "store_us");
    for (size_t i = pages; i-- > 0;) {
        char *p = ss_new(s, char, page); /* the next page down, as a bump allocator goes */
        double a = now_ns();
        p[0] = 1;
        double d = now_ns() - a;
        size_t c = ss_region_growth(&r).commits;
        if (c != commits) {
            commits = c;
            steps_ns += d;
            printf("%5zu %16zu %12.1f\n", c, ss_region_growth(&r).committed, d / 1e3);
        } else {
            ordinary[nord++] = d;
        }
    }
    double total = now_ns() - t0;
    qsort(ordinary, nord, sizeof *ordinary, cmp);
    double med = nord ? ordinary[nord / 2] : 0;
    printf("touched %zu pages in %.3f s; %zu growth steps took %.1f us in all (%.1f us each on average)\n",
           pages, total / 1e9, commits, steps_ns / 1e3, commits ? steps_ns / 1e3 / (double)commits : 0.0);
    printf("an ordinary first store into a committed page (a page fault): median %.2f us\n", med / 1e3);
    free(ordinary);
    ss_region_destroy(&r);
    return 0;
}
