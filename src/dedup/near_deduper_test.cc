#include "tunepack/dedup/near_deduper.h"

#include <gtest/gtest.h>

#include <string>

#include "support/status_matchers.h"

namespace tunepack::dedup {
namespace {

using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using ::testing::HasSubstr;

// Three hundred distinct words in a fixed order: a long text whose edits are easy to reason
// about (each edited word changes at most 5 of the ~296 shingles).
std::string Words(int begin, int end, int skip = -1) {
  std::string out;
  for (int i = begin; i < end; ++i) {
    if (i == skip) continue;
    out += "w" + std::to_string(i) + " ";
  }
  return out;
}

TEST(NearDeduperTest, RejectsBadOptions) {
  EXPECT_THAT(NearDeduper::Create({.threshold = 0}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("threshold")));
  EXPECT_THAT(NearDeduper::Create({.num_hashes = 16, .bands = 5, .rows = 4}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("bands")));
  EXPECT_THAT(ParseVerification("maybe"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("maybe")));
}

TEST(NearDeduperTest, ExposesChosenBanding) {
  auto dedup = NearDeduper::Create({});
  ASSERT_THAT(dedup, IsOk());
  EXPECT_GT(dedup->lsh().bands, 1);
  EXPECT_LE(dedup->lsh().bands * dedup->lsh().rows, 128);
  auto explicit_banding = NearDeduper::Create({.num_hashes = 112, .bands = 14, .rows = 8});
  ASSERT_THAT(explicit_banding, IsOk());
  EXPECT_EQ(explicit_banding->lsh().bands, 14);
}

class NearDeduperVerificationTest : public ::testing::TestWithParam<Verification> {};

TEST_P(NearDeduperVerificationTest, KeepsFirstOfNearDuplicatesAndNamesIt) {
  auto dedup = NearDeduper::Create({.verification = GetParam()});
  ASSERT_THAT(dedup, IsOk());
  std::string original = Words(0, 300);
  std::string one_word_less = Words(0, 300, 150);  // Jaccard ~0.97
  std::string unrelated = Words(1000, 1300);
  EXPECT_FALSE(dedup->Insert(dedup->Sign(original), 100).duplicate);
  EXPECT_FALSE(dedup->Insert(dedup->Sign(unrelated), 101).duplicate);
  Verdict v = dedup->Insert(dedup->Sign(one_word_less), 102);
  EXPECT_TRUE(v.duplicate);
  EXPECT_EQ(v.kept_id, 100u);
  if (GetParam() == Verification::kExact) {
    EXPECT_NEAR(v.similarity, 290.0 / 300.0, 0.01);
  }
  // A near-duplicate of the duplicate is reported against the kept record of its group.
  Verdict chained = dedup->Insert(dedup->Sign(Words(0, 300, 151)), 103);
  EXPECT_TRUE(chained.duplicate);
  EXPECT_EQ(chained.kept_id, 100u);
  EXPECT_EQ(dedup->size(), 4u);
  EXPECT_GT(dedup->MemoryBytes(), 0u);
}

TEST_P(NearDeduperVerificationTest, HalfOverlapIsNotADuplicate) {
  auto dedup = NearDeduper::Create({.verification = GetParam()});
  ASSERT_THAT(dedup, IsOk());
  EXPECT_FALSE(dedup->Insert(dedup->Sign(Words(0, 300)), 0).duplicate);
  // Jaccard of w0..w299 and w150..w449 is about 1/3.
  EXPECT_FALSE(dedup->Insert(dedup->Sign(Words(150, 450)), 1).duplicate);
}

TEST_P(NearDeduperVerificationTest, TextWithoutWordsIsKeptAndNotIndexed) {
  auto dedup = NearDeduper::Create({.verification = GetParam()});
  ASSERT_THAT(dedup, IsOk());
  EXPECT_FALSE(dedup->Insert(dedup->Sign("  ... "), 0).duplicate);
  EXPECT_FALSE(dedup->Insert(dedup->Sign(""), 1).duplicate);
  EXPECT_EQ(dedup->size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(All, NearDeduperVerificationTest,
                         ::testing::Values(Verification::kNone, Verification::kSignature,
                                           Verification::kExact),
                         [](const ::testing::TestParamInfo<Verification>& info) {
                           return std::string(kVerifications.Name(info.param));
                         });

}  // namespace
}  // namespace tunepack::dedup
