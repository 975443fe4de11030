/* ss-run — runs one workload in one implementation, checks it, and times it.

       ss-run rk4 --impl bump --problem decay -n 64 --steps 10000 --h 0.001 [--final-only] [--print]
       ss-run physics --impl bump --scene rain -n 4096 --steps 1000 [--dump FILE]
       ss-run alloc --impl bump -n 64 -k 8 --rounds 100000
       ss-run --help | --version

   `ss-run SUBCOMMAND --help` describes each (run_<subcommand>.c, through ss_cli.h); every
   subcommand prints one result line of key=value pairs and exits 0 ok, 1 a check failed,
   2 bad input. */
#include <stdio.h>
#include <string.h>

#include "ss_cli.h"
#include "ss_run.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *what;
} commands[] = {
    {"rk4", ss_run_rk4, "the RK4 integrator on one problem"},
    {"physics", ss_run_physics, "the 2D rigid-disc engine on one scene"},
    {"alloc", ss_run_alloc, "allocation alone: ss_alloc vs malloc/free, ss_push vs realloc"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: ss-run COMMAND [options]   (ss-run COMMAND --help for its options)\n"
               "       ss-run --help | --version\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        ss_cli_version(stdout, "ss-run");
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "ss-run: unknown command '%s'\n", ss_cli_clip(argv[1]).s);
    usage(stderr);
    return 2;
}
