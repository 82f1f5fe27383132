#include "pipeline/example_steps.h"

#include <cstdio>
#include <utility>

#include "tunepack/core/option_ref.h"
#include "tunepack/dedup/repeated_lines.h"

namespace tunepack::pipeline {
namespace {

// The contents of a conversation's turns, which its language is judged on (system prompts
// and tool output included: they are trained on too).
std::string ConversationText(const Example& example) {
  std::string text;
  ForEachMessage(example, [&](const Message& message) {
    text += message.content;
    text += '\n';
  });
  return text;
}

}  // namespace

ExampleSteps::ExampleSteps(const ExampleStepOptions& options)
    : options_(options), languages_(options.languages) {}

Result<ExampleSteps> ExampleSteps::Create(const ExampleStepOptions& options) {
  ExampleSteps steps(options);
  if (!options.decontaminate_files.empty()) {
    auto decontaminator = std::make_shared<dedup::Decontaminator>(options.decontaminate_ngram);
    for (const std::string& path : options.decontaminate_files) {
      Status status = decontaminator->AddFile(path);
      if (!status.ok()) return status.WithContext(OptionRef("decontaminate") + " " + path);
    }
    steps.decontaminator_ = std::move(decontaminator);
  }
  return steps;
}

bool ExampleSteps::empty() const {
  return options_.remove_repeated == RepeatedRemoval::kOff && !options_.redact_pii &&
         !options_.detect_language && languages_.empty() && decontaminator_ == nullptr;
}

std::optional<StepDrop> ExampleSteps::Apply(Example& example, quality::PiiCounts* pii) const {
  if (options_.remove_repeated != RepeatedRemoval::kOff && example.kind == ExampleKind::kText) {
    dedup::RepeatedLinesOptions repeated;
    repeated.paragraphs = options_.remove_repeated == RepeatedRemoval::kParagraphs;
    std::string kept;
    if (dedup::RemoveRepeatedLines(example.text, repeated, &kept).removed > 0) {
      example.text = std::move(kept);
    }
  }
  if (options_.redact_pii) {
    auto redact = [&](std::string& text) {
      std::string redacted;
      const quality::PiiCounts found = quality::RedactPii(text, options_.pii, &redacted);
      if (found.total() == 0) return;
      text = std::move(redacted);
      *pii += found;
    };
    if (example.kind == ExampleKind::kText) {
      redact(example.text);
    } else {
      ForEachMessage(example, [&](Message& message) { redact(message.content); });
    }
  }
  if (options_.detect_language || !languages_.empty()) {
    std::string turns;
    if (example.kind != ExampleKind::kText) turns = ConversationText(example);
    const quality::LanguageGuess guess =
        quality::DetectLanguage(example.kind == ExampleKind::kText ? std::string_view(example.text)
                                                                   : std::string_view(turns));
    example.metadata.SetString("language", guess.code);
    // Two decimals: CLD2's percent is an integer, so nothing is lost.
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", guess.score());
    example.metadata.SetJson("language_score", score);
    if (!languages_.Accepts(guess)) {
      return StepDrop{RejectReason::kLanguage, "detected " + guess.code + " (" + std::to_string(guess.percent) +
                                      "%" + (guess.reliable ? "" : ", unreliable") +
                                      "), not in " + OptionRef("languages") + " " + options_.languages};
    }
  }
  if (decontaminator_ != nullptr) {
    auto check = [&](const std::string& text) -> std::optional<StepDrop> {
      const dedup::DecontaminationHit hit = decontaminator_->Check(text);
      if (!hit.contaminated) return std::nullopt;
      return StepDrop{RejectReason::kContaminated, "shares " + std::to_string(hit.ngrams) + " " +
                                          std::to_string(decontaminator_->ngram()) +
                                          "-gram(s) with the evaluation data, the first at word " +
                                          std::to_string(hit.first_word)};
    };
    if (example.kind == ExampleKind::kText) return check(example.text);
    std::optional<StepDrop> drop;
    ForEachMessage(example, [&](const Message& message) {
      if (!drop) drop = check(message.content);
    });
    if (drop) return drop;
  }
  return std::nullopt;
}

}  // namespace tunepack::pipeline
