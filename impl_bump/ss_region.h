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

   Region kinds (ss_region_create_kind): SS_REGION_FIXED is a plain block with nothing
   below it: in release mode an allocation past its end writes into whatever lies there,
   so size it generously or develop in debug mode, which checks every allocation. The
   OS-backed kinds put a guard the MMU enforces below the region instead.

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

void ss_stats_csv_header(FILE *f);
void ss_stats_csv_row(FILE *f, const ss_stats *st);

static inline ss_allocator ss_region_allocator(ss_region *r) {
#ifdef SS_DEBUG
    return &r->root;
#else
    return &r->top;
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* SS_REGION_H */
