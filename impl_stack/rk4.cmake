# RK4, stack style: one build per size in SS_RK4_SIZES (rk4_run_stack<size>).
add_library(rk4_stack STATIC)
foreach(n ${SS_RK4_SIZES})
  add_library(rk4_stack${n} OBJECT rk4.c)
  target_compile_definitions(rk4_stack${n} PRIVATE RK4_N=${n})
  target_link_libraries(rk4_stack${n} PRIVATE rk4_problems)
  target_sources(rk4_stack PRIVATE $<TARGET_OBJECTS:rk4_stack${n}>)
endforeach()
target_link_libraries(rk4_stack PUBLIC rk4_problems)
