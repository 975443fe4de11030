/* ss-run rk4 — integrates one problem with one implementation, checks the result, times it.

       ss-run rk4 --impl bump --problem decay -n 64 [--steps 10000] [--h 0.001]
                  [--call static|fnptr] [--final-only] [--repeat R] [--print]

   Prints one line of key=value pairs: the case, the check (pass/FAIL, error and bound) and the
   time per step (median over R runs; each run is the whole integration). With --print the
   final state goes to stdout, one value a line (%.9g), and that line to stderr.
   Exit status: 0 check passed, 1 check failed, 2 bad input. The output, and the bump
   implementation's region, are allocated and their pages touched before anything is timed. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rk4_impls.h"
#include "ss_region.h"
#include "ss_run.h"

/* Beyond this the output alone would not fit comfortably in this machine's memory. */
#define MAX_OUT_BYTES ((size_t)8 << 30)

static void usage(FILE *f) {
    fprintf(f,
            "usage: ss-run rk4 --impl IMPL --problem PROBLEM -n N [--steps S] [--h H]\n"
            "                  [--call static|fnptr] [--final-only] [--repeat R] [--print]\n"
            "  --impl      ");
    for (unsigned i = 0; i < rk4_nimpls; i++) fprintf(f, "%s%s", i ? ", " : "", rk4_impls[i].name);
    fprintf(f, "\n  --problem   ");
    for (int p = 0; p < RK4_NPROBLEMS; p++) fprintf(f, "%s%s", p ? ", " : "", rk4_problem_name((rk4_problem)p));
    fprintf(f, "\n  -n          state length (stack and bump_n: one of");
    for (unsigned i = 0; i < rk4_nsizes; i++) fprintf(f, " %u", rk4_sizes[i]);
    fprintf(f, ")\n"
               "  --steps     number of steps (default: the problem's; t = 10, lorenz96 t = 1)\n"
               "  --h         step size (default: the problem's; refused beyond its stability limit)\n"
               "  --call      static: dydt known at compile time (default); fnptr: through a pointer\n"
               "  --final-only  keep only the last state, not the trajectory\n"
               "  --repeat    time R runs and report the median (default 1)\n"
               "  --print     write the final state to stdout, one value a line (%%.9g)\n"
               "exit status: 0 check passed, 1 check failed, 2 bad input\n");
}

static int bad(const char *fmt, const char *what) {
    fprintf(stderr, "ss-run rk4: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, " (ss-run rk4 --help)\n");
    return 2;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out) {
    char *end;
    if (!s || !*s || *s == '-' || *s == '+') return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > max) return -1;
    *out = v;
    return 0;
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

int ss_run_rk4(int argc, char **argv) {
    const char *impl_name = NULL, *problem_name = NULL, *n_arg = NULL, *steps_arg = NULL, *h_arg = NULL;
    const char *call_arg = "static", *repeat_arg = "1";
    int final_only = 0, print = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **val = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--final-only")) final_only = 1;
        else if (!strcmp(a, "--print")) print = 1;
        else if (!strcmp(a, "--impl")) val = &impl_name;
        else if (!strcmp(a, "--problem")) val = &problem_name;
        else if (!strcmp(a, "-n") || !strcmp(a, "--n")) val = &n_arg;
        else if (!strcmp(a, "--steps")) val = &steps_arg;
        else if (!strcmp(a, "--h")) val = &h_arg;
        else if (!strcmp(a, "--call")) val = &call_arg;
        else if (!strcmp(a, "--repeat")) val = &repeat_arg;
        else return bad("unknown option '%s'", a);
        if (val) {
            if (i + 1 >= argc) return bad("option %s needs a value", a);
            *val = argv[++i];
        }
    }
    if (!impl_name) return bad("%s", "--impl is required");
    if (!problem_name) return bad("%s", "--problem is required");
    if (!n_arg) return bad("%s", "-n is required");

    const rk4_impl *impl = rk4_impl_from_name(impl_name);
    if (!impl) return bad("unknown implementation '%s'", impl_name);
    int pi = rk4_problem_from_name(problem_name);
    if (pi < 0) return bad("unknown problem '%s'", problem_name);
    rk4_problem p = (rk4_problem)pi;
    rk4_call call;
    if (!strcmp(call_arg, "static")) call = RK4_STATIC;
    else if (!strcmp(call_arg, "fnptr")) call = RK4_FNPTR;
    else return bad("unknown --call '%s' (static or fnptr)", call_arg);
    rk4_mode mode = final_only ? RK4_FINAL : RK4_FULL;

    unsigned long v;
    if (parse_uint(n_arg, 1ul << 28, &v) || v == 0) return bad("-n must be a positive integer, got '%s'", n_arg);
    unsigned n = (unsigned)v;
    const char *why = rk4_invalid_n(p, n);
    if (why) {
        fprintf(stderr, "ss-run rk4: -n %u: %s\n", n, why);
        return 2;
    }
    if (!rk4_impl_supports(impl, n)) {
        fprintf(stderr, "ss-run rk4: implementation '%s' was not built for n = %u; built sizes:", impl->name, n);
        for (unsigned i = 0; i < rk4_nsizes; i++) fprintf(stderr, " %u", rk4_sizes[i]);
        fprintf(stderr, " (cmake -DSS_RK4_SIZES=...)\n");
        return 2;
    }
    unsigned steps = rk4_default_steps(p, n);
    if (steps_arg) {
        if (parse_uint(steps_arg, 0xfffffffeul, &v) || v == 0)
            return bad("--steps must be a positive integer, got '%s'", steps_arg);
        steps = (unsigned)v;
    }
    if (parse_uint(repeat_arg, 1000000, &v) || v == 0)
        return bad("--repeat must be a positive integer, got '%s'", repeat_arg);
    unsigned repeat = (unsigned)v;

    float h = rk4_default_h(p, n);
    if (h_arg) {
        char *end;
        errno = 0;
        double hd = strtod(h_arg, &end);
        if (errno || *end || !(hd > 0) || !isfinite(hd) || !((float)hd > 0))
            return bad("--h must be a positive number, got '%s'", h_arg);
        h = (float)hd;
    }
    double hmax = rk4_max_h(p, n);
    if ((double)h > hmax) {
        fprintf(stderr,
                "ss-run rk4: --h %g is beyond the limit for %s at n = %u: h <= %.6g%s\n", (double)h,
                rk4_problem_name(p), n, hmax,
                p == RK4_HEAT1D ? " (explicit RK4 is stable for h*mu_max <= 2.78, mu_max ~ 4(n+1)^2)"
                : p == RK4_LORENZ96 ? " (beyond it the float and double trajectories part too soon)"
                                    : " (explicit RK4's stability region)");
        return 2;
    }

    size_t out_floats = rk4_out_floats(mode, n, steps);
    if (out_floats > MAX_OUT_BYTES / sizeof(float)) {
        fprintf(stderr, "ss-run rk4: the trajectory would take %.1f GiB (n × (steps+1) floats); the limit is %zu GiB: "
                        "use --final-only or fewer steps\n",
                (double)out_floats * sizeof(float) / (1u << 30), MAX_OUT_BYTES >> 30);
        return 2;
    }

    float *y0 = malloc((size_t)n * sizeof *y0);
    float *out = malloc(out_floats * sizeof *out);
    double *times = malloc(repeat * sizeof *times);
    if (!y0 || !out || !times) {
        fprintf(stderr, "ss-run rk4: out of memory for %zu floats of output\n", out_floats);
        return 2;
    }
    rk4_init(p, n, y0);
    memset(out, 0, out_floats * sizeof *out); /* touch every page before timing */

    ss_region region;
    void *ctx = NULL;
    if (impl->bump) {
        size_t bytes = rk4_region_bytes(impl, mode, n, steps);
        if (ss_region_create(&region, "rk4 step temporaries", bytes) != 0) {
            fprintf(stderr, "ss-run rk4: cannot create a region of %zu bytes: %s\n", bytes, strerror(errno));
            return 2;
        }
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
            return 2;
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

    if (impl->bump) ss_region_destroy(&region);
    free(y0);
    free(out);
    free(times);
    return c.pass ? 0 : 1;
}
