// Test helpers for the format module: parse a JSON record and read it, write an example,
// split a file, and build examples tersely.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/format/format.h"

namespace tunepack::format::testing {

// Parses `json` and reads it with the built-in format `format`.
Result<Example> ReadRecord(std::string_view format, std::string_view json);
// Writes `example` with the built-in format `format`.
Result<std::string> WriteExample(std::string_view format, const Example& example,
                                 const WriteOptions& options = {});
// Splits `file_text` with the built-in format `format`; `lines` receives the start lines.
Result<std::vector<Example>> SplitFile(std::string_view format, std::string_view file_text,
                                       std::vector<uint64_t>* lines = nullptr);
// Returns the name of the format DetectFormat picks for `json`, "" for none, or
// "<parse error>" when `json` is not JSON.
std::string DetectName(std::string_view json);
// Reads `json` with `from` and writes it with `to`.
Result<std::string> Convert(std::string_view from, std::string_view to, std::string_view json);

// Returns the parameters of a chat-template format: `model_dir` and `tokenizer`.
FormatParams ModelParams(std::string model_dir, std::string tokenizer = "");

// Returns a message with `role` and `content`.
Message Msg(Role role, std::string content);
// Returns a conversation example of `messages`.
Example Conversation(std::vector<Message> messages);
// Returns a text example.
Example Text(std::string text);

// Returns the lines of the file tests/golden/format/<name> (without their '\n').
std::vector<std::string> GoldenLines(std::string_view name);
// Returns the bytes of the file tests/golden/format/<name>.
std::string GoldenFile(std::string_view name);

}  // namespace tunepack::format::testing
