/* Reserve-all reports what threatens it, and under `ulimit -v` (RLIMIT_AS) both OS-backed
   kinds fail with a message instead of crashing. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ss_region.h"
#include "ss_test.h"

static char report[8192];

static void capture_report(void) {
    FILE *f = fmemopen(report, sizeof report - 1, "w");
    ss_region_report_limits(f);
    fclose(f);
}

static void test_report(void) {
    capture_report();
    FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
    int mode = -1;
    CHECK(f != NULL && fscanf(f, "%d", &mode) == 1);
    if (f) fclose(f);
    char want[64];
    snprintf(want, sizeof want, "vm.overcommit_memory = %d (", mode);
    CHECK(strstr(report, want) != NULL);
    CHECK(strstr(report, "RLIMIT_AS (ulimit -v): unlimited") != NULL);
    CHECK(strstr(report, "cgroup memory limit: ") != NULL);
    CHECK(strstr(report, "Committed_AS: ") != NULL);
    printf("%s", report);
}

/* In a child: lower RLIMIT_AS as `ulimit -v 4194304` would, then create. The child exits
   0 when every create failed with a message naming the limit. */
static int child_under_ulimit(void) {
    struct rlimit rl = {.rlim_cur = (rlim_t)4 << 30, .rlim_max = (rlim_t)4 << 30};
    if (setrlimit(RLIMIT_AS, &rl) != 0) return 10;
    int bad = 0;
    ss_region_kind kinds[] = {SS_REGION_RESERVE, SS_REGION_GROW};
    for (int i = 0; i < 2; i++) {
        ss_region r;
        errno = 0;
        int rc = ss_region_create_kind(&r, "limited", i == 0 ? 0 : (size_t)1 << 30, kinds[i]);
        const char *msg = ss_region_error();
        fprintf(stderr, "%s\n", msg);
        if (rc != -1 || errno != ENOMEM || strstr(msg, "RLIMIT_AS (ulimit -v) is 4294967296 bytes") == NULL ||
            strstr(msg, "region 'limited'") == NULL)
            bad++;
    }
    /* The report says so too. */
    capture_report();
    if (strstr(report, "RLIMIT_AS (ulimit -v): 4294967296 bytes (4.0 GiB)") == NULL) bad++;
    /* A fixed region still works. */
    ss_region f;
    if (ss_region_create(&f, "fixed", 1 << 20) != 0) bad++;
    return bad;
}

static void test_ulimit(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        alarm(SS_TEST_DEATH_TIMEOUT); /* as a death test's child: never a hang */
        _exit(child_under_ulimit());
    }
    close(fds[1]);
    char out[4096];
    ssize_t got = 0, k;
    while ((k = read(fds[0], out + got, sizeof out - 1 - (size_t)got)) > 0) got += k;
    out[got] = '\0';
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK_EQ_U(WIFEXITED(status) ? WEXITSTATUS(status) : 99, 0);
    printf("under ulimit -v 4194304:\n%s", out);
}

int main(void) {
    test_report();
    test_ulimit();
    return ss_test_summary("test_region_limits");
}
