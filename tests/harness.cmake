# The harness: parsers on recorded inputs, and a tiny matrix end to end.
add_test(NAME harness_parsers COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/test_harness.py)
add_test(NAME harness_smoke
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/test_harness.py --smoke ${PROJECT_BINARY_DIR})
set_tests_properties(harness_parsers harness_smoke PROPERTIES LABELS harness)
# valgrind and hyperfine time nothing meaningful next to other tests, but keep them apart
set_tests_properties(harness_smoke PROPERTIES RUN_SERIAL TRUE)
