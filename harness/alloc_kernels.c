/* alloc_kernels.c — what one allocation costs, and what a push costs, per strategy. */
#include "alloc_kernels.h"

#include <stdio.h>
#include <stdlib.h>

/* The pointer escapes into an empty asm: the allocation cannot be elided (gcc and clang both
   remove a malloc/free pair whose result is unused), but nothing else is added. */
#define CONSUME(p) __asm__ volatile("" : : "r"(p) : "memory")

enum { MAX_K = 64 };

float kern_bump_alloc(ss_allocator s, unsigned n, unsigned k, unsigned rounds) {
    float acc = 0.0f;
    ss_scope round;
    ss_allocator t = ss_scope_begin(&round, s);
    for (unsigned r = 0; r < rounds; r++) {
        ss_scope_reset(&round);
        for (unsigned j = 0; j < k; j++) {
            float *p = ss_alloc(t, n);
            p[0] = (float)r;
            p[n - 1] = (float)j;
            CONSUME(p);
            acc += p[0];
        }
    }
    ss_scope_end(&round);
    return acc;
}

float kern_malloc_free(unsigned n, unsigned k, unsigned rounds) {
    float acc = 0.0f;
    float *blocks[MAX_K];
    if (k > MAX_K) k = MAX_K;
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned j = 0; j < k; j++) {
            float *p = malloc(n * sizeof(float));
            if (p == NULL) abort();
            p[0] = (float)r;
            p[n - 1] = (float)j;
            CONSUME(p);
            acc += p[0];
            blocks[j] = p;
        }
        for (unsigned j = 0; j < k; j++) free(blocks[j]);
    }
    return acc;
}

typedef SS_ARRAY(int) int_array;

long kern_push_ss(ss_allocator s, unsigned count, int two) {
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    int_array a = {0}, b = {0};
    for (unsigned i = 0; i < count; i++) {
        ss_push(t, &a, (int)i);
        if (two) ss_push(t, &b, (int)i);
    }
    CONSUME(a.data);
    long sum = (long)a.len + a.data[count / 2] + (two ? b.data[count - 1] : 0);
    ss_scope_end(&sc);
    return sum;
}

/* A careful C programmer's growable array: realloc doubling from the same first capacity. */
typedef struct {
    int *data;
    size_t len, cap;
} vec_int;

static void vec_push(vec_int *v, int x) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : SS_ARRAY_MIN_CAP;
        int *p = realloc(v->data, cap * sizeof *p);
        if (p == NULL) abort();
        v->data = p;
        v->cap = cap;
    }
    v->data[v->len++] = x;
}

long kern_push_realloc(unsigned count, int two) {
    vec_int a = {0}, b = {0};
    for (unsigned i = 0; i < count; i++) {
        vec_push(&a, (int)i);
        if (two) vec_push(&b, (int)i);
    }
    CONSUME(a.data);
    long sum = (long)a.len + a.data[count / 2] + (two ? b.data[count - 1] : 0);
    free(a.data);
    free(b.data);
    return sum;
}
