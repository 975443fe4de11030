/* internal.h — what region.c and debug.c share. Not installed. */
#ifndef SS_INTERNAL_H
#define SS_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include "secondstack/ss_region.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SS__ON_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef SS__ON_VALGRIND
#define SS__ON_VALGRIND() 0
#endif

#if defined(SS_DEBUG) && defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define SS__VG_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define SS__VG_UNDEFINED(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define SS__VG_DEFINED(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#endif
#endif
#ifndef SS__VG_NOACCESS
#define SS__VG_NOACCESS(p, n) ((void)(p), (void)(n))
#define SS__VG_UNDEFINED(p, n) ((void)(p), (void)(n))
#define SS__VG_DEFINED(p, n) ((void)(p), (void)(n))
#endif

/* The top of a region is 64-byte aligned so that the first SIMD-aligned allocation of a
   multiple of 64 bytes wastes nothing. */
#define SS__TOP_ALIGN 64

static inline char *ss__region_top(const ss_region *r) {
    return r->hi - ((uintptr_t)r->hi & (SS__TOP_ALIGN - 1));
}

/* Memory a scope or a reset gave up: poisoned for ASan, no-access for memcheck. */
static inline void ss__discard(void *p, size_t n) {
    SS__POISON(p, n);
    SS__VG_NOACCESS(p, n);
}

/* Reports a misuse on stderr, "secondstack: FILE:LINE: message", and aborts. */
__attribute__((noreturn, cold)) void ss__vfail_at(const char *file, int line, const char *fmt, va_list ap);

/* An OS-backed region whose guard starts at `guard` bytes (halved while the reservation
   fails, never below SS_REGION_GUARD_MIN): region.c, and scratch.c with the minimum. */
int ss__region_create_os(ss_region *r, const char *name, size_t bytes, ss_region_kind kind, size_t guard);

#endif /* SS_INTERNAL_H */
