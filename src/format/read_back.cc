// Which format reads back the files a write-only format wrote (chat-template).
#include "tunepack/format/format.h"
#include "tunepack/io/line_reader.h"

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
    // A file that cannot be opened is left to the reader that follows, which reports it with
    // the others (validate goes on to the next file); a read that fails is an error here.
    Result<std::unique_ptr<io::LineReader>> lines = io::LineReader::Open(path);
    if (!lines.has_value()) continue;
    std::string_view line;
    TP_ASSIGN_OR_RETURN(const bool any, (*lines)->Next(line));
    if (!any || line.empty()) continue;
    return ReadBackFormatOfLine(written, line);
  }
  return FindFormat(written.read_as);
}

}  // namespace tunepack::format
