#~ The WebAssembly page (issue 11): web/Makefile builds it with emcc into <build>/web; the
#  tests check the module under Node and the page in headless Chromium against the native
#  runner. They install emscripten/chromium if missing (root) and skip only if that fails.
set(SS_WEB_OUT ${CMAKE_BINARY_DIR}/web)
set(SS_WEB_NATIVE "$<TARGET_FILE:ss-run> physics")
foreach(mode node node-mutant browser)
  add_test(NAME web_${mode}
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/web_test.sh ${mode} ${PROJECT_SOURCE_DIR} ${SS_WEB_OUT} "${SS_WEB_NATIVE}")
  # One emscripten build at a time in the shared output folder.
  set_tests_properties(web_${mode} PROPERTIES LABELS web SKIP_RETURN_CODE 77 RESOURCE_LOCK ss_web_build TIMEOUT 110)
endforeach()
