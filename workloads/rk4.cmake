# The RK4 problems, and the size list every per-size build (impl_stack, the bump_n reference)
# is made for.
set(SS_RK4_SIZES "4;16;64;256;1024;4096" CACHE STRING "state lengths impl_stack is built for")

set(RK4_SIZES_X "")
foreach(n ${SS_RK4_SIZES})
  string(APPEND RK4_SIZES_X " X(${n})")
endforeach()
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/rk4_sizes.h CONTENT
"/* Generated from SS_RK4_SIZES (workloads/rk4.cmake): the lengths of the per-size builds. */
#ifndef RK4_SIZES_H
#define RK4_SIZES_H
#define RK4_SIZES(X)${RK4_SIZES_X}
#endif
")

add_library(rk4_problems STATIC rk4_problems.c)
target_include_directories(rk4_problems PUBLIC ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR})
target_link_libraries(rk4_problems PUBLIC m)
