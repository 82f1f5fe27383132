#include "pipeline/non_document_types.h"

#include <array>
#include <cctype>
#include <string>

#include "tunepack/ingest/compression.h"

namespace tunepack::pipeline {
namespace {

struct NonDocumentType {
  std::string_view kind;
  std::string_view extensions;  ///< space-separated, lower case, with the dot
};

// One line per kind; a new kind or extension is one edit here.
constexpr std::array<NonDocumentType, 8> kNonDocumentTypes{{
    {"style sheet", ".css .scss .sass .less"},
    {"script", ".js .mjs .cjs .map"},
    {"image", ".png .jpg .jpeg .gif .webp .bmp .ico .svg .tif .tiff .avif .heic .psd"},
    {"font", ".woff .woff2 .ttf .otf .eot"},
    {"archive", ".zip .tar .tgz .tbz2 .txz .7z .rar .jar .whl"},
    {"audio or video file", ".mp3 .mp4 .wav .ogg .flac .avi .mov .mkv .webm"},
    {"compiled code", ".exe .dll .so .dylib .o .a .class .pyc .wasm"},
    {"database", ".db .sqlite .sqlite3"},
}};

// A compressed file (README.gz, data.jsonl.zst) is what its inner name says: the
// decompressed content is read like the file it was (a .tar.gz is still an archive).
std::string_view InnerFileName(std::string_view file_name) {
  std::string lower(file_name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const ingest::Compression& compression : ingest::BuiltinCompressions()) {
    for (const std::string& extension : compression.extensions) {
      if (lower.size() > extension.size() && lower.ends_with(extension)) {
        return file_name.substr(0, file_name.size() - extension.size());
      }
    }
  }
  return file_name;
}

}  // namespace

std::string_view NonDocumentKind(std::string_view file_name) {
  file_name = InnerFileName(file_name);
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string extension(file_name.substr(dot));
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const NonDocumentType& type : kNonDocumentTypes) {
    std::string_view list = type.extensions;
    while (!list.empty()) {
      const size_t space = list.find(' ');
      if (list.substr(0, space) == extension) return type.kind;
      if (space == std::string_view::npos) break;
      list.remove_prefix(space + 1);
    }
  }
  return {};
}

}  // namespace tunepack::pipeline
