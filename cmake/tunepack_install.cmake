# The installed library: `cmake --install build --prefix P` puts
#   P/lib/libtunepack.a                     every module library merged into one archive
#   P/include/tunepack/**.h                 the public headers (and the generated version.h)
#   P/lib/cmake/tunepack/tunepackConfig*.cmake   find_package(tunepack CONFIG) -> tunepack::tunepack
# Nothing else is installed: not the CLI, the tests, the fuzz targets or the benchmarks.
# examples/embed/ is a program built against the installed package (test embed_example).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The module libraries, dependents first (the order a linker wants them in; one merged
# archive resolves its own members in any order, so this only makes the listing readable).
set(TP_LIBRARY_MODULES)
foreach(module IN LISTS TP_MODULES)
  if(TARGET tunepack_${module})
    get_target_property(type tunepack_${module} TYPE)
    if(type STREQUAL "STATIC_LIBRARY")
      list(PREPEND TP_LIBRARY_MODULES tunepack_${module})
    endif()
  endif()
endforeach()

# libtunepack.a: the module archives merged with an `ar -M` script, members kept as compiled
# (no second compilation; they are compiled with -fPIC, see tp_library_code, so the archive
# links into executables and shared objects alike). Member names that occur in two modules
# (metadata.cc.o, compression.cc.o) stay distinct members.
#
# The merge runs at install time, not in every build: the archive is as large as all module
# archives together (about 230 MB with debug info) and rewriting it after each edit would
# cost every incremental build seconds of disk writes. `cmake --install` installs what the
# last build produced, as it always does; build first.
set(TP_LIBRARY_FILE ${PROJECT_BINARY_DIR}/lib/libtunepack.a)
set(TP_LIBRARY_SCRIPT ${PROJECT_BINARY_DIR}/lib/libtunepack.mri)
set(TP_LIBRARY_SCRIPT_BODY "CREATE lib/libtunepack.a\n")
foreach(library IN LISTS TP_LIBRARY_MODULES)
  string(APPEND TP_LIBRARY_SCRIPT_BODY
         "ADDLIB $<PATH:RELATIVE_PATH,$<TARGET_FILE:${library}>,${PROJECT_BINARY_DIR}>\n")
endforeach()
string(APPEND TP_LIBRARY_SCRIPT_BODY "SAVE\nEND\n")
file(GENERATE OUTPUT ${TP_LIBRARY_SCRIPT} CONTENT "${TP_LIBRARY_SCRIPT_BODY}")
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/lib)
install(CODE "
  file(REMOVE \"${TP_LIBRARY_FILE}\")
  execute_process(COMMAND \"${CMAKE_COMMAND}\" -DAR=${CMAKE_AR} -DBINARY_DIR=${PROJECT_BINARY_DIR}
                          -DSCRIPT=${TP_LIBRARY_SCRIPT}
                          -P \"${PROJECT_SOURCE_DIR}/cmake/merge_archives.cmake\"
                  RESULT_VARIABLE merge_result)
  if(NOT merge_result EQUAL 0)
    message(FATAL_ERROR \"merging the module libraries into ${TP_LIBRARY_FILE} failed\")
  endif()")
install(FILES ${TP_LIBRARY_FILE} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tunepack DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/generated/tunepack/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tunepack)

set(TP_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tunepack)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tunepackConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/tunepackConfig.cmake
  INSTALL_DESTINATION ${TP_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
# 0.x: a new minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/tunepackConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/tunepackConfig.cmake
              ${PROJECT_BINARY_DIR}/package/tunepackConfigVersion.cmake
        DESTINATION ${TP_PACKAGE_DIR})
