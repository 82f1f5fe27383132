#include "tunepack/report/example_tokens.h"

namespace tunepack::report {

Result<ExampleTokens> CountExampleTokens(const tokenize::Tokenizer& tokenizer,
                                         const Example& example, bool rendered_by_template) {
  tokenize::EncodeOptions options;  // special-token strings are plain text...
  options.allow_special = rendered_by_template;  // ...unless a chat template wrote them
  ExampleTokens tokens;
  auto add = [&](const std::string& role, std::string_view text) -> Status {
    if (text.empty()) return Status::Ok();
    TP_ASSIGN_OR_RETURN(size_t n, tokenizer.Count(text, options));
    if (n == 0) return Status::Ok();
    tokens.by_role[role] += n;
    tokens.total += n;
    return Status::Ok();
  };
  if (example.kind == ExampleKind::kText) {
    TP_RETURN_IF_ERROR(add("text", example.text));
    return tokens;
  }
  auto add_message = [&](const std::string& role, const Message& message) -> Status {
    TP_RETURN_IF_ERROR(add(role, message.content));
    for (const ToolCall& call : message.tool_calls) {
      TP_RETURN_IF_ERROR(add(role, call.name));
      TP_RETURN_IF_ERROR(add(role, call.arguments));
    }
    return Status::Ok();
  };
  for (const Message& message : example.messages) {
    TP_RETURN_IF_ERROR(add_message(std::string(RoleName(message.role)), message));
  }
  // A preference example's answers count by side, not by role: both sides are assistant
  // text, and what a user compares is the chosen against the rejected.
  for (const Message& message : example.chosen) TP_RETURN_IF_ERROR(add_message("chosen", message));
  for (const Message& message : example.rejected) TP_RETURN_IF_ERROR(add_message("rejected", message));
  TP_RETURN_IF_ERROR(add("tools", example.tools));
  return tokens;
}

}  // namespace tunepack::report
