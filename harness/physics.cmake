# ss-run-physics: the runner's physics subcommand with a main of its own, until the shared
# ss-run target links harness/run_physics.c (then harness/physics_main.c goes).
add_executable(ss-run-physics ${PROJECT_SOURCE_DIR}/harness/run_physics.c ${PROJECT_SOURCE_DIR}/harness/physics_main.c)
target_include_directories(ss-run-physics PRIVATE ${PROJECT_SOURCE_DIR}/harness)
target_link_libraries(ss-run-physics PRIVATE phys_all)

# bench_physics: google-benchmark over impl × scene × n (C++17 only here).
find_package(benchmark REQUIRED)
add_executable(bench_physics ${PROJECT_SOURCE_DIR}/harness/bench_physics.cc)
target_link_libraries(bench_physics PRIVATE phys_all benchmark::benchmark)
