#include "tunepack/report/stats_json.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace tunepack::report {
namespace {

using nlohmann::ordered_json;

// Rounds to 4 decimals so that the file does not carry floating-point noise.
double Round4(double value) { return std::round(value * 10000.0) / 10000.0; }

ordered_json Distribution(const LengthHistogram& h) {
  ordered_json j = {{"count", h.count()}, {"min", h.min()}, {"mean", Round4(h.mean())}};
  for (const auto& p : kPercentiles) j[p.key] = h.Percentile(p.fraction);
  j["max"] = h.max();
  return j;
}

ordered_json CountsObject(const std::map<std::string, uint64_t>& counts) {
  ordered_json j = ordered_json::object();
  for (const auto& [key, n] : counts) j[key] = n;
  return j;
}

}  // namespace

std::string StatsJson(const DatasetStats& s) {
  ordered_json files = ordered_json::array();
  for (const FileSummary& f : s.files) {
    ordered_json file = {{"path", f.path}, {"format", f.format}, {"records", f.records},
                         {"unreadable", f.unreadable}};
    if (!s.tokenizer.empty()) file["tokens"] = f.tokens;
    if (!f.split.empty()) file["split"] = f.split;
    files.push_back(std::move(file));
  }
  // Per split, for an export: the sums of its files.
  ordered_json splits = ordered_json::object();
  for (const FileSummary& f : s.files) {
    if (f.split.empty()) continue;
    if (!splits.contains(f.split)) {
      splits[f.split] = {{"records", 0}};
      if (!s.tokenizer.empty()) splits[f.split]["tokens"] = 0;
    }
    splits[f.split]["records"] = splits[f.split]["records"].get<uint64_t>() + f.records;
    if (!s.tokenizer.empty()) splits[f.split]["tokens"] = splits[f.split]["tokens"].get<uint64_t>() + f.tokens;
  }
  ordered_json j = {{"files", files},
                    {"records", s.records},
                    {"texts", s.texts},
                    {"conversations", s.conversations},
                    {"unreadable", s.unreadable},
                    {"characters", s.characters}};
  if (!splits.empty()) j["splits"] = splits;
  if (!s.generation_prompt.empty()) {
    j["generation_prompt_left"] = {{"prompt", s.generation_prompt},
                                   {"texts", s.texts_with_generation_prompt}};
  }
  if (s.conversations > 0) {
    j["turns"] = Distribution(s.turns);
    j["missing_system"] = s.missing_system;
    j["missing_user"] = s.missing_user;
  }
  if (s.preference_pairs + s.unpaired_preferences > 0) {
    ordered_json preference = {{"pairs", s.preference_pairs},
                               {"unpaired", s.unpaired_preferences},
                               {"identical_pairs", s.identical_pairs}};
    if (!s.tokenizer.empty()) {
      preference["tokens"] = {{"prompt", Distribution(s.prompt_tokens)},
                              {"chosen", Distribution(s.chosen_tokens)},
                              {"rejected", Distribution(s.rejected_tokens)}};
    }
    j["preference"] = preference;
  }
  if (s.tokenizer.empty()) {
    j["tokens"] = nullptr;
  } else {
    ordered_json tokens = {{"tokenizer", s.tokenizer},
                           {"total", s.tokens.sum()},
                           {"per_example", Distribution(s.tokens)},
                           {"by_role", CountsObject(s.tokens_by_role)}};
    ordered_json bins = ordered_json::array();
    for (const LengthHistogram::Bin& bin : s.tokens.Bins(kHistogramBins)) {
      bins.push_back({{"from", bin.from}, {"to", bin.to}, {"count", bin.count}});
    }
    tokens["histogram"] = bins;
    if (s.max_tokens > 0) {
      tokens["max_tokens"] = s.max_tokens;
      tokens["over_limit"] = s.tokens.CountAbove(s.max_tokens);
      tokens["tokens_over_limit"] = s.tokens.ExcessAbove(s.max_tokens);
    }
    j["tokens"] = tokens;
    j["billing"] = {{"per_example", Distribution(s.billed_per_example)},
                    {"cap", s.billing_cap},
                    {"over_cap", s.over_billing_cap},
                    {"tokens_per_epoch", s.billed_per_epoch}};
  }
  j["languages"] = CountsObject(s.languages);
  ordered_json language_scores = ordered_json::object();
  for (const auto& [code, score] : s.language_scores) {
    language_scores[code] = {{"count", score.count}, {"min", Round4(score.min)},
                             {"mean", Round4(score.mean())}, {"max", Round4(score.max)}};
  }
  j["language_scores"] = language_scores;
  ordered_json quality = {{"records", s.quality_records}};
  ordered_json scores = ordered_json::object();
  for (const auto& [name, score] : s.quality) {
    scores[name] = {{"count", score.count}, {"min", Round4(score.min)},
                    {"mean", Round4(score.mean())}, {"max", Round4(score.max)}};
  }
  quality["scores"] = scores;
  j["quality"] = quality;
  if (s.export_counts) {
    const ExportCounts& e = *s.export_counts;
    j["export"] = {{"inputs", e.inputs},
                   {"written", e.written},
                   {"filtered", e.filtered},
                   {"rejected", e.rejected},
                   {"examples_written", e.examples_written},
                   {"examples_truncated", e.examples_truncated},
                   {"duplicates", e.duplicates()},
                   {"filtered_by_reason", CountsObject(e.filtered_by_reason)},
                   {"rejected_by_reason", CountsObject(e.rejected_by_reason)}};
  }
  if (s.price_per_million && !s.tokenizer.empty()) {
    j["cost"] = {{"price_per_million", *s.price_per_million},
                 {"epochs", s.epochs},
                 {"default_epochs", s.default_epochs},
                 {"billed_tokens", s.BilledTokens()},
                 {"estimated", Round4(*s.EstimatedCost())}};
  }
  return j.dump(2) + "\n";
}

}  // namespace tunepack::report
