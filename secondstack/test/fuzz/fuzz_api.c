/* fuzz_api.c — libFuzzer target (clang -fsanitize=fuzzer,address,undefined): random
   well-nested sequences of the allocator's API on a fixed, a caller's or an OS-backed region
   (a plain mapping under ASan), checking every block's alignment, that it lies inside the
   region below every live block, and its contents until its scope discards it; ASan checks
   that nothing discarded is touched and nothing live is poisoned.

   The input is read as a byte stream: one byte picks the region, then each operation is one
   byte of opcode and its operands. Requests never exceed what is left (release mode does not
   check, and a fuzzer must not die of a correct refusal). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ss_region.h"

#define MAX_DEPTH 8
#define MAX_LIVE 512

typedef struct {
    const uint8_t *d;
    size_t n;
} input;

static unsigned byte(input *in) {
    if (in->n == 0) return 0;
    in->n--;
    return *in->d++;
}

static unsigned u16(input *in) { return byte(in) | byte(in) << 8; }

typedef struct {
    unsigned char *p;
    size_t n;
    unsigned seed;
    int depth;
} block;

typedef SS_ARRAY(int) int_array;

static struct {
    ss_region r;
    char *lo, *top;
    ss_allocator at[MAX_DEPTH + 1]; /* at[0]: the root; at[d]: the scope at depth d */
    ss_scope scope[MAX_DEPTH + 1];
    int depth;
    block live[MAX_LIVE];
    int nlive;
    int_array arr[MAX_DEPTH + 1]; /* one growable array per depth, from that depth's allocator */
    unsigned arr_seed[MAX_DEPTH + 1];
} F;

static unsigned char pattern(unsigned seed, size_t i) { return (unsigned char)(seed * 31u + i * 7u + (i >> 8)); }

static void verify(const block *b) {
    for (size_t i = 0; i < b->n; i++)
        if (b->p[i] != pattern(b->seed, i)) abort();
}

/* The ends of every live block: what a neighbour overrunning it would hit first. */
static void verify_ends(void) {
    for (int i = 0; i < F.nlive; i++) {
        const block *b = &F.live[i];
        for (size_t k = 0; k < 16 && k < b->n; k++)
            if (b->p[k] != pattern(b->seed, k) || b->p[b->n - 1 - k] != pattern(b->seed, b->n - 1 - k)) abort();
    }
}

static void verify_array(int d) {
    for (size_t i = 0; i < F.arr[d].len; i++)
        if (F.arr[d].data[i] != (int)(F.arr_seed[d] + i)) abort();
}

/* The lowest live byte: every new block must end at or below it. */
static char *lowest_live(void) {
    char *low = F.top;
    for (int i = 0; i < F.nlive; i++)
        if ((char *)F.live[i].p < low) low = (char *)F.live[i].p;
    for (int d = 0; d <= F.depth; d++)
        if (F.arr[d].data != NULL && (char *)F.arr[d].data < low) low = (char *)F.arr[d].data;
    return low;
}

static char *pointer(ss_allocator s) { return (char *)ss_alloc_bytes(s, 0, 1); } /* where s is */

/* Drops (after verifying) the blocks and array of depths >= d; d > MAX_DEPTH verifies
   everything and drops nothing. */
static void drop_depths(int d) {
    int k = 0;
    for (int i = 0; i < F.nlive; i++) {
        if (F.live[i].depth >= d || d > MAX_DEPTH) verify(&F.live[i]);
        if (F.live[i].depth < d) F.live[k++] = F.live[i];
    }
    F.nlive = k;
    if (d > MAX_DEPTH)
        for (int j = 0; j <= F.depth; j++) verify_array(j);
    for (int j = d; j <= MAX_DEPTH; j++) {
        verify_array(j);
        F.arr[j] = (int_array){0};
    }
}

static void checked(unsigned char *p, size_t n, size_t align, char *before, unsigned seed) {
    if ((uintptr_t)p % align) abort();
    if ((char *)p < F.lo || (char *)p + n > before || (char *)p + n > lowest_live()) abort();
    if (F.nlive == MAX_LIVE) {
        drop_depths(MAX_DEPTH + 1); /* verify only: keep going without recording */
        return;
    }
    block *b = &F.live[F.nlive++];
    *b = (block){p, n, seed, F.depth};
    for (size_t i = 0; i < n; i++) p[i] = pattern(seed, i);
}

typedef struct {
    char c[3];
} three;

static void step(input *in) {
    ss_allocator s = F.at[F.depth];
    char *before = pointer(s);
    size_t room = (size_t)(before - F.lo);
    unsigned op = byte(in) % 12, seed = byte(in);
    size_t n = u16(in) % 4096;
    size_t align = (size_t)1 << (byte(in) % 8); /* 1 .. 128 */
    switch (op) {
    case 0:
        if (n * 4 + 4 <= room) checked((unsigned char *)ss_alloc(s, (unsigned)n), n * 4, 4, before, seed);
        break;
    case 1:
        if (n * 8 + 8 <= room) checked((unsigned char *)ss_new(s, double, n), n * 8, _Alignof(double), before, seed);
        break;
    case 2:
        if (n * 3 + 4 <= room) checked((unsigned char *)ss_new(s, three, n), n * 3, 1, before, seed);
        break;
    case 3:
        if (n * 4 + align + 4 <= room)
            checked((unsigned char *)ss_alloc_aligned(s, n, align), n * 4, align < 4 ? 4 : align, before, seed);
        break;
    case 4:
        if (n + align + 4 <= room) checked(ss_alloc_bytes(s, n, align), n, align, before, seed);
        break;
    case 5:
        if (n * 4 + align + 4 <= room) {
            size_t a = align < _Alignof(int) ? _Alignof(int) : align;
            checked((unsigned char *)ss_new_aligned(s, int, n, align), n * 4, a, before, seed);
        }
        break;
    case 6:
        if (F.depth < MAX_DEPTH) {
            F.depth++;
            F.at[F.depth] = ss_scope_begin(&F.scope[F.depth], s);
            if (pointer(F.at[F.depth]) != before) abort(); /* a child starts at its parent's pointer */
        }
        break;
    case 7:
        if (F.depth > 0) {
            drop_depths(F.depth);
            ss_scope_reset(&F.scope[F.depth]);
            if (pointer(s) != pointer(F.at[F.depth - 1])) abort(); /* back where it began */
        }
        break;
    case 8:
        if (F.depth > 0) {
            drop_depths(F.depth);
            ss_scope_end(&F.scope[F.depth]);
            F.depth--;
        }
        break;
    case 9: {
        /* Pushes: growth takes at most twice the capacity below the pointer. */
        int_array *a = &F.arr[F.depth];
        if (a->data == NULL) F.arr_seed[F.depth] = seed;
        for (size_t k = n % 300; k > 0; k--) {
            size_t need = a->len == a->cap ? 2 * (a->cap ? 2 * a->cap : SS_ARRAY_MIN_CAP) * sizeof(int) + 8 : 0;
            if (need > (size_t)(pointer(s) - F.lo)) break;
            int *e = ss_push(s, a, (int)(F.arr_seed[F.depth] + a->len));
            if ((uintptr_t)e % _Alignof(int) || *e != (int)(F.arr_seed[F.depth] + a->len - 1)) abort();
        }
        verify_array(F.depth);
        break;
    }
    case 10:
        if (F.depth == 0) {
            drop_depths(0);
            ss_region_reset(&F.r);
            if (ss_region_used(&F.r) != 0 || pointer(F.at[0]) != F.top) abort();
        }
        break;
    default:
        verify_ends();
        break;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    setenv("SS_QUIET", "1", 1); /* the fallback notice, once per process */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    input in = {data, size};
    unsigned kind = byte(&in) % 8; /* 0-3 fixed, 4-6 the caller's, 7 OS-backed (reads /proc: slow) */
    size_t bytes = (size_t)(1 + byte(&in) % 64) * 4096; /* 4 KiB .. 256 KiB */
    void *mem = NULL;
    memset(&F, 0, sizeof F);
    int rc = kind < 4    ? ss_region_create(&F.r, "fuzz", bytes)
             : kind < 7  ? ss_region_init(&F.r, "fuzz", mem = aligned_alloc(64, bytes), bytes)
                         : ss_region_create_kind(&F.r, "fuzz", bytes, SS_REGION_GROW);
    if (rc != 0) abort();
    F.at[0] = ss_region_allocator(&F.r);
    F.top = pointer(F.at[0]);
    F.lo = F.top - ss_region_size(&F.r);
    while (in.n > 0) step(&in);
    while (F.depth > 0) {
        drop_depths(F.depth);
        ss_scope_end(&F.scope[F.depth]);
        F.depth--;
    }
    drop_depths(0);
    ss_region_destroy(&F.r);
    free(mem);
    return 0;
}
