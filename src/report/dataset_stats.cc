#include "tunepack/report/dataset_stats.h"

#include <algorithm>

#include <simdjson.h>

#include "tunepack/core/reject_reason.h"
#include "tunepack/core/utf8.h"
#include "tunepack/report/example_tokens.h"

namespace tunepack::report {
namespace {

uint64_t CountCodePoints(std::string_view text) {
  // Every byte that is not a UTF-8 continuation byte starts a code point.
  uint64_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

void ScoreSummary::Add(double value) {
  if (count == 0) {
    min = max = value;
  } else {
    min = std::min(min, value);
    max = std::max(max, value);
  }
  ++count;
  sum += value;
}

uint64_t ExportCounts::duplicates() const {
  uint64_t n = 0;
  for (RejectReason reason : {RejectReason::kDuplicate, RejectReason::kNearDuplicate}) {
    for (const auto* counts : {&filtered_by_reason, &rejected_by_reason}) {
      auto it = counts->find(std::string(RejectReasonName(reason)));
      if (it != counts->end()) n += it->second;
    }
  }
  return n;
}

uint64_t DatasetStats::BilledTokens() const { return billed_per_epoch * epochs; }

uint32_t OpenAiDefaultEpochs(uint64_t examples) {
  constexpr uint64_t kTargetEpochs = 3, kMinTargetExamples = 100, kMaxTargetExamples = 25000;
  constexpr uint64_t kMinEpochs = 1, kMaxEpochs = 25;
  if (examples == 0) return kTargetEpochs;
  if (examples * kTargetEpochs < kMinTargetExamples) {
    return static_cast<uint32_t>(std::min(kMaxEpochs, kMinTargetExamples / examples));
  }
  if (examples * kTargetEpochs > kMaxTargetExamples) {
    return static_cast<uint32_t>(std::max(kMinEpochs, kMaxTargetExamples / examples));
  }
  return kTargetEpochs;
}

Result<OpenAiBilling> OpenAiBilling::Create(std::shared_ptr<const tokenize::Tokenizer> tokenizer) {
  OpenAiBilling billing;
  for (Role role : {Role::kSystem, Role::kUser, Role::kAssistant, Role::kTool}) {
    TP_ASSIGN_OR_RETURN(billing.role_tokens_[static_cast<size_t>(role)], tokenizer->Count(RoleName(role), {}));
  }
  billing.tokenizer_ = std::move(tokenizer);
  return billing;
}

Result<uint64_t> OpenAiBilling::Billed(const Example& example, const ExampleTokens& tokens) const {
  if (example.kind != ExampleKind::kConversation) return tokens.total;
  constexpr uint64_t kTokensPerMessage = 3, kTokensPerName = 1, kReplyPriming = 3;
  auto tools = tokens.by_role.find("tools");
  uint64_t billed = tokens.total - (tools == tokens.by_role.end() ? 0 : tools->second) + kReplyPriming;
  for (const Message& message : example.messages) {
    billed += kTokensPerMessage + role_tokens_[static_cast<size_t>(message.role)];
    if (!message.name.empty()) {
      TP_ASSIGN_OR_RETURN(size_t name, tokenizer_->Count(message.name, {}));
      billed += kTokensPerName + name;
    }
  }
  return billed;
}

std::optional<double> DatasetStats::EstimatedCost() const {
  if (!price_per_million || tokenizer.empty()) return std::nullopt;
  return static_cast<double>(BilledTokens()) / 1e6 * *price_per_million;
}

StatsCollector::StatsCollector(StatsOptions options) : options_(std::move(options)) {
  if (options_.tokenizer) stats_.tokenizer = std::string(options_.tokenizer->name());
  stats_.generation_prompt = options_.generation_prompt;
  stats_.max_tokens = options_.max_tokens;
  stats_.price_per_million = options_.price_per_million;
  stats_.billing_cap = options_.max_tokens ? options_.max_tokens : kOpenAiTokensPerExample;
}

void StatsCollector::BeginFile(std::string path, std::string format) {
  FileSummary file;
  file.path = std::move(path);
  file.format = std::move(format);
  stats_.files.push_back(std::move(file));
}

void StatsCollector::NameLastFileFormat(std::string format) {
  if (!stats_.files.empty()) stats_.files.back().format = std::move(format);
}

void StatsCollector::AddUnreadable() {
  ++stats_.unreadable;
  if (!stats_.files.empty()) ++stats_.files.back().unreadable;
}

Status StatsCollector::Add(const Example& example) {
  ++stats_.records;
  if (!stats_.files.empty()) ++stats_.files.back().records;
  const std::string& prompt = options_.generation_prompt;
  if (example.kind == ExampleKind::kText && !prompt.empty() && example.text.size() >= prompt.size() &&
      example.text.compare(example.text.size() - prompt.size(), prompt.size(), prompt) == 0) {
    ++stats_.texts_with_generation_prompt;
  }
  if (example.kind == ExampleKind::kText) {
    ++stats_.texts;
    stats_.characters += CountCodePoints(example.text);
  } else {
    if (example.kind == ExampleKind::kConversation) {
      ++stats_.conversations;
      stats_.turns.Add(example.messages.size());
      auto has = [&](Role role) {
        return std::any_of(example.messages.begin(), example.messages.end(),
                           [&](const Message& message) { return message.role == role; });
      };
      stats_.missing_system += !has(Role::kSystem);
      stats_.missing_user += !has(Role::kUser);
    } else if (example.kind == ExampleKind::kPreference) {
      ++stats_.preference_pairs;
      if (example.chosen == example.rejected) ++stats_.identical_pairs;
    } else {
      ++stats_.unpaired_preferences;
    }
    ForEachMessage(example, [&](const Message& message) { stats_.characters += CountCodePoints(message.content); });
  }
  if (options_.tokenizer) {
    TP_ASSIGN_OR_RETURN(ExampleTokens tokens, CountExampleTokens(*options_.tokenizer, example,
                                                                      options_.rendered_by_template));
    stats_.tokens.Add(tokens.total);
    if (!stats_.files.empty()) stats_.files.back().tokens += tokens.total;
    for (const auto& [role, n] : tokens.by_role) stats_.tokens_by_role[role] += n;
    if (!billing_) {
      TP_ASSIGN_OR_RETURN(billing_, OpenAiBilling::Create(options_.tokenizer));
    }
    TP_ASSIGN_OR_RETURN(const uint64_t billed, billing_->Billed(example, tokens));
    stats_.billed_per_example.Add(billed);
    stats_.billed_per_epoch += std::min(billed, stats_.billing_cap);
    stats_.over_billing_cap += billed > stats_.billing_cap;
    if (IsPreference(example.kind)) {
      auto side = [&](const char* name) {
        auto it = tokens.by_role.find(name);
        return it == tokens.by_role.end() ? uint64_t{0} : it->second;
      };
      const uint64_t chosen = side("chosen");
      const uint64_t rejected = side("rejected");
      stats_.prompt_tokens.Add(tokens.total - chosen - rejected);
      if (!example.chosen.empty()) stats_.chosen_tokens.Add(chosen);
      if (!example.rejected.empty()) stats_.rejected_tokens.Add(rejected);
    }
  }
  AddMetadata(example.metadata);
  return Status::Ok();
}

void StatsCollector::AddMetadata(const Metadata& metadata) {
  // The metadata values are JSON text; they are small, so a local parser is cheap enough and
  // keeps the collector free of shared state.
  simdjson::dom::parser parser;
  if (const std::string* language = metadata.FindJson("language")) {
    simdjson::dom::element root;
    if (!parser.parse(*language).get(root)) {
      std::string_view code;
      // Either "en" or {"code": "en", ...} (the shape CLD2's guess is recorded in).
      if (root.get_string().get(code) && root["code"].get_string().get(code)) code = "";
      const std::string language_code(code);  // the parser's buffer is reused below
      if (!language_code.empty()) ++stats_.languages[language_code];
      double score;
      if (const std::string* json = metadata.FindJson("language_score");
          !language_code.empty() && json != nullptr && !parser.parse(*json).get_double().get(score)) {
        stats_.language_scores[language_code].Add(score);
      }
    }
  }
  if (const std::string* quality = metadata.FindJson("quality")) {
    simdjson::dom::object object;
    if (!parser.parse(*quality).get(object)) {
      ++stats_.quality_records;
      for (auto [key, value] : object) {
        double number;
        if (!value.get_double().get(number)) {
          stats_.quality[std::string(key)].Add(number);
        } else if (int64_t integer; !value.get_int64().get(integer)) {
          stats_.quality[std::string(key)].Add(static_cast<double>(integer));
        }
      }
    }
  }
}

DatasetStats StatsCollector::Finish() && {
  stats_.default_epochs = !options_.epochs.has_value();
  stats_.epochs = options_.epochs ? *options_.epochs : OpenAiDefaultEpochs(stats_.records);
  return std::move(stats_);
}

}  // namespace tunepack::report
