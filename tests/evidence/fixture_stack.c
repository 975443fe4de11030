/* A miniature of the vector library and an integrator step, stack style with the length
   fixed at compile time (FX_N): the evidence tools' test subject, standing in for impl_stack/. */
#ifndef FX_N
#define FX_N 64
#endif

typedef struct {
    float v[FX_N];
} vec;

static inline void add_vv(vec *c, const vec *a, const vec *b) {
    for (unsigned i = 0; i < FX_N; i++) c->v[i] = a->v[i] + b->v[i];
}

static inline void mul_vs(vec *c, const vec *a, float x) {
    for (unsigned i = 0; i < FX_N; i++) c->v[i] = a->v[i] * x;
}

static inline float dot(const vec *a, const vec *b) {
    float r = 0.0f;
    for (unsigned i = 0; i < FX_N; i++) r += a->v[i] * b->v[i];
    return r;
}

/* One explicit midpoint step of y' = -y, in place. */
void fx_step(vec *y, float h) {
    vec k1, hk1, ym, k2, hk2;
    mul_vs(&k1, y, -1.0f);
    mul_vs(&hk1, &k1, h / 2);
    add_vv(&ym, y, &hk1);
    mul_vs(&k2, &ym, -1.0f);
    mul_vs(&hk2, &k2, h);
    add_vv(y, y, &hk2);
}
