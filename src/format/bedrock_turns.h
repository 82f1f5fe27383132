// The turn rules shared by the formats that only hold text conversations of user and
// assistant turns after the system prompt (bedrock-claude, bedrock-nova, vertex-gemini):
// what their writers refuse, so that converting to them never drops a tool call, a name or
// a "do not train" weight.
#pragma once

#include <string_view>

#include <simdjson.h>

#include "format/json_fields.h"
#include "tunepack/core/document.h"
#include "tunepack/core/status.h"
#include "tunepack/format/target.h"

namespace tunepack::format::internal {

// Returns the number of system messages at the start of `example.messages`.
size_t LeadingSystemCount(const Example& example);

// Returns FailedPrecondition when `example` holds what a text-only user/assistant format
// cannot (tool calls and results, tool schemas, names, weight 0, a system message after the
// start), InvalidArgument for a conversation that is not one (RequireConversation's
// errors otherwise).
Status CheckTextConversation(const Example& example, std::string_view format);

// Reads one Bedrock message object at `field` up to its content: appends a message to
// `out` with its role ("user" or "assistant"; the system prompt is a top-level field in
// both Bedrock schemas, named `schema` in the error) and keeps its fields other than role
// and content as unread. Returns the new message, whose content the caller reads.
Result<Message*> ReadBedrockMessageRole(simdjson::dom::object object, const FieldPath& field,
                                        std::string_view schema, Example& out);

// Returns the turn order Anthropic's Bedrock fine-tuning guide states for Claude: an
// optional system string, then at least two messages, user first, assistant last, user and
// assistant alternating (platform.claude.com/cookbook/finetuning-finetuning-on-bedrock).
const TurnRules& BedrockClaudeTurnRules();

}  // namespace tunepack::format::internal
