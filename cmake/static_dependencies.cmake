# Static archives for the tunepack binary, shared libraries for everything else.
#
# Every CLI run is a new process, so the binary's start-up is paid by every command: with each
# Debian library loaded as a shared object, the dynamic linker looked up about ten thousand
# symbols across 33 objects before main (a third of `tunepack --version`'s CPU time). A
# library linked from its static archive costs no loading, no symbol lookups and no
# relocation of its own at start-up.
#
# Only executables that set the target property TP_STATIC_DEPENDENCIES (the tunepack binary,
# src/cli/CMakeLists.txt) take the archives: the Python extension is a shared object, and
# Debian's archives are compiled for executables (-fPIE), not for shared objects; tests and
# tools keep linking quickly against the shared libraries.

# tp_prefer_static(TARGET PREFIX)
# TARGET is the imported target pkg_check_modules(PREFIX ... IMPORTED_TARGET ...) made.
# When every library of PREFIX's static link line (pkg-config --static: the library and
# the libraries it needs) has a lib<name>.a, an executable with TP_STATIC_DEPENDENCIES links
# those archives instead of TARGET's shared libraries; when one is missing (a Debian -dev
# package may ship no archive), it links the shared libraries as every other target does.
# The C and C++ runtime libraries in that line (m, pthread, dl, rt, stdc++) stay as they are.
function(tp_prefer_static target prefix)
  set(archives)
  foreach(name IN LISTS ${prefix}_STATIC_LIBRARIES)
    if(name MATCHES "^(m|pthread|dl|rt|stdc\\+\\+)$")
      list(APPEND archives ${name})
      continue()
    endif()
    find_library(TP_STATIC_ARCHIVE_${name} NAMES lib${name}.a
                 HINTS ${${prefix}_STATIC_LIBRARY_DIRS} NO_CACHE)
    if(NOT TP_STATIC_ARCHIVE_${name})
      message(STATUS "${target}: no lib${name}.a; the tunepack binary links the shared library")
      return()
    endif()
    list(APPEND archives ${TP_STATIC_ARCHIVE_${name}})
  endforeach()
  get_target_property(shared ${target} INTERFACE_LINK_LIBRARIES)
  set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES
    "$<IF:$<BOOL:$<TARGET_PROPERTY:TP_STATIC_DEPENDENCIES>>,${archives},${shared}>")
endfunction()
