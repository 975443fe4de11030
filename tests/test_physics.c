/* The physics engine: the three implementations and both engines (loop and array) agree bit
   for bit on every scene, every scene passes its invariants, the contact list grows past its
   first capacity, and each invariant check fails on a mutant made to break it, in either
   engine.

   Built three times: test_physics (every implementation); with PHYS_TEST_DEBUG, against the
   allocator's debug mode (bump, every allocation bounds-checked, against malloc); and with a
   mutated impl_bump/physics_array.c (tests/CMakeLists.txt), which must fail. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "physics_scenes.h"
#include "secondstack.h"
#include "ss_test.h"

static const unsigned sizes[] = {16, 64, 256, 1024};

#ifdef PHYS_TEST_DEBUG
static const phys_impl *impl_of(const char *name, phys_engine engine, unsigned n) {
    (void)n;
    const int array = engine == PHYS_ENGINE_array;
    if (!strcmp(name, "bump")) return array ? &phys_impl_bump_array : &phys_impl_bump;
    if (!strcmp(name, "malloc")) return array ? &phys_impl_malloc_array : &phys_impl_malloc;
    return NULL;
}
#else
#define impl_of phys_impl_find_engine
#endif

/* Steps w with impl, watching every step; 0 on success. */
static int run(const phys_impl *impl, phys_world *w, unsigned steps, phys_watch *watch) {
    void *e = impl->create(w);
    if (e == NULL) return -1;
    for (unsigned s = 0; s < steps; s++) {
        impl->run(e, w, 1);
        if (watch) phys_watch_step(watch, w);
    }
    impl->destroy(e);
    return 0;
}

static unsigned steps_for(phys_scene scene, unsigned n) {
    return scene == PHYS_rain ? phys_rain_settle_steps(n) : scene == PHYS_nbody ? 400 : 600;
}

static void test_identical_and_invariants(void) {
    const char *impls[] = {"bump", "malloc", "stack"};
    for (int s = 0; s < PHYS_SCENE_COUNT; s++) {
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            const unsigned n = sizes[k];
            if (s == PHYS_nbody && n > 256) continue; /* O(n²) */
            const unsigned steps = steps_for((phys_scene)s, n);
            phys_world *start = phys_world_create((phys_scene)s, n, 1), *ref = NULL;
            CHECK(start != NULL);
            for (int e = 0; e < PHYS_ENGINE_COUNT; e++) {
                for (size_t i = 0; i < 3; i++) {
                    const phys_impl *impl = impl_of(impls[i], (phys_engine)e, n);
                    if (impl == NULL) continue;
                    phys_world *w = phys_world_copy(start);
                    phys_watch watch;
                    CHECK(phys_watch_begin(&watch, w) == 0);
                    CHECK(run(impl, w, steps, &watch) == 0);
                    char why[512];
                    int bad = phys_check(&watch, w, 1, why, sizeof why);
                    CHECK(bad == 0);
                    if (bad)
                        fprintf(stderr, "  %s %s %s n=%u: %s\n", impls[i], phys_engine_names[e],
                                phys_scene_names[s], n, why);
                    if (ref == NULL) {
                        double px0, py0, px, py;
                        phys_momentum(watch.initial, &px0, &py0);
                        phys_momentum(w, &px, &py);
                        const double dp = fmax(fabs(px - px0 - w->wall_px), fabs(py - py0 - w->wall_py));
                        const double de = fabs(phys_kinetic_energy(w) - phys_kinetic_energy(watch.initial));
                        printf("%-9s n=%-5u steps=%-4u contacts max %-5u |dp| %.2g (bound %.2g) |dE| %.2g "
                               "checksum %016llx\n",
                               phys_scene_names[s], n, steps, w->contacts_max, dp, watch.momentum_bound, de,
                               (unsigned long long)phys_checksum(w));
                        ref = w;
                    } else {
                        bad = phys_world_diff(ref, w, why, sizeof why);
                        CHECK(bad == 0);
                        if (bad)
                            fprintf(stderr, "  %s %s differs from bump loop on %s n=%u: %s\n", impls[i],
                                    phys_engine_names[e], phys_scene_names[s], n, why);
                        phys_world_free(w);
                    }
                    phys_watch_end(&watch);
                }
            }
            /* The contact list is a growable array: it must have grown past its first capacity. */
            if (s == PHYS_rain && n >= 64) CHECK(ref->contacts_max > SS_ARRAY_MIN_CAP);
            phys_world_free(ref);
            phys_world_free(start);
        }
    }
}

//~ Mutants: each breaks one invariant; the check must name it.

typedef void (*mutate_fn)(phys_world *w);

/* Runs a mutated world with bump in each engine; the check must fail with `expect` in its
   message. `before` mutates the initial state (the watch sees it), `after` only the running
   world. */
static void expect_failure(const char *name, phys_scene scene, unsigned n, unsigned steps, mutate_fn before,
                           mutate_fn after, const char *expect) {
    for (int e = 0; e < PHYS_ENGINE_COUNT; e++) {
        phys_world *w = phys_world_create(scene, n, 1);
        if (before) before(w);
        phys_watch watch;
        phys_watch_begin(&watch, w);
        if (after) after(w);
        CHECK(run(impl_of("bump", (phys_engine)e, n), w, steps, &watch) == 0);
        char why[512] = "";
        const int settled = scene == PHYS_rain && steps >= phys_rain_settle_steps(n);
        const int bad = phys_check(&watch, w, settled, why, sizeof why);
        CHECK(bad != 0);
        CHECK(strstr(why, expect) != NULL);
        printf("mutant %-22s (%-5s) fails as it must: %s\n", name, phys_engine_names[e],
               bad ? why : "(passed!)");
        phys_watch_end(&watch);
        phys_world_free(w);
    }
}

static void wrong_restitution(phys_world *w) { w->p.restitution = 0.98f; }
static void elastic_rain(phys_world *w) {
    w->p.restitution = 0.9f;
    w->p.bounce_threshold = 0.0f;
}
static void no_walls(phys_world *w) { w->p.walls = 0; }
/* Inverse masses no longer the inverse of the masses: impulses and pair forces stop being
   equal and opposite in momentum. */
static void inconsistent_mass(phys_world *w) {
    for (unsigned i = 1; i < w->n; i += 2) w->inv_m[i] *= 1.1f;
}
static void unpinned(phys_world *w) { w->inv_m[0] = 1.0f; }
static void collapse(phys_world *w) {
    w->p.softening = 0.0f;
    w->x[1] = w->x[0];
    w->y[1] = w->y[0];
}
static void all_in_one_place(phys_world *w) {
    for (unsigned i = 0; i < w->n; i++) {
        w->x[i] = w->p.width / 2;
        w->y[i] = w->p.height / 2;
    }
}

static void test_mutants_fail(void) {
    expect_failure("wrong restitution", PHYS_billiards, 256, 600, wrong_restitution, NULL, "energy");
    expect_failure("billiards mass", PHYS_billiards, 256, 600, inconsistent_mass, NULL, "momentum");
    expect_failure("nbody mass", PHYS_nbody, 64, 200, inconsistent_mass, NULL, "momentum");
    expect_failure("rain without walls", PHYS_rain, 256, 300, no_walls, NULL, "containment");
    expect_failure("elastic rain", PHYS_rain, 256, phys_rain_settle_steps(256), elastic_rain, NULL,
                   "at rest");
    expect_failure("cloth unpinned", PHYS_cloth, 64, 10, NULL, unpinned, "pinned row");
    expect_failure("nbody without softening", PHYS_nbody, 16, 1, collapse, NULL, "no NaN");
    expect_failure("everything in one place", PHYS_rain, 64, 1, all_in_one_place, NULL, "contact capacity");
}

/* The same world, stepped twice from the same start, gives the same checksum; another seed
   another one (the checksum sees the positions). */
static void test_checksum(void) {
    phys_world *a = phys_world_create(PHYS_rain, 64, 1), *b = phys_world_create(PHYS_rain, 64, 1),
               *c = phys_world_create(PHYS_rain, 64, 2);
    run(impl_of("bump", PHYS_ENGINE_loop, 64), a, 50, NULL);
    run(impl_of("malloc", PHYS_ENGINE_array, 64), b, 50, NULL);
    run(impl_of("bump", PHYS_ENGINE_loop, 64), c, 50, NULL);
    CHECK(phys_checksum(a) == phys_checksum(b));
    CHECK(phys_checksum(a) != phys_checksum(c));
    phys_world_free(a);
    phys_world_free(b);
    phys_world_free(c);
}

int main(void) {
    test_identical_and_invariants();
    test_mutants_fail();
    test_checksum();
#ifdef PHYS_TEST_DEBUG
    return ss_test_summary("test_physics_debug");
#else
    return ss_test_summary("test_physics");
#endif
}
