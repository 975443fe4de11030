# The harness: parsers on recorded inputs, and a tiny matrix end to end.
add_test(NAME harness_parsers COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/test_harness.py)
set_tests_properties(harness_parsers PROPERTIES LABELS harness)
# The smoke run measures this build's binaries (callgrind among its tools): only in builds
# that can be measured, never sanitized ones (valgrind cannot run ASan's binaries).
if(NOT SS_SANITIZE)
  add_test(NAME harness_smoke
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/test_harness.py --smoke ${PROJECT_BINARY_DIR})
  # hyperfine and callgrind next to other tests would make the smoke run slow, not wrong
  set_tests_properties(harness_smoke PROPERTIES LABELS harness RUN_SERIAL TRUE)
endif()
