/* bench_growth — what expanding memory costs: reserve-all vs fault-driven growth vs
   realloc doubling (and, for reference, copy doubling and a plain mmap), with transparent
   huge pages off and on.

       bench_growth [--bytes N] [--reps R] [--out DIR] [--quick] [--cold]
       bench_growth -h|--help|--version

   --bytes: what each run fills, a multiple of 64 KiB up to 1 TiB (default 1 GiB); --reps:
   repetitions of every configuration, 1 .. 100 (default 5); --out: the folder of the CSV
   files (default .; created if missing); --quick: 64 MiB and 1 repetition (a smoke run;
   the later of --quick and --bytes/--reps wins); --cold: no warm-up runs (see warm_up).
   --help lists the options on stdout, --version the build's flags. Exit status: 0 ok, 1 a
   run failed (each runs in a child process), 2 bad input or an output folder that cannot be
   written.

   Two measurements, each run in a fresh child process (after a warm-up run, see warm_up) (so page faults,
   peak RSS and the commit charge are its own), repetitions interleaved so that a noisy neighbour hits every
   strategy alike; the summary gives medians.

   fill   write N bytes (default 1 GiB) of floats, 64 KiB at a time, as a program filling a
          growing buffer does: bump allocations from a region, or appends to a buffer that
          doubles. Reports time, minor page faults (getrusage), peak RSS, the change of
          Committed_AS (/proc/meminfo, system-wide: other processes add noise), anonymous
          huge pages in use, growth steps.
   steps  touch a fault-driven region page by page, timing each first store: the stores
          that trigger a growth step (SIGSEGV, handler, mprotect, return, then the page
          fault itself) against those that only take an ordinary page fault.

   Writes DIR/growth_fill.csv (one row per run) and DIR/growth_steps.csv (one row per
   step or per run summary), and prints the summary. THP "off" is MADV_NOHUGEPAGE, "on" is
   MADV_HUGEPAGE, whatever /sys/kernel/mm/transparent_hugepage/enabled says (printed). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ss_cli.h"
#include "ss_region.h"

#define MiB ((size_t)1 << 20)
#define CHUNK ((size_t)64 << 10)
#define HUGE_PAGE ((size_t)2 << 20)

//~ Measurements

typedef struct {
    double seconds;
    double cpu_seconds; /* user + system: less disturbed by a busy machine than wall time */
    long minflt;
    long peak_rss_kib;
    long committed_kib; /* Committed_AS after the fill minus before */
    long anon_huge_kib; /* AnonHugePages of this process after the fill */
    size_t commits;
    double checksum;
    int ok;
} fill_result;

typedef struct {
    size_t steps;
    double step_ns[64];
    double fault4k_ns;    /* median first store that took an ordinary 4 KiB page fault */
    double fault2m_ns;    /* ... a 2 MiB (THP) page fault; 0 if none */
    double store_mean_ns; /* all first stores but the steps: the fault cost per 4 KiB */
    double step_median_ns;
    double overhead_median_ns; /* a step minus an ordinary fault of the same size */
    double seconds;
    int ok;
} steps_result;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double tv(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec * 1e-6; }

static long kib_field(const char *path, const char *key) {
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0) {
            v = strtol(line + kl, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
    if (n == 0) return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void thp_advise(void *p, size_t bytes, int thp) {
    /* madvise wants page-aligned ranges; a huge page needs a 2 MiB-aligned one inside. */
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (hi > lo) (void)madvise((void *)lo, hi - lo, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
}

/* 64 KiB of floats; the values depend on the position so nothing can be folded away. */
static void fill_chunk(float *c, size_t k) {
    for (size_t i = 0; i < CHUNK / sizeof(float); i++) c[i] = (float)(k + i);
}

//~ The strategies

enum { S_RESERVE, S_GROW, S_REALLOC, S_COPY, S_MMAP, S_COUNT };
static const char *const strategy_name[S_COUNT] = {"reserve-all", "fault-driven", "realloc-doubling",
                                                   "copy-doubling", "plain-mmap"};

static double fill_region(ss_region_kind kind, size_t bytes, int thp, size_t *commits) {
    ss_region r;
    if (ss_region_create_kind(&r, "bench", bytes, kind) != 0) {
        fprintf(stderr, "bench_growth: %s\n", ss_region_error());
        exit(3);
    }
    ss_allocator s = ss_region_allocator(&r);
    /* The advice applies to the whole region, committed or not. */
    ss_scope all;
    ss_allocator t = ss_scope_begin(&all, s);
    thp_advise(ss_new(t, char, bytes), bytes, thp);
    ss_scope_end(&all);
    double sum = 0;
    for (size_t k = 0; k < bytes / CHUNK; k++) {
        float *c = ss_alloc(s, CHUNK / sizeof(float));
        fill_chunk(c, k);
        sum += c[k % (CHUNK / sizeof(float))];
    }
    *commits = ss_region_growth(&r).commits;
    /* Not destroyed: the caller reads RSS and the commit charge first; the child then exits. */
    return sum;
}

static double fill_doubling(size_t bytes, int thp, int use_realloc) {
    char *a = NULL;
    size_t cap = 0, len = 0;
    double sum = 0;
    for (size_t k = 0; k < bytes / CHUNK; k++) {
        if (len + CHUNK > cap) {
            size_t ncap = cap ? 2 * cap : CHUNK;
            char *b;
            if (use_realloc) {
                b = realloc(a, ncap);
            } else {
                b = malloc(ncap);
                if (b && len) memcpy(b, a, len);
                free(a);
            }
            if (b == NULL) {
                fprintf(stderr, "bench_growth: cannot allocate %zu bytes\n", ncap);
                exit(3);
            }
            a = b;
            cap = ncap;
            thp_advise(a, cap, thp);
        }
        float *c = (float *)(void *)(a + len);
        fill_chunk(c, k);
        sum += c[k % (CHUNK / sizeof(float))];
        len += CHUNK;
    }
    return sum; /* a stays allocated until the child exits */
}

static double fill_mmap(size_t bytes, int thp) {
    char *a = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) {
        perror("bench_growth: mmap");
        exit(3);
    }
    thp_advise(a, bytes, thp);
    double sum = 0;
    for (size_t k = 0; k < bytes / CHUNK; k++) {
        float *c = (float *)(void *)(a + bytes - (k + 1) * CHUNK);
        fill_chunk(c, k);
        sum += c[k % (CHUNK / sizeof(float))];
    }
    return sum;
}

static fill_result run_fill(int strategy, size_t bytes, int thp) {
    fill_result res;
    memset(&res, 0, sizeof res);
    struct rusage r0, r1;
    long committed0 = kib_field("/proc/meminfo", "Committed_AS:");
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now();
    switch (strategy) {
    case S_RESERVE:
        res.checksum = fill_region(SS_REGION_RESERVE, bytes, thp, &res.commits);
        break;
    case S_GROW:
        res.checksum = fill_region(SS_REGION_GROW, bytes, thp, &res.commits);
        break;
    case S_REALLOC:
        res.checksum = fill_doubling(bytes, thp, 1);
        break;
    case S_COPY:
        res.checksum = fill_doubling(bytes, thp, 0);
        break;
    case S_MMAP:
        res.checksum = fill_mmap(bytes, thp);
        break;
    }
    res.seconds = now() - t0;
    getrusage(RUSAGE_SELF, &r1);
    res.committed_kib = kib_field("/proc/meminfo", "Committed_AS:") - committed0;
    res.anon_huge_kib = kib_field("/proc/self/smaps_rollup", "AnonHugePages:");
    res.minflt = r1.ru_minflt - r0.ru_minflt;
    res.cpu_seconds = tv(r1.ru_utime) + tv(r1.ru_stime) - tv(r0.ru_utime) - tv(r0.ru_stime);
    res.peak_rss_kib = r1.ru_maxrss;
    res.ok = 1;
    return res;
}

/* Page by page, downward, timing each first store. A store that faults (getrusage says)
   takes an ordinary fault of 4 KiB or, with THP, of 2 MiB where the kernel manages one: a
   2 MiB fault zeroes 512 pages, 20x and more the time of a 4 KiB one, so with THP on a
   fault above SS__HUGE_NS counts as a huge one (the address alone does not tell: a block
   whose first fault came while it was partly committed stays in 4 KiB pages). A step is
   compared with the ordinary fault of its own size. */
#define SS__HUGE_NS 15000.0
static steps_result run_steps(size_t bytes, int thp) {
    steps_result res;
    memset(&res, 0, sizeof res);
    ss_region r;
    if (ss_region_create_kind(&r, "steps", bytes, SS_REGION_GROW) != 0) {
        fprintf(stderr, "bench_growth: %s\n", ss_region_error());
        exit(3);
    }
    ss_allocator s = ss_region_allocator(&r);
    char *p = ss_new(s, char, bytes);
    thp_advise(p, bytes, thp);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = bytes / page, n4k = 0, n2m = 0;
    double *f4k = malloc(pages * sizeof *f4k), *f2m = malloc(pages * sizeof *f2m);
    if (f4k == NULL || f2m == NULL) exit(3);
    /* their own page faults must not count */
    memset(f4k, 0, pages * sizeof *f4k);
    memset(f2m, 0, pages * sizeof *f2m);
    size_t commits = ss_region_growth(&r).commits;
    double t0 = now(), sum = 0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long faults = ru.ru_minflt;
    size_t stores = 0;
    for (size_t i = pages; i-- > 0;) {
        double a = now();
        p[i * page] = 1;
        double d = (now() - a) * 1e9;
        ss_growth g = ss_region_growth(&r);
        getrusage(RUSAGE_SELF, &ru);
        int faulted = ru.ru_minflt != faults;
        faults = ru.ru_minflt;
        int huge = thp && d >= SS__HUGE_NS;
        if (g.commits != commits) {
            if (res.steps < 64) res.step_ns[res.steps] = d;
            res.steps++;
            commits = g.commits;
        } else {
            if (faulted) {
                if (huge)
                    f2m[n2m++] = d;
                else
                    f4k[n4k++] = d;
            }
            sum += d;
            stores++;
        }
    }
    res.seconds = now() - t0;
    res.store_mean_ns = stores ? sum / (double)stores : 0;
    res.fault4k_ns = median(f4k, n4k);
    res.fault2m_ns = median(f2m, n2m);
    double tmp[64], over[64];
    size_t n = res.steps < 64 ? res.steps : 64;
    for (size_t i = 0; i < n; i++) {
        tmp[i] = res.step_ns[i];
        /* A step that took a huge fault is slower than half of one by itself. */
        int huge = res.fault2m_ns > 0 && res.step_ns[i] >= res.fault2m_ns / 2;
        over[i] = res.step_ns[i] - (huge ? res.fault2m_ns : res.fault4k_ns);
    }
    res.step_median_ns = median(tmp, n);
    res.overhead_median_ns = median(over, n);
    res.ok = 1;
    free(f4k);
    free(f2m);
    ss_region_destroy(&r);
    return res;
}

//~ Children

static int in_child(void *out, size_t size, void (*run)(void *out, const void *arg), const void *arg) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fds[0]);
        char buf[sizeof(steps_result) > sizeof(fill_result) ? sizeof(steps_result) : sizeof(fill_result)];
        run(buf, arg);
        (void)!write(fds[1], buf, size);
        _exit(0);
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t k;
    while (got < size && (k = read(fds[0], (char *)out + got, size - got)) > 0) got += (size_t)k;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return got == size && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

typedef struct {
    int strategy;
    size_t bytes;
    int thp;
} job;

static void child_fill(void *out, const void *arg) {
    const job *j = arg;
    fill_result r = run_fill(j->strategy, j->bytes, j->thp);
    memcpy(out, &r, sizeof r);
}

static void child_steps(void *out, const void *arg) {
    const job *j = arg;
    steps_result r = run_steps(j->bytes, j->thp);
    memcpy(out, &r, sizeof r);
}

/* In a VM with free page reporting (Firecracker, virtio-balloon), memory freed in large
   blocks goes back to the host after about two seconds, and the next first touch of it
   costs a fault in the host as well: a run after a pause pays for that, a run right after
   another that freed memory does not. THP runs suffer most (huge pages come from exactly
   those blocks). So, unless --cold, each measured run follows right after an untimed
   plain-mmap run of the same size that leaves freshly freed, host-backed memory behind. */
static void warm_up(size_t bytes, int thp, int cold) {
    if (cold) return;
    job j = {S_MMAP, bytes, thp};
    fill_result r;
    (void)in_child(&r, sizeof r, child_fill, &j);
}

//~ Main

enum { O_BYTES = SS_CLI_LONG, O_REPS, O_OUT, O_QUICK, O_COLD };

static const ss_cli_opt options[] = {
    {"bytes", O_BYTES, "N", "bytes to fill, a multiple of 65536 up to 2^40\n(default 1073741824 = 1 GiB)"},
    {"reps", O_REPS, "R", "repetitions of every configuration, 1 .. 100 (default 5)"},
    {"out", O_OUT, "DIR", "where growth_fill.csv and growth_steps.csv go (default .)"},
    {"quick", O_QUICK, NULL, "64 MiB, 1 repetition (a smoke run)"},
    {"cold", O_COLD, NULL, "no warm-up run before each measured one (see warm_up)"},
    {0}};

int main(int argc, char **argv) {
    ss_cli cli = {.prog = "bench_growth",
                  .usage = "bench_growth [--bytes N] [--reps R] [--out DIR] [--quick] [--cold]",
                  .what = "What expanding memory costs: reserve-all, fault-driven growth, realloc and copy\n"
                          "doubling, a plain mmap; THP off and on. Writes DIR/growth_fill.csv and\n"
                          "DIR/growth_steps.csv and prints the summary.",
                  .opts = options,
                  .exits = "0 ok, 1 a run failed, 2 bad input or an unwritable DIR"};
    size_t bytes = (size_t)1 << 30;
    int reps = 5;
    const char *out = ".";
    int cold = 0;
    unsigned long long v;
    for (int key; (key = ss_cli_next(&cli, argc, argv)) != 0;) {
        switch (key) {
        case -1: return cli.status;
        case O_BYTES:
            if (ss_cli_uint(&cli, CHUNK, (unsigned long long)1 << 40, &v)) return 2;
            if (v % CHUNK) return ss_cli_bad(&cli, "is not a multiple of 65536");
            bytes = (size_t)v;
            break;
        case O_REPS:
            if (ss_cli_uint(&cli, 1, 100, &v)) return 2;
            reps = (int)v;
            break;
        case O_OUT: out = cli.arg; break;
        case O_COLD: cold = 1; break;
        case O_QUICK:
            bytes = 64 * MiB;
            reps = 1;
            break;
        }
    }
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        return ss_cli_fail(&cli, "cannot create '%s': %s", ss_cli_clip(out).s, strerror(errno));
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/growth_fill.csv", out);
    FILE *fill_csv = fopen(path, "w");
    snprintf(path, sizeof path, "%s/growth_steps.csv", out);
    FILE *steps_csv = fopen(path, "w");
    if (fill_csv == NULL || steps_csv == NULL) {
        return ss_cli_fail(&cli, "cannot write into '%s': %s", ss_cli_clip(out).s, strerror(errno));
    }
    char thp_sys[128] = "?";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f) {
        if (fgets(thp_sys, sizeof thp_sys, f)) thp_sys[strcspn(thp_sys, "\n")] = '\0';
        fclose(f);
    }
    char defrag[128] = "?";
    f = fopen("/sys/kernel/mm/transparent_hugepage/defrag", "r");
    if (f) {
        if (fgets(defrag, sizeof defrag, f)) defrag[strcspn(defrag, "\n")] = '\0';
        fclose(f);
    }
    printf("bench_growth: %zu bytes, %d repetitions, %s; THP enabled: %s; defrag: %s\n", bytes, reps,
           cold ? "cold (no warm-up runs)" : "each run after a warm-up run", thp_sys, defrag);
    ss_region_report_limits(stdout);

    fprintf(fill_csv, "strategy,thp,rep,bytes,seconds,cpu_seconds,minflt,peak_rss_kib,committed_as_delta_kib,"
                      "anon_huge_kib,commits\n");
    fprintf(steps_csv, "thp,rep,bytes,what,index,ns\n");
    static double secs[S_COUNT][2][100], cpus[S_COUNT][2][100], flt[S_COUNT][2][100], rss[S_COUNT][2][100],
        com[S_COUNT][2][100], huge[S_COUNT][2][100];
    size_t commits[S_COUNT][2] = {{0}};
    static double st_step[2][100], st_over[2][100], st_4k[2][100], st_2m[2][100], st_mean[2][100],
        st_total[2][100];
    size_t nsteps[2] = {0, 0};
    int failures = 0;
    for (int rep = 0; rep < reps; rep++) {
        for (int th = 0; th < 2; th++) {
            /* The order rotates: a run after one that freed a GiB of small pages finds memory
               fragmented and pays for compaction when it asks for huge pages. Over
               S_COUNT repetitions every strategy runs once in every position. */
            int thp = (th + rep) % 2;
            for (int k = 0; k < S_COUNT; k++) {
                int st = (k + rep) % S_COUNT;
                job j = {st, bytes, thp};
                fill_result r;
                warm_up(bytes, thp, cold);
                if (in_child(&r, sizeof r, child_fill, &j) != 0) {
                    fprintf(stderr, "bench_growth: %s, THP %s: the run failed\n", strategy_name[st],
                            thp ? "on" : "off");
                    failures++;
                    continue;
                }
                fprintf(fill_csv, "%s,%s,%d,%zu,%.6f,%.6f,%ld,%ld,%ld,%ld,%zu\n", strategy_name[st],
                        thp ? "on" : "off", rep, bytes, r.seconds, r.cpu_seconds, r.minflt, r.peak_rss_kib,
                        r.committed_kib, r.anon_huge_kib, r.commits);
                secs[st][thp][rep] = r.seconds;
                cpus[st][thp][rep] = r.cpu_seconds;
                flt[st][thp][rep] = (double)r.minflt;
                rss[st][thp][rep] = (double)r.peak_rss_kib;
                com[st][thp][rep] = (double)r.committed_kib;
                huge[st][thp][rep] = (double)r.anon_huge_kib;
                commits[st][thp] = r.commits;
            }
            job j = {S_GROW, bytes, thp};
            steps_result s;
            warm_up(bytes, thp, cold);
            if (in_child(&s, sizeof s, child_steps, &j) != 0) {
                fprintf(stderr, "bench_growth: steps, THP %s: the run failed\n", thp ? "on" : "off");
                failures++;
                continue;
            }
            for (size_t i = 0; i < s.steps && i < 64; i++)
                fprintf(steps_csv, "%s,%d,%zu,step,%zu,%.0f\n", thp ? "on" : "off", rep, bytes, i + 1,
                        s.step_ns[i]);
            const char *th = thp ? "on" : "off";
            fprintf(steps_csv, "%s,%d,%zu,fault_4k_median,0,%.0f\n", th, rep, bytes, s.fault4k_ns);
            fprintf(steps_csv, "%s,%d,%zu,fault_2m_median,0,%.0f\n", th, rep, bytes, s.fault2m_ns);
            fprintf(steps_csv, "%s,%d,%zu,store_mean,0,%.0f\n", th, rep, bytes, s.store_mean_ns);
            fprintf(steps_csv, "%s,%d,%zu,step_median,0,%.0f\n", th, rep, bytes, s.step_median_ns);
            fprintf(steps_csv, "%s,%d,%zu,step_overhead_median,0,%.0f\n", th, rep, bytes,
                    s.overhead_median_ns);
            st_step[thp][rep] = s.step_median_ns;
            st_over[thp][rep] = s.overhead_median_ns;
            st_4k[thp][rep] = s.fault4k_ns;
            st_2m[thp][rep] = s.fault2m_ns;
            st_mean[thp][rep] = s.store_mean_ns;
            st_total[thp][rep] = s.seconds;
            nsteps[thp] = s.steps;
        }
        fprintf(stderr, "bench_growth: repetition %d of %d done\n", rep + 1, reps);
    }
    fclose(fill_csv);
    fclose(steps_csv);

    printf("\nfill %zu MiB in 64 KiB pieces, medians of %d runs (Committed_AS is system-wide: noisy)\n",
           bytes >> 20, reps);
    printf("%-17s %-4s %8s %8s %8s %10s %11s %13s %12s %8s\n", "strategy", "THP", "wall_s", "cpu_s",
           "cpu/mmap", "minflt", "peakRSS_MiB", "CommittedMiB", "AnonHugeMiB", "commits");
    for (int thp = 0; thp < 2; thp++) {
        double base = median(cpus[S_MMAP][thp], (size_t)reps);
        for (int st = 0; st < S_COUNT; st++) {
            double c = median(cpus[st][thp], (size_t)reps);
            printf("%-17s %-4s %8.3f %8.3f %8.2f %10.0f %11.0f %13.0f %12.0f %8zu\n", strategy_name[st],
                   thp ? "on" : "off", median(secs[st][thp], (size_t)reps), c, base > 0 ? c / base : 0,
                   median(flt[st][thp], (size_t)reps), median(rss[st][thp], (size_t)reps) / 1024,
                   median(com[st][thp], (size_t)reps) / 1024, median(huge[st][thp], (size_t)reps) / 1024,
                   commits[st][thp]);
        }
    }
    printf("\ngrowth steps (fault-driven, %zu MiB touched page by page), medians of %d runs\n", bytes >> 20,
           reps);
    printf("%-4s %6s %9s %12s %9s %9s %13s %14s %13s %12s\n", "THP", "steps", "step_us", "overhead_us",
           "fault4k_us", "fault2m_us", "store_us_mean", "overhead/4k", "step_extra_s", "touch_all_s");
    for (int thp = 0; thp < 2; thp++) {
        size_t R = (size_t)reps;
        double stp = median(st_step[thp], R), over = median(st_over[thp], R), f4 = median(st_4k[thp], R);
        printf("%-4s %6zu %9.2f %12.2f %9.2f %9.2f %13.2f %14.1f %13.6f %12.3f\n", thp ? "on" : "off",
               nsteps[thp], stp / 1e3, over / 1e3, f4 / 1e3, median(st_2m[thp], R) / 1e3,
               median(st_mean[thp], R) / 1e3, f4 > 0 ? over / f4 : 0, (double)nsteps[thp] * over * 1e-9,
               median(st_total[thp], R));
    }
    printf(
        "\n(step_us: a store that triggers a growth step, its own page fault included; overhead_us: that "
        "minus an ordinary fault of the same size; fault4k_us, fault2m_us: a store into committed memory "
        "that takes an ordinary 4 KiB / 2 MiB (THP) page fault; store_us_mean: first stores per 4 KiB page, "
        "steps excluded, i.e. the fault cost per page; step_extra_s: what all steps add)\n");
    printf("wrote %s/growth_fill.csv and %s/growth_steps.csv\n", out, out);
    return failures ? 1 : 0;
}
