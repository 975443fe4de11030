/* The fast path without the library: a buffer of one's own and a pointer to its top. */
#define SS_HEADER_ONLY
#include <stdio.h>

#include <secondstack.h>

static float buffer[1 << 16];

int main(void) {
    float *top = buffer + sizeof buffer / sizeof buffer[0];
    ss_allocator s = &top;
    float *v = ss_alloc(s, 100);
    for (int i = 0; i < 100; i++) v[i] = (float)i;
    int ok = v == buffer + (1 << 16) - 100 && v[99] == 99.0f;
    printf("header-only: %s\n", ok ? "ok" : "wrong");
    return !ok;
}
