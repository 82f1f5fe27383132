// Media references: the images, videos and audio files a record points to, never decoded.
//
// tunepack keeps them the way LLaMA-Factory's datasets do: each message's text holds a
// placeholder where the medium goes (`<image>`, `<video>`, `<audio>`), and the record's
// top-level list of that kind ("images", "videos", "audios") holds the references (paths or
// URLs), the n-th placeholder standing for the n-th reference. An example carries the lists
// as fields of its own (Example::unread_fields), so formats that hold them pass them through
// verbatim; the openai format turns them into content parts and back (image_url).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"

namespace tunepack::format {

// MediaKind: one kind of medium and how records name it.
struct MediaKind {
  std::string_view field;        ///< the record's list: "images"
  std::string_view placeholder;  ///< its mark in message text: "<image>"
  std::string_view noun;         ///< for messages: "image"
  std::string_view mime_prefix;  ///< what libmagic must say of a local file: "image/"
};

// The three kinds, in the order above.
const std::array<MediaKind, 3>& MediaKinds();

// Returns the references of `kind` that `example` carries (empty when it has no such list),
// or an error when the list is not an array of strings.
Result<std::vector<std::string>> MediaReferences(const Example& example, const MediaKind& kind);

// Returns how many times `placeholder` occurs in the text of every message of `example`
// (prompt, and chosen and rejected answers of a preference pair) and in a text example.
size_t CountPlaceholders(const Example& example, std::string_view placeholder);

// Checks that `example`'s text has `references` placeholders of `kind`, one per entry of its
// list. The error (FailedPrecondition) says which kind and both counts.
Status CheckPlaceholderCount(const Example& example, const MediaKind& kind, size_t references);

// Checks every media list `example` carries with CheckPlaceholderCount.
Status CheckMediaPlaceholders(const Example& example);

// Returns the path of the local file `reference` names (a path as it is, a file:// URL
// without its scheme), or nothing for a remote resource (http://, https://, s3://, data:...).
std::optional<std::string_view> LocalMediaPath(std::string_view reference);

}  // namespace tunepack::format
