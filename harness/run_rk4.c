/* ss-run rk4 — integrates one problem with one implementation, checks the result, times it.

       ss-run rk4 --impl IMPL --problem PROBLEM -n N [--steps S] [--h H] [--call static|fnptr]
                  [--final-only] [--repeat R] [--print]
       ss-run rk4 -h|--help|--version

   --impl (bump, malloc, stack, malloc_once, bump_n), --problem (decay, oscillators,
   lorenz96, heat1d) and -n (also --n; stack and bump_n only at the sizes built) are required.
   --steps and --h default to the problem's (t = 10, lorenz96 t = 1); an h beyond the
   problem's stability limit is refused. --call static (the default) lets the compiler see
   dydt, fnptr calls it through a pointer. --final-only keeps only the last state instead of
   the trajectory. --repeat R times R runs (1 .. 1000000, default 1), each the whole
   integration, and reports the median. --help lists all of this on stdout, --version the
   build's flags.

   Prints one line of key=value pairs: the case, the check (pass/FAIL, error and bound) and the
   time per step (`... check=pass err=... tol=... repeat=1 seconds=... ns_per_step=...`). With
   --print the final state goes to stdout, one value a line (%.9g), and that line to stderr.
   Exit status: 0 check passed, 1 check failed, 2 bad input. The output, and the bump
   implementation's region, are allocated and their pages touched before anything is timed. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rk4_impls.h"
#include "ss_cli.h"
#include "ss_region.h"
#include "ss_run.h"

/* Beyond this the output alone would not fit comfortably in this machine's memory. */
#define MAX_OUT_BYTES ((size_t)8 << 30)

enum { O_IMPL = SS_CLI_LONG, O_PROBLEM, O_STEPS, O_H, O_CALL, O_FINAL_ONLY, O_REPEAT, O_PRINT };

static const ss_cli_opt options[] = {
    {"impl", O_IMPL, "IMPL", "the implementation (below; required)"},
    {"problem", O_PROBLEM, "PROBLEM", "the problem (below; required)"},
    {"n", 'n', "N", "state length, 1 .. 268435456 (required; stack and bump_n:\nonly the sizes built, below)"},
    {"steps", O_STEPS, "S", "number of steps, 1 .. 4294967294 (default: the problem's,\nt = 10; lorenz96 t = 1)"},
    {"h", O_H, "H", "step size (default: the problem's; refused beyond its\nstability limit)"},
    {"call", O_CALL, "static|fnptr", "static: dydt known at compile time (default);\nfnptr: through a pointer"},
    {"final-only", O_FINAL_ONLY, NULL, "keep only the last state (default: the whole trajectory)"},
    {"repeat", O_REPEAT, "R", "time R runs, report the median, 1 .. 1000000 (default 1)"},
    {"print", O_PRINT, NULL, "write the final state to stdout, one value a line (%.9g),\nand the result line to stderr"},
    {0}};

static void notes(FILE *f) {
    fprintf(f, "implementations:");
    for (unsigned i = 0; i < rk4_nimpls; i++) fprintf(f, "%s %s", i ? "," : "", rk4_impls[i].name);
    fprintf(f, "\nproblems:");
    for (int p = 0; p < RK4_NPROBLEMS; p++) fprintf(f, "%s %s", p ? "," : "", rk4_problem_name((rk4_problem)p));
    fprintf(f, "\nsizes built (stack, bump_n):");
    for (unsigned i = 0; i < rk4_nsizes; i++) fprintf(f, " %u", rk4_sizes[i]);
    fprintf(f, "\nprints: rk4 impl=... problem=... n=... steps=... h=... call=... mode=... check=pass|FAIL\n"
               "        err=... tol=... [err2=... tol2=...] repeat=... seconds=... ns_per_step=...\n");
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Allocates, touches, runs, checks and prints; every way out frees what it allocated. */
static int run(const rk4_impl *impl, rk4_problem p, rk4_call call, rk4_mode mode, unsigned n, float h,
               unsigned steps, unsigned repeat, int print, size_t out_floats) {
    int status = 2;
    float *y0 = malloc((size_t)n * sizeof *y0);
    float *out = malloc(out_floats * sizeof *out);
    double *times = malloc(repeat * sizeof *times);
    ss_region region;
    int have_region = 0;
    void *ctx = NULL;
    if (!y0 || !out || !times) {
        fprintf(stderr, "ss-run rk4: out of memory for %zu floats of output\n", out_floats);
        goto done;
    }
    rk4_init(p, n, y0);
    memset(out, 0, out_floats * sizeof *out); /* touch every page before timing */

    if (impl->bump) {
        size_t bytes = rk4_region_bytes(impl, mode, n, steps);
        if (ss_region_create(&region, "rk4 step temporaries", bytes) != 0) {
            fprintf(stderr, "ss-run rk4: cannot create a region of %zu bytes: %s\n", bytes, strerror(errno));
            goto done;
        }
        have_region = 1;
        ss_allocator s = ss_region_allocator(&region);
        ss_scope touch;
        ss_allocator t = ss_scope_begin(&touch, s);
        size_t floats = ss_region_size(&region) / sizeof(float) - 64;
        memset(ss_alloc(t, (unsigned)floats), 0, floats * sizeof(float));
        ss_scope_end(&touch);
        ctx = s;
    }

    for (unsigned r = 0; r < repeat; r++) {
        double t0 = now();
        int rc = impl->run(ctx, p, call, mode, y0, n, h, steps, out);
        times[r] = now() - t0;
        if (rc != 0) {
            fprintf(stderr, "ss-run rk4: implementation '%s' refused n = %u\n", impl->name, n);
            goto done;
        }
    }
    qsort(times, repeat, sizeof *times, cmp_double);
    double median = repeat % 2 ? times[repeat / 2] : (times[repeat / 2 - 1] + times[repeat / 2]) / 2;

    const float *y = rk4_final_state(out, mode, n, steps);
    rk4_check c = rk4_check_final(p, n, h, steps, y);
    FILE *info = print ? stderr : stdout;
    fprintf(info,
            "rk4 impl=%s problem=%s n=%u steps=%u h=%.9g call=%s mode=%s check=%s err=%.3g tol=%.3g",
            impl->name, rk4_problem_name(p), n, steps, (double)h, rk4_call_name(call), rk4_mode_name(mode),
            c.pass ? "pass" : "FAIL", c.err, c.tol);
    if (c.what2) fprintf(info, " err2=%.3g tol2=%.3g", c.err2, c.tol2);
    fprintf(info, " repeat=%u seconds=%.6f ns_per_step=%.1f\n", repeat, median, median * 1e9 / steps);
    if (!c.pass) {
        fprintf(stderr, "ss-run rk4: check FAILED: %s = %.3g > %.3g", c.what, c.err, c.tol);
        if (c.what2) fprintf(stderr, "; %s = %.3g (bound %.3g)", c.what2, c.err2, c.tol2);
        fprintf(stderr, "\n");
    }
    if (print)
        for (unsigned i = 0; i < n; i++) printf("%.9g\n", (double)y[i]);
    status = c.pass ? 0 : 1;
done:
    if (have_region) ss_region_destroy(&region);
    free(y0);
    free(out);
    free(times);
    return status;
}

int ss_run_rk4(int argc, char **argv) {
    ss_cli cli = {.prog = "ss-run rk4",
                  .usage = "ss-run rk4 --impl IMPL --problem PROBLEM -n N [options]",
                  .what = "Integrates one problem with one implementation, checks the result and times it.",
                  .opts = options,
                  .notes = notes,
                  .exits = "0 check passed, 1 check failed, 2 bad input"};
    const char *impl_name = NULL, *problem_name = NULL, *call_arg = "static";
    unsigned long long n = 0, steps = 0, repeat = 1;
    double hd = 0;
    int final_only = 0, print = 0;
    for (int key; (key = ss_cli_next(&cli, argc, argv)) != 0;) {
        switch (key) {
        case -1: return cli.status;
        case O_IMPL: impl_name = cli.arg; break;
        case O_PROBLEM: problem_name = cli.arg; break;
        case O_CALL: call_arg = cli.arg; break;
        case O_FINAL_ONLY: final_only = 1; break;
        case O_PRINT: print = 1; break;
        case 'n':
            if (ss_cli_uint(&cli, 1, 1u << 28, &n)) return 2;
            break;
        case O_STEPS:
            if (ss_cli_uint(&cli, 1, 0xfffffffe, &steps)) return 2;
            break;
        case O_REPEAT:
            if (ss_cli_uint(&cli, 1, 1000000, &repeat)) return 2;
            break;
        case O_H:
            if (ss_cli_positive(&cli, &hd)) return 2;
            if (!((float)hd > 0)) return ss_cli_bad(&cli, "is below the smallest float");
            break;
        }
    }
    if (!impl_name) return ss_cli_fail(&cli, "--impl is required");
    if (!problem_name) return ss_cli_fail(&cli, "--problem is required");
    if (!n) return ss_cli_fail(&cli, "-n is required");

    const rk4_impl *impl = rk4_impl_from_name(impl_name);
    if (!impl) return ss_cli_fail(&cli, "unknown implementation '%s'", ss_cli_clip(impl_name).s);
    int pi = rk4_problem_from_name(problem_name);
    if (pi < 0) return ss_cli_fail(&cli, "unknown problem '%s'", ss_cli_clip(problem_name).s);
    rk4_problem p = (rk4_problem)pi;
    rk4_call call;
    if (!strcmp(call_arg, "static")) call = RK4_STATIC;
    else if (!strcmp(call_arg, "fnptr")) call = RK4_FNPTR;
    else return ss_cli_fail(&cli, "unknown --call '%s' (static or fnptr)", ss_cli_clip(call_arg).s);
    rk4_mode mode = final_only ? RK4_FINAL : RK4_FULL;

    const char *why = rk4_invalid_n(p, (unsigned)n);
    if (why) return ss_cli_fail(&cli, "-n %llu: %s", n, why);
    if (!rk4_impl_supports(impl, (unsigned)n)) {
        fprintf(stderr, "ss-run rk4: implementation '%s' was not built for n = %llu; built sizes:", impl->name, n);
        for (unsigned i = 0; i < rk4_nsizes; i++) fprintf(stderr, " %u", rk4_sizes[i]);
        fprintf(stderr, " (cmake -DSS_RK4_SIZES=...)\n");
        return 2;
    }
    if (!steps) steps = rk4_default_steps(p, (unsigned)n);
    float h = hd > 0 ? (float)hd : rk4_default_h(p, (unsigned)n);
    double hmax = rk4_max_h(p, (unsigned)n);
    if ((double)h > hmax)
        return ss_cli_fail(&cli, "--h %g is beyond the limit for %s at n = %llu: h <= %.6g%s", (double)h,
                           rk4_problem_name(p), n, hmax,
                           p == RK4_HEAT1D ? " (explicit RK4 is stable for h*mu_max <= 2.78, mu_max ~ 4(n+1)^2)"
                           : p == RK4_LORENZ96 ? " (beyond it the float and double trajectories part too soon)"
                                               : " (explicit RK4's stability region)");

    size_t out_floats = rk4_out_floats(mode, (unsigned)n, (unsigned)steps);
    if (out_floats > MAX_OUT_BYTES / sizeof(float))
        return ss_cli_fail(&cli, "the trajectory would take %.1f GiB (n × (steps+1) floats); the limit is %zu GiB: "
                                 "use --final-only or fewer steps",
                           (double)out_floats * sizeof(float) / (1u << 30), MAX_OUT_BYTES >> 30);
    return run(impl, p, call, mode, (unsigned)n, h, (unsigned)steps, (unsigned)repeat, print, out_floats);
}
