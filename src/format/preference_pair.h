// What every preference format shares: the checks a writer runs on a preference example,
// and the implicit prompt (TRL's implicit-prompt form, Anthropic HH transcripts), where the
// chosen and the rejected side each hold the whole conversation and the prompt is the part
// they share.
#pragma once

#include <string_view>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/status.h"

namespace tunepack::format::internal {

// Returns FailedPrecondition unless `example` is a preference pair (kPreference), saying
// what it is instead and which formats hold that.
Status RequirePreferencePair(const Example& example, std::string_view format);
// The same for an unpaired preference (kUnpairedPreference, KTO).
Status RequireUnpairedPreference(const Example& example, std::string_view format);

// Returns InvalidArgument when a side is empty (an unpaired example has exactly one), or
// when the prompt followed by either side breaks the message model's rules
// (ValidateConversation); the error names the side ("chosen[0].tool_calls...").
Status ValidatePreference(const Example& example);

// Returns `prompt` followed by `side`.
std::vector<Message> Joined(const std::vector<Message>& prompt, const std::vector<Message>& side);

// Returns how many leading messages two whole conversations share as their prompt: the
// messages they have in common, but never all of either (each side keeps at least its last
// message as its answer). Reading and writing both use it, so the boundary read back is the
// boundary written.
size_t ImplicitPromptLength(const std::vector<Message>& chosen, const std::vector<Message>& rejected);

// Sets the prompt, chosen and rejected of `out` from two whole conversations.
void SplitImplicitPrompt(std::vector<Message> chosen, std::vector<Message> rejected, Example& out);

// Returns FailedPrecondition when writing `example` with its prompt folded into each side
// would not give this prompt back on reading: both answers begin with the same message, so
// the shared part would swallow it.
Status CheckImplicitPromptKept(const Example& example, std::string_view format);

}  // namespace tunepack::format::internal

namespace tunepack::format::internal {

// Returns FailedPrecondition unless the prompt of `example` is one user message of plain
// text, as the string forms (a "prompt" string, an alpaca instruction) hold it; `format`
// names the writer in the message.
Status CheckPlainPrompt(const Example& example, std::string_view format);
// Returns FailedPrecondition unless `side` (named `name`) is one assistant message of plain
// text: a string answer has no place for tool calls, names or a weight of 0.
Status CheckPlainAnswer(const std::vector<Message>& side, std::string_view name, std::string_view format);
// Returns a user message (`role`) holding `text`.
Message PlainMessage(Role role, std::string_view text);

}  // namespace tunepack::format::internal
