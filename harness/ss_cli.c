/* ss_cli.c — getopt_long behind one table per program (ss_cli.h). */
#include "ss_cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#if !defined(SS_VERSION_STRING) || !defined(SS_BUILD_FLAGS) || !defined(SS_BUILD_COMPILER)
#error "harness/CMakeLists.txt defines SS_VERSION_STRING, SS_BUILD_FLAGS and SS_BUILD_COMPILER"
#endif

#define SS__CLI_MAX 32 /* options of one program, --help and --version included */
#define SS__CLI_VERSION 1
#define SS__CLI_COLUMN 24 /* where the help of an option starts */

static const ss_cli_opt ss__cli_builtins[] = {
    {"help", 'h', NULL, "this help, on stdout"},
    {"version", SS__CLI_VERSION, NULL, "the suite's version, the compiler and the build's flags"},
};

//~ Names

/* The i-th option, the program's then the built-in ones; NULL past the end. */
static const ss_cli_opt *ss__cli_at(const ss_cli *c, size_t i) {
    size_t n = 0;
    while (c->opts[n].key != 0) n++;
    if (i < n) return &c->opts[i];
    i -= n;
    return i < sizeof ss__cli_builtins / sizeof ss__cli_builtins[0] ? &ss__cli_builtins[i] : NULL;
}

static int ss__cli_short(const ss_cli_opt *o) { return o->key < 128 && isalpha(o->key); }

/* How messages name an option: -n for a one-letter option that is also short, else --name. */
static ss_cli_text ss__cli_name(const ss_cli *c, int key) {
    ss_cli_text t = {"?"};
    const ss_cli_opt *o;
    for (size_t i = 0; (o = ss__cli_at(c, i)) != NULL; i++)
        if (o->key == key) {
            if (ss__cli_short(o) && (o->name == NULL || strlen(o->name) == 1))
                snprintf(t.s, sizeof t.s, "-%c", o->key);
            else
                snprintf(t.s, sizeof t.s, "--%s", o->name);
        }
    return t;
}

/* At most SS_CLI_CLIP bytes of s[0, len), cut before a UTF-8 continuation byte. */
static ss_cli_text ss__cli_clip(const char *s, size_t len) {
    ss_cli_text t;
    if (len <= SS_CLI_CLIP) {
        snprintf(t.s, sizeof t.s, "%.*s", (int)len, s);
    } else {
        size_t cut = SS_CLI_CLIP;
        while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80) cut--;
        snprintf(t.s, sizeof t.s, "%.*s... (%zu bytes)", (int)cut, s, len);
    }
    return t;
}

ss_cli_text ss_cli_clip(const char *s) { return ss__cli_clip(s, strlen(s)); }

//~ Messages

int ss_cli_fail(const ss_cli *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", c->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

int ss_cli_bad(const ss_cli *c, const char *why) {
    return ss_cli_fail(c, "%s: '%s' %s", ss__cli_name(c, c->key).s, ss_cli_clip(c->arg ? c->arg : "").s, why);
}

/* Bad input while parsing: the message says where the options are listed. */
__attribute__((format(printf, 2, 3))) static int ss__cli_stop(ss_cli *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", c->prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (%s --help lists the options)\n", c->prog);
    va_end(ap);
    c->status = 2;
    return -1;
}

static void ss__cli_usage(const ss_cli *c, FILE *f) {
    fprintf(f, "usage: %s\n", c->usage);
    if (c->what) fprintf(f, "%s\n", c->what);
    fprintf(f, "options:\n");
    const ss_cli_opt *o;
    for (size_t i = 0; (o = ss__cli_at(c, i)) != NULL; i++) {
        char left[80];
        int w;
        if (o->name == NULL)
            w = snprintf(left, sizeof left, "  -%c", o->key);
        else if (ss__cli_short(o))
            w = snprintf(left, sizeof left, "  -%c, --%s", o->key, o->name);
        else
            w = snprintf(left, sizeof left, "  --%s", o->name);
        if (o->arg) w += snprintf(left + w, sizeof left - (size_t)w, " %s", o->arg);
        fprintf(f, "%-*s", SS__CLI_COLUMN, left);
        if (w >= SS__CLI_COLUMN) fprintf(f, "\n%*s", SS__CLI_COLUMN, "");
        for (const char *h = o->help; *h; h++) {
            fputc(*h, f);
            if (*h == '\n') fprintf(f, "%*s", SS__CLI_COLUMN, "");
        }
        fputc('\n', f);
    }
    if (c->notes) c->notes(f);
    fprintf(f, "exit status: %s\n", c->exits);
}

void ss_cli_version(FILE *f, const char *prog) {
    fprintf(f, "%s (secondstack suite) %s\ncompiler: %s\nflags: %s\n", prog, SS_VERSION_STRING, SS_BUILD_COMPILER,
            SS_BUILD_FLAGS);
}

//~ Parsing

int ss_cli_next(ss_cli *c, int argc, char **argv) {
    /* '+': stop at the first argument that is no option (no reordering); ':': a missing
       value is told apart from an unknown option. */
    struct option lo[SS__CLI_MAX + 1];
    char shorts[3 + 2 * SS__CLI_MAX] = "+:";
    size_t nl = 0, ns = 2;
    const ss_cli_opt *o;
    for (size_t i = 0; (o = ss__cli_at(c, i)) != NULL; i++) {
        if (i == SS__CLI_MAX) return ss__cli_stop(c, "more than %d options: raise SS__CLI_MAX", SS__CLI_MAX);
        if (o->name) lo[nl++] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->key};
        if (ss__cli_short(o)) {
            shorts[ns++] = (char)o->key;
            if (o->arg) shorts[ns++] = ':';
        }
    }
    lo[nl] = (struct option){0};
    shorts[ns] = '\0';
    if (!c->started) {
        c->started = 1;
        optind = 0; /* glibc: start afresh (a program may parse more than once) */
        opterr = 0; /* the messages are ours */
    }
    c->arg = NULL;
    int key = getopt_long(argc, argv, shorts, lo, NULL);
    if (key == -1) {
        if (optind < argc) return ss__cli_stop(c, "unexpected argument '%s'", ss_cli_clip(argv[optind]).s);
        return 0;
    }
    if (key == ':') return ss__cli_stop(c, "%s needs a value", ss__cli_name(c, optopt).s);
    if (key == '?') {
        const char *a = argv[optind - 1];
        ss_cli_text known = ss__cli_name(c, optopt);
        if (optopt != 0 && known.s[0] != '?' && !strncmp(a, "--", 2)) /* --print=1 */
            return ss__cli_stop(c, "%s takes no value", known.s);
        if (optopt != 0) return ss__cli_stop(c, "unknown option '-%c'", optopt);
        /* a long option unknown, or a prefix of several */
        const char *name = a + 2;
        size_t len = strcspn(name, "=");
        char also[256] = "";
        int matches = 0;
        for (size_t i = 0; i < nl; i++)
            if (!strncmp(lo[i].name, name, len) && strlen(also) + strlen(lo[i].name) + 5 < sizeof also) {
                strcat(strcat(also, matches++ ? ", --" : ": --"), lo[i].name);
            }
        ss_cli_text t = ss__cli_clip(a, len + 2);
        if (matches > 1) return ss__cli_stop(c, "ambiguous option '%s'%s", t.s, also);
        return ss__cli_stop(c, "unknown option '%s'", t.s);
    }
    if (key == 'h') {
        ss__cli_usage(c, stdout);
        c->status = 0;
        return -1;
    }
    if (key == SS__CLI_VERSION) {
        ss_cli_version(stdout, c->prog);
        c->status = 0;
        return -1;
    }
    c->key = key;
    c->arg = optarg;
    return key;
}

int ss_cli_uint(const ss_cli *c, unsigned long long lo, unsigned long long hi, unsigned long long *out) {
    const char *s = c->arg;
    char *end;
    errno = 0;
    /* strtoull alone would take " 7", "+7" and "-7" (as 2^64 - 7) */
    unsigned long long v = isdigit((unsigned char)s[0]) ? strtoull(s, &end, 10) : 0;
    if (!isdigit((unsigned char)s[0]) || errno || *end || v < lo || v > hi) {
        char why[96];
        snprintf(why, sizeof why, "is not a whole number in [%llu, %llu]", lo, hi);
        return ss_cli_bad(c, why);
    }
    *out = v;
    return 0;
}

int ss_cli_positive(const ss_cli *c, double *out) {
    const char *s = c->arg;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || *end || isspace((unsigned char)s[0]) || !isfinite(v) || !(v > 0))
        return ss_cli_bad(c, "is not a positive number");
    *out = v;
    return 0;
}
