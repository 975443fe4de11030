# The engine, malloc/free style (RAII-like cleanup per step).
add_library(phys_malloc STATIC ${PROJECT_SOURCE_DIR}/impl_malloc/physics.c)
target_link_libraries(phys_malloc PUBLIC phys_scenes)
