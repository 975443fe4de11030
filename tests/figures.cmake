# The figures and the report, drawn from the recorded run folder tests/figures/run/.
find_program(SS_GNUPLOT gnuplot)
if(NOT SS_GNUPLOT)
  message(FATAL_ERROR "gnuplot not found: install the Debian package gnuplot-nox (make test does)")
endif()
add_test(NAME figures_report
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/figures/test_figures.py ${CMAKE_CURRENT_BINARY_DIR}/figures)
set_tests_properties(figures_report PROPERTIES LABELS figures)
