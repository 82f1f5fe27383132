// ExampleSteps: the per-example clean-up and filtering steps an export applies between
// mapping an input to an Example and writing it: repeated-line removal, PII redaction,
// language identification (--languages) and decontamination against evaluation files.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/dedup/decontaminator.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/quality/language.h"
#include "tunepack/quality/pii.h"

namespace tunepack::pipeline {

// StepDrop: why a step dropped an example (a ledger reason and its detail).
struct StepDrop {
  RejectReason reason;
  std::string detail;
};

class ExampleSteps {
 public:
  // Builds the steps `options` asks for; reads the --decontaminate files once, here.
  static Result<ExampleSteps> Create(const ExampleStepOptions& options);

  // Returns true when no step is switched on (Apply would do nothing).
  bool empty() const;

  // Applies the steps to `example` in order: repeated lines (text examples), PII (text and
  // message contents; findings added to `pii`), language (recorded in the metadata as
  // "language" and filtered), decontamination. Returns why the example is dropped, or
  // nullopt. Thread-safe.
  std::optional<StepDrop> Apply(Example& example, quality::PiiCounts* pii) const;

 private:
  explicit ExampleSteps(const ExampleStepOptions& options);

  ExampleStepOptions options_;
  quality::LanguageFilter languages_;
  std::shared_ptr<const dedup::Decontaminator> decontaminator_;
};

}  // namespace tunepack::pipeline
