/* physics_checksums — prints one line per scene and size: the checksum of the positions after
   a fixed number of steps, once bump, malloc and stack agree on it (exit 1 if they do not).
   tests/physics_compilers.sh builds it with several compilers and compares the outputs. */
#include <stdio.h>

#include "physics_scenes.h"

int main(void) {
    static const unsigned sizes[] = {16, 64, 256, 1024};
    static const char *const impls[] = {"bump", "malloc", "stack"};
    int bad = 0;
    for (int s = 0; s < PHYS_SCENE_COUNT; s++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            const unsigned n = sizes[k], steps = s == PHYS_nbody ? 100 : 300;
            if (s == PHYS_nbody && n > 256) continue;
            unsigned long long first = 0;
            for (int i = 0; i < 3; i++) {
                const phys_impl *impl = phys_impl_find(impls[i], n);
                phys_world *w = phys_world_create((phys_scene)s, n, 1);
                void *e = impl ? impl->create(w) : NULL;
                if (e == NULL) {
                    fprintf(stderr, "physics_checksums: cannot run %s on %s n=%u\n", impls[i],
                            phys_scene_names[s], n);
                    return 2;
                }
                impl->run(e, w, steps);
                impl->destroy(e);
                const unsigned long long c = phys_checksum(w);
                phys_world_free(w);
                if (i == 0) {
                    first = c;
                    printf("%s %u %u %016llx\n", phys_scene_names[s], n, steps, c);
                } else if (c != first) {
                    fprintf(stderr,
                            "physics_checksums: %s differs from bump on %s n=%u: %016llx vs %016llx\n",
                            impls[i], phys_scene_names[s], n, c, first);
                    bad = 1;
                }
            }
        }
    return bad;
}
