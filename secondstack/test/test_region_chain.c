/* Chaining: a fault that is not the library's must reach the handler installed before it
   exactly as the kernel would have delivered it without the library: with that handler's
   sa_mask, SA_NODEFER, SA_RESETHAND, SA_SIGINFO, or by the default action.

   Every scenario runs twice, each time in a fresh child: once with a fault-driven region
   created (so the library's handler sits in front of the previous one) and once without
   any region. The two must end the same way (exit status or signal; a core or not aside)
   and the previous handler must have written the same lines. A scenario is a previous
   action (none, SIG_IGN, or a handler with some flags) and a fault: a store into an
   inaccessible mapping that is no region, a store into region memory the program made
   read-only (without the library: a plain mapping made read-only), or raise(SIGSEGV).
   With the library, a growth fault follows the scenario if it survives: the library's
   handler must still be installed. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ss_region.h"
#include "ss_test.h"

#define PAGE 4096

//~ The previous handlers: each writes what it saw and does what its name says

static char *volatile target; /* the page the scenario stores into */
static volatile sig_atomic_t calls;

static void say(const char *s) { (void)!write(2, s, strlen(s)); }

static void say_call(const char *what) {
    char line[64];
    snprintf(line, sizeof line, "%s %d\n", what, (int)calls);
    say(line);
}

/* Counts; the third call ends the process (a handler that returns retries the store). */
static void h_count(int sig) {
    (void)sig;
    calls++;
    say_call("count");
    if (calls == 3) _exit(30);
}

static void h_count_info(int sig, siginfo_t *info, void *ctx) {
    (void)sig;
    (void)ctx;
    calls++;
    say_call(info->si_code <= 0 ? "info sent" : info->si_addr == (void *)target ? "info at target" : "info elsewhere");
    if (calls == 3) _exit(31);
}

/* Returns at once: with SA_RESETHAND the retried store meets the default action. */
static void h_return(int sig) {
    (void)sig;
    calls++;
    say_call("return");
}

/* Faults again inside itself: with SA_NODEFER the nested fault is delivered to it. */
static void h_nest(int sig) {
    (void)sig;
    calls++;
    say_call("nest");
    if (calls == 1) target[0] = 1;
    _exit(40 + (int)calls);
}

/* Reports its mask: sa_mask holds SIGUSR1, not SIGUSR2. */
static void h_mask(int sig) {
    (void)sig;
    sigset_t m;
    pthread_sigmask(SIG_BLOCK, NULL, &m);
    char line[64];
    snprintf(line, sizeof line, "mask usr1=%d usr2=%d segv=%d\n", sigismember(&m, SIGUSR1), sigismember(&m, SIGUSR2),
             sigismember(&m, SIGSEGV));
    say(line);
    _exit(50);
}

/* Makes the page accessible and returns: the store then succeeds. */
static void h_fix(int sig) {
    (void)sig;
    calls++;
    say_call("fix");
    mprotect(target, PAGE, PROT_READ | PROT_WRITE);
}

typedef struct {
    const char *name;
    void (*handler)(int);                         /* or */
    void (*sigaction)(int, siginfo_t *, void *);  /* or neither: SIG_DFL / SIG_IGN */
    int ignore;
    int flags;
    int mask_usr1;
    int fault_twice; /* after surviving the first fault, fault again (SA_RESETHAND: once) */
} previous_kind;

static const previous_kind PREVIOUS[] = {
    {"none (SIG_DFL)", NULL, NULL, 0, 0, 0, 0},
    {"SIG_IGN", NULL, NULL, 1, 0, 0, 0},
    {"plain, returns", h_count, NULL, 0, 0, 0, 0},
    {"SA_SIGINFO, returns", NULL, h_count_info, 0, SA_SIGINFO, 0, 0},
    {"SA_RESETHAND, returns", h_return, NULL, 0, SA_RESETHAND, 0, 0},
    {"SA_RESETHAND|SA_SIGINFO, returns", NULL, h_count_info, 0, SA_RESETHAND | SA_SIGINFO, 0, 0},
    {"faults inside", h_nest, NULL, 0, 0, 0, 0},
    {"SA_NODEFER, faults inside", h_nest, NULL, 0, SA_NODEFER, 0, 0},
    {"SA_RESETHAND|SA_NODEFER, faults inside", h_nest, NULL, 0, SA_RESETHAND | SA_NODEFER, 0, 0},
    {"sa_mask {SIGUSR1}", h_mask, NULL, 0, 0, 1, 0},
    {"sa_mask {SIGUSR1}, SA_NODEFER", h_mask, NULL, 0, SA_NODEFER, 1, 0},
    {"fixes the page", h_fix, NULL, 0, 0, 0, 1},
    {"SA_RESETHAND, fixes the page", h_fix, NULL, 0, SA_RESETHAND, 0, 1},
};
enum { N_PREVIOUS = sizeof PREVIOUS / sizeof PREVIOUS[0] };

enum { AT_UNRELATED, AT_REGION_READONLY, RAISED, N_FAULTS };
static const char *const FAULT[] = {"store to an unrelated mapping", "store to read-only region memory",
                                    "raise(SIGSEGV)"};

//~ One scenario, in the child

static ss_region R;

static void fault(int where) {
    if (where == RAISED)
        raise(SIGSEGV);
    else
        *(volatile char *)target = 2;
}

static void scenario(int with_library, const previous_kind *k, int where) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    alarm(5); /* a handler that never lets the store complete loops: SIGALRM ends it */
    if (k->handler || k->sigaction || k->ignore) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        if (k->sigaction)
            sa.sa_sigaction = k->sigaction;
        else
            sa.sa_handler = k->ignore ? SIG_IGN : k->handler;
        sa.sa_flags = k->flags;
        sigemptyset(&sa.sa_mask);
        if (k->mask_usr1) sigaddset(&sa.sa_mask, SIGUSR1);
        sigaction(SIGSEGV, &sa, NULL);
    }
    char *region_page = NULL;
    float *more = NULL;
    if (with_library) {
        if (ss_region_create_kind(&R, "chain", 64 << 20, SS_REGION_GROW) != 0) {
            say(ss_region_error());
            _exit(2);
        }
        ss_allocator s = ss_region_allocator(&R);
        region_page = ss_alloc_bytes(s, PAGE, PAGE); /* in the committed part */
        more = ss_alloc(s, (8 << 20) / sizeof(float));
        more[0] = 1.0f; /* a growth fault: the library's handler is in front */
    } else {
        region_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    region_page[0] = 1;
    if (where == AT_REGION_READONLY) {
        mprotect(region_page, PAGE, PROT_READ);
        target = region_page;
    } else {
        target = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    fault(where);
    say("survived\n");
    if (with_library) {
        /* Growth still works: the library's handler is still installed. */
        float *deeper = ss_alloc(ss_region_allocator(&R), (32 << 20) / sizeof(float));
        deeper[0] = 2.0f;
    }
    say("grew\n");
    if (k->fault_twice) {
        if (where != RAISED) mprotect(target, PAGE, PROT_NONE);
        fault(where);
        say("survived again\n");
    }
    _exit(0);
}

//~ Running both and comparing

typedef struct {
    int status;
    char out[1024];
} outcome;

static outcome run(int with_library, const previous_kind *k, int where) {
    outcome o = {0, ""};
    int fds[2];
    if (pipe(fds) != 0) exit(2);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        scenario(with_library, k, where);
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t n;
    char rest[256]; /* past the buffer: read on and drop, so a looping child is not cut short by SIGPIPE */
    while ((n = got < sizeof o.out - 1 ? read(fds[0], o.out + got, sizeof o.out - 1 - got)
                                       : read(fds[0], rest, sizeof rest)) > 0)
        if (got < sizeof o.out - 1) got += (size_t)n;
    o.out[got] = '\0';
    close(fds[0]);
    waitpid(pid, &o.status, 0);
    return o;
}

static void describe(char *buf, size_t size, const outcome *o) {
    if (WIFSIGNALED(o->status))
        snprintf(buf, size, "signal %d (%s)", WTERMSIG(o->status), strsignal(WTERMSIG(o->status)));
    else
        snprintf(buf, size, "exit %d", WEXITSTATUS(o->status));
}

static int same_end(int a, int b) {
    if (WIFSIGNALED(a) != WIFSIGNALED(b)) return 0;
    return WIFSIGNALED(a) ? WTERMSIG(a) == WTERMSIG(b) : WEXITSTATUS(a) == WEXITSTATUS(b);
}

int main(void) {
    setenv("SS_QUIET", "1", 1);
    for (int p = 0; p < N_PREVIOUS; p++) {
        for (int w = 0; w < N_FAULTS; w++) {
            outcome without = run(0, &PREVIOUS[p], w);
            outcome with = run(1, &PREVIOUS[p], w);
            char a[64], b[64];
            describe(a, sizeof a, &without);
            describe(b, sizeof b, &with);
            int ok = same_end(without.status, with.status) && strcmp(without.out, with.out) == 0;
            ss_test_checks++;
            if (!ok) ss_test_failures++;
            printf("%-4s previous %-40s %-34s without: %-28s with: %s\n", ok ? "ok" : "FAIL", PREVIOUS[p].name,
                   FAULT[w], a, b);
            if (!ok)
                fprintf(stderr, "  %s / %s: the previous handler wrote, without the library:\n%s  with:\n%s",
                        PREVIOUS[p].name, FAULT[w], without.out, with.out);
        }
    }
    return ss_test_summary("test_region_chain");
}
