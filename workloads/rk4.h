/* rk4.h — the RK4 workload: what every implementation computes, and the interface each exports.

   The problems, on a float32 state of length n:

       decay        f = −y                                      y_i(0) = 1 + i/n
       oscillators  n/2 pairs x' = v, v' = −ω_k² x, ω_k = 1 + k/(n/2);  state [x_0..x_{m-1}, v_0..v_{m-1}]
                                                                 x = 1, v = 0
       lorenz96     f_i = (y_{i+1} − y_{i−2})·y_{i−1} − y_i + 8, cyclic, n ≥ 4
                                                                 y_i = 8, y_0 = 8.01
       heat1d       f_i = (y_{i−1} − 2y_i + y_{i+1})·(n+1)², y_{−1} = y_n = 0
                                                                 y_i = sin(π(i+1)/(n+1))

   The trajectory is an n × (steps+1) matrix stored column by column: state j at out + j·n.
   In final-state-only mode the implementation keeps two columns and alternates between them
   (column j & 1), so the same code runs in both modes; rk4_final_state() finds the result.

   Every implementation exports one entry point of type rk4_run_fn (rk4.c in each impl_ folder):
   rk4_run_bump, rk4_run_malloc, rk4_run_malloc_once, rk4_run_bump_n (n fixed at compile time,
   one build per size) and rk4_run_stack (one build per size). The caller allocates the output
   and touches its pages before anything is timed; rk4_out_floats() says how large it is.
   The step itself uses only + − × ÷ (no libm): libm is for set-up and checks only, so results
   are bit-identical across implementations and across gcc and clang (-ffp-contract=off). */
#ifndef RK4_H
#define RK4_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rk4_problem { RK4_DECAY, RK4_OSCILLATORS, RK4_LORENZ96, RK4_HEAT1D, RK4_NPROBLEMS } rk4_problem;

/* RK4_STATIC: dydt known at compile time (inlined); RK4_FNPTR: called through a pointer the
   compiler cannot see through (the seed's signature). */
typedef enum rk4_call { RK4_STATIC, RK4_FNPTR } rk4_call;

typedef enum rk4_mode { RK4_FULL, RK4_FINAL } rk4_mode;

/* ctx: the bump implementations' allocator for per-step temporaries (an ss_allocator);
   ignored by the others. out: rk4_out_floats(mode, n, steps) floats.
   Returns 0, or -1 if this implementation was not built for n (stack, bump_n). */
typedef int rk4_run_fn(void *ctx, rk4_problem p, rk4_call call, rk4_mode mode, const float *y0, unsigned n,
                       float h, unsigned steps, float *out);

//~ The problems ("rk4_problems.c")

const char *rk4_problem_name(rk4_problem p);
int rk4_problem_from_name(const char *name); /* -1 if unknown */
const char *rk4_call_name(rk4_call c);
const char *rk4_mode_name(rk4_mode m);

/* NULL if n is valid for p, else why not (lorenz96 needs n ≥ 4, oscillators an even n). */
const char *rk4_invalid_n(rk4_problem p, unsigned n);
/* The largest h for which explicit RK4 is stable (or, for lorenz96, accurate) on p. */
double rk4_max_h(rk4_problem p, unsigned n);
/* A step size the tests and the runner use when none is given. */
float rk4_default_h(rk4_problem p, unsigned n);

/* The number of steps the tests and the runner take when none is given: t = 10 for decay and
   oscillators, the short horizon t = 1 for lorenz96, μt ≤ 5 for heat1d. */
unsigned rk4_default_steps(rk4_problem p, unsigned n);
/* The most steps of size h before a decaying solution comes near the subnormals (which are
   slow, and would be timed); UINT_MAX if it does not decay. */
unsigned rk4_steps_limit(rk4_problem p, unsigned n, float h);

/* Writes y(0). Also prepares the coefficient table the oscillators' right-hand side reads
   (the rhs has the seed's signature, so it has no context argument). */
void rk4_init(rk4_problem p, unsigned n, float *y0);

/* ω_k² for oscillators, as the table [1 × m, −ω_0² … −ω_{m−1}²] the rhs multiplies the
   rotated state with; valid after rk4_init(RK4_OSCILLATORS, n, …). Padded for vector code
   (the lane vectors of the tuned libraries, vec_tuned.h in impl_bump and impl_malloc): 64-byte
   aligned, and +0.0f past n for at least one block of RK4_COEF_LANES floats beyond the last
   block that holds lane n−1. */
extern const float *rk4_osc_coef;
#define RK4_COEF_LANES 16
/* heat1d's 1/dx² = (n+1)², rounded to float (exact up to n = 4095): the rhs multiplies by
   it. Inline, so that a step calls nothing it does not have to. */
static inline float rk4_heat_coef(unsigned n) { return (float)((double)(n + 1) * (double)(n + 1)); }

/* The right-hand side, one scalar loop per problem, in float with the same operations in the
   same order as every implementation's vector version: tests compare them bit for bit. */
void rk4_rhs_scalar(rk4_problem p, const float *y, unsigned n, float *f);

static inline size_t rk4_out_floats(rk4_mode m, unsigned n, unsigned steps) {
    return (size_t)n * (m == RK4_FULL ? (size_t)steps + 1 : 2);
}
static inline const float *rk4_final_state(const float *out, rk4_mode m, unsigned n, unsigned steps) {
    return out + (size_t)n * (m == RK4_FULL ? steps : (steps & 1u));
}

//~ Checks ("rk4_problems.c")

typedef struct rk4_check {
    int pass;
    double err;  /* the measured error (what `what` says) */
    double tol;  /* its bound */
    double err2, tol2; /* a second criterion where there is one (oscillators: energy drift) */
    const char *what;
    const char *what2;
} rk4_check;

/* Checks the final state after `steps` steps of size h from rk4_init's y0. */
rk4_check rk4_check_final(rk4_problem p, unsigned n, float h, unsigned steps, const float *y_final);

#ifdef __cplusplus
}
#endif

#endif
