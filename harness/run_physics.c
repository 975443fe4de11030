/* ss-run physics — steps one scene in one implementation, checks its invariants, times it,
   and optionally dumps the positions of every frame.

   DUMP FORMAT (--dump FILE)

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
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c17 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "physics_scenes.h"
#include "ss_run.h"

static void usage(FILE *f) {
    fprintf(f, "usage: ss-run physics --impl bump|malloc|stack --scene SCENE -n N --steps S\n"
               "                      [--seed K] [--dump FILE [--every K]] [--checksum] [--quiet]\n"
               "  --impl      bump (allocator scopes), malloc (malloc/free per step), stack (fixed arrays;\n"
               "              built for n in");
#define PHYS__SIZE(N) fprintf(f, " %d", N);
    PHYS_STACK_SIZES(PHYS__SIZE)
#undef PHYS__SIZE
    fprintf(f, ")\n  --scene    ");
    for (int s = 0; s < PHYS_SCENE_COUNT; s++)
        fprintf(f, "%s%s (%s)", s ? ",\n              " : "", phys_scene_names[s], phys_scene_docs[s]);
    fprintf(
        f,
        "\n  -n         bodies (1 .. 1048576)\n"
        "  --steps    steps of 1/60 s (default 1000)\n"
        "  --seed     the initial state's seed (default 1)\n"
        "  --dump     write positions per frame to FILE (.csv: text; otherwise binary, see run_physics.c)\n"
        "  --every    steps between dumped frames (default 1)\n"
        "  --checksum print a checksum of the final positions (FNV-1a 64 over their bits)\n"
        "  --quiet    print only the checksum and failures\n"
        "Exit: 0 ok, 1 an invariant failed, 2 bad input.\n");
}

/* Parses an unsigned decimal in [lo, hi]; 0 on success. */
static int parse_uint(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out) {
    char *end;
    errno = 0;
    if (s == NULL) {
        fprintf(stderr, "ss-run physics: %s needs a value\n", opt);
        return -1;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end != '\0' || s[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "ss-run physics: %s: '%s' is not a whole number in [%llu, %llu]\n", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

typedef struct dump {
    FILE *f;
    int csv;
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
    return ferror(d->f) ? -1 : 0;
}

static int dump_open(dump *d, const char *path, const phys_world *w, const char *impl, unsigned steps,
                     unsigned every) {
    const size_t len = strlen(path);
    d->csv = len >= 4 && !strcmp(path + len - 4, ".csv");
    d->f = fopen(path, d->csv ? "w" : "wb");
    if (d->f == NULL) {
        fprintf(stderr, "ss-run physics: --dump: cannot open '%s' for writing: %s\n", path, strerror(errno));
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

static int dump_close(dump *d, const char *path) {
    if (d->f == NULL) return 0;
    int bad = ferror(d->f);
    if (!d->csv && !bad) {
        bad = fseek(d->f, 16, SEEK_SET) != 0 || fwrite(&d->frames, sizeof d->frames, 1, d->f) != 1;
    }
    bad |= fclose(d->f) != 0;
    if (bad) fprintf(stderr, "ss-run physics: --dump: writing '%s' failed\n", path);
    return bad ? -1 : 0;
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int ss_run_physics(int argc, char **argv) {
    const char *impl_name = NULL, *scene_name = NULL, *dump_path = NULL;
    unsigned long long n = 0, steps = 1000, seed = 1, every = 1;
    int checksum = 0, quiet = 0, have_n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const int takes_value = !strcmp(a, "--impl") || !strcmp(a, "--scene") || !strcmp(a, "-n") ||
                                !strcmp(a, "--steps") || !strcmp(a, "--seed") || !strcmp(a, "--every") ||
                                !strcmp(a, "--dump");
        const char *v = takes_value ? argv[++i] : NULL;
        if (takes_value && v == NULL) {
            fprintf(stderr, "ss-run physics: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--impl")) {
            impl_name = v;
        } else if (!strcmp(a, "--scene")) {
            scene_name = v;
        } else if (!strcmp(a, "-n")) {
            if (parse_uint(a, v, 1, 1u << 20, &n)) return 2;
            have_n = 1;
        } else if (!strcmp(a, "--steps")) {
            if (parse_uint(a, v, 0, 100000000, &steps)) return 2;
        } else if (!strcmp(a, "--seed")) {
            if (parse_uint(a, v, 0, UINT64_MAX, &seed)) return 2;
        } else if (!strcmp(a, "--every")) {
            if (parse_uint(a, v, 1, 100000000, &every)) return 2;
        } else if (!strcmp(a, "--dump")) {
            dump_path = v;
        } else if (!strcmp(a, "--checksum")) {
            checksum = 1;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else {
            fprintf(stderr, "ss-run physics: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (impl_name == NULL || scene_name == NULL || !have_n) {
        fprintf(stderr, "ss-run physics: --impl, --scene and -n are required\n");
        usage(stderr);
        return 2;
    }
    const int scene = phys_scene_from_name(scene_name);
    if (scene < 0) {
        fprintf(stderr, "ss-run physics: unknown scene '%s' (rain, billiards, cloth, nbody)\n", scene_name);
        return 2;
    }
    if (strcmp(impl_name, "bump") && strcmp(impl_name, "malloc") && strcmp(impl_name, "stack")) {
        fprintf(stderr, "ss-run physics: unknown implementation '%s' (bump, malloc, stack)\n", impl_name);
        return 2;
    }
    const phys_impl *impl = phys_impl_find(impl_name, (unsigned)n);
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
        phys_watch_end(&watch);
        phys_world_free(w);
        return 2;
    }
    dump d = {0};
    if (dump_path != NULL && dump_open(&d, dump_path, w, impl_name, (unsigned)steps, (unsigned)every) != 0) {
        impl->destroy(engine);
        phys_watch_end(&watch);
        phys_world_free(w);
        return 2;
    }

    /* One step per call, so the invariants' bounds see every step; the time counts only the
       engine. */
    double elapsed = 0.0;
    int io = 0;
    for (unsigned long long s = 0; s < steps; s++) {
        const double t0 = seconds();
        impl->run(engine, w, 1);
        elapsed += seconds() - t0;
        phys_watch_step(&watch, w);
        if (d.f != NULL && (s + 1) % every == 0 && !io) io = dump_frame(&d, w);
    }
    io |= dump_close(&d, dump_path);

    char why[512];
    const int settled = scene == PHYS_rain && steps >= phys_rain_settle_steps((unsigned)n);
    const int failed = phys_check(&watch, w, settled, why, sizeof why);
    if (!quiet) {
        printf("physics impl=%s scene=%s n=%llu steps=%llu seconds=%.6f steps_per_s=%.1f contacts_max=%u "
               "check=%s\n",
               impl_name, scene_name, n, steps, elapsed, elapsed > 0 ? (double)steps / elapsed : 0.0,
               w->contacts_max,
               failed ? "FAILED"
                      : (settled || scene != PHYS_rain ? "ok" : "ok (rest not checked: too few steps)"));
    }
    if (failed)
        fprintf(stderr, "ss-run physics: %s %s n=%llu: invariant failed: %s\n", impl_name, scene_name, n,
                why);
    if (checksum) printf("checksum %016llx\n", (unsigned long long)phys_checksum(w));
    impl->destroy(engine);
    phys_watch_end(&watch);
    phys_world_free(w);
    return failed ? 1 : io ? 2 : 0;
}
