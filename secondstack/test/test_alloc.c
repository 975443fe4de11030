/* The allocator's behaviour, in release mode (test_alloc) and again in debug mode
   (test_alloc_debug): the same program must pass both. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ss_region.h"
#include "ss_test.h"

static ss_region R;

static void test_alloc_moves_down(void) {
    ss_allocator s = ss_region_allocator(&R);
    float *a = ss_alloc(s, 10);
    float *b = ss_alloc(s, 3);
    CHECK(b + 3 == a); /* contiguous, downward */
    CHECK_EQ_U(ss_region_used(&R), 13 * sizeof(float));
    for (int i = 0; i < 10; i++) a[i] = (float)i;
    for (int i = 0; i < 3; i++) b[i] = -1.0f;
    for (int i = 0; i < 10; i++) CHECK(a[i] == (float)i);
    float *z = ss_alloc(s, 0); /* a zero-length request is valid and takes nothing */
    CHECK(z == b);
    ss_region_reset(&R);
    CHECK_EQ_U(ss_region_used(&R), 0);
}

typedef struct {
    double x;
    char tag;
} pair_t;

static void test_typed_and_aligned(void) {
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 1); /* leave the pointer 4-aligned only */
    char *c = ss_new(s, char, 3);
    float *f = ss_alloc(s, 1); /* still float-aligned after 3 chars */
    CHECK_ALIGNED(c, 1);
    CHECK_ALIGNED(f, alignof(float));
    int *i = ss_new(s, int, 5);
    CHECK_ALIGNED(i, alignof(int));
    pair_t *p = ss_new(s, pair_t, 7);
    CHECK_ALIGNED(p, alignof(pair_t));
    CHECK((char *)(p + 7) <= (char *)i);
    for (int k = 0; k < 7; k++) p[k] = (pair_t){.x = k, .tag = (char)k};
    for (int k = 0; k < 5; k++) i[k] = -k;
    for (int k = 0; k < 7; k++) CHECK(p[k].x == k && p[k].tag == k);
    for (size_t align = 16; align <= 64; align *= 2) {
        (void)ss_new(s, char, 1);
        float *v = ss_alloc_aligned(s, 5, align);
        CHECK_ALIGNED(v, align);
        double *d = ss_new_aligned(s, double, 3, align);
        CHECK_ALIGNED(d, align);
        CHECK((char *)(d + 3) <= (char *)v);
    }
    max_align_t *m = ss_new(s, max_align_t, 2);
    CHECK_ALIGNED(m, alignof(max_align_t));
    ss_region_reset(&R);
}

/* Fill the n floats at p with `v` and check nothing else moved. */
static float *fill(float *p, unsigned n, float v) {
    for (unsigned i = 0; i < n; i++) p[i] = v;
    return p;
}

static int all(const float *p, unsigned n, float v) {
    for (unsigned i = 0; i < n; i++)
        if (p[i] != v) return 0;
    return 1;
}

static void test_scopes_nest(void) {
    ss_allocator s = ss_region_allocator(&R);
    float *keep = fill(ss_alloc(s, 8), 8, 1.0f);
    size_t used = ss_region_used(&R);

    ss_scope outer;
    ss_allocator t = ss_scope_begin(&outer, s);
    float *a = fill(ss_alloc(t, 100), 100, 2.0f);
    {
        ss_scope inner;
        ss_allocator u = ss_scope_begin(&inner, t);
        float *b = fill(ss_alloc(u, 50), 50, 3.0f);
        CHECK(b + 50 <= a);
        CHECK(ss_scope_peak(&inner) >= 50 * sizeof(float));
        ss_scope_end(&inner);
    }
    /* the child's memory is reused by the parent once the child ended */
    float *c = fill(ss_alloc(t, 50), 50, 4.0f);
    CHECK(c + 50 == a);
    CHECK(all(a, 100, 2.0f));
    ss_scope_end(&outer);

    CHECK(all(keep, 8, 1.0f));
    CHECK_EQ_U(ss_region_used(&R), used); /* scopes never moved the root */
    float *d = ss_alloc(s, 4);
    CHECK(d + 4 == keep);
    ss_region_reset(&R);
}

/* The seed's loop: the step's temporaries are discarded every iteration, so the memory used
   does not grow with the number of iterations. */
static void test_scope_reset_in_loop(void) {
    ss_allocator s = ss_region_allocator(&R);
    float *acc = fill(ss_alloc(s, 16), 16, 0.0f);
    ss_scope step;
    ss_allocator t = ss_scope_begin(&step, s);
    float *first = NULL;
    for (int it = 0; it < 1000; it++) {
        ss_scope_reset(&step);
        float *k = fill(ss_alloc(t, 16), 16, 1.0f);
        float *k2 = fill(ss_alloc(t, 16), 16, 2.0f);
        if (first == NULL) first = k;
        CHECK(k == first); /* same place every iteration */
        for (int i = 0; i < 16; i++) acc[i] += k[i] + k2[i];
    }
    CHECK(all(acc, 16, 3000.0f));
    ss_scope_end(&step);
    ss_region_reset(&R);
}

/* Several scopes, one after another, in one function. */
static void test_scopes_in_sequence(void) {
    ss_allocator s = ss_region_allocator(&R);
    float *tops[3];
    for (int i = 0; i < 3; i++) {
        ss_scope sc;
        ss_allocator t = ss_scope_begin(&sc, s);
        tops[i] = fill(ss_alloc(t, 10 * (unsigned)(i + 1)), 10 * (unsigned)(i + 1), (float)i);
        ss_scope_end(&sc);
    }
    ss_scope a, b;
    ss_allocator ta = ss_scope_begin(&a, s);
    (void)ss_alloc(ta, 4);
    ss_scope_end(&a);
    ss_allocator tb = ss_scope_begin(&b, s);
    (void)ss_alloc(tb, 4);
    ss_scope_end(&b);
    CHECK(tops[0] + 10 == tops[1] + 20);
    CHECK_EQ_U(ss_region_used(&R), 0);
    ss_region_reset(&R);
}

typedef SS_ARRAY(int) int_array;
typedef struct {
    float x, y;
    int id;
} body_t;
SS_ARRAY_TYPE(body_array, body_t); /* the named form; int_array above is the typedef it stands for */

/* The array is the newest allocation the whole time: it extends downward in place. */
static void test_array_extend_path(void) {
    ss_allocator s = ss_region_allocator(&R);
    int_array a = {0};
    enum { N = 1000000 };
    int *p = ss_push(s, &a, 0);
    CHECK(p == &a.data[0]);
    for (int i = 1; i < N; i++) ss_push(s, &a, i);
    CHECK_EQ_U(a.len, N);
    int ok = 1;
    for (int i = 0; i < N; i++) ok &= a.data[i] == i;
    CHECK(ok);
    /* capacity doubled from 16 with no waste: the region holds exactly the array */
    CHECK(a.cap >= N && a.cap < 2 * (size_t)N);
    CHECK_EQ_U(ss_region_used(&R), a.cap * sizeof(int));
    ss_region_reset(&R);
}

/* Something else is allocated between pushes: every growth copies into fresh memory. */
static void test_array_copy_path(void) {
    ss_allocator s = ss_region_allocator(&R);
    int_array a = {0};
    body_array b = {0};
    enum { N = 1000000 };
    for (int i = 0; i < N; i++) {
        ss_push(s, &a, i);
        ss_push(s, &b, ((body_t){(float)i, (float)-i, i}));
    }
    CHECK_EQ_U(a.len, N);
    CHECK_EQ_U(b.len, N);
    CHECK_ALIGNED(b.data, alignof(body_t));
    int ok = 1;
    for (int i = 0; i < N; i++) ok &= a.data[i] == i && b.data[i].id == i && b.data[i].x == (float)i;
    CHECK(ok);
    /* at most twice the final capacities, plus alignment */
    size_t finals = a.cap * sizeof(int) + b.cap * sizeof(body_t);
    CHECK(ss_region_used(&R) <= 2 * finals + 64);
    ss_region_reset(&R);
}

/* A push that lands in a scope's allocator and an array kept across a reset-free loop. */
static void test_array_in_scope(void) {
    ss_allocator s = ss_region_allocator(&R);
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    for (int round = 0; round < 3; round++) {
        ss_scope_reset(&sc);
        int_array a = {0};
        for (int i = 0; i < 1000; i++) {
            int *slot = ss_push(t, &a, 0);
            *slot = i * round;
        }
        int ok = 1;
        for (int i = 0; i < 1000; i++) ok &= a.data[i] == i * round;
        CHECK(ok);
    }
    ss_scope_end(&sc);
    CHECK_EQ_U(ss_region_used(&R), 0);
}

/* Arrays passed between functions through their named type. */
static void collect(ss_allocator s, int_array *out, int from, int to) {
    for (int i = from; i < to; i++) ss_push(s, out, i);
}

static void test_array_pop_reserve_clear(void) {
    ss_allocator s = ss_region_allocator(&R);
    int_array a = {0};
    collect(s, &a, 0, 10);
    CHECK_EQ_U(a.len, 10);
    CHECK_EQ_U(ss_pop(&a), 9);
    CHECK_EQ_U(ss_pop(&a), 8);
    CHECK_EQ_U(a.len, 8);
    /* reserve: room for n more, nothing pushed; no growth while filling it */
    ss_reserve(s, &a, 1000);
    CHECK(a.cap >= a.len + 1000);
    CHECK_EQ_U(a.len, 8);
    int *data = a.data;
    size_t cap = a.cap;
    collect(s, &a, 8, 1008);
    CHECK(a.data == data && a.cap == cap);
    int ok = 1;
    for (int i = 0; i < 1008; i++) ok &= a.data[i] == i;
    CHECK(ok);
    ss_reserve(s, &a, 0); /* enough room already: nothing happens */
    CHECK(a.data == data && a.cap == cap);
    ss_clear(&a);
    CHECK_EQ_U(a.len, 0);
    CHECK(a.cap == cap);
    ss_region_reset(&R);
}

static void test_new_zero_and_renew(void) {
    ss_allocator s = ss_region_allocator(&R);
    float *junk = ss_alloc(s, 64);
    for (int i = 0; i < 64; i++) junk[i] = 1.0f;
    ss_region_reset(&R); /* the memory below held ones: ss_new_zero must clear it */
    (void)ss_alloc(s, 1);
    body_t *z = ss_new_zero(s, body_t, 5);
    CHECK_ALIGNED(z, alignof(body_t));
    int zero = 1;
    for (int i = 0; i < 5; i++) zero &= z[i].x == 0.0f && z[i].y == 0.0f && z[i].id == 0;
    CHECK(zero);

    /* the newest allocation grows where it is: its start moves down, nothing is wasted */
    int *p = ss_new(s, int, 4);
    for (int i = 0; i < 4; i++) p[i] = i + 1;
    size_t used = ss_region_used(&R);
    int *q = ss_renew(s, int, p, 4, 10);
    CHECK(q + 6 == p);
    CHECK_EQ_U(ss_region_used(&R), used + 6 * sizeof(int));
    CHECK(q[0] == 1 && q[3] == 4);
    /* shrinking keeps the block */
    CHECK(ss_renew(s, int, q, 10, 2) == q);
    /* not the newest: a copy */
    (void)ss_alloc(s, 3);
    int *c = ss_renew(s, int, q, 4, 8);
    CHECK(c != q && c[0] == 1 && c[1] == 2 && c[2] == 3 && c[3] == 4);
    ss_region_reset(&R);
}

static void test_strings(void) {
    ss_allocator s = ss_region_allocator(&R);
    const char *hello = "hello, region";
    char *a = ss_strdup(s, hello);
    CHECK(a != hello && strcmp(a, hello) == 0);
    char *b = ss_strndup(s, hello, 5);
    CHECK(strcmp(b, "hello") == 0);
    char *c = ss_strndup(s, "ab", 100); /* n beyond the string: the string */
    CHECK(strcmp(c, "ab") == 0);
    char *d = ss_sprintf(s, "%s %d %.2f", "n =", 42, 0.5);
    CHECK(strcmp(d, "n = 42 0.50") == 0);
    char *e = ss_sprintf(s, "%s", "");
    CHECK(e != NULL && e[0] == '\0');
    /* longer than any internal buffer: measured, then written */
    char *f = ss_sprintf(s, "%5000d|", 7);
    CHECK(strlen(f) == 5001 && f[4999] == '7' && f[5000] == '|');
    CHECK(strcmp(a, hello) == 0); /* nothing written over the earlier strings */
    ss_region_reset(&R);
}

static void test_avail_and_try(void) {
    ss_region f;
    char *mem = malloc(4096);
    if (mem == NULL || ss_region_init(&f, "try", mem, 4096) != 0) {
        CHECK(0);
        return;
    }
    ss_allocator s = ss_region_allocator(&f);
    CHECK_EQ_U(ss_region_avail(&f, s), ss_region_size(&f));
    float *v = ss_try_alloc_bytes(&f, s, 1000, 64);
    CHECK(v != NULL);
    CHECK_ALIGNED(v, 64);
    size_t left = ss_region_avail(&f, s);
    CHECK(left <= ss_region_size(&f) - 1000);
    CHECK(ss_try_new(&f, s, char, left + 1) == NULL); /* does not fit: nothing taken */
    CHECK_EQ_U(ss_region_avail(&f, s), left);
    CHECK(ss_try_new(&f, s, body_t, SIZE_MAX / 2) == NULL); /* count x size overflows */
    char *all = ss_try_new(&f, s, char, left);           /* exactly what is left fits */
    CHECK(all != NULL && ss_region_avail(&f, s) == 0);
    ss_scope sc; /* a scope's allocator: the space below its own pointer */
    ss_region_reset(&f);
    (void)ss_alloc(s, 10);
    ss_allocator t = ss_scope_begin(&sc, s);
    (void)ss_alloc(t, 20);
    CHECK_EQ_U(ss_region_avail(&f, t), ss_region_size(&f) - 120);
    ss_scope_end(&sc);
    ss_region_destroy(&f);
    free(mem);
}

static void test_version(void) {
    CHECK_EQ_U(SS_VERSION, SS_VERSION_MAJOR * 10000 + SS_VERSION_MINOR * 100 + SS_VERSION_PATCH);
    CHECK(SS_VERSION_MAJOR == 0 && SS_VERSION_MINOR >= 2);
}

static void test_stats(void) {
    ss_region R; /* fresh: statistics are kept for the region's life */
    char *mem = malloc(4096);
    ss_region_init(&R, "stats", mem, 4096);
    ss_allocator s = ss_region_allocator(&R);
    (void)ss_alloc(s, 25);
    ss_stats st = ss_region_stats(&R);
    CHECK_EQ_U(st.in_use, 100);
#ifdef SS_DEBUG
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    (void)ss_alloc(t, 50);
    ss_scope_reset(&sc);
    (void)ss_alloc(t, 10);
    CHECK_EQ_U(ss_scope_peak(&sc), 200);
    ss_scope_end(&sc);
    st = ss_region_stats(&R);
    CHECK_EQ_U(st.high_water, 300);
    CHECK_EQ_U(st.largest_scope, 200);
    CHECK(st.scopes_opened >= 1);
    CHECK_EQ_U(st.max_depth, 1);
    CHECK_EQ_U(st.allocations, 3);
    CHECK_EQ_U(st.bytes_requested, 340);
#endif
    /* The CSV the X-macro list generates: the header names every field in order, the row
       holds their values. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ss_stats_csv_header(f);
    ss_stats_csv_row(f, &st);
    fclose(f);
    char want[512];
    snprintf(want, sizeof want,
             "in_use,high_water,allocations,bytes_requested,scopes_opened,max_depth,largest_scope\n"
             "%zu,%zu,%zu,%zu,%zu,%zu,%zu\n",
             st.in_use, st.high_water, st.allocations, st.bytes_requested, st.scopes_opened, st.max_depth,
             st.largest_scope);
    CHECK(text != NULL && strcmp(text, want) == 0);
    free(text);
    ss_region_destroy(&R);
    free(mem);
}

int main(void) {
    if (ss_region_create(&R, "test", 64u << 20) != 0) {
        perror("ss_region_create");
        return 2;
    }
    test_alloc_moves_down();
    test_typed_and_aligned();
    test_scopes_nest();
    test_scope_reset_in_loop();
    test_scopes_in_sequence();
    test_array_extend_path();
    test_array_copy_path();
    test_array_in_scope();
    test_array_pop_reserve_clear();
    test_new_zero_and_renew();
    test_strings();
    test_avail_and_try();
    test_version();
    test_stats();
    ss_region_destroy(&R);
    return ss_test_summary(
#ifdef SS_DEBUG
        "test_alloc_debug"
#else
        "test_alloc"
#endif
    );
}
