// The prompt side of an alpaca record (LLaMA-Factory): "system", "history" pairs and
// "instruction" + "input" as the last user turn. alpaca (SFT, with "output") and
// alpaca-preference (ranking, with "chosen"/"rejected") share it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/result.h"

namespace tunepack::format::internal {

// Appends [system] + history pairs + the user turn (instruction and input joined by "\n",
// empty parts skipped, as LLaMA-Factory's converter does) to out.messages.
Status ReadAlpacaPrompt(simdjson::dom::object record, Example& out);

// Returns FailedPrecondition unless `prompt` is [system] followed by user/assistant pairs
// and a last user turn: what alpaca's columns hold. `format` names the writer.
Status CheckAlpacaPrompt(const std::vector<Message>& prompt, std::string_view format);

// Appends "system" (when not empty) and "history" (when there are earlier pairs) of
// `prompt`, checked by CheckAlpacaPrompt.
void AppendAlpacaSystemAndHistory(const std::vector<Message>& prompt, JsonObjectWriter& record);

}  // namespace tunepack::format::internal
