# RK4, malloc style (rk4_run_malloc) and the reference with temporaries allocated once
# (rk4_run_malloc_once).
add_library(rk4_malloc STATIC rk4.c rk4_once.c)
target_link_libraries(rk4_malloc PUBLIC rk4_problems)
