/* test_rk4_malloc_count — impl_malloc really allocates per operation. Linked with
   -Wl,--wrap=malloc,--wrap=free, so every malloc and free the implementations' objects make
   is counted here. The count per step is the difference between 20 and 10 steps, over 10:
   it must be exactly the number of vector operations in one step (13, plus those inside the
   four dydt calls), and every malloc must be freed. The single-allocation reference must
   allocate nothing per step, which shows the counter tells the two apart. */
#include <stdio.h>
#include <stdlib.h>

#include "rk4_impls.h"
#include "ss_test.h"

void *__real_malloc(size_t);
void __real_free(void *);
static long mallocs, frees;
void *__wrap_malloc(size_t n) {
    mallocs++;
    return __real_malloc(n);
}
void __wrap_free(void *p) {
    if (p) frees++;
    __real_free(p);
}

/* Vector operations in one dydt: decay mul_vs; oscillators rotate, mul_vv; lorenz96 three
   rotates, sub, mul, sub, add_vs; heat1d two shifts, mul_vs, sub, add, mul_vs. */
static const long ops_in_dydt[RK4_NPROBLEMS] = {1, 2, 7, 6};

static long count(const rk4_impl *impl, rk4_problem p, rk4_call call, unsigned n, unsigned steps, long *leaked) {
    float *y0 = calloc(n, sizeof *y0), *out = calloc(rk4_out_floats(RK4_FINAL, n, steps), sizeof *out);
    rk4_init(p, n, y0);
    long m0 = mallocs, f0 = frees;
    impl->run(NULL, p, call, RK4_FINAL, y0, n, rk4_default_h(p, n), steps, out);
    long m = mallocs - m0;
    *leaked = m - (frees - f0);
    free(y0);
    free(out);
    return m;
}

int main(void) {
    const rk4_impl *mal = rk4_impl_from_name("malloc"), *once = rk4_impl_from_name("malloc_once");
    for (int pi = 0; pi < RK4_NPROBLEMS; pi++)
        for (int call = RK4_STATIC; call <= RK4_FNPTR; call++)
            for (unsigned n = 4; n <= 4096; n *= 16) {
                rk4_problem p = (rk4_problem)pi;
                long leak10, leak20;
                long per_step = (count(mal, p, (rk4_call)call, n, 20, &leak20) - count(mal, p, (rk4_call)call, n, 10, &leak10)) / 10;
                long ops = 13 + 4 * ops_in_dydt[p];
                printf("malloc      %-12s %-6s n=%-5u mallocs/step=%ld (vector operations/step=%ld) unfreed=%ld\n",
                       rk4_problem_name(p), rk4_call_name((rk4_call)call), n, per_step, ops, leak20);
                CHECK_EQ_U(per_step, ops);
                CHECK_EQ_U(leak10, 0);
                CHECK_EQ_U(leak20, 0);
                long once_step = (count(once, p, (rk4_call)call, n, 20, &leak20) - count(once, p, (rk4_call)call, n, 10, &leak10)) / 10;
                printf("malloc_once %-12s %-6s n=%-5u mallocs/step=%ld unfreed=%ld\n", rk4_problem_name(p),
                       rk4_call_name((rk4_call)call), n, once_step, leak20);
                CHECK_EQ_U(once_step, 0);
                CHECK_EQ_U(leak20, 0);
            }
    return ss_test_summary("test_rk4_malloc_count");
}
