#include "format/text_parts.h"

#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {

using simdjson::dom::element;

Status ReadTextParts(element value, const FieldPath& field, std::vector<std::string>& texts) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::array parts, AsArray(value, field));
  size_t index = 0;
  for (element part : parts) {
    const FieldPath part_field(field, index++);
    TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(part, part_field));
    for (auto [key, unused] : object) {
      if (key != "text") {
        return FieldError(part_field, "a \"" + std::string(key) +
                                          "\" part: tunepack reads text parts only here (media and tool "
                                          "parts of this format are not read yet), and dropping it would "
                                          "change the example");
      }
    }
    TP_ASSIGN_OR_RETURN(std::string_view text, RequireString(object, "text", FieldPath(part_field, "text")));
    texts.emplace_back(text);
  }
  return Status::Ok();
}

Status ReadSingleTextPart(element value, const FieldPath& field, std::string& text) {
  std::vector<std::string> texts;
  TP_RETURN_IF_ERROR(ReadTextParts(value, field, texts));
  if (texts.size() != 1) {
    return FieldError(field, "holds " + std::to_string(texts.size()) +
                                 " text parts; tunepack keeps one text per message, and joining "
                                 "them would erase the part boundaries (write one part per message)");
  }
  text = std::move(texts.front());
  return Status::Ok();
}

void AppendTextParts(const std::vector<std::string>& texts, std::string& out) {
  out.push_back('[');
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out.push_back(',');
    JsonObjectWriter part(out);
    part.String("text", texts[i]);
    part.Close();
  }
  out.push_back(']');
}

void AppendSingleTextPart(const std::string& text, std::string& out) {
  AppendTextParts({text}, out);
}

}  // namespace tunepack::format::internal
