// Measures near-dedup quality on a generated test set of real paragraphs with controlled
// edits (see near_dup_corpus.h), against ground truth from exact Jaccard.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "dedup/near_dup_corpus.h"
#include "support/status_matchers.h"
#include "tunepack/dedup/near_deduper.h"

namespace tunepack::dedup {
namespace {

using ::tunepack::testing::IsOk;

// The license texts every Debian system ships (package base-files, Essential: yes).
constexpr char kParagraphDir[] = "/usr/share/common-licenses";

// Two fixed-seed sets: "dense" puts many pairs within 0.1 of the threshold (edits of up
// to 8% of the words), "broad" spreads them from 0.3 to 1 (up to 20%).
NearDupCorpus MakeCorpus(double max_edit_fraction) {
  auto paragraphs = ReadParagraphs(ListFiles(kParagraphDir), 20);
  EXPECT_THAT(paragraphs, IsOk());
  return MakeNearDupCorpus(*paragraphs, {.seed = 42, .max_edit_fraction = max_edit_fraction});
}

DedupScore RunDeduper(const NearDupCorpus& corpus, Verification verification) {
  auto dedup = NearDeduper::Create({.threshold = 0.8, .verification = verification});
  EXPECT_THAT(dedup, IsOk());
  std::vector<bool> predicted;
  for (size_t i = 0; i < corpus.docs.size(); ++i) {
    predicted.push_back(dedup->Insert(dedup->Sign(corpus.docs[i]), i).duplicate);
  }
  DedupScore s = ScoreDedup(corpus.duplicate, predicted);
  std::printf("verification=%d %s docs=%zu dups=%zu P=%.4f R=%.4f F1=%.4f (tp=%zu fp=%zu fn=%zu)\n",
              static_cast<int>(verification), dedup->lsh().ToString().c_str(),
              corpus.docs.size(), s.true_positives + s.false_negatives, s.precision, s.recall,
              s.f1, s.true_positives, s.false_positives, s.false_negatives);
  return s;
}

class NearDupF1Test : public ::testing::TestWithParam<double> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kParagraphDir)) GTEST_SKIP() << kParagraphDir << " missing";
  }
};

TEST_P(NearDupF1Test, CorpusSpreadsAroundThreshold) {
  NearDupCorpus corpus = MakeCorpus(GetParam());
  ASSERT_GT(corpus.docs.size(), 500u);
  size_t near = 0, dups = 0;
  for (size_t i = 0; i < corpus.docs.size(); ++i) {
    near += corpus.best_earlier[i] > 0.6 && corpus.best_earlier[i] < 0.95;
    dups += corpus.duplicate[i];
  }
  // The set is only a test if many pairs sit near the threshold on both sides.
  EXPECT_GT(near, corpus.docs.size() / 5);
  EXPECT_GT(dups, corpus.docs.size() / 10);
  EXPECT_LT(dups, corpus.docs.size() / 2);
}

// The target: F1 >= 0.95 at the threshold, met by the default (exact verification).
TEST_P(NearDupF1Test, ExactVerificationReachesTarget) {
  DedupScore s = RunDeduper(MakeCorpus(GetParam()), Verification::kExact);
  EXPECT_GE(s.f1, 0.95);
  EXPECT_EQ(s.false_positives, 0u);  // verified by the real Jaccard
}

// The lighter modes trade quality for memory; these floors catch regressions, and the
// measured figures are in BENCHMARKS.md.
TEST_P(NearDupF1Test, SignatureVerificationFloor) {
  EXPECT_GE(RunDeduper(MakeCorpus(GetParam()), Verification::kSignature).f1, 0.88);
}

TEST_P(NearDupF1Test, BandingAloneFloor) {
  EXPECT_GE(RunDeduper(MakeCorpus(GetParam()), Verification::kNone).f1, 0.78);
}

INSTANTIATE_TEST_SUITE_P(EditStrength, NearDupF1Test, ::testing::Values(0.08, 0.2),
                         [](const ::testing::TestParamInfo<double>& info) {
                           return "edits_" + std::to_string(static_cast<int>(info.param * 100 + 0.5)) + "_percent";
                         });

}  // namespace
}  // namespace tunepack::dedup
