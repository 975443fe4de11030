/* fuzz_grow.c — libFuzzer target (clang -fsanitize=fuzzer,undefined, no ASan: ASan would
   turn OS-backed regions into plain mappings): random well-nested work on fault-driven and
   reserve-all regions through the library's real SIGSEGV handler. Blocks of random sizes
   (up to many MiB) are stored into a word per page, top-down or bottom-up, so growth faults
   come in every order and size of jump; ss_touch commits a block before read(2) fills it
   from /dev/zero (the kernel's store does not fault); regions are reset, destroyed and
   created again. Checked: each block's alignment, its place inside the region below every
   live block, its words until its scope discards it, the growth statistics (committed
   covers the deepest store, moves only down, commits counted once per step) and that the
   library's handler is still the installed one. libFuzzer's own SIGSEGV handler sits
   before the library's, so a fault the library wrongly passed on is reported as a crash. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ss_region.h"

#define MAX_DEPTH 6
#define MAX_LIVE 256
#define PAGE 4096
#define MiB ((size_t)1 << 20)

typedef struct {
    const uint8_t *d;
    size_t n;
} input;

static unsigned byte(input *in) {
    if (in->n == 0) return 0;
    in->n--;
    return *in->d++;
}

typedef struct {
    unsigned char *p;
    size_t n;
    uint32_t seed;
    int depth;
    int zeroed; /* filled by read(2) from /dev/zero: all bytes 0 */
} block;

static struct {
    ss_region r;
    int live_region;
    ss_region_kind kind;
    char *lo, *top;
    ss_allocator at[MAX_DEPTH + 1];
    ss_scope scope[MAX_DEPTH + 1];
    int depth;
    block live[MAX_LIVE];
    int nlive;
    size_t committed; /* the last committed size seen: it never shrinks while the region lives */
} F;

static int zero_fd = -1;
static void (*library_handler)(int, siginfo_t *, void *);

static void (*installed(void))(int, siginfo_t *, void *) {
    struct sigaction cur;
    sigaction(SIGSEGV, NULL, &cur);
    return cur.sa_sigaction;
}

/* One word per page (and the block's last word): enough to fault every page in. */
static uint32_t word(uint32_t seed, size_t off) { return seed ^ (uint32_t)(off * 2654435761u); }

static void each_word(const block *b, int check, int upward) {
    if (b->n < 4) return;
    size_t last = (b->n - 4) & ~(size_t)3, pages = last / PAGE + 1;
    for (size_t k = 0; k <= pages; k++) {
        size_t i = upward ? k : pages - k;
        size_t off = i == pages ? last : i * PAGE;
        uint32_t *w = (uint32_t *)(void *)(b->p + off);
        uint32_t want = b->zeroed ? 0 : word(b->seed, off);
        if (check) {
            if (*w != want) abort();
        } else if (!b->zeroed) {
            *w = want;
        }
    }
}

static char *pointer(ss_allocator s) { return (char *)ss_alloc_bytes(s, 0, 1); }

static void check_growth(void) {
    ss_growth g = ss_region_growth(&F.r);
    if (g.fallback || g.limit != ss_region_size(&F.r)) abort();
    if (F.kind == SS_REGION_GROW) {
        if (g.committed < F.committed) abort(); /* moves only down */
        F.committed = g.committed;
        /* the deepest live store is committed */
        for (int i = 0; i < F.nlive; i++)
            if (F.live[i].n >= 4 && (size_t)(F.top - (char *)F.live[i].p) > g.committed + 64) abort();
        /* one step per doubling at least: never more steps than pages committed */
        if (g.commits > g.committed / PAGE) abort();
    } else if (g.commits != 0 || g.committed != g.limit) {
        abort();
    }
    if (installed() != library_handler) abort();
}

static void drop_depths(int d) {
    int k = 0;
    for (int i = 0; i < F.nlive; i++) {
        if (F.live[i].depth >= d)
            each_word(&F.live[i], 1, 0);
        else
            F.live[k++] = F.live[i];
    }
    F.nlive = k;
}

static void end_region(void) {
    if (!F.live_region) return;
    while (F.depth > 0) {
        drop_depths(F.depth);
        ss_scope_end(&F.scope[F.depth]);
        F.depth--;
    }
    drop_depths(0);
    check_growth();
    ss_region_destroy(&F.r);
    F.live_region = 0;
}

static void new_region(unsigned sel) {
    end_region();
    F.kind = sel % 4 == 3 ? SS_REGION_RESERVE : SS_REGION_GROW;
    size_t bytes = (size_t)(1 + sel / 4 % 16) * (MiB / 2); /* 0.5 .. 8 MiB: 3 to 7 doublings */
    if (ss_region_create_kind(&F.r, "fuzz", bytes, F.kind) != 0) abort();
    F.live_region = 1;
    F.depth = 0;
    F.nlive = 0;
    F.at[0] = ss_region_allocator(&F.r);
    F.top = pointer(F.at[0]);
    F.lo = F.top - ss_region_size(&F.r);
    F.committed = 0;
    if (library_handler == NULL) library_handler = installed();
}

static void step(input *in) {
    ss_allocator s = F.at[F.depth];
    char *before = pointer(s);
    size_t room = (size_t)(before - F.lo);
    unsigned op = byte(in) % 10, a = byte(in), b = byte(in);
    /* sizes spread over six orders: a few bytes to most of the room */
    size_t n = ((size_t)(b | 1) << (a % 24)) >> 3;
    size_t align = (size_t)1 << (a >> 5);  /* 1 .. 128 */
    if (op <= 3) {
        if (n + align + 8 > room || F.nlive == MAX_LIVE) return;
        unsigned char *p;
        size_t al = align < 4 ? 4 : align;
        if (op == 0) {
            p = (unsigned char *)ss_alloc(s, (unsigned)(n / 4));
            n = n / 4 * 4;
            al = 4;
        } else if (op == 1) {
            p = ss_alloc_bytes(s, n, align);
        } else if (op == 2) {
            p = (unsigned char *)ss_new(s, uint64_t, n / 8);
            n = n / 8 * 8;
            al = _Alignof(uint64_t);
        } else {
            p = (unsigned char *)ss_alloc_aligned(s, n / 4, align);
            n = n / 4 * 4;
        }
        if ((uintptr_t)p % al || (char *)p < F.lo || (char *)p + n > before) abort();
        for (int i = 0; i < F.nlive; i++)
            if ((char *)p + n > (char *)F.live[i].p && F.live[i].n > 0) abort();
        block *nb = &F.live[F.nlive++];
        *nb = (block){p, n, (uint32_t)(a * 65599u + b), F.depth, 0};
        each_word(nb, 0, b & 1); /* faults in top-down or bottom-up */
        return;
    }
    switch (op) {
    case 4: /* the kernel's store: ss_touch first, then read(2) */
        if (n + 8 <= room && n > 0 && F.nlive < MAX_LIVE) {
            unsigned char *p = ss_alloc_bytes(s, n, 1);
            if (ss_touch(s, p, n) != 0) abort();
            size_t got = 0;
            while (got < n) {
                ssize_t k = read(zero_fd, p + got, n - got);
                if (k <= 0) abort(); /* EFAULT: not committed */
                got += (size_t)k;
            }
            F.live[F.nlive++] = (block){p, n, 0, F.depth, 1};
        }
        break;
    case 5:
        if (F.depth < MAX_DEPTH) {
            F.depth++;
            F.at[F.depth] = ss_scope_begin(&F.scope[F.depth], s);
        }
        break;
    case 6:
        if (F.depth > 0) {
            drop_depths(F.depth);
            ss_scope_reset(&F.scope[F.depth]);
        }
        break;
    case 7:
        if (F.depth > 0) {
            drop_depths(F.depth);
            ss_scope_end(&F.scope[F.depth]);
            F.depth--;
        }
        break;
    case 8:
        if (F.depth == 0) {
            drop_depths(0);
            ss_region_reset(&F.r);
        } else {
            check_growth();
        }
        break;
    default:
        if (a % 4 == 0) new_region(b); /* now and then, a new region */
        else check_growth();
        break;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    zero_fd = open("/dev/zero", O_RDONLY);
    return zero_fd >= 0 ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    input in = {data, size};
    new_region(byte(&in));
    while (in.n > 0) step(&in);
    end_region();
    return 0;
}
