// A C++17 user of the installed library: every macro of the public headers, compiled with
// -Wall -Wextra -Werror by g++ and clang++ (install_check.sh), in release and debug mode.
#include <secondstack/ss_region.h>

#include <cstdio>
#include <cstring>

struct body {
    double x, y;
    int id;
};
SS_ARRAY_TYPE(bodies, body);

static void add(ss_allocator s, bodies *out, int id) {
    body *b = ss_push(s, out, body{1.0 * id, 2.0 * id, id});  // typed result in C++
    b->y += 0.5;
}

static float *halve(ss_allocator out, const float *x, unsigned n) {
    ss_scope sc;
    ss_allocator tmp = ss_scratch_begin(&sc, &out, 1);
    float *t = ss_alloc(tmp, n);
    for (unsigned i = 0; i < n; i++) t[i] = x[i] / 2;
    float *r = ss_alloc(out, n);
    std::memcpy(r, t, n * sizeof *r);
    ss_scratch_end(&sc);
    return r;
}

int main() {
    ss_region r;
    if (ss_region_create(&r, "cpp", 1 << 20) != 0) {
        std::perror("ss_region_create");
        return 1;
    }
    ss_allocator s = ss_region_allocator(&r);
    float *v = ss_alloc(s, 8);
    for (int i = 0; i < 8; i++) v[i] = float(i);
    float *w = ss_alloc_aligned(s, 16, 64);
    body *b = ss_new(s, body, 3);
    body *a = ss_new_aligned(s, body, 2, 64);
    body *z = ss_new_zero(s, body, 4);
    int *g = ss_new(s, int, 2);
    g[0] = 1;
    g[1] = 2;
    g = ss_renew(s, int, g, 2, 6);
    char *raw = static_cast<char *>(ss_alloc_bytes(s, 10, 16));
    char *str = ss_strdup(s, "c++");
    char *part = ss_strndup(s, "region", 3);
    char *fmt = ss_sprintf(s, "%s-%d", str, 17);
    body *maybe = ss_try_new(&r, s, body, 2);
    size_t left = ss_region_avail(&r, s);

    ss_scope sc;
    ss_allocator t = ss_scope_begin(&sc, s);
    bodies list = {};
    for (int i = 0; i < 100; i++) add(t, &list, i);
    ss_reserve(t, &list, 50);
    body last = ss_pop(&list);
    size_t len = list.len;
    ss_clear(&list);
    ss_scope_reset(&sc);
    ss_scope_end(&sc);
    float *h = halve(s, v, 8);

    int ok = w != nullptr && (reinterpret_cast<uintptr_t>(a) & 63) == 0 && z[3].id == 0 && b != nullptr &&
             g[1] == 2 && raw != nullptr && std::strcmp(part, "reg") == 0 && std::strcmp(fmt, "c++-17") == 0 &&
             maybe != nullptr && left > 0 && last.id == 99 && len == 99 && list.len == 0 && h[7] == 3.5f;
    ss_region_destroy(&r);
    std::printf("c++ consumer: %s\n", ok ? "ok" : "wrong");
    return ok ? 0 : 1;
}
