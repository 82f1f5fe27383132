// markdown: a .md file of documents or chunks, each written as a front-matter-like header
// of its metadata followed by its Markdown text (headings, lists, code fences kept as
// ingest produced them), records separated by an HTML comment line that renders as nothing:
//
//   ---
//   source: "docs/guide.md"
//   title: "Install"
//   ---
//
//   # Install
//   ...
//
//   <!-- tunepack record -->
//
//   ---
//   ...
//
// Header values are JSON (a subset of YAML flow syntax), one per line: minified JSON has no
// raw newline, so a header line cannot be confused with anything else. The header is always
// written, even when empty, so that a record whose text starts with "---" reads back as
// text. Text containing the separator comment is refused (it would cut the record in two).
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "format/plain_file.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

constexpr std::string_view kMarker = "<!-- tunepack record -->";
constexpr std::string_view kSeparator = "\n\n<!-- tunepack record -->\n\n";
constexpr std::string_view kFence = "---\n";

// A key is written bare when YAML would read it back unchanged, otherwise JSON-quoted.
bool IsBareKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Parses one header line, `key: <JSON>`, into `metadata`.
Status ParseHeaderLine(std::string_view line, Metadata& metadata) {
  std::string key;
  size_t colon;
  if (!line.empty() && line.front() == '"') {
    // A quoted key: find its closing quote, skipping escaped characters.
    size_t end = 1;
    while (end < line.size() && line[end] != '"') end += line[end] == '\\' ? 2 : 1;
    if (end >= line.size()) return FieldError("metadata header", "unterminated quoted key");
    thread_local simdjson::dom::parser parser;
    const std::string_view quoted = line.substr(0, end + 1);
    std::string_view unquoted;
    if (parser.parse(quoted.data(), quoted.size()).get_string().get(unquoted) != simdjson::SUCCESS) {
      return FieldError("metadata header", "bad quoted key " + std::string(quoted));
    }
    key = unquoted;
    colon = end + 1;
  } else {
    colon = line.find(':');
    if (colon == std::string_view::npos) {
      return FieldError("metadata header", "expected 'key: value', got '" + std::string(line) + "'");
    }
    key = line.substr(0, colon);
  }
  if (line.substr(colon, 2) != ": ") {
    return FieldError("metadata header", "expected ': ' after the key in '" + std::string(line) + "'");
  }
  TP_ASSIGN_OR_RETURN(std::string value,
                      MinifyJsonText(line.substr(colon + 2), "metadata header '" + key + "'"));
  metadata.SetJson(key, std::move(value));
  return Status::Ok();
}

Status ParseRecord(std::string_view part, Example& example) {
  example.kind = ExampleKind::kText;
  if (part.substr(0, kFence.size()) != kFence) {
    // No header: a Markdown file not written by tunepack; all of it is text.
    example.text = part;
    return Status::Ok();
  }
  size_t pos = kFence.size();
  while (true) {
    if (pos >= part.size()) return FieldError("metadata header", "no closing '---'");
    size_t end = part.find('\n', pos);
    if (end == std::string_view::npos) end = part.size();
    const std::string_view line = part.substr(pos, end - pos);
    pos = std::min(end + 1, part.size());
    if (line == "---") break;
    TP_RETURN_IF_ERROR(ParseHeaderLine(line, example.metadata));
  }
  if (pos < part.size() && part[pos] == '\n') ++pos;  // the blank line after the header
  example.text = part.substr(pos);
  return Status::Ok();
}

Status Split(std::string_view file_text,
             const std::function<void(Example&&, uint64_t line)>& emit) {
  return ForEachPart(file_text, kSeparator, [&](std::string_view part, uint64_t line) {
    Example example;
    TP_RETURN_IF_ERROR(ParseRecord(part, example));
    emit(std::move(example), line);
    return Status::Ok();
  });
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireText(example, "markdown",
                                 "chatml to keep the turns as marked-up text, or a chat "
                                 "format such as openai or sharegpt"));
  TP_RETURN_IF_ERROR(RefuseMarker(example.text, kMarker, "text",
                                  "markdown files use it to separate records"));
  std::string record(kFence);
  for (const MetadataEntry& entry : example.metadata.entries()) {
    if (IsBareKey(entry.key)) {
      record += entry.key;
    } else {
      AppendJsonString(record, entry.key);
    }
    record += ": ";
    if (entry.json.find('\n') == std::string::npos) {
      record += entry.json;
    } else {
      // Metadata should hold minified JSON, but one header line per key depends on it.
      TP_ASSIGN_OR_RETURN(std::string minified,
                          MinifyJsonText(entry.json, "metadata '" + entry.key + "'"));
      record += minified;
    }
    record += '\n';
  }
  record += kFence;
  record += '\n';
  out += record;
  out += example.text;
  return Status::Ok();
}

}  // namespace

Format MarkdownFormat() {
  Format format;
  format.name = "markdown";
  format.description =
      "Markdown file: each record a metadata header and its text, separated by a comment line";
  format.extension = ".md";
  format.separator = std::string(kSeparator);
  format.split = Split;
  format.write = Write;
  return format;
}

}  // namespace tunepack::format::internal
