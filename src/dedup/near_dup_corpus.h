// A generator of near-duplicate test sets, and the scoring of a deduper against it.
//
// Real paragraphs (license texts, manuals) are grouped into base documents; some get
// variants made by controlled edits (word insertions, deletions, replacements, adjacent
// swaps, sentence reorderings) of a random strength, so similarities spread across the
// threshold. Ground truth is the exact Jaccard of the word n-gram sets, computed for every
// pair that shares a shingle: a record is a true duplicate when some earlier record is at
// least `threshold` similar, which is exactly the keep-first decision a deduper makes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::dedup {

// Returns the paragraphs (blank-line separated, white space collapsed) of the files at
// `paths` that have at least `min_words` words, in file order.
Result<std::vector<std::string>> ReadParagraphs(const std::vector<std::string>& paths,
                                                int min_words);

// Returns the regular files of `dir` (symlinks to the same file counted once), sorted.
std::vector<std::string> ListFiles(const std::string& dir);

struct NearDupCorpusOptions {
  uint64_t seed = 42;
  int base_min_words = 60;       ///< paragraphs are merged until a base has this many words
  size_t max_bases = 0;          ///< 0: all
  double variants_per_base = 0.8;
  double max_edit_fraction = 0.08;  ///< word edits per word, drawn uniformly from [0, max]
  int ngram = 5;
  double threshold = 0.8;
};

struct NearDupCorpus {
  std::vector<std::string> docs;       ///< in feeding order
  std::vector<std::string> edits;      ///< how each doc was made ("base", "insert 3", ...)
  std::vector<double> best_earlier;    ///< max exact Jaccard with any earlier doc
  std::vector<bool> duplicate;         ///< best_earlier >= threshold
};

// Builds a test set from `paragraphs`. Deterministic for a given seed.
NearDupCorpus MakeNearDupCorpus(const std::vector<std::string>& paragraphs,
                                const NearDupCorpusOptions& options);

struct DedupScore {
  size_t true_positives = 0, false_positives = 0, false_negatives = 0, true_negatives = 0;
  double precision = 0, recall = 0, f1 = 0;
};

// Scores predicted duplicate flags against the truth, duplicates being the positive class.
DedupScore ScoreDedup(const std::vector<bool>& truth, const std::vector<bool>& predicted);

}  // namespace tunepack::dedup
