# The engine, fixed arrays: one build per size in PHYS_STACK_SIZES (workloads/physics.cmake).
set(PHYS_STACK_LIBS "")
foreach(n ${PHYS_STACK_SIZES})
  add_library(phys_stack_${n} STATIC ${PROJECT_SOURCE_DIR}/impl_stack/physics.c)
  target_compile_definitions(phys_stack_${n} PRIVATE PHYS_N=${n})
  target_link_libraries(phys_stack_${n} PUBLIC phys_scenes)
  list(APPEND PHYS_STACK_LIBS phys_stack_${n})
endforeach()
# Everything a program needs to call phys_impl_find.
add_library(phys_all INTERFACE)
target_link_libraries(phys_all INTERFACE phys_bump phys_malloc ${PHYS_STACK_LIBS})
