#include "tokenize/hf/model_tables.h"

#include <string>

namespace tunepack::tokenize::hf {

using simdjson::SUCCESS;
namespace ondemand = simdjson::ondemand;

std::unique_ptr<TableDocument> TableDocument::Iterate(const simdjson::padded_string& json) {
  std::unique_ptr<TableDocument> document(new TableDocument());
  if (document->parser_.iterate(json).get(document->document_) != SUCCESS) return nullptr;
  return document;
}

bool TableDocument::Locate(std::string_view* vocab, std::string_view* merges) {
  ondemand::object root;
  if (document_.get_object().get(root) != SUCCESS) return false;
  bool seen_model = false;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key) != SUCCESS) return false;
    if (key != "model") continue;  // the value is skipped as the loop moves on
    ondemand::object model;
    if (seen_model || field.value().get_object().get(model) != SUCCESS) return false;
    seen_model = true;
    for (auto model_field : model) {
      if (model_field.unescaped_key().get(key) != SUCCESS) return false;
      if (key == "vocab") {
        ondemand::object object;
        if (!vocab->empty() || model_field.value().get_object().get(object) != SUCCESS ||
            object.raw_json().get(*vocab) != SUCCESS) {
          return false;
        }
      } else if (key == "merges") {
        ondemand::array array;
        if (!merges->empty() || model_field.value().get_array().get(array) != SUCCESS ||
            array.raw_json().get(*merges) != SUCCESS) {
          return false;
        }
      }
    }
  }
  return !vocab->empty() && !merges->empty();
}

simdjson::simdjson_result<ondemand::value> TableDocument::Seek(std::string_view key) {
  document_.rewind();
  ondemand::object root;
  if (document_.get_object().get(root) != SUCCESS) return simdjson::INCORRECT_TYPE;
  for (auto field : root) {
    std::string_view name;
    if (field.unescaped_key().get(name) != SUCCESS) return simdjson::TAPE_ERROR;
    if (name != "model") continue;
    ondemand::object model;
    if (field.value().get_object().get(model) != SUCCESS) return simdjson::INCORRECT_TYPE;
    for (auto model_field : model) {
      if (model_field.unescaped_key().get(name) != SUCCESS) return simdjson::TAPE_ERROR;
      if (name == key) return model_field.value();
    }
    break;
  }
  return simdjson::NO_SUCH_FIELD;
}

std::optional<SplitDocument> SplitModelTables(const simdjson::padded_string& json) {
  std::unique_ptr<TableDocument> document = TableDocument::Iterate(json);
  std::string_view vocab, merges;
  if (document == nullptr || !document->Locate(&vocab, &merges)) return std::nullopt;
  // The rest of the document, byte for byte, with the two values emptied.
  const std::string_view all(json.data(), json.size());
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
  TableDocument* iterated = document.get();
  return SplitDocument{simdjson::padded_string(rest), std::move(document), {vocab, merges, iterated}};
}

bool SplitMergeString(std::string_view text, std::string_view* left, std::string_view* right) {
  const size_t space = text.find(' ', 1);
  if (space == std::string_view::npos) return false;
  *left = text.substr(0, space);
  *right = text.substr(space + 1);
  return true;
}

Result<std::unique_ptr<MergeReader>> MergeReader::Open(const ModelTables& tables) {
  std::unique_ptr<MergeReader> reader(new MergeReader());
  if (tables.document->Seek("merges").get_array().get(reader->array_) != SUCCESS ||
      reader->array_.count_elements().get(reader->count_) != SUCCESS ||
      reader->array_.begin().get(reader->next_) != SUCCESS) {
    return InvalidArgumentError("merges: not an array");
  }
  return reader;
}

Status MergeReader::Next(std::string_view* left, std::string_view* right) {
  ondemand::value entry;
  if ((*next_).get(entry) != SUCCESS) return InvalidArgumentError("merges: not valid JSON");
  ondemand::json_type type;
  if (entry.type().get(type) != SUCCESS) return InvalidArgumentError("merges: not valid JSON");
  bool read = false;
  if (type == ondemand::json_type::string) {
    std::string_view text;
    read = entry.get_string().get(text) == SUCCESS && SplitMergeString(text, left, right);
  } else if (type == ondemand::json_type::array) {
    ondemand::array pair;
    size_t index = 0;
    read = entry.get_array().get(pair) == SUCCESS;
    for (auto item : pair) {
      if (!read) break;
      std::string_view* out = index == 0 ? left : right;
      std::string_view token;
      read = index < 2 && item.raw_json_token().get(token) == SUCCESS;
      if (read && token.front() == '"') {
        if (auto plain = model_tables_internal::PlainString(token.data())) {
          *out = *plain;
          ++index;
          continue;  // unread, the value is skipped by the loop
        }
      }
      read = read && item.get_string().get(*out) == SUCCESS;
      ++index;
    }
    read = read && index == 2;
  }
  if (!read) return InvalidArgumentError("merges: an entry is not a pair of strings");
  ++next_;
  return Status::Ok();
}

}  // namespace tunepack::tokenize::hf
