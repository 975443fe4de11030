# The allocation microbenchmark (google-benchmark; C++17 only for the driver, the kernels are C).
find_package(benchmark REQUIRED)
add_library(alloc_kernels STATIC ${CMAKE_CURRENT_LIST_DIR}/alloc_kernels.c)
target_link_libraries(alloc_kernels PUBLIC secondstack)
add_executable(bench_alloc ${CMAKE_CURRENT_LIST_DIR}/bench_alloc.cc)
target_include_directories(bench_alloc PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(bench_alloc PRIVATE alloc_kernels benchmark::benchmark)
