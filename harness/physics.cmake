# bench_physics: google-benchmark over impl × scene × n (C++17 only here).
find_package(benchmark REQUIRED)
add_executable(bench_physics ${PROJECT_SOURCE_DIR}/harness/bench_physics.cc)
target_link_libraries(bench_physics PRIVATE phys_all benchmark::benchmark)
