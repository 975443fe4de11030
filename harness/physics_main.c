/* A main for ss-run-physics until the shared ss-run links run_physics.c (delete at merge). */
#include "ss_run.h"

int main(int argc, char **argv) { return ss_run_physics(argc, argv); }
