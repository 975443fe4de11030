# bench_growth: the cost of expanding memory (issue 4). A program, not a test; a --quick run
# doubles as a smoke test (tests/region.cmake).
add_executable(bench_growth ${CMAKE_CURRENT_LIST_DIR}/bench_growth.c)
target_link_libraries(bench_growth PRIVATE secondstack)
