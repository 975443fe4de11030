# OS-backed regions (issue 4). The growth, guard, thread and ulimit tests need the library's
# own SIGSEGV handling and large reservations, which ASan does not allow (and ASan cannot
# start under `ulimit -v`): unsanitized builds only. Under ASan and valgrind the regions
# fall back to plain mappings, which test_region_fallback checks. Tests that use much memory
# share the RESOURCE_LOCK "memory" so `ctest -j` does not run them together.
find_package(Threads REQUIRED)

add_executable(test_region_fallback test_region_fallback.c)
target_include_directories(test_region_fallback PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(test_region_fallback PRIVATE secondstack)

if(NOT SS_SANITIZE)
  ss_add_test(test_region SOURCES test_region.c LIBS secondstack LABELS region)
  ss_add_test(test_region_threads SOURCES test_region_threads.c LIBS secondstack Threads::Threads LABELS region)
  ss_add_test(test_region_limits SOURCES test_region_limits.c LIBS secondstack LABELS region)
  ss_add_test(test_region_debug SOURCES test_region_debug.c LIBS secondstack_debug LABELS region)
  set_tests_properties(test_region test_region_threads PROPERTIES RESOURCE_LOCK memory)

  add_test(NAME test_region_fallback_native COMMAND test_region_fallback native)
  add_test(NAME test_region_fallback_valgrind
    COMMAND ${SS_EXPECT} 0 "notice: running under valgrind: region 'fb' \\(grow\\)" --
            ${SS_VALGRIND} --error-exitcode=99 $<TARGET_FILE:test_region_fallback> fallback)
  set_tests_properties(test_region_fallback_native test_region_fallback_valgrind PROPERTIES LABELS "region")
else()
  add_test(NAME test_region_fallback_asan
    COMMAND ${SS_EXPECT} 0 "notice: running under AddressSanitizer: region 'fb' \\(grow\\)" --
            $<TARGET_FILE:test_region_fallback> fallback)
  set_tests_properties(test_region_fallback_asan PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0" LABELS region)
endif()

# The library as others get it: installed, then used by a separate project through
# find_package and pkg-config, and header-only. Not under sanitizers (the installed
# library would need the consumer built with them too).
if(NOT SS_SANITIZE)
  add_test(NAME test_install
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/install_check.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${CMAKE_C_COMPILER})
  set_tests_properties(test_install PROPERTIES LABELS "region;install")
endif()

# The benchmark's smoke run: 64 MiB, one repetition.
if(NOT SS_SANITIZE)
  add_test(NAME bench_growth_quick COMMAND ${SS_EXPECT} 0 "growth steps \\(fault-driven" --
           $<TARGET_FILE:bench_growth> --quick --out ${CMAKE_CURRENT_BINARY_DIR}/bench_growth_quick)
  set_tests_properties(bench_growth_quick PROPERTIES LABELS "region;bench" RESOURCE_LOCK memory)
endif()

# examples/grow at a small size (several GiB is for running it by hand).
if(NOT SS_SANITIZE)
  add_test(NAME example_grow_small COMMAND ${SS_EXPECT} 0 "touched 65536 pages .* 12 growth steps" --
           $<TARGET_FILE:grow> 0.25 grow)
  set_tests_properties(example_grow_small PROPERTIES LABELS "region;example")
endif()
