# tp_module(NAME SOURCES ... DEPS ... [TESTS ...] [TEST_DEPS ...])
# Declares the static library tunepack_<NAME> and, when TESTS are given, its unit-test
# binary tunepack_<NAME>_test registered with CTest under the label `unit`.
function(tp_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(tunepack_${name} STATIC ${ARG_SOURCES})
  target_include_directories(tunepack_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/generated
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tunepack_${name} PUBLIC ${ARG_DEPS})
  if(TP_BUILD_TESTS AND ARG_TESTS)
    tp_test(tunepack_${name}_test SOURCES ${ARG_TESTS} DEPS tunepack_${name} ${ARG_TEST_DEPS})
  endif()
endfunction()

# tp_test(TARGET SOURCES ... DEPS ... [LABELS ...])
# A GoogleTest binary whose tests are discovered at test time. Tests find the repository
# (examples/, tests/data/) through TP_SOURCE_DIR and the built binary through TP_BINARY.
function(tp_test target)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${target} ${ARG_SOURCES})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} tunepack_test_support GTest::gmock_main)
  target_compile_definitions(${target} PRIVATE
    TP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TP_BINARY="${PROJECT_BINARY_DIR}/tunepack")
  gtest_discover_tests(${target}
    DISCOVERY_MODE PRE_TEST
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()
