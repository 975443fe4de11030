#~ Compiler evidence (harness/vecreport.py, asmreport.py, ergonomics.py, evidence.py, ss-evidence)
# The parsers and the normalizer on recorded gcc and clang output (tests/evidence/recorded/),
# and the tools end to end on the miniature library with both installed compilers.
add_test(NAME evidence_parsers
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/evidence/test_evidence.py parsers ${PROJECT_SOURCE_DIR})
add_test(NAME evidence_smoke
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/evidence/test_evidence.py smoke ${PROJECT_SOURCE_DIR})
set_tests_properties(evidence_parsers evidence_smoke PROPERTIES LABELS "evidence;asm")
# Every function the evidence table names exists in its source: a rename is caught here.
add_test(NAME evidence_table
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/evidence/test_evidence.py table ${PROJECT_SOURCE_DIR})
set_tests_properties(evidence_table PROPERTIES LABELS "evidence;asm")
