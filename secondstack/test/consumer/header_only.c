/* The fast path without the library: a buffer of one's own and a pointer to its top, sized
   for what the program does (10^5 pushes extend one block to 131072 ints: 512 KiB). */
#define SS_HEADER_ONLY
#include <stdio.h>

#include <secondstack.h>

static float buffer[1 << 18]; /* 1 MiB */

int main(void) {
    float *top = buffer + sizeof buffer / sizeof buffer[0];
    ss_allocator s = &top;
    float *v = ss_alloc(s, 100);
    for (int i = 0; i < 100; i++) v[i] = (float)i;
    SS_ARRAY(int) ids = {0};
    for (int i = 0; i < 100000; i++) ss_push(s, &ids, i);
    char *name = ss_sprintf(s, "%zu ids", ids.len);
    int ok = v == buffer + (1 << 18) - 100 && v[99] == 99.0f && ids.data[99999] == 99999 &&
             (char *)top >= (char *)buffer && name[0] == '1';
    printf("header-only: %s (%s, %zu bytes of the buffer used)\n", ok ? "ok" : "wrong", name,
           (size_t)((char *)(buffer + (1 << 18)) - (char *)top));
    return !ok;
}
