#include "pipeline/example_limit.h"

#include "tunepack/core/option_ref.h"
#include "tunepack/report/example_tokens.h"

namespace tunepack::pipeline {

Result<std::unique_ptr<ExampleLimit>> ExampleLimit::Create(
    const ExportOptions& options, std::shared_ptr<const tokenize::Tokenizer> tokenizer) {
  if (options.max_example_tokens == 0) return std::unique_ptr<ExampleLimit>();
  if (tokenizer == nullptr) return InvalidArgumentError(OptionRef("max-example-tokens") + " needs " + OptionRef("tokenizer"));
  std::unique_ptr<ExampleLimit> limit(new ExampleLimit());
  limit->tokenizer_ = std::move(tokenizer);
  limit->max_tokens_ = options.max_example_tokens;
  limit->policy_ = options.on_overlong;
  if (limit->policy_ == OverlongPolicy::kSplit) {
    chunk::ChunkOptions chunk_options;
    chunk_options.max_tokens = options.max_example_tokens;
    TP_ASSIGN_OR_RETURN(chunk::Chunker chunker, chunk::Chunker::Create(limit->tokenizer_, chunk_options));
    limit->splitter_.emplace(std::move(chunker));
  }
  return limit;
}

Result<uint64_t> ExampleLimit::Count(const Example& example) const {
  TP_ASSIGN_OR_RETURN(report::ExampleTokens tokens, report::CountExampleTokens(*tokenizer_, example));
  // A preference pair is trained as its prompt with one answer at a time.
  return tokens.LongestSequence();
}

Result<std::string> ExampleLimit::Prefix(std::string_view text, uint64_t budget) const {
  std::vector<tokenize::TokenId> ids;
  std::vector<tokenize::TokenSpan> spans;
  TP_RETURN_IF_ERROR(tokenizer_->Encode(text, {}, &ids, &spans));
  if (ids.size() <= budget) return std::string(text);
  // Cut where token `keep` starts, for keep = budget, budget - 1, ...: text cut at a token
  // boundary can tokenize into more tokens than it had in context, so each prefix is
  // re-counted (usually the first fits). A byte-level token can end inside a character:
  // the cut backs off to the character's start.
  for (size_t keep = budget; keep > 0; --keep) {
    size_t cut = spans[keep].begin;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    TP_ASSIGN_OR_RETURN(size_t n, tokenizer_->Count(text.substr(0, cut), {}));
    if (n <= budget) return std::string(text.substr(0, cut));
  }
  return std::string();
}

Status ExampleLimit::Truncate(Example& example) const {
  if (example.kind == ExampleKind::kText) {
    TP_ASSIGN_OR_RETURN(example.text, Prefix(example.text, max_tokens_));
    return Status::Ok();
  }
  if (IsPreference(example.kind)) {
    // Cutting one answer short would make the pair compare a cut answer with a whole one.
    return FailedPreconditionError("a preference pair is not truncated (use " + OptionRef("on-overlong") + " drop)");
  }
  // Tool schemas come first in the budget: they are sent with every example.
  uint64_t budget = max_tokens_;
  if (!example.tools.empty()) {
    TP_ASSIGN_OR_RETURN(size_t n, tokenizer_->Count(example.tools, {}));
    if (n > budget) return FailedPreconditionError("its tool schemas alone are over the limit");
    budget -= n;
  }
  size_t kept = 0;
  for (; kept < example.messages.size(); ++kept) {
    Message& message = example.messages[kept];
    Example one;
    one.kind = ExampleKind::kConversation;
    one.messages.push_back(message);
    TP_ASSIGN_OR_RETURN(uint64_t n, Count(one));
    if (n <= budget) {
      budget -= n;
      continue;
    }
    // The message does not fit whole: keep the part of its content that does, unless it
    // carries tool calls, which cannot be cut without breaking their JSON.
    if (message.tool_calls.empty() && budget > 0) {
      TP_ASSIGN_OR_RETURN(message.content, Prefix(message.content, budget));
      if (!message.content.empty()) ++kept;
    }
    break;
  }
  example.messages.resize(kept);
  for (const Message& message : example.messages) {
    if (message.role == Role::kAssistant && !message.content.empty()) return Status::Ok();
  }
  return FailedPreconditionError("no assistant answer would be left within the limit");
}

}  // namespace tunepack::pipeline
