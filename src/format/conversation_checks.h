// Checks that writers run before encoding an example: is it the right kind, is it a
// well-formed conversation, and can the target format hold everything in it. Each format
// states what it can hold as data (ConversationFeatures) instead of repeating the checks.
#pragma once

#include <string>
#include <string_view>

#include "tunepack/core/document.h"
#include "tunepack/core/status.h"

namespace tunepack::format::internal {

// Returns FailedPrecondition unless `example` is a conversation, naming the formats that
// take text examples.
Status RequireConversation(const Example& example, std::string_view format);

// Returns FailedPrecondition unless `example` is a text example; `use_instead` names the
// formats that keep a conversation (e.g. "chatml, or a chat format such as openai").
Status RequireText(const Example& example, std::string_view format,
                   std::string_view use_instead);

// Returns InvalidArgument when the conversation breaks the rules of tunepack's message
// model (OpenAI's): no messages; content missing on a message without tool calls; tool
// calls, weights off an assistant; a weight other than 0/1; tool_call_id off a tool
// message; a tool call without a name.
Status ValidateConversation(const Example& example);

// ConversationFeatures: what a conversation format can hold besides roles and text.
struct ConversationFeatures {
  bool tool_calls = false;        ///< assistant tool calls and tool result messages
  bool tool_schemas = false;      ///< a top-level list of tool schemas
  bool names = false;             ///< Message::name
  bool weights = false;           ///< Message::weight (weight 1 is the default, never lost)
  bool system_anywhere = false;   ///< system messages after the first message
};

// Returns FailedPrecondition when `example` has something `format` cannot hold, saying
// what would be lost and where (e.g. "messages[2].name").
Status CheckRepresentable(const Example& example, const ConversationFeatures& features,
                          std::string_view format);

// Returns "messages[i]", the name of a message in error messages.
std::string MessageField(size_t index);

}  // namespace tunepack::format::internal
