/* ss_run.h — the runner CLI's subcommands, one file each (run_<workload>.c). */
#ifndef SS_RUN_H
#define SS_RUN_H

/* Each gets argv without the program name: argv[0] is the subcommand. Exit status:
   0 ok, 1 a check failed, 2 bad input (with a message on stderr). */
int ss_run_rk4(int argc, char **argv);
int ss_run_physics(int argc, char **argv);
int ss_run_alloc(int argc, char **argv);

#endif
