// Recall and precision of PII redaction per kind on a generated corpus (pii_corpus.h): real-
// looking prose with inserted items and hard negatives. Recall: the share of inserted items
// replaced exactly (one finding of the right kind covering exactly the item). Precision: the
// share of findings of a kind that lie inside an inserted item of that kind (a finding that
// touches a hard negative, plain prose or an item of another kind is wrong). The figures are
// written in docs/optimize.md.
#include <cstdio>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "quality/pii_corpus.h"
#include "tunepack/quality/pii.h"

namespace tunepack::quality {
namespace {

struct Tally {
  size_t items = 0, found = 0, findings = 0, correct = 0;
  double recall() const { return items ? static_cast<double>(found) / items : 1.0; }
  double precision() const { return findings ? static_cast<double>(correct) / findings : 1.0; }
};

TEST(PiiCorpusTest, RecallAndPrecisionPerKind) {
  const auto corpus = testing::GeneratePiiCorpus(/*documents=*/400, /*seed=*/17);
  PiiOptions options;
  options.enabled.fill(true);  // card and iban too, which --redact-pii leaves off unless listed
  std::map<PiiKind, Tally> by_kind;
  std::map<std::string, std::pair<size_t, size_t>> by_family;  // family -> (right, of)
  size_t negatives = 0;
  for (const auto& document : corpus) {
    const std::vector<PiiMatch> matches = FindPii(document.text, options);
    for (const auto& item : document.items) {
      if (item.negative) {
        ++negatives;
        continue;
      }
      ++by_kind[item.kind].items;
    }
    std::vector<bool> item_found(document.items.size(), false);
    std::vector<bool> item_touched(document.items.size(), false);
    for (const PiiMatch& m : matches) {
      Tally& tally = by_kind[m.kind];
      ++tally.findings;
      bool correct = false;
      for (size_t i = 0; i < document.items.size(); ++i) {
        const auto& item = document.items[i];
        if (m.end <= item.begin || m.begin >= item.end) continue;
        item_touched[i] = true;
        if (!item.negative && item.kind == m.kind && m.begin >= item.begin && m.end <= item.end) {
          correct = true;
          if (m.begin == item.begin && m.end == item.end) item_found[i] = true;
        }
      }
      tally.correct += correct;
      if (!correct) {
        std::printf("  wrong %s finding: [%s]\n", std::string(PiiKindName(m.kind)).c_str(),
                    document.text.substr(m.begin, m.end - m.begin).c_str());
      }
    }
    for (size_t i = 0; i < document.items.size(); ++i) {
      const auto& item = document.items[i];
      auto& family = by_family[item.what];
      ++family.second;
      const bool right = item.negative ? !item_touched[i] : item_found[i];
      family.first += right;
      by_kind[item.kind].found += !item.negative && item_found[i];
      if (!right) {
        std::printf("  %s %s: [%s]\n", item.negative ? "redacted" : "missed", item.what.c_str(),
                    document.text.substr(item.begin, item.end - item.begin).c_str());
      }
    }
  }
  std::printf("PII corpus: %zu documents, %zu hard negatives\n", corpus.size(), negatives);
  for (const auto& [family, counts] : by_family) {
    std::printf("  %-48s %zu / %zu right\n", family.c_str(), counts.first, counts.second);
  }
  for (const auto& [kind, tally] : by_kind) {
    std::printf("  %-7s items %4zu recall %.3f  findings %4zu precision %.3f\n",
                std::string(PiiKindName(kind)).c_str(), tally.items, tally.recall(), tally.findings,
                tally.precision());
    EXPECT_GE(tally.recall(), 0.95) << PiiKindName(kind);
    EXPECT_GE(tally.precision(), 0.98) << PiiKindName(kind);
  }
}

}  // namespace
}  // namespace tunepack::quality
