/* posix/fault.c — fault-driven growth: the SIGSEGV handler, the lock-free region table and
   the per-thread alternate signal stacks. See prim.h for why not libsigsegv.

   Everything the handler calls is async-signal-safe: lock-free atomics, mprotect (through
   ss_os_commit), sigaction, pthread_sigmask, write, raise, and one initial-exec
   thread-local record (no allocation on first use). No stdio, no malloc, no locks.

   What no handler can catch: the kernel delivers a fault's SIGSEGV only to a thread that
   neither blocks it nor lacks the stack to run the handler on. A thread with SIGSEGV blocked
   (pthread_sigmask, or inside a handler whose sa_mask blocks it) and a thread without
   ss_thread_init whose own stack has no room for the signal frame (4 KiB or less left) are
   killed at their first growth fault with a bare SIGSEGV, before any code of ours runs.
   Creating a region and ss_thread_init warn when the calling thread blocks SIGSEGV
   (region.c); the rest is documented in ss_region.h. */
#define _GNU_SOURCE
#include "../prim.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

//~ The table

typedef struct ss__slot {
    atomic_uint seq;    /* odd while the slot is being written */
    atomic_int claimed; /* owned by a region (set before seq turns odd, cleared after) */
    atomic_int kind;    /* 0: free */
    atomic_uintptr_t guard_lo, lo, top;
    atomic_uintptr_t committed; /* lowest accessible address; moves down only */
    atomic_size_t commits;      /* growth steps: counted by the commit that moved `committed` */
    atomic_size_t gen;          /* commits begun, and registrations: never reset (see grow) */
    _Atomic(const char *) name;
} ss__slot;

static ss__slot table[SS__FAULT_SLOTS];
static atomic_int table_used; /* slots [0, table_used) may be live: the handler scans no further */

/* Consistent bounds of a live slot, or 0 when the slot is free or being written. */
typedef struct {
    int kind;
    uintptr_t guard_lo, lo, top;
} bounds;

static int read_bounds(ss__slot *s, bounds *b) {
    unsigned q = atomic_load_explicit(&s->seq, memory_order_acquire);
    if (q & 1) return 0;
    b->kind = atomic_load_explicit(&s->kind, memory_order_relaxed);
    b->guard_lo = atomic_load_explicit(&s->guard_lo, memory_order_relaxed);
    b->lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
    b->top = atomic_load_explicit(&s->top, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    return b->kind != 0 && atomic_load_explicit(&s->seq, memory_order_relaxed) == q;
}

static void write_slot(ss__slot *s, int kind, const char *name, uintptr_t guard_lo, uintptr_t lo,
                       uintptr_t top, uintptr_t committed) {
    unsigned q = atomic_load_explicit(&s->seq, memory_order_relaxed);
    atomic_store_explicit(&s->seq, q + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&s->kind, kind, memory_order_relaxed);
    atomic_store_explicit(&s->name, name, memory_order_relaxed);
    atomic_store_explicit(&s->guard_lo, guard_lo, memory_order_relaxed);
    atomic_store_explicit(&s->lo, lo, memory_order_relaxed);
    atomic_store_explicit(&s->top, top, memory_order_relaxed);
    atomic_store_explicit(&s->committed, committed, memory_order_relaxed);
    atomic_store_explicit(&s->commits, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->gen, 1, memory_order_relaxed); /* a new region is a new history */
    atomic_store_explicit(&s->seq, q + 2, memory_order_release);
}

int ss__fault_register(const char *name, int kind, uintptr_t guard_lo, uintptr_t lo, uintptr_t top,
                       uintptr_t committed) {
    for (int i = 0; i < SS__FAULT_SLOTS; i++) {
        int zero = 0;
        if (!atomic_compare_exchange_strong(&table[i].claimed, &zero, 1)) continue;
        write_slot(&table[i], kind, name, guard_lo, lo, top, committed);
        int used = atomic_load(&table_used);
        while (used < i + 1 && !atomic_compare_exchange_weak(&table_used, &used, i + 1)) {
        }
        return i;
    }
    errno = ENOSPC;
    return -1;
}

void ss__fault_unregister(int slot) {
    if (slot < 0 || slot >= SS__FAULT_SLOTS) return;
    write_slot(&table[slot], 0, NULL, 0, 0, 0, 0);
    atomic_store(&table[slot].claimed, 0);
}

ss__fault_stats ss__fault_slot_stats(int slot) {
    ss__fault_stats st = {0, 0};
    bounds b;
    if (slot < 0 || slot >= SS__FAULT_SLOTS || !read_bounds(&table[slot], &b)) return st;
    st.commits = atomic_load(&table[slot].commits);
    st.committed = b.top - atomic_load(&table[slot].committed);
    return st;
}

//~ Async-signal-safe formatting: one line, one write(2)

typedef struct {
    char buf[512];
    size_t len;
} line;

static void put_str(line *l, const char *s) {
    while (*s && l->len < sizeof l->buf - 1) l->buf[l->len++] = *s++;
}

static void put_dec(line *l, uint64_t v) {
    char d[24];
    int n = 0;
    do d[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0 && l->len < sizeof l->buf - 1) l->buf[l->len++] = d[--n];
}

static void put_hex(line *l, uint64_t v) {
    put_str(l, "0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        if (l->len < sizeof l->buf - 1) l->buf[l->len++] = "0123456789abcdef"[(v >> shift) & 15];
}

/* "1073741824 bytes (1 GiB)", the unit the largest that divides evenly, else MiB rounded down */
static void put_size(line *l, uint64_t v) {
    put_dec(l, v);
    put_str(l, " bytes");
    static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    for (int i = 0; i < 4; i++)
        if (v >= (1ull << (10 * (i + 1)))) u = i;
    if (u < 0) return;
    put_str(l, " (");
    put_dec(l, v >> (10 * (u + 1)));
    if (v & ((1ull << (10 * (u + 1))) - 1)) put_str(l, "+");
    put_str(l, " ");
    put_str(l, unit[u]);
    put_str(l, ")");
}

static void emit(line *l) {
    l->buf[l->len++] = '\n';
    size_t off = 0;
    while (off < l->len) {
        ssize_t k = write(2, l->buf + off, l->len - off);
        if (k <= 0) {
            if (k < 0 && errno == EINTR) continue;
            break;
        }
        off += (size_t)k;
    }
}

//~ Growth

/* Geometric steps: the committed part doubles (or more, to cover a big jump) each time, so
   filling a region of R bytes from an initial commit C takes log2(R/C) steps. */
static uintptr_t next_commit(uintptr_t committed, uintptr_t want, uintptr_t lo, uintptr_t top) {
    size_t page = ss_os_page_size();
    uintptr_t need = top - (want & ~(uintptr_t)(page - 1));
    uintptr_t have = top - committed, size = have * 2;
    while (size < need) size *= 2;
    if (size > top - lo) size = top - lo;
    return top - size;
}

/* Faults at an address that is committed already. Several threads that store into the same
   uncommitted page fault together; one commits, the others find the address committed when
   their handler runs and must retry, not pass the fault on: passing it on to the default
   action would uninstall the handler for the whole process. But a store into committed
   memory the program itself protected (mprotect) faults at a committed address too, and
   retrying that forever would hang. The two are told apart per thread:

     gen   per slot, bumped when a commit begins and at every registration; it only grows.
     last  per thread: the slot, address and gen of the last fault this thread took at a
           committed address.

   A fault at a committed address is ours (retry) unless `last` holds the same slot, address
   and gen: the same thread faulted there before, found it committed, and no commit began
   since. Why that is right:
     - Committing is mprotect, then the CAS that lowers `committed` (this order is what the
       argument rests on); nothing ever makes a live slot's committed memory inaccessible
       again. So a thread that read `committed`
       at or below addr saw the page accessible as far as the library is concerned, and its
       retry cannot take a growth fault there.
     - Hence a second fault by the same thread at the same address, with gen unchanged (no
       commit began in between, the slot was not re-registered), is not a growth fault: it
       is passed on. A growth fault is never passed on, however many threads share it: each
       judges by its own history, not by another thread's.
     - A foreign fault at a committed address is retried at most once per commit begun in
       its region in between; commits are finite (`committed` only moves down), so it always
       reaches the handler before us.
   The `commits` counter is bumped only by the thread whose CAS moved `committed`: threads
   that raced it to the same step mprotect the same pages again (harmless) and count nothing. */
typedef struct {
    const ss__slot *slot;
    uintptr_t addr;
    size_t gen;
} fault_record;
/* initial-exec: static TLS, which the handler reads without a call that could allocate */
static _Thread_local fault_record last __attribute__((tls_model("initial-exec")));

/* 1: addr is committed now; 0: addr is below the limit; -1: the kernel refused (errno);
   2: a fault (from_fault) at an address this thread found committed before, with no commit
   since: not a growth fault. */
static int grow(ss__slot *s, const bounds *b, uintptr_t addr, int from_fault) {
    size_t g = atomic_load(&s->gen);
    uintptr_t c = atomic_load(&s->committed);
    if (addr >= c) { /* another thread committed it, or the fault is not about commitment */
        if (!from_fault) return 1;
        if (last.slot == s && last.addr == addr && last.gen == g) return 2;
        last = (fault_record){s, addr, g};
        return 1;
    }
    if (addr < b->lo) return 0;
    atomic_fetch_add(&s->gen, 1);
    uintptr_t nc = next_commit(c, addr, b->lo, b->top);
    if (ss_os_commit((void *)nc, c - nc) != 0) return -1;
    while (nc < c) {
        if (atomic_compare_exchange_weak(&s->committed, &c, nc)) {
            atomic_fetch_add_explicit(&s->commits, 1, memory_order_relaxed);
            break;
        }
    }
    return 1;
}

int ss__fault_commit_down_to(uintptr_t p) {
    int n = atomic_load_explicit(&table_used, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        bounds b;
        if (!read_bounds(&table[i], &b) || p < b.guard_lo || p >= b.top) continue;
        if (b.kind != SS__FAULT_GROW) return p >= b.lo ? 0 : (errno = ENOMEM, -1);
        if (p >= atomic_load(&table[i].committed)) return 0;
        int r = grow(&table[i], &b, p, 0);
        if (r == 1) return 0;
        if (r == 0) errno = ENOMEM;
        return -1;
    }
    return 0;
}

//~ The handler

static struct sigaction previous; /* what was installed before us; written once, before */
static atomic_int previous_reset; /* 1 once a SA_RESETHAND handler before us was called */

/* Ends the process by the default action of SIGSEGV, with a core, at the faulting
   instruction: the handler returns, the store is retried and faults again. */
static void die_on_return(void) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGSEGV, &dfl, NULL);
}

static void report(const ss__slot *s, const bounds *b, uintptr_t addr, int err) {
    line l = {.len = 0};
    const char *name = atomic_load_explicit(&s->name, memory_order_relaxed);
    put_str(&l, "secondstack: region '");
    put_str(&l, name ? name : "?");
    if (err == 0) {
        put_str(&l, "' exhausted: limit ");
        put_size(&l, b->top - b->lo);
        put_str(&l, ", fault at ");
        put_hex(&l, addr);
        put_str(&l, ", ");
        put_size(&l, b->lo - addr);
        put_str(&l, " below its end (in the guard)");
    } else {
        put_str(&l, "' cannot grow: the kernel refused to commit more (errno ");
        put_dec(&l, (uint64_t)err);
        put_str(&l,
                err == ENOMEM ? ": out of memory, the commit limit, RLIMIT_DATA or vm.max_map_count" : "");
        put_str(&l, "); limit ");
        put_size(&l, b->top - b->lo);
        put_str(&l, ", committed ");
        put_size(&l, b->top - atomic_load(&((ss__slot *)s)->committed));
        put_str(&l, ", fault at ");
        put_hex(&l, addr);
    }
    emit(&l);
}

/* 1 when the fault was ours and handled (or is fatal and set up to end the process). */
int ss__fault_handle(uintptr_t addr) {
    int n = atomic_load_explicit(&table_used, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        bounds b;
        if (!read_bounds(&table[i], &b) || addr < b.guard_lo || addr >= b.top) continue;
        if (addr >= b.lo && b.kind != SS__FAULT_GROW) return 0; /* not a growth fault: not ours */
        int r = grow(&table[i], &b, addr, 1);
        if (r == 1) return 1;
        if (r == 2) return 0; /* committed, faulted again: the program's own protection, say */
        report(&table[i], &b, addr, r == 0 ? 0 : errno);
        die_on_return();
        return 1;
    }
    return 0;
}

/* A fault that is not ours goes where the kernel would have sent it had we never been
   installed: to the previous action, with the previous handler's flags and mask.
     - SIG_DFL: the default action, with its core. A fault from the MMU happens again when
       the instruction is retried; a signal someone sent (kill, raise) is sent again, and
       arrives once the handler returns and unblocks it.
     - SIG_IGN: a fault cannot be ignored (the kernel kills by the default action); a sent
       signal is dropped.
     - a handler: called with its sa_mask added to the thread's mask and SIGSEGV left
       blocked unless it asked for SA_NODEFER (sigreturn restores the mask when we return).
       SA_RESETHAND: the saved action becomes SIG_DFL before the call, once, as the kernel
       would reset it; ours stays installed, so a later growth fault still grows.
   What cannot be emulated: the previous handler runs on our alternate signal stack even
   without SA_ONSTACK (and on the thread's own stack if it has none), a signal sent during
   a system call restarts it (our SA_RESTART) whatever the previous flags said, and a
   handler that re-installs its own predecessor with sigaction (some crash reporters do)
   uninstalls ours: growth faults then go to that predecessor. */
static void pass_on(int sig, siginfo_t *info, void *ctx) {
    void (*h)(int) = previous.sa_handler; /* shares its storage with sa_sigaction */
    int fn = h != SIG_DFL && h != SIG_IGN;
    if (fn && (previous.sa_flags & SA_RESETHAND) && atomic_exchange(&previous_reset, 1)) {
        fn = 0;
        h = SIG_DFL;
    }
    if (!fn) {
        if (h == SIG_IGN && info->si_code <= 0) return;
        die_on_return();
        if (info->si_code <= 0) raise(sig);
        return;
    }
    pthread_sigmask(SIG_BLOCK, &previous.sa_mask, NULL);
    sigset_t self;
    sigemptyset(&self);
    sigaddset(&self, sig);
    /* Blocked while we run (our own action has no SA_NODEFER): unblocked only if asked. */
    if (previous.sa_flags & SA_NODEFER) pthread_sigmask(SIG_UNBLOCK, &self, NULL);
    if (previous.sa_flags & SA_SIGINFO)
        previous.sa_sigaction(sig, info, ctx);
    else
        h(sig);
}

static void handler(int sig, siginfo_t *info, void *ctx) {
    int saved = errno;
    /* si_code > 0: the kernel reports a fault (SEGV_MAPERR, SEGV_ACCERR); si_addr is only
       meaningful then. */
    if (info->si_code > 0 && ss__fault_handle((uintptr_t)info->si_addr)) {
        errno = saved;
        return;
    }
    pass_on(sig, info, ctx);
    errno = saved;
}

//~ Alternate signal stacks, one per thread

/* Big enough for the handler and a chained handler that does a little more; the AVX-512
   register state the kernel saves alone is about 3 KiB. */
#define SS__ALTSTACK (64 * 1024)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t altstack_key;
static int install_error;
static _Thread_local void *altstack;

static void free_altstack(void *mem) {
    stack_t off;
    memset(&off, 0, sizeof off);
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, NULL);
    ss_os_release(mem, SS__ALTSTACK + ss_os_page_size());
}

static void install(void) {
    if (pthread_key_create(&altstack_key, free_altstack) != 0) {
        install_error = EAGAIN;
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, NULL, &previous) != 0 || sigaction(SIGSEGV, &sa, NULL) != 0) install_error = errno;
}

/* A thread that faults in its region while its stack is nearly full must still be able to
   run the handler, and a chained handler may be there for exactly that case (a runtime's
   stack-overflow handler): so each thread gets its own alternate stack, with a guard page
   below it, freed when the thread exits. A thread that already has one keeps its own. */
static int thread_altstack(void) {
    if (altstack != NULL) return 0;
    stack_t cur;
    if (sigaltstack(NULL, &cur) != 0) return -1;
    if (!(cur.ss_flags & SS_DISABLE)) return 0;
    size_t page = ss_os_page_size();
    char *mem = ss_os_reserve(SS__ALTSTACK + page, 0);
    if (mem == NULL) return -1;
    if (ss_os_commit(mem + page, SS__ALTSTACK) != 0) {
        ss_os_release(mem, SS__ALTSTACK + page);
        return -1;
    }
    stack_t st;
    memset(&st, 0, sizeof st);
    st.ss_sp = mem + page;
    st.ss_size = SS__ALTSTACK;
    if (sigaltstack(&st, NULL) != 0) {
        ss_os_release(mem, SS__ALTSTACK + page);
        return -1;
    }
    altstack = mem;
    pthread_setspecific(altstack_key, mem);
    return 0;
}

int ss__fault_blocked(void) {
    sigset_t cur;
    return pthread_sigmask(SIG_BLOCK, NULL, &cur) == 0 && sigismember(&cur, SIGSEGV) == 1;
}

int ss__fault_install(void) {
    pthread_once(&once, install);
    if (install_error) {
        errno = install_error;
        return -1;
    }
    return thread_altstack();
}
