// Gopher quality heuristics (Rae et al. 2021, "Scaling Language Models", arXiv 2112.11446,
// appendix A; thresholds as datatrove's GopherQualityFilter and GopherRepetitionFilter
// apply them): per-record scores, and rules that turn scores into keep/drop with a reason.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/status.h"

namespace tunepack::quality {

// GopherScores: every measure the rules look at, for one text. Fractions are in [0, 1].
struct GopherScores {
  size_t words = 0;                  ///< words with at least one non-punctuation character
  double mean_word_length = 0;       ///< code points, over those words
  double hash_to_word = 0;           ///< '#' characters per word
  double ellipsis_to_word = 0;       ///< "..." and "…" per word
  double bullet_lines = 0;           ///< lines starting with '•' or '-' (after indentation)
  double ellipsis_lines = 0;         ///< lines ending with "..." or "…"
  double alpha_words = 0;            ///< white-space words containing a letter
  size_t stop_words = 0;             ///< occurrences of the, be, to, of, and, that, have, with
  double dup_lines = 0;              ///< lines equal to an earlier line / lines
  double dup_paragraphs = 0;         ///< paragraphs (split on blank lines) repeated / paragraphs
  double dup_line_chars = 0;         ///< characters in repeated lines / characters
  double dup_paragraph_chars = 0;    ///< characters in repeated paragraphs / characters
  std::array<double, 3> top_ngram_chars{};  ///< n = 2, 3, 4: most frequent n-gram's chars x count / chars
  std::array<double, 6> dup_ngram_chars{};  ///< n = 5..10: chars in repeated n-grams / chars

  // Appends the scores as one JSON object (rounded to 4 digits), for record metadata.
  void AppendJson(std::string* out) const;
};

// Returns the scores of `text`. Pure and thread-safe; linear in the text size.
GopherScores ScoreGopher(std::string_view text);

// QualityRule: one threshold on one score. A record fails the rule when its score is below
// a minimum rule's threshold or above a maximum rule's threshold.
struct QualityRule {
  std::string name;       ///< e.g. "min_words"; used in reasons and to set the threshold
  std::string doc;        ///< one line, for --help and the report
  double (*score)(const GopherScores&) = nullptr;
  bool is_max = false;    ///< true: fail above threshold; false: fail below
  double threshold = 0;
  bool enabled = true;
};

// Returns the Gopher rules with their published thresholds, in the order datatrove checks
// them (quality rules, then repetition rules).
std::vector<QualityRule> DefaultGopherRules();

// Sets the threshold of the rule called `name` ("max_dup_lines=0.5" on the command line),
// or disables it when `value` is negative. Returns NotFound naming the rules otherwise.
Status SetRuleThreshold(std::vector<QualityRule>& rules, std::string_view name, double value);

// Returns the first rule `scores` fails, or nullptr when it passes them all.
const QualityRule* FirstFailedRule(const std::vector<QualityRule>& rules,
                                   const GopherScores& scores);

// Returns the ledger reason for a failed rule, e.g. "quality: min_words (12 < 50)".
std::string FailureReason(const QualityRule& rule, const GopherScores& scores);

}  // namespace tunepack::quality
