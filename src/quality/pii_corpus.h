// A generated corpus for measuring PII redaction: documents of ordinary prose with items of
// each kind inserted at known byte ranges, and hard negatives (text that looks like PII and is
// not: ISBNs, versions, decimals, card-like runs failing Luhn, timestamps, documentation and
// private addresses, code that merely names a secret). Deterministic for a seed. Used by
// pii_corpus_test.cc (the measured figures in docs/optimize.md) and nothing else.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tunepack/quality/pii.h"

namespace tunepack::quality::testing {

// PiiItem: one inserted item: the kind a redactor should find there, or none for a hard
// negative (nothing there may be redacted).
struct PiiItem {
  bool negative = false;
  PiiKind kind = PiiKind::kEmail;  ///< for a negative: the kind it imitates
  size_t begin = 0, end = 0;       ///< byte range of the text to redact (or keep)
  std::string what;                ///< the family, e.g. "phone national spaces", "isbn"
};

struct PiiDocument {
  std::string text;
  std::vector<PiiItem> items;
};

// Builds `documents` documents of 4-8 sentences each; each sentence carries one item
// (positive or negative) with probability 0.8.
std::vector<PiiDocument> GeneratePiiCorpus(size_t documents, uint64_t seed);

}  // namespace tunepack::quality::testing
