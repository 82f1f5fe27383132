// Decontamination: drops training records that share a word n-gram with evaluation data,
// the GPT-3 / lm-evaluation-harness rule (13-grams, case and punctuation ignored).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::dedup {

// DecontaminationHit: the first n-gram of a record found in the evaluation data.
struct DecontaminationHit {
  bool contaminated = false;
  size_t ngrams = 0;        ///< how many of the record's n-grams are in the evaluation data
  size_t first_word = 0;    ///< word index of the first shared n-gram
};

// Decontaminator holds the n-gram hashes of evaluation texts (8 bytes per distinct n-gram;
// a benchmark of a million words takes about 16 MB with the set's overhead). Build it with
// Add(), then Check() is const and thread-safe.
//
// Example:
//   Decontaminator decont(13);
//   for (const std::string& item : eval_items) decont.Add(item);
//   if (decont.Check(text).contaminated) ledger.Drop(id, "contaminated: shares a 13-gram");
class Decontaminator {
 public:
  explicit Decontaminator(int ngram = 13) : ngram_(ngram < 1 ? 1 : ngram) {}

  // Adds the n-grams of one evaluation text. Texts shorter than n words add one n-gram of
  // all their words, so a short answer still matches a record that contains it verbatim
  // only when the record has exactly those words; this is the harness's behaviour for short
  // items too (they rarely match).
  void Add(std::string_view text);

  // Adds every line of `jsonl_or_text`: for JSONL lines, the string values of the record
  // (prompt, question, answer, choices...) are added one by one.
  Status AddFile(const std::string& path);

  // Returns whether `text` shares an n-gram with the evaluation data.
  DecontaminationHit Check(std::string_view text) const;

  size_t size() const { return ngrams_.size(); }
  int ngram() const { return ngram_; }

 private:
  int ngram_;
  std::unordered_set<uint64_t> ngrams_;
};

}  // namespace tunepack::dedup
