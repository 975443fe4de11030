/* rk4_tuned.c — rk4.c, unchanged, over the tuned vector library (vec_tuned.h): the same vector
   calls and the same allocations per step as rk4_run_bump, each result a lane vector the
   compiler is told is fresh, aligned and padded.

   The common interface (workloads/rk4.h) hands in y0 and the output as plain arrays, n floats
   a column. The tuned step reads only lane vectors, so y0 is copied in once and the step runs
   on a trajectory with padded columns in the caller's region; the columns are copied out at
   the end (two in final-state mode, every one for the full trajectory). */
#include "vec_tuned.h"

#include "rk4.c"

int rk4_run_bump_tuned(void *ctx, rk4_problem p, rk4_call call, rk4_mode mode, const float *y0, unsigned n,
                       float h, unsigned steps, float *out) {
    ss_allocator s = ctx;
    if (n == 0 || (unsigned)p >= RK4_NPROBLEMS) return -1;
    unsigned cols = mode == RK4_FINAL ? 2 : steps + 1;
    ss_scope run;
    ss_allocator t = ss_scope_begin(&run, s);
    float *y0_lanes = new_vector(t, n);
    memcpy(y0_lanes, y0, n * sizeof *y0);
    ss_lanes_clear_pads(y0_lanes, n);
    float *trajectory = new_matrix(t, n, cols);
    int rc = rk4_run(t, p, call, mode, y0_lanes, n, h, steps, trajectory);
    for (unsigned j = 0; rc == 0 && j < cols; j++) memcpy(out + (size_t)j * n, get_col(trajectory, j, n), n * sizeof *out);
    ss_scope_end(&run);
    return rc;
}
