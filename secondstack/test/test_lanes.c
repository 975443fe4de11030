/* test_lanes — the vector-code API (secondstack.h, "Vector code"): a lane vector is fresh,
   aligned to a block and padded by at least a block; the clears and the copy write exactly
   what they say; a kernel written in the header's pattern computes what the scalar loop does,
   bit for bit, for every n, and leaves its pads +0.0f. Built in release mode, under
   SS_CHECKED and in debug mode, where ss_lanes_in must also catch an input below the bump
   pointer, a pad that is not +0.0f and a misaligned input, each reported at its file:line. */
#include <limits.h>
#include <stdint.h>

#include "ss_region.h"
#include "ss_test.h"

static int bits_zero(float x) {
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return b == 0;
}

static int pads_zero(const float *v, unsigned n) {
    for (size_t i = n; i < ss_lanes_padded(n); i++)
        if (!bits_zero(v[i])) return 0;
    return 1;
}

static void test_sizes(void) {
    for (unsigned n = 0; n < 100; n++) {
        size_t blocks = ss_lanes_blocks(n), padded = ss_lanes_padded(n);
        CHECK_EQ_U(blocks, (n + SS_LANES - 1) / SS_LANES);
        CHECK_EQ_U(padded % SS_LANES, 0);
        CHECK(padded >= (size_t)n + SS_LANES); /* a whole block may start anywhere in [0, n] */
        CHECK(padded < (size_t)n + 2 * SS_LANES);
    }
    CHECK_EQ_U(ss_lanes_blocks(UINT_MAX), UINT_MAX / SS_LANES + 1); /* no overflow */
}

/* Each lane vector is aligned and lies wholly below everything allocated before it. */
static void test_alloc(ss_allocator s) {
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    const char *below = (const char *)ss_alloc(t, 1); /* leaves the pointer misaligned */
    for (unsigned n = 0; n < 70; n++) {
        float *v = ss_alloc_lanes(t, n);
        CHECK_ALIGNED(v, SS_LANES * sizeof(float));
        CHECK((const char *)(v + ss_lanes_padded(n)) <= below);
        below = (const char *)v;
    }
    ss_scope_end(&sc);
}

/* clear_pads: every lane from n on; clear_spare: the block past the last that holds lane n−1. */
static void test_clears(ss_allocator s) {
    for (unsigned n = 0; n < 40; n++) {
        ss_scope sc;
        ss_allocator t = ss_scope_begin(&sc, s);
        float *a = ss_alloc_lanes(t, n), *b = ss_alloc_lanes(t, n);
        size_t padded = ss_lanes_padded(n), spare = (size_t)ss_lanes_blocks(n) * SS_LANES;
        for (size_t i = 0; i < padded; i++) a[i] = b[i] = -1.5f;
        ss_lanes_clear_pads(a, n);
        ss_lanes_clear_spare(b, n);
        for (size_t i = 0; i < padded; i++) {
            CHECK(i < n ? a[i] == -1.5f : bits_zero(a[i]));
            CHECK(i < spare ? b[i] == -1.5f : bits_zero(b[i]));
        }
        ss_scope_end(&sc);
    }
}

/* ss_lanes_copy moves blocks·SS_LANES floats to any destination and nothing more. */
static void test_copy(ss_allocator s) {
    enum { MAX_BLOCKS = 4, SPAN = (MAX_BLOCKS + 2) * SS_LANES };
    float from[SPAN], to[SPAN + SS_LANES];
    for (unsigned i = 0; i < SPAN; i++) from[i] = (float)i + 0.25f;
    (void)s;
    for (size_t blocks = 0; blocks <= MAX_BLOCKS; blocks++)
        for (unsigned at = 0; at <= SS_LANES; at++)
            for (unsigned src = 0; src < SS_LANES; src++) {
                for (unsigned i = 0; i < SPAN + SS_LANES; i++) to[i] = -7.0f;
                ss_lanes_copy(to + at, from + src, blocks);
                for (unsigned i = 0; i < SPAN + SS_LANES; i++) {
                    int inside = i >= at && i < at + blocks * SS_LANES;
                    CHECK(inside ? to[i] == from[i - at + src] : to[i] == -7.0f);
                }
            }
}

//~ The header's kernel pattern

/* SS_LANES_FOR visits every lane of the blocks of n once, in order: [0, blocks · SS_LANES). */
static void test_lanes_for(void) {
    for (unsigned n = 0; n < 40; n++) {
        size_t next = 0;
        int in_order = 1;
        SS_LANES_FOR(i, n) {
            in_order &= i == next;
            next++;
        }
        CHECK(in_order);
        CHECK_EQ_U(next, (size_t)ss_lanes_blocks(n) * SS_LANES);
    }
}

static void scale_lanes(float *SS_FRESH r, const float *a, float x, unsigned n) {
    SS_LANES_FOR(i, n) r[i] = a[i] * x;
    ss_lanes_clear_pads(r, n);
}

static void add_lanes(float *SS_FRESH r, const float *a, const float *b, unsigned n) {
    SS_LANES_FOR(i, n) r[i] = a[i] + b[i];
    ss_lanes_clear_spare(r, n);
}

static float *scale(ss_allocator s, const float *a, float x, unsigned n) {
    float *r = ss_alloc_lanes(s, n);
    scale_lanes(r, ss_lanes_in(s, a, n), x, n);
    return r;
}

static float *add(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *r = ss_alloc_lanes(s, n);
    add_lanes(r, ss_lanes_in(s, a, n), ss_lanes_in(s, b, n), n);
    return r;
}

/* −a + a·0.5 on lane vectors against the same in a scalar loop; the scaling by −1 would put
   −0.0f into the pads without the clear, which the next ss_lanes_in (debug mode) rejects. */
static void test_kernels(ss_allocator s) {
    for (unsigned n = 1; n < 70; n++) {
        ss_scope sc;
        ss_allocator t = ss_scope_begin(&sc, s);
        float *a = ss_alloc_lanes(t, n);
        for (unsigned i = 0; i < n; i++) a[i] = (float)i / 3.0f - 5.0f;
        ss_lanes_clear_pads(a, n);
        float *r = add(t, scale(t, a, -1.0f, n), scale(t, a, 0.5f, n), n);
        int same = 1;
        for (unsigned i = 0; i < n; i++) {
            float want = a[i] * -1.0f + a[i] * 0.5f;
            same &= memcmp(&r[i], &want, sizeof want) == 0;
        }
        CHECK(same);
        CHECK(pads_zero(r, n));
        ss_scope_end(&sc);
    }
}

//~ Debug mode: what ss_lanes_in checks, reported at the line of the call

#ifdef SS_DEBUG
static ss_region D;

#define AT(stmt)                                  \
    do {                                          \
        fprintf(stderr, "@line %d\n", __LINE__); \
        stmt;                                     \
    } while (0)

/* A vector of a discarded scope lies below the bump pointer once the parent allocates. */
static void input_below_pointer(void) {
    ss_allocator s = ss_region_allocator(&D);
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    (void)ss_alloc_lanes(t, 8);
    float *old = ss_alloc_lanes(t, 8);
    ss_lanes_clear_pads(old, 8);
    ss_scope_end(&sc);
    (void)ss_alloc_lanes(s, 8); /* takes the memory of the scope's first vector */
    AT((void)ss_lanes_in(s, old, 8));
}

static void pad_not_zero(void) {
    ss_allocator s = ss_region_allocator(&D);
    float *v = ss_alloc_lanes(s, 5);
    ss_lanes_clear_pads(v, 5);
    v[6] = -0.0f;
    AT((void)ss_lanes_in(s, v, 5));
}

static void misaligned(void) {
    ss_allocator s = ss_region_allocator(&D);
    float *v = ss_alloc_lanes(s, 16);
    ss_lanes_clear_pads(v, 16);
    AT((void)ss_lanes_in(s, v + 1, 15));
}

static void expect_at(const char *name, void (*fn)(void), const char *expect) {
    int before = ss_test_failures;
    ss_test_expect_death(name, fn, SIGABRT, expect, __FILE__, __LINE__);
    if (ss_test_failures != before) return;
    const char *at = strstr(ss_test_output, "@line ");
    char want[64];
    snprintf(want, sizeof want, "test_lanes.c:%d: ", at ? atoi(at + 6) : -1);
    ss_test_checks++;
    if (at == NULL || strstr(ss_test_output, want) == NULL) {
        ss_test_failures++;
        fprintf(stderr, "%s: the report does not name %s; stderr:\n%s\n", name, want, ss_test_output);
    }
}

static void test_debug_checks(void) {
    if (ss_region_create(&D, "lanes", 1 << 16) != 0) exit(2);
    expect_at("input_below_pointer", input_below_pointer, "lies below the bump pointer");
    expect_at("pad_not_zero", pad_not_zero, "pad lane 6 is -0 (bits 0x80000000), not +0.0f");
    expect_at("misaligned", misaligned, "is not aligned to 32 bytes");
    ss_region_destroy(&D);
}
#endif

int main(void) {
    ss_region r;
    if (ss_region_create(&r, "lanes", 1 << 20) != 0) return 2;
    ss_allocator s = ss_region_allocator(&r);
    test_sizes();
    test_alloc(s);
    test_clears(s);
    test_copy(s);
    test_lanes_for();
    test_kernels(s);
    ss_region_destroy(&r);
#ifdef SS_DEBUG
    test_debug_checks();
#endif
    return ss_test_summary("test_lanes");
}
