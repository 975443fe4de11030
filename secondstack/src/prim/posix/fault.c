/* posix/fault.c — fault-driven growth: the SIGSEGV handler, the lock-free region table and
   the per-thread alternate signal stacks. See prim.h for why not libsigsegv.

   Everything the handler calls is async-signal-safe: lock-free atomics, mprotect (through
   ss_os_commit), sigaction, write, raise. No stdio, no malloc, no locks. */
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
    atomic_size_t commits;
    atomic_uintptr_t spurious; /* a committed address that faulted with nothing to do */
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
    atomic_store_explicit(&s->spurious, 0, memory_order_relaxed);
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

/* 1: addr is committed now; 0: addr is below the limit; -1: the kernel refused (errno);
   2: addr was committed already and faulted again (see handle). */
static int grow(ss__slot *s, const bounds *b, uintptr_t addr) {
    uintptr_t c = atomic_load(&s->committed);
    if (addr >= c) /* another fault got here first, or the fault is not about commitment */
        return atomic_exchange(&s->spurious, addr) == addr ? 2 : 1;
    if (addr < b->lo) return 0;
    atomic_store(&s->spurious, 0);
    uintptr_t nc = next_commit(c, addr, b->lo, b->top);
    if (ss_os_commit((void *)nc, c - nc) != 0) return -1;
    while (nc < c && !atomic_compare_exchange_weak(&s->committed, &c, nc)) {
    }
    atomic_fetch_add_explicit(&s->commits, 1, memory_order_relaxed);
    return 1;
}

int ss__fault_commit_down_to(uintptr_t p) {
    int n = atomic_load_explicit(&table_used, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        bounds b;
        if (!read_bounds(&table[i], &b) || p < b.guard_lo || p >= b.top) continue;
        if (b.kind != SS__FAULT_GROW) return p >= b.lo ? 0 : (errno = ENOMEM, -1);
        if (p >= atomic_load(&table[i].committed)) return 0;
        int r = grow(&table[i], &b, p);
        if (r == 1) return 0;
        if (r == 0) errno = ENOMEM;
        return -1;
    }
    return 0;
}

//~ The handler

static struct sigaction previous; /* what was installed before us; written once, before */

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
static int handle(uintptr_t addr) {
    int n = atomic_load_explicit(&table_used, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        bounds b;
        if (!read_bounds(&table[i], &b) || addr < b.guard_lo || addr >= b.top) continue;
        if (addr >= b.lo && b.kind != SS__FAULT_GROW) return 0; /* not a growth fault: not ours */
        int r = grow(&table[i], &b, addr);
        if (r == 1) return 1;
        /* Committed memory that faults twice in a row at the same address (the program
           mprotect'ed it, say) is not ours: retrying would loop forever. */
        if (r == 2) return 0;
        report(&table[i], &b, addr, r == 0 ? 0 : errno);
        die_on_return();
        return 1;
    }
    return 0;
}

static void pass_on(int sig, siginfo_t *info, void *ctx) {
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction) previous.sa_sigaction(sig, info, ctx);
        return;
    }
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    /* No handler before us: the default action, with a core. A fault from the MMU happens
       again when the instruction is retried; a signal someone sent (kill, raise) is sent
       again, and arrives once the handler returns and unblocks it. */
    die_on_return();
    if (info->si_code <= 0) raise(sig);
}

static void handler(int sig, siginfo_t *info, void *ctx) {
    int saved = errno;
    /* si_code > 0: the kernel reports a fault (SEGV_MAPERR, SEGV_ACCERR); si_addr is only
       meaningful then. */
    if (info->si_code > 0 && handle((uintptr_t)info->si_addr)) {
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

int ss__fault_install(void) {
    pthread_once(&once, install);
    if (install_error) {
        errno = install_error;
        return -1;
    }
    return thread_altstack();
}
