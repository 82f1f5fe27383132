#include "tunepack/format/media.h"

#include <cctype>

#include <simdjson.h>

#include "tunepack/format/json_type_name.h"

namespace tunepack::format {

const std::array<MediaKind, 3>& MediaKinds() {
  static const std::array<MediaKind, 3> kinds = {{
      {"images", "<image>", "image", "image/"},
      {"videos", "<video>", "video", "video/"},
      {"audios", "<audio>", "audio file", "audio/"},
  }};
  return kinds;
}

Result<std::vector<std::string>> MediaReferences(const Example& example, const MediaKind& kind) {
  std::vector<std::string> references;
  const std::string* json = example.unread_fields.FindJson(kind.field);
  if (json == nullptr) return references;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::array list;
  if (parser.parse(*json).get_array().get(list) != simdjson::SUCCESS) {
    return InvalidArgumentError(std::string(kind.field) + ": must be a list of paths or URLs");
  }
  for (simdjson::dom::element item : list) {
    std::string_view reference;
    if (item.get_string().get(reference) != simdjson::SUCCESS) {
      return InvalidArgumentError(std::string(kind.field) + "[" + std::to_string(references.size()) +
                                  "]: must be a path or URL string, not " +
                                  std::string(JsonTypeName(item)));
    }
    references.emplace_back(reference);
  }
  return references;
}

size_t CountPlaceholders(const Example& example, std::string_view placeholder) {
  auto count_in = [&](std::string_view text) {
    size_t count = 0;
    for (size_t at = text.find(placeholder); at != std::string_view::npos;
         at = text.find(placeholder, at + placeholder.size())) {
      ++count;
    }
    return count;
  };
  size_t count = count_in(example.text);
  ForEachMessage(example, [&](const Message& message) { count += count_in(message.content); });
  return count;
}

Status CheckPlaceholderCount(const Example& example, const MediaKind& kind, size_t references) {
  const size_t placeholders = CountPlaceholders(example, kind.placeholder);
  if (placeholders == references) return Status::Ok();
  return FailedPreconditionError(std::string(kind.field) + " lists " + std::to_string(references) +
                                 " but the text has " + std::to_string(placeholders) + " " +
                                 std::string(kind.placeholder) + " placeholder(s): each placeholder stands for the next " +
                                 std::string(kind.noun) + " of the list");
}

Status CheckMediaPlaceholders(const Example& example) {
  for (const MediaKind& kind : MediaKinds()) {
    if (example.unread_fields.FindJson(kind.field) == nullptr) continue;
    TP_ASSIGN_OR_RETURN(std::vector<std::string> references, MediaReferences(example, kind));
    TP_RETURN_IF_ERROR(CheckPlaceholderCount(example, kind, references.size()));
  }
  return Status::Ok();
}

std::optional<std::string_view> LocalMediaPath(std::string_view reference) {
  constexpr std::string_view kFileScheme = "file://";
  if (reference.substr(0, kFileScheme.size()) == kFileScheme) return reference.substr(kFileScheme.size());
  // A scheme is letters, digits, '+', '-' or '.' before ':'; one letter is a Windows drive.
  size_t i = 0;
  while (i < reference.size() && (std::isalnum(static_cast<unsigned char>(reference[i])) ||
                                  reference[i] == '+' || reference[i] == '-' || reference[i] == '.')) {
    ++i;
  }
  const bool has_scheme = i >= 2 && i < reference.size() && reference[i] == ':' &&
                          std::isalpha(static_cast<unsigned char>(reference[0]));
  if (has_scheme) return std::nullopt;
  return reference;
}

}  // namespace tunepack::format
