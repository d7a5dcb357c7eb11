# Run by ctest as it starts (TEST_INCLUDE_FILES, see tests/CMakeLists.txt): asks postino_tests for
# its test cases and registers one test per doctest suite, so a new suite runs without anyone
# listing it. A test case in no suite would never run: it gets a test that fails naming it.
# Expects POSTINO_TESTS (the executable) and TEST_PREFIX.
function(fail_test name message)
  add_test("${name}" sh -c "printf '%s\\n' \"\$0\" >&2; exit 1" "${message}")
endfunction()

execute_process(COMMAND "${POSTINO_TESTS}" --list-test-cases --reporters=xml
                OUTPUT_VARIABLE listing ERROR_VARIABLE error RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  fail_test("${TEST_PREFIX}list" "cannot list the test cases of ${POSTINO_TESTS} (${rc}): ${error}")
  return()
endif()

# CMake lists are split at ';', which XML entities (&quot;) contain.
string(REPLACE ";" "," listing "${listing}")
string(REGEX MATCHALL "<TestCase [^>]*>" cases "${listing}")
set(suites "")
set(orphans "")
foreach(case IN LISTS cases)
  string(REGEX MATCH " testsuite=\"([^\"]*)\"" _ "${case}")
  set(suite "${CMAKE_MATCH_1}")
  if(suite STREQUAL "")
    string(REGEX MATCH " name=\"([^\"]*)\" .* filename=\"([^\"]*)\" line=\"([0-9]*)\"" _ "${case}")
    list(APPEND orphans "${CMAKE_MATCH_2}:${CMAKE_MATCH_3}: ${CMAKE_MATCH_1}")
  else()
    list(APPEND suites "${suite}")
  endif()
endforeach()
list(REMOVE_DUPLICATES suites)

if(suites STREQUAL "")
  fail_test("${TEST_PREFIX}list" "${POSTINO_TESTS} lists no test suite")
endif()
foreach(suite IN LISTS suites)
  add_test("${TEST_PREFIX}${suite}" "${POSTINO_TESTS}" "--test-suite=${suite}" --force-colors=0)
endforeach()
if(orphans)
  list(JOIN orphans "\n  " names)
  fail_test("${TEST_PREFIX}every_case_in_a_suite" "test cases in no TEST_SUITE never run; put them in one:\n  ${names}")
else()
  add_test("${TEST_PREFIX}every_case_in_a_suite" true)
endif()
