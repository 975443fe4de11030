/* A miniature of the vector library and an integrator step, bump style: the evidence tools'
   test subject (tests/evidence/test_evidence.py), standing in for impl_bump/. */
#define SS_HEADER_ONLY
#include "secondstack.h"

static inline float *add_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *c = ss_alloc(s, n);
    for (unsigned i = 0; i < n; i++) c[i] = a[i] + b[i];
    return c;
}

static inline float *mul_vs(ss_allocator s, const float *a, float x, unsigned n) {
    float *c = ss_alloc(s, n);
    for (unsigned i = 0; i < n; i++) c[i] = a[i] * x;
    return c;
}

static inline float dot(const float *a, const float *b, unsigned n) {
    float r = 0.0f;
    for (unsigned i = 0; i < n; i++) r += a[i] * b[i];
    return r;
}

/* One explicit midpoint step of y' = -y; returns the new state. */
float *fx_step(ss_allocator s, const float *y, float h, unsigned n) {
    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    float *k1 = mul_vs(t, y, -1.0f, n);
    float *ym = add_vv(t, y, mul_vs(t, k1, h / 2, n), n);
    float *k2 = mul_vs(t, ym, -1.0f, n);
    ss_scope_end(&sc);
    return add_vv(s, y, mul_vs(s, k2, h, n), n);
}
