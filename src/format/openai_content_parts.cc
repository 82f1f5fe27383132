#include "format/openai_content_parts.h"

#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

constexpr std::string_view kImage = "<image>";

// Refuses fields of a part beyond `allowed`: a part's other fields (an image's "detail")
// have no place in the one-string text, and would be lost.
Status OnlyFields(simdjson::dom::object object, const FieldPath& field,
                  std::initializer_list<std::string_view> allowed) {
  for (auto [key, value] : object) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      return FieldError(FieldPath(field, key),
                        "is not kept: tunepack keeps an image as its url only, so the record is "
                        "refused rather than changed");
    }
  }
  return Status::Ok();
}

Status ReadImagePart(simdjson::dom::object part, const FieldPath& field, std::string& content,
                     std::vector<std::string>& images) {
  TP_RETURN_IF_ERROR(OnlyFields(part, field, {"type", "image_url"}));
  const FieldPath image_field(field, "image_url");
  std::optional<element> image = FindField(part, "image_url");
  if (!image) return FieldError(image_field, "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::object image_object, AsObject(*image, image_field));
  TP_RETURN_IF_ERROR(OnlyFields(image_object, image_field, {"url"}));
  TP_ASSIGN_OR_RETURN(std::string_view url, RequireString(image_object, "url", FieldPath(image_field, "url")));
  content += kImage;
  images.emplace_back(url);
  return Status::Ok();
}

}  // namespace

Status ReadContentParts(simdjson::dom::array parts, const FieldPath& field, std::string& content,
                        std::vector<std::string>& images) {
  if (parts.size() == 0) return FieldError(field, "must not be an empty list of content parts");
  bool after_text = false;
  size_t index = 0;
  for (element value : parts) {
    const FieldPath part_field(field, index++);
    TP_ASSIGN_OR_RETURN(simdjson::dom::object part, AsObject(value, part_field));
    const FieldPath type_field(part_field, "type");
    TP_ASSIGN_OR_RETURN(std::string_view type, RequireString(part, "type", type_field));
    if (type == "image_url") {
      TP_RETURN_IF_ERROR(ReadImagePart(part, part_field, content, images));
      after_text = false;
      continue;
    }
    if (type != "text") {
      return FieldError(type_field, "content parts of type \"" + std::string(type) +
                                        "\" are not supported (text and image_url are)");
    }
    TP_RETURN_IF_ERROR(OnlyFields(part, part_field, {"type", "text"}));
    TP_ASSIGN_OR_RETURN(std::string_view text, RequireString(part, "text", FieldPath(part_field, "text")));
    if (text.empty()) return FieldError(part_field, "an empty text part would be lost; remove it first");
    if (after_text) {
      return FieldError(part_field,
                        "follows another text part: tunepack keeps a message's text as one string, "
                        "so the boundary between them would be lost; join them first");
    }
    if (HasImagePlaceholder(text)) {
      return FieldError(part_field, "holds \"<image>\" as text, which tunepack uses to mark where an "
                                    "image goes; the record is refused rather than misread");
    }
    content += text;
    after_text = true;
  }
  return Status::Ok();
}

bool HasImagePlaceholder(std::string_view content) { return content.find(kImage) != std::string_view::npos; }

void AppendContentParts(std::string_view content, ImageCursor& images, std::string& out) {
  out.push_back('[');
  bool first = true;
  auto begin_part = [&]() -> std::string& {
    if (!first) out.push_back(',');
    first = false;
    return out;
  };
  while (!content.empty()) {
    const size_t at = content.find(kImage);
    const std::string_view text = content.substr(0, at);
    if (!text.empty()) {
      JsonObjectWriter part(begin_part());
      part.String("type", "text");
      part.String("text", text);
      part.Close();
    }
    if (at == std::string_view::npos) break;
    JsonObjectWriter part(begin_part());
    part.String("type", "image_url");
    JsonObjectWriter image(part.Key("image_url"));
    image.String("url", images.next < images.urls.size() ? images.urls[images.next] : std::string());
    image.Close();
    part.Close();
    ++images.next;
    content.remove_prefix(at + kImage.size());
  }
  out.push_back(']');
}

}  // namespace tunepack::format::internal
