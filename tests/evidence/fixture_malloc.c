/* A miniature of the vector library and an integrator step, malloc style, RAII through
   cleanup: the evidence tools' test subject, standing in for impl_malloc/. */
#include <stdlib.h>

static inline void free_vec(float **p) { free(*p); }
#define scoped __attribute__((cleanup(free_vec)))

static inline float *add_vv(const float *a, const float *b, unsigned n) {
    float *c = malloc(n * sizeof(float));
    for (unsigned i = 0; i < n; i++) c[i] = a[i] + b[i];
    return c;
}

static inline float *mul_vs(const float *a, float x, unsigned n) {
    float *c = malloc(n * sizeof(float));
    for (unsigned i = 0; i < n; i++) c[i] = a[i] * x;
    return c;
}

static inline float dot(const float *a, const float *b, unsigned n) {
    float r = 0.0f;
    for (unsigned i = 0; i < n; i++) r += a[i] * b[i];
    return r;
}

/* One explicit midpoint step of y' = -y; returns the new state (the caller frees it). */
float *fx_step(const float *y, float h, unsigned n) {
    scoped float *k1 = mul_vs(y, -1.0f, n);
    scoped float *hk1 = mul_vs(k1, h / 2, n);
    scoped float *ym = add_vv(y, hk1, n);
    scoped float *k2 = mul_vs(ym, -1.0f, n);
    scoped float *hk2 = mul_vs(k2, h, n);
    return add_vv(y, hk2, n);
}
