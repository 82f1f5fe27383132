// Which format reads back the files a write-only format wrote (chat-template).
#include <fstream>

#include "tunepack/format/format.h"

namespace tunepack::format {

Result<const Format*> ReadBackFormatOfLine(const Format& written, std::string_view first_line) {
  if (written.read_as.empty()) return &written;
  // chat-template writes preference examples as {"prompt","chosen","rejected"} strings (or
  // {"prompt","completion","label"}): the shapes of TRL's standard preference formats,
  // which read them back. Its conversations are {"text", ...}, read as read_as: a line that
  // starts so is one (no preference format has a "text" field), decided without a parse,
  // as the export's statistics ask for every record it writes.
  if (first_line.starts_with("{\"text\":")) return FindFormat(written.read_as);
  simdjson::dom::parser parser;
  simdjson::dom::element record;
  if (parser.parse(std::string(first_line)).get(record) == simdjson::SUCCESS) {
    const Format* detected = DetectFormat(BuiltinFormats(), record);
    if (detected != nullptr && detected->preference) return detected;
  }
  return FindFormat(written.read_as);
}

Result<const Format*> ReadBackFormat(const Format& written, const std::vector<std::string>& files) {
  if (written.read_as.empty()) return &written;
  // The first record of the first file that has one decides.
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    if (!std::getline(in, line) || line.empty()) continue;
    return ReadBackFormatOfLine(written, line);
  }
  return FindFormat(written.read_as);
}

}  // namespace tunepack::format
