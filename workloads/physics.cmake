# Scenes, initial states and invariant checks, written once.
add_library(phys_scenes STATIC ${PROJECT_SOURCE_DIR}/workloads/physics_scenes.c)
target_include_directories(phys_scenes PUBLIC ${PROJECT_SOURCE_DIR}/workloads)
# sqrtf: the step's only function; glibc's is correctly rounded, as IEEE 754 requires.
target_link_libraries(phys_scenes PUBLIC m)

# The stack build's sizes come from the header, the one list (PHYS_STACK_SIZES).
file(STRINGS ${PROJECT_SOURCE_DIR}/workloads/physics_scenes.h _phys_sizes_line REGEX "^#define PHYS_STACK_SIZES")
string(REGEX MATCHALL "X\\(([0-9]+)\\)" _phys_sizes "${_phys_sizes_line}")
string(REGEX REPLACE "X\\(([0-9]+)\\)" "\\1" PHYS_STACK_SIZES "${_phys_sizes}")
if(NOT PHYS_STACK_SIZES)
  message(FATAL_ERROR "physics: no PHYS_STACK_SIZES found in workloads/physics_scenes.h")
endif()
