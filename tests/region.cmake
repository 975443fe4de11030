# OS-backed regions (issue 4). The growth, guard and ulimit tests need the library's own
# SIGSEGV handling and large reservations, which ASan does not allow: unsanitized builds
# only (under ASan the regions fall back to plain mappings, which test_region_fallback
# checks). Tests that use much memory share the RESOURCE_LOCK "memory" so `ctest -j` does
# not run them together.
if(NOT SS_SANITIZE)
  ss_add_test(test_region SOURCES test_region.c LIBS secondstack LABELS region)
  set_tests_properties(test_region PROPERTIES RESOURCE_LOCK memory)
endif()
