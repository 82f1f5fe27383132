// OpenAI content parts ([{"type":"text","text"},{"type":"image_url","image_url":{"url"}}]) read
// into tunepack's one-string message text with `<image>` placeholders and the record's list of
// image references (format/media.h), and written back from them. The two are inverse for the
// parts tunepack accepts: text parts never empty nor adjacent (their boundary would be lost),
// image parts holding a url only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "format/json_fields.h"
#include "tunepack/core/result.h"

namespace tunepack::format::internal {

// Reads the content parts at `field` into `content` (text, with "<image>" for each image part)
// and appends each image's url to `images`.
Status ReadContentParts(simdjson::dom::array parts, const FieldPath& field, std::string& content,
                        std::vector<std::string>& images);

// ImageCursor: the record's image references, consumed in order as messages are written.
struct ImageCursor {
  const std::vector<std::string>& urls;
  size_t next = 0;
};

// Returns true when `content` holds an "<image>" placeholder (it is then written as parts).
bool HasImagePlaceholder(std::string_view content);

// Appends `content` as a JSON array of content parts, taking the next url of `images` for each
// "<image>". The caller has checked that `images` has one url per placeholder.
void AppendContentParts(std::string_view content, ImageCursor& images, std::string& out);

}  // namespace tunepack::format::internal
