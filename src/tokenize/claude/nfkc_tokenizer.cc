#include "tokenize/claude/nfkc_tokenizer.h"

#include "tokenize/claude/nfkc_text.h"

namespace tunepack::tokenize {

Status NfkcTokenizer::Encode(std::string_view text, const EncodeOptions& options,
                             std::vector<TokenId>* ids, std::vector<TokenSpan>* offsets) const {
  if (text.size() > UINT32_MAX) return ResourceExhaustedError("text over 4 GiB");
  if (NfkcText::IsAscii(text)) return inner_->Encode(text, options, ids, offsets);
  // Per-thread scratch: the tokenizer stays immutable and shareable.
  thread_local NfkcText normalized;
  normalized.Assign(text);
  if (normalized.unchanged() || offsets == nullptr) {
    return inner_->Encode(normalized.text(), options, ids, offsets);
  }
  const size_t first = offsets->size();
  TP_RETURN_IF_ERROR(inner_->Encode(normalized.text(), options, ids, offsets));
  for (size_t index = first; index < offsets->size(); ++index) {
    TokenSpan& span = (*offsets)[index];
    const uint32_t begin = normalized.OriginalBegin(span.begin);
    span.end = span.end > span.begin ? normalized.OriginalEnd(span.end) : begin;
    span.begin = begin;
  }
  return Status::Ok();
}

Result<size_t> NfkcTokenizer::Count(std::string_view text, const EncodeOptions& options) const {
  if (text.size() > UINT32_MAX) return ResourceExhaustedError("text over 4 GiB");
  if (NfkcText::IsAscii(text)) return inner_->Count(text, options);
  thread_local NfkcText normalized;
  normalized.Assign(text);
  return inner_->Count(normalized.text(), options);
}

}  // namespace tunepack::tokenize
