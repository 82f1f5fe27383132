// ShareGPT turns ({"from","value"}), read, checked and written the one way for sharegpt and
// sharegpt-preference (LLaMA-Factory's ranking data in sharegpt form).
#include "format/sharegpt_turns.h"

#include <array>

#include "format/tool_call_json.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

constexpr std::string_view kFunctionCallTag = "function_call";

// FromTag: how a "from" value reads. Writing uses the first tag listed for each role.
struct FromTag {
  std::string_view tag;
  Role role;
};
constexpr std::array<FromTag, 9> kFromTags = {{
    {"system", Role::kSystem},
    {"human", Role::kUser},
    {"gpt", Role::kAssistant},
    {"observation", Role::kTool},
    {"user", Role::kUser},
    {"assistant", Role::kAssistant},
    {"model", Role::kAssistant},
    {"tool", Role::kTool},
    {kFunctionCallTag, Role::kAssistant},
}};

std::string_view TagOf(Role role) {
  for (const FromTag& entry : kFromTags) {
    if (entry.role == role) return entry.tag;
  }
  return "human";
}

// Reads a function_call value: one {"name","arguments"} object or a list of them.
Status ReadFunctionCalls(std::string_view value, const FieldPath& field, size_t& calls_so_far,
                         Message& message) {
  thread_local simdjson::dom::parser parser;
  element parsed;
  if (parser.parse(value.data(), value.size()).get(parsed) != simdjson::SUCCESS) {
    return FieldError(field, "a function_call value must be JSON text {\"name\",\"arguments\"}");
  }
  auto read_one = [&](element call_value, const FieldPath& call_field) -> Status {
    ToolCall& call = message.tool_calls.emplace_back();
    TP_RETURN_IF_ERROR(ReadFunctionObject(call_value, call_field, call));
    call.id = "call_" + std::to_string(++calls_so_far);
    return Status::Ok();
  };
  simdjson::dom::array calls;
  if (parsed.get_array().get(calls) == simdjson::SUCCESS) {
    size_t index = 0;
    for (element call_value : calls) {
      TP_RETURN_IF_ERROR(read_one(call_value, FieldPath(field, index++)));
    }
    if (index == 0) return FieldError(field, "a function_call turn needs at least one call");
    return Status::Ok();
  }
  return read_one(parsed, field);
}

}  // namespace

Status ReadShareGptTurn(element value, const FieldPath& field, size_t& calls_so_far,
                        std::vector<Message>& messages, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object turn, AsObject(value, field));
  static constexpr std::array<std::string_view, 2> kFields = {"from", "value"};
  const ObjectFields<kFields.size()> fields(turn, kFields);
  if (fields.has_others()) CollectUnreadNestedFields(turn, {"from", "value"}, out, field);
  const FieldPath from_field(field, "from");
  const FieldPath value_field(field, "value");
  TP_ASSIGN_OR_RETURN(std::string_view from, RequireString(fields.field(0), from_field));
  TP_ASSIGN_OR_RETURN(std::string_view text, RequireString(fields.field(1), value_field));
  const FromTag* tag = nullptr;
  for (const FromTag& entry : kFromTags) {
    if (entry.tag == from) tag = &entry;
  }
  if (tag == nullptr) {
    return FieldError(from_field, "unknown role '" + std::string(from) +
                                           "' (expected human, gpt, system, function_call or "
                                           "observation)");
  }
  Message message;
  message.role = tag->role;
  if (tag->tag == kFunctionCallTag) {
    message.has_content = false;
    TP_RETURN_IF_ERROR(ReadFunctionCalls(text, value_field, calls_so_far, message));
  } else {
    message.content = text;
  }
  if (message.role == Role::kTool && !messages.empty() && messages.back().tool_calls.size() == 1) {
    message.tool_call_id = messages.back().tool_calls.front().id;
  }
  messages.push_back(std::move(message));
  return Status::Ok();
}

std::optional<Role> PlainShareGptRole(std::string_view from) {
  for (const FromTag& entry : kFromTags) {
    if (entry.tag == from) return entry.tag == kFunctionCallTag ? std::nullopt : std::optional<Role>(entry.role);
  }
  return std::nullopt;
}

namespace {

Status Refuse(const FieldPath& field, std::string_view why) {
  return FailedPreconditionError("sharegpt cannot hold " + field.str() + ": " + std::string(why));
}

// Checks the turn order LLaMA-Factory's SharegptDatasetConverter accepts, and the tool-call
// links that positions alone must carry once ids are dropped.
}  // namespace

Status CheckShareGptTurnOrder(const std::vector<Message>& messages, size_t first) {
  const FieldPath messages_field("messages");
  for (size_t i = first; i < messages.size(); ++i) {
    const Message& message = messages[i];
    const FieldPath field(messages_field, i);
    const bool user_slot = (i - first) % 2 == 0;
    if (user_slot && message.role == Role::kAssistant) {
      return Refuse(field, "an assistant turn where LLaMA-Factory expects a user or "
                           "observation turn (turns must alternate)");
    }
    if (!user_slot && message.role == Role::kUser) {
      return Refuse(field, "a user turn where LLaMA-Factory expects an assistant turn "
                           "(turns must alternate)");
    }
    if (!user_slot && message.role == Role::kTool) {
      return Refuse(field, "a second tool result in a row; one observation turn answers one "
                           "function_call turn, and merging results would lose which "
                           "answers which call (use openai)");
    }
    if (message.role == Role::kAssistant && !message.tool_calls.empty() && message.has_content &&
        !message.content.empty()) {
      return Refuse(field, "text and tool calls in one turn; a function_call turn holds only "
                           "the calls (use openai)");
    }
    if (message.role == Role::kTool) {
      const Message* caller = i > 0 ? &messages[i - 1] : nullptr;
      if (caller == nullptr || caller->tool_calls.empty()) {
        return Refuse(field, "a tool result that does not follow a tool call");
      }
      if (!message.tool_call_id.empty() && caller->tool_calls.size() > 1) {
        return Refuse(field, "the result of one of " + std::to_string(caller->tool_calls.size()) +
                                 " calls made together; one observation turn answers the "
                                 "whole function_call turn, and merging results would lose "
                                 "which answers which call (use openai)");
      }
      if (!message.tool_call_id.empty() && caller->tool_calls[0].id != message.tool_call_id) {
        return Refuse(field, "a tool result for call '" + message.tool_call_id +
                                 "', which is not the call just before it; without ids the "
                                 "link would point at the wrong call (use openai)");
      }
    }
  }
  if ((messages.size() - first) % 2 != 0) {
    return Refuse("this conversation", "it does not end with an assistant turn, and "
                                       "LLaMA-Factory skips such rows");
  }
  return Status::Ok();
}

Status AppendShareGptTurn(const Message& message, size_t index, std::string& out) {
  JsonObjectWriter turn(out);
  if (message.tool_calls.empty()) {
    turn.String("from", TagOf(message.role));
    turn.String("value", message.content);
    turn.Close();
    return Status::Ok();
  }
  std::string value;
  const FieldPath messages_field("messages");
  const FieldPath message_field(messages_field, index);
  const FieldPath calls_field(message_field, "tool_calls");
  if (message.tool_calls.size() > 1) value.push_back('[');
  for (size_t k = 0; k < message.tool_calls.size(); ++k) {
    if (k > 0) value.push_back(',');
    const FieldPath call_field(calls_field, k);
    const FieldPath function_field(call_field, "function");
    TP_RETURN_IF_ERROR(AppendFunctionWithJsonArguments(
        message.tool_calls[k], FieldPath(function_field, "arguments"), value));
  }
  if (message.tool_calls.size() > 1) value.push_back(']');
  turn.String("from", kFunctionCallTag);
  turn.String("value", value);
  turn.Close();
  return Status::Ok();
}

Status AppendShareGptTurns(const std::vector<Message>& messages, std::string& out) {
  out.push_back('[');
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) out.push_back(',');
    TP_RETURN_IF_ERROR(AppendShareGptTurn(messages[i], i, out));
  }
  out.push_back(']');
  return Status::Ok();
}

std::string_view ShareGptTag(Role role) { return TagOf(role); }

}  // namespace tunepack::format::internal
