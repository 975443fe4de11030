/* ss-run physics — steps one scene in one implementation, checks its invariants, times it,
   and optionally dumps the positions of every frame.

       ss-run physics --impl bump|malloc|stack --scene SCENE -n N [--engine loop|array]
                      [--steps S] [--seed K] [--dump FILE [--every K] [--force]] [--checksum] [--quiet]
       ss-run physics -h|--help|--version

   --impl, --scene (rain, billiards, cloth, nbody) and -n (also --n; bodies, 1 .. 1048576; the
   stack implementation only at the sizes built) are required. --engine: the formulation, loop
   (per-body and per-pair loops; the default) or array (whole-array operations, each a fresh
   array: allocation on every line). --steps: steps of 1/60 s,
   1 .. 100000000 (default 1000); --seed: the initial state's (default 1). --checksum prints
   `checksum` and 16 hex digits: FNV-1a 64 over the bits of the final positions, what the
   WebAssembly build must reproduce; --quiet prints only that and failures. Otherwise one line
   of key=value pairs: `physics impl=... engine=... scene=... n=... steps=... seed=... seconds=...
   steps_per_s=... allocs_per_step=... contacts_max=... check=ok|FAILED`, and `rest=unchecked` when rain ran too
   few steps to check that it came to rest. --help lists the options on stdout, --version the
   build's flags. Exit status: 0 ok, 1 an invariant failed, 2 bad input or a dump that could
   not be written (then no result line).

   --dump FILE writes frame 0 and every K-th step (--every K, 1 .. 100000000, default 1).
   FILE must not exist (--force replaces it) and is never reached through a symbolic link.
   After a write error the run stops; what was written stays.

   DUMP FORMAT

   FILE ending in .csv: lines starting with '#' describe the run
   (`# scene=rain impl=bump n=16 steps=100 every=1 dt=0.0166667 width=10 height=16.1 seed=1`),
   then the header `step,body,x,y,r` and one row per body per frame.

   Any other name: binary, little-endian, 4-byte fields (what the web page reads):
       offset  0  char[8]  magic "SSPHYS1\n"
               8  u32      version = 1
              12  u32      n, bodies
              16  u32      frames written (filled in when the run ends)
              20  u32      every: steps between frames
              24  f32      dt, width, height (the box is [0, width] × [0, height])
              36  char[16] scene name, NUL-padded
              52  f32[n]   radii
       then per frame: u32 step, f32 x[n], f32 y[n]   (frame 0 is the initial state)
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime, O_NOFOLLOW, fdopen under -std=c17 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "physics_scenes.h"
#include "ss_cli.h"
#include "ss_run.h"

enum { O_IMPL = SS_CLI_LONG, O_ENGINE, O_SCENE, O_STEPS, O_SEED, O_DUMP, O_EVERY, O_FORCE, O_CHECKSUM, O_QUIET };

static const ss_cli_opt options[] = {
    {"impl", O_IMPL, "IMPL", "bump (allocator scopes), malloc (malloc/free per step),\n"
                             "stack (fixed arrays; only the sizes built, below) (required)"},
    {"engine", O_ENGINE, "ENGINE", "loop (per-body loops) or array (whole-array operations)\n"
                                   "(default loop)"},
    {"scene", O_SCENE, "SCENE", "the scene (below; required)"},
    {"n", 'n', "N", "bodies, 1 .. 1048576 (required)"},
    {"steps", O_STEPS, "S", "steps of 1/60 s, 1 .. 100000000 (default 1000)"},
    {"seed", O_SEED, "K", "the initial state's seed, 0 .. 2^64-1 (default 1)"},
    {"dump", O_DUMP, "FILE", "write positions per frame to FILE (.csv: text; otherwise\n"
                             "binary, see run_physics.c); FILE must not exist"},
    {"every", O_EVERY, "K", "steps between dumped frames, 1 .. 100000000 (default 1)"},
    {"force", O_FORCE, NULL, "let --dump replace an existing file (never through a\nsymbolic link)"},
    {"checksum", O_CHECKSUM, NULL, "print `checksum` and 16 hex digits: FNV-1a 64 over the bits\n"
                                   "of the final positions"},
    {"quiet", O_QUIET, NULL, "print only the checksum and failures"},
    {0}};

static void notes(FILE *f) {
    fprintf(f, "scenes:\n");
    for (int s = 0; s < PHYS_SCENE_COUNT; s++) fprintf(f, "  %-10s %s\n", phys_scene_names[s], phys_scene_docs[s]);
    fprintf(f, "sizes built (stack):");
#define PHYS__SIZE(N) fprintf(f, " %d", N);
    PHYS_STACK_SIZES(PHYS__SIZE)
#undef PHYS__SIZE
    fprintf(f, "\nprints: physics impl=... engine=... scene=... n=... steps=... seed=... seconds=...\n"
               "        steps_per_s=... allocs_per_step=... contacts_max=... check=ok|FAILED\n"
               "        [rest=unchecked]   (unless --quiet); allocs_per_step: allocator calls a step\n"
               "        (ss_alloc, ss_new, ss_push growth, malloc, calloc, realloc), mean over the run\n"
               "        checksum 0123456789abcdef   (--checksum)\n");
}

typedef struct dump {
    FILE *f;
    int csv;
    int err; /* errno of the first failed write */
    uint32_t frames;
} dump;

static int dump_frame(dump *d, const phys_world *w) {
    if (d->f == NULL) return 0;
    if (d->csv) {
        for (unsigned i = 0; i < w->n; i++)
            fprintf(d->f, "%llu,%u,%.9g,%.9g,%.9g\n", (unsigned long long)w->steps, i, (double)w->x[i],
                    (double)w->y[i], (double)w->r[i]);
    } else {
        uint32_t step = (uint32_t)w->steps;
        fwrite(&step, sizeof step, 1, d->f);
        fwrite(w->x, sizeof(float), w->n, d->f);
        fwrite(w->y, sizeof(float), w->n, d->f);
    }
    d->frames++;
    if (ferror(d->f) && d->err == 0) d->err = errno;
    return ferror(d->f) ? -1 : 0;
}

/* A new file, or with --force a replaced one; never a symbolic link's target: O_EXCL fails
   on any existing name, O_NOFOLLOW on a link. */
static int dump_open(dump *d, const char *path, int force, const phys_world *w, const char *impl, unsigned steps,
                     unsigned every) {
    const size_t len = strlen(path);
    d->csv = len >= 4 && !strcmp(path + len - 4, ".csv");
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0666);
    if (fd < 0) {
        const int e = errno;
        struct stat st;
        const ss_cli_text p = ss_cli_clip(path);
        if ((e == EEXIST || e == ELOOP) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
            fprintf(stderr, "ss-run physics: --dump: '%s' is a symbolic link: not followed\n", p.s);
        else if (e == EEXIST)
            fprintf(stderr, "ss-run physics: --dump: '%s' exists: not replaced without --force\n", p.s);
        else
            fprintf(stderr, "ss-run physics: --dump: cannot open '%s' for writing: %s\n", p.s, strerror(e));
        return -1;
    }
    d->f = fdopen(fd, "wb");
    if (d->f == NULL) {
        fprintf(stderr, "ss-run physics: --dump: '%s': %s\n", ss_cli_clip(path).s, strerror(errno));
        close(fd);
        return -1;
    }
    if (d->csv) {
        fprintf(d->f, "# scene=%s impl=%s n=%u steps=%u every=%u dt=%.9g width=%.9g height=%.9g seed=%llu\n",
                phys_scene_names[w->scene], impl, w->n, steps, every, (double)w->p.dt, (double)w->p.width,
                (double)w->p.height, (unsigned long long)w->seed);
        fprintf(d->f, "step,body,x,y,r\n");
    } else {
        const uint32_t head[5] = {0, 1, w->n, 0, every};
        const float box[3] = {w->p.dt, w->p.width, w->p.height};
        char scene[16] = {0};
        strncpy(scene, phys_scene_names[w->scene], sizeof scene - 1);
        fwrite("SSPHYS1\n", 1, 8, d->f);
        fwrite(head + 1, sizeof(uint32_t), 4, d->f);
        fwrite(box, sizeof(float), 3, d->f);
        fwrite(scene, 1, sizeof scene, d->f);
        fwrite(w->r, sizeof(float), w->n, d->f);
    }
    return dump_frame(d, w);
}

/* Fills in the frame count and closes; reports a write error (this one's or an earlier). */
static int dump_close(dump *d, const char *path) {
    if (d->f == NULL) return 0;
    int bad = ferror(d->f) || fflush(d->f) != 0;
    if (!d->csv && !bad)
        bad = fseek(d->f, 16, SEEK_SET) != 0 || fwrite(&d->frames, sizeof d->frames, 1, d->f) != 1;
    if (bad && d->err == 0) d->err = errno;
    if (fclose(d->f) != 0 && !bad) {
        bad = 1;
        d->err = errno;
    }
    d->f = NULL;
    if (bad)
        fprintf(stderr, "ss-run physics: --dump: writing '%s' failed: %s (what was written before stays)\n",
                ss_cli_clip(path).s, d->err ? strerror(d->err) : "I/O error");
    return bad ? -1 : 0;
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int ss_run_physics(int argc, char **argv) {
    ss_cli cli = {.prog = "ss-run physics",
                  .usage = "ss-run physics --impl IMPL --scene SCENE -n N [options]",
                  .what = "Steps one scene in one implementation, checks its invariants and times it.",
                  .opts = options,
                  .notes = notes,
                  .exits = "0 ok, 1 an invariant failed, 2 bad input or a dump that could not be written"};
    const char *impl_name = NULL, *scene_name = NULL, *dump_path = NULL, *engine_name = "loop";
    unsigned long long n = 0, steps = 1000, seed = 1, every = 1;
    int checksum = 0, quiet = 0, force = 0;
    for (int key; (key = ss_cli_next(&cli, argc, argv)) != 0;) {
        switch (key) {
        case -1: return cli.status;
        case O_IMPL: impl_name = cli.arg; break;
        case O_ENGINE: engine_name = cli.arg; break;
        case O_SCENE: scene_name = cli.arg; break;
        case O_DUMP: dump_path = cli.arg; break;
        case O_FORCE: force = 1; break;
        case O_CHECKSUM: checksum = 1; break;
        case O_QUIET: quiet = 1; break;
        case 'n':
            if (ss_cli_uint(&cli, 1, 1u << 20, &n)) return 2;
            break;
        case O_STEPS:
            if (ss_cli_uint(&cli, 1, 100000000, &steps)) return 2;
            break;
        case O_SEED:
            if (ss_cli_uint(&cli, 0, UINT64_MAX, &seed)) return 2;
            break;
        case O_EVERY:
            if (ss_cli_uint(&cli, 1, 100000000, &every)) return 2;
            break;
        }
    }
    if (impl_name == NULL || scene_name == NULL || n == 0)
        return ss_cli_fail(&cli, "--impl, --scene and -n are required (ss-run physics --help)");
    const int scene = phys_scene_from_name(scene_name);
    if (scene < 0)
        return ss_cli_fail(&cli, "unknown scene '%s' (rain, billiards, cloth, nbody)", ss_cli_clip(scene_name).s);
    if (strcmp(impl_name, "bump") && strcmp(impl_name, "malloc") && strcmp(impl_name, "stack"))
        return ss_cli_fail(&cli, "unknown implementation '%s' (bump, malloc, stack)", ss_cli_clip(impl_name).s);
    const int form = phys_engine_from_name(engine_name);
    if (form < 0) return ss_cli_fail(&cli, "unknown engine '%s' (loop, array)", ss_cli_clip(engine_name).s);
    const phys_impl *impl = phys_impl_find_engine(impl_name, (phys_engine)form, (unsigned)n);
    if (impl == NULL) {
        fprintf(stderr,
                "ss-run physics: the stack implementation is not built for n = %llu; built sizes:", n);
#define PHYS__SIZE(N) fprintf(stderr, " %d", N);
        PHYS_STACK_SIZES(PHYS__SIZE)
#undef PHYS__SIZE
        fprintf(stderr, "\n");
        return 2;
    }

    phys_world *w = phys_world_create((phys_scene)scene, (unsigned)n, seed);
    phys_watch watch;
    if (w == NULL || phys_watch_begin(&watch, w) != 0) {
        fprintf(stderr, "ss-run physics: cannot allocate a %s world of %llu bodies: %s\n", scene_name, n,
                strerror(errno));
        phys_world_free(w);
        return 2;
    }
    void *engine = impl->create(w);
    if (engine == NULL) {
        fprintf(stderr, "ss-run physics: the %s engine cannot allocate for %llu bodies\n", impl_name, n);
        phys_watch_end(&watch);
        phys_world_free(w);
        return 2;
    }
    dump d = {0};
    if (dump_path != NULL &&
        dump_open(&d, dump_path, force, w, impl_name, (unsigned)steps, (unsigned)every) != 0) {
        dump_close(&d, dump_path);
        impl->destroy(engine);
        phys_watch_end(&watch);
        phys_world_free(w);
        return 2;
    }

    /* One step per call, so the invariants' bounds see every step; the time counts only the
       engine. A dump that cannot be written ends the run: its results would be reported
       beside a file that lacks them. */
    double elapsed = 0.0, allocs = 0.0;
    int io = 0;
    for (unsigned long long s = 0; s < steps && !io; s++) {
        const double t0 = seconds();
        impl->run(engine, w, 1);
        elapsed += seconds() - t0;
        allocs += (double)impl->allocs_per_step(engine, w);
        phys_watch_step(&watch, w);
        if (d.f != NULL && (s + 1) % every == 0) io = dump_frame(&d, w);
    }
    io |= dump_close(&d, dump_path);
    if (io) {
        impl->destroy(engine);
        phys_watch_end(&watch);
        phys_world_free(w);
        return 2;
    }

    char why[512];
    const int settled = scene == PHYS_rain && steps >= phys_rain_settle_steps((unsigned)n);
    const int failed = phys_check(&watch, w, settled, why, sizeof why);
    if (!quiet) {
        printf("physics impl=%s engine=%s scene=%s n=%llu steps=%llu seed=%llu seconds=%.6f steps_per_s=%.1f "
               "allocs_per_step=%.1f contacts_max=%u check=%s%s\n",
               impl_name, phys_engine_names[form], scene_name, n, steps, seed, elapsed,
               elapsed > 0 ? (double)steps / elapsed : 0.0, allocs / (double)steps, w->contacts_max,
               failed ? "FAILED" : "ok",
               scene == PHYS_rain && !settled ? " rest=unchecked" : "");
    }
    if (failed)
        fprintf(stderr, "ss-run physics: %s %s n=%llu: invariant failed: %s\n", impl_name, scene_name, n,
                why);
    if (checksum) printf("checksum %016llx\n", (unsigned long long)phys_checksum(w));
    impl->destroy(engine);
    phys_watch_end(&watch);
    phys_world_free(w);
    return failed ? 1 : 0;
}
