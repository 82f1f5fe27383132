#include "tokenize/hf/unigram_model.h"

#include <algorithm>
#include <limits>

#include "tokenize/hf/json_number.h"
#include "tokenize/hf/vocab_entries.h"
#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::hf {
namespace {

// Hugging Face's K_UNK_PENALTY: unknown characters score this much below the lowest piece.
constexpr double kUnkPenalty = 10.0;

// Returns the scores of model.vocab in `document`, each converted from its JSON text as
// Hugging Face does (the DOM only keeps the nearest double, which can differ by an ulp).
Result<std::vector<double>> ReadScores(const simdjson::padded_string& document) {
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document root;
  simdjson::ondemand::array vocab;
  if (parser.iterate(document).get(root) != simdjson::SUCCESS ||
      root.find_field_unordered("model").find_field_unordered("vocab").get_array().get(vocab) !=
          simdjson::SUCCESS) {
    return InvalidArgumentError("cannot read the Unigram vocab scores again");
  }
  std::vector<double> scores;
  for (auto entry : vocab) {
    simdjson::ondemand::array pair;
    if (entry.get_array().get(pair) != simdjson::SUCCESS) break;
    size_t index = 0;
    for (auto field : pair) {
      if (index++ != 1) continue;
      std::string_view token;
      if (field.raw_json_token().get(token) != simdjson::SUCCESS) break;
      // The token runs up to the next one: drop the whitespace between them.
      while (!token.empty() && (token.back() == ' ' || token.back() == '\n' ||
                                token.back() == '\r' || token.back() == '\t')) {
        token.remove_suffix(1);
      }
      auto score = ParseHfJsonNumber(token);
      if (!score.ok()) {
        return score.error().WithContext("Unigram vocab entry " + std::to_string(scores.size()));
      }
      scores.push_back(*score);
    }
  }
  return scores;
}

}  // namespace

Result<std::unique_ptr<UnigramModel>> UnigramModel::Create(Json model,
                                                           const simdjson::padded_string& document) {
  simdjson::dom::array vocab_json;
  if (model.at_key("vocab").get(vocab_json) != simdjson::SUCCESS) {
    return InvalidArgumentError("a Unigram model needs a \"vocab\" array of [piece, score]");
  }
  std::vector<std::string> tokens;
  for (Json entry : vocab_json) {
    simdjson::dom::array pair;
    std::string_view piece;
    double score = 0;
    if (entry.get(pair) != simdjson::SUCCESS || pair.size() != 2 ||
        pair.at(0).get(piece) != simdjson::SUCCESS || pair.at(1).get(score) != simdjson::SUCCESS) {
      return InvalidArgumentError("Unigram vocab entry " + std::to_string(tokens.size()) +
                                  " is not [piece, score]");
    }
    tokens.emplace_back(piece);
  }
  TP_ASSIGN_OR_RETURN(std::vector<double> scores, ReadScores(document));
  if (scores.size() != tokens.size()) {
    return InvalidArgumentError("the Unigram vocab has " + std::to_string(tokens.size()) +
                                " entries but " +
                                std::to_string(scores.size()) + " scores were read again");
  }
  std::vector<std::string> pieces = tokens;
  auto vocab = RankTable::Build(std::move(tokens));
  if (!vocab.ok()) return vocab.error().WithContext("Unigram vocab");
  std::unique_ptr<UnigramModel> unigram(new UnigramModel(std::move(*vocab)));
  unigram->entry_count_ = pieces.size();
  unigram->scores_ = std::move(scores);
  unigram->byte_fallback_ = BoolOr(model, "byte_fallback", false);
  uint64_t unk_id = 0;
  if (model.at_key("unk_id").get(unk_id) == simdjson::SUCCESS) {
    if (unk_id >= pieces.size()) return InvalidArgumentError("Unigram unk_id is out of the vocab");
    unigram->unk_id_ = static_cast<uint32_t>(unk_id);
  }
  double min_score = std::numeric_limits<double>::infinity();
  for (const double score : unigram->scores_) min_score = std::min(min_score, score);
  unigram->unk_score_ = min_score - kUnkPenalty;
  unigram->byte_ids_ = ByteFallbackIds([&](std::string_view name) { return unigram->vocab_.Find(name); });
  unigram->trie_.emplace_back();
  for (uint32_t id = 0; id < pieces.size(); ++id) {
    const std::string& piece = pieces[id];
    if (piece.empty()) continue;
    uint32_t node = 0;
    for (const char c : piece) {
      const uint8_t byte = static_cast<uint8_t>(c);
      auto& children = unigram->trie_[node].children;
      auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(byte, uint32_t{0}));
      if (it != children.end() && it->first == byte) {
        node = it->second;
      } else {
        const uint32_t child = static_cast<uint32_t>(unigram->trie_.size());
        children.insert(it, {byte, child});
        unigram->trie_.emplace_back();
        node = child;
      }
    }
    unigram->trie_[node].token = static_cast<int32_t>(id);
  }
  return unigram;
}

void UnigramModel::Encode(std::string_view word, std::vector<ModelToken>* tokens) const {
  struct Best {
    double score = 0;
    int64_t starts_at = -1;
    uint32_t id = 0;
  };
  const uint32_t size = static_cast<uint32_t>(word.size());
  std::vector<Best> best(size + 1);
  for (uint32_t start = 0; start < size;) {
    const double here = best[start].score;
    const uint32_t char_length = DecodeAt(word, start).length;
    bool has_single = false;
    uint32_t node = 0;
    for (uint32_t pos = start; pos < size; ++pos) {
      const auto& children = trie_[node].children;
      const uint8_t byte = static_cast<uint8_t>(word[pos]);
      auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(byte, uint32_t{0}));
      if (it == children.end() || it->first != byte) break;
      node = it->second;
      const int32_t id = trie_[node].token;
      if (id < 0) continue;
      const uint32_t end = pos + 1;
      const double candidate = here + scores_[id];
      // Ties keep the first (shorter) candidate, as Hugging Face's strict comparison does.
      if (best[end].starts_at < 0 || candidate > best[end].score) {
        best[end] = {candidate, start, static_cast<uint32_t>(id)};
      }
      if (end - start == char_length) has_single = true;
    }
    if (!has_single && unk_id_) {
      const uint32_t end = start + char_length;
      const double candidate = here + unk_score_;
      if (best[end].starts_at < 0 || candidate > best[end].score) best[end] = {candidate, start, *unk_id_};
    }
    start += char_length;
  }
  // Walk back; runs of unk are fused into one piece.
  std::vector<ModelToken> pieces;
  uint32_t end = size;
  std::optional<ModelToken> unk;
  while (end > 0) {
    const Best& node = best[end];
    if (node.starts_at < 0) break;  // no unk id and an uncovered character: nothing to emit
    const uint32_t start = static_cast<uint32_t>(node.starts_at);
    if (unk_id_ && node.id == *unk_id_) {
      if (unk) {
        unk->begin = start;
      } else {
        unk = ModelToken{*unk_id_, start, end};
      }
    } else {
      if (unk) {
        pieces.push_back(*unk);
        unk.reset();
      }
      pieces.push_back({node.id, start, end});
    }
    end = start;
  }
  if (unk) pieces.push_back(*unk);
  std::reverse(pieces.begin(), pieces.end());
  for (const ModelToken& piece : pieces) {
    // Hugging Face looks each piece up by its text again: a fused unknown stretch that is
    // itself a piece gets that piece's id.
    const std::string_view text = word.substr(piece.begin, piece.end - piece.begin);
    const uint32_t id = vocab_.Find(text);
    if (id != RankTable::kNoRank) {
      tokens->push_back({id, piece.begin, piece.end});
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (const char c : text) all = all && byte_ids_[static_cast<uint8_t>(c)] != RankTable::kNoRank;
      if (all) {
        for (const char c : text) tokens->push_back({byte_ids_[static_cast<uint8_t>(c)], piece.begin, piece.end});
        continue;
      }
    }
    tokens->push_back({unk_id_.value_or(0), piece.begin, piece.end});
  }
}

}  // namespace tunepack::tokenize::hf
