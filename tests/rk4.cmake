# The RK4 workload's tests (issue 5). Included by tests/CMakeLists.txt.

# Correctness: checks pass, all implementations bit-identical, seed entry points, rhs.
ss_add_test(test_rk4 SOURCES test_rk4.c LIBS rk4_impls secondstack LABELS rk4)
