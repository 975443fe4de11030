/* ss_test.h — the tests' assertions: they print file, line, the expression and the values,
   count failures, and death tests run in a child process and check its message. */
#ifndef SS_TEST_H
#define SS_TEST_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int ss_test_failures;
static int ss_test_checks;
static char ss_test_output[8192]; /* the last death test's stderr */

#define CHECK(expr)                                                                    \
    do {                                                                               \
        ss_test_checks++;                                                              \
        if (!(expr)) {                                                                 \
            ss_test_failures++;                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr);   \
        }                                                                              \
    } while (0)

#define CHECK_EQ_U(a, b)                                                                        \
    do {                                                                                        \
        unsigned long long ss__a = (unsigned long long)(a), ss__b = (unsigned long long)(b);    \
        ss_test_checks++;                                                                       \
        if (ss__a != ss__b) {                                                                   \
            ss_test_failures++;                                                                 \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%llu vs %llu)\n", __FILE__,     \
                    __LINE__, #a, #b, ss__a, ss__b);                                            \
        }                                                                                       \
    } while (0)

#define CHECK_ALIGNED(p, align) CHECK_EQ_U((uintptr_t)(p) % (align), 0)

/* A death test that has not died after this many seconds is killed (SIGALRM) and fails:
   a handler that swallows a fault retries the store forever. */
#ifndef SS_TEST_DEATH_TIMEOUT
#define SS_TEST_DEATH_TIMEOUT 30
#endif

/* Runs fn in a child; the child must die by `sig` (0: any signal) and its stderr must
   contain `expect`. */
static inline void ss_test_expect_death(const char *name, void (*fn)(void), int sig, const char *expect,
                                        const char *file, int line) {
    int fds[2];
    ss_test_checks++;
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(2);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        alarm(SS_TEST_DEATH_TIMEOUT);
        fn();
        _exit(0); /* survived: the parent reports it */
    }
    close(fds[1]);
    char *buf = ss_test_output;
    size_t got = 0;
    ssize_t k;
    while ((k = read(fds[0], buf + got, sizeof ss_test_output - 1 - got)) > 0) got += (size_t)k;
    buf[got] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    int timed_out = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM && sig != SIGALRM;
    int died = WIFSIGNALED(status) && !timed_out && (sig == 0 || WTERMSIG(status) == sig);
    if (timed_out) {
        ss_test_failures++;
        fprintf(stderr, "%s:%d: death test %s: still running after %d s (killed), stderr:\n%s\n", file, line,
                name, SS_TEST_DEATH_TIMEOUT, buf);
    } else if (!died || strstr(buf, expect) == NULL) {
        ss_test_failures++;
        fprintf(stderr, "%s:%d: death test %s: expected death by signal %d with \"%s\"; got %s %d, stderr:\n%s\n",
                file, line, name, sig, expect, WIFSIGNALED(status) ? "signal" : "exit",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), buf);
    }
}
#define EXPECT_DEATH(fn, sig, expect) ss_test_expect_death(#fn, fn, sig, expect, __FILE__, __LINE__)

/* A death test whose report must name a line: the child announces the line of the statement
   with AT(stmt) before running it, and the report must say "<this file>:<that line>: ". */
#define AT(stmt)                                       \
    do {                                               \
        fprintf(stderr, "@line %d\n", __LINE__);      \
        stmt;                                          \
    } while (0)

static inline void ss_test_expect_death_at(const char *name, void (*fn)(void), int sig, const char *expect,
                                           const char *file, int line) {
    int before = ss_test_failures;
    ss_test_expect_death(name, fn, sig, expect, file, line);
    if (ss_test_failures != before) return;
    const char *at = strstr(ss_test_output, "@line ");
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char want[256];
    snprintf(want, sizeof want, "%s:%d: ", base, at ? atoi(at + 6) : -1);
    ss_test_checks++;
    if (at == NULL || strstr(ss_test_output, want) == NULL) {
        ss_test_failures++;
        fprintf(stderr, "%s:%d: death test %s: the report does not name %s; stderr:\n%s\n", file, line, name, want,
                ss_test_output);
    }
}
#define EXPECT_DEATH_AT(fn, sig, expect) ss_test_expect_death_at(#fn, fn, sig, expect, __FILE__, __LINE__)

/* The closing line ctest's log shows; non-zero exit on any failure. */
static inline int ss_test_summary(const char *name) {
    printf("%s: %d checks, %d passed, %d failed\n", name, ss_test_checks, ss_test_checks - ss_test_failures,
           ss_test_failures);
    return ss_test_failures ? 1 : 0;
}

#endif
