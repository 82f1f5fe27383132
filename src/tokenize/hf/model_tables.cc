#include "tokenize/hf/model_tables.h"

namespace tunepack::tokenize::hf {
namespace {

// Reads the object the reader is at, calling on_field(key) with the reader at each value;
// on_field reads the value (or skips it) and returns whether it could.
template <typename OnField>
bool ForEachField(JsonTextReader& reader, OnField&& on_field) {
  if (!reader.Consume('{')) return false;
  if (reader.Consume('}')) return true;
  std::string scratch;
  do {
    std::string_view key;
    if (!reader.ReadString(&scratch, &key) || !reader.Consume(':') || !on_field(key)) return false;
  } while (reader.Consume(','));
  return reader.Consume('}');
}

// Records in *span the text of the value the reader is at, which must start with `open`.
// False when it does not, or when *span was already recorded (a key given twice).
bool TakeValue(JsonTextReader& reader, char open, std::string_view* span) {
  if (!span->empty() || reader.Peek() != open) return false;
  const char* begin = reader.position();
  if (!reader.SkipValue()) return false;
  *span = std::string_view(begin, reader.position() - begin);
  return true;
}

// Returns the last ']' of `all` when nothing but "}}" and whitespace follows it, else
// nullptr. Files written by Hugging Face tokenizers end with the merges: the model's last
// key, the document's last one.
const char* LastArrayCloseBeforeTwoBraces(std::string_view all) {
  size_t at = all.size();
  for (const char expected : {'}', '}', ']'}) {
    while (at > 0 && (all[at - 1] == ' ' || all[at - 1] == '\n' || all[at - 1] == '\r' || all[at - 1] == '\t')) --at;
    if (at == 0 || all[at - 1] != expected) return nullptr;
    --at;
  }
  return all.data() + at;
}

}  // namespace

std::optional<SplitDocument> SplitModelTables(const simdjson::padded_string& json) {
  const std::string_view all(json.data(), json.size());
  JsonTextReader reader(all);
  std::string_view vocab, merges;
  bool seen_model = false;
  const bool located = ForEachField(reader, [&](std::string_view key) {
    if (key != "model") return reader.SkipValue();
    if (seen_model) return false;
    seen_model = true;
    return ForEachField(reader, [&](std::string_view model_key) {
      if (model_key == "vocab") return TakeValue(reader, '{', &vocab);
      if (model_key == "merges") {
        // When the file can end with this array, it is taken to (its 26 MB in Gemma 3 are not
        // skipped here only to be read again): MergeReader, which reads it to the end, refuses
        // text after its closing bracket, and the load then falls back to the DOM.
        const char* close = LastArrayCloseBeforeTwoBraces(all);
        if (close == nullptr || !merges.empty() || reader.Peek() != '[' || close < reader.position()) {
          return TakeValue(reader, '[', &merges);
        }
        merges = std::string_view(reader.position(), close + 1 - reader.position());
        reader.SkipTo(close + 1);
        return true;
      }
      return reader.SkipValue();
    });
  });
  if (!located || reader.Peek() != '\0' || vocab.empty() || merges.empty()) return std::nullopt;
  // The rest is checked by the DOM that reads it; the vocab's strings are read here, and a
  // DOM would refuse bytes that are not UTF-8 (the merges: see model_tables.h).
  if (!simdjson::validate_utf8(vocab.data(), vocab.size())) return std::nullopt;
  // The rest of the document, byte for byte, with the two values emptied.
  const bool vocab_first = vocab.data() < merges.data();
  const std::string_view first = vocab_first ? vocab : merges;
  const std::string_view second = vocab_first ? merges : vocab;
  const size_t first_at = first.data() - all.data();
  const size_t first_end = first_at + first.size();
  const size_t second_at = second.data() - all.data();
  const size_t second_end = second_at + second.size();
  std::string rest;
  rest.reserve(all.size() - first.size() - second.size() + 4);
  rest.append(all.substr(0, first_at)).append(vocab_first ? "{}" : "[]");
  rest.append(all.substr(first_end, second_at - first_end)).append(vocab_first ? "[]" : "{}");
  rest.append(all.substr(second_end));
  return SplitDocument{simdjson::padded_string(rest), {vocab, merges}};
}

bool SplitMergeString(std::string_view text, std::string_view* left, std::string_view* right) {
  const size_t space = text.find(' ', 1);
  if (space == std::string_view::npos) return false;
  *left = text.substr(0, space);
  *right = text.substr(space + 1);
  return true;
}

Result<bool> MergeReader::End() {
  if (reader_.Peek() != '\0') return InvalidArgumentError("merges: not valid JSON");
  return false;
}

Result<bool> MergeReader::Next(std::string_view* left, std::string_view* right) {
  if (!started_) {
    started_ = true;
    if (!reader_.Consume('[')) return InvalidArgumentError("merges: not an array");
    if (reader_.Consume(']')) return End();
  } else if (!reader_.Consume(',')) {
    if (reader_.Consume(']')) return End();
    return InvalidArgumentError("merges: not valid JSON");
  }
  bool read;
  if (reader_.Peek() == '"') {
    std::string_view text;
    read = reader_.ReadString(&scratch_[0], &text) && SplitMergeString(text, left, right);
  } else {
    read = reader_.Consume('[') && reader_.ReadString(&scratch_[0], left) && reader_.Consume(',') &&
           reader_.ReadString(&scratch_[1], right) && reader_.Consume(']');
  }
  if (!read) return InvalidArgumentError("merges: an entry is not a pair of strings");
  return true;
}

}  // namespace tunepack::tokenize::hf
