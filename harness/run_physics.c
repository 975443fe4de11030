/* ss-run physics: to be replaced by the physics engine's runner. */
#include <stdio.h>

#include "ss_run.h"

int ss_run_physics(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "ss-run physics: not built yet\n");
    return 2;
}
