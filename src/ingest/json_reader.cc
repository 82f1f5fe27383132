// A JSON file holding an array of objects (or one object). The file is read whole, then a
// small structural scanner finds each element's extent and line without building a DOM,
// so a bad element becomes one error record instead of failing the file; each element is
// then minified and checked with simdjson.
#include <simdjson.h>

#include <string>

#include "ingest/record_readers.h"
#include "tunepack/core/utf8.h"

namespace tunepack::ingest::internal {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// ScanResult: where a JSON value ends, or why it has no end.
struct ScanResult {
  size_t end = 0;      // one past the value
  std::string error;   // non-empty: the value is malformed at `end`
};

// Finds the end of the value starting at text[pos] (not whitespace). Brackets are matched
// with an explicit stack, never recursion, so deep nesting cannot overflow the C++ stack.
ScanResult ScanValue(std::string_view text, size_t pos) {
  std::string stack;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      ++pos;
      while (pos < text.size() && text[pos] != '"') pos += text[pos] == '\\' ? 2 : 1;
      if (pos >= text.size()) return {text.size(), "unterminated string"};
      ++pos;
    } else if (c == '{' || c == '[') {
      stack.push_back(c == '{' ? '}' : ']');
      ++pos;
    } else if (c == '}' || c == ']') {
      if (stack.empty()) return {pos, "unexpected '" + std::string(1, c) + "'"};
      if (stack.back() != c) return {pos, "mismatched '" + std::string(1, c) + "'"};
      stack.pop_back();
      ++pos;
    } else if (stack.empty() && (c == ',' || IsJsonSpace(c))) {
      return {pos, {}};  // end of a scalar
    } else {
      ++pos;
    }
    if (stack.empty() && (c == '"' || c == '}' || c == ']')) return {pos, {}};
  }
  if (!stack.empty()) return {text.size(), "unexpected end of input"};
  return {pos, {}};
}

// Appends `value` to `out` without the whitespace outside strings.
void AppendMinified(std::string_view value, std::string& out) {
  bool in_string = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < value.size()) {
        out.push_back(value[++i]);
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (!IsJsonSpace(c)) {
      out.push_back(c);
    }
  }
}

class JsonReader : public RecordReader {
 public:
  JsonReader(std::unique_ptr<ByteSource> source, const RecordReaderOptions& options)
      : source_(std::move(source)), options_(options) {}

  Result<bool> Next(RecordBatch& batch, size_t target_bytes) override {
    batch.buffer.clear();
    batch.records.clear();
    if (!loaded_) TP_RETURN_IF_ERROR(Load());
    while (!done_ && (batch.buffer.size() < target_bytes || batch.records.empty())) {
      TP_RETURN_IF_ERROR(Step(batch));
    }
    PadBatch(batch);
    return !batch.records.empty();
  }

 private:
  Status Load() {
    loaded_ = true;
    std::string chunk(kReadChunkBytes, '\0');
    while (true) {
      TP_ASSIGN_OR_RETURN(size_t got, source_->Read(chunk.data(), chunk.size()));
      if (got == 0) break;
      text_.append(chunk.data(), got);
    }
    if (std::string_view(text_).substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 BOM
    SkipSpace();
    if (pos_ == text_.size()) {
      done_ = true;  // an empty file holds no records
      return Status::Ok();
    }
    if (text_[pos_] == '[') {
      in_array_ = true;
      Advance(pos_ + 1);
      return Status::Ok();
    }
    if (text_[pos_] == '{') return Status::Ok();
    const TextPosition at = PositionOf(text_, pos_);
    return InvalidArgumentError("JSON input must be an array of objects or one object (line " +
                                std::to_string(at.line) + ", column " +
                                std::to_string(at.column) + ")");
  }

  // Emits the next element (or error) into `batch`, or finishes.
  Status Step(RecordBatch& batch) {
    SkipSpace();
    if (in_array_ && pos_ < text_.size() && text_[pos_] == ']') {
      Advance(pos_ + 1);
      return Finish(batch);
    }
    if (pos_ >= text_.size()) {
      Error(batch, in_array_ ? "unterminated JSON array" : "unexpected end of input", pos_);
      done_ = true;
      return Status::Ok();
    }
    const size_t begin = pos_;
    const uint64_t line = line_;
    const uint64_t column = column_;
    ScanResult scan = ScanValue(text_, pos_);
    if (!scan.error.empty()) {
      Error(batch, scan.error, scan.end);
      done_ = true;  // no reliable way to find the next element
      return Status::Ok();
    }
    Emit(batch, std::string_view(text_).substr(begin, scan.end - begin), line, column);
    Advance(scan.end);
    if (!in_array_) return Finish(batch);
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ',') {
      Advance(pos_ + 1);
    } else if (pos_ < text_.size() && text_[pos_] != ']') {
      Error(batch, "expected ',' or ']' after an array element", pos_);
      done_ = true;
    }
    return Status::Ok();
  }

  // Checks that only whitespace follows the top-level value.
  Status Finish(RecordBatch& batch) {
    SkipSpace();
    if (pos_ < text_.size()) Error(batch, "unexpected content after the JSON value", pos_);
    done_ = true;
    return Status::Ok();
  }

  void Emit(RecordBatch& batch, std::string_view element, uint64_t line, uint64_t column) {
    if (element.size() > options_.max_record_bytes) {
      batch.records.push_back(
          {batch.buffer.size(), 0, line, OversizeMessage(options_.max_record_bytes), 0, true});
      return;
    }
    const size_t begin = batch.buffer.size();
    AppendMinified(element, batch.buffer);
    const size_t size = batch.buffer.size() - begin;
    simdjson::dom::element parsed;
    const simdjson::error_code code =
        parser_.parse(batch.buffer.data() + begin, size, /*realloc_if_needed=*/true).get(parsed);
    std::string problem;
    if (code != simdjson::SUCCESS) {
      problem = std::string("invalid JSON: ") + simdjson::error_message(code);
    } else if (parsed.type() != simdjson::dom::element_type::OBJECT) {
      problem = "record is not a JSON object";
    }
    if (!problem.empty()) {
      batch.buffer.resize(begin);
      batch.records.push_back({begin, 0, line, std::move(problem), column});
      return;
    }
    batch.records.push_back({begin, size, line, {}, 0});
  }

  void Error(RecordBatch& batch, std::string message, size_t offset) {
    Advance(std::min(offset, text_.size()));
    batch.records.push_back({batch.buffer.size(), 0, line_, std::move(message), column_});
  }

  void SkipSpace() {
    size_t end = pos_;
    while (end < text_.size() && IsJsonSpace(text_[end])) ++end;
    Advance(end);
  }

  // Moves to `end`, counting lines and columns (code points) on the way, so positions cost
  // nothing extra however many elements are reported.
  void Advance(size_t end) {
    for (size_t i = pos_; i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(text_[i]);
      if (c == '\n') {
        ++line_;
        column_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++column_;
      }
    }
    pos_ = std::max(pos_, end);
  }

  std::unique_ptr<ByteSource> source_;
  RecordReaderOptions options_;
  simdjson::dom::parser parser_;
  std::string text_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  uint64_t column_ = 1;
  bool loaded_ = false;
  bool in_array_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RecordReader> OpenJsonReader(std::unique_ptr<ByteSource> source,
                                             const RecordReaderOptions& options) {
  return std::make_unique<JsonReader>(std::move(source), options);
}

}  // namespace tunepack::ingest::internal
