// ShareGPT turns ({"from","value"}) as LLaMA-Factory reads them, shared by sharegpt and
// sharegpt-preference. The rules are in sharegpt_format.cc's header comment.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "format/json_fields.h"
#include "tunepack/core/document.h"
#include "tunepack/core/result.h"

namespace tunepack::format::internal {

// Reads the turn at `field` and appends it to `messages`; its unread fields go to
// out.unread_fields. Tool calls are numbered call_1, call_2... through `calls_so_far`; an
// observation is linked to the single call of the turn just before it.
Status ReadShareGptTurn(simdjson::dom::element value, const FieldPath& field, size_t& calls_so_far,
                        std::vector<Message>& messages, Example& out);

// Returns the role of a turn whose "from" is `from` and whose value is its text (any tag
// ReadShareGptTurn reads but function_call), or nullopt.
std::optional<Role> PlainShareGptRole(std::string_view from);

// Returns FailedPrecondition unless `messages` (from index `first`, after a system turn)
// follow the order LLaMA-Factory accepts and end with an assistant turn.
Status CheckShareGptTurnOrder(const std::vector<Message>& messages, size_t first);

// Appends message `index` as a {"from","value"} object; a tool-call turn becomes a
// function_call turn whose value is the calls' JSON.
Status AppendShareGptTurn(const Message& message, size_t index, std::string& out);

// Appends `messages` as a JSON array of such turns.
Status AppendShareGptTurns(const std::vector<Message>& messages, std::string& out);

// Returns the "from" tag written for `role` (human, gpt, system, observation).
std::string_view ShareGptTag(Role role);

}  // namespace tunepack::format::internal
