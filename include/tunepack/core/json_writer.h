// Minimal, fast JSON output: tunepack writes minified UTF-8 JSON with non-ASCII kept as is
// (like Python's json.dumps(ensure_ascii=False, separators=(",", ":"))), which is what the
// fine-tuning services and Hugging Face datasets read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tunepack {

// Appends `text` as a quoted JSON string. `text` must be valid UTF-8. Escapes '"', '\\' and
// control characters below U+0020 (\n \t \r \b \f short forms, \u00XX otherwise) and nothing
// else.
void AppendJsonString(std::string& out, std::string_view text);

// Returns `text` as a quoted JSON string.
std::string JsonQuote(std::string_view text);

// JsonObjectWriter: appends `{"key":value,...}` field by field to a string.
//
// Example:
//   std::string out;
//   JsonObjectWriter obj(out);
//   obj.String("text", "hello");
//   obj.Raw("meta", R"({"a":1})");
//   obj.Close();                      // out == R"({"text":"hello","meta":{"a":1}})"
class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }

  // Appends a string-valued field.
  void String(std::string_view key, std::string_view value);
  // Appends a field whose value is already JSON text (an object, array, number...).
  void Raw(std::string_view key, std::string_view json);
  void Int(std::string_view key, int64_t value);
  void Bool(std::string_view key, bool value);
  // Appends the key and ':' and returns the buffer, for a nested value the caller writes.
  std::string& Key(std::string_view key);
  // Appends '}'.
  void Close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace tunepack
