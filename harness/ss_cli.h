/* ss_cli.h — the command lines of the C programs (ss-run's subcommands, bench_growth):
   getopt_long over one table per program, whole numbers with range checks, --help and
   --version, and messages that name the option and the value.

       static const ss_cli_opt opts[] = {
           {"impl", SS_CLI_LONG + 0, "IMPL", "bump or malloc (required)"},
           {"n", 'n', "N", "floats per block, 1 .. 16777216 (default 64)"},
           {0}};
       ss_cli cli = {.prog = "ss-run alloc", .usage = "ss-run alloc --impl IMPL [-n N]",
                     .opts = opts, .exits = "0 ok, 1 a check failed, 2 bad input"};
       for (int key; (key = ss_cli_next(&cli, argc, argv)) != 0;) switch (key) {
           case -1: return cli.status;            --help, --version (0) or bad input (2)
           case SS_CLI_LONG + 0: impl = cli.arg; break;
           case 'n': if (ss_cli_uint(&cli, 1, 1u << 24, &v)) return 2; break;
       }

   API
       int  ss_cli_next(ss_cli *c, int argc, char **argv);
                the next option's key, its value in c->arg; 0 when the options are done;
                -1 when the program should stop with c->status: 0 after --help (stdout) or
                --version, 2 after bad input (an unknown or ambiguous option, a missing value,
                an argument that is no option), reported on stderr. argv[0] is skipped.
       int  ss_cli_uint(const ss_cli *c, unsigned long long lo, unsigned long long hi,
                        unsigned long long *out);    c->arg as a decimal in [lo, hi]
       int  ss_cli_positive(const ss_cli *c, double *out);  c->arg as a finite number > 0
                both: 0, or 2 after "PROG: --opt: 'VALUE' is not ..." on stderr
       int  ss_cli_bad(const ss_cli *c, const char *why);   "PROG: --opt: 'VALUE' WHY"; 2
       int  ss_cli_fail(const ss_cli *c, const char *fmt, ...);   "PROG: MESSAGE"; 2
       ss_cli_text ss_cli_clip(const char *s);
                a user's string fit for a message: as it is up to SS_CLI_CLIP bytes, else
                its first SS_CLI_CLIP bytes, "..." and its length (`ss_cli_clip(s).s`)
       void ss_cli_version(FILE *f, const char *prog);
                the suite's version, the compiler and the build's flags (from CMake)

   Options: a one-letter name whose key is that letter is both -x and --x; a key that is a
   letter gives the short option -x; long-only options use keys SS_CLI_LONG + i. Every
   program gets -h/--help and --version (so no key may be 'h'). getopt_long takes
   unambiguous prefixes (--imp is --impl) and an exact match first (--h is not --help).
   Options stop at the first argument that is none; any left over is bad input. */
#ifndef SS_CLI_H
#define SS_CLI_H

#include <stdio.h>

#define SS_CLI_LONG 256 /* keys of long-only options: SS_CLI_LONG + 0, + 1, ... */
#define SS_CLI_CLIP 64  /* bytes of a user's string echoed in a message */

typedef struct ss_cli_opt {
    const char *name; /* without "--"; NULL: short only */
    int key;          /* what ss_cli_next returns for it */
    const char *arg;  /* the value's name in the help ("N"); NULL: the option takes none */
    const char *help; /* its meaning and default; '\n' continues on an indented line */
} ss_cli_opt;

typedef struct ss_cli {
    const char *prog;        /* "ss-run rk4": in the usage and in front of every message */
    const char *usage;       /* the synopsis after "usage: " ('\n' for more lines) */
    const char *what;        /* what the program does, a paragraph */
    const ss_cli_opt *opts;  /* ends with {0} */
    void (*notes)(FILE *f);  /* what the table cannot say (names and sizes built), or NULL */
    const char *exits;       /* "0 check passed, 1 check failed, 2 bad input" */
    /* set by ss_cli_next */
    const char *arg; /* the value of the option it returned, or NULL */
    int key;         /* that option's key */
    int status;      /* after it returned -1: the exit status */
    int started;
} ss_cli;

typedef struct {
    char s[SS_CLI_CLIP + 40];
} ss_cli_text;

int ss_cli_next(ss_cli *c, int argc, char **argv);
int ss_cli_uint(const ss_cli *c, unsigned long long lo, unsigned long long hi, unsigned long long *out);
int ss_cli_positive(const ss_cli *c, double *out);
int ss_cli_bad(const ss_cli *c, const char *why);
int ss_cli_fail(const ss_cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ss_cli_text ss_cli_clip(const char *s);
void ss_cli_version(FILE *f, const char *prog);

#endif
