# Merges static libraries into one archive with an `ar -M` (MRI) script, run by
# `cmake --install` (cmake/tunepack_install.cmake) or by hand:
#   cmake -DAR=ar -DBINARY_DIR=build -DSCRIPT=build/lib/libtunepack.mri -P merge_archives.cmake
# SCRIPT names the output and the input archives by paths relative to BINARY_DIR (MRI has no
# quoting, so no character of the build folder's path may reach it); `ar -M` reads the script
# from standard input and writes the archive's symbol index itself.
execute_process(COMMAND ${AR} -M INPUT_FILE ${SCRIPT} WORKING_DIRECTORY ${BINARY_DIR}
                RESULT_VARIABLE result ERROR_VARIABLE errors)
if(NOT result EQUAL 0 OR errors)
  message(FATAL_ERROR "${AR} -M < ${SCRIPT} failed (${result}): ${errors}")
endif()
