# The physics engine (issue 6): scenes in workloads/, the engine three times in impl_*/, the
# runner and benchmark in harness/. Tests register in tests/physics.cmake.
include(${PROJECT_SOURCE_DIR}/workloads/physics.cmake)
include(${PROJECT_SOURCE_DIR}/impl_bump/physics.cmake)
include(${PROJECT_SOURCE_DIR}/impl_malloc/physics.cmake)
include(${PROJECT_SOURCE_DIR}/impl_stack/physics.cmake)
include(${PROJECT_SOURCE_DIR}/harness/physics.cmake)
