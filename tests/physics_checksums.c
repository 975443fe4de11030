/* physics_checksums — prints one line per scene and size: the checksum of the positions after
   a fixed number of steps, once bump, malloc and stack agree on it in both engines (loop and
   array; exit 1 if any differs). Every scene at every size the stack build is made for
   (PHYS_STACK_SIZES); above 1024 bodies fewer steps (nbody is O(n²) a step): enough for rain to
   reach the floor, fifty for billiards and cloth, whose contacts and springs act from the first
   step. tests/physics_compilers.sh builds it with several compilers and levels and compares
   the outputs. */
#include <stdio.h>

#include "physics_scenes.h"

static unsigned steps_for(phys_scene scene, unsigned n) {
    if (scene == PHYS_nbody) return n <= 256 ? 100 : n <= 1024 ? 10 : n <= 4096 ? 2 : 1;
    return n <= 1024 ? 300 : scene == PHYS_rain ? 150 : 50;
}

int main(void) {
    static const unsigned sizes[] = {
#define PHYS__SIZE(N) N,
        PHYS_STACK_SIZES(PHYS__SIZE)
#undef PHYS__SIZE
    };
    static const char *const impls[] = {"bump", "malloc", "stack"};
    int bad = 0;
    for (int s = 0; s < PHYS_SCENE_COUNT; s++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            const unsigned n = sizes[k], steps = steps_for((phys_scene)s, n);
            unsigned long long first = 0;
            for (int e = 0; e < PHYS_ENGINE_COUNT; e++)
                for (int i = 0; i < 3; i++) {
                    const phys_impl *impl = phys_impl_find_engine(impls[i], (phys_engine)e, n);
                    phys_world *w = phys_world_create((phys_scene)s, n, 1);
                    void *h = impl ? impl->create(w) : NULL;
                    if (h == NULL) {
                        fprintf(stderr, "physics_checksums: cannot run %s %s on %s n=%u\n", impls[i],
                                phys_engine_names[e], phys_scene_names[s], n);
                        return 2;
                    }
                    impl->run(h, w, steps);
                    impl->destroy(h);
                    const unsigned long long c = phys_checksum(w);
                    phys_world_free(w);
                    if (e == 0 && i == 0) {
                        first = c;
                        printf("%s %u %u %016llx\n", phys_scene_names[s], n, steps, c);
                    } else if (c != first) {
                        fprintf(stderr,
                                "physics_checksums: %s %s differs from bump loop on %s n=%u: %016llx vs "
                                "%016llx\n",
                                impls[i], phys_engine_names[e], phys_scene_names[s], n, c, first);
                        bad = 1;
                    }
                }
        }
    return bad;
}
