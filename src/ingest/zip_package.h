// ZipPackage: read access to the members of a ZIP file held in memory (DOCX, EPUB, ODT,
// PPTX), with the limits that keep a hostile file from exhausting memory: members are read
// with a cap on each, on the total, and on the compression ratio, counting the bytes that
// actually come out (declared sizes are not trusted). Member names are looked up exactly;
// a path that climbs out of the package (`..`) or is absolute resolves to nothing.
// Internal to the ingest module.
#pragma once

#include <zip.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tunepack/core/reject_reason.h"
#include "tunepack/core/result.h"

namespace tunepack::ingest::internal {

struct ZipLimits {
  uint64_t max_member_bytes = 64u << 20;   ///< one member, decompressed
  uint64_t max_total_bytes = 256u << 20;   ///< all members read from one package
  uint64_t max_ratio = 200;                ///< decompressed / compressed, past the first MiB
  uint64_t max_members = 20000;            ///< entries in the central directory
};

class ZipPackage;
struct ZipLibrary;

// ZipMemberStream: one member being decompressed, read piece by piece under its package's
// limits (the same as ZipPackage::Read), so a large part can be parsed without holding it.
class ZipMemberStream {
 public:
  ~ZipMemberStream();
  ZipMemberStream(const ZipMemberStream&) = delete;
  ZipMemberStream& operator=(const ZipMemberStream&) = delete;

  // Reads up to `size` bytes into `buffer`; returns how many (0 at the end). Errors:
  // corrupt_package (damaged), package_too_large (a limit passed).
  Result<size_t> Read(char* buffer, size_t size);
  const std::string& name() const { return name_; }

 private:
  friend class ZipPackage;
struct ZipLibrary;
  ZipMemberStream(ZipPackage& package, zip_file_t* file, std::string name, uint64_t compressed)
      : package_(package), file_(file), name_(std::move(name)), compressed_(compressed) {}
  ZipPackage& package_;
  zip_file_t* file_;
  std::string name_;
  uint64_t compressed_;
  uint64_t read_ = 0;
};

class ZipPackage {
 public:
  // Opens `bytes` (not copied; must outlive the package). Errors carry the ledger reasons
  // corrupt_package, package_too_large.
  static Result<std::unique_ptr<ZipPackage>> Open(std::string_view bytes, const ZipLimits& limits = {});
  ~ZipPackage();
  ZipPackage(const ZipPackage&) = delete;
  ZipPackage& operator=(const ZipPackage&) = delete;

  bool Has(std::string_view name) const;
  // Reads member `name`. Errors: corrupt_package (missing, damaged), encrypted_package,
  // package_too_large.
  Result<std::string> Read(std::string_view name);
  // Opens member `name` for reading piece by piece. Errors as Read's.
  Result<std::unique_ptr<ZipMemberStream>> OpenMember(std::string_view name);

 private:
  friend class ZipMemberStream;
  ZipPackage(const ZipLibrary& zip, zip_t* archive, const ZipLimits& limits)
      : zip_(zip), archive_(archive), limits_(limits) {}
  const ZipLibrary& zip_;  // libzip, loaded on the first Open (zip_library.h)
  zip_t* archive_;
  ZipLimits limits_;
  uint64_t total_read_ = 0;
};

// Resolves `target` (a relative reference: "../media/a.xml", "chapter%201.xhtml#p2")
// against the folder of member `base` ("word/document.xml"); percent-escapes are decoded
// and the fragment dropped. Returns empty when `target` is absolute, a URL, or climbs
// above the package root.
std::string ResolveMemberPath(std::string_view base, std::string_view target);

// Returns an error whose message starts "<reason>: " (document_reader.h lists the reasons).
Status PackageError(RejectReason reason, std::string_view detail);

}  // namespace tunepack::ingest::internal
