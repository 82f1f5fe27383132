// ZipLibrary: libzip's functions, loaded with dlopen when the first package (DOCX, EPUB, ODT,
// PPTX) is opened, not linked. Linked, libzip and the libcrypto it needs were loaded at the
// start of every run of the binary and of every process that loads the library: about 3
// million instructions, mostly binding libcrypto's ~3,400 symbol references (BENCHMARKS.md,
// "Start-up"), for the few runs that read a package. Internal to the ingest module.
#pragma once

#include <zip.h>

#include "tunepack/core/result.h"

namespace tunepack::ingest::internal {

// The libzip functions zip_package.cc calls, each under its own name.
#define TP_ZIP_FUNCTIONS(X)                                                                     \
  X(zip_error_init) X(zip_error_fini) X(zip_error_strerror) X(zip_error_code_zip)               \
  X(zip_source_buffer_create) X(zip_source_free) X(zip_open_from_source) X(zip_discard)         \
  X(zip_get_num_entries) X(zip_name_locate) X(zip_stat_init) X(zip_stat_index)                  \
  X(zip_fopen_index) X(zip_fread) X(zip_fclose) X(zip_file_get_error) X(zip_get_error)          \
  X(zip_error_clear)

struct ZipLibrary {
#define TP_ZIP_FUNCTION_POINTER(name) decltype(&::name) name;
  TP_ZIP_FUNCTIONS(TP_ZIP_FUNCTION_POINTER)
#undef TP_ZIP_FUNCTION_POINTER
};

// Loads libzip once per process (later calls return the same table, or the same error).
// FailedPrecondition naming the library when it cannot be loaded.
Result<const ZipLibrary*> LoadZipLibrary();

}  // namespace tunepack::ingest::internal
