/* allocs_per_step is what a step really asks the allocator for. Every call that obtains memory
   is counted while one step runs: malloc, calloc and realloc (wrapped at link time, -Wl,--wrap)
   and, with the allocator in debug mode, ss__debug_alloc, the one function that ss_alloc,
   ss_new and ss_push's growth all reach there. For every implementation and engine, every
   scene at 64 and 256 bodies and a world whose candidate pairs take several blocks, each
   step's count must equal the engine's allocs_per_step; the stack implementation's are 0.

       test_physics_allocs    prints the mean calls per step of each engine × implementation

   Built twice: as is, and with a mutated impl_malloc/physics_array.c whose count misses an
   array (tests/CMakeLists.txt), which must fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "physics_scenes.h"
#include "secondstack.h"
#include "ss_test.h"

//~ Counting wrappers (-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=ss__debug_alloc)

static unsigned long calls;
static int counting;

void *__real_malloc(size_t bytes);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t bytes);
void *__real_ss__debug_alloc(ss_allocator s, size_t bytes, size_t align, const char *file, int line);

void *__wrap_malloc(size_t bytes) {
    calls += counting;
    return __real_malloc(bytes);
}

void *__wrap_calloc(size_t count, size_t size) {
    calls += counting;
    return __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t bytes) {
    calls += counting;
    return __real_realloc(p, bytes);
}

void *__wrap_ss__debug_alloc(ss_allocator s, size_t bytes, size_t align, const char *file, int line) {
    calls += counting;
    return __real_ss__debug_alloc(s, bytes, align, file, line);
}

//~ The comparison

/* All bodies in one place: n(n-1)/2 candidates, several blocks of PHYS_MAX_PAIRS(n). */
static void all_in_one_place(phys_world *w) {
    for (unsigned i = 0; i < w->n; i++) {
        w->x[i] = w->p.width / 2;
        w->y[i] = w->p.height / 2;
    }
}

/* Steps the world, one step at a time, and compares each step's calls with the report; the
   mean calls per step. */
static double count_steps(const phys_impl *impl, phys_world *w, unsigned steps, const char *what) {
    void *e = impl->create(w);
    CHECK(e != NULL);
    if (e == NULL) return -1.0;
    CHECK_EQ_U(impl->allocs_per_step(e, w), 0);
    unsigned long total = 0, first_bad = 0;
    for (unsigned s = 0; s < steps; s++) {
        calls = 0;
        counting = 1;
        impl->run(e, w, 1);
        counting = 0;
        const unsigned long reported = impl->allocs_per_step(e, w);
        if (reported != calls && !first_bad) {
            first_bad = s + 1;
            fprintf(stderr, "  %s: step %u made %lu allocator calls, allocs_per_step says %lu\n", what, s + 1,
                    calls, reported);
        }
        total += calls;
    }
    CHECK(first_bad == 0);
    impl->destroy(e);
    return (double)total / steps;
}

static void test_counts(void) {
    static const char *const impls[] = {"bump", "malloc", "stack"};
    static const unsigned sizes[] = {64, 256};
    printf("%-9s %5s  %-6s %-5s %s\n", "scene", "n", "impl", "engine", "allocator calls per step (mean)");
    for (int s = 0; s <= PHYS_SCENE_COUNT; s++) {
        const int crowd = s == PHYS_SCENE_COUNT; /* the last case: rain, all in one place */
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            const unsigned n = sizes[k], steps = crowd ? 3 : s == PHYS_rain ? 200 : 60;
            if (crowd && n != 64) continue;
            for (int e = 0; e < PHYS_ENGINE_COUNT; e++) {
                for (int i = 0; i < 3; i++) {
                    const phys_impl *impl = phys_impl_find_engine(impls[i], (phys_engine)e, n);
                    if (impl == NULL) continue; /* stack not built for n */
                    phys_world *w = phys_world_create(crowd ? PHYS_rain : (phys_scene)s, n, 1);
                    if (crowd) all_in_one_place(w);
                    char what[96];
                    snprintf(what, sizeof what, "%s %s %s n=%u", impls[i], phys_engine_names[e],
                             crowd ? "rain (all in one place)" : phys_scene_names[s], n);
                    const double mean = count_steps(impl, w, steps, what);
                    printf("%-9s %5u  %-6s %-5s %.1f%s\n", crowd ? "crowd" : phys_scene_names[s], n, impls[i],
                           phys_engine_names[e], mean,
                           crowd ? " (rain, all in one place: several blocks)" : "");
                    if (!strcmp(impls[i], "stack"))
                        CHECK(mean == 0.0);
                    else
                        CHECK(mean > 0.0);
                    phys_world_free(w);
                }
            }
        }
    }
}

int main(void) {
    test_counts();
    return ss_test_summary("test_physics_allocs");
}
