/* The seed's preliminary experiment: add two vectors, return the first element (1 + 3).
   Compiled three ways (-DFORM_BUMP, -DFORM_MALLOC, -DFORM_STACK), with the helpers extern
   as the seed writes them or static (-DHELPER=static). Does `main` fold to `return 4`? */
#include <stdlib.h>

#ifndef HELPER
#define HELPER /* extern, as the seed writes them */
#endif

#if defined(FORM_BUMP)

typedef float **allocator;

HELPER float *alloc(allocator s, unsigned n) {
    *s -= n;
    return *s;
}

HELPER float *new_vector(allocator s, unsigned n, float x) {
    float *v = alloc(s, n);
    for (unsigned i = 0; i < n; i++) v[i] = x;
    return v;
}

HELPER float *add_vv(allocator s, const float *a, const float *b, unsigned n) {
    float *c = alloc(s, n);
    for (unsigned i = 0; i < n; i++) c[i] = a[i] + b[i];
    return c;
}

int main(void) {
    float storage[64];
    float *top = storage + 64;
    allocator s = &top;
    float *a = new_vector(s, 4, 1.0f);
    float *b = new_vector(s, 4, 3.0f);
    float *c = add_vv(s, a, b, 4);
    return (int)c[0];
}

#elif defined(FORM_MALLOC)

HELPER float *new_vector(unsigned n, float x) {
    float *v = malloc(n * sizeof(float));
    for (unsigned i = 0; i < n; i++) v[i] = x;
    return v;
}

HELPER float *add_vv(const float *a, const float *b, unsigned n) {
    float *c = malloc(n * sizeof(float));
    for (unsigned i = 0; i < n; i++) c[i] = a[i] + b[i];
    return c;
}

int main(void) {
    float *a = new_vector(4, 1.0f);
    float *b = new_vector(4, 3.0f);
    float *c = add_vv(a, b, 4);
    int r = (int)c[0];
    free(a);
    free(b);
    free(c);
    return r;
}

#elif defined(FORM_STACK)

typedef struct {
    float v[4];
} vec4;

HELPER vec4 new_vector(float x) {
    vec4 r;
    for (unsigned i = 0; i < 4; i++) r.v[i] = x;
    return r;
}

HELPER vec4 add_vv(vec4 a, vec4 b) {
    vec4 c;
    for (unsigned i = 0; i < 4; i++) c.v[i] = a.v[i] + b.v[i];
    return c;
}

int main(void) { return (int)add_vv(new_vector(1.0f), new_vector(3.0f)).v[0]; }

#else
#error "define FORM_BUMP, FORM_MALLOC or FORM_STACK"
#endif
