# RK4, bump style: rk4_bump (n at run time) and rk4_bump_n (the reference: one build per size
# in SS_RK4_SIZES with n a compile-time constant, exported as rk4_run_bump_n<size>).
add_library(rk4_bump STATIC rk4.c)
target_link_libraries(rk4_bump PUBLIC secondstack rk4_problems)

add_library(rk4_bump_n STATIC)
foreach(n ${SS_RK4_SIZES})
  add_library(rk4_bump_n${n} OBJECT rk4.c)
  target_compile_definitions(rk4_bump_n${n} PRIVATE RK4_N=${n})
  target_link_libraries(rk4_bump_n${n} PRIVATE secondstack rk4_problems)
  target_sources(rk4_bump_n PRIVATE $<TARGET_OBJECTS:rk4_bump_n${n}>)
endforeach()
target_link_libraries(rk4_bump_n PUBLIC secondstack rk4_problems)
