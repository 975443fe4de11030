/* Functions whose assembly tests/asm_check.py inspects. Compiled as well with SS_CHECKED, which
   calls the library's refill (the object is disassembled, never linked). */
#ifndef SS_CHECKED
#define SS_HEADER_ONLY
#endif
#include "secondstack.h"

/* The bare fast path, with n in a register. */
float *probe_alloc(ss_allocator s, unsigned n) { return ss_alloc(s, n); }

/* A vector add as the bump library writes it: the result is freshly allocated. */
float *probe_add_vv(ss_allocator s, const float *a, const float *b, unsigned n) {
    float *c = ss_alloc(s, n);
    for (unsigned i = 0; i < n; i++) c[i] = a[i] + b[i];
    return c;
}

/* The work alone: the result goes below a pointer the caller hands in, so the compiler
   faces the same address arithmetic and the same possible aliasing, without the load and
   store of the bump pointer. */
float *probe_add_ref(float *top, const float *a, const float *b, unsigned n) {
    float *c = top - n;
    for (unsigned i = 0; i < n; i++) c[i] = a[i] + b[i];
    return c;
}

/* Allocation in a loop body: the pointer stays in a register, each ss_alloc is the
   seed's two instructions (shift and subtract; here n is constant, so one). */
float probe_loop(ss_allocator s, int k) {
    float sum = 0.0f;
    for (int i = 0; i < k; i++) {
        float *p = ss_alloc(s, 4);
        p[0] = (float)i;
        sum += p[0];
    }
    return sum;
}

/* Typed allocation of a 24-byte struct: with a constant count the request check folds away;
   with a run-time count it is one compare and a branch to a cold call. */
typedef struct {
    double x, y;
    int tag;
} probe_item;

#ifndef SS_CHECKED /* the ss_new probes are checked in the release build only */
probe_item *probe_new_const(ss_allocator s) { return ss_new(s, probe_item, 100); }
probe_item *probe_new_const_ref(ss_allocator s) {
    return (probe_item *)ss__bump_bytes(s, 100 * sizeof(probe_item), _Alignof(probe_item));
}

probe_item *probe_new_var(ss_allocator s, size_t n) { return ss_new(s, probe_item, n); }
/* The same without the check: the bump alone. */
probe_item *probe_new_var_ref(ss_allocator s, size_t n) {
    return (probe_item *)ss__bump_bytes(s, n * sizeof(probe_item), _Alignof(probe_item));
}
#endif
