#include "tokenize/spm/processor.h"

#include <algorithm>

namespace tunepack::tokenize::spm {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD
constexpr size_t kMaxText = size_t{1} << 30;
// Scratch of a larger text than this (16 MB normalised) is given back after it.
constexpr size_t kKeptScratch = size_t{1} << 24;

// Appends `piece` with every "▁" written as a space.
void AppendUnescaped(std::string_view piece, std::string* out) {
  for (size_t pos = 0;;) {
    const size_t space = piece.find(kSpaceSymbol, pos);
    if (space == std::string_view::npos) {
      out->append(piece.substr(pos));
      return;
    }
    out->append(piece.substr(pos, space - pos));
    out->push_back(' ');
    pos = space + kSpaceSymbol.size();
  }
}

}  // namespace

Result<std::unique_ptr<Processor>> Processor::Create(const SentencePieceModelProto& model) {
  if (model.model_type != SentencePieceModelType::kUnigram &&
      model.model_type != SentencePieceModelType::kBpe) {
    return UnimplementedError("WORD and CHAR models");
  }
  if (model.treat_whitespace_as_suffix) return UnimplementedError("treat_whitespace_as_suffix");
  if (model.has_denormalizer) return UnimplementedError("a denormalizer_spec");
  if (model.pieces.size() > static_cast<size_t>(PieceTrie::kMaxValue)) {
    return UnimplementedError("more than 8 million pieces");
  }
  // The unigram model looks its pieces up in its trie, which leaves unused pieces out: only
  // then does the vocabulary index them, to refuse an unused piece that repeats another.
  const bool bpe = model.model_type == SentencePieceModelType::kBpe;
  const bool has_unused = std::any_of(model.pieces.begin(), model.pieces.end(), [](const SentencePieceEntry& entry) {
    return entry.type == SentencePieceType::kUnused;
  });
  TP_ASSIGN_OR_RETURN(Vocab vocab, Vocab::Create(model, bpe || has_unused));
  std::vector<std::string_view> user_defined;
  for (const SentencePieceEntry& entry : model.pieces) {
    if (entry.type == SentencePieceType::kUserDefined) user_defined.push_back(entry.piece);
  }
  TP_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(model.normalizer, false, user_defined));
  std::unique_ptr<Processor> processor(new Processor(std::move(vocab), std::move(normalizer)));
  if (bpe) {
    TP_ASSIGN_OR_RETURN(processor->bpe_,
                        BpeModel::Create(processor->vocab_, model.normalizer.escape_whitespaces));
  } else {
    TP_ASSIGN_OR_RETURN(processor->unigram_, UnigramModel::Create(processor->vocab_));
  }
  processor->byte_fallback_ = model.byte_fallback;
  processor->strip_leading_space_ =
      model.normalizer.add_dummy_prefix || model.normalizer.remove_extra_whitespaces;
  processor->strip_all_leading_ = model.normalizer.remove_extra_whitespaces;
  processor->unk_surface_ = model.unk_surface;
  processor->bos_id_ = processor->vocab_.ControlId(model.bos_piece);
  processor->eos_id_ = processor->vocab_.ControlId(model.eos_piece);
  return processor;
}

Status Processor::Encode(std::string_view text, uint32_t base, std::vector<TokenId>* ids,
                         std::vector<TokenSpan>* offsets) const {
  // Offsets into the normalised text are 32-bit, and normalising can triple a text (a space
  // becomes the three bytes of "▁").
  if (text.size() > kMaxText) {
    return ResourceExhaustedError("a text of " + std::to_string(text.size()) +
                                  " bytes is over the 1 GiB a SentencePiece model encodes at once");
  }
  thread_local std::string normalized;
  thread_local std::vector<uint32_t> norm_to_orig;
  thread_local std::vector<ModelToken> tokens;
  // The scratch stays with the thread for its next text, unless this one was large.
  struct ReleaseLarge {
    ~ReleaseLarge() {
      if (normalized.capacity() > kKeptScratch) {
        std::string().swap(normalized);
        std::vector<uint32_t>().swap(norm_to_orig);
        std::vector<ModelToken>().swap(tokens);
      }
    }
  } release_large;
  normalizer_.Normalize(text, &normalized, offsets != nullptr ? &norm_to_orig : nullptr);
  tokens.clear();
  if (bpe_ != nullptr) {
    bpe_->Encode(normalized, &tokens);
  } else {
    unigram_->Encode(normalized, &tokens);
  }
  const uint32_t unk_id = vocab_.unk_id();
  bool prev_unknown = false;
  for (const ModelToken& token : tokens) {
    const bool unknown = token.id == unk_id;
    if (vocab_.type(token.id) == SentencePieceType::kControl) {
      // SentencePiece gives a control piece no text, so the text is not all consumed and
      // it fails the same way.
      return InternalError("sentencepiece: all normalized characters are not consumed");
    }
    const uint32_t begin = offsets != nullptr ? base + norm_to_orig[token.begin] : 0;
    const uint32_t end = offsets != nullptr ? base + norm_to_orig[token.end] : 0;
    if (unknown && byte_fallback_) {
      // The last byte piece spans the character; the ones before it are empty spans.
      for (uint32_t pos = token.begin; pos < token.end; ++pos) {
        ids->push_back(vocab_.byte_id(static_cast<uint8_t>(normalized[pos])));
        if (offsets != nullptr) offsets->push_back({begin, pos + 1 == token.end ? end : begin});
      }
    } else if (unknown && prev_unknown) {
      // A run of unknown pieces is one unknown id.
      if (offsets != nullptr) offsets->back().end = end;
    } else {
      ids->push_back(token.id);
      if (offsets != nullptr) offsets->push_back({begin, end});
    }
    prev_unknown = unknown;
  }
  return Status::Ok();
}

std::string Processor::Decode(std::span<const TokenId> ids) const {
  std::string text;
  std::string bytes;  // a run of byte pieces, written out as UTF-8 where it is valid
  const auto flush_bytes = [&] {
    for (size_t pos = 0; pos < bytes.size();) {
      const size_t length = ValidCharLength(std::string_view(bytes).substr(pos));
      if (length == 0) {
        text.append(kReplacementChar);
        ++pos;
      } else {
        text.append(bytes, pos, length);
        pos += length;
      }
    }
    bytes.clear();
  };
  // SentencePiece drops the "▁" its normaliser put in front: the first one, at the start of
  // the first piece that is not a control or byte piece, if nothing came before it (every
  // such "▁" at the start, with remove_extra_whitespaces).
  bool at_start = true;
  bool stripped = false;
  for (const TokenId id : ids) {
    const SentencePieceEntry& entry = vocab_.entry(id);
    if (entry.type == SentencePieceType::kByte) {
      bytes.push_back(static_cast<char>(PieceToByte(entry.piece)));
      continue;
    }
    flush_bytes();
    if (stripped || !text.empty()) at_start = false;
    stripped = false;
    if (entry.type == SentencePieceType::kControl) continue;
    if (entry.type == SentencePieceType::kUnknown) {
      text.append(unk_surface_);
      continue;
    }
    std::string_view piece = entry.piece;
    if (at_start && strip_leading_space_ && piece.substr(0, kSpaceSymbol.size()) == kSpaceSymbol) {
      piece.remove_prefix(kSpaceSymbol.size());
      stripped = !strip_all_leading_;
    }
    AppendUnescaped(piece, &text);
  }
  flush_bytes();
  return text;
}

}  // namespace tunepack::tokenize::spm
