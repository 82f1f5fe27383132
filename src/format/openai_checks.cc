// The checks OpenAI applies to chat fine-tuning files, as its data-preparation guide
// (openai-cookbook examples/Chat_finetuning_data_prep.ipynb) counts them — data_type,
// missing_messages_list, message_missing_key, message_unrecognized_key, unrecognized_role,
// missing_content, example_missing_assistant_message — widened to today's fine-tuning
// schema: tool and developer roles, tool_calls, tool_call_id, weight (0 or 1, assistant
// only), content parts. The guide's key set predates tools, so it is a floor, not the list.
#include "format/openai_checks.h"

#include <set>
#include <string>

#include "tunepack/format/json_type_name.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr uint64_t kMinExamples = 10;  // OpenAI refuses smaller training files

const std::set<std::string_view>& TopLevelKeys() {
  static const std::set<std::string_view> keys = {"messages", "tools", "parallel_tool_calls",
                                                  "functions"};
  return keys;
}

const std::set<std::string_view>& MessageKeys() {
  static const std::set<std::string_view> keys = {"role",       "content",      "name",
                                                  "weight",     "function_call", "tool_calls",
                                                  "tool_call_id", "refusal"};
  return keys;
}

const std::set<std::string_view>& Roles() {
  static const std::set<std::string_view> roles = {"system", "developer", "user",
                                                   "assistant", "tool", "function"};
  return roles;
}

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }


class RecordCheck {
 public:
  RecordCheck(uint64_t line, Problems& out) : line_(line), out_(out) {}

  void Error(std::string message) { out_.push_back({line_, Severity::kError, std::move(message)}); errors_ = true; }
  void Warning(std::string message) { out_.push_back({line_, Severity::kWarning, std::move(message)}); }
  bool errors() const { return errors_; }

  void CheckToolCalls(element calls, const std::string& where) {
    simdjson::dom::array array;
    if (calls.get_array().get(array)) {
      Error(where + ": \"tool_calls\" must be an array, not " + std::string(JsonTypeName(calls)));
      return;
    }
    size_t index = 0;
    for (element call : array) {
      const std::string at = where + " tool_calls[" + std::to_string(index++) + "]";
      if (!call.is_object()) {
        Error(at + " is not an object");
        continue;
      }
      std::string_view id, type, name;
      if (call["id"].get_string().get(id) || id.empty()) {
        Error(at + " has no \"id\" string");
      } else {
        call_ids_.insert(std::string(id));
      }
      if (call["type"].get_string().get(type) || type != "function") {
        Error(at + ": \"type\" must be \"function\"");
      }
      element function;
      if (call["function"].get(function) || !function.is_object()) {
        Error(at + " has no \"function\" object");
        continue;
      }
      if (function["name"].get_string().get(name) || name.empty()) {
        Error(at + ": \"function.name\" must be a non-empty string");
      }
      element arguments;
      if (function["arguments"].get(arguments)) {
        Error(at + " has no \"function.arguments\"");
      } else if (!arguments.is_string()) {
        Error(at + ": \"function.arguments\" must be a JSON-encoded string, not " + std::string(JsonTypeName(arguments)));
      } else {
        simdjson::dom::parser parser;
        element parsed;
        if (parser.parse(std::string(arguments.get_string().value())).get(parsed)) {
          Warning(at + ": \"function.arguments\" is not valid JSON text");
        }
      }
    }
  }

  // Checks one message; `number` is 1-based, as OpenAI's own messages count them.
  void CheckMessage(element message, size_t number) {
    const std::string where = "message " + std::to_string(number);
    simdjson::dom::object object;
    if (message.get_object().get(object)) {
      Error(where + " is not an object");
      return;
    }
    for (auto [key, value] : object) {
      if (!MessageKeys().count(key)) Error(where + ": unrecognized key " + Quote(key));
    }
    std::string_view role;
    element role_value;
    if (message["role"].get(role_value)) {
      Error(where + " has no \"role\"");
    } else if (role_value.get_string().get(role)) {
      Error(where + ": \"role\" must be a string, not " + std::string(JsonTypeName(role_value)));
    } else if (!Roles().count(role)) {
      Error(where + ": unrecognized role " + Quote(role) +
            " (expected system, user, assistant or tool)");
    }
    const std::string who = where + (role.empty() ? std::string() : " (" + std::string(role) + ")");
    element tool_calls, function_call;
    const bool has_calls = !message["tool_calls"].get(tool_calls);
    const bool has_function_call = !message["function_call"].get(function_call);
    if (role == "assistant") has_assistant_ = true;
    if (role == "user") has_user_ = true;
    if (has_calls) {
      if (role != "assistant") Error(who + ": only assistant messages carry \"tool_calls\"");
      CheckToolCalls(tool_calls, who);
    }
    element content;
    if (message["content"].get(content) || content.is_null()) {
      if (!(role == "assistant" && (has_calls || has_function_call))) {
        Error(who + ": missing content (only an assistant message with tool calls may omit it)");
      }
    } else if (content.is_string()) {
      if (content.get_string().value().empty() && !(has_calls || has_function_call)) {
        Error(who + ": empty content");
      }
    } else if (content.is_array()) {
      size_t part_index = 0;
      // Bound to a local: iterating the temporary result of get_array() would dangle.
      const simdjson::dom::array parts = content.get_array().value();
      for (element part : parts) {
        std::string_view type;
        if (!part.is_object() || part["type"].get_string().get(type)) {
          Error(who + ": content part " + std::to_string(part_index) + " has no \"type\"");
        } else if (type == "text" && !part["text"].is_string()) {
          Error(who + ": content part " + std::to_string(part_index) + " has no \"text\" string");
        }
        ++part_index;
      }
    } else {
      Error(who + ": content must be a string (or an array of parts), not " + std::string(JsonTypeName(content)));
    }
    element weight;
    if (!message["weight"].get(weight)) {
      int64_t value = -1;
      if (weight.get_int64().get(value) || (value != 0 && value != 1)) {
        Error(who + ": \"weight\" must be 0 or 1, not " +
              std::string(simdjson::minify(weight)));
      }
      if (role != "assistant") Error(who + ": \"weight\" is only allowed on assistant messages");
    }
    element name;
    if (!message["name"].get(name) && !name.is_string()) {
      Error(who + ": \"name\" must be a string, not " + std::string(JsonTypeName(name)));
    }
    if (role == "tool") {
      std::string_view id;
      if (message["tool_call_id"].get_string().get(id) || id.empty()) {
        Error(who + ": a tool message needs the \"tool_call_id\" of the call it answers");
      } else if (!call_ids_.count(std::string(id))) {
        Error(who + ": \"tool_call_id\" " + Quote(id) + " answers no earlier tool call");
      }
    }
  }

  void CheckRecord(element record) {
    simdjson::dom::object object = record.get_object().value();
    for (auto [key, value] : object) {
      if (!TopLevelKeys().count(key)) {
        Warning("unrecognized top-level key " + Quote(key) +
                " (chat fine-tuning files hold messages, tools, parallel_tool_calls)");
      }
    }
    element messages;
    if (record["messages"].get(messages)) {
      Error("missing \"messages\"");
      return;
    }
    simdjson::dom::array array;
    if (messages.get_array().get(array)) {
      Error("\"messages\" must be an array, not " + std::string(JsonTypeName(messages)));
      return;
    }
    if (array.size() == 0) {
      Error("\"messages\" is empty");
      return;
    }
    element tools;
    if (!record["tools"].get(tools)) {
      if (!tools.is_array()) {
        Error("\"tools\" must be an array, not " + std::string(JsonTypeName(tools)));
      } else {
        size_t index = 0;
        const simdjson::dom::array tool_list = tools.get_array().value();
        for (element tool : tool_list) {
          std::string_view type, name;
          if (tool["type"].get_string().get(type) || type != "function" ||
              tool["function"]["name"].get_string().get(name)) {
            Error("tools[" + std::to_string(index) +
                  "] must be {\"type\":\"function\",\"function\":{\"name\":...}}");
          }
          ++index;
        }
      }
    }
    size_t number = 0;
    for (element message : array) CheckMessage(message, ++number);
    if (!has_assistant_) Error("no assistant message: there is nothing to train on");
    if (!has_user_) Warning("no user message");
  }

 private:
  uint64_t line_;
  Problems& out_;
  bool errors_ = false;
  bool has_assistant_ = false;
  bool has_user_ = false;
  std::set<std::string> call_ids_;
};

}  // namespace

FileChecks OpenAiChecks() {
  FileChecks checks;
  checks.record = [](element record, uint64_t line, Problems& out) {
    RecordCheck check(line, out);
    check.CheckRecord(record);
    return !check.errors();
  };
  checks.file = [](uint64_t records, Problems& out) {
    if (records < kMinExamples) {
      out.push_back({1, Severity::kWarning,
                     std::to_string(records) + " examples; OpenAI fine-tuning needs at least " +
                         std::to_string(kMinExamples)});
    }
  };
  return checks;
}

}  // namespace tunepack::format::internal
