// Token counts of one example, the single definition that `stats`, `validate` and export's
// --max-example-tokens share, so that a number in stats.json means the same thing as the
// limit an export enforces.
//
// What is counted: the text of a text example; for a conversation, each message's content
// plus its tool calls' names and argument text, attributed to the message's role, and the
// example's tool schemas (role "tools"). Chat-template overhead (role markers, the few
// tokens per message a service adds) is not included: it depends on the template, and
// `tunepack chat-template` renders it exactly when it matters. Special-token strings in the
// text count as plain text, as everywhere else in tunepack, except in text a chat template
// rendered (`rendered_by_template`): there the template wrote them, and they count as the
// tokenizer reads them, one token each, as training sees them.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::report {

// ExampleTokens: one example's token count, in total and by role.
struct ExampleTokens {
  uint64_t total = 0;
  // "text" for text examples; "system", "user", "assistant", "tool" and "tools" (the tool
  // schemas) for conversations and the prompt of a preference example, whose answers count
  // as "chosen" and "rejected" (all their messages). Roles with no tokens are absent.
  std::map<std::string, uint64_t> by_role;

  // Returns the tokens of the longest sequence a trainer sees: the total, except for a
  // preference pair, whose prompt goes with one answer at a time (total less the shorter
  // answer).
  uint64_t LongestSequence() const {
    auto side = [&](const char* name) {
      auto it = by_role.find(name);
      return it == by_role.end() ? uint64_t{0} : it->second;
    };
    const uint64_t chosen = side("chosen");
    const uint64_t rejected = side("rejected");
    return total - (chosen < rejected ? chosen : rejected);
  }
};

// Returns the token counts of `example` under `tokenizer`.
Result<ExampleTokens> CountExampleTokens(const tokenize::Tokenizer& tokenizer,
                                         const Example& example,
                                         bool rendered_by_template = false);

}  // namespace tunepack::report
