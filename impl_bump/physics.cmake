# The engine, bump style: per-step temporaries from a region's scope.
add_library(phys_bump STATIC ${PROJECT_SOURCE_DIR}/impl_bump/physics.c)
target_link_libraries(phys_bump PUBLIC phys_scenes secondstack)
