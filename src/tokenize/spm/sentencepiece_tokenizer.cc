#include "tokenize/spm/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>

#include "tokenize/spm/model_proto.h"
#include "tokenize/spm/processor.h"

namespace tunepack::tokenize {
namespace {

Status FromSentencePiece(const sentencepiece::util::Status& status, std::string_view context) {
  if (status.ok()) return Status::Ok();
  return InternalError(std::string(context) + ": sentencepiece: " + status.message());
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer() = default;

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

Result<std::shared_ptr<const Tokenizer>> SentencePieceTokenizer::Create(
    std::string name, std::string_view model_proto) {
  // Read the vocabulary first: a file that is not a ModelProto at all gets a message that
  // says so rather than the library's, which speaks of protobuf parsing.
  auto model = ReadSentencePieceModel(model_proto);
  if (!model.ok() || model->pieces.empty()) {
    return InvalidArgumentError(name + ": not a SentencePiece model (" +
                                (model.ok() ? std::string("no pieces")
                                            : model.error().message()) +
                                ")");
  }
  const std::vector<SentencePieceEntry>* pieces = &model->pieces;
  std::unique_ptr<SentencePieceTokenizer> tokenizer(new SentencePieceTokenizer());
  // tunepack's own implementation runs the model unless it names a feature it leaves out;
  // libsentencepiece then runs it, and also loads a model with self-test samples, to check
  // them as it does.
  auto native = spm::Processor::Create(*model);
  if (!native.ok() && native.error().code() != StatusCode::kUnimplemented) {
    return InvalidArgumentError(name + ": SentencePiece cannot load this model: " +
                                native.error().message());
  }
  if (native.ok() && !model->has_self_test) {
    tokenizer->native_ = std::move(*native);
    tokenizer->bos_id_ = tokenizer->native_->bos_id();
    tokenizer->eos_id_ = tokenizer->native_->eos_id();
  } else {
    tokenizer->processor_ = std::make_unique<sentencepiece::SentencePieceProcessor>();
    const sentencepiece::util::Status loaded = tokenizer->processor_->LoadFromSerializedProto(
        absl::string_view(model_proto.data(), model_proto.size()));
    if (!loaded.ok()) {
      return InvalidArgumentError(name + ": SentencePiece cannot load this model: " +
                                  loaded.message());
    }
    if (static_cast<size_t>(tokenizer->processor_->GetPieceSize()) != pieces->size()) {
      return InternalError(name + ": the model's piece count disagrees with libsentencepiece");
    }
    tokenizer->bos_id_ = tokenizer->processor_->bos_id();
    tokenizer->eos_id_ = tokenizer->processor_->eos_id();
    if (native.ok()) {  // the library has checked the samples: the native one runs it
      tokenizer->native_ = std::move(*native);
      tokenizer->processor_.reset();
    }
  }
  tokenizer->name_ = std::move(name);
  tokenizer->vocab_size_ = pieces->size();
  for (size_t id = 0; id < pieces->size(); ++id) {
    const SentencePieceEntry& entry = (*pieces)[id];
    const auto token_id = static_cast<TokenId>(id);
    switch (entry.type) {
      case SentencePieceType::kControl:
      case SentencePieceType::kUnknown:
        tokenizer->special_tokens_.emplace_back(entry.piece, token_id);
        if (!entry.piece.empty()) {
          tokenizer->matchable_specials_.emplace_back(entry.piece, token_id);
          tokenizer->special_first_bytes_.set(static_cast<unsigned char>(entry.piece[0]));
        }
        break;
      case SentencePieceType::kUserDefined:
        tokenizer->special_tokens_.emplace_back(entry.piece, token_id);
        break;
      default:
        break;
    }
  }
  // Longest first, so that at one position the longest special string wins.
  std::stable_sort(tokenizer->matchable_specials_.begin(), tokenizer->matchable_specials_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return std::shared_ptr<const Tokenizer>(std::move(tokenizer));
}

Status SentencePieceTokenizer::EncodeText(std::string_view text, uint32_t base,
                                          std::vector<TokenId>* ids,
                                          std::vector<TokenSpan>* offsets) const {
  if (text.empty()) return Status::Ok();
  if (native_ != nullptr) return native_->Encode(text, base, ids, offsets);
  const absl::string_view input(text.data(), text.size());
  if (offsets == nullptr) {
    // The ids-only path skips building the SentencePieceText proto.
    thread_local std::vector<int> scratch;
    scratch.clear();
    TP_RETURN_IF_ERROR(FromSentencePiece(processor_->Encode(input, &scratch), name_));
    ids->insert(ids->end(), scratch.begin(), scratch.end());
    return Status::Ok();
  }
  sentencepiece::ImmutableSentencePieceText proto;
  TP_RETURN_IF_ERROR(FromSentencePiece(processor_->Encode(input, proto.mutable_proto()), name_));
  const size_t count = proto.pieces_size();
  for (size_t index = 0; index < count; ++index) {
    const auto piece = proto.pieces(static_cast<int>(index));
    ids->push_back(piece.id());
    offsets->push_back({base + piece.begin(), base + piece.end()});
  }
  return Status::Ok();
}

Status SentencePieceTokenizer::Encode(std::string_view text, const EncodeOptions& options,
                                      std::vector<TokenId>* ids,
                                      std::vector<TokenSpan>* offsets) const {
  if (text.size() > UINT32_MAX) return ResourceExhaustedError("text over 4 GiB");
  const auto input_end = static_cast<uint32_t>(text.size());
  if (options.add_special && bos_id_ >= 0) {
    ids->push_back(static_cast<TokenId>(bos_id_));
    if (offsets != nullptr) offsets->push_back({0, 0});
  }
  size_t pos = 0;
  if (options.allow_special && !matchable_specials_.empty()) {
    // Leftmost match wins; at one position, the longest (the list is sorted that way).
    size_t scan = 0;
    while (scan < text.size()) {
      const std::pair<std::string, TokenId>* match = nullptr;
      if (!special_first_bytes_.test(static_cast<unsigned char>(text[scan]))) {
        ++scan;
        continue;
      }
      for (const auto& special : matchable_specials_) {
        if (text.compare(scan, special.first.size(), special.first) == 0) {
          match = &special;
          break;
        }
      }
      if (match == nullptr) {
        ++scan;
        continue;
      }
      TP_RETURN_IF_ERROR(EncodeText(text.substr(pos, scan - pos), static_cast<uint32_t>(pos),
                                    ids, offsets));
      ids->push_back(match->second);
      if (offsets != nullptr) {
        offsets->push_back({static_cast<uint32_t>(scan),
                            static_cast<uint32_t>(scan + match->first.size())});
      }
      scan += match->first.size();
      pos = scan;
    }
  }
  TP_RETURN_IF_ERROR(EncodeText(text.substr(pos), static_cast<uint32_t>(pos), ids, offsets));
  if (options.add_special && eos_id_ >= 0) {
    ids->push_back(static_cast<TokenId>(eos_id_));
    if (offsets != nullptr) offsets->push_back({input_end, input_end});
  }
  return Status::Ok();
}

Result<std::string> SentencePieceTokenizer::Decode(std::span<const TokenId> ids) const {
  for (const TokenId id : ids) {
    // Neither implementation bound-checks ids; an id past the vocabulary must not reach one.
    if (id >= vocab_size_) {
      return InvalidArgumentError("token id " + std::to_string(id) + " is not in " + name_ +
                                  " (" + std::to_string(vocab_size_) + " pieces)");
    }
  }
  if (native_ != nullptr) return native_->Decode(ids);
  const std::vector<int> input(ids.begin(), ids.end());
  std::string out;
  TP_RETURN_IF_ERROR(FromSentencePiece(processor_->Decode(input, &out), name_));
  return out;
}

}  // namespace tunepack::tokenize
