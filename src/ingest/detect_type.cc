// Input type detection: extension first, confirmed by sniffing the first bytes. Hand-written
// rather than libmagic: the questions are few (binary or text; JSON, JSON Lines, HTML or
// plain), libmagic answers "text/plain" for JSONL and Markdown alike, and loading its
// database for every file costs more than the whole sniff.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "ingest/wide_unicode.h"
#include "tunepack/core/json_syntax.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/ingest/record_reader.h"

namespace tunepack::ingest {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ExtensionOf(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return Lower(name.substr(dot));
}

// Returns the reader or container registered for `extension`, with its kind; kind is
// kBinary when nothing claims the extension.
InputType TypeForExtension(const std::string& extension) {
  if (extension.empty()) return {InputKind::kBinary, {}, {}};
  for (const DocumentReader& reader : BuiltinDocumentReaders().entries()) {
    for (const std::string& ext : reader.extensions) {
      if (ext == extension) return {InputKind::kDocument, reader.name, {}};
    }
  }
  for (const RecordContainer& container : BuiltinRecordContainers().entries()) {
    for (const std::string& ext : container.extensions) {
      if (ext == extension) return {InputKind::kRecords, container.name, {}};
    }
  }
  return {InputKind::kBinary, {}, {}};
}

// Sniff: what the content says, and whether that is strong enough to overrule an extension.
struct Sniff {
  InputType type;
  bool strong = false;
};

// Returns a short name for well-known binary formats, or empty.
std::string_view BinaryFormatName(std::string_view head) {
  struct Magic {
    std::string_view bytes;
    std::string_view name;
  };
  static constexpr Magic kMagics[] = {
      {"%PDF-", "PDF"},           {"PK\x03\x04", "ZIP (other than DOCX, EPUB, ODT, PPTX)"},
      {"\x1F\x8B", "gzip"},        {"\x28\xB5\x2F\xFD", "zstd"},
      {"\x89PNG", "PNG"},          {"\xFF\xD8\xFF", "JPEG"},
      {"GIF8", "GIF"},             {"\x7F" "ELF", "ELF executable"},
      {"BZh", "bzip2"},
      {"\xFD" "7zXZ", "xz"},
  };
  for (const Magic& magic : kMagics) {
    if (head.substr(0, magic.bytes.size()) == magic.bytes) return magic.name;
  }
  return {};
}

// Returns the ASCII projection of UTF-16 text, good enough to sniff: ASCII characters as
// they are, any other as 'x' (its low byte could read as a quote or a bracket).
std::string AsciiOfUtf16(std::string_view head) {
  size_t start = 0;
  if (head.size() >= 2 && (head[0] == '\xFF' || head[0] == '\xFE')) start = 2;
  size_t even_nul = 0;
  for (size_t i = start; i + 1 < head.size(); i += 2) even_nul += head[i] == '\0';
  const bool big_endian = (head.size() >= 2 && head[0] == '\xFE') ||
                          (start == 0 && even_nul * 2 > head.size() / 2);
  std::string out;
  for (size_t i = start; i + 1 < head.size(); i += 2) {
    const unsigned char low = static_cast<unsigned char>(head[big_endian ? i + 1 : i]);
    const unsigned char high = static_cast<unsigned char>(head[big_endian ? i : i + 1]);
    out.push_back(high == 0 && low < 0x80 ? static_cast<char>(low) : 'x');
  }
  return out;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view TrimLine(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

// Returns true when the text after an opening '[' or '{' at `text[0]` continues like JSON:
// a string, a nested value, a number, a literal or the closing bracket. "[link](url)" and
// "{{ template }}" do not.
bool ContinuesLikeJson(std::string_view text) {
  size_t pos = 1;
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  if (pos >= text.size()) return true;
  const char c = text[pos];
  if (text[0] == '{') return c == '"' || c == '}';
  if (c == '"' || c == '{' || c == '[' || c == ']' || c == '-' ||
      std::isdigit(static_cast<unsigned char>(c))) {
    return true;
  }
  const std::string_view rest = text.substr(pos);
  return rest.substr(0, 4) == "true" || rest.substr(0, 5) == "false" || rest.substr(0, 4) == "null";
}

// Returns true when `text` is JSON, or could be the start of JSON cut off at the end of the
// head (`whole`: the head is the whole file, so nothing was cut). Markdown that opens with
// "[1, 2, 3] is ..." starts like JSON but is not: the value closes and prose follows.
bool IsJsonOrItsStart(std::string_view text, bool whole) {
  const JsonSyntaxError error = FindJsonSyntaxError(text);
  if (error.offset == std::string_view::npos) return true;
  if (whole || error.expected == "end of input") return false;
  // A head cut inside a literal, number or escape fails a few bytes before its end.
  constexpr size_t kLongestCutToken = 6;  // "\u12" + slack, "fals"
  return error.offset + kLongestCutToken >= text.size();
}

Sniff SniffText(std::string_view text, bool whole) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  const std::string_view body = text.substr(start);
  if (body.empty()) return {{InputKind::kDocument, "text", {}}, false};

  if (body[0] == '[' && ContinuesLikeJson(body) && IsJsonOrItsStart(body, whole)) {
    return {{InputKind::kRecords, "json", {}}, true};
  }
  if (body[0] == '{' && ContinuesLikeJson(body)) {
    // JSON Lines when the first two non-blank lines each hold a whole object; one object
    // spread over lines (or alone on its line) is JSON.
    int object_lines = 0;
    size_t pos = 0;
    while (pos < body.size() && object_lines < 2) {
      size_t end = body.find('\n', pos);
      const bool complete = end != std::string_view::npos;
      if (!complete) end = body.size();
      const std::string_view line = TrimLine(body.substr(pos, end - pos));
      pos = end + 1;
      if (line.empty()) continue;
      // The last line of a 64 KiB head may be cut off; only its opening brace is required.
      if (line.front() != '{' || !ContinuesLikeJson(line) || (complete && line.back() != '}')) {
        break;
      }
      ++object_lines;
    }
    if (object_lines >= 2) return {{InputKind::kRecords, "jsonl", {}}, true};
    if (IsJsonOrItsStart(body, whole)) {
      if (object_lines == 1 && body.find('\n') == std::string_view::npos) {
        return {{InputKind::kRecords, "json", {}}, false};  // jsonl and json both fit
      }
      return {{InputKind::kRecords, "json", {}}, body.find('\n') != std::string_view::npos &&
                                                     object_lines == 0};
    }
  }
  if (StartsWithNoCase(body, "<!doctype html") || StartsWithNoCase(body, "<html") ||
      StartsWithNoCase(body, "<head") || StartsWithNoCase(body, "<body") ||
      (StartsWithNoCase(body, "<?xml") &&
       Lower(body.substr(0, 1024)).find("<html") != std::string::npos)) {
    return {{InputKind::kDocument, "html", {}}, true};
  }
  // Markdown is only a guess from the content: an ATX heading, a fence or front matter.
  if (body[0] == '#' || body.substr(0, 3) == "```" || body.substr(0, 4) == "---\n" ||
      text.find("\n# ") != std::string_view::npos || text.find("\n## ") != std::string_view::npos ||
      text.find("\n```") != std::string_view::npos) {
    return {{InputKind::kDocument, "markdown", {}}, false};
  }
  return {{InputKind::kDocument, "text", {}}, false};
}

// Returns true when most non-blank lines of `head` are single JSON objects ("{...}"; the
// last line may be cut off): JSON Lines, whose lines are judged one by one, so a NUL byte
// in one of them makes that record malformed rather than the whole file binary.
bool LooksLikeJsonLines(std::string_view head) {
  size_t lines = 0, objects = 0, pos = 0;
  while (pos < head.size()) {
    size_t end = head.find('\n', pos);
    const bool complete = end != std::string_view::npos;
    if (!complete) end = head.size();
    const std::string_view line = TrimLine(head.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || (!complete && lines > 0)) continue;
    ++lines;
    objects += line.front() == '{' && ContinuesLikeJson(line) && line.back() == '}';
  }
  return lines >= 2 && objects * 10 >= lines * 9;
}

uint32_t LittleEndian(std::string_view bytes, size_t pos, size_t width) {
  uint32_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[pos + i])) << (8 * i);
  return value;
}

// Returns the package reader (DOCX, EPUB...) a ZIP file belongs to, judged by the members
// whose local headers lie in `head` (a stored `mimetype` member's content, or a member a
// reader names), or nullptr. The central directory is at the end of the file, out of
// reach of the head, but packages put their telling members first in practice; when
// they do not, the extension decides and the reader checks.
const DocumentReader* PackageReaderFor(std::string_view head) {
  std::vector<std::string_view> names;
  std::string_view mimetype;
  size_t pos = 0;
  while (pos + 30 <= head.size() && head.substr(pos, 4) == "PK\x03\x04") {
    const uint32_t flags = LittleEndian(head, pos + 6, 2);
    const uint32_t method = LittleEndian(head, pos + 8, 2);
    const uint32_t compressed = LittleEndian(head, pos + 18, 4);
    const uint32_t name_length = LittleEndian(head, pos + 26, 2);
    const uint32_t extra_length = LittleEndian(head, pos + 28, 2);
    if (pos + 30 + name_length > head.size()) break;
    const std::string_view name = head.substr(pos + 30, name_length);
    names.push_back(name);
    const size_t data = pos + 30 + name_length + extra_length;
    if (name == "mimetype" && method == 0 && data < head.size()) {
      mimetype = head.substr(data, std::min<size_t>(compressed, 100));
      while (!mimetype.empty() && (mimetype.back() == '\n' || mimetype.back() == '\r' || mimetype.back() == ' ')) {
        mimetype.remove_suffix(1);
      }
    }
    if ((flags & 8) != 0 && compressed == 0) {
      // The size is in a descriptor after the data (LibreOffice writes these): look for the
      // next local header instead. A false match in compressed data only adds a name.
      pos = head.find("PK\x03\x04", data);
      if (pos == std::string_view::npos) break;
      continue;
    }
    pos = data + compressed;
  }
  for (const DocumentReader& reader : BuiltinDocumentReaders().entries()) {
    if (!reader.reads_bytes) continue;
    if (!mimetype.empty() && mimetype == reader.package_mimetype) return &reader;
  }
  for (const DocumentReader& reader : BuiltinDocumentReaders().entries()) {
    if (!reader.reads_bytes) continue;
    for (const std::string& member : reader.package_members) {
      if (std::find(names.begin(), names.end(), member) != names.end()) return &reader;
    }
  }
  return nullptr;
}

Sniff SniffContent(std::string_view head) {
  if (head.empty()) return {{InputKind::kDocument, "text", {}}, false};
  if (head.substr(0, 4) == "PK\x03\x04") {
    if (const DocumentReader* reader = PackageReaderFor(head)) {
      return {{InputKind::kDocument, reader->name, {}}, true};
    }
  }
  const bool whole = head.size() < kSniffHeadBytes;
  // Binary record containers (Parquet) announce themselves by their first bytes.
  if (const RecordContainer* binary = FindBinaryContainer(head)) {
    return {{InputKind::kRecords, binary->name, {}}, true};
  }
  if (internal::LooksLikeWideUnicode(head)) {
    Sniff sniff = SniffText(AsciiOfUtf16(head), whole);
    return sniff;
  }
  // Binary document formats a reader knows by content (PDF's "%PDF-").
  for (const DocumentReader& reader : BuiltinDocumentReaders().entries()) {
    if (reader.sniff && reader.sniff(head)) {
      return {{InputKind::kDocument, reader.name, {}}, true};
    }
  }
  const std::string_view magic = BinaryFormatName(head);
  if (!magic.empty()) {
    return {{InputKind::kBinary, {}, std::string(magic) + " files are not supported"}, true};
  }
  size_t controls = 0;
  for (char ch : head) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == 0) {
      if (LooksLikeJsonLines(head)) return {{InputKind::kRecords, "jsonl", {}}, true};
      return {{InputKind::kBinary, {}, "binary content (NUL bytes)"}, true};
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) ++controls;
  }
  if (controls * 10 > head.size()) {
    return {{InputKind::kBinary, {}, "binary content (control characters)"}, true};
  }
  return SniffText(head, whole);
}

}  // namespace

InputType DetectInputType(std::string_view path, std::string_view head) {
  const std::string extension = ExtensionOf(path);
  InputType by_extension = TypeForExtension(extension);
  Sniff sniff = SniffContent(head);
  if (by_extension.kind == InputKind::kBinary) return sniff.type;  // unknown extension
  // A package whose telling members are not at its start: the extension decides, and the
  // reader checks the package.
  const DocumentReader* extension_reader =
      by_extension.kind == InputKind::kDocument ? BuiltinDocumentReaders().Find(by_extension.reader) : nullptr;
  if (extension_reader != nullptr && extension_reader->reads_bytes && head.substr(0, 4) == "PK\x03\x04" &&
      sniff.type.kind == InputKind::kBinary) {
    return by_extension;
  }
  if (sniff.type.kind == InputKind::kBinary) {
    sniff.type.warning = "'" + extension + "' file has " + sniff.type.warning;
    return sniff.type;
  }
  if (!sniff.strong || sniff.type.reader == by_extension.reader) return by_extension;
  InputType type = sniff.type;
  type.warning = "'" + extension + "' file looks like " + type.reader + "; reading it as " +
                 type.reader;
  return type;
}

}  // namespace tunepack::ingest
