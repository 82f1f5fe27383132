#include "ingest/zip_library.h"

#include <dlfcn.h>

#include <string>

namespace tunepack::ingest::internal {
namespace {

// TP_LIBZIP_SONAME: the soname of the libzip the build found (src/ingest/CMakeLists.txt).
constexpr char kSoname[] = TP_LIBZIP_SONAME;

Result<const ZipLibrary*> Load() {
  static ZipLibrary library;
  // RTLD_LOCAL: libzip's and libcrypto's symbols serve no later lookup of other objects.
  void* handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return FailedPreconditionError(std::string("DOCX, EPUB, ODT and PPTX input needs libzip, which cannot be loaded: ") +
                                   ::dlerror());
  }
#define TP_ZIP_LOOK_UP(name)                                                                               \
  library.name = reinterpret_cast<decltype(library.name)>(::dlsym(handle, #name));                         \
  if (library.name == nullptr) {                                                                           \
    return FailedPreconditionError(std::string(kSoname) + " has no " #name ": it is not the libzip tunepack " \
                                   "was built with");                                                      \
  }
  TP_ZIP_FUNCTIONS(TP_ZIP_LOOK_UP)
#undef TP_ZIP_LOOK_UP
  return &library;
}

}  // namespace

Result<const ZipLibrary*> LoadZipLibrary() {
  static const Result<const ZipLibrary*> loaded = Load();
  return loaded;
}

}  // namespace tunepack::ingest::internal
