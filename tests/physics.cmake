#~ The physics engine (issue 6)
ss_add_test(test_physics SOURCES test_physics.c LIBS phys_all LABELS physics)

# The bump engine against the allocator's debug mode: every allocation bounds-checked, scope
# misuse reported; compared with malloc.
add_library(phys_bump_debug STATIC ${PROJECT_SOURCE_DIR}/impl_bump/physics.c)
target_link_libraries(phys_bump_debug PUBLIC phys_scenes secondstack_debug)
ss_add_test(test_physics_debug SOURCES test_physics.c LIBS phys_bump_debug phys_malloc
            DEFINES PHYS_TEST_DEBUG LABELS physics)

# Parallel implementations: same functions in the same order, a small diff.
add_test(NAME physics_diff COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/physics_diff.sh ${PROJECT_SOURCE_DIR})

# gcc and clang compute the same bits (whatever compiler this build uses).
add_executable(physics_checksums physics_checksums.c)
target_link_libraries(physics_checksums PRIVATE phys_all)
add_test(NAME physics_compilers
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/physics_compilers.sh ${PROJECT_SOURCE_DIR} $<TARGET_FILE:physics_checksums>)

# The runner: dumps, a checked run, and bad input (exit 2 with a message naming the thing).
add_test(NAME physics_dump COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/physics_dump.sh $<TARGET_FILE:ss-run> physics)
set(PHYS_RUN $<TARGET_FILE:ss-run> physics)
foreach(spec
    "run_ok|0|check=ok|--impl;stack;--scene;billiards;-n;64;--steps;100;--checksum"
    "run_checksum|0|checksum [0-9a-f]{16}|--impl;bump;--scene;rain;-n;16;--steps;10;--checksum;--quiet"
    "bad_impl|2|unknown implementation 'pool'|--impl;pool;--scene;rain;-n;16"
    "bad_scene|2|unknown scene 'snow'|--impl;bump;--scene;snow;-n;16"
    "bad_n|2|-n: '12x' is not a whole number|--impl;bump;--scene;rain;-n;12x"
    "zero_n|2|-n: '0' is not a whole number in .1,|--impl;bump;--scene;rain;-n;0"
    "stack_size|2|stack implementation is not built for n = 100. built sizes: 16 64|--impl;stack;--scene;rain;-n;100"
    "missing_value|2|--steps needs a value|--impl;bump;--scene;rain;-n;16;--steps"
    "missing_n|2|--impl, --scene and -n are required|--impl;bump;--scene;rain"
    "unknown_option|2|unknown option '--fast'|--impl;bump;--scene;rain;-n;16;--fast"
    "dump_unwritable|2|--dump: cannot open '/nonexistent/d.bin'|--impl;bump;--scene;rain;-n;16;--dump;/nonexistent/d.bin")
  string(REPLACE "|" ";" parts "${spec}")
  list(GET parts 0 name)
  list(GET parts 1 status)
  list(GET parts 2 regex)
  list(SUBLIST parts 3 -1 args)
  add_test(NAME physics_run_${name} COMMAND ${SS_EXPECT} ${status} "${regex}" -- ${PHYS_RUN} ${args})
endforeach()
set_tests_properties(physics_diff physics_compilers physics_dump PROPERTIES LABELS physics)

# The benchmark's smallest case doubles as a smoke test: checked, then timed, for all three.
add_test(NAME physics_bench_smoke
  COMMAND ${SS_EXPECT} 0 "rain/stack/16/.*_median.*items_per_second" --
          $<TARGET_FILE:bench_physics> --benchmark_filter=physics/rain/.*/16/ --benchmark_repetitions=2)
set_tests_properties(physics_bench_smoke PROPERTIES LABELS physics)
