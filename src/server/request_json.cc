#include "server/request_json.h"

#include <string>

namespace tunepack::server {

namespace {

// Returns the deepest nesting of `text`, counting brackets outside strings; stops counting
// past `limit`. Malformed text gets some number; the parser reports it properly.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::string Where(std::string_view text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

Result<nlohmann::json> ParseRequestJson(std::string_view text) {
  if (NestingDepth(text, kMaxJsonDepth) > kMaxJsonDepth) {
    return InvalidArgumentError("malformed request body: JSON nested deeper than " +
                                std::to_string(kMaxJsonDepth) + " levels");
  }
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    const size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    const size_t colon = what.find(": ");
    const std::string reason = colon != std::string::npos ? what.substr(colon + 2) : what;
    return InvalidArgumentError("malformed request body at " + Where(text, byte) + ": " + reason);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(std::string("malformed request body: ") + e.what());
  }
  if (!value.is_object()) return InvalidArgumentError("the request body must be a JSON object");
  return value;
}

}  // namespace tunepack::server
