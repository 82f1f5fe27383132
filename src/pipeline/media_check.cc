#include "pipeline/media_check.h"

#include <filesystem>
#include <system_error>

#include <magic.h>

#include "tunepack/format/media.h"

namespace tunepack::pipeline {
namespace {

namespace fs = std::filesystem;

// libmagic reads this much of a file at most: enough for every image, video and audio
// signature it knows, and a bound on the cost of a large video.
constexpr size_t kMagicBytes = 1 << 16;

std::string Describe(const format::MediaKind& kind, size_t index, const std::string& reference) {
  return std::string(kind.field) + "[" + std::to_string(index) + "] \"" + reference + "\"";
}

}  // namespace

MediaCheck::MediaCheck(MediaFileCheck files, std::string media_dir)
    : files_(files), media_dir_(std::move(media_dir)) {}

MediaCheck::~MediaCheck() {
  if (magic_ != nullptr) magic_close(static_cast<magic_t>(magic_));
}

Result<std::string> MediaCheck::MimeType(const std::string& path) {
  if (magic_ == nullptr) {
    magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_SYMLINK | MAGIC_ERROR);
    if (cookie == nullptr) return InternalError("libmagic could not start");
    size_t bytes = kMagicBytes;
    magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &bytes);
    if (magic_load(cookie, nullptr) != 0) {
      std::string why = magic_error(cookie) ? magic_error(cookie) : "no database";
      magic_close(cookie);
      return InternalError("libmagic could not load its database: " + why);
    }
    magic_ = cookie;
  }
  magic_t cookie = static_cast<magic_t>(magic_);
  const char* type = magic_file(cookie, path.c_str());
  if (type == nullptr) {
    const char* why = magic_error(cookie);
    return NotFoundError(why != nullptr ? why : "unreadable");
  }
  return std::string(type);
}

std::optional<StepDrop> MediaCheck::Check(const Example& example) {
  // Each list is parsed once; most records carry none, and leave here.
  std::vector<std::pair<const format::MediaKind*, std::vector<std::string>>> lists;
  for (const format::MediaKind& kind : format::MediaKinds()) {
    if (example.unread_fields.FindJson(kind.field) == nullptr) continue;
    Result<std::vector<std::string>> references = format::MediaReferences(example, kind);
    if (!references.has_value()) return StepDrop{RejectReason::kInvalidRecord, references.status().message()};
    lists.emplace_back(&kind, std::move(*references));
  }
  for (const auto& [kind, references] : lists) {
    if (Status counted = format::CheckPlaceholderCount(example, *kind, references.size()); !counted.ok()) {
      return StepDrop{RejectReason::kMediaCountMismatch, counted.message()};
    }
  }
  if (files_ == MediaFileCheck::kSkip) return std::nullopt;
  for (const auto& [kind, references] : lists) {
    for (size_t i = 0; i < references.size(); ++i) {
      std::optional<std::string> why = CheckFile(*kind, references[i], example.origin.source);
      if (why) return StepDrop{RejectReason::kBadMediaFile, Describe(*kind, i, references[i]) + ": " + *why};
    }
  }
  return std::nullopt;
}

std::optional<std::string> MediaCheck::CheckFile(const format::MediaKind& kind, const std::string& reference,
                                                 const std::string& source) {
  std::optional<std::string_view> local = format::LocalMediaPath(reference);
  if (!local) return std::nullopt;  // remote: not fetched
  fs::path path(*local);
  if (path.is_relative()) {
    const fs::path base = !media_dir_.empty() ? fs::path(media_dir_)
                          : source == "-"     ? fs::path()
                                              : fs::path(source).parent_path();
    path = base / path;
  }
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) return "no such file (looked for " + path.string() + ")";
  if (!fs::is_regular_file(status)) return "not a regular file";
  Result<std::string> type = MimeType(path.string());
  if (!type.has_value()) return type.status().message();
  if (type->compare(0, kind.mime_prefix.size(), kind.mime_prefix) != 0) {
    return "its content is " + *type + ", not " + std::string(kind.mime_prefix) + "*";
  }
  return std::nullopt;
}

}  // namespace tunepack::pipeline
