#include "format/format_test_util.h"

#include <simdjson.h>

#include <sstream>

#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack::format::testing {

Result<Example> ReadRecord(std::string_view format_name, std::string_view json) {
  TP_ASSIGN_OR_RETURN(const Format* format, FindFormat(format_name));
  if (!format->read) return UnimplementedError(std::string(format_name) + " has no record reader");
  simdjson::dom::parser parser;
  simdjson::dom::element record;
  if (parser.parse(json.data(), json.size()).get(record) != simdjson::SUCCESS) {
    return InvalidArgumentError("test input is not JSON: " + std::string(json));
  }
  Example example;
  TP_RETURN_IF_ERROR(format->read(record, example));
  return example;
}

Result<std::string> WriteExample(std::string_view format_name, const Example& example,
                                 const WriteOptions& options) {
  TP_ASSIGN_OR_RETURN(const Format* format, FindFormat(format_name));
  std::string out;
  TP_RETURN_IF_ERROR(format->write(example, options, out));
  return out;
}

Result<std::vector<Example>> SplitFile(std::string_view format_name, std::string_view file_text,
                                       std::vector<uint64_t>* lines) {
  TP_ASSIGN_OR_RETURN(const Format* format, FindFormat(format_name));
  if (!format->split) return UnimplementedError(std::string(format_name) + " has no splitter");
  std::vector<Example> examples;
  TP_RETURN_IF_ERROR(format->split(file_text, [&](Example&& example, uint64_t line) {
    examples.push_back(std::move(example));
    if (lines != nullptr) lines->push_back(line);
  }));
  return examples;
}

std::string DetectName(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element record;
  if (parser.parse(json.data(), json.size()).get(record) != simdjson::SUCCESS) {
    return "<parse error>";
  }
  const Format* format = DetectFormat(BuiltinFormats(), record);
  return format == nullptr ? "" : format->name;
}

Result<std::string> Convert(std::string_view from, std::string_view to, std::string_view json) {
  TP_ASSIGN_OR_RETURN(Example example, ReadRecord(from, json));
  return WriteExample(to, example);
}

FormatParams ModelParams(std::string model_dir, std::string tokenizer) {
  FormatParams params;
  params.model_dir = std::move(model_dir);
  params.tokenizer = std::move(tokenizer);
  return params;
}

Message Msg(Role role, std::string content) {
  Message message;
  message.role = role;
  message.content = std::move(content);
  return message;
}

Example Conversation(std::vector<Message> messages) {
  Example example;
  example.kind = ExampleKind::kConversation;
  example.messages = std::move(messages);
  return example;
}

Example Text(std::string text) {
  Example example;
  example.kind = ExampleKind::kText;
  example.text = std::move(text);
  return example;
}

std::string GoldenFile(std::string_view name) {
  return tunepack::testing::ReadFile(std::string(TP_SOURCE_DIR) + "/tests/golden/format/" +
                                     std::string(name));
}

std::vector<std::string> GoldenLines(std::string_view name) {
  std::istringstream in(GoldenFile(name));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace tunepack::format::testing
