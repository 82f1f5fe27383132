#include "tunepack/report/stats_text.h"

#include <cmath>
#include <cstdio>

#include "tunepack/report/stats_json.h"

namespace tunepack::report {
namespace {

std::string Decimal(double value, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

std::string Distribution(const LengthHistogram& h) {
  std::string out = "min " + std::to_string(h.min()) + ", mean " + Decimal(h.mean());
  for (const auto& p : kPercentiles) out += std::string(", ") + p.key + " " + std::to_string(h.Percentile(p.fraction));
  return out + ", max " + std::to_string(h.max());
}

std::string Counts(const std::map<std::string, uint64_t>& counts) {
  std::string out;
  for (const auto& [key, n] : counts) {
    if (!out.empty()) out += ", ";
    out += key + " " + std::to_string(n);
  }
  return out;
}

}  // namespace

std::string StatsText(const DatasetStats& s) {
  std::string out;
  for (const FileSummary& f : s.files) {
    out += "file: " + f.path + " (" + (f.format.empty() ? "empty" : f.format) + ", " +
           std::to_string(f.records) + " records";
    if (f.unreadable) out += ", " + std::to_string(f.unreadable) + " unreadable";
    out += ")\n";
  }
  out += "records: " + std::to_string(s.records) + " (" + std::to_string(s.conversations) +
         " conversations, " + std::to_string(s.texts) + " texts";
  if (s.preference_pairs) out += ", " + std::to_string(s.preference_pairs) + " preference pairs";
  if (s.unpaired_preferences) out += ", " + std::to_string(s.unpaired_preferences) + " unpaired preferences";
  out += ")\n";
  if (s.identical_pairs) {
    out += "warning: " + std::to_string(s.identical_pairs) +
           " preference pairs have identical chosen and rejected answers (nothing to learn from them)\n";
  }
  if (s.unreadable) out += "unreadable records: " + std::to_string(s.unreadable) + "\n";
  if (s.texts_with_generation_prompt) {
    out += "warning: " + std::to_string(s.texts_with_generation_prompt) +
           " texts end with the chat template's generation prompt (an empty assistant turn); "
           "export with --strip-generation-prompt to cut it\n";
  }
  out += "characters: " + std::to_string(s.characters) + "\n";
  if (s.conversations) {
    out += "turns per conversation: " + Distribution(s.turns) + "\n";
    out += "conversations missing a system message: " + std::to_string(s.missing_system) +
           ", a user message: " + std::to_string(s.missing_user) + "\n";
  }
  if (s.tokenizer.empty()) {
    out += "tokens: not counted (pass --tokenizer)\n";
  } else {
    out += "tokens (" + s.tokenizer + "): " + std::to_string(s.tokens.sum()) + "\n";
    out += "tokens per example: " + Distribution(s.tokens) + "\n";
    out += "tokens by role: " + Counts(s.tokens_by_role) + "\n";
    if (s.preference_pairs + s.unpaired_preferences) {
      out += "prompt tokens: " + Distribution(s.prompt_tokens) + "\n";
      if (s.chosen_tokens.count()) out += "chosen tokens: " + Distribution(s.chosen_tokens) + "\n";
      if (s.rejected_tokens.count()) out += "rejected tokens: " + Distribution(s.rejected_tokens) + "\n";
    }
    if (s.conversations) {  // otherwise the billed tokens are the tokens above
      out += "billed tokens per epoch (OpenAI's count): " + std::to_string(s.billed_per_epoch) + ", up to " +
             std::to_string(s.billing_cap) + " per example; per example: " + Distribution(s.billed_per_example) + "\n";
    }
    if (s.over_billing_cap) {
      out += "warning: " + std::to_string(s.over_billing_cap) + " examples are billed for over " +
             std::to_string(s.billing_cap) + " tokens: they will be truncated in training\n";
    }
    if (s.max_tokens) {
      out += "over " + std::to_string(s.max_tokens) + " tokens: " +
             std::to_string(s.tokens.CountAbove(s.max_tokens)) + " examples (" +
             std::to_string(s.tokens.ExcessAbove(s.max_tokens)) + " tokens beyond the limit)\n";
    }
  }
  if (!s.languages.empty()) out += "languages: " + Counts(s.languages) + "\n";
  if (s.quality_records) out += "quality scores: " + std::to_string(s.quality_records) + " records\n";
  if (s.export_counts) {
    const ExportCounts& e = *s.export_counts;
    out += "export: " + std::to_string(e.inputs) + " inputs, " + std::to_string(e.written) +
           " written, " + std::to_string(e.filtered) + " filtered, " + std::to_string(e.rejected) +
           " rejected (" + std::to_string(e.duplicates()) + " duplicates)\n";
    if (!e.filtered_by_reason.empty()) out += "filtered by reason: " + Counts(e.filtered_by_reason) + "\n";
    if (!e.rejected_by_reason.empty()) out += "rejected by reason: " + Counts(e.rejected_by_reason) + "\n";
  }
  if (std::optional<double> cost = s.EstimatedCost()) {
    out += "estimated cost: " + Decimal(*cost, 4) + " (" + std::to_string(s.BilledTokens()) +
           " billed tokens over " + std::to_string(s.epochs) + " epochs" +
           (s.default_epochs ? " (OpenAI's default for " + std::to_string(s.records) + " examples)" : std::string()) +
           " at " +
           Decimal(*s.price_per_million) + " per million)\n";
  }
  return out;
}

}  // namespace tunepack::report
