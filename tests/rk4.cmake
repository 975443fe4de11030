# The RK4 workload's tests (issue 5). Included by tests/CMakeLists.txt.

# Correctness: checks pass, all implementations bit-identical, seed entry points, rhs.
ss_add_test(test_rk4 SOURCES test_rk4.c LIBS rk4_impls secondstack LABELS rk4)

# Mutants: impl_bump/rk4.c with one change, linked in place of the real one (an object given
# to the linker wins over the archive member). Each must make the checks fail.
function(rk4_mutant name from to)
  set(src ${PROJECT_SOURCE_DIR}/impl_bump/rk4.c)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  file(READ ${src} text)
  string(FIND "${text}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "mutant ${name}: '${from}' is no longer in impl_bump/rk4.c: update tests/rk4.cmake")
  endif()
  string(REPLACE "${from}" "${to}" text "${text}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/mutants/${name}/rk4.c)
  file(CONFIGURE OUTPUT ${out} CONTENT "${text}" @ONLY)
  set(RK4_MUTANT_SRC ${out} PARENT_SCOPE)
endfunction()

# h/6 → h/5: every check, every problem, every size.
rk4_mutant(h5 "mul_vs(t, dy, h / 6, n)" "mul_vs(t, dy, h / 5, n)")
add_executable(test_rk4_mutant_h5 test_rk4.c ${RK4_MUTANT_SRC})
target_include_directories(test_rk4_mutant_h5 PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(test_rk4_mutant_h5 PRIVATE rk4_impls secondstack)
add_test(NAME test_rk4_mutant_h5 COMMAND test_rk4_mutant_h5 --expect-fail)

# k3 from k1 instead of k2: a consistent method of order 2. The checks reject it for decay,
# oscillators and lorenz96 at every size. heat1d catches it only at n <= 16: at stable step
# sizes (h ~ 1/n²) the slow mode's truncation error, even at order 2, is below float32
# rounding, so no tolerance float allows could see it.
rk4_mutant(order2 "mul_vs(t, k2, h / 2, n), n), n);\n        float *k4" "mul_vs(t, k1, h / 2, n), n), n);\n        float *k4")
add_executable(test_rk4_mutant_order2 test_rk4.c ${RK4_MUTANT_SRC})
target_include_directories(test_rk4_mutant_order2 PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(test_rk4_mutant_order2 PRIVATE rk4_impls secondstack)
add_test(NAME test_rk4_mutant_order2 COMMAND test_rk4_mutant_order2 --expect-fail decay,oscillators,lorenz96)
set_tests_properties(test_rk4_mutant_h5 test_rk4_mutant_order2 PROPERTIES LABELS "rk4;mutant")

# impl_malloc allocates once per vector operation (a counting wrapper around malloc/free).
ss_add_test(test_rk4_malloc_count SOURCES test_rk4_malloc_count.c LIBS rk4_impls secondstack LABELS rk4)
target_link_options(test_rk4_malloc_count PRIVATE -Wl,--wrap=malloc,--wrap=free)

# impl_stack's code calls neither malloc nor any ss_ function; the same check finds impl_malloc's.
add_test(NAME rk4_stack_no_alloc_calls
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/rk4_calls_check.py $<TARGET_FILE:rk4_stack>)
add_test(NAME rk4_malloc_calls_caught
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/rk4_calls_check.py --expect-calls $<TARGET_FILE:rk4_malloc>)
set_tests_properties(rk4_stack_no_alloc_calls rk4_malloc_calls_caught PROPERTIES LABELS "rk4;asm")

# The bump implementation's high-water mark per step is constant (debug mode's statistics),
# and a mutant that never resets the step's scope is caught.
add_library(rk4_bump_debug STATIC ${PROJECT_SOURCE_DIR}/impl_bump/rk4.c)
target_link_libraries(rk4_bump_debug PUBLIC secondstack_debug rk4_problems)
ss_add_test(test_rk4_highwater SOURCES test_rk4_highwater.c LIBS rk4_bump_debug LABELS rk4)
target_include_directories(test_rk4_highwater PRIVATE ${PROJECT_SOURCE_DIR}/harness)
rk4_mutant(noreset "        ss_scope_reset(&step); /* discard the last step's temporaries */\n" "")
add_executable(test_rk4_highwater_mutant test_rk4_highwater.c ${RK4_MUTANT_SRC})
target_include_directories(test_rk4_highwater_mutant PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/harness)
target_compile_definitions(test_rk4_highwater_mutant PRIVATE SS_DEBUG)
target_link_libraries(test_rk4_highwater_mutant PRIVATE secondstack_debug rk4_problems)
add_test(NAME test_rk4_highwater_mutant COMMAND test_rk4_highwater_mutant --expect-growth)
set_tests_properties(test_rk4_highwater_mutant PROPERTIES LABELS "rk4;mutant")

# `diff impl_bump/rk4.c impl_malloc/rk4.c` (and malloc against stack) shows only the memory
# strategy: same functions in the same order, and no more changed lines than naming the
# temporaries and passing the allocator cost today. Pointed at two unrelated files, it fails.
add_test(NAME rk4_diff_bump_malloc
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/rk4_diff_check.py 72
          ${PROJECT_SOURCE_DIR}/impl_bump/rk4.c ${PROJECT_SOURCE_DIR}/impl_malloc/rk4.c)
add_test(NAME rk4_diff_malloc_stack
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/rk4_diff_check.py 90
          ${PROJECT_SOURCE_DIR}/impl_malloc/rk4.c ${PROJECT_SOURCE_DIR}/impl_stack/rk4.c)
add_test(NAME rk4_diff_unrelated_caught
  COMMAND ${SS_EXPECT} 1 "FAILED: the files do not define the same functions" --
          ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/rk4_diff_check.py 72
          ${PROJECT_SOURCE_DIR}/impl_malloc/rk4_once.c ${PROJECT_SOURCE_DIR}/impl_malloc/rk4.c)
set_tests_properties(rk4_diff_bump_malloc rk4_diff_malloc_stack rk4_diff_unrelated_caught PROPERTIES LABELS rk4)

# The runner: a good run, --print, and every kind of bad input (exit 2, a message naming it).
set(RK4_RUN $<TARGET_FILE:ss-run> rk4)
add_test(NAME rk4_run_ok COMMAND ${SS_EXPECT} 0 "check=pass .*ns_per_step=" --
         ${RK4_RUN} --impl bump --problem decay -n 64 --steps 10000 --h 0.001)
add_test(NAME rk4_run_print COMMAND ${SS_EXPECT} 0 "^4\\.53999637e-05$" --
         ${RK4_RUN} --impl stack --problem decay -n 4 --steps 1000 --h 0.01 --final-only --print)
add_test(NAME rk4_run_unknown_impl COMMAND ${SS_EXPECT} 2 "unknown implementation 'heap'" --
         ${RK4_RUN} --impl heap --problem decay -n 64)
add_test(NAME rk4_run_unknown_problem COMMAND ${SS_EXPECT} 2 "unknown problem 'lorenz63'" --
         ${RK4_RUN} --impl bump --problem lorenz63 -n 64)
add_test(NAME rk4_run_stack_size COMMAND ${SS_EXPECT} 2 "'stack' was not built for n = 100; built sizes: 4 16" --
         ${RK4_RUN} --impl stack --problem decay -n 100)
add_test(NAME rk4_run_lorenz_small COMMAND ${SS_EXPECT} 2 "lorenz96 needs n >= 4" --
         ${RK4_RUN} --impl bump --problem lorenz96 -n 3)
add_test(NAME rk4_run_steps_zero COMMAND ${SS_EXPECT} 2 "--steps must be a positive integer, got '0'" --
         ${RK4_RUN} --impl bump --problem decay -n 4 --steps 0)
add_test(NAME rk4_run_steps_negative COMMAND ${SS_EXPECT} 2 "--steps must be a positive integer, got '-5'" --
         ${RK4_RUN} --impl bump --problem decay -n 4 --steps -5)
add_test(NAME rk4_run_unstable_h COMMAND ${SS_EXPECT} 2 "--h 0.0001 is beyond the limit for heat1d at n = 256: h <= 1.0[0-9]*e-05" --
         ${RK4_RUN} --impl bump --problem heat1d -n 256 --h 0.0001)
add_test(NAME rk4_run_bad_option COMMAND ${SS_EXPECT} 2 "unknown option '--fast'" --
         ${RK4_RUN} --impl bump --problem decay -n 4 --fast)
set_tests_properties(rk4_run_ok rk4_run_print rk4_run_unknown_impl rk4_run_unknown_problem rk4_run_stack_size
  rk4_run_lorenz_small rk4_run_steps_zero rk4_run_steps_negative rk4_run_unstable_h rk4_run_bad_option
  PROPERTIES LABELS "rk4;runner")

# impl_malloc is leak-free: every problem, both calls, both modes, under memcheck (the ASan
# preset's LeakSanitizer covers test_rk4 as well).
if(SS_VALGRIND AND NOT SS_SANITIZE)
  foreach(p decay oscillators lorenz96 heat1d)
    foreach(call static fnptr)
      add_test(NAME rk4_malloc_leaks_${p}_${call}
        COMMAND ${SS_EXPECT} 0 "All heap blocks were freed|definitely lost: 0 bytes" --
                ${SS_VALGRIND} --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
                $<TARGET_FILE:ss-run> rk4 --impl malloc --problem ${p} -n 16 --steps 20 --call ${call})
      set_tests_properties(rk4_malloc_leaks_${p}_${call} PROPERTIES LABELS "rk4;valgrind")
    endforeach()
  endforeach()
endif()

# gcc's results equal clang's: the script compiles everything with both (the flags of every
# checked build) and compares trajectory hashes with each other and with this build's
# test_rk4. Its mutant lets clang contract a*b+c into FMAs: the hashes must then differ.
set(RK4_COMPILER_FLAGS "${SS_OPT} ${SS_ARCH} -ffp-contract=off -fno-fast-math")
add_test(NAME rk4_gcc_equals_clang
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/rk4_compilers.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/workloads
          ${RK4_COMPILER_FLAGS} $<TARGET_FILE:test_rk4>)
add_test(NAME rk4_gcc_equals_clang_fma_caught
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/rk4_compilers.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/workloads
          ${RK4_COMPILER_FLAGS} $<TARGET_FILE:test_rk4> -ffp-contract=fast)
set_tests_properties(rk4_gcc_equals_clang rk4_gcc_equals_clang_fma_caught PROPERTIES LABELS "rk4;compilers" TIMEOUT 600)

# The README's RK4 example is the real code; checked against impl_malloc/rk4.c it fails.
add_test(NAME rk4_readme_example
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/rk4_readme_check.py
          ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/impl_bump/rk4.c)
add_test(NAME rk4_readme_example_caught
  COMMAND ${SS_EXPECT} 1 "README line not in" -- ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/rk4_readme_check.py
          ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/impl_malloc/rk4.c)
set_tests_properties(rk4_readme_example rk4_readme_example_caught PROPERTIES LABELS rk4)

# bench_rk4 runs (a tiny run doubles as its smoke test: every implementation checked and timed).
add_test(NAME rk4_bench_smoke
  COMMAND ${SS_EXPECT} 0 "rk4/heat1d/bump_n/fnptr/full/16 .*time_per_step=[0-9.]+[num]?s" --
          $<TARGET_FILE:bench_rk4> --benchmark_filter=rk4/heat1d/.*/16$ --benchmark_min_time=0.001)
set_tests_properties(rk4_bench_smoke PROPERTIES LABELS "rk4;bench")
