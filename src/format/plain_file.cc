#include "format/plain_file.h"

#include <algorithm>
#include <string>

#include "format/json_fields.h"

namespace tunepack::format::internal {

uint64_t LineCounter::LineAt(size_t offset) {
  offset = std::min(offset, text_.size());
  if (offset > counted_to_) {
    line_ += std::count(text_.begin() + counted_to_, text_.begin() + offset, '\n');
    counted_to_ = offset;
  }
  return line_;
}

Status ForEachPart(std::string_view file_text, std::string_view separator,
                   const std::function<Status(std::string_view part, uint64_t line)>& part) {
  if (file_text.empty()) return Status::Ok();
  LineCounter lines(file_text);
  size_t begin = 0;
  while (true) {
    size_t end = file_text.find(separator, begin);
    if (end == std::string_view::npos) end = file_text.size();
    const uint64_t line = lines.LineAt(begin);
    Status status = part(file_text.substr(begin, end - begin), line);
    if (!status.ok()) return status.WithContext("line " + std::to_string(line));
    if (end == file_text.size()) return Status::Ok();
    begin = end + separator.size();
  }
}

Status RefuseMarker(std::string_view text, std::string_view marker, std::string_view field,
                    std::string_view why) {
  if (text.find(marker) == std::string_view::npos) return Status::Ok();
  return FieldError(field, "contains " + std::string(marker) + "; " + std::string(why));
}

}  // namespace tunepack::format::internal
