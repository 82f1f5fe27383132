#include "ingest/zip_package.h"

#include <algorithm>
#include <vector>

#include "ingest/zip_library.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/ingest/rejection.h"

namespace tunepack::ingest::internal {
namespace {

std::string ZipErrorText(const ZipLibrary& zip, zip_error_t* error) {
  const char* text = zip.zip_error_strerror(error);
  return text ? text : "unknown ZIP error";
}

bool Encrypted(int code) {
  return code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD;
}

}  // namespace

Status PackageError(RejectReason reason, std::string_view detail) {
  return RejectionError(reason, detail,
                        reason == RejectReason::kPackageTooLarge ? StatusCode::kResourceExhausted
                                                                 : StatusCode::kInvalidArgument);
}

Result<std::unique_ptr<ZipPackage>> ZipPackage::Open(std::string_view bytes, const ZipLimits& limits) {
  TP_ASSIGN_OR_RETURN(const ZipLibrary* loaded, LoadZipLibrary());
  const ZipLibrary& zip = *loaded;
  zip_error_t error;
  zip.zip_error_init(&error);
  zip_source_t* source = zip.zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    const std::string text = ZipErrorText(zip, &error);
    zip.zip_error_fini(&error);
    return PackageError(RejectReason::kCorruptPackage, text);
  }
  zip_t* archive = zip.zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    const std::string text = ZipErrorText(zip, &error);
    zip.zip_error_fini(&error);
    zip.zip_source_free(source);
    return PackageError(RejectReason::kCorruptPackage, "not a readable ZIP file (" + text + ")");
  }
  zip.zip_error_fini(&error);
  std::unique_ptr<ZipPackage> package(new ZipPackage(zip, archive, limits));
  const zip_int64_t members = zip.zip_get_num_entries(archive, 0);
  if (members < 0 || static_cast<uint64_t>(members) > limits.max_members) {
    return PackageError(RejectReason::kPackageTooLarge, "the ZIP file has " + std::to_string(members) +
                                                    " members (at most " +
                                                    std::to_string(limits.max_members) + " are read)");
  }
  return package;
}

ZipPackage::~ZipPackage() { zip_.zip_discard(archive_); }

bool ZipPackage::Has(std::string_view name) const {
  if (name.empty()) return false;
  return zip_.zip_name_locate(archive_, std::string(name).c_str(), 0) >= 0;
}

Result<std::unique_ptr<ZipMemberStream>> ZipPackage::OpenMember(std::string_view name) {
  const std::string member(name);
  const zip_int64_t index = name.empty() ? -1 : zip_.zip_name_locate(archive_, member.c_str(), 0);
  if (index < 0) return PackageError(RejectReason::kCorruptPackage, "no member '" + member + "'");
  zip_stat_t stat;
  zip_.zip_stat_init(&stat);
  if (zip_.zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
    return PackageError(RejectReason::kCorruptPackage, "cannot read the entry of '" + member + "'");
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
    return PackageError(RejectReason::kEncryptedPackage, "'" + member + "' is encrypted");
  }
  zip_file_t* file = zip_.zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    zip_error_t* error = zip_.zip_get_error(archive_);
    const int code = zip_.zip_error_code_zip(error);
    const std::string text = ZipErrorText(zip_, error);
    zip_.zip_error_clear(archive_);
    return PackageError(Encrypted(code) ? RejectReason::kEncryptedPackage : RejectReason::kCorruptPackage,
                        "cannot open '" + member + "': " + text);
  }
  const uint64_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE) ? stat.comp_size : 0;
  return std::unique_ptr<ZipMemberStream>(new ZipMemberStream(*this, file, member, compressed));
}

ZipMemberStream::~ZipMemberStream() { package_.zip_.zip_fclose(file_); }

Result<size_t> ZipMemberStream::Read(char* buffer, size_t size) {
  const ZipLimits& limits = package_.limits_;
  const zip_int64_t n = package_.zip_.zip_fread(file_, buffer, size);
  if (n < 0) {
    return PackageError(RejectReason::kCorruptPackage,
                        "'" + name_ + "' is damaged: " +
                            ZipErrorText(package_.zip_, package_.zip_.zip_file_get_error(file_)));
  }
  read_ += static_cast<uint64_t>(n);
  package_.total_read_ += static_cast<uint64_t>(n);
  if (read_ > limits.max_member_bytes) {
    return PackageError(RejectReason::kPackageTooLarge, "'" + name_ + "' decompresses to more than " +
                                                            std::to_string(limits.max_member_bytes) + " bytes");
  }
  if (package_.total_read_ > limits.max_total_bytes) {
    return PackageError(RejectReason::kPackageTooLarge, "the members read decompress to more than " +
                                                            std::to_string(limits.max_total_bytes) + " bytes");
  }
  if (read_ > (1u << 20) && read_ / std::max<uint64_t>(compressed_, 1) > limits.max_ratio) {
    return PackageError(RejectReason::kPackageTooLarge,
                        "'" + name_ + "' decompresses more than " + std::to_string(limits.max_ratio) +
                            " times its compressed size (a ZIP bomb?)");
  }
  return static_cast<size_t>(n);
}

Result<std::string> ZipPackage::Read(std::string_view name) {
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ZipMemberStream> stream, OpenMember(name));
  std::string out;
  char buffer[64 << 10];
  while (true) {
    TP_ASSIGN_OR_RETURN(const size_t n, stream->Read(buffer, sizeof(buffer)));
    if (n == 0) break;
    out.append(buffer, n);
  }
  return out;
}

std::string ResolveMemberPath(std::string_view base, std::string_view target) {
  if (const size_t hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  if (target.empty() || target.front() == '/' || target.find("://") != std::string_view::npos ||
      target.find(':') != std::string_view::npos) {
    return {};
  }
  std::string decoded;
  for (size_t i = 0; i < target.size(); ++i) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (target[i] == '%' && i + 2 < target.size() + 0 && hex(target[i + 1]) >= 0 && hex(target[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(hex(target[i + 1]) * 16 + hex(target[i + 2])));
      i += 2;
    } else {
      decoded.push_back(target[i]);
    }
  }
  std::vector<std::string> parts;
  const size_t slash = base.rfind('/');
  std::string joined = (slash == std::string_view::npos ? std::string() : std::string(base.substr(0, slash + 1))) + decoded;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return {};  // climbs out of the package
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out.push_back('/');
    out += part;
  }
  return out;
}

}  // namespace tunepack::ingest::internal
