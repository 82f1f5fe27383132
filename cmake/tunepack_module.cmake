# tp_private_include_root(MODULE OUT_VAR)
# Sets OUT_VAR to the include root of MODULE's private headers: a folder of the build tree
# holding one entry, MODULE, a link to src/MODULE. With it on the include path,
# #include "MODULE/x.h" resolves inside that module and "other/y.h" does not resolve at all,
# so a module can reach another module's private headers only by editing CMake, not by
# accident; other modules are reached through include/tunepack/ (the public API).
# No -ffile-prefix-map to name the real headers: an absolute path in the flags makes every
# checkout's objects differ, and compiler caches could no longer share them; the link path
# resolves to the same file for debuggers and coverage.
function(tp_private_include_root module out_var)
  set(root ${PROJECT_BINARY_DIR}/private_include/${module})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${module} ${root}/${module} SYMBOLIC)
  set(${out_var} ${root} PARENT_SCOPE)
endfunction()

# tp_private_includes(TARGET MODULE): gives TARGET the private include root of MODULE.
function(tp_private_includes target module)
  tp_private_include_root(${module} root)
  target_include_directories(${target} PRIVATE ${root})
endfunction()

# tp_library_code(TARGET): compiles a library of the module layer as position-independent
# code, so the same archives link into the tunepack binary and into shared objects (the
# Python extension, python/). Debian's g++ defaults to -fPIE, whose thread-locals and direct
# data accesses a shared object cannot take. -fno-semantic-interposition keeps -fPIC from
# blocking the inlining of the library's own global functions, so the binary's code is the
# same as with -fPIE. Executables (the CLI's main, tests) keep the compiler's default.
function(tp_library_code target)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE -fno-semantic-interposition)
endfunction()

# tp_module(NAME SOURCES ... DEPS ... [TESTS ...] [TEST_DEPS ...])
# Declares the static library tunepack_<NAME> and, when TESTS are given, its unit-test
# binary tunepack_<NAME>_test registered with CTest under the label `unit`. Both see the
# public headers and the module's own private headers (tp_private_include_root), nothing
# else of src/.
function(tp_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(tunepack_${name} STATIC ${ARG_SOURCES})
  tp_library_code(tunepack_${name})
  target_include_directories(tunepack_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/generated)
  tp_private_includes(tunepack_${name} ${name})
  target_link_libraries(tunepack_${name} PUBLIC ${ARG_DEPS})
  if(TP_BUILD_TESTS AND ARG_TESTS)
    tp_test(tunepack_${name}_test SOURCES ${ARG_TESTS} DEPS tunepack_${name} ${ARG_TEST_DEPS}
            MODULE ${name})
  endif()
endfunction()

# tp_test(TARGET SOURCES ... DEPS ... [LABELS ...] [MODULE NAME])
# A GoogleTest binary whose tests are discovered at test time. Tests find the repository
# (examples/, tests/data/) through TP_SOURCE_DIR and the built binary through TP_BINARY, both
# from tp_test_paths.h.
# A module's unit tests (MODULE) see that module's private headers; other tests are
# cross-module white-box tests and see all of src/.
function(tp_test target)
  cmake_parse_arguments(ARG "" "MODULE" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${target} ${ARG_SOURCES})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  if(ARG_MODULE)
    tp_private_includes(${target} ${ARG_MODULE})
  else()
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  endif()
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} tunepack_test_support GTest::gmock_main)
  # NO_PRETTY_VALUES: a parametrised test is named by its name generator's suffix (or its
  # index), not by GoogleTest's print of the parameter, which for a struct is a hex dump.
  gtest_discover_tests(${target}
    NO_PRETTY_VALUES
    DISCOVERY_MODE PRE_TEST
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()
