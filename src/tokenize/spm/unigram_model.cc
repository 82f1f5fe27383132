#include "tokenize/spm/unigram_model.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "tokenize/spm/normalizer.h"

namespace tunepack::tokenize::spm {
namespace {

// SentencePiece's kUnkPenalty.
constexpr float kUnkPenalty = 10.0f;

}  // namespace

Result<std::unique_ptr<UnigramModel>> UnigramModel::Create(const Vocab& vocab) {
  std::unique_ptr<UnigramModel> model(new UnigramModel(vocab));
  // As SentencePiece initialises them: FLT_MIN (the least positive float, not the most
  // negative) is where the maximum starts, so a vocabulary of negative scores keeps it.
  float min_score = FLT_MAX;
  float max_score = FLT_MIN;
  std::vector<PieceTrie::Entry> entries;
  for (uint32_t id = 0; id < vocab.size(); ++id) {
    const SentencePieceEntry& entry = vocab.entry(id);
    if (entry.type == SentencePieceType::kNormal) {
      min_score = std::min(min_score, entry.score);
      max_score = std::max(max_score, entry.score);
    }
    // Unused pieces are in SentencePiece's trie but skipped when found: leaving them out
    // finds the same pieces.
    if (entry.type == SentencePieceType::kNormal || entry.type == SentencePieceType::kUserDefined) {
      entries.push_back({entry.piece, static_cast<int32_t>(id)});
    }
  }
  model->unk_score_ = min_score - kUnkPenalty;
  // The types are SentencePiece's: a user-defined symbol scores (length * max_score - 0.1),
  // a float product and a double difference, so every score is added as a double. A
  // user-defined symbol's float score is NaN here and its own read from
  // user_defined_scores_.
  model->scores_.resize(vocab.size());
  model->user_defined_scores_.resize(vocab.size());
  for (uint32_t id = 0; id < vocab.size(); ++id) {
    const SentencePieceEntry& entry = vocab.entry(id);
    model->scores_[id] = entry.score;
    if (entry.type != SentencePieceType::kUserDefined) continue;
    model->user_defined_scores_[id] = static_cast<double>(static_cast<float>(entry.piece.size()) * max_score) - 0.1;
    model->scores_[id] = std::numeric_limits<float>::quiet_NaN();
  }
  // The vocabulary has no index of these pieces: the trie's sort finds a repeated one.
  int32_t first_repeat = PieceTrie::kNoValue;
  model->trie_ = PieceTrie::Build(std::move(entries), &first_repeat);
  if (first_repeat != PieceTrie::kNoValue) return RepeatedPieceError(static_cast<uint32_t>(first_repeat));
  return model;
}

void UnigramModel::Encode(std::string_view normalized, std::vector<ModelToken>* tokens) const {
  if (normalized.empty()) return;
  struct Best {
    float score = 0;
    int32_t starts_at = -1;
    uint32_t id = 0;
  };
  thread_local std::vector<Best> best;
  const auto size = static_cast<uint32_t>(normalized.size());
  // Every byte 0xFF: starts_at -1 ("not reached"); the start's score is 0.
  best.resize(size + 1);
  std::memset(best.data(), 0xFF, best.size() * sizeof(Best));
  best[0].score = 0;
  const uint32_t unk_id = vocab_.unk_id();
  for (uint32_t start = 0; start < size;) {
    const float here = best[start].score;
    const auto char_length = static_cast<uint32_t>(std::min<size_t>(OneCharLength(normalized[start]), size - start));
    bool has_single = false;
    trie_.ForEachPrefix(normalized.substr(start), [&](size_t length, int32_t id) {
      const float score = scores_[id];
      Best& target = best[start + length];
      // Summed in double, compared with the float best and stored as a float, as in
      // SentencePiece.
      const double piece_score = std::isnan(score) ? user_defined_scores_[id] : static_cast<double>(score);
      const double candidate = piece_score + static_cast<double>(here);
      if (target.starts_at < 0 || candidate > static_cast<double>(target.score)) {
        target = {static_cast<float>(candidate), static_cast<int32_t>(start), static_cast<uint32_t>(id)};
      }
      if (length == char_length) has_single = true;
    });
    if (!has_single) {
      Best& target = best[start + char_length];
      const float candidate = unk_score_ + here;  // float + float, as SentencePiece sums it
      if (target.starts_at < 0 || candidate > target.score) {
        target = {candidate, static_cast<int32_t>(start), unk_id};
      }
    }
    start += char_length;
  }
  const size_t first = tokens->size();
  for (uint32_t end = size; end > 0;) {
    const Best& node = best[end];
    if (node.starts_at < 0) break;  // unreachable with valid UTF-8, which the normaliser gives
    const auto start = static_cast<uint32_t>(node.starts_at);
    tokens->push_back({node.id, start, end});
    end = start;
  }
  std::reverse(tokens->begin() + static_cast<std::ptrdiff_t>(first), tokens->end());
  // 12 bytes a byte of text: a large text's table is not kept for the thread's next one.
  if (best.size() > (size_t{1} << 24)) std::vector<Best>().swap(best);
}

}  // namespace tunepack::tokenize::spm
