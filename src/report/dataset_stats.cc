#include "tunepack/report/dataset_stats.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <simdjson.h>

#include "tunepack/core/reject_reason.h"
#include "tunepack/core/utf8.h"
#include "tunepack/report/example_tokens.h"

namespace tunepack::report {
namespace {

uint64_t CountCodePoints(std::string_view text) {
  // Every byte that is not a UTF-8 continuation byte (10xxxxxx) starts a code point. This
  // runs over every character of every record an export writes, so sixty-four bytes a step
  // with SSE2: as signed bytes the continuation bytes are the ones below -64; the four
  // compares' 0/-1 flags are added together and taken from sixteen byte counters, summed
  // (psadbw) before they can overflow (63 steps add at most 252 to each). A step of one
  // block cost as much again in loop control as in counting. Then sixteen bytes a step, then
  // eight: a byte's top bit survives `w & ~(w << 1)` when its next bit is 0; the multiply
  // adds the eight 0/1 flags into the top byte.
  const char* data = text.data();
  const size_t size = text.size();
  uint64_t continuation = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i lowest_lead = _mm_set1_epi8(-64);
  auto flags = [&](size_t at) {
    return _mm_cmplt_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + at)), lowest_lead);
  };
  auto sum = [&](__m128i counters) {
    const __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
    continuation += static_cast<uint64_t>(_mm_cvtsi128_si64(sums)) +
                    static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  };
  while (i + 64 <= size) {
    __m128i counters = _mm_setzero_si128();
    const size_t steps = std::min<size_t>((size - i) / 64, 63);
    for (size_t step = 0; step < steps; ++step, i += 64) {
      const __m128i four =
          _mm_add_epi8(_mm_add_epi8(flags(i), flags(i + 16)), _mm_add_epi8(flags(i + 32), flags(i + 48)));
      counters = _mm_sub_epi8(counters, four);
    }
    sum(counters);
  }
  __m128i counters = _mm_setzero_si128();  // at most three blocks
  for (; i + 16 <= size; i += 16) counters = _mm_sub_epi8(counters, flags(i));
  sum(counters);
#endif
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  for (; i + 8 <= size; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    continuation += (((w & ~(w << 1) & kHighBits) >> 7) * 0x0101010101010101ULL) >> 56;
  }
  for (; i < size; ++i) continuation += (static_cast<unsigned char>(data[i]) & 0xC0) == 0x80;
  return size - continuation;
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
  current_file_ = stats_.files.size() - 1;
}

void StatsCollector::NameLastFileFormat(std::string format) {
  if (!stats_.files.empty()) stats_.files.back().format = std::move(format);
}

FileSummary* StatsCollector::current_file() {
  return current_file_ < stats_.files.size() ? &stats_.files[current_file_] : nullptr;
}

void StatsCollector::AddUnreadable() {
  ++stats_.unreadable;
  if (FileSummary* file = current_file()) ++file->unreadable;
}

namespace {

ExampleScores MeasureMetadata(const Metadata& metadata) {
  // The metadata values are JSON text; they are small, so a local parser is cheap enough and
  // keeps the measure free of shared state.
  ExampleScores scores;
  simdjson::dom::parser parser;
  if (const std::string* language = metadata.FindJson("language")) {
    simdjson::dom::element root;
    if (!parser.parse(*language).get(root)) {
      std::string_view code;
      // Either "en" or {"code": "en", ...} (the shape CLD2's guess is recorded in).
      if (root.get_string().get(code) && root["code"].get_string().get(code)) code = "";
      scores.language = std::string(code);  // the parser's buffer is reused below
      double score;
      if (const std::string* json = metadata.FindJson("language_score");
          !scores.language.empty() && json != nullptr && !parser.parse(*json).get_double().get(score)) {
        scores.language_score = score;
      }
    }
  }
  if (const std::string* quality = metadata.FindJson("quality")) {
    simdjson::dom::object object;
    if (!parser.parse(*quality).get(object)) {
      scores.has_quality = true;
      for (auto [key, value] : object) {
        double number;
        if (!value.get_double().get(number)) {
          scores.quality.emplace_back(std::string(key), number);
        } else if (int64_t integer; !value.get_int64().get(integer)) {
          scores.quality.emplace_back(std::string(key), static_cast<double>(integer));
        }
      }
    }
  }
  return scores;
}

}  // namespace

Result<ExampleFigures> MeasureExample(const StatsOptions& options, const Example& example,
                                      const OpenAiBilling* billing) {
  ExampleFigures figures;
  figures.kind = example.kind;
  const std::string& prompt = options.generation_prompt;
  if (example.kind == ExampleKind::kText && !prompt.empty() && example.text.size() >= prompt.size() &&
      example.text.compare(example.text.size() - prompt.size(), prompt.size(), prompt) == 0) {
    figures.ends_with_generation_prompt = true;
  }
  if (example.kind == ExampleKind::kText) {
    figures.characters = CountCodePoints(example.text);
  } else {
    if (example.kind == ExampleKind::kConversation) {
      figures.turns = example.messages.size();
      auto has = [&](Role role) {
        return std::any_of(example.messages.begin(), example.messages.end(),
                           [&](const Message& message) { return message.role == role; });
      };
      figures.missing_system = !has(Role::kSystem);
      figures.missing_user = !has(Role::kUser);
    } else if (example.kind == ExampleKind::kPreference) {
      figures.identical_pair = example.chosen == example.rejected;
    }
    ForEachMessage(example, [&](const Message& message) { figures.characters += CountCodePoints(message.content); });
  }
  figures.has_chosen = !example.chosen.empty();
  figures.has_rejected = !example.rejected.empty();
  if (options.tokenizer) {
    TP_ASSIGN_OR_RETURN(figures.tokens,
                        CountExampleTokens(*options.tokenizer, example, options.rendered_by_template));
    std::optional<OpenAiBilling> own;
    if (billing == nullptr) {
      TP_ASSIGN_OR_RETURN(own, OpenAiBilling::Create(options.tokenizer));
      billing = &*own;
    }
    TP_ASSIGN_OR_RETURN(figures.billed, billing->Billed(example, *figures.tokens));
  }
  figures.scores = MeasureMetadata(example.metadata);
  return figures;
}

Status StatsCollector::Add(const Example& example) {
  if (options_.tokenizer && !billing_) {
    TP_ASSIGN_OR_RETURN(billing_, OpenAiBilling::Create(options_.tokenizer));
  }
  TP_ASSIGN_OR_RETURN(ExampleFigures figures, MeasureExample(options_, example, billing_ ? &*billing_ : nullptr));
  AddFigures(figures);
  return Status::Ok();
}

void StatsCollector::AddFigures(const ExampleFigures& figures) {
  ++stats_.records;
  FileSummary* file = current_file();
  if (file) ++file->records;
  if (figures.ends_with_generation_prompt) ++stats_.texts_with_generation_prompt;
  if (figures.kind == ExampleKind::kText) {
    ++stats_.texts;
  } else if (figures.kind == ExampleKind::kConversation) {
    ++stats_.conversations;
    stats_.turns.Add(figures.turns);
    stats_.missing_system += figures.missing_system;
    stats_.missing_user += figures.missing_user;
  } else if (figures.kind == ExampleKind::kPreference) {
    ++stats_.preference_pairs;
    if (figures.identical_pair) ++stats_.identical_pairs;
  } else {
    ++stats_.unpaired_preferences;
  }
  stats_.characters += figures.characters;
  if (figures.tokens) {
    const ExampleTokens& tokens = *figures.tokens;
    stats_.tokens.Add(tokens.total);
    if (file) file->tokens += tokens.total;
    for (const auto& [role, n] : tokens.by_role) stats_.tokens_by_role[role] += n;
    const uint64_t billed = figures.billed.value_or(tokens.total);
    stats_.billed_per_example.Add(billed);
    stats_.billed_per_epoch += std::min(billed, stats_.billing_cap);
    stats_.over_billing_cap += billed > stats_.billing_cap;
    if (IsPreference(figures.kind)) {
      auto side = [&](const char* name) {
        auto it = tokens.by_role.find(name);
        return it == tokens.by_role.end() ? uint64_t{0} : it->second;
      };
      const uint64_t chosen = side("chosen");
      const uint64_t rejected = side("rejected");
      stats_.prompt_tokens.Add(tokens.total - chosen - rejected);
      if (figures.has_chosen) stats_.chosen_tokens.Add(chosen);
      if (figures.has_rejected) stats_.rejected_tokens.Add(rejected);
    }
  }
  AddScores(figures.scores);
}

void StatsCollector::AddScores(const ExampleScores& scores) {
  if (!scores.language.empty()) {
    ++stats_.languages[scores.language];
    if (scores.language_score) stats_.language_scores[scores.language].Add(*scores.language_score);
  }
  if (scores.has_quality) {
    ++stats_.quality_records;
    for (const auto& [key, value] : scores.quality) stats_.quality[key].Add(value);
  }
}

DatasetStats StatsCollector::Finish() && {
  stats_.default_epochs = !options_.epochs.has_value();
  stats_.epochs = options_.epochs ? *options_.epochs : OpenAiDefaultEpochs(stats_.records);
  return std::move(stats_);
}

}  // namespace tunepack::report
