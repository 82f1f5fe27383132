#include "tokenize/hf/wordpiece_model.h"

#include "tokenize/hf/vocab_entries.h"
#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::hf {

Result<std::unique_ptr<WordPieceModel>> WordPieceModel::Create(Json model) {
  std::vector<std::string> tokens;
  TP_ASSIGN_OR_RETURN(const size_t entry_count,
                      ForEachVocabEntry(model, "WordPiece", [&](std::string_view token, uint32_t id) {
                        if (id >= tokens.size()) tokens.resize(id + 1);
                        tokens[id] = std::string(token);
                        return Status::Ok();
                      }));
  auto vocab = RankTable::Build(std::move(tokens));
  if (!vocab.ok()) return vocab.error().WithContext("WordPiece vocab");
  std::unique_ptr<WordPieceModel> wordpiece(new WordPieceModel(std::move(*vocab)));
  wordpiece->entry_count_ = entry_count;
  const std::string_view unk = StringOr(model, "unk_token", "[UNK]");
  wordpiece->unk_id_ = wordpiece->vocab_.Find(unk);
  if (wordpiece->unk_id_ == RankTable::kNoRank) {
    return InvalidArgumentError("unk_token \"" + std::string(unk) + "\" is not in the vocab");
  }
  wordpiece->prefix_ = std::string(StringOr(model, "continuing_subword_prefix", "##"));
  uint64_t max_chars = 100;
  if (model.at_key("max_input_chars_per_word").get(max_chars) == simdjson::SUCCESS) {
    wordpiece->max_chars_ = max_chars;
  }
  return wordpiece;
}

void WordPieceModel::Encode(std::string_view word, std::vector<ModelToken>* tokens) const {
  const uint32_t size = static_cast<uint32_t>(word.size());
  std::vector<uint32_t> char_ends;  // end of each character
  for (uint32_t pos = 0; pos < size;) {
    pos += DecodeAt(word, pos).length;
    char_ends.push_back(pos);
  }
  if (char_ends.size() > max_chars_) {
    tokens->push_back({unk_id_, 0, size});
    return;
  }
  const size_t first = tokens->size();
  std::string candidate;
  uint32_t start = 0;
  size_t start_char = 0;
  while (start < size) {
    uint32_t found = RankTable::kNoRank;
    size_t end_char = char_ends.size();
    for (; end_char > start_char; --end_char) {
      const uint32_t end = char_ends[end_char - 1];
      candidate.clear();
      if (start > 0) candidate += prefix_;
      candidate.append(word.substr(start, end - start));
      found = vocab_.Find(candidate);
      if (found != RankTable::kNoRank) break;
    }
    if (found == RankTable::kNoRank) {
      tokens->resize(first);
      tokens->push_back({unk_id_, 0, size});
      return;
    }
    const uint32_t end = char_ends[end_char - 1];
    tokens->push_back({found, start, end});
    start = end;
    start_char = end_char;
  }
}

}  // namespace tunepack::tokenize::hf
